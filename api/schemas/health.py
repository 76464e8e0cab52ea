"""GET /api/health: the overall status and each part's."""

import marshmallow as ma

from api.schemas.common import CamelSchema

PART_STATUS = "ok | degraded | down | unknown (not knowable while the database is down)"


class InstanceOut(CamelSchema):
    instance = ma.fields.String(metadata={"description": "host:pid (or the WA worker's id)"})
    started_at = ma.fields.DateTime()
    beat_at = ma.fields.DateTime()
    alive = ma.fields.Boolean()
    info = ma.fields.Dict(metadata={"description": "What the process reports (hostname, queues, pid, owned...)."})


class PartOut(CamelSchema):
    status = ma.fields.String(metadata={"description": PART_STATUS})
    error = ma.fields.String(metadata={"description": "The error's type when the part is down."})


class ServicePartOut(PartOut):
    alive = ma.fields.Integer(metadata={"description": "Instances that beat in the last 60 s."})
    last_beat_at = ma.fields.DateTime(allow_none=True)
    instances = ma.fields.List(ma.fields.Nested(InstanceOut), metadata={"description": "Superadmin only."})


class BeatPartOut(ServicePartOut):
    last_tick_at = ma.fields.DateTime(allow_none=True)
    next_run_in = ma.fields.Float(allow_none=True, metadata={"description": "Seconds until beat's next tick."})


class WaPartOut(ServicePartOut):
    owned = ma.fields.Integer(metadata={"description": "WhatsApp numbers owned by the alive WA workers."})


class ProcessOut(CamelSchema):
    state = ma.fields.String(metadata={"description": "running | backoff | held | stopped"})
    restarts = ma.fields.Integer()
    last_exit = ma.fields.Raw(allow_none=True, metadata={"description": "How the process last exited, if it did."})
    started_at = ma.fields.DateTime(allow_none=True)
    pid = ma.fields.Integer(allow_none=True, metadata={"description": "Superadmin only."})


class ProcessesPartOut(PartOut):
    updated_at = ma.fields.DateTime()
    items = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(ProcessOut),
                           metadata={"description": "By process name (api, worker, beat, wa-worker...)."})


class BackupPartOut(PartOut):
    last_success_at = ma.fields.DateTime(allow_none=True, metadata={"description": "The newest good backup's end."})
    last_run_at = ma.fields.DateTime(allow_none=True)
    last_run_ok = ma.fields.Boolean(allow_none=True)
    stale_after_hours = ma.fields.Integer(metadata={
        "description": "`down` once the newest good backup is older than this (36)."})
    last_error = ma.fields.String(allow_none=True, metadata={"description": "Superadmin only: the last run's failure."})
    last_file = ma.fields.String(allow_none=True, metadata={"description": "Superadmin only: the newest good dump."})
    last_source = ma.fields.String(allow_none=True, metadata={"description": "Superadmin only: compose | make."})
    off_host = ma.fields.String(allow_none=True, metadata={
        "description": "Superadmin only: the rclone target the newest good backup was copied to."})


class HealthParts(CamelSchema):
    database = ma.fields.Nested(PartOut)
    redis = ma.fields.Nested(PartOut)
    worker = ma.fields.Nested(ServicePartOut)
    beat = ma.fields.Nested(BeatPartOut)
    wa = ma.fields.Nested(WaPartOut)
    backup = ma.fields.Nested(BackupPartOut, metadata={
        "description": "unknown until a backup is recorded; down when the newest good one is over 36 h old."})
    processes = ma.fields.Nested(ProcessesPartOut, metadata={
        "description": "`make run`'s supervised processes; only while its status file is fresh."})


class HealthOut(CamelSchema):
    status = ma.fields.String(metadata={"description": "ok | degraded (a part is down) | down (the database is)"})
    database = ma.fields.String(metadata={"description": "ok | error: <type> (kept for old clients; see parts)"})
    redis = ma.fields.String(metadata={"description": "ok | error: <type> (kept for old clients; see parts)"})
    version = ma.fields.String()
    checked_at = ma.fields.DateTime()
    parts = ma.fields.Nested(HealthParts)
