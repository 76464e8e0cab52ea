import { createFileRoute } from "@tanstack/react-router";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/admin/mitra")({
  staticData: { title: "Mitra" },
  component: () => <ComingSoon title="Mitra" />,
});
