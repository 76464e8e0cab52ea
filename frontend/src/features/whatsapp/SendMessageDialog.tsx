import { ResponsiveDialog } from "@/components/common/ResponsiveDialog";
import type { PickedCustomer } from "./CustomerPicker";
import { ManualSendForm } from "./ManualSendForm";

/** "Kirim Pesan WA" from a customer's page: the manual send with the customer fixed. */
export function SendMessageDialog({
  customer,
  open,
  onOpenChange,
}: {
  customer: PickedCustomer;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <ResponsiveDialog open={open} onOpenChange={onOpenChange} title="Kirim Pesan WA" description={`Ke ${customer.name}`} className="sm:max-w-lg">
      {open && <ManualSendForm customer={customer} onSent={() => onOpenChange(false)} />}
    </ResponsiveDialog>
  );
}
