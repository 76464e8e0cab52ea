/** Follow a direct send until the WA worker has sent it or given up. */
import type { WaQueueItem } from "./types";

export type Outcome = { status: "sent" | "failed" | "cancelled" | "timeout"; item: WaQueueItem | null };

export async function pollQueueOutcome(
  fetchItem: (id: string) => Promise<WaQueueItem>,
  id: string,
  { intervalMs = 1_500, timeoutMs = 60_000, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)) } = {},
): Promise<Outcome> {
  const deadline = Date.now() + timeoutMs;
  let last: WaQueueItem | null = null;
  for (;;) {
    try {
      last = await fetchItem(id);
      if (last.status === "sent" || last.status === "failed" || last.status === "cancelled") {
        return { status: last.status, item: last };
      }
    } catch {
      /* a blip in the poll is not the send's outcome: keep asking until the deadline */
    }
    if (Date.now() + intervalMs > deadline) return { status: "timeout", item: last };
    await sleep(intervalMs);
  }
}
