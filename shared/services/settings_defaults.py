"""The spec's settings keys and their defaults (the initial migration inserts the same set)."""

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
    "receipt_footer_text": "Terima kasih telah berlangganan. Simpan nota ini sebagai bukti pembayaran yang sah.",
    "splash_logo_url": "",
    "splash_bg_color": "#3B82F6",
    "app_version": "0.1.0",
}
