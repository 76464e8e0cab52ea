/** The retention settings: labels, hints and how a number of days reads. The server validates; see README "Retensi data". */
import type { SettingKey } from "./queries";

export type RetentionKey = Extract<SettingKey, `retention_${string}`>;

export type RetentionField = { key: RetentionKey; label: string; hint: string; min: number };

// `min` mirrors RETENTION_MIN_DAYS in shared/services/settings_defaults.py (only for the input's hint and
// arrows; a smaller value still gets the server's field error).
export const RETENTION_FIELDS: RetentionField[] = [
  { key: "retention_wa_logs_days", label: "Log pesan WhatsApp", min: 30, hint: "Riwayat pesan terkirim dan gagal di halaman WhatsApp." },
  {
    key: "retention_wa_queue_days",
    label: "Antrian WhatsApp selesai",
    min: 14,
    hint: "Pesan terkirim, gagal atau dibatalkan. Pesan yang masih menunggu atau sedang dikirim tidak pernah dihapus.",
  },
  {
    key: "retention_activity_days",
    label: "Log aktivitas",
    min: 90,
    hint: "Jejak siapa mengubah apa. Catatan pembayaran (lunas/batal lunas), penghapusan pelanggan dan perubahan pengaturan disimpan selamanya.",
  },
  { key: "retention_login_attempts_days", label: "Percobaan login", min: 7, hint: "Untuk menelusuri tebakan kata sandi; penguncian akun hanya melihat 15 menit terakhir." },
  { key: "retention_refresh_tokens_days", label: "Sesi login berakhir", min: 1, hint: "Dihitung sejak sesi kedaluwarsa atau dicabut." },
  { key: "retention_jobs_days", label: "Riwayat tugas latar", min: 1, hint: "Pembuatan tagihan, impor dan ekspor yang sudah selesai." },
];

const decimal = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 });

/** "180" → "180 hari (± 6 bulan)", "0" → "Disimpan selamanya"; null for anything that is not whole days. */
export function retentionSummary(value: string): string | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const days = Number(value.trim());
  if (days === 0) return "Disimpan selamanya";
  if (days < 60) return `${days} hari`;
  if (days < 365) return `${days} hari (± ${Math.round(days / 30)} bulan)`;
  return `${days} hari (± ${decimal.format(days / 365)} tahun)`;
}
