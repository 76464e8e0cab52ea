import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { errorWithHint, useDeleteCustomerMutation, useToggleIsolationMutation } from "./queries";
import type { Customer } from "./types";

/** Short vibration on important actions, where the device supports it (spec: haptic feedback). */
export function haptic() {
  try {
    navigator.vibrate?.(30);
  } catch {
    /* not supported */
  }
}

/**
 * Superadmin's isolate-toggle and delete confirmations. Returns the openers and the dialogs to
 * render once per page.
 */
export function useCustomerActionDialogs({ onDeleted }: { onDeleted?: (c: Customer) => void } = {}) {
  const [toIsolate, setToIsolate] = useState<Customer | null>(null);
  const [toDelete, setToDelete] = useState<Customer | null>(null);
  const isolate = useToggleIsolationMutation();
  const remove = useDeleteCustomerMutation();

  const isolating = toIsolate?.status !== "isolated";
  const dialogs = (
    <>
      <ConfirmDialog
        open={!!toIsolate}
        onOpenChange={(o) => !o && setToIsolate(null)}
        title={isolating ? "Isolir pelanggan ini?" : "Aktifkan kembali?"}
        description={
          toIsolate &&
          (isolating ? (
            <>
              Layanan <strong>{toIsolate.name}</strong> ({toIsolate.area}) akan diisolir. Pelanggan yang diisolir tidak
              mendapat tagihan dan pengingat.
            </>
          ) : (
            <>
              <strong>{toIsolate.name}</strong> akan diaktifkan kembali dan kembali mendapat tagihan bulanan.
            </>
          ))
        }
        confirmLabel={isolating ? "Isolir" : "Aktifkan"}
        destructive={isolating}
        onConfirm={async () => {
          haptic();
          try {
            const saved = await isolate.mutateAsync(toIsolate!.id);
            toast.success(saved.status === "isolated" ? `${saved.name} diisolir` : `${saved.name} diaktifkan kembali`);
          } catch (e) {
            throw new Error(errorWithHint(e));
          }
        }}
      />
      <ConfirmDialog
        open={!!toDelete}
        onOpenChange={(o) => !o && setToDelete(null)}
        title="Hapus pelanggan ini?"
        description={
          toDelete && (
            <>
              <strong>{toDelete.name}</strong> beserta tagihan yang belum dibayar akan dihapus permanen.
            </>
          )
        }
        confirmLabel="Hapus"
        destructive
        onConfirm={async () => {
          const customer = toDelete!;
          try {
            await remove.mutateAsync(customer.id);
          } catch (e) {
            throw new Error(errorWithHint(e));
          }
          toast.success(`${customer.name} dihapus`);
          onDeleted?.(customer);
        }}
      />
    </>
  );

  return { requestIsolate: setToIsolate, requestDelete: setToDelete, dialogs };
}
