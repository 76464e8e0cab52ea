/**
 * WhatsApp API shapes, written from the contract in `docs/whatsapp-engine.md` ("HTTP API", "Socket.IO
 * events") while the generated client has no `/api/wa` paths yet.
 */

export type WaSessionStatus = "disconnected" | "connecting" | "connected" | "logged_out" | "banned" | "outdated";
export type WaTransport = "neonize" | "simulator";

export type WaStatus = {
  sessionId: string | null;
  status: WaSessionStatus;
  phoneNumber: string | null;
  lastConnectedAt: string | null;
  reason: string | null;
  pausedUntil: string | null;
  pauseReason: string | null;
  transport: WaTransport;
  workerAlive: boolean;
  qr: string | null;
};

export type WaQr = { qr: string | null; updatedAt: string | null; status: WaSessionStatus };

export type WaTemplate = "reminder" | "receipt" | "isolation" | "custom";
export type WaMessageType = "reminder" | "receipt" | "isolation" | "manual" | "custom" | "test";
export type WaQueueStatus = "pending" | "sending" | "sent" | "failed" | "cancelled";
export type WaLogStatus = "sent" | "delivered" | "read" | "failed";

export type WaQueued = { queueId: string; status: WaQueueStatus; kind: "paced" | "direct"; scheduledAt: string };

export type WaSendManual = { customerId: string; invoiceId?: string; template: WaTemplate; message?: string };
export type WaPreview = { message: string; phone: string; customerName: string };

export type WaBulkFilter = { invoiceStatus: "unpaid"; dueDate?: string; period?: string };
export type WaSendBulk = {
  customerIds?: string[];
  filter?: WaBulkFilter;
  template: "reminder" | "custom";
  message?: string;
};
export type WaBulkResult = { queued: number; skipped: number; firstAt: string | null; lastAt: string | null };

export type WaNumberCheck = { phone: string; onWhatsapp: boolean; jid: string | null };

export type WaQueueItem = {
  id: string;
  customerId: string | null;
  customerName?: string | null;
  invoiceId: string | null;
  messageType: WaMessageType;
  phone: string;
  content: string;
  status: WaQueueStatus;
  kind: "paced" | "direct";
  retryCount: number;
  maxRetries: number;
  scheduledAt: string;
  sentAt: string | null;
  errorMessage: string | null;
  dueDate?: string | null;
  createdAt?: string;
};

/** One due date of the reminder plan; `startedEarly` when its reminders began before the day before it. */
export type WaPlanEntry = {
  dueDate: string;
  total: number;
  queued: number;
  sent: number;
  failed: number;
  startedEarly: boolean;
  firstAt: string | null;
  lastAt: string | null;
};

export type WaQueueCounts = Record<WaQueueStatus, number>;
export type WaQueuePage = {
  counts: WaQueueCounts;
  items: WaQueueItem[];
  total: number;
  page: number;
  perPage: number;
  plan: WaPlanEntry[];
};
export type WaQueueQuery = { status?: WaQueueStatus; page?: number; perPage?: number };

export type WaLogItem = {
  id: string;
  sentAt: string;
  messageType: WaMessageType;
  phone: string;
  customerId: string | null;
  customerName?: string | null;
  invoiceId: string | null;
  queueId?: string | null;
  status: WaLogStatus;
  errorMessage: string | null;
  content: string;
};
export type WaLogPage = { items: WaLogItem[]; total: number; page: number; perPage: number; failedLast24h: number };
export type WaLogQuery = {
  type?: WaMessageType;
  status?: WaLogStatus;
  dateFrom?: string;
  dateTo?: string;
  page?: number;
  perPage?: number;
};

/** Socket.IO `wa:*` payloads. */
export type WaQrEvent = { sessionId: string; qr: string };
export type WaStatusEvent = Pick<
  WaStatus,
  "sessionId" | "status" | "phoneNumber" | "reason" | "pausedUntil" | "pauseReason" | "transport"
>;
export type WaMessageEvent = {
  sessionId: string;
  logId: string | null;
  queueId: string | null;
  status: string;
  messageType: WaMessageType;
  phone: string;
  customerId: string | null;
  invoiceId: string | null;
};
