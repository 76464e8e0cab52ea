import { createFileRoute } from "@tanstack/react-router";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/admin/packages")({
  staticData: { title: "Paket Internet" },
  component: () => <ComingSoon title="Paket Internet" />,
});
