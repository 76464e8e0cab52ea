/** The page's side of the per-user API cache (lib/sw-api-cache.ts): whose session this is, for the service worker. */
import { API_USER_CACHE, API_USER_KEY } from "./sw-api-cache";

/** Mark the API cache as this user's (login, and each time the current user is loaded). */
export async function rememberCacheUser(userId: string): Promise<void> {
  try {
    await (await globalThis.caches?.open(API_USER_CACHE))?.put(API_USER_KEY, new Response(userId));
  } catch {
    /* no Cache Storage (private mode, tests): nothing is cached either */
  }
}

/** Forget the user (logout): until the next login, nothing cached is anyone's. */
export async function forgetCacheUser(): Promise<void> {
  await globalThis.caches?.delete(API_USER_CACHE).catch(() => false);
}
