import { createFileRoute } from "@tanstack/react-router";
import { WhatsAppPage } from "@/features/whatsapp/WhatsAppPage";

const TABS = ["koneksi", "kirim", "antrian", "log"];

export const Route = createFileRoute("/_auth/whatsapp")({
  staticData: { title: "WhatsApp" },
  // The tab lives in the URL so the dashboard and toasts can link straight to it.
  validateSearch: (raw: Record<string, unknown>): { tab?: "koneksi" | "kirim" | "antrian" | "log" } => ({
    tab: TABS.includes(raw.tab as string) ? (raw.tab as "koneksi" | "kirim" | "antrian" | "log") : undefined,
  }),
  component: WhatsAppPage,
});
