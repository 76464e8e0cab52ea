import { createFileRoute } from "@tanstack/react-router";
import { ReportPage } from "@/features/finance/ReportPage";

export const Route = createFileRoute("/_auth/finance/report")({
  staticData: { title: "Rekapan Keuangan" },
  component: ReportPage,
});
