/** Indonesian words for WhatsApp states, and the small rules the screens share. */
import type { WaLogStatus, WaMessageType, WaQueueStatus, WaSessionStatus, WaStatus } from "./types";

export type Tone = "success" | "info" | "warning" | "danger" | "muted";

export const TONE_CLASSES: Record<Tone, string> = {
  success: "bg-accent/15 text-accent dark:text-green-400",
  info: "bg-primary/15 text-primary",
  warning: "bg-warning/15 text-amber-700 dark:text-amber-400",
  danger: "bg-destructive/15 text-destructive dark:text-red-400",
  muted: "bg-muted text-muted-foreground",
};

export const SESSION_STATUS: Record<WaSessionStatus, { label: string; tone: Tone; hint: string }> = {
  connected: { label: "Terhubung", tone: "success", hint: "Pesan dikirim dari nomor ini." },
  connecting: { label: "Menghubungkan", tone: "info", hint: "Scan QR dengan WhatsApp di HP Anda." },
  disconnected: { label: "Terputus", tone: "muted", hint: "Hubungkan WhatsApp agar pesan bisa dikirim." },
  logged_out: {
    label: "Keluar dari perangkat",
    tone: "danger",
    hint: "Perangkat ini dilepas dari HP. Scan ulang QR untuk menghubungkan kembali.",
  },
  banned: {
    label: "Diblokir sementara",
    tone: "danger",
    hint: "WhatsApp memblokir nomor ini sementara. Pengiriman dihentikan sampai blokir berakhir.",
  },
  outdated: {
    label: "Versi usang",
    tone: "warning",
    hint: "WhatsApp menolak versi klien ini. Hubungi admin untuk memperbarui server.",
  },
};

export const MESSAGE_TYPE_LABELS: Record<WaMessageType, string> = {
  reminder: "Pengingat",
  receipt: "Nota",
  isolation: "Isolir",
  reactivation: "Aktif kembali",
  manual: "Manual",
  custom: "Massal",
  test: "Tes",
};

export const QUEUE_STATUS: Record<WaQueueStatus, { label: string; tone: Tone }> = {
  pending: { label: "Menunggu", tone: "muted" },
  sending: { label: "Mengirim", tone: "info" },
  sent: { label: "Terkirim", tone: "success" },
  failed: { label: "Gagal", tone: "danger" },
  cancelled: { label: "Dibatalkan", tone: "muted" },
};

// `sent` = handed to WhatsApp (neonize); `delivered` = recorded as delivered (the simulator does).
export const LOG_STATUS: Record<WaLogStatus, { label: string; tone: Tone }> = {
  sent: { label: "Dikirim", tone: "info" },
  delivered: { label: "Terkirim", tone: "success" },
  failed: { label: "Gagal", tone: "danger" },
};

export function labelOf<K extends string>(map: Record<K, { label: string }>, key: string): string {
  return (map as Record<string, { label: string } | undefined>)[key]?.label ?? key;
}

export function toneOf<K extends string>(map: Record<K, { tone: Tone }>, key: string): Tone {
  return (map as Record<string, { tone: Tone } | undefined>)[key]?.tone ?? "muted";
}

/** Failures in 24 hours from which the dashboard and the queue warn. */
export const FAILURE_ALERT_THRESHOLD = 5;

/** `worker`: the server's WA worker is down, which no button on this screen can fix. */
export type WaAlert = { level: "danger" | "warning"; title: string; description: string; rescan: boolean; worker?: boolean };

/**
 * What the dashboard should say about WhatsApp, if anything: a stopped WA worker (from GET /api/health) first,
 * then a lost session, then piling failures.
 */
export function waAlert(
  status: Pick<WaStatus, "status" | "reason" | "lastConnectedAt"> | undefined,
  failedLast24h = 0,
  workerDown = false,
): WaAlert | null {
  if (workerDown) {
    return {
      level: "danger",
      title: "WA worker tidak berjalan",
      description: "Nota, pengingat dan pesan lain menunggu sampai worker aktif kembali. Hubungi admin server.",
      rescan: false,
      worker: true,
    };
  }
  if (status) {
    const reason = status.reason ? ` ${status.reason}` : "";
    switch (status.status) {
      case "logged_out":
        return { level: "danger", title: "WhatsApp keluar dari perangkat", description: `Scan ulang QR agar nota dan pengingat terkirim.${reason}`, rescan: true };
      case "banned":
        return { level: "danger", title: "WhatsApp diblokir sementara", description: `Pengiriman dihentikan.${reason}`, rescan: true };
      case "outdated":
        return { level: "danger", title: "Versi WhatsApp usang", description: "WhatsApp menolak versi klien ini; scan ulang setelah server diperbarui.", rescan: true };
      case "disconnected":
        // Never connected is a setup step, not an alarm; a session that worked and dropped is.
        if (status.lastConnectedAt) {
          return { level: "danger", title: "Sesi WhatsApp terputus", description: `Nota dan pengingat tidak terkirim sampai terhubung lagi.${reason}`, rescan: true };
        }
        break;
      default:
        break;
    }
  }
  if (failedLast24h >= FAILURE_ALERT_THRESHOLD) {
    return {
      level: "warning",
      title: `${failedLast24h.toLocaleString("id-ID")} pesan WhatsApp gagal dalam 24 jam`,
      description: "Periksa log dan antrian, lalu kirim ulang bila perlu.",
      rescan: false,
    };
  }
  return null;
}

/** The bulk preview sample: `{nama}` becomes the first recipient's name. */
export function fillName(template: string, name: string): string {
  return template.replaceAll("{nama}", name);
}

/** Digits (and a leading plus) of a typed phone number; the API normalises the rest. */
export function cleanPhoneInput(text: string): string {
  return text.replace(/[^\d+]/g, "");
}

/** Paced sends are paused (463 refusal, temporary ban) until a moment still in the future. */
export function isPaused(status: Pick<WaStatus, "pausedUntil"> | undefined, now: Date = new Date()): boolean {
  if (!status?.pausedUntil) return false;
  const until = new Date(status.pausedUntil);
  return !Number.isNaN(until.getTime()) && until.getTime() > now.getTime();
}
