"""The spec's settings keys and their defaults (the initial migration inserts the spec's set; later keys are not
stored until changed, and read back as their default)."""

DEFAULT_SETTINGS = {
    "app_name": "FiberNode Internet",
    "logo_url": "",
    "favicon_url": "",
    "meta_description": "Sistem manajemen tagihan langganan WiFi",
    "domain": "",
    "ssl_method": "none",
    "receipt_logo_enabled": "true",
    "receipt_show_company_name": "true",
    "receipt_show_customer_phone": "true",
    "receipt_show_nik": "false",
    "receipt_show_area": "true",
    "receipt_show_package": "true",
    "receipt_show_discount": "true",
    "receipt_show_payment_method": "true",
    "receipt_show_paid_by": "true",
    # Public receipt page only (the WhatsApp receipt goes to the customer's own number): "Bu***i Sa***o".
    "receipt_mask_customer_name": "false",
    "receipt_footer_text": "Terima kasih telah berlangganan. Simpan nota ini sebagai bukti pembayaran yang sah.",
    "splash_logo_url": "",
    "splash_bg_color": "#3B82F6",
    "app_version": "0.1.0",
    # Retention in whole days ("0" keeps forever); shared/services/retention.py says what each one deletes.
    "retention_wa_logs_days": "180",
    "retention_wa_queue_days": "30",
    "retention_activity_days": "365",
    "retention_login_attempts_days": "30",
    "retention_refresh_tokens_days": "30",
    "retention_jobs_days": "7",
    # Waking hours (WIB, HH:MM, start < end): paced WhatsApp sends (reminders, bulk) go out only in between.
    "wa_send_window_start": "07:00",
    "wa_send_window_end": "21:00",
}
# The shortest send window accepted: less would starve the reminders (50 an hour per number).
WA_SEND_WINDOW_MIN_HOURS = 3

# The shortest window each retention key accepts, and why it cannot be shorter:
RETENTION_MIN_DAYS = {
    # Disputes ("the reminder never arrived") come up within a billing month or two.
    "retention_wa_logs_days": 30,
    # Reminders are queued up to 7 days before the due date and the daily run catches up 7 days back: a sent
    # reminder's row is what stops that invoice being reminded twice, so it must outlive both.
    "retention_wa_queue_days": 14,
    # The audit trail should cover at least a quarter; payment entries are never deleted at all.
    "retention_activity_days": 90,
    # Lockouts look back 15 minutes; a week is left to investigate a guessing attack.
    "retention_login_attempts_days": 7,
    # Counted after expiry (or revocation, if later): a token is useless by then, reuse detection included.
    "retention_refresh_tokens_days": 1,
    # A finished job's result (an export's link) is fetched within minutes.
    "retention_jobs_days": 1,
}
RETENTION_MAX_DAYS = 3650
