const relative = new Intl.RelativeTimeFormat("id-ID", { numeric: "auto" });

/** ISO instant → "5 menit yang lalu", "kemarin", "baru saja" (Indonesian, relative to `now`). */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  if (Number.isNaN(seconds)) return "";
  if (Math.abs(seconds) < 60) return "baru saja";
  const minutes = seconds / 60;
  if (Math.abs(minutes) < 60) return relative.format(Math.round(minutes), "minute");
  const hours = minutes / 60;
  if (Math.abs(hours) < 24) return relative.format(Math.round(hours), "hour");
  const days = hours / 24;
  if (Math.abs(days) < 7) return relative.format(Math.round(days), "day");
  return relative.format(Math.round(days / 7), "week");
}
