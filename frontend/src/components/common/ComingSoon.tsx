import { Construction, type LucideIcon } from "lucide-react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "./EmptyState";
import { PageHeader } from "./PageHeader";

/** Placeholder page for features that arrive in later phases. */
export function ComingSoon({ title, icon = Construction, description }: { title: string; icon?: LucideIcon; description?: string }) {
  return (
    <>
      <PageHeader title={title} />
      <Card className="overflow-hidden py-0">
        <EmptyState
          icon={icon}
          title="Segera hadir"
          description={description ?? "Halaman ini sedang disiapkan dan akan tersedia pada pembaruan berikutnya."}
        />
      </Card>
    </>
  );
}
