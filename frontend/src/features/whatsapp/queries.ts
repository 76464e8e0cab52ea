import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { waRequest } from "./http";
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
  WaSendBulk,
  WaSendManual,
  WaStatus,
} from "./types";

export const waKeys = {
  all: ["wa"] as const,
  status: ["wa", "status"] as const,
  qr: ["wa", "qr"] as const,
  queue: (q: WaQueueQuery) => ["wa", "queue", q] as const,
  queueItem: (id: string) => ["wa", "queue-item", id] as const,
  logs: (q: WaLogQuery) => ["wa", "logs", q] as const,
};

export const waStatusQueryOptions = () =>
  queryOptions({
    queryKey: waKeys.status,
    queryFn: () => waRequest<WaStatus>("GET", "/status"),
    // Socket.IO pushes changes; the interval catches a worker that died (workerAlive) and a lost socket.
    refetchInterval: 30_000,
  });

/** The polling fallback for the QR while connecting (Socket.IO `wa:qr` fills the same cache entry). */
export const waQrQueryOptions = (enabled: boolean) =>
  queryOptions({
    queryKey: waKeys.qr,
    queryFn: () => waRequest<WaQr>("GET", "/qr"),
    enabled,
    refetchInterval: enabled ? 3_000 : false,
  });

export const waQueueQueryOptions = (q: WaQueueQuery) =>
  queryOptions({
    queryKey: waKeys.queue(q),
    queryFn: () => waRequest<WaQueuePage>("GET", "/queue", { query: q }),
    placeholderData: keepPreviousData,
    refetchInterval: 20_000,
  });

export const waLogsQueryOptions = (q: WaLogQuery) =>
  queryOptions({
    queryKey: waKeys.logs(q),
    queryFn: () => waRequest<WaLogPage>("GET", "/logs", { query: q }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });

export const fetchQueueItem = (id: string) => waRequest<WaQueueItem>("GET", `/queue/${id}`);

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
    mutationFn: () => waRequest<WaStatus>("POST", "/connect"),
    onSuccess: setStatus,
  });
}

export function useDisconnectMutation() {
  const setStatus = useSetStatus();
  return useMutation({
    mutationFn: () => waRequest<WaStatus>("POST", "/disconnect"),
    onSuccess: setStatus,
  });
}

export function useSimulateScanMutation() {
  return useMutation({ mutationFn: () => waRequest<unknown>("POST", "/simulator/scan") });
}

export function useCheckNumberMutation() {
  return useMutation({ mutationFn: (phone: string) => waRequest<WaNumberCheck>("POST", "/check-number", { body: { phone } }) });
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
    mutationFn: (body: { phone: string; message?: string }) => waRequest<WaQueued>("POST", "/send-test", { body }),
    onSettled: invalidate,
  });
}

export function usePreviewMutation() {
  return useMutation({ mutationFn: (body: WaSendManual) => waRequest<WaPreview>("POST", "/preview", { body }) });
}

export function useSendManualMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: (body: WaSendManual) => waRequest<WaQueued>("POST", "/send-manual", { body }),
    onSettled: invalidate,
  });
}

export function useSendBulkMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: (body: WaSendBulk) => waRequest<WaBulkResult>("POST", "/send-bulk", { body }),
    onSettled: invalidate,
  });
}

export function useResendInvoiceMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: ({ invoiceId, kind }: { invoiceId: string; kind: "receipt" | "reminder" }) =>
      waRequest<WaQueued>("POST", `/invoices/${invoiceId}/resend`, { body: { kind } }),
    onSettled: invalidate,
  });
}

export function useRetryQueueMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: (id: string) => waRequest<WaQueueItem>("POST", `/queue/${id}/retry`),
    onSettled: invalidate,
  });
}

export function useCancelQueueMutation() {
  const invalidate = useInvalidateWa();
  return useMutation({
    mutationFn: (id: string) => waRequest<null>("DELETE", `/queue/${id}`),
    onSettled: invalidate,
  });
}
