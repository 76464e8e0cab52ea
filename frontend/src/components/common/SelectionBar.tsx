import { X } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/**
 * "3 dipilih · Kirim WhatsApp · Kirim pengingat · Batal": sticky at the bottom of the list while rows are picked,
 * above the bottom navigation on a phone.
 */
export function SelectionBar({
  count,
  onClear,
  children,
}: {
  count: number;
  onClear: () => void;
  children: ReactNode;
}) {
  if (count === 0) return null;
  return (
    <>
      {/* Room below the list on a phone, so the fixed bar never covers the last card. */}
      <div className="h-24 md:hidden" aria-hidden />
      <div
        role="region"
        aria-label="Aksi untuk yang dipilih"
        data-testid="selection-bar"
        className="bg-background/95 fixed inset-x-0 bottom-[calc(4rem+env(safe-area-inset-bottom))] z-40 border-t px-3 py-2 shadow-lg backdrop-blur md:sticky md:bottom-4 md:mt-4 md:rounded-xl md:border"
      >
        {/* Phone: "3 dipilih … Batal" above the two actions side by side; desktop: one row. */}
        <div className="mx-auto flex max-w-[1440px] flex-wrap items-center gap-2">
          <span
            className="mr-auto text-sm font-medium tabular-nums"
            data-testid="selection-count"
          >
            {count.toLocaleString("id-ID")} dipilih
          </span>
          <div className="order-3 flex w-full gap-2 md:order-2 md:w-auto [&>*]:flex-1 md:[&>*]:flex-none">
            {children}
          </div>
          <Button
            variant="ghost"
            size="sm"
            className="order-2 md:order-3"
            onClick={onClear}
          >
            <X /> Batal
          </Button>
        </div>
      </div>
    </>
  );
}
