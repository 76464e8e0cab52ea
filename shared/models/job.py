import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, created_at, updated_at, uuid_pk


class Job(Base):
    """One accepted async job (generation, import, export): the truth the UI polls and the sweeper repairs.

    Redis only carries the Celery message that wakes a worker; a message Redis forgot is sent again from here.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state"),
        # The sweeper reads only unfinished jobs; retention reads finished ones by age.
        Index("ix_jobs_unfinished", "state", postgresql_where=text("state IN ('queued', 'running')")),
        Index("ix_jobs_finished_at", "finished_at", postgresql_where=text("finished_at IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    type: Mapped[str] = mapped_column(String(40))  # invoices.generate, export.finance, ...
    task: Mapped[str] = mapped_column(String(80))  # the Celery task name it is sent as
    kwargs: Mapped[dict] = mapped_column(JSONB, server_default="{}", default=dict)
    queue: Mapped[str | None] = mapped_column(String(30))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10), server_default="queued", default="queued")
    progress: Mapped[int] = mapped_column(SmallInteger, server_default="0", default=0)
    result: Mapped[dict | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    # What the UI should say besides state, e.g. that the job was re-run after its worker died.
    notice: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict] = mapped_column(JSONB, server_default="{}", default=dict)
    attempts: Mapped[int] = mapped_column(Integer, server_default="0", default=0)  # claims so far
    max_attempts: Mapped[int] = mapped_column(Integer, server_default="3", default=3)
    send_count: Mapped[int] = mapped_column(Integer, server_default="0", default=0)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JobBlob(Base):
    """The uploaded bytes a job works on (a CSV), kept until the job finishes."""

    __tablename__ = "job_blobs"

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("jobs.id", ondelete="CASCADE"),
                                              primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = created_at()
