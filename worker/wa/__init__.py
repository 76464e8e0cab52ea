"""The WA worker process (`python -m worker.wa`): WhatsApp clients, their sender loops, the command bus."""

from shared.config import get_settings
from shared.wa.transport import Transport


def build_transport(name: str | None = None) -> Transport:
    """The transport WA_TRANSPORT selects; neonize is imported only when it is the one."""
    name = name or get_settings().wa_transport
    if name == "simulator":
        from shared.wa.simulator import SimulatorTransport

        return SimulatorTransport()
    from worker.wa.neonize_transport import NeonizeTransport

    return NeonizeTransport()
