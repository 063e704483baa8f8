// A space across three nodes of one cluster (issue 16, "Must show"), all through the web app: the host signs up and
// creates a space on the first node and prints {"event":"created","room":...}; the test answers one line of JSON
// {"owner", "edge2", "edge3"}: the room's owner and its two other nodes. The host opens the space on the owner and
// speaks (fake mic); a listener opens the room's link on node 2, another (a 390x844 phone) on node 3, and both hear
// the host. The listener on node 3 raises a hand, the host sees it and makes them a speaker with the button in the
// people list: that page moves to the owner by itself and the listener on node 2 hears them. The script prints
// {"event":"ready"} and waits for a line `killed <epoch ms>`: the test has killed node 2 at that time. The node-2
// page must be back in the room (phase "in", link "connected"), on another node, and hearing the host again, with
// no reload, within `backWithinMs`. Then the script prints {"event":"ready for the owner","twoOn":...} and waits for a
// second `killed <epoch ms>`: the test has killed the room's owner. The room opens again on the node left; the host's
// page must come back as the host through it, publish again, and the node-2 listener hear her again.
//
// Config: { owner, edge2, edge3, firstNode, outputDir, backWithinMs = 5000, ownerBackWithinMs = 10000, timeoutMs = 20000 }
// Result: { ok, room, host, two: {id, heardHost}, three: {id, heardHost, movedTo, speakerId, heardOnTwo},
//           back: {ms, how, node, id, sameId, resumes, rejoins, reconnectingSeen, loadsBefore, loadsAfter},
//           afterOwner: {host: {ms, node, id, sameId, sameRole, how, notice, loadsBefore, loadsAfter, newSubscriberConnections},
//                        two: {ms, node, id, sameId, before}}, screenshots }

import { awaitInRoom, clickPersonAction, createRoom, grantClipboard, joinByLink, signUp, stepShots } from './app.mjs';
import { PHONE, failure, log, openPage, poll, run } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/space-nodes', backWithinMs: 5000, ownerBackWithinMs: 10_000, timeoutMs: 20_000 };

/** The next line on stdin, or null after `timeoutMs`. */
function nextLine(timeoutMs) {
  return new Promise((resolve) => {
    let buffered = '';
    const finish = (line) => {
      clearTimeout(timer);
      process.stdin.off('data', onData);
      process.stdin.pause();
      resolve(line);
    };
    const onData = (chunk) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end >= 0) finish(buffered.slice(0, end).trim());
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', onData);
    process.stdin.resume();
  });
}

function audioOf(page, participantId) {
  return page.evaluate(async (id) => (await window.salotto.stats())[id]?.audio ?? null, participantId);
}

/** Waits until `page` hears `participantId`: a quarter of a second of samples more than at the first look, some level. */
async function awaitHearing(page, participantId, timeoutMs, who) {
  let first = null;
  const heard = await poll(async () => {
    const a = await audioOf(page, participantId);
    if (!a) return null;
    first ??= a;
    return a.totalSamplesReceived > first.totalSamplesReceived + 12_000 && a.audioLevel > 0 ? a : null;
  }, { timeoutMs, intervalMs: 100 });
  if (!heard) {
    throw failure(`${who} never heard ${participantId}`, {
      last: await audioOf(page, participantId), errors: await page.evaluate(() => window.salotto.errors()),
    });
  }
  return { audioLevel: heard.audioLevel, totalSamplesReceived: heard.totalSamplesReceived };
}

