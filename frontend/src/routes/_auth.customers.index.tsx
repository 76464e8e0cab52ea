import { createFileRoute } from "@tanstack/react-router";
import { Users } from "lucide-react";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/customers/")({
  staticData: { title: "Pelanggan" },
  component: () => <ComingSoon title="Pelanggan" icon={Users} />,
});
