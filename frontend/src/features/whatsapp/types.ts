/**
 * WhatsApp API shapes with their string unions, as in `docs/whatsapp-engine.md` ("HTTP API", "Socket.IO
 * events"). The calls go through the generated client (`queries.ts`); its response schemas type these fields as
 * plain strings, so the unions live here.
 */
import type { paths } from "@/lib/api-schema";

type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The list filters come from the generated client, so their enums are the API's own. */
export type WaLogQuery = Query<paths["/api/wa/logs"]["get"]>;
export type WaQueueQuery = Query<paths["/api/wa/queue"]["get"]>;

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
export type WaMessageType = NonNullable<WaLogQuery["messageType"]>;
export type WaQueueStatus = NonNullable<WaQueueQuery["status"]>;
export type WaLogStatus = NonNullable<WaLogQuery["status"]>;

export type WaQueued = { queueId: string; status: WaQueueStatus; kind: "paced" | "direct"; scheduledAt: string };

/** `customMessage` is the spec's name (the API still takes `message` as an alias). */
export type WaSendManual = { customerId: string; invoiceId?: string; template: WaTemplate; customMessage?: string };
export type WaPreview = { message: string; phone: string; customerName: string };

export type WaBulkFilter = { invoiceStatus: "unpaid"; dueDate?: string; period?: string };
export type WaSendBulk = {
  customerIds?: string[];
  filter?: WaBulkFilter;
  template: "reminder" | "custom";
  customMessage?: string;
};
export type WaBulkResult = {
  queued: number;
  skipped: number;
  skippedReasons: Record<string, number>;
  firstAt: string | null;
  lastAt: string | null;
};

/** The number a customer's messages go out from: always the customer's owner's (DESIGN §7). */
export type WaSender = {
  ownerId: string;
  ownerName: string;
  businessName: string;
  username: string;
  isOwn: boolean;
  phoneNumber: string | null;
  status: WaSessionStatus;
  connected: boolean;
  customerCount: number | null;
};
export type WaTemplateOption = { template: WaTemplate; available: boolean; reason: string | null };
export type WaSendOptions = { customerId: string; defaultTemplate: WaTemplate; templates: WaTemplateOption[]; sender: WaSender };

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

/** Waking hours (WIB `HH:MM`): paced sends go out only inside; `opensAt` is now when open, else the next start. */
export type WaSendWindow = { start: string; end: string; open: boolean; opensAt: string };

export type WaQueueCounts = Record<WaQueueStatus, number>;
export type WaQueuePage = {
  counts: WaQueueCounts;
  items: WaQueueItem[];
  total: number;
  page: number;
  perPage: number;
  plan: WaPlanEntry[];
  sendWindow?: WaSendWindow;
};

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
export type WaLogPage = { items: WaLogItem[]; total: number; totalCapped?: boolean; page: number; perPage: number; failedLast24h: number };

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
