/** Display formatting for Indonesian users: Rupiah, dates in Bahasa Indonesia, times in WIB. */

export const TIME_ZONE = "Asia/Jakarta";

const rupiah = new Intl.NumberFormat("id-ID", {
  style: "currency",
  currency: "IDR",
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});
const plainNumber = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });
const longDate = new Intl.DateTimeFormat("id-ID", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: TIME_ZONE,
});
const shortDate = new Intl.DateTimeFormat("id-ID", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: TIME_ZONE,
});
const time = new Intl.DateTimeFormat("id-ID", {
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
  timeZone: TIME_ZONE,
});

/** The no-break space between "Rp" and the number: an amount never wraps as `Rp` / `92.500`. */
export const MONEY_SPACE = "\u00a0";

/**
 * `100000` → `Rp 100.000`, the space a no-break space (U+00A0), so a narrow card or table cell never
 * breaks the amount in two. ICU versions differ (a plain, narrow no-break or no space at all), so
 * the separator is set here rather than trusted from Intl.
 */
export function formatRupiah(amount: number | null | undefined): string {
  if (amount == null || Number.isNaN(amount)) return "-";
  return rupiah.format(Math.round(amount)).replace(/Rp[\s\u00a0\u202f]*/, `Rp${MONEY_SPACE}`);
}

/** `100000` → `100.000` (for inputs that already show an "Rp" prefix). */
export function formatNumber(value: number | null | undefined): string {
  if (value == null || Number.isNaN(value)) return "";
  return plainNumber.format(Math.round(value));
}

/**
 * A list's total as the API counts it: exact (`1.234`), or the cap when there are more (`10.000+`,
 * `totalCapped` — the server stops counting at 10 000 rows).
 */
export function formatTotal(total: number, capped?: boolean): string {
  return `${plainNumber.format(Math.round(total))}${capped ? "+" : ""}`;
}

/** Digits only: `"Rp 1.250.000"` → `1250000`; empty input → `null`. */
export function parseRupiah(text: string): number | null {
  const digits = text.replace(/\D/g, "");
  return digits ? Number.parseInt(digits, 10) : null;
}

function toDate(value: string | Date): Date | null {
  // Bare `YYYY-MM-DD` is a calendar date, not an instant: pin it to WIB noon so no zone shifts the day.
  const d =
    typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T12:00:00+07:00`)
      : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `2026-11-24` or an ISO instant → `24 November 2026` (WIB calendar day). */
export function formatDate(value: string | Date | null | undefined): string {
  const d = value == null ? null : toDate(value);
  return d ? longDate.format(d) : "-";
}

/** → `24 Nov 2026`. */
export function formatDateShort(value: string | Date | null | undefined): string {
  const d = value == null ? null : toDate(value);
  return d ? shortDate.format(d) : "-";
}

/** ISO instant → `14:05 WIB`. */
export function formatTime(value: string | Date | null | undefined): string {
  const d = value == null ? null : toDate(value);
  return d ? `${time.format(d).replace(".", ":")} WIB` : "-";
}

/** ISO instant → `24 November 2026, 14:05 WIB`. */
export function formatDateTime(value: string | Date | null | undefined): string {
  const d = value == null ? null : toDate(value);
  return d ? `${longDate.format(d)}, ${formatTime(d)}` : "-";
}

/** Stored `6281234567890` → `0812-3456-7890` (how Indonesians write numbers); other input unchanged. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return "-";
  const digits = phone.replace(/\D/g, "");
  if (!/^62\d{8,13}$/.test(digits)) return phone;
  const local = `0${digits.slice(2)}`;
  return [local.slice(0, 4), local.slice(4, 8), local.slice(8)].filter(Boolean).join("-");
}
