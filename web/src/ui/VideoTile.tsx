// One video tile of a call or of a live's stage: a person on stage (camera and mic) or a shared screen. The active
// speaker is outlined; a muted mic shows its icon; a camera that is off shows the person's avatar. In a call a tile
// can be pinned (shown large on the stage) and unpinned, by its pin button or a click on the tile. A video the server
// has paused because this person's connection is too weak for it says so over its last frame.
import { MicOff, Pin, PinOff, WifiOff } from 'lucide-preact';
import { useEffect, useRef } from 'preact/hooks';
import { RoomClient, Tile } from '../room/client';
import { Avatar, Player, ROLE_LABELS } from './common';

/** Where a tile is shown: in the call's grid, large on the stage, small in the strip beside or below the stage. */
export type TilePlace = 'grid' | 'stage' | 'strip';

/** What a tile's pin button does: show it on the stage, or take it off (back to the screen share or the grid). */
export interface PinAction {
  pinned: boolean;
  toggle: () => void;
}

export function order(tile: Tile): number {
  return tile.screen ? 0 : tile.self ? 2 : 1;
}

export function tileLabel(tile: Tile): string {
  return tile.screen ? `${tile.name} (screen)` : tile.self ? `${tile.name} (you)` : tile.name;
}

export function VideoTile({ tile, client, place = 'grid', pin }: {
  tile: Tile; client: RoomClient; place?: TilePlace; pin?: PinAction;
}) {
  const member = client.members.get(tile.participantId);
  const speaking = !tile.screen && client.speaking.has(tile.participantId);
  // The call's highlighted tile: who holds the floor by the server's detection (docs/protocol.md "Active speakers").
  const dominant = !tile.screen && client.dominant === tile.participantId;
  const hasVideo = tile.tracks.some((t) => t.kind === 'video');
  const cameraOff = !tile.screen && (tile.self ? !client.cameraOn : client.isMuted(tile.participantId, 'camera'));
  const micOff = !tile.screen && (tile.self ? !client.micOn : client.isMuted(tile.participantId, 'mic'));
  const role = member ? ROLE_LABELS[member.role] : '';
  const figure = useRef<HTMLElement>(null);
  const videoTrackId = tile.self ? undefined : tile.videoTrackId;
  // Paused by the server for our downlink (docs/protocol.md, trackPaused): the last frame would look like a freeze.
  const paused = hasVideo && !cameraOff && client.isVideoPaused(videoTrackId);
  // The size this tile shows the video at goes to the server, which sends the simulcast layer that covers it. A tile
  // that moves between the grid, the stage and the strip is a new element: its new size is told as it mounts.
  useEffect(() => {
    const element = figure.current;
    if (!element || !videoTrackId) return undefined;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      const scale = window.devicePixelRatio || 1;
      client.setVideoSize(videoTrackId, width * scale, height * scale);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      client.forgetVideoSize(videoTrackId);
    };
  }, [client, videoTrackId]);
  const label = tileLabel(tile);
  const classes = ['tile', `in-${place}`];
  if (tile.self) classes.push('self');
  if (tile.screen) classes.push('screen');
  if (speaking) classes.push('speaking');
  if (dominant) classes.push('dominant');
  if (pin?.pinned) classes.push('tile-pinned');
  if (paused) classes.push('video-paused');
  // A click anywhere on a small tile shows it large (the pin button is the keyboard's way, and the way back).
  const clickToPin = pin && !pin.pinned && place !== 'stage' ? () => pin.toggle() : undefined;
  return (
    <figure ref={figure} class={classes.join(' ')} data-participant-id={tile.self ? 'self' : tile.key}
      data-place={place} onClick={clickToPin}>
      {/* Under a remote video until its first frames come: the person's avatar rather than an empty box. */}
      {hasVideo && !tile.self && <div class="tile-placeholder under"><Avatar name={tile.name} size="l" /></div>}
      {tile.stream && (hasVideo || !tile.self)
        ? <Player stream={tile.stream} muted={tile.self} mirror={tile.self && !tile.screen} />
        : null}
      {(!hasVideo || cameraOff) && <div class="tile-placeholder"><Avatar name={tile.name} size="l" /></div>}
      {paused && (
        <div class="tile-paused" role="status">
          <WifiOff size={place === 'strip' ? 18 : 28} aria-hidden="true" />
          <span>Paused: weak connection</span>
        </div>
      )}
      <figcaption>
        {micOff && <span class="tile-mic-off" aria-label="mic off"><MicOff size={14} /></span>}
        {label}
        {role && !tile.screen ? <small> · {role}</small> : null}
      </figcaption>
      {pin && (
        <button type="button" class="tile-pin" aria-pressed={pin.pinned}
          aria-label={pin.pinned ? `Unpin ${label}` : `Pin ${label}`} title={pin.pinned ? 'Unpin' : 'Pin: show large'}
          onClick={(event) => { event.stopPropagation(); pin.toggle(); }}>
          {pin.pinned ? <PinOff size={16} /> : <Pin size={16} />}
        </button>
      )}
    </figure>
  );
}
