// The HTTP API (docs/api.md) as this browser: the session cookie of a logged-in account, or else a guest token kept
// in localStorage (the server knows the same guest again by it: a removed guest stays out under any name).

import type { Room as ProtocolRoom } from '../../protocol/salotto-protocol';
import type { Account, Empty, GuestToken, LogIn, SignUp } from '../../protocol/salotto-api';
import { answered, nodeOrder } from './nodes';
const GUEST_TOKEN_KEY = 'salotto.guestToken';
/** A node that has not answered a call that may go to another node within this long is passed over (nodes.ts). */
const NEXT_NODE_AFTER_MS = 5_000;

// The bodies of the API, generated from the server's records (protocol/salotto-api.d.ts): a request body written
// here `satisfies` its type, an answer is read as its type, so a renamed field fails the type check.
export type {
  Account, AppToken, JoinAnswer, JoinRequest, Lobby, NewRoom, ParticipantList, RoleChange, RoleResult, RoomChanges, RoomKind,
  RoomList,
} from '../../protocol/salotto-api';

/** A room as the API and the room socket show it (generated from the server's records: protocol/). */
export type Room = ProtocolRoom;

/** An API error: the stable `code` and the server's sentence for a person. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

let account: Account | null = null;
let accountKnown = false;
const accountListeners = new Set<(account: Account | null) => void>();

/** Tells `listener` the account each time it is learned or changes (logging in or out); returns the unsubscribe. */
export function onAccount(listener: (account: Account | null) => void): () => void {
  accountListeners.add(listener);
  if (accountKnown) listener(account);
  return () => accountListeners.delete(listener);
}

function setAccount(who: Account | null): Account | null {
  const changed = !accountKnown || JSON.stringify(who) !== JSON.stringify(account);
  account = who;
  accountKnown = true;
  if (changed) for (const listener of accountListeners) listener(who);
  return who;
}

export async function api<T = any>(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
  try {
    return await send<T>(method, path, body, extraHeaders);
  } catch (e) {
    // A guest token lasts a while (rooms.guest-token-ttl): when the server no longer knows it, get a new one, once.
    if (e instanceof ApiError && e.code === 'invalid_token' && !account && path !== '/api/guests'
        && localStorage.getItem(GUEST_TOKEN_KEY)) {
      localStorage.removeItem(GUEST_TOKEN_KEY);
      await ensureGuest();
      return send<T>(method, path, body, extraHeaders);
    }
    throw e;
  }
}

