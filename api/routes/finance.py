from flask_smorest import Blueprint

blp = Blueprint("finance", __name__, url_prefix="/api/finance")
