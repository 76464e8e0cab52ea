import { createFileRoute } from "@tanstack/react-router";
import { UserRound } from "lucide-react";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/customers/$id")({
  staticData: { title: "Detail Pelanggan" },
  component: () => <ComingSoon title="Detail Pelanggan" icon={UserRound} />,
});
