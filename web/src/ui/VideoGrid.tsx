// The videos of a call, as Google Meet and Messenger Rooms show them: a grid that fits 1 to 50 people; or, when
// someone shares a screen or a person pins a tile, a stage that shows that one large with everyone else in a strip
// (beside the stage on a wide window, below it on a narrow or upright one). The person sharing sees, instead of their
// own screen (a hall of mirrors), that they are sharing and a button to stop.
import { MonitorUp, MonitorX } from 'lucide-preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { RoomClient, Tile } from '../room/client';
import { PinAction, VideoTile, order } from './VideoTile';

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

/**
 * Where the strip goes beside a stage in a box, and the size of its 4:3 tiles: to the side when the box is wider than
 * tall (a desktop window), a fifth of the width; below when it is upright (a phone), a seventh of the height. Small
 * enough that the stage keeps most of the room, large enough to see faces; the strip scrolls when people overflow it.
 */
export function stripLayout(width: number, height: number): { side: boolean; tileWidth: number; tileHeight: number } {
  const clamp = (n: number, low: number, high: number) => Math.round(Math.min(high, Math.max(low, n)));
  if (width >= height && width >= 560) {
    const tileWidth = clamp(width / 5, 132, 240);
    return { side: true, tileWidth, tileHeight: Math.round(tileWidth / ASPECT) };
  }
  const tileHeight = clamp(height / 7, 72, 120);
  return { side: false, tileWidth: Math.round(tileHeight * ASPECT), tileHeight };
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

/** The key of this person's own share in the order of shares (they see a card, not a tile). */
const OWN_SHARE = 'self:screen';

/**
 * What the person chose to see large. `auto`: the newest screen share, else the grid; `pin`: one tile; `grid`: the
 * grid even while a screen is shared. A choice holds until a new share starts, which takes the stage (as in Meet).
 */
type Focus = { kind: 'auto' } | { kind: 'pin'; key: string } | { kind: 'grid' };

/** The shares in the order they started, newest last, and a count that grows at each new one. */
function useShareOrder(keys: string[]) {
  const state = useRef({ order: [] as string[], generation: 0 });
  const s = state.current;
  const fresh = keys.filter((k) => !s.order.includes(k));
  s.order = [...s.order.filter((k) => keys.includes(k)), ...fresh];
  if (fresh.length > 0) s.generation++;
  return s;
}

export function VideoGrid({ client }: { client: RoomClient }) {
  const [ref, size] = useSize<HTMLDivElement>();
  const tiles = [...client.tiles.values()].sort((a, b) => order(a) - order(b));
  const byKey = new Map(tiles.map((t) => [t.key, t]));
  const shares = useShareOrder([...tiles.filter((t) => t.screen).map((t) => t.key), ...(client.sharing ? [OWN_SHARE] : [])]);
  const [chosen, setChosen] = useState<{ focus: Focus; generation: number }>({ focus: { kind: 'auto' }, generation: 0 });
  // A choice made before the newest share started gives way to it; a pinned tile that is gone, too.
  let focus: Focus = chosen.generation < shares.generation ? { kind: 'auto' } : chosen.focus;
  if (focus.kind === 'pin' && !byKey.has(focus.key)) focus = { kind: 'auto' };
  const choose = (f: Focus) => setChosen({ focus: f, generation: shares.generation });

  let stage: Tile | 'own-share' | null = null;
  if (focus.kind === 'pin') stage = byKey.get(focus.key)!;
  else if (focus.kind === 'auto') {
    const newest = shares.order[shares.order.length - 1];
    stage = newest === OWN_SHARE ? 'own-share' : newest ? byKey.get(newest)! : null;
  }
  const pinnable = tiles.length > 1 || (tiles.length === 1 && stage !== null);
  const pinOf = (tile: Tile): PinAction | undefined => {
    if (!pinnable) return undefined;
    const onStage = stage === tile;
    return {
      pinned: onStage,
      // Off the stage: a pinned tile gives way to the share (if any), a share taken off shows the grid.
      toggle: () => choose(onStage ? (focus.kind === 'pin' ? { kind: 'auto' } : { kind: 'grid' }) : { kind: 'pin', key: tile.key }),
    };
  };
  const sharingNotice = client.sharing && stage !== 'own-share' ? <SharingPill client={client} /> : null;

  if (stage === null) {
    const n = tiles.length;
    const { cols, tileWidth, tileHeight } = layout(Math.max(n, 1), size.width, size.height);
    return (
      <>
        {sharingNotice}
        <div id="tiles" ref={ref} class={`grid${n === 0 ? ' empty' : ''}`} data-layout="grid" data-count={n} data-cols={cols}
          style={size.width > 0 && n > 0 ? {
            gridTemplateColumns: `repeat(${cols}, ${tileWidth}px)`, gridAutoRows: `${tileHeight}px`,
          } : undefined}>
          {n === 0 && <p class="muted">Nobody is here yet.</p>}
          {tiles.map((tile) => <VideoTile key={tile.key} tile={tile} client={client} place="grid" pin={pinOf(tile)} />)}
        </div>
      </>
    );
  }

  const strip = tiles.filter((t) => t !== stage);
  const { side, tileWidth, tileHeight } = stripLayout(size.width, size.height);
  return (
    <>
      {sharingNotice}
      <div id="tiles" ref={ref} class={`call-stage ${side ? 'strip-side' : 'strip-below'}`} data-layout="stage"
        data-count={tiles.length} style={{ '--strip-tile-width': `${tileWidth}px`, '--strip-tile-height': `${tileHeight}px` }}>
        <div id="stage" class="stage">
          {stage === 'own-share'
            ? <SharingCard client={client} />
            : <VideoTile key={stage.key} tile={stage} client={client} place="stage" pin={pinOf(stage)} />}
        </div>
        {strip.length > 0 && (
          <div id="strip" class="filmstrip" aria-label="People">
            {strip.map((tile) => <VideoTile key={tile.key} tile={tile} client={client} place="strip" pin={pinOf(tile)} />)}
          </div>
        )}
      </div>
    </>
  );
}

/** The sharer's stage: what they share goes to everyone; they are told so, and can stop. */
function SharingCard({ client }: { client: RoomClient }) {
  return (
    <div id="sharing-self" class="sharing-card" role="status">
      <span class="sharing-mark" aria-hidden="true"><MonitorUp size={34} /></span>
      <p class="sharing-title">You are sharing your screen</p>
      <p class="muted">Everyone in the call sees it.</p>
      <button id="stop-sharing" type="button" class="danger" onClick={() => client.toggleScreenShare()}>
        <MonitorX size={18} /> Stop sharing
      </button>
    </div>
  );
}

/** While the stage shows something else (a pinned tile, another share, the grid): a reminder, and the way to stop. */
function SharingPill({ client }: { client: RoomClient }) {
  return (
    <div id="sharing-self" class="sharing-pill" role="status">
      <MonitorUp size={16} aria-hidden="true" />
      <span>You are sharing your screen</span>
      <button id="stop-sharing" type="button" class="danger" onClick={() => client.toggleScreenShare()}>Stop</button>
    </div>
  );
}
