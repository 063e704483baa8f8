// A live's stage as Instagram Live shows it: the person on stage fills the frame (two share it, three or four split
// it in four); over it the hearts that viewers send float up, and the supported person sees their badge arrive.
// `Backstage` is the bar of a live in practice, with the host's "Go live".
import { Hourglass, Heart, Radio } from 'lucide-preact';
import { RoomClient } from '../../room/client';
import { VideoTile, order } from '../VideoTile';
import { Hearts } from './Hearts';

export function LiveStage({ client }: { client: RoomClient }) {
  const tiles = [...client.tiles.values()].filter((t) => !t.screen).sort((a, b) => order(a) - order(b));
  const n = tiles.length;
  return (
    <div class="live-stage">
      <div id="tiles" class={`live-tiles live-tiles-${Math.min(n, 4)}`} data-count={n}>
        {n === 0 && <p class="muted live-empty">Nobody is on stage yet.</p>}
        {tiles.map((tile) => <VideoTile key={tile.key} tile={tile} client={client} />)}
      </div>
      <FloatingHearts client={client} />
      <Celebrations client={client} />
    </div>
  );
}

/** The hearts viewers tap, rising over the right side of the stage. */
function FloatingHearts({ client }: { client: RoomClient }) {
  const hearts = client.reactions.filter((r) => r.emoji === '❤️' || r.emoji === '❤');
  if (hearts.length === 0) return null;
  return (
    <div class="floating-hearts" aria-hidden="true">
      {hearts.map((r) => (
        <span key={r.id} class={`floating-heart drift-${r.id % 4}`} data-participant-id={r.participantId}>
          <Heart size={30} fill="currentColor" strokeWidth={0} />
        </span>
      ))}
    </div>
  );
}

/** The badge this person was just given: its hearts burst over the stage with who sent it. */
function Celebrations({ client }: { client: RoomClient }) {
  const latest = client.live.celebrations[client.live.celebrations.length - 1];
  if (!latest) return null;
  return (
    <div id="celebration" class="celebration" role="status" data-hearts={latest.hearts} key={latest.id}>
      <div class="celebration-burst"><Hearts n={latest.hearts} size={56} /></div>
      <p class="celebration-text"><strong>{latest.buyerName}</strong> sent you a badge of {latest.hearts}
        {latest.hearts === 1 ? ' heart' : ' hearts'}</p>
    </div>
  );
}

/** The practice mode: who sees what, and for the host the one step to go live (shown with the room's notices). */
export function Backstage({ client }: { client: RoomClient }) {
  const host = client.role === 'host';
  return (
    <div id="backstage" class="backstage" role="status">
      <Hourglass size={18} />
      <span class="backstage-text">
        <strong>Backstage</strong>
        <span>{host ? 'Only you and your guests see this. Viewers wait until you go live.' : 'The live has not started: viewers do not see this yet.'}</span>
      </span>
      {host && (
        <button id="go-live" type="button" class="live-button" onClick={() => client.goLive()}>
          <Radio size={18} /><span>Go live</span>
        </button>
      )}
    </div>
  );
}
