import { createFileRoute } from "@tanstack/react-router";
import { Receipt } from "lucide-react";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/invoices")({
  staticData: { title: "Tagihan" },
  component: () => <ComingSoon title="Tagihan" icon={Receipt} />,
});
