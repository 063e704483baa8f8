// Scratch (not committed): the live screen with injected comment frames, to look at the layout.
import { awaitInRoom, createRoom, grantClipboard, joinByLink, signUp, clickPersonAction } from './app.mjs';
import { PHONE, openPage, run, screenshot, sleep } from './lib.mjs';

const DESKTOP = { viewport: { width: 1280, height: 800 } };
run({ outputDir: '/tmp/preview/shots' }, async (config, launch) => {
  const browser = await launch();
  const sockets = {};
  async function page(label, options) {
    const p = await openPage(browser, label, options);
    await p.routeWebSocket(/\/ws\/rooms\//, (ws) => { ws.connectToServer(); sockets[label] = ws; });
    await p.route(/\/badges\/prices$/, (r) => r.fulfill({ json: { currency: 'USD', prices: [{ hearts: 1, amount: 99 }, { hearts: 2, amount: 199 }, { hearts: 3, amount: 499 }] } }));
    await p.route(/\/earnings$/, (r) => r.fulfill({ json: { currency: 'USD', earnings: [{ participantId: 'x', identity: 'a', name: 'Gia', amount: 399, badges: 1 }, { identity: 'b', name: 'Lia Live', amount: 0, badges: 0 }] } }));
    await p.route(/\/supporters$/, (r) => r.fulfill({ json: { currency: 'USD', supporters: [{ identity: 'v', name: 'Vera', amount: 499, hearts: 3, badges: 1 }, { identity: 'w', name: 'Walt', amount: 99, hearts: 1, badges: 1 }] } }));
    return p;
  }
  const host = await page('host', DESKTOP);
  await grantClipboard(host, config.baseUrl);
  await signUp(host, config.baseUrl, 'Lia Live');
  const link = await createRoom(host, { kind: 'live', title: 'Late night jam', activity: 'dance_party' });
  await host.click('#open-room');
  await host.waitForSelector('#preview');
  await host.click('#join:has-text("Go live")');
  const h = await awaitInRoom(host, 'host');
  const vera = await page('vera', PHONE);
  await joinByLink(vera, link, 'Vera');
  const v = await awaitInRoom(vera, 'vera');
  const walt = await page('walt', DESKTOP);
  await joinByLink(walt, link, 'Walt');
  const w = await awaitInRoom(walt, 'walt');
  const texts = [[v.id, 'Vera', 'Hello from Vera!', 0], [w.id, 'Walt', 'Walt here, great sound — the bass is perfect tonight and I love this set', 0],
    [v.id, 'Vera', 'This one gets hidden', 0], [w.id, 'Walt', 'Play the one about the sea', 0], [v.id, 'Vera', 'Go Lia!', 3]];
  const events = texts.map(([pid, name, text, badge], i) => ({ type: 'commentPosted', comment: { id: `c${i}`, participantId: pid, name, text, at: new Date().toISOString(), badge } }));
  events.splice(4, 0, { type: 'badgeBought', purchaseId: 'p1', buyerId: v.id, buyerName: 'Vera', targetId: h.id, targetName: 'Lia Live', hearts: 3 });
  events.push({ type: 'commentPinned', comment: events[0].comment });
  for (const ws of Object.values(sockets)) ws.send(JSON.stringify({ type: 'roomEvents', events }));
  sockets.walt.send(JSON.stringify({ type: 'roomEvents', events: [{ type: 'memberCommentsChanged', participantId: w.id, off: true }] }));
  sockets.walt.send(JSON.stringify({ type: 'error', code: 'comments_off', message: 'comments are off for you', ref: 'comment-1' }));
  await sleep(500);
  await screenshot(host, config.outputDir, 'host');
  await screenshot(vera, config.outputDir, 'vera');
  await screenshot(walt, config.outputDir, 'walt');
  await host.locator('#comments .comment[data-comment-id="c1"] button.more').click();
  await screenshot(host, config.outputDir, 'host-menu');
  await vera.locator('#comments .comment[data-comment-id="c1"] button.more').click();
  await screenshot(vera, config.outputDir, 'vera-menu');
  await vera.click('.menu-backdrop', { position: { x: 10, y: 300 } });
  await vera.click('#open-badges');
  await sleep(300);
  await vera.click(`.badge-target[data-participant-id="${h.id}"]`);
  await screenshot(vera, config.outputDir, 'vera-badges');
  await vera.click('#badge-sheet button[aria-label="Close"]');
  sockets.host.send(JSON.stringify({ type: 'roomEvents', events: [{ type: 'badgeBought', purchaseId: 'p2', buyerId: w.id, buyerName: 'Walt', targetId: h.id, targetName: 'Lia Live', hearts: 2 }, { type: 'reaction', participantId: v.id, emoji: '❤️' }, { type: 'reaction', participantId: w.id, emoji: '❤️' }] }));
  await sleep(700);
  await screenshot(host, config.outputDir, 'host-celebration');
  await host.click('#earned');
  await sleep(300);
  await screenshot(host, config.outputDir, 'host-money');
  await walt.click('#open-badges');
  await sleep(300);
  await screenshot(walt, config.outputDir, 'walt-badges');
  return {};
});
