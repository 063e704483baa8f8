// The host's moderation review: what the host and the moderator did in this live, and the reports of comments,
// oldest first (GET /api/rooms/{id}/moderation).
import { useEffect, useState } from 'preact/hooks';
import { ClipboardList, X } from 'lucide-preact';
import { ApiError, api, roomPath } from '../../api';
import type { ModerationEntry, ModerationKind, ModerationReview } from '../../../../protocol/salotto-api';
import { capitalise } from '../../refusals';
import { RoomClient } from '../../room/client';

const DONE: Record<ModerationKind, (target: string) => string> = {
  hide: (t) => `hid a comment${t ? ` by ${t}` : ''}`,
  pin: (t) => `pinned a comment${t ? ` by ${t}` : ''}`,
  unpin: () => 'unpinned the pinned comment',
  comments_off: () => 'turned comments off for everyone',
  comments_on: () => 'turned comments on for everyone',
  member_comments_off: (t) => `turned ${t || 'someone'}'s comments off`,
  member_comments_on: (t) => `turned ${t || 'someone'}'s comments on`,
  remove: (t) => `removed ${t || 'a viewer'}`,
  report: (t) => `reported a comment${t ? ` by ${t}` : ''}`,
};

export function ReviewSheet({ client, onClose }: { client: RoomClient; onClose: () => void }) {
  const [entries, setEntries] = useState<ModerationEntry[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api<ModerationReview>('GET', roomPath(client.room, '/moderation'))
      .then((review) => setEntries(review.actions))
      .catch((error) => setProblem(error instanceof ApiError ? capitalise(error.message) : 'The review could not be loaded.'));
  }, []);
  return (
    <div id="review-sheet" class="sheet" role="dialog" aria-labelledby="review-title">
      <div class="dialog-head">
        <h2 id="review-title"><ClipboardList size={22} />Moderation review</h2>
        <button type="button" class="icon" aria-label="Close" onClick={onClose}><X size={20} /></button>
      </div>
      {problem && <p class="live-note refusal" role="alert">{problem}</p>}
      {entries === null && !problem && <p class="muted small">Loading…</p>}
      {entries?.length === 0 && <p class="muted small">Nothing yet: no comment hidden, pinned or reported.</p>}
      {entries && entries.length > 0 && (
        <ol id="review" class="review-list">
          {entries.map((e, i) => (
            <li key={i} data-action={e.action}>
              <span class="review-line"><strong>{e.actor}</strong> {DONE[e.action]?.(e.target ?? '') ?? e.action}</span>
              {e.text && <span class="review-text">“{e.text}”</span>}
              {e.detail && <span class="review-text muted">Reason: {e.detail}</span>}
              <time class="muted small" dateTime={e.at}>{new Date(e.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
