// What the people on stage earned in this live (each their own; the host everyone's) and, for the host, the
// supporters: who bought badges, biggest first.
import { useEffect } from 'preact/hooks';
import { Coins, HandHeart, X } from 'lucide-preact';
import { money } from '../../live/live';
import { RoomClient } from '../../room/client';
import { Avatar } from '../common';
import { Hearts } from './Hearts';

export function MoneySheet({ client, onClose }: { client: RoomClient; onClose: () => void }) {
  const live = client.live;
  const host = client.role === 'host';
  useEffect(() => { void live.refreshMoney(); }, []);
  const earnings = live.earnings;
  const mine = live.myEarnings();
  const currency = earnings?.currency ?? live.supporters?.currency ?? 'USD';
  return (
    <div id="money-sheet" class="sheet" role="dialog" aria-labelledby="money-title">
      <div class="dialog-head">
        <h2 id="money-title"><Coins size={22} />{host ? 'Earnings and supporters' : 'Your earnings'}</h2>
        <button type="button" class="icon" aria-label="Close" onClick={onClose}><X size={20} /></button>
      </div>
      <div class="earned-total" id="my-earnings" data-amount={mine.amount} data-badges={mine.badges}>
        <span class="muted small">You earned</span>
        <span class="earned-amount">{money(mine.amount, currency)}</span>
        <span class="muted small">{mine.badges === 0 ? 'No badges yet in this live' : `from ${mine.badges} ${mine.badges === 1 ? 'badge' : 'badges'} in this live`}</span>
      </div>
      {host && (earnings?.earnings.length ?? 0) > 0 && (
        <section>
          <h3 class="section-title">On stage</h3>
          <ul id="earnings" class="money-list">
            {earnings!.earnings.map((e) => (
              <li key={e.identity} data-participant-id={e.participantId ?? ''}>
                <Avatar name={e.name} size="s" />
                <span class="grow">{e.name}</span>
                <span class="muted small">{e.badges} {e.badges === 1 ? 'badge' : 'badges'}</span>
                <strong>{money(e.amount, earnings!.currency)}</strong>
              </li>
            ))}
          </ul>
        </section>
      )}
      {host && (
        <section>
          <h3 class="section-title"><HandHeart size={16} />Supporters</h3>
          {(live.supporters?.supporters.length ?? 0) === 0 ? (
            <p class="muted small">Nobody has bought a badge in this live yet.</p>
          ) : (
            <ol id="supporters" class="money-list">
              {live.supporters!.supporters.map((s) => (
                <li key={s.identity}>
                  <Avatar name={s.name} size="s" />
                  <span class="grow supporter-name">{s.name}</span>
                  <span class="supporter-hearts small"><Hearts n={1} size={12} />{s.hearts} · {s.badges} {s.badges === 1 ? 'badge' : 'badges'}</span>
                  <strong>{money(s.amount, live.supporters!.currency)}</strong>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </div>
  );
}
