import io

from flask import current_app, request, send_file

from api.deps import current_user, db, login_required, superadmin_required
from api.input import Blueprint
from api.schemas.common import JobAccepted
from api.schemas.customers import (
    CustomerImportUpload,
    CustomerIn,
    CustomerOut,
    CustomerPage,
    CustomerQueryArgs,
    CustomerUpdateIn,
    ImportTemplateArgs,
)
from api.schemas.exports import CustomerExportArgs, export_params
from api.schemas.wa import IsolationOut
from shared import jobs, tasknames
from shared.services import customer_import, customers, exports, whatsapp
from shared.services.customers import CustomerFilters

blp = Blueprint("customers", __name__, url_prefix="/api/customers", description="Pelanggan and CSV/XLSX import")


@blp.before_request
def _refuse_oversized_upload():
    # Checked before the body is read, so an oversized file gets a message naming the limit.
    if request.endpoint == "customers.import_customers" and \
            (request.content_length or 0) > current_app.config["MAX_CONTENT_LENGTH"]:
        raise customer_import.too_large_error()


@blp.get("")
@blp.arguments(CustomerQueryArgs, location="query")
@blp.response(200, CustomerPage)
@login_required()
def list_customers(args):
    """List the customers the user may see (a mitra: only their own)."""
    page, per_page = args.pop("page"), args.pop("per_page")
    return customers.list_customers(db(), actor=current_user(), filters=CustomerFilters(**args), page=page,
                                    per_page=per_page)


@blp.post("")
@blp.arguments(CustomerIn)
@blp.response(201, CustomerOut)
@login_required()
def create_customer(body):
    """Add a customer (a mitra for themselves; a superadmin for any owner via ownerId)."""
    return customers.create_customer(db(), actor=current_user(), data=body)


@blp.get("/export")
@superadmin_required
@blp.arguments(CustomerExportArgs, location="query")
@blp.response(202, JobAccepted)
def export_customers(args):
    """Export the customers matching the list filters as CSV or XLSX (superadmin); a job makes the file."""
    fmt, params = export_params(args)
    export = exports.ExportRequest(kind="customers", fmt=fmt, params=params)
    return {"job_id": exports.start_export(db(), actor=current_user(), request=export)}


@blp.get("/<uuid:customer_id>")
@blp.response(200, CustomerOut)
@login_required()
def get_customer(customer_id):
    """One customer."""
    return customers.get_customer(db(), actor=current_user(), customer_id=customer_id)


@blp.patch("/<uuid:customer_id>")
@blp.arguments(CustomerUpdateIn)
@blp.response(200, CustomerOut)
@login_required()
def update_customer(body, customer_id):
    """Edit a customer; a mitra may send only phone and discount (anything else: 403 field_not_allowed)."""
    return customers.update_customer(db(), actor=current_user(), customer_id=customer_id, changes=body)


@blp.patch("/<uuid:customer_id>/isolate")
@blp.response(200, IsolationOut)
@login_required()
def toggle_isolation(customer_id):
    """Isolate an active customer or lift the isolation (superadmin only), and tell the customer on WhatsApp.

    The isolation notice (or, when lifted, a reactivation note) is queued from the customer's owner's number in
    the same transaction (spec "Notifikasi Isolir"); waNotice says whether it was queued or why it failed (not
    connected: logged as failed, the isolation stands).
    """
    session, actor = db(), current_user()
    customer = customers.toggle_isolation(session, actor=actor, customer_id=customer_id)
    notice = whatsapp.send_isolation_notice(session, actor=actor, customer=customer)
    return {**{name: getattr(customer, name) for name in CustomerOut().fields}, "wa_notice": notice}


@blp.delete("/<uuid:customer_id>")
@blp.response(204)
@login_required()
def delete_customer(customer_id):
    """Delete a customer (superadmin only); refused with 409 when they have paid invoices."""
    customers.delete_customer(db(), actor=current_user(), customer_id=customer_id)


@blp.post("/import")
@blp.arguments(CustomerImportUpload, location="files")
@blp.response(202, JobAccepted)
@superadmin_required
def import_customers(files):
    """Upload a customer CSV or XLSX; a job validates it into a preview (poll GET /api/jobs/{jobId}).

    The format is told by the content (an .xlsx is a zip archive), not by the name. A workbook that cannot be read
    (corrupt, .xls, password-protected) is 422 `invalid_xlsx`; another binary file 415.
    """
    upload = files["file"]
    data = upload.read(customer_import.max_upload_bytes() + 1)
    filename = upload.filename or "import.csv"
    customer_import.check_upload(data, filename)
    user = current_user()
    # The bytes are kept in PostgreSQL with the job, so an accepted upload survives Redis forgetting it.
    job_id = jobs.submit(db(), tasknames.VALIDATE_CUSTOMER_IMPORT, job_type="customer_import.validate",
                         user_id=user.id, meta={"filename": filename}, blob=data, filename=filename)
    return {"job_id": job_id}


@blp.get("/import/template")
@superadmin_required
@blp.arguments(ImportTemplateArgs, location="query")
@blp.doc(responses={"200": {"description": "The import template (attachment)", "content": {
    "text/csv": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}}}}})
def import_template(args):
    """The import template (CSV `;`-separated with BOM, or XLSX): the expected header and one example row."""
    data, filename, mimetype = customer_import.import_template(db(), actor=current_user(), fmt=args["format"])
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)


@blp.post("/import/<import_id>/confirm")
@blp.response(202, JobAccepted)
@login_required()
def confirm_import(import_id):
    """Import the valid rows of a validated upload (once; again → 409); a job reports {imported, skipped}."""
    user = current_user()
    batch = customer_import.get_import_for_confirm(db(), actor=user, import_id=import_id)
    job_id = jobs.submit(db(), tasknames.CONFIRM_CUSTOMER_IMPORT, job_type="customer_import.confirm",
                         user_id=user.id, meta={"importId": str(batch.id)}, import_id=str(batch.id))
    return {"job_id": job_id}
