import { createFileRoute } from "@tanstack/react-router";
import { MessageCircle } from "lucide-react";
import { ComingSoon } from "@/components/common/ComingSoon";

export const Route = createFileRoute("/_auth/whatsapp")({
  staticData: { title: "WhatsApp" },
  component: () => <ComingSoon title="WhatsApp" icon={MessageCircle} />,
});
