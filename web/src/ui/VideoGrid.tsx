// The videos of a call (a grid that fits 1 to 50) or of a live's stage (1 to 4): one tile per person on stage, one
// per shared screen; the active speaker is outlined.
import { MicOff } from 'lucide-preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { RoomClient, Tile } from '../room/client';
import { Avatar, Player, ROLE_LABELS } from './common';

const GAP = 8;
const ASPECT = 4 / 3;
const MIN_TILE_WIDTH = 96;

/**
 * The grid for n 4:3 tiles in a box: the number of columns that makes the tiles largest while all fit; when even the
 * smallest tiles would not fit (many people on a phone), tiles keep a minimum width and the grid scrolls.
 */
export function layout(n: number, width: number, height: number): { cols: number; tileWidth: number; tileHeight: number } {
  let best = { cols: 1, tileWidth: 0, tileHeight: 0 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    let w = (width - GAP * (cols - 1)) / cols;
    let h = w / ASPECT;
    if (rows * h + GAP * (rows - 1) > height) {
      h = (height - GAP * (rows - 1)) / rows;
      w = h * ASPECT;
    }
    if (w > best.tileWidth) best = { cols, tileWidth: w, tileHeight: h };
  }
  if (best.tileWidth < MIN_TILE_WIDTH) {
    const cols = Math.max(1, Math.floor((width + GAP) / (MIN_TILE_WIDTH + GAP)));
    const w = (width - GAP * (cols - 1)) / cols;
    best = { cols, tileWidth: w, tileHeight: w / ASPECT };
  }
  return { cols: best.cols, tileWidth: Math.floor(best.tileWidth), tileHeight: Math.floor(best.tileHeight) };
}

/** The content box of an element, kept up to date. */
function useSize<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      setSize((s) => (Math.abs(s.width - width) < 1 && Math.abs(s.height - height) < 1 ? s : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size] as const;
}

export function VideoGrid({ client }: { client: RoomClient }) {
  const [ref, size] = useSize<HTMLDivElement>();
  const tiles = [...client.tiles.values()].sort((a, b) => order(a) - order(b));
  const n = tiles.length;
  const { cols, tileWidth, tileHeight } = layout(Math.max(n, 1), size.width, size.height);
  return (
    <div id="tiles" ref={ref} class={`grid${n === 0 ? ' empty' : ''}`} data-count={n} data-cols={cols}
      style={size.width > 0 && n > 0 ? {
        gridTemplateColumns: `repeat(${cols}, ${tileWidth}px)`, gridAutoRows: `${tileHeight}px`,
      } : undefined}>
      {n === 0 && (
        <p class="muted">{client.kind === 'live' ? 'The live has not started yet: nobody is on stage.' : 'Nobody is here yet.'}</p>
      )}
      {tiles.map((tile) => <VideoTile key={tile.key} tile={tile} client={client} />)}
    </div>
  );
}

export function order(tile: Tile): number {
  return tile.screen ? 0 : tile.self ? 2 : 1;
}

export function VideoTile({ tile, client }: { tile: Tile; client: RoomClient }) {
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
  // The size this tile shows the video at goes to the server, which sends the simulcast layer that covers it.
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
  return (
    <figure ref={figure} class={`tile${tile.self ? ' self' : ''}${tile.screen ? ' screen' : ''}${speaking ? ' speaking' : ''}${dominant ? ' dominant' : ''}`}
      data-participant-id={tile.self ? 'self' : tile.key}>
      {/* Under a remote video until its first frames come: the person's avatar rather than an empty box. */}
      {hasVideo && !tile.self && <div class="tile-placeholder under"><Avatar name={tile.name} size="l" /></div>}
      {tile.stream && (hasVideo || !tile.self)
        ? <Player stream={tile.stream} muted={tile.self} mirror={tile.self && !tile.screen} />
        : null}
      {(!hasVideo || cameraOff) && <div class="tile-placeholder"><Avatar name={tile.name} size="l" /></div>}
      <figcaption>
        {micOff && <span class="tile-mic-off" aria-label="mic off"><MicOff size={14} /></span>}
        {tile.screen ? `${tile.name} (screen)` : tile.self ? `${tile.name} (you)` : tile.name}
        {role && !tile.screen ? <small> · {role}</small> : null}
      </figcaption>
    </figure>
  );
}
