from flask_smorest import Blueprint

blp = Blueprint("receipts", __name__, url_prefix="/api/receipt")
