// Small pieces every screen uses.
import { X } from 'lucide-preact';
import { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomClient } from '../room/client';

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

export function Brand({ children }: { children?: ComponentChildren }) {
  return (
    <header class="topbar">
      <a class="brand" href="/">Salotto</a>
      <div class="topbar-rest">{children}</div>
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

/** A round avatar with initials; its colour follows the name. */
export function Avatar({ name, size = 'm' }: { name: string; size?: 's' | 'm' | 'l' }) {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return <span class={`avatar avatar-${size}`} style={{ '--hue': String(Math.abs(hash) % 360) }}>{initials(name)}</span>;
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
