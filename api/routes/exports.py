"""Export jobs for invoices and the finance recap, and the download of any finished export.

The customers export lives with the customers (`GET /api/customers/export`); its file comes from here too.
"""

from flask import send_file

from api.deps import current_user, db, login_required, superadmin_required
from api.input import Blueprint
from api.schemas.common import JobAccepted
from api.schemas.exports import FinanceExportArgs, InvoiceExportArgs, export_params
from shared.services import exports
from shared.services.spreadsheet import MIME_TYPES

blp = Blueprint("exports", __name__, url_prefix="/api", description="CSV/XLSX exports (jobs) and their downloads")

FILE_RESPONSE = {"200": {"description": "The export file (attachment)", "content": {
    mime.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for mime in MIME_TYPES.values()}}}


@blp.get("/invoices/export")
@superadmin_required
@blp.arguments(InvoiceExportArgs, location="query")
@blp.response(202, JobAccepted)
def export_invoices(args):
    """Export invoices (superadmin) for a due-date range or period, as CSV or XLSX; a job makes the file."""
    fmt, params = export_params(args)
    export = exports.ExportRequest(kind="invoices", fmt=fmt, params=params)
    return {"job_id": exports.start_export(db(), actor=current_user(), request=export)}


@blp.get("/finance/export")
@login_required()
@blp.arguments(FinanceExportArgs, location="query")
@blp.response(202, JobAccepted)
def export_finance(args):
    """Export the finance recap with its summary rows (a mitra: own invoices only); a job makes the file."""
    fmt, params = export_params(args)
    export = exports.ExportRequest(kind="finance", fmt=fmt, params=params)
    return {"job_id": exports.start_export(db(), actor=current_user(), request=export)}


@blp.get("/exports/<job_id>/download")
@login_required()
@blp.doc(responses=FILE_RESPONSE)
def download(job_id):
    """Download a finished export of yours (410 once it has expired after 24 hours)."""
    path, filename, mimetype = exports.export_file(db(), job_id=job_id, actor=current_user())
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)
