import { createFileRoute } from "@tanstack/react-router";
import { FinancePage, type FinanceSearch } from "@/features/finance/FinancePage";

export const Route = createFileRoute("/_auth/finance/")({
  staticData: { title: "Keuangan" },
  validateSearch: (s: Record<string, unknown>): FinanceSearch => ({
    tab: s.tab === "year" || s.tab === "date" ? s.tab : undefined,
    year: typeof s.year === "number" && s.year >= 2000 && s.year <= 2100 ? s.year : undefined,
    date: typeof s.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s.date) ? s.date : undefined,
    status: s.status === "paid" || s.status === "unpaid" || s.status === "partial" ? s.status : undefined,
    page: typeof s.page === "number" && s.page > 1 ? Math.floor(s.page) : undefined,
    ownerId: typeof s.ownerId === "string" && s.ownerId ? s.ownerId : undefined,
  }),
  component: FinanceRoute,
});

function FinanceRoute() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return <FinancePage search={search} onSearch={(patch) => navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true })} />;
}
