from flask_smorest import Blueprint

blp = Blueprint("jobs", __name__, url_prefix="/api/jobs")
