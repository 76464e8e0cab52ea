import { createFileRoute } from "@tanstack/react-router";
import { Wallet } from "lucide-react";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/finance/")({
  staticData: { title: "Keuangan" },
  component: () => <ComingSoon title="Keuangan" icon={Wallet} />,
});
