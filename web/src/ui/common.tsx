// Small pieces every screen uses.
import { X } from 'lucide-preact';
import { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomClient } from '../room/client';
import { AccountTools } from './Header';

/** Re-renders the component whenever the room client changes. */
export function useClient(client: RoomClient): void {
  const [, setVersion] = useState(0);
  useEffect(() => client.subscribe(() => setVersion((n) => n + 1)), [client]);
}

export function Banner({ text, onClose }: { text: string | null; onClose: () => void }) {
  if (!text) return null;
  return (
    <div id="banner" class="banner" role="alert">
      <span id="banner-text">{text}</span>
      <button id="banner-close" type="button" class="icon" aria-label="Dismiss" onClick={onClose}><X size={20} /></button>
    </div>
  );
}

/** The top bar: the brand, what the page adds, and for a signed-in person the bell and the account menu. */
export function Brand({ children }: { children?: ComponentChildren }) {
  return (
    <header class="topbar">
      <a class="brand" href="/">Salotto</a>
      <div class="topbar-rest">{children}<AccountTools /></div>
    </header>
  );
}

/** A <video> (or <audio>) playing a stream; muted for our own preview and for video whose sound plays elsewhere. */
export function Player({ stream, muted, audio, id, mirror }: {
  stream: MediaStream | null; muted?: boolean; audio?: boolean; id?: string; mirror?: boolean;
}) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (element && element.srcObject !== stream) element.srcObject = stream;
  }, [stream]);
  if (audio) return <audio ref={ref} id={id} autoplay />;
  return <video ref={ref} id={id} autoplay playsInline muted={muted} class={mirror ? 'mirror' : undefined} />;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2)).toUpperCase();
}

/** A round avatar: the person's picture when there is one, else initials in a colour that follows the name. */
export function Avatar({ name, size = 'm', url }: { name: string; size?: 'xs' | 's' | 'm' | 'l' | 'xl'; url?: string | null }) {
  if (url) return <img class={`avatar avatar-${size}`} src={url} alt="" />;
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return <span class={`avatar avatar-${size}`} style={{ '--hue': String(Math.abs(hash) % 360) }}>{initials(name)}</span>;
}

/** "in 5 min", "2 h ago", or the date: when something happens or happened, as a person says it. */
export function when(iso: string, now = Date.now()): string {
  const at = new Date(iso).getTime();
  const minutes = Math.round((at - now) / 60_000);
  const abs = Math.abs(minutes);
  if (abs < 1) return minutes >= 0 ? 'now' : 'just now';
  const span = abs < 60 ? `${abs} min` : abs < 60 * 24 ? `${Math.round(abs / 60)} h` : null;
  if (span) return minutes > 0 ? `in ${span}` : `${span} ago`;
  const date = new Date(at);
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  // Within the week: "Wed 21:00"; further: "24 Dec, 21:00" ahead, "30 Nov" behind.
  if (abs < 60 * 24 * 6) return `${date.toLocaleDateString(undefined, { weekday: 'short' })} ${time}`;
  const day = date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  return minutes > 0 ? `${day}, ${time}` : day;
}

export const ACTIVITIES: Record<string, string> = {
  happy_hour: '🍹 Happy hour',
  dance_party: '🪩 Dance party',
  family: '🏡 Family',
  study_break: '📚 Study break',
  game_night: '🎲 Game night',
  hanging_out: '🛋️ Hanging out',
  just_chatting: '💬 Just chatting',
};

export const KINDS: Record<string, string> = { call: 'Call', live: 'Live', space: 'Space' };

export function activityLabel(activity: string): string {
  return ACTIVITIES[activity] ?? activity;
}

export const ROLE_LABELS: Record<string, string> = {
  host: 'Host', co_host: 'Co-host', participant: '', guest: 'On stage', speaker: 'Speaker',
  moderator: 'Moderator', viewer: 'Viewer', listener: 'Listener',
};
