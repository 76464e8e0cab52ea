"""The WhatsApp engine: templates, the outbox and its pacing, the transport interface (docs/whatsapp-engine.md)."""
