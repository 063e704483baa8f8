// What each m-section of a subscriber offer carries. Salotto writes `a=msid:<participantId> <trackId>` in each, so
// the client knows whose track arrives (docs/protocol.md); a browser may give a receiver's track an id of its own.

export interface MediaSection {
  mid: string | undefined;
  kind: string;
  direction: string;
  participantId: string | null;
  trackId: string | null;
}

/** One entry per m-section, in order. */
export function parseMediaSections(sdp: string): MediaSection[] {
  return sdp.split(/\r?\n(?=m=)/).slice(1).map((section) => {
    const lines = section.split(/\r?\n/);
    const [kind, port] = lines[0].slice(2).split(' ');
    const attribute = (name: string) => lines.find((l) => l.startsWith(`a=${name}:`))?.slice(name.length + 3).trim();
    const direction = port === '0'
      ? 'inactive'
      : lines.find((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l))?.slice(2) ?? 'sendrecv';
    const [participantId, trackId] = (attribute('msid') ?? '').split(' ');
    return { mid: attribute('mid'), kind, direction, participantId: participantId || null, trackId: trackId || null };
  });
}
