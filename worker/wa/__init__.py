"""The WA worker process (`python -m worker.wa`): WhatsApp clients, their sender loops, the command bus."""

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from shared.config import get_settings
from shared.wa.transport import Transport


def build_transport(name: str | None = None, *, engine: Engine | None = None) -> Transport:
    """The transport WA_TRANSPORT selects (on `engine`, default the app's); neonize is imported only if chosen."""
    name = name or get_settings().wa_transport
    if name == "simulator":
        from shared.wa.simulator import SimulatorTransport

        return SimulatorTransport(session_factory=sessionmaker(bind=engine, expire_on_commit=False) if engine else None)
    from worker.wa.neonize_transport import NeonizeTransport

    return NeonizeTransport(engine=engine)
