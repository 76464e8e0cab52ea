from flask_smorest import Blueprint

blp = Blueprint("packages", __name__, url_prefix="/api/packages")
