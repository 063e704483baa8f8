// CORS from a real browser (docs/security.md, CorsFetchTest): a page of an origin the server lists in
// http.allowed-origins calls the API with fetch (a preflighted POST: Authorization, JSON, Idempotency-Key) and reads
// the answer; it also gets through the preflight of a WHIP path; a page of an origin not listed cannot read anything.
//
// Config: { baseUrl, appUrl (a page of the allowed origin), otherUrl (a page of another origin), apiKey, timeoutMs }
// Result: { ok, app: {create, replay, whip, cookieless}, other: {create} }

import { openPage, run } from './lib.mjs';

/** Runs in the page: every call, each one's status and the headers the page may read, or the error fetch threw. */
async function calls({ baseUrl, apiKey }) {
  const attempt = async (url, init) => {
    try {
      const r = await fetch(url, init);
      const text = await r.text();
      let body = text;
      try { body = text ? JSON.parse(text) : null; } catch { /* not JSON (a page, a plain-text refusal) */ }
      return {
        status: r.status, body,
        replayed: r.headers.get('Idempotent-Replayed'), contentType: r.headers.get('Content-Type'),
      };
    } catch (e) {
      return { error: String(e) };
    }
  };
  const create = {
    method: 'POST', mode: 'cors',
    headers: { Authorization: 'Bearer ' + apiKey, 'Content-Type': 'application/json', 'Idempotency-Key': 'cors-1' },
    body: JSON.stringify({ kind: 'call', title: 'From another origin' }),
  };
  const first = await attempt(baseUrl + '/api/rooms', create);
  const list = await attempt(baseUrl + '/api/me/rooms', { headers: { Authorization: 'Bearer ' + apiKey } });
  const whip = await attempt(baseUrl + '/whip/rooms/none', {
    method: 'PATCH', headers: { Authorization: 'Bearer x', 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '"1"' },
    body: 'a=end-of-candidates\r\n',
  });
  return { create: first, list, whip };
}

run({ timeoutMs: 20_000 }, async (config, launch) => {
  const browser = await launch();
  const app = await openPage(browser, 'app-origin');
  await app.goto(config.appUrl);
  const fromApp = await app.evaluate(calls, { baseUrl: config.baseUrl, apiKey: config.apiKey });
  const other = await openPage(browser, 'other-origin');
  await other.goto(config.otherUrl);
  const fromOther = await other.evaluate(calls, { baseUrl: config.baseUrl, apiKey: config.apiKey });
  return { app: fromApp, other: fromOther };
});
