import { createFileRoute } from "@tanstack/react-router";
import { ReceiptPage } from "@/features/receipt/ReceiptPage";

/** Public payment receipt (no login), opened from the link sent to the customer. */
export const Route = createFileRoute("/receipt/$token")({
  component: ReceiptPage,
});
