// What the browser tests read beyond the screen (it/browser/): receive and send figures from getStats, the room as
// this page sees it. People act through the screens, and so do the tests: these hooks only look. They are in the
// test build only (`vite build --mode test`, see vite.config.ts); the production build has no `window.salotto`.

import { audioFigures, inboundRtp, outboundRtp, videoFigures } from '../media';
import type { RoomClient } from './client';

export function installTestHooks(client: RoomClient): void {
  /** Receive figures per remote participant: { [participantId]: { video: {...}, audio: {...} } }. */
  async function stats() {
    const entries = await Promise.all([...client.remote.receiving.values()].map(
      async (r) => [r, await inboundRtp(r.transceiver.receiver)] as const));
    const result: Record<string, Record<string, unknown>> = {};
    for (const [r, entry] of entries) {
      if (client.remote.sources.get(r.trackId) === 'screen') continue; // see screenStats()
      const figures = result[r.participantId] ??= {};
      figures[r.kind] = { trackId: r.trackId, ...(r.kind === 'video' ? videoFigures(entry) : audioFigures(entry)) };
    }
    return result;
  }

  /** Receive figures of shared screens: { [participantId]: { trackId, framesDecoded, ... } }. */
  async function screenStats() {
    const result: Record<string, unknown> = {};
    for (const r of client.remote.receiving.values()) {
      if (r.kind !== 'video' || client.remote.sources.get(r.trackId) !== 'screen') continue;
      result[r.participantId] = { trackId: r.trackId, ...videoFigures(await inboundRtp(r.transceiver.receiver)) };
    }
    return result;
  }

  let publisherSample: { at: number; byKind: Record<string, any> } | null = null;

  /** Send figures by kind, with the bitrate since the previous call. */
  async function publisherStats() {
    const publisher = client.publisher;
    if (!publisher) return {};
    const now = performance.now();
    const byKind = await outboundRtp(publisher);
    const previous = publisherSample;
    publisherSample = { at: now, byKind };
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

  /** The codec names of each audio m= line of an SDP, in the m= line's order ("red", "opus", ...). */
  function audioCodecNames(sdp: string | undefined): string[][] {
    const sections = (sdp ?? '').split(/\r\n(?=m=)/).filter((m) => m.startsWith('m=audio'));
    return sections.map((m) => {
      const names = new Map<string, string>();
      for (const [, pt, name] of m.matchAll(/^a=rtpmap:(\d+) ([^/\r\n]+)/gm)) names.set(pt, name.toLowerCase());
      return m.split('\r\n')[0].split(' ').slice(3).map((pt) => names.get(pt) ?? pt);
    });
  }

  /**
   * The audio codecs negotiated: in Salotto's answer to this page's publisher offer (the first is what the browser
   * sends), and in this page's answers to Salotto's subscriber offers (what it takes).
   */
  function audioCodecs() {
    return {
      publisher: audioCodecNames(client.publisher?.currentRemoteDescription?.sdp),
      subscriber: audioCodecNames(client.remote.pc?.currentLocalDescription?.sdp),
    };
  }

  (window as any).salotto = Object.freeze({
    get room() { return client.room; },
    get phase() { return client.phase; },
    get participantId() { return client.participantId; },
    get role() { return client.role; },
    get ready() { return client.ready; },
    get publishing() { return Boolean(client.publishing); },
    get waiting() { return client.waiting; },
    get removed() { return client.removed; },
    get roomEnded() { return client.roomEnded; },
    get invitation() { return client.invitation; },
    get over() { return client.over; },
    members: () => [...client.members.values()].map((m) => ({ ...m })),
    lobby: () => client.lobby.map((w) => ({ ...w })),
    remoteParticipants: () => [...client.tiles.keys()].filter((id) => id !== 'self' && !id.endsWith(':screen')),
    stats,
    screenStats,
    audioCodecs,
    endedTracks: () => client.remote.endedTracks.map((e) => ({ ...e })),
    leftParticipants: () => client.remote.leftParticipants.map((e) => ({ ...e })),
    /** Everyone this page saw leave the room (memberLeft), with or without a tile. */
    departures: () => client.remote.departures.map((e) => ({ ...e })),
    errors: () => client.errors.map((e) => ({ ...e })),
    publisherStats,
    /** 'connected', or 'reconnecting' while the socket is being reopened after a drop. */
    get link() { return client.link; },
    get draining() { return client.draining; },
    get resumes() { return client.resumes; },
    get rejoins() { return client.rejoins; },
    /** The origin of the node the room's socket is open on. */
    get node() { return client.connectedTo; },
    /** Subscriber offers answered on a new connection, after Salotto closed the old one (transportClosed). */
    get newSubscriberConnections() { return client.remote.newConnections; },
    /** Subscriber offers received on this page since it joined. */
    get subscribeOffers() { return client.remote.offers; },
  });
}
