import { X } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/**
 * "3 dipilih · Kirim WhatsApp · Kirim pengingat · Batal": sticky at the bottom of the list while rows are picked,
 * above the bottom navigation on a phone.
 */
export function SelectionBar({ count, onClear, children }: { count: number; onClear: () => void; children: ReactNode }) {
  if (count === 0) return null;
  return (
    <div
      role="region"
      aria-label="Aksi untuk yang dipilih"
      data-testid="selection-bar"
      className="bg-background/95 fixed inset-x-0 bottom-[calc(4rem+env(safe-area-inset-bottom))] z-40 border-t px-3 py-2 shadow-lg backdrop-blur md:sticky md:bottom-4 md:mt-4 md:rounded-xl md:border"
    >
      <div className="mx-auto flex max-w-[1440px] flex-wrap items-center gap-2">
        <span className="mr-auto text-sm font-medium tabular-nums" data-testid="selection-count">
          {count.toLocaleString("id-ID")} dipilih
        </span>
        {children}
        <Button variant="ghost" size="sm" onClick={onClear}>
          <X /> Batal
        </Button>
      </div>
    </div>
  );
}
