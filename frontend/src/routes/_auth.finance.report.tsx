import { createFileRoute } from "@tanstack/react-router";
import { FileSpreadsheet } from "lucide-react";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/finance/report")({
  staticData: { title: "Rekapan Keuangan" },
  component: () => <ComingSoon title="Rekapan Keuangan" icon={FileSpreadsheet} />,
});
