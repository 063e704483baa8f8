// /admin, for the server's admins: the reports (open ones first, or all), each with what was reported as it was at
// the time (the room, the person, the comment's words), the reporter and the reason, and the actions: dismiss, end
// the room, suspend the account; each asks first.
import { Ban, CircleCheck, Flag, MessageSquare, Square, User, Users, X } from 'lucide-preact';
import { useEffect, useState } from 'preact/hooks';
import { Account, ApiError, api, isAdmin, me } from '../api';
import { Report, ReportList, Suspension, profileLink } from '../people';
import { capitalise } from '../refusals';
import { Avatar, Banner, Brand, KINDS, when } from './common';

type Action = { report: Report; kind: 'dismiss' | 'end' | 'suspend'; username?: string };

const KIND_ICON = { room: Users, participant: User, comment: MessageSquare } as const;
const KIND_LABEL = { room: 'Room', participant: 'Person', comment: 'Comment' } as const;

/** The username of the account reported (the server's `target`); null for a guest, whom nobody can suspend. */
function accountOf(report: Report): string | null {
  return report.target?.username ?? null;
}

/** Whether the reported one is an account (`a:<id>`), which can be suspended; a guest (`g:...`) cannot. */
function isAccount(report: Report): boolean {
  return Boolean(accountOf(report) || report.targetIdentity?.startsWith('a:'));
}

export function Admin() {
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const [reports, setReports] = useState<Report[] | null>(null);
  const [state, setState] = useState<'open' | 'all'>('open');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(null);

  const load = (which = state) => api<ReportList>('GET', `/api/admin/reports?state=${which}`)
    .then((r) => setReports(r.reports))
    .catch((e) => setError(e instanceof ApiError ? capitalise(e.message) : String(e)));
  useEffect(() => {
    document.title = 'Reports · Salotto admin';
    me().then((who) => { setAccount(who); if (isAdmin(who)) load(); });
  }, []);

  if (account === undefined) return <div class="page"><Brand /><p class="muted center-text" role="status">Opening…</p></div>;
  if (!isAdmin(account)) {
    return (
      <div class="page center">
        <Brand />
        <section id="notice" class="card notice-card" role="alert" data-code="not_allowed">
          <h1 id="notice-title">For admins only</h1>
          <p id="notice-text">{account ? 'Your account is not one of this server\'s admins.' : 'Log in with an admin account to see the reports.'}</p>
          <div class="row center"><a class="button ghost" href="/">Home</a></div>
        </section>
      </div>
    );
  }

  const act = async (a: Action, reason: string) => {
    if (a.kind === 'suspend' && !a.username) return;
    setAction(null);
    const { report } = a;
    try {
      if (a.kind === 'dismiss') {
        await api('POST', `/api/admin/reports/${encodeURIComponent(report.id)}/dismiss`);
        setDone('Report dismissed.');
      } else if (a.kind === 'end') {
        await api('POST', `/api/admin/rooms/${encodeURIComponent(report.room!.id)}/end`, { reportId: report.id });
        setDone(`“${report.room!.title}” ended. The people in it were told an admin ended it.`);
      } else {
        const username = a.username!;
        await api('POST', `/api/admin/accounts/${encodeURIComponent(username)}/suspend`, { reportId: report.id, reason } satisfies Suspension);
        setDone(`@${username} is suspended: logged out everywhere, their open rooms ended.`);
      }
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? capitalise(e.message) : String(e));
    }
  };

  return (
    <div class="page admin-page">
      <Brand />
      <Banner text={error} onClose={() => setError(null)} />
      <main class="home-main">
        <div class="admin-head">
          <h1 class="page-title">Reports</h1>
          <div class="tabs" role="tablist">
            <button type="button" role="tab" id="reports-open" aria-selected={state === 'open'} onClick={() => { setState('open'); load('open'); }}>Open</button>
            <button type="button" role="tab" id="reports-all" aria-selected={state === 'all'} onClick={() => { setState('all'); load('all'); }}>All</button>
          </div>
        </div>
        {done && <p id="admin-done" class="live-note" role="status"><CircleCheck size={16} />{done}</p>}
        {reports && reports.length === 0 && (
          <p id="no-reports" class="card muted center-text">{state === 'open' ? 'No open reports. All quiet.' : 'No reports yet.'}</p>
        )}
        {reports && reports.length > 0 && (
          <ul id="reports" class="report-list">
            {reports.map((r) => <li key={r.id}><ReportCard report={r} onAction={(kind) => setAction({ report: r, kind })} /></li>)}
          </ul>
        )}
      </main>
      {action && <Confirm action={action} onCancel={() => setAction(null)}
        onConfirm={(reason, username) => act({ ...action, username }, reason)} />}
    </div>
  );
}

