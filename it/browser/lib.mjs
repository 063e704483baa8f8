// What the browser scripts share: reading the configuration, launching Chromium, opening pages, polling, reporting.
//
// Each script takes one JSON object as its only argument and prints JSON lines on stdout: zero or more event lines
// ({"event": ...}) and, last, exactly one result line ({"ok": true|false, ...}). Everything else goes to stderr.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/** The JSON configuration given as the first argument, over the defaults. */
export function readConfig(defaults) {
  const argument = process.argv[2];
  if (!argument) throw new Error(`usage: node ${process.argv[1]} '<json config>'`);
  return { ...defaults, ...JSON.parse(argument) };
}

export function log(...parts) {
  console.error(`[${new Date().toISOString()}]`, ...parts);
}

/** One JSON line on stdout. */
export function emit(object) {
  process.stdout.write(`${JSON.stringify(object)}\n`);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Launches Chromium. `exposeLocalAddresses` turns off the mDNS names Chromium gives host candidates, which two pages
 * connected directly (no signaling server to resolve them) need.
 */
export function launchChromium({ exposeLocalAddresses = false, extraArgs = [] } = {}) {
  const args = [...CHROMIUM_FLAGS, ...extraArgs];
  if (exposeLocalAddresses) args.push('--disable-features=WebRtcHideLocalIpsWithMdns');
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}

/** A phone-sized screen (the 390x844), for the flows that must work on a phone. */
export const PHONE = Object.freeze({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

/**
 * A page in a context of its own (its own cookies, storage and permissions), its console copied to stderr.
 * `contextOptions` go to Playwright's newContext (e.g. PHONE).
 */
export async function openPage(browser, label, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 960, height: 720 }, ...contextOptions });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'debug') log(`${label} console.${message.type()}:`, message.text());
    // Chromium reports what the Content-Security-Policy blocked on the console too ("Refused to load ...").
    if (/Content Security Policy|Refused to (load|connect|execute|apply|frame|evaluate|create)/i.test(message.text())) {
      security.violations.push({ page: label, via: 'console', text: message.text() });
    }
  });
  page.on('pageerror', (error) => log(`${label} page error:`, error.message));
  await watchSecurityPolicy(page, label);
  return page;
}

/**
 * What every page's Content-Security-Policy did, for the result line (`security`): the policy of each document the
 * pages loaded, and each violation, from the page's `securitypolicyviolation` events and from the console.
 */
export const security = { documents: [], violations: [] };

async function watchSecurityPolicy(page, label) {
  await page.exposeBinding('__salottoCspViolation', (_source, v) => {
    security.violations.push({ page: label, via: 'event', ...v });
    log(`${label} CSP violation:`, JSON.stringify(v));
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__salottoCspViolation({
        directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
        sample: e.sample, document: e.documentURI,
      });
    });
  });
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'document') return;
    const headers = await response.allHeaders().catch(() => ({}));
    security.documents.push({ page: label, url: response.url(), csp: headers['content-security-policy'] ?? null });
  });
}

/** Calls `probe` every `intervalMs` until it returns a truthy value, which it returns; null after `timeoutMs`. */
export async function poll(probe, { timeoutMs, intervalMs = 250 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() >= deadline) return null;
    await sleep(intervalMs);
  }
}

/** Saves a screenshot into the output directory; returns its path (null if it failed: screenshots never fail a run). */
export async function screenshot(page, outputDir, name) {
  try {
    mkdirSync(outputDir, { recursive: true });
    const path = join(outputDir, `${name}.png`);
    await page.screenshot({ path });
    return path;
  } catch (error) {
    log(`screenshot ${name} failed:`, error.message);
    return null;
  }
}

/** The first line read from stdin that equals `word`, or the end of the timeout, whichever comes first. */
export function waitForLine(word, timeoutMs) {
  return new Promise((resolve) => {
    let buffered = '';
    const finish = (how) => {
      clearTimeout(timer);
      process.stdin.off('data', onData);
      process.stdin.pause();
      resolve(how);
    };
    const onData = (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      if (lines.some((line) => line.trim() === word)) finish('stdin');
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', onData);
    process.stdin.resume();
  });
}

/**
 * Runs a script: `main(config, browserHolder)` returns the result object. Prints it as the result line with ok:true,
 * or ok:false with the error; closes the browsers it opened; exits 0 or 1.
 */
export async function run(defaults, main) {
  const browsers = [];
  let exitCode = 0;
  try {
    const config = readConfig(defaults);
    const launch = async (options) => {
      const browser = await launchChromium(options);
      browsers.push(browser);
      return browser;
    };
    const result = await main(config, launch);
    emit({ ok: true, ...result, security });
  } catch (error) {
    log(error.stack ?? error);
    emit({ ok: false, error: String(error.message ?? error), ...(error.partial ?? {}), security });
    exitCode = 1;
  } finally {
    for (const browser of browsers) await browser.close().catch(() => {});
  }
  process.exit(exitCode);
}

/** An error that carries the figures gathered so far, so that a failed run still reports them. */
export function failure(message, partial) {
  return Object.assign(new Error(message), { partial });
}
