// The videos of a call (a grid that fits 1 to 50) or of a live's stage (1 to 4): one tile per person on stage, one
// per shared screen; the active speaker is outlined.
import { RoomClient, Tile } from '../room/client';
import { Avatar, Player, ROLE_LABELS } from './common';

/** Columns for n tiles on a wide screen: as square a grid as fits. */
function columns(n: number): number {
  if (n <= 1) return 1;
  if (n <= 4) return 2;
  return Math.ceil(Math.sqrt(n));
}

export function VideoGrid({ client }: { client: RoomClient }) {
  const tiles = [...client.tiles.values()].sort((a, b) => order(a) - order(b));
  const n = tiles.length;
  if (n === 0) {
    return (
      <div id="tiles" class="grid empty">
        <p class="muted">{client.kind === 'live' ? 'The live has not started yet: nobody is on stage.' : 'Nobody is here yet.'}</p>
      </div>
    );
  }
  const rows = Math.ceil(n / columns(n));
  return (
    <div id="tiles" class={`grid n-${Math.min(n, 5)}`} data-count={n}
      style={{ '--cols': String(columns(n)), '--rows': String(rows), '--cols-phone': String(n <= 2 ? 1 : 2) }}>
      {tiles.map((tile) => <VideoTile key={tile.key} tile={tile} client={client} />)}
    </div>
  );
}

function order(tile: Tile): number {
  return tile.screen ? 0 : tile.self ? 2 : 1;
}

function VideoTile({ tile, client }: { tile: Tile; client: RoomClient }) {
  const member = client.members.get(tile.participantId);
  const speaking = !tile.screen && client.speaking.has(tile.participantId);
  const hasVideo = tile.tracks.some((t) => t.kind === 'video');
  const cameraOff = tile.self && !client.cameraOn;
  const role = member ? ROLE_LABELS[member.role] : '';
  return (
    <figure class={`tile${tile.self ? ' self' : ''}${tile.screen ? ' screen' : ''}${speaking ? ' speaking' : ''}`}
      data-participant-id={tile.self ? 'self' : tile.key}>
      {tile.stream && (hasVideo || !tile.self)
        ? <Player stream={tile.stream} muted={tile.self} mirror={tile.self && !tile.screen} />
        : null}
      {(!hasVideo || cameraOff) && <div class="tile-placeholder"><Avatar name={tile.name} size="l" /></div>}
      <figcaption>
        {tile.self && !client.micOn && <span aria-label="mic off">🔇 </span>}
        {tile.screen ? `${tile.name} (screen)` : tile.self ? `${tile.name} (you)` : tile.name}
        {role && !tile.screen ? <small> · {role}</small> : null}
      </figcaption>
    </figure>
  );
}