async function send<T>(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
  // The server refuses a state-changing request with the session cookie but without this header: a page of another
  // site cannot add it (docs/security.md, CSRF).
  const headers: Record<string, string> = { ...extraHeaders, 'X-Salotto-Request': '1' };
  const guestToken = localStorage.getItem(GUEST_TOKEN_KEY);
  if (!account && guestToken) headers.Authorization = `Bearer ${guestToken}`;
  // A Blob (an avatar) goes as its own bytes with the Content-Type the caller gave; anything else as JSON.
  const raw = body instanceof Blob;
  if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
  const request = (url: string, credentials: RequestCredentials, signal?: AbortSignal) => fetch(url, {
    method, headers, credentials, signal,
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
  let response: Response;
  let json: any;
  try {
    response = await reach(method, path, request);
    json = response.status === 204 ? null : await response.json().catch(() => null);
    // With a cluster, a room's command goes to the node that runs the room: 421 wrong_node names it (docs/api.md).
    const nodeUrl = response.status === 421 ? json?.error?.nodeUrl : undefined;
    if (typeof nodeUrl === 'string' && /^https?:\/\//.test(nodeUrl)) {
      response = await request(new URL(path, nodeUrl).href, 'include');
      json = response.status === 204 ? null : await response.json().catch(() => null);
    }
  } catch {
    throw new ApiError('network', 'Salotto cannot be reached: check your connection and try again.', 0);
  }
  if (!response.ok) {
    throw new ApiError(json?.error?.code ?? 'http', json?.error?.message ?? `HTTP ${response.status}`, response.status);
  }
  return json as T;
}

/**
 * The answer of the page's node, unless it was lost and another node answered since (nodes.ts); of the next node of
 * the cluster when one cannot be reached, for a request that does no harm if it did arrive (once only to one node
 * for the others). Throws when none answers.
 */
async function reach(method: string, path: string,
                     request: (url: string, credentials: RequestCredentials, signal?: AbortSignal) => Promise<Response>,
): Promise<Response> {
  const order = nodeOrder();
  const bases = repeatable(method, path) ? order : order.slice(0, 1);
  for (let i = 0; ; i++) {
    const own = bases[i] === location.origin;
    // A host that is gone may swallow the connection rather than refuse it: with another node to try, not for long.
    const signal = i + 1 < bases.length ? AbortSignal.timeout(NEXT_NODE_AFTER_MS) : undefined;
    try {
      const response = await request(own ? path : new URL(path, bases[i]).href, own ? 'same-origin' : 'include', signal);
      answered(bases[i]);
      return response;
    } catch (error) {
      if (i + 1 >= bases.length) throw error;
    }
  }
}

/**
 * Whether a request that failed without an answer may go to another node of the cluster: sending it twice must do no
 * harm, as the request may have arrived before the connection broke. Reads, a join token (one unused is nothing) and
 * a guest token: what coming back into a room needs.
 */
function repeatable(method: string, path: string): boolean {
  return method === 'GET' || (method === 'POST' && (path === '/api/guests' || /^\/api\/rooms\/[^/]+\/join$/.test(path)));
}

/** The logged-in account as the page last knew it (null: none, or not asked yet). */
export function currentAccount(): Account | null {
  return account;
}

/** Whether the account is one of the server's admins (`GET /api/me` tells `admin`). */
export function isAdmin(who: Account | null | undefined): boolean {
  return Boolean(who?.admin);
}

/**
 * The logged-in account, or null. `strict`: when no node of Salotto can be reached, throws (ApiError `network`)
 * rather than answer "no account", which would make a logged-in person a guest.
 */
export async function me(strict = false): Promise<Account | null> {
  try {
    return setAccount(await api<Account>('GET', '/api/me'));
  } catch (error) {
    if (strict && error instanceof ApiError && error.code === 'network') throw error;
    return setAccount(null);
  }
}

export async function signUp(username: string, password: string, displayName?: string): Promise<Account> {
  const body: SignUp = { username, password };
  if (displayName) body.displayName = displayName;
  const made = setAccount(await api<Account>('POST', '/api/accounts', body))!;
  return (await me()) ?? made; // GET /api/me tells what the sign-up answer may not (admin)
}

export async function logIn(username: string, password: string): Promise<Account> {
  setAccount(await api<Account>('POST', '/api/sessions', { username, password } satisfies LogIn));
  return (await me()) ?? account!; // GET /api/me tells what the log-in answer may not (admin)
}

export async function logOut(): Promise<void> {
  await api('DELETE', '/api/sessions/current').catch(() => {});
  setAccount(null);
}

/** Logs the account out of every browser it is logged in on, this one included (DELETE /api/sessions). */
export async function logOutEverywhere(): Promise<void> {
  await api('DELETE', '/api/sessions');
  setAccount(null);
}

/** Makes sure this browser has a guest token when no account is logged in (made once, then kept). */
export async function ensureGuest(): Promise<void> {
  if (account || localStorage.getItem(GUEST_TOKEN_KEY)) return;
  const { guestToken } = await api<GuestToken>('POST', '/api/guests', {} satisfies Empty);
  localStorage.setItem(GUEST_TOKEN_KEY, guestToken);
}

export const roomPath = (room: string, rest = '') => `/api/rooms/${encodeURIComponent(room)}${rest}`;
