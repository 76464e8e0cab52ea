from flask_smorest import Blueprint

blp = Blueprint("settings", __name__, url_prefix="/api/settings")