function ReportCard({ report: r, onAction }: { report: Report; onAction: (kind: Action['kind']) => void }) {
  const Icon = KIND_ICON[r.kind] ?? Flag;
  const open = r.state === 'open';
  const username = accountOf(r);
  return (
    <article class={`card report-card${open ? '' : ' closed'}`} data-report-id={r.id} data-kind={r.kind} data-state={r.state}>
      <header class="report-head">
        <span class="report-kind"><Icon size={16} />{KIND_LABEL[r.kind] ?? r.kind}</span>
        {r.target
          ? <a class="report-target" href={profileLink(r.target.username)}>
            <strong>{r.target.displayName}</strong> <span class="muted">@{r.target.username}</span></a>
          : r.targetName && <strong class="report-target">{r.targetName}</strong>}
        <span class="muted small report-when">{when(r.createdAt)}{open ? '' : ` · ${r.state}`}</span>
      </header>
      {r.context && <blockquote class="quoted report-context">{r.context}</blockquote>}
      <p class="report-reason"><Flag size={14} /> <span><strong>Reason:</strong> {r.reason || <span class="muted">none given</span>}</span></p>
      <div class="report-meta small">
        <a class="host-chip" href={profileLink(r.reporter.username)}>
          <Avatar name={r.reporter.displayName} url={r.reporter.avatarUrl} size="xs" />
          <span>reported by {r.reporter.displayName}</span>
        </a>
        {r.room && (
          <a class="report-room" href={r.room.link}>
            <span class={`kind-badge kind-${r.room.kind}`}>{KINDS[r.room.kind]}</span>
            <span class="room-title">{r.room.title}</span>
            <span class="muted">{r.room.state === 'ended' ? 'ended' : r.room.state === 'open' ? `open · ${r.room.people ?? 0} in it` : 'scheduled'}</span>
          </a>
        )}
      </div>
      {open && (
        <div class="row wrap end report-actions">
          <button type="button" class="small ghost dismiss" onClick={() => onAction('dismiss')}>Dismiss</button>
          {r.room && r.room.state !== 'ended' && (
            <button type="button" class="small danger-ghost end-room" onClick={() => onAction('end')}><Square size={14} />End room</button>
          )}
          {isAccount(r) && (
            <button type="button" class="small danger suspend" onClick={() => onAction('suspend')}>
              <Ban size={14} />{username ? `Suspend @${username}` : 'Suspend account…'}</button>
          )}
        </div>
      )}
    </article>
  );
}

function Confirm({ action, onCancel, onConfirm }: {
  action: Action; onCancel: () => void; onConfirm: (reason: string, username?: string) => void;
}) {
  const [reason, setReason] = useState(action.report.reason ?? '');
  const known = accountOf(action.report);
  const [username, setUsername] = useState(known ?? '');
  const { report, kind } = action;
  const title = kind === 'dismiss' ? 'Dismiss this report?'
    : kind === 'end' ? `End “${report.room?.title}” for everyone?` : known ? `Suspend @${known}?` : `Suspend ${report.targetName ?? 'this account'}?`;
  const text = kind === 'dismiss' ? 'Nothing happens to the room or the person; the report leaves the open list.'
    : kind === 'end' ? 'Everyone in it leaves at once and is told an admin ended it.'
      : 'They are logged out everywhere, their open rooms end, and they cannot log in, host or join until restored.';
  return (
    <>
      <div class="sheet-backdrop" onClick={onCancel} />
      <form id="admin-confirm" class="sheet" role="alertdialog" aria-labelledby="admin-confirm-title"
        onSubmit={(e) => { e.preventDefault(); onConfirm(reason.trim(), username.trim().replace(/^@/, '') || undefined); }}>
        <div class="dialog-head">
          <h2 id="admin-confirm-title">{title}</h2>
          <button type="button" class="icon" aria-label="Cancel" onClick={onCancel}><X size={20} /></button>
        </div>
        <p class="muted">{text}</p>
        {kind === 'suspend' && !known && (
          <label><span>Their username <span class="muted">(the report names them “{report.targetName}”)</span></span>
            <input id="suspend-username" required pattern="@?[A-Za-z0-9_.]{3,32}" value={username}
              onInput={(e) => setUsername(e.currentTarget.value)} />
          </label>
        )}
        {kind === 'suspend' && (
          <label>Why (kept in the admin log)
            <input id="suspend-reason" required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
        )}
        <div class="row end">
          <button type="button" class="ghost" onClick={onCancel}>Cancel</button>
          <button id="admin-confirm-yes" type="submit" class={kind === 'dismiss' ? 'primary' : 'danger'}>
            {kind === 'dismiss' ? 'Dismiss' : kind === 'end' ? 'End room' : 'Suspend'}
          </button>
        </div>
      </form>
    </>
  );
}
