import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type {
  WaBulkResult,
  WaLogPage,
  WaLogQuery,
  WaNumberCheck,
  WaPreview,
  WaQr,
  WaQueued,
  WaQueueItem,
  WaQueuePage,
  WaQueueQuery,
  WaBulkFilter,
  WaSendBulk,
  WaSender,
  WaSendManual,
  WaSendOptions,
  WaStatus,
} from "./types";

export const waKeys = {
  all: ["wa"] as const,
  status: ["wa", "status"] as const,
  qr: ["wa", "qr"] as const,
  queue: (q: WaQueueQuery) => ["wa", "queue", q] as const,
  queueItem: (id: string) => ["wa", "queue-item", id] as const,
  logs: (q: WaLogQuery) => ["wa", "logs", q] as const,
  sendOptions: (customerId: string, invoiceId?: string) => ["wa", "send-options", customerId, invoiceId ?? null] as const,
  senders: (target: WaSendTarget) => ["wa", "senders", target] as const,
};

/** Whom a bulk send reaches: picked customers or the send-bulk filter. */
export type WaSendTarget = { customerIds: string[] } | { filter: WaBulkFilter };

export const waStatusQueryOptions = () =>
  queryOptions({
    queryKey: waKeys.status,
    queryFn: async () => (await unwrap(api.GET("/api/wa/status"))) as WaStatus,
    // Socket.IO pushes changes; the interval catches a lost socket. A dead WA worker is GET /api/health's to say.
    refetchInterval: 30_000,
  });

/** The polling fallback for the QR while connecting (Socket.IO `wa:qr` fills the same cache entry). */
export const waQrQueryOptions = (enabled: boolean) =>
  queryOptions({
    queryKey: waKeys.qr,
    queryFn: async () => (await unwrap(api.GET("/api/wa/qr"))) as WaQr,
    enabled,
    refetchInterval: enabled ? 3_000 : false,
  });

export const waQueueQueryOptions = (q: WaQueueQuery) =>
  queryOptions({
    queryKey: waKeys.queue(q),
    queryFn: async () => (await unwrap(api.GET("/api/wa/queue", { params: { query: q } }))) as WaQueuePage,
    placeholderData: keepPreviousData,
    refetchInterval: 20_000,
  });

export const waLogsQueryOptions = (q: WaLogQuery) =>
  queryOptions({
    queryKey: waKeys.logs(q),
    queryFn: async () => (await unwrap(api.GET("/api/wa/logs", { params: { query: q } }))) as WaLogPage,
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });

/** One customer's last messages (their WhatsApp history), from whichever number sent them. */
export const waCustomerLogsQueryOptions = (customerId: string, perPage = 10) =>
  waLogsQueryOptions({ customerId, page: 1, perPage });

/** Before a manual send: the sender (connected?), which templates fit the customer, the default one. */
export const waSendOptionsQueryOptions = (customerId: string, invoiceId?: string) =>
  queryOptions({
    queryKey: waKeys.sendOptions(customerId, invoiceId),
    queryFn: async () =>
      (await unwrap(
        api.GET("/api/wa/customers/{customer_id}/send-options", {
          params: { path: { customer_id: customerId }, query: invoiceId ? { invoiceId } : {} },
        }),
      )) as WaSendOptions,
    refetchInterval: 30_000,
  });

/** Before a bulk send: the numbers it goes out from, each with its customer count. */
export const waSendersQueryOptions = (target: WaSendTarget) =>
  queryOptions({
    queryKey: waKeys.senders(target),
    queryFn: async () => ((await unwrap(api.POST("/api/wa/senders", { body: target }))).items ?? []) as WaSender[],
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });

export const fetchQueueItem = async (id: string) =>
  (await unwrap(api.GET("/api/wa/queue/{queue_id}", { params: { path: { queue_id: id } } }))) as WaQueueItem;

function useSetStatus() {
  const queryClient = useQueryClient();
  return (status: WaStatus) => {
    queryClient.setQueryData(waKeys.status, status);
    queryClient.invalidateQueries({ queryKey: waKeys.qr });
  };
}

export function useConnectMutation() {
  const setStatus = useSetStatus();
  return useMutation({
    mutationFn: async () => (await unwrap(api.POST("/api/wa/connect"))) as WaStatus,
    onSuccess: setStatus,
  });
}

export function useDisconnectMutation() {
  const setStatus = useSetStatus();
  return useMutation({
    mutationFn: async () => (await unwrap(api.POST("/api/wa/disconnect"))) as WaStatus,
    onSuccess: setStatus,
  });
}

export function useSimulateScanMutation() {
  return useMutation({ mutationFn: () => unwrap(api.POST("/api/wa/simulator/scan")) });
}

export function useCheckNumberMutation() {
  return useMutation({
    mutationFn: async (phone: string) => (await unwrap(api.POST("/api/wa/check-number", { body: { phone } }))) as WaNumberCheck,
  });
}

function useInvalidateWa() {
  const queryClient = useQueryClient();
  return () => {
    queryClient.invalidateQueries({ queryKey: ["wa", "queue"] });
    queryClient.invalidateQueries({ queryKey: ["wa", "logs"] });
  };
}

export function useSendTestMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: async (body: { phone: string; message?: string }) =>
      (await unwrap(api.POST("/api/wa/send-test", { body }))) as WaQueued,
    onSettled: invalidate,
  });
}

export function usePreviewMutation() {
  return useMutation({
    mutationFn: async (body: WaSendManual) => (await unwrap(api.POST("/api/wa/preview", { body }))) as WaPreview,
  });
}

export function useSendManualMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: async (body: WaSendManual) => (await unwrap(api.POST("/api/wa/send-manual", { body }))) as WaQueued,
    onSettled: invalidate,
  });
}

export function useSendBulkMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: async (body: WaSendBulk) => (await unwrap(api.POST("/api/wa/send-bulk", { body }))) as WaBulkResult,
    onSettled: invalidate,
  });
}

export function useResendInvoiceMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: async ({ invoiceId, kind }: { invoiceId: string; kind: "receipt" | "reminder" }) =>
      (await unwrap(
        api.POST("/api/wa/invoices/{invoice_id}/resend", { params: { path: { invoice_id: invoiceId } }, body: { kind } }),
      )) as WaQueued,
    onSettled: invalidate,
  });
}

export function useRetryQueueMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: async (id: string) =>
      (await unwrap(api.POST("/api/wa/queue/{queue_id}/retry", { params: { path: { queue_id: id } } }))) as WaQueueItem,
    onSettled: invalidate,
  });
}

export function useCancelQueueMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/wa/queue/{queue_id}", { params: { path: { queue_id: id } } })),
    onSettled: invalidate,
  });
}
