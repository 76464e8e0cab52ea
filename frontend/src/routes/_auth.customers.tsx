import { createFileRoute, Link, Outlet, useMatch, useRouterState } from "@tanstack/react-router";
import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CustomersPage } from "@/features/customers/CustomersPage";
import { customersLayout, validateCustomerSearch } from "@/features/customers/panel";
import { useIsMobile } from "@/hooks/use-is-mobile";

/**
 * `/customers` and `/customers/$id`. The list is rendered here (not by the index route) so that on a desktop it
 * stays mounted, with its selection and scroll, while a customer opens in the side panel beside it
 * (spec "Perbedaan Tampilan": Detail = side panel on desktop, full screen page on mobile).
 */
export const Route = createFileRoute("/_auth/customers")({
  validateSearch: validateCustomerSearch,
  component: CustomersLayoutRoute,
});

function CustomersLayoutRoute() {
  const isMobile = useIsMobile();
  const detail = useMatch({ from: "/_auth/customers/$id", shouldThrow: false });
  const fromList = useRouterState({ select: (s) => !!s.location.state.customerPanel });
  const layout = customersLayout({ detailOpen: !!detail, isMobile, fromList });
  const search = Route.useSearch();

  return (
    <div className={layout === "panel" ? "grid grid-cols-[minmax(0,1fr)_minmax(26rem,44%)] items-start gap-4" : undefined} data-layout={layout}>
      {/* Always the first child, so opening the panel does not remount the list. */}
      {layout !== "detail" ? <CustomersPage panelId={layout === "panel" ? detail?.params.id : undefined} /> : null}
      {layout === "panel" ? (
        <aside
          aria-label="Detail pelanggan"
          data-testid="customer-panel"
          data-customer-panel
          className="bg-background sticky top-20 max-h-[calc(100dvh-6rem)] overflow-y-auto rounded-xl border p-4 shadow-sm"
        >
          <div className="float-right -mt-1 -mr-1">
            <Button asChild variant="ghost" size="icon" aria-label="Tutup panel">
              <Link to="/customers" search={search}>
                <X />
              </Link>
            </Button>
          </div>
          <Outlet />
        </aside>
      ) : layout === "detail" ? (
        <Outlet />
      ) : null}
    </div>
  );
}
