/**
 * Calls to `/api/wa/*` through the app's authenticated fetch (bearer token, one refresh on 401),
 * with the same `ApiError` as `unwrap()`. The generated client has no WhatsApp paths yet.
 */
import { authFetch, networkError, toApiError } from "@/lib/api";

type Query = Record<string, string | number | boolean | undefined | null>;

function url(path: string, query?: Query): string {
  const base = globalThis.location?.origin && globalThis.location.origin !== "null" ? globalThis.location.origin : "http://localhost";
  const u = new URL(`/api/wa${path}`, base);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") u.searchParams.set(k, String(v));
  }
  return u.href;
}

export async function waRequest<T>(method: string, path: string, opts: { body?: unknown; query?: Query } = {}): Promise<T> {
  const init: RequestInit = { method };
  if (opts.body !== undefined) {
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await authFetch(new Request(url(path, opts.query), init));
  } catch {
    throw networkError();
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) throw toApiError(res.status, data);
  return data as T;
}
