import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { PageHeader } from "@/components/common/PageHeader";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { SessionStatusBadge, SimulatorBadge } from "./badges";
import { ConnectionTab } from "./ConnectionTab";
import { LogTab } from "./LogTab";
import { waStatusQueryOptions } from "./queries";
import { QueueTab } from "./QueueTab";
import { SendTab } from "./SendTab";
import { useWaLive } from "./socket";

export const WA_TABS = ["koneksi", "kirim", "antrian", "log"] as const;
export type WaTab = (typeof WA_TABS)[number];
const TAB_LABELS: Record<WaTab, string> = { koneksi: "Koneksi", kirim: "Kirim Pesan", antrian: "Antrian", log: "Log" };

/** `/whatsapp`: the number's connection, manual and bulk sends, the outbox and the log. */
export function WhatsAppPage() {
  const live = useWaLive();
  const status = useQuery(waStatusQueryOptions());
  const { tab = "koneksi" } = useSearch({ from: "/_auth/whatsapp" });
  const navigate = useNavigate({ from: "/whatsapp" });
  const setTab = (t: WaTab) => navigate({ search: { tab: t === "koneksi" ? undefined : t }, replace: true });

  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        title="WhatsApp"
        actions={
          <span className="flex flex-wrap items-center gap-2">
            {status.data && <SessionStatusBadge status={status.data.status} />}
            <SimulatorBadge transport={status.data?.transport} />
          </span>
        }
        description="Nota, pengingat dan pesan ke pelanggan dari nomor WhatsApp Anda."
      />
      <Tabs value={tab} onValueChange={(v) => setTab(v as WaTab)}>
        <TabsList className="mb-2 grid w-full grid-cols-4 md:inline-flex md:w-auto">
          {WA_TABS.map((t) => (
            <TabsTrigger key={t} value={t} data-testid={`wa-tab-${t}`}>
              {t === "kirim" ? (
                <>
                  <span className="sm:hidden">Kirim</span>
                  <span className="hidden sm:inline">{TAB_LABELS[t]}</span>
                </>
              ) : (
                TAB_LABELS[t]
              )}
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value="koneksi">
          <ConnectionTab status={status.data} loading={status.isPending} error={status.error} live={live} />
        </TabsContent>
        <TabsContent value="kirim">
          <SendTab status={status.data} onGoToConnect={() => setTab("koneksi")} />
        </TabsContent>
        <TabsContent value="antrian">
          <QueueTab />
        </TabsContent>
        <TabsContent value="log">
          <LogTab />
        </TabsContent>
      </Tabs>
    </div>
  );
}
