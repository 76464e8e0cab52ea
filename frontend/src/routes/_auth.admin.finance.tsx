import { createFileRoute } from "@tanstack/react-router";
import { Landmark } from "lucide-react";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/admin/finance")({
  staticData: { title: "Keuangan Admin" },
  component: () => <ComingSoon title="Keuangan Admin" icon={Landmark} />,
});
