import { createFileRoute } from "@tanstack/react-router";
import { AdminFinancePage } from "@/features/finance/AdminFinancePage";

export const Route = createFileRoute("/_auth/admin/finance")({
  staticData: { title: "Keuangan Admin" },
  component: AdminFinancePage,
});
