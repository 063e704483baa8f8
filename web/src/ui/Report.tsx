// Reporting a room, a person in it or a comment, with a reason (a quick choice or one's own words); and blocking a
// person, after a confirmation that says what it does. Reports go to the server's admins (POST /api/reports; a
// comment's report also goes to the live's host, by the comment route).
import { Ban, Flag, X } from 'lucide-preact';
import { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

const QUICK = ['Spam', 'Harassment or bullying', 'Hate speech', 'Nudity or sexual content', 'Violence or threats', 'Pretending to be someone'];
const REASON_MAX = 500;

export function ReportDialog({ title, quote, onClose, onReport }: {
  title: string; quote?: ComponentChildren; onClose: () => void; onReport: (reason: string) => Promise<void> | void;
}) {
  const [choice, setChoice] = useState<string | null>(null);
  const [words, setWords] = useState('');
  const [busy, setBusy] = useState(false);
  const reason = [choice, words.trim()].filter(Boolean).join(': ');
  return (
    <>
      <div class="sheet-backdrop" onClick={onClose} />
      <div id="report-dialog" class="sheet" role="dialog" aria-labelledby="report-title">
        <div class="dialog-head">
          <h2 id="report-title"><Flag size={18} />{title}</h2>
          <button type="button" class="icon" aria-label="Close" onClick={onClose}><X size={20} /></button>
        </div>
        {quote && <blockquote class="quoted">{quote}</blockquote>}
        <form class="stack" onSubmit={async (e) => {
          e.preventDefault();
          if (!reason) return;
          setBusy(true);
          try { await onReport(reason); } finally { setBusy(false); }
        }}>
          <div class="reason-chips" role="radiogroup" aria-label="What is wrong">
            {QUICK.map((q) => (
              <button key={q} type="button" role="radio" aria-checked={choice === q} class={`chip-choice${choice === q ? ' on' : ''}`}
                onClick={() => setChoice(choice === q ? null : q)}>{q}</button>
            ))}
          </div>
          <label><span>{choice ? 'Anything to add? ' : 'Or say what is wrong'}{choice && <span class="muted">(optional)</span>}</span>
            <input id="report-reason" maxLength={REASON_MAX - 40} value={words} onInput={(e) => setWords(e.currentTarget.value)} />
          </label>
          <p class="muted small">The server's admins see your report and what was reported. The person is not told who reported them.</p>
          <div class="row end">
            <button type="button" class="ghost" onClick={onClose}>Cancel</button>
            <button id="send-report" type="submit" class="danger" disabled={!reason || busy}><Flag size={18} />Report</button>
          </div>
        </form>
      </div>
    </>
  );
}

export function BlockDialog({ name, onClose, onBlock }: { name: string; onClose: () => void; onBlock: () => void }) {
  return (
    <>
      <div class="sheet-backdrop" onClick={onClose} />
      <div id="block-dialog" class="sheet" role="alertdialog" aria-labelledby="block-title">
        <div class="dialog-head">
          <h2 id="block-title"><Ban size={18} />Block {name}?</h2>
          <button type="button" class="icon" aria-label="Close" onClick={onClose}><X size={20} /></button>
        </div>
        <p>{name} leaves this room now and cannot join any of your rooms, with a link or not.</p>
        <p class="muted small">You can unblock them later in Settings.</p>
        <div class="row end">
          <button type="button" class="ghost" onClick={onClose}>Cancel</button>
          <button id="confirm-block" type="button" class="danger" onClick={onBlock}><Ban size={18} />Block</button>
        </div>
      </div>
    </>
  );
}
