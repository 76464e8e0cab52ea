import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { meQueryOptions } from "@/features/auth/queries";
import { CustomerDetail } from "@/features/customers/CustomerDetail";
import { customerQueryOptions } from "@/features/customers/queries";

export const Route = createFileRoute("/_auth/customers/$id")({
  staticData: { title: "Detail Pelanggan" },
  // Start the fetch during navigation; the page renders its own skeleton and 404 state.
  loader: ({ context, params }) => {
    context.queryClient.prefetchQuery(customerQueryOptions(params.id));
  },
  component: CustomerPage,
});

function CustomerPage() {
  const { id } = Route.useParams();
  const { data: me } = useSuspenseQuery(meQueryOptions());
  return <CustomerDetail key={id} id={id} me={me} />;
}
