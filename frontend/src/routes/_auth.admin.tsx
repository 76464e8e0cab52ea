import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";

/** Superadmin-only section; the server enforces the same rule, this only keeps mitra out of dead pages. */
export const Route = createFileRoute("/_auth/admin")({
  beforeLoad: ({ context }) => {
    if (context.user.role !== "superadmin") throw redirect({ to: "/" });
  },
  component: Outlet,
});
