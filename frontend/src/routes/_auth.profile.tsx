import { createFileRoute } from "@tanstack/react-router";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/profile")({
  staticData: { title: "Profil" },
  component: () => <ComingSoon title="Profil" />,
});
