// The nodes of a Salotto cluster as this page knows them, for coming back when the node it talks to is lost.
//
// `joined` and `resumed` list the cluster's live nodes (`nodes`, docs/protocol.md "Several nodes"). While the page's
// own node answers, everything goes to it as before. When it cannot be reached, the HTTP API calls that may be sent
// twice (api.ts) and the room's WebSocket (room/client.ts) try the other nodes in the list's order, and the first that
// answers is tried first from then on. Every node takes the same session cookie (cookies are per host name, not per
// port) and the guest token the page keeps, and allows the cluster's origins in its CORS and Origin checks.

/** The nodes of the last `joined` or `resumed`, as origins, in their order (the page's own among them or not). */
let known: string[] = [];
/** The node that answered last when the page's own had not: tried first. Null: the page's own. */
let preferred: string | null = null;

/** An `http(s)://host[:port]` URL's origin; null for anything else. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** The `nodes` of a snapshot (absent without a cluster: nothing to fall back on). */
export function learnNodes(urls: readonly string[] | undefined): void {
  const origins: string[] = [];
  for (const url of urls ?? []) {
    const origin = originOf(url);
    if (origin && !origins.includes(origin)) origins.push(origin);
  }
  known = origins;
}

/** Where to try, in order: the node that answered last, the page's own, then the others the cluster listed. */
export function nodeOrder(): string[] {
  const order = [preferred ?? location.origin];
  for (const origin of [location.origin, ...known]) if (!order.includes(origin)) order.push(origin);
  return order;
}

/** `origin` answered: it is tried first next time. */
export function answered(origin: string): void {
  preferred = origin === location.origin ? null : origin;
}
