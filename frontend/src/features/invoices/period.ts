/**
 * Months as `YYYY-MM` on the WIB calendar. The invoice list is browsed by due-date month (the
 * collection month); an invoice's `period` is the month it pays for, one month after (prepaid).
 */
import { TIME_ZONE } from "@/lib/format";

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthName = new Intl.DateTimeFormat("id-ID", { month: "long", year: "numeric", timeZone: "UTC" });

export function isMonth(value: unknown): value is string {
  return typeof value === "string" && MONTH_RE.test(value);
}

/** This month on the WIB calendar, e.g. `2026-11`. */
export function currentMonth(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", timeZone: TIME_ZONE }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get("year")}-${get("month")}`;
}

export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** `2026-12` → `Desember 2026`. */
export function formatMonth(month: string): string {
  if (!isMonth(month)) return month;
  const [y, m] = month.split("-").map(Number);
  return monthName.format(new Date(Date.UTC(y, m - 1, 15)));
}

/** `2026-12` → `Desember 2026 (pra-bayar)`: the month an invoice pays for. */
export function formatPeriod(period: string): string {
  return `${formatMonth(period)} (pra-bayar)`;
}

/** First and last calendar day of the month, for the API's `from`/`to` (due date). */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const dayMonth = new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "short", timeZone: TIME_ZONE });

/** `2026-11-10` or an instant → `10 Nov` (the month picker already says the year). */
export function formatDayMonth(value: string | null | undefined): string {
  if (!value) return "-";
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+07:00`) : new Date(value);
  return Number.isNaN(d.getTime()) ? "-" : dayMonth.format(d);
}

const todayParts = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: TIME_ZONE });

/** The "Jatuh tempo hari ini" preset: today's month and day on the WIB calendar (not the phone's, not UTC). */
export function dueToday(now: Date = new Date()): { month: string; day: number } {
  const [y, m, d] = todayParts.format(now).split("-");
  return { month: `${y}-${m}`, day: Number(d) };
}