function standing(page) {
  return page.evaluate(() => ({
    phase: window.salotto.phase, id: window.salotto.participantId, role: window.salotto.role, link: window.salotto.link,
    node: window.salotto.node, resumes: window.salotto.resumes, rejoins: window.salotto.rejoins,
    notice: document.querySelector('#notice')?.dataset.code ?? null,
  }));
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const shots = stepShots(config.outputDir);
  const host = await openPage(browser, 'nodes-host');
  await grantClipboard(host, config.firstNode);
  await signUp(host, config.firstNode, 'Nora Nodes');
  const link = await createRoom(host, { kind: 'space', title: 'Three nodes, one space', activity: 'just_chatting' });
  const path = new URL(link).pathname;
  const room = path.split('/').pop();
  process.stdout.write(`${JSON.stringify({ event: 'created', room })}\n`);
  const placed = JSON.parse((await nextLine(30_000)) ?? 'null');
  if (!placed?.owner) throw failure('the test did not say where the room is placed');
  log('placed', JSON.stringify(placed));

  // The host on the owner (the session cookie holds on every node: cookies do not depend on the port).
  await host.goto(`${placed.owner}${path}`);
  await host.waitForSelector('#join:not([disabled])');
  await host.click('#join');
  const hostMe = await awaitInRoom(host, 'the host');
  if (hostMe.role !== 'host') throw failure('on the owner, the creator is not the host', { hostMe });

  // A listener through node 2, one on a phone through node 3: each opens the link on that node.
  const two = await openPage(browser, 'nodes-two');
  const three = await openPage(browser, 'nodes-three', PHONE);
  await joinByLink(two, `${placed.edge2}${path}`, 'Tess Two');
  await joinByLink(three, `${placed.edge3}${path}`, 'Theo Three');
  const twoMe = await awaitInRoom(two, 'the listener on node 2');
  const threeMe = await awaitInRoom(three, 'the listener on node 3');
  const twoHeard = await awaitHearing(two, hostMe.id, config.timeoutMs, 'the listener on node 2');
  const threeHeard = await awaitHearing(three, hostMe.id, config.timeoutMs, 'the listener on node 3');
  const twoBefore = await standing(two);
  const threeBefore = await standing(three);
  await shots.take(two, 'two-listening');
  await shots.take(three, 'three-listening-phone');

  // Node 3's listener raises a hand; the host sees it and makes them a speaker.
  await three.click('#raise-hand:has-text("Raise hand")');
  const raised = await poll(() => host.evaluate(
    (id) => window.salotto.members().find((m) => m.participantId === id)?.handRaised, threeMe.id), { timeoutMs: 5000 });
  if (!raised) throw failure('the host never saw the raised hand');
  await host.waitForSelector(`#listeners li[data-participant-id="${threeMe.id}"] .hand`);
  await shots.take(host, 'host-sees-hand');
  await clickPersonAction(host, threeMe.id, 'promote');
  const moved = await poll(async () => {
    const s = await standing(three);
    const publishing = await three.evaluate(() => window.salotto.publishing);
    // On the owner: the role changes on the edge's socket first, then the edge sends the page on (wrong_node).
    return s.phase === 'in' && s.role === 'speaker' && s.link === 'connected' && s.node === placed.owner && publishing ? s : null;
  }, { timeoutMs: config.timeoutMs });
  if (!moved) throw failure('the listener on node 3 did not become a speaker', { now: await standing(three) });
  const heardOnTwo = await awaitHearing(two, moved.id, config.timeoutMs, 'the listener on node 2 (the new speaker)');
  await shots.take(three, 'three-speaking-phone');
  await shots.take(host, 'host-with-speaker');

  // Node 2 is killed: its page comes back through another node, by itself.
  const loadsBefore = await two.evaluate(() => performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin);
  process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`);
  const line = await nextLine(60_000);
  const killedAt = Number(line?.split(' ')[1]);
  if (!line?.startsWith('killed ') || !killedAt) throw failure(`expected "killed <ms>" on stdin, got ${line}`);
  log('node 2 killed at', killedAt);
  const reconnectingSeen = Boolean(await poll(() => two.isVisible('#reconnecting'), { timeoutMs: 1500, intervalMs: 20 }));
  if (reconnectingSeen) await shots.take(two, 'two-reconnecting');
  // Back: in the room, connected, hearing the host again (samples growing, some level) on the current connection.
  let base = null;
  const back = await poll(async () => {
    const s = await standing(two);
    if (s.phase !== 'in' || s.link !== 'connected') return null;
    const a = await audioOf(two, hostMe.id);
    if (!a) return null;
    if (!base || a.totalSamplesReceived < base.totalSamplesReceived) base = a;
    return a.totalSamplesReceived > base.totalSamplesReceived + 4_800 && a.audioLevel > 0 ? { ...s, audioLevel: a.audioLevel } : null;
  }, { timeoutMs: config.backWithinMs + 15_000, intervalMs: 100 });
  const ms = Date.now() - killedAt;
  if (!back) throw failure('the listener on node 2 never came back', { now: await standing(two), errors: await two.evaluate(() => window.salotto.errors()) });
  const loadsAfter = await two.evaluate(() => performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin);
  const how = back.resumes > twoBefore.resumes ? 'resume' : back.rejoins > twoBefore.rejoins ? 'fresh join' : 'neither';
  await shots.take(two, 'two-back');
  // The same page on a phone's screen, its people list closed as a person would: the stage and the controls.
  await two.setViewportSize({ width: 390, height: 844 });
  if (await two.isVisible('#people')) await two.click('#toggle-people');
  await shots.take(two, 'two-back-390x844');
  await two.setViewportSize({ width: 960, height: 720 });

  // The room's owner is killed: the room opens again on the node left, from the database and its people's resumes.
  // The host's page comes back as the host, publishes again on a new connection, and the listener hears her again.
  const hostBefore = await standing(host);
  const twoNow = await standing(two);
  const hostLoads = await host.evaluate(() => performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin);
  process.stdout.write(`${JSON.stringify({ event: 'ready for the owner', twoOn: twoNow.node })}\n`);
  const ownerLine = await nextLine(60_000);
  const ownerKilledAt = Number(ownerLine?.split(' ')[1]);
  if (!ownerLine?.startsWith('killed ') || !ownerKilledAt) throw failure(`expected "killed <ms>" on stdin, got ${ownerLine}`);
  log('the owner killed at', ownerKilledAt);
  const hostBack = await poll(async () => {
    const s = await standing(host);
    const publishing = await host.evaluate(() => window.salotto.publishing);
    return s.phase === 'in' && s.link === 'connected' && s.node !== placed.owner && publishing
      && s.resumes + s.rejoins > hostBefore.resumes + hostBefore.rejoins ? s : null;
  }, { timeoutMs: config.ownerBackWithinMs + 15_000, intervalMs: 100 });
  if (!hostBack) {
    throw failure('the host never came back after the owner was killed',
      { now: await standing(host), errors: await host.evaluate(() => window.salotto.errors()) });
  }
  const hostBackMs = Date.now() - ownerKilledAt;
  let heardBase = null;
  const heardAgain = await poll(async () => {
    const s = await standing(two);
    if (s.phase !== 'in' || s.link !== 'connected') return null;
    const a = await audioOf(two, hostBack.id); // the host as she is now (a fresh join gives her a new id)
    if (!a) return null;
    if (!heardBase || a.totalSamplesReceived < heardBase.totalSamplesReceived) heardBase = a;
    return a.totalSamplesReceived > heardBase.totalSamplesReceived + 4_800 && a.audioLevel > 0 ? { ...s, audioLevel: a.audioLevel } : null;
  }, { timeoutMs: config.ownerBackWithinMs + 15_000, intervalMs: 100 });
  const heardAgainMs = Date.now() - ownerKilledAt;
  if (!heardAgain) {
    throw failure('the listener never heard the host again after the owner was killed',
      { now: await standing(two), host: hostBack, errors: await two.evaluate(() => window.salotto.errors()) });
  }
  await shots.take(host, 'host-back-after-owner-lost');
  await shots.take(two, 'two-hears-host-after-owner-lost');
  const afterOwner = {
    host: { ms: hostBackMs, ...hostBack, sameId: hostBack.id === hostMe.id, sameRole: hostBack.role === 'host',
      how: hostBack.resumes > hostBefore.resumes ? 'resume' : 'fresh join', notice: await host.evaluate(() => document.querySelector('#notice')?.dataset.code ?? null),
      loadsBefore: hostLoads, loadsAfter: await host.evaluate(() => performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin),
      newSubscriberConnections: await host.evaluate(() => window.salotto.newSubscriberConnections) },
    two: { ms: heardAgainMs, ...heardAgain, sameId: heardAgain.id === twoMe.id, before: twoNow.node },
  };
  return {
    room,
    host: hostMe.id,
    two: { id: twoMe.id, node: twoBefore.node, heardHost: twoHeard },
    three: { id: threeMe.id, node: threeBefore.node, heardHost: threeHeard, movedTo: moved.node, speakerId: moved.id, heardOnTwo },
    back: { ms, how, ...back, sameId: back.id === twoMe.id, reconnectingSeen, loadsBefore, loadsAfter },
    afterOwner,
    screenshots: shots.paths,
  };
});
