from flask_smorest import Blueprint

blp = Blueprint("invoices", __name__, url_prefix="/api/invoices")
