/** Display helpers for customer data (phones as operators read them, billing periods). */

/** `6281234567890` → `0812-3456-7890`, the way operators read numbers. */
export function formatPhone(phone: string): string {
  if (!/^62\d{8,13}$/.test(phone)) return phone;
  const local = `0${phone.slice(2)}`;
  return local.replace(/^(\d{4})(\d{4})(\d+)$/, "$1-$2-$3");
}

const monthYear = new Intl.DateTimeFormat("id-ID", { month: "long", year: "numeric", timeZone: "Asia/Jakarta" });

/** `2026-12` → `Desember 2026`. */
export function formatPeriod(period: string): string {
  return /^\d{4}-\d{2}$/.test(period) ? monthYear.format(new Date(`${period}-15T12:00:00+07:00`)) : period;
}
