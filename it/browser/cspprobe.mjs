// The control of the CSP test: shows that a violation on a page of the app is seen. Opens the app's home page, then
// makes the page try what the Content-Security-Policy forbids (an inline script, a script from another origin, a
// WebSocket to another host); each attempt must be blocked and reported through lib.mjs's watcher (`security`).
//
// Config: { baseUrl, timeoutMs = 15000 }
// Result: { ok, inlineRan, attempts, security: {documents, violations} }

import { openPage, poll, run, security } from './lib.mjs';

run({ timeoutMs: 15_000 }, async (config, launch) => {
  const browser = await launch();
  const page = await openPage(browser, 'csp-probe');
  await page.goto(config.baseUrl + '/');
  await page.waitForSelector('#app *', { timeout: config.timeoutMs });
  // DOM changes from the page's own world (page.evaluate runs there, and the policy applies to what it inserts).
  const inlineRan = await page.evaluate(async () => {
    window.inlineRan = false;
    const inline = document.createElement('script');
    inline.textContent = 'window.inlineRan = true';
    document.head.append(inline);
    const foreign = document.createElement('script');
    foreign.src = 'http://127.0.0.2:9/evil.js';
    document.head.append(foreign);
    try { new WebSocket('ws://127.0.0.2:9/'); } catch { /* the policy may throw */ }
    // An inline script that is allowed runs as it is inserted: by now it has run, or the policy blocked it.
    return window.inlineRan;
  });
  // The events arrive through the exposed binding: wait for the three (or the timeout, and the test fails).
  await poll(() => security.violations.filter((v) => v.via === 'event').length >= 3, { timeoutMs: config.timeoutMs });
  return { inlineRan, attempts: 3 };
});
