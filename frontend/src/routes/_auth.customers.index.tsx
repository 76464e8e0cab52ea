import { createFileRoute } from "@tanstack/react-router";

/** The list itself is rendered by the `/customers` layout route (it stays beside the desktop side panel). */
export const Route = createFileRoute("/_auth/customers/")({
  staticData: { title: "Pelanggan" },
  component: () => null,
});
