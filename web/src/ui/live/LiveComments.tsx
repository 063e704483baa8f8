// A live's comments: the pinned one, the list (newest at the bottom, the writer's name and badge hearts), each
// comment's actions (the host's and moderator's: pin, hide, turn off that person's comments, remove them; anyone's:
// report), and the comment box, which tells in words why a comment was not posted.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Ellipsis, EyeOff, Flag, MessageCircleOff, Pin, PinOff, SendHorizontal, UserX } from 'lucide-preact';
import type { FeedItem } from '../../live/live';
import type { Comment } from '../../live/types';
import { RoomClient } from '../../room/client';
import { Avatar } from '../common';
import { ReportDialog } from '../Report';
import { Hearts } from './Hearts';

const MAX_COMMENT = 300;

export function LiveComments({ client }: { client: RoomClient }) {
  const live = client.live;
  const [menu, setMenu] = useState<{ key: string; at: DOMRect } | null>(null);
  const [reporting, setReporting] = useState<Comment | null>(null);
  const [reported, setReported] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const stuck = useRef(true);

  // Newest at the bottom: follow new comments unless the person scrolled up to read older ones.
  useLayoutEffect(() => {
    const element = list.current;
    if (element && stuck.current) element.scrollTop = element.scrollHeight;
  }, [live.feed.length, live.feed[live.feed.length - 1]?.key]);
  const onScroll = () => {
    const element = list.current!;
    stuck.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  };
  useEffect(() => {
    if (!reported) return undefined;
    const timer = window.setTimeout(() => setReported(false), 4000);
    return () => clearTimeout(timer);
  }, [reported]);

  return (
    <aside id="live-side" class="live-side" aria-label="Comments">
      <div class="live-side-head">
        <h2>Comments</h2>
        {live.commentsOff && <span class="pill muted small">Off</span>}
      </div>
      {live.pinned && (
        <div id="pinned" class="pinned" data-comment-id={live.pinned.id}>
          <Pin size={16} class="pinned-icon" />
          <div class="pinned-body">
            <span class="comment-name">{live.pinned.name}<Hearts n={live.pinned.badge} /></span>
            <span class="comment-text">{live.pinned.text}</span>
          </div>
          {live.moderates && (
            <button id="unpin" type="button" class="icon" aria-label="Unpin" title="Unpin" onClick={() => live.pin(null)}>
              <PinOff size={18} />
            </button>
          )}
        </div>
      )}
      <ol id="comments" ref={list} class="comments" onScroll={onScroll} aria-live="polite">
        {live.feed.length === 0 && <li class="comments-empty muted small">No comments yet. Say hello!</li>}
        {live.feed.map((item) => (
          <FeedLine key={item.key} item={item} client={client} open={menu?.key === item.key}
            onMenu={(at) => setMenu(at && menu?.key !== item.key ? { key: item.key, at } : null)} />
        ))}
      </ol>
      {menu && (() => {
        const item = live.feed.find((i) => i.key === menu.key);
        return item?.kind === 'comment' ? (
          <CommentMenu client={client} comment={item.comment} at={menu.at} onClose={() => setMenu(null)}
            onReport={(c) => { setMenu(null); setReporting(c); }} />
        ) : null;
      })()}
      {reported && <p id="report-thanks" class="live-note" role="status">Thanks for the report: the host and the server's admins see it.</p>}
      <CommentBox client={client} />
      {reporting && (
        <ReportDialog title="Report this comment?" quote={<><strong>{reporting.name}</strong> {reporting.text}</>}
          onClose={() => setReporting(null)}
          onReport={async (reason) => {
            const comment = reporting;
            setReporting(null);
            await live.report(comment.id, reason);
            setReported(true);
          }} />
      )}
    </aside>
  );
}

function FeedLine({ item, client, open, onMenu }: {
  item: FeedItem; client: RoomClient; open: boolean; onMenu: (at: DOMRect | null) => void;
}) {
  if (item.kind === 'badge') {
    return (
      <li class="comment badge-line" data-buyer-id={item.buyerId} data-target-id={item.targetId}>
        <span class="badge-line-icon"><Hearts n={item.hearts} /></span>
        <span class="comment-text"><strong>{item.buyerName}</strong> sent {item.targetName} a badge of {item.hearts}
          {item.hearts === 1 ? ' heart' : ' hearts'}</span>
      </li>
    );
  }
  const c = item.comment;
  const live = client.live;
  const member = client.members.get(c.participantId);
  const mine = c.participantId === client.participantId;
  const role = member?.role === 'host' ? 'Host' : member?.role === 'moderator' ? 'Moderator' : member?.role === 'guest' ? 'On stage' : null;
  const writerIsAudience = member ? RoomClient.isAudience(member.role) : false;
  return (
    <li class={`comment${open ? ' open' : ''}`} data-comment-id={c.id} data-participant-id={c.participantId}>
      <Avatar name={c.name} size="s" />
      <div class="comment-body">
        <span class="comment-name">
          {c.name}
          {c.badge > 0 && <Hearts n={c.badge} label={`badge of ${c.badge} ${c.badge === 1 ? 'heart' : 'hearts'}`} />}
          {role && <span class={`role-tag${writerIsAudience ? '' : ' stage'}`}>{role}</span>}
        </span>
        <span class="comment-text">{c.text}</span>
      </div>
      {!(mine && !live.moderates) && (
        <button type="button" class="icon more" aria-label={`Actions for ${c.name}'s comment`} aria-expanded={open}
          onClick={(e) => onMenu(open ? null : e.currentTarget.getBoundingClientRect())}>
          <Ellipsis size={18} />
        </button>
      )}
    </li>
  );
}

/**
 * A comment's actions: a menu by its button on a desktop, a sheet from the bottom on a phone. It lives outside the
 * scrolling list so that neither the list's edges nor its fade cut it.
 */
function CommentMenu({ client, comment: c, at, onClose, onReport }: {
  client: RoomClient; comment: Comment; at: DOMRect; onClose: () => void; onReport: (c: Comment) => void;
}) {
  const live = client.live;
  const member = client.members.get(c.participantId);
  const mine = c.participantId === client.participantId;
  const canMute = live.moderates && !mine && member && member.role !== 'host'
    && !(client.role === 'moderator' && member.role !== 'viewer');
  const canRemove = live.moderates && !mine && member?.role === 'viewer';
  const off = live.offFor.has(c.participantId);
  const act = (action: () => void) => () => { onClose(); action(); };
  const below = at.bottom + 230 < window.innerHeight;
  const place = below ? { top: `${at.bottom + 4}px`, right: `${Math.max(8, window.innerWidth - at.right)}px` }
    : { bottom: `${window.innerHeight - at.top + 4}px`, right: `${Math.max(8, window.innerWidth - at.right)}px` };
  return (
    <>
      <div class="menu-backdrop" onClick={onClose} />
      <div class="comment-menu" role="menu" data-comment-id={c.id} style={place} aria-label={`${c.name}'s comment`}>
        <p class="comment-menu-quote"><strong>{c.name}</strong> {c.text}</p>
        {live.moderates && (
          <button type="button" role="menuitem" class="pin" onClick={act(() => live.pin(c.id))}>
            <Pin size={16} /><span>Pin</span>
          </button>
        )}
        {live.moderates && (
          <button type="button" role="menuitem" class="hide" onClick={act(() => live.hide(c.id))}>
            <EyeOff size={16} /><span>Hide</span>
          </button>
        )}
        {canMute && (
          <button type="button" role="menuitem" class={off ? 'unmute' : 'mute'}
            onClick={act(() => live.setMemberCommentsOff(c.participantId, !off))}>
            <MessageCircleOff size={16} /><span>{off ? `Turn on ${c.name}'s comments` : `Turn off ${c.name}'s comments`}</span>
          </button>
        )}
        {canRemove && (
          <button type="button" role="menuitem" class="remove-viewer danger-text" onClick={act(() => client.removePerson(c.participantId))}>
            <UserX size={16} /><span>Remove {c.name}</span>
          </button>
        )}
        {!mine && (
          <button type="button" role="menuitem" class="report" onClick={() => onReport(c)}>
            <Flag size={16} /><span>Report</span>
          </button>
        )}
      </div>
    </>
  );
}

function CommentBox({ client }: { client: RoomClient }) {
  const live = client.live;
  const [text, setText] = useState('');
  const refusal = live.refusal;
  // A refused comment comes back into the box, to send again later or change.
  useEffect(() => {
    if (refusal && !text) setText(refusal.comment);
  }, [refusal]);
  const closedForAll = live.commentsOff && !live.moderates;
  const notice = live.myCommentsOff ? 'The host turned your comments off. Others no longer see what you write.'
    : closedForAll ? 'Comments are off for everyone right now.' : null;
  const submit = (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return;
    live.comment(text);
    setText('');
  };
  const length = [...text].length;
  return (
    <div class="comment-box">
      {notice && <p id="comment-notice" class="live-note" role="status"><MessageCircleOff size={16} />{notice}</p>}
      {refusal && <p id="comment-refusal" class="live-note refusal" role="alert">{refusal.text}</p>}
      <form id="comment-form" onSubmit={submit}>
        <input id="comment-input" name="comment" autocomplete="off" enterkeyhint="send" aria-label="Comment"
          placeholder={live.myCommentsOff ? 'Your comments are off' : closedForAll ? 'Comments are off' : 'Add a comment…'}
          value={text} onInput={(e) => setText(e.currentTarget.value)} />
        {length > MAX_COMMENT - 40 && <span class={`counter${length > MAX_COMMENT ? ' over' : ''}`}>{MAX_COMMENT - length}</span>}
        <button id="send-comment" type="submit" class="send" aria-label="Send" disabled={!text.trim() || length > MAX_COMMENT}>
          <SendHorizontal size={20} />
        </button>
      </form>
    </div>
  );
}
