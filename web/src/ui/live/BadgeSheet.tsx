// The badge sheet: a viewer picks a person on stage and a badge of 1, 2 or 3 hearts at the server's prices, and buys
// it. The answer is told in words: bought, declined (nothing charged), or unknown (try again, with the same key).
import { useEffect, useState } from 'preact/hooks';
import { HeartHandshake, LoaderCircle, X } from 'lucide-preact';
import { money } from '../../live/live';
import { RoomClient } from '../../room/client';
import { Avatar } from '../common';
import { Hearts } from './Hearts';

export function BadgeSheet({ client, onClose }: { client: RoomClient; onClose: () => void }) {
  const live = client.live;
  const stage = [...client.members.values()].filter((m) => m.role === 'host' || m.role === 'guest')
    .sort((a, b) => Number(b.role === 'host') - Number(a.role === 'host') || a.name.localeCompare(b.name));
  // A purchase whose answer never came stays open with its key: the sheet comes back to it, to try again.
  const unfinished = live.attempt?.state === 'failed' ? live.attempt : null;
  const [target, setTarget] = useState<string | null>(unfinished?.body.targetId
    ?? (stage.length === 1 ? stage[0].participantId : null));
  const [hearts, setHearts] = useState(unfinished?.body.hearts ?? 3);
  useEffect(() => {
    if (!unfinished) live.clearAttempt();
    if (!live.prices) void live.loadPrices();
  }, []);
  const attempt = live.attempt;
  const price = live.prices?.prices.find((p) => p.hearts === hearts);
  const targetName = stage.find((m) => m.participantId === target)?.name;
  const busy = attempt?.state === 'sending';
  const choose = (action: () => void) => {
    if (busy) return;
    action();
    if (attempt && attempt.state !== 'failed') live.clearAttempt();
  };
  const buy = () => {
    if (target && price && !busy) void live.buy({ targetId: target, hearts });
  };
  const done = attempt?.state === 'done';

  return (
    <div id="badge-sheet" class="sheet" role="dialog" aria-labelledby="badge-title">
      <div class="dialog-head">
        <h2 id="badge-title"><HeartHandshake size={22} />Send a badge</h2>
        <button type="button" class="icon" aria-label="Close" onClick={onClose}><X size={20} /></button>
      </div>
      {done ? (
        <div id="badge-result" class="badge-result" role="status">
          <Hearts n={attempt!.body.hearts} size={40} />
          <p>You sent <strong>{stage.find((m) => m.participantId === attempt!.body.targetId)?.name ?? 'them'}</strong> a
            badge of {attempt!.body.hearts} {attempt!.body.hearts === 1 ? 'heart' : 'hearts'}
            {attempt!.purchase ? ` for ${money(attempt!.purchase.amount, attempt!.purchase.currency)}` : ''}.</p>
          <p class="muted small">It shows next to your comments for the rest of this live.</p>
          <button id="badge-done" type="button" class="primary" onClick={onClose}>Done</button>
        </div>
      ) : (
        <>
          <p class="muted small">Who do you want to support?</p>
          {stage.length === 0 && <p class="muted">Nobody is on stage right now.</p>}
          <div class="badge-targets" role="radiogroup" aria-label="Person on stage">
            {stage.map((m) => (
              <button key={m.participantId} type="button" role="radio" aria-checked={target === m.participantId}
                class={`badge-target${target === m.participantId ? ' on' : ''}`} data-participant-id={m.participantId}
                onClick={() => choose(() => setTarget(m.participantId))}>
                <Avatar name={m.name} size="m" />
                <span class="badge-target-name">{m.name}</span>
                <small class="muted">{m.role === 'host' ? 'Host' : 'Guest'}</small>
              </button>
            ))}
          </div>
          <div class="badge-options" role="radiogroup" aria-label="Badge">
            {[1, 2, 3].map((n) => {
              const p = live.prices?.prices.find((x) => x.hearts === n);
              return (
                <button key={n} type="button" role="radio" aria-checked={hearts === n} data-hearts={n}
                  class={`badge-option${hearts === n ? ' on' : ''}`} onClick={() => choose(() => setHearts(n))}>
                  <Hearts n={n} size={22} />
                  <span class="badge-price">{p && live.prices ? money(p.amount, live.prices.currency) : '…'}</span>
                </button>
              );
            })}
          </div>
          {live.pricesProblem && <p class="live-note refusal" role="alert">{live.pricesProblem}</p>}
          {attempt && attempt.state !== 'sending' && (
            <p id={attempt.state === 'declined' ? 'badge-declined' : 'badge-failed'} class="live-note refusal" role="alert">
              {attempt.message}
            </p>
          )}
          <button id="buy-badge" type="button" class="primary wide" disabled={!target || !price || busy} onClick={buy}>
            {busy ? <><LoaderCircle size={18} class="spin" />Paying…</>
              : attempt?.state === 'failed' && attempt.body.targetId === target && attempt.body.hearts === hearts ? 'Try again'
                : price && live.prices ? `Buy for ${money(price.amount, live.prices.currency)}${targetName ? ` · ${targetName}` : ''}`
                  : 'Buy'}
          </button>
        </>
      )}
    </div>
  );
}
