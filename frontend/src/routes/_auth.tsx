import { createFileRoute, redirect } from "@tanstack/react-router";
import { useSuspenseQuery } from "@tanstack/react-query";
import { AppLayout } from "@/components/layout/AppLayout";
import { loadCurrentUser, meQueryOptions } from "@/features/auth/queries";

/** Every page behind login. The one auth guard of the app lives here. */
export const Route = createFileRoute("/_auth")({
  beforeLoad: async ({ context, location }) => {
    const user = await loadCurrentUser(context.queryClient);
    if (!user) {
      throw redirect({ to: "/login", search: { redirect: location.href } });
    }
    return { user };
  },
  component: AuthLayout,
});

function AuthLayout() {
  // Subscribing keeps the header in sync after a profile edit.
  const { data: user } = useSuspenseQuery(meQueryOptions());
  return <AppLayout user={user} />;
}
