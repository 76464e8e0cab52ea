import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { BulkSendForm } from "./BulkSendForm";
import { ManualSendForm } from "./ManualSendForm";
import { NotConnectedNotice } from "./NotConnectedNotice";
import type { WaStatus } from "./types";

export function SendTab({ status, onGoToConnect }: { status: WaStatus | undefined; onGoToConnect: () => void }) {
  return (
    <div className="space-y-4">
      {status && status.status !== "connected" && <NotConnectedNotice onGoToConnect={onGoToConnect} />}
      <div className="grid items-start gap-4 lg:grid-cols-2">
        <Card className="gap-4">
          <CardHeader>
            <CardTitle>Kirim ke satu pelanggan</CardTitle>
            <CardDescription>Langsung dikirim, tanpa antrian.</CardDescription>
          </CardHeader>
          <CardContent>
            <ManualSendForm onGoToConnect={onGoToConnect} />
          </CardContent>
        </Card>
        <Card className="gap-4">
          <CardHeader>
            <CardTitle>Kirim massal</CardTitle>
            <CardDescription>Masuk antrian dan dikirim bertahap agar nomor Anda aman.</CardDescription>
          </CardHeader>
          <CardContent>
            <BulkSendForm onGoToConnect={onGoToConnect} />
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
