// Who is talking now, for the speaker rings and outlines: the level each remote audio receiver plays out, and our own
// microphone's. Read from getStats (inbound-rtp audioLevel): Salotto does not forward the RFC 6464 audio-level header
// extension, so the synchronization sources carry none.

import { inboundRtp } from '../media';
import type { Receiving } from './remote';

const SPEAKING_LEVEL = 0.02;

export async function speakingNow(receiving: Iterable<Receiving>, publisher: RTCPeerConnection | null,
  self: string | null): Promise<Set<string>> {
  const now = new Set<string>();
  await Promise.all([...receiving].filter((r) => r.kind === 'audio').map(async (r) => {
    try {
      if (((await inboundRtp(r.transceiver.receiver))?.audioLevel ?? 0) > SPEAKING_LEVEL) now.add(r.participantId);
    } catch {
      // closed meanwhile
    }
  }));
  if (publisher && self) {
    try {
      for (const entry of (await publisher.getStats()).values()) {
        if (entry.type === 'media-source' && entry.kind === 'audio' && (entry.audioLevel ?? 0) > SPEAKING_LEVEL) {
          now.add(self);
        }
      }
    } catch {
      // closed meanwhile
    }
  }
  return now;
}
