// What the browser tests read and do beyond the screen (it/browser/): receive and send figures from getStats, the
// room as this page sees it. People act through the screens; these hooks only look, except for `leave` and
// `keepPublishingWhenDemoted` (a client that ignores its demotion, to prove the server stops forwarding anyway).

import { audioFigures, inboundRtp, outboundRtp, videoFigures } from '../media';
import type { RoomClient } from './client';

export function installTestHooks(client: RoomClient): void {
  /** Receive figures per remote participant: { [participantId]: { video: {...}, audio: {...} } }. */
  async function stats() {
    const entries = await Promise.all([...client.receiving.values()].map(
      async (r) => [r, await inboundRtp(r.transceiver.receiver)] as const));
    const result: Record<string, Record<string, unknown>> = {};
    for (const [r, entry] of entries) {
      if (client.sources.get(r.trackId) === 'screen') continue; // see screenStats()
      const figures = result[r.participantId] ??= {};
      figures[r.kind] = { trackId: r.trackId, ...(r.kind === 'video' ? videoFigures(entry) : audioFigures(entry)) };
    }
    return result;
  }

  /** Receive figures of shared screens: { [participantId]: { trackId, framesDecoded, ... } }. */
  async function screenStats() {
    const result: Record<string, unknown> = {};
    for (const r of client.receiving.values()) {
      if (r.kind !== 'video' || client.sources.get(r.trackId) !== 'screen') continue;
      result[r.participantId] = { trackId: r.trackId, ...videoFigures(await inboundRtp(r.transceiver.receiver)) };
    }
    return result;
  }

  /** Send figures by kind, with the bitrate since the previous call. */
  async function publisherStats() {
    const publisher = client.publisher;
    if (!publisher) return {};
    const now = performance.now();
    const byKind = await outboundRtp(publisher);
    const previous = client.publisherSample;
    client.publisherSample = { at: now, byKind };
    const result: Record<string, unknown> = {};
    for (const [kind, entry] of Object.entries(byKind)) {
      const before = previous?.byKind[kind];
      const seconds = previous ? (now - previous.at) / 1000 : 0;
      result[kind] = {
        bytesSent: entry.bytesSent ?? 0,
        packetsSent: entry.packetsSent ?? 0,
        framesEncoded: entry.framesEncoded,
        frameWidth: entry.frameWidth,
        targetBitrate: entry.targetBitrate,
        bitrate: before && seconds > 0 ? Math.round((8 * (entry.bytesSent - before.bytesSent)) / seconds) : null,
      };
    }
    for (const entry of (await publisher.getStats()).values()) {
      if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded') {
        result.availableOutgoingBitrate = entry.availableOutgoingBitrate ?? null;
      }
    }
    return result;
  }

  (window as any).salotto = Object.freeze({
    get room() { return client.room; },
    get phase() { return client.phase; },
    get participantId() { return client.participantId; },
    get role() { return client.role; },
    get ready() { return client.ready; },
    get publishing() { return client.publishing; },
    get waiting() { return client.waiting; },
    get removed() { return client.removed; },
    get roomEnded() { return client.roomEnded; },
    get invitation() { return client.invitation; },
    get over() { return client.over; },
    members: () => [...client.members.values()].map((m) => ({ ...m })),
    lobby: () => client.lobby.map((w) => ({ ...w })),
    keepPublishingWhenDemoted(on: boolean) { client.keepPublishingWhenDemoted = on; },
    remoteParticipants: () => [...client.tiles.keys()].filter((id) => id !== 'self' && !id.endsWith(':screen')),
    stats,
    screenStats,
    endedTracks: () => client.endedTracks.map((e) => ({ ...e })),
    leftParticipants: () => client.leftParticipants.map((e) => ({ ...e })),
    errors: () => client.errors.map((e) => ({ ...e })),
    publisherStats,
    leave: () => client.leave(),
  });
}
