import { describe, expect, it } from "vitest";
import { pollQueueOutcome } from "./outcome";
import type { WaQueueItem } from "./types";

const item = (status: WaQueueItem["status"]): WaQueueItem => ({
  id: "q1", customerId: null, invoiceId: null, messageType: "manual", phone: "6281", content: "x", status,
  kind: "direct", retryCount: 0, maxRetries: 3, scheduledAt: "2026-01-01T00:00:00Z", sentAt: null, errorMessage: null,
});

describe("pollQueueOutcome", () => {
  it("asks again while pending or sending and stops at sent", async () => {
    const answers = [item("pending"), item("sending"), item("sent")];
    const asked: string[] = [];
    const result = await pollQueueOutcome(async (id) => (asked.push(id), answers.shift()!), "q1", { sleep: async () => {} });
    expect(result.status).toBe("sent");
    expect(asked).toEqual(["q1", "q1", "q1"]);
  });

  it("reports a failure with the worker's reason", async () => {
    const failed = { ...item("failed"), errorMessage: "Nomor tidak terdaftar di WhatsApp" };
    const result = await pollQueueOutcome(async () => failed, "q1", { sleep: async () => {} });
    expect(result).toEqual({ status: "failed", item: failed });
  });

  it("survives a failed poll and gives up at the deadline", async () => {
    let calls = 0;
    const result = await pollQueueOutcome(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error("offline");
        return item("pending");
      },
      "q1",
      { intervalMs: 10, timeoutMs: 35 },
    );
    expect(result.status).toBe("timeout");
    expect(result.item?.status).toBe("pending");
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
