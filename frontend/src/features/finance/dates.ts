/** Calendar helpers on the WIB calendar (`YYYY-MM-DD`, `YYYY-MM`, years). */
import { TIME_ZONE } from "@/lib/format";

const ymd = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: TIME_ZONE });
const monthYear = new Intl.DateTimeFormat("id-ID", { month: "long", year: "numeric", timeZone: "UTC" });

export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Today in WIB as `YYYY-MM-DD`. */
export function todayWib(now: Date = new Date()): string {
  return ymd.format(now);
}

export function currentYear(now: Date = new Date()): number {
  return Number(todayWib(now).slice(0, 4));
}

/** This WIB month as `YYYY-MM`. */
export function currentMonth(now: Date = new Date()): string {
  return todayWib(now).slice(0, 7);
}

export function addDays(day: string, delta: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + delta)).toISOString().slice(0, 10);
}

export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** First and last day of a `YYYY-MM` month. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
}

/** `2026-11` → `November 2026`. */
export function formatMonth(month: string): string {
  if (!MONTH_RE.test(month)) return month;
  const [y, m] = month.split("-").map(Number);
  return monthYear.format(new Date(Date.UTC(y, m - 1, 15)));
}

/** The last `count` years up to this one, newest first (for year pickers). */
export function recentYears(count = 6, now: Date = new Date()): number[] {
  const y = currentYear(now);
  return Array.from({ length: count }, (_, i) => y + 1 - i);
}
