import { createFileRoute } from "@tanstack/react-router";
import { Settings } from "lucide-react";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/admin/settings")({
  staticData: { title: "Pengaturan" },
  component: () => <ComingSoon title="Pengaturan" icon={Settings} />,
});
