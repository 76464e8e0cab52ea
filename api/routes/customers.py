from flask_smorest import Blueprint

blp = Blueprint("customers", __name__, url_prefix="/api/customers")
