// A clear sentence for every refusal a person can meet (PRODUCT.md: "refused with a clear error"), by the stable
// code of the API or the WebSocket; the server's own message goes underneath when it says more.

export interface Notice {
  code: string;
  title: string;
  text: string;
}

const TITLES: Record<string, string> = {
  room_full: 'This call is full',
  room_locked: 'This room is locked',
  room_ended: 'This room has ended',
  banned: 'You were removed from this room',
  removed: 'You were removed from this room',
  blocked: 'The host has blocked you',
  denied: 'The host did not let you in',
  not_found: 'There is no room at this link',
  not_allowed: 'Not yet',
  stage_full: 'The stage is full',
  no_devices: 'No camera or microphone',
  invalid_token: 'Your invitation to this room expired',
  replaced: 'You joined from somewhere else',
  network: 'Salotto cannot be reached',
  server_restarted: 'Salotto restarted',
  server_draining: 'Salotto is restarting',
};

const TEXTS: Record<string, string> = {
  room_full: 'Nobody else can come in until someone leaves.',
  room_locked: 'The host locked it: nobody new can come in, with the link or not.',
  room_ended: 'It is closed: nobody can join it any more.',
  banned: 'You cannot come back into this room with this link.',
  removed: 'You cannot come back into this room with this link.',
  blocked: 'You cannot join this host\'s rooms.',
  denied: 'You can try again later if the host asks you to.',
  not_found: 'Check the link you were given.',
  replaced: 'This tab left the room because you opened it in another one.',
  server_restarted: 'The room ended when the server restarted. You can open Salotto again in a minute.',
  server_draining: 'It takes nobody in for now. Try again in a minute.',
};

/** Codes whose notice shows the server's own message as well as ours (an operator's words about a restart). */
const WITH_SERVER_MESSAGE = new Set(['server_restarted']);

export function notice(code: string, serverMessage?: string): Notice {
  const title = TITLES[code] ?? 'Something went wrong';
  const own = serverMessage && (!TEXTS[code] || WITH_SERVER_MESSAGE.has(code)) ? saysMore(serverMessage, TITLES[code] ?? '')
    : null;
  const text = (WITH_SERVER_MESSAGE.has(code) ? [own, TEXTS[code]] : [TEXTS[code], own]).filter(Boolean).join(' ');
  return { code, title, text: text || 'Please try again.' };
}

/**
 * The server's message, capitalised, unless it only repeats what our own words say (Salotto's default drain message
 * is "Salotto is restarting", which the title already says): then null.
 */
export function saysMore(serverMessage: string, ...ours: string[]): string | null {
  const plain = (s: string) => s.toLowerCase().replace(/[^a-z0-9 ]/g, '').replace(/\s+/g, ' ').trim();
  const said = plain(serverMessage);
  if (!said || ours.some((o) => plain(o).startsWith(said)) || said === 'salotto is restarting') return null;
  return capitalise(serverMessage);
}

export function capitalise(s: string): string {
  const t = s.trim();
  return t ? t[0].toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.') : t;
}

/** Why the camera or microphone cannot be used, from a getUserMedia error. */
export function deviceNotice(error: unknown, hosting: boolean): Notice {
  const name = (error as DOMException)?.name;
  const why = name === 'NotAllowedError'
    ? 'Your browser did not allow Salotto to use your camera and microphone. Allow them for this site and try again.'
    : name === 'NotFoundError' || name === 'OverconstrainedError'
      ? 'No camera or microphone was found. Connect one and try again.'
      : name === 'NotReadableError'
        ? 'Your camera or microphone is in use by another program.'
        : `Your camera and microphone could not start${(error as Error)?.message ? `: ${(error as Error).message}` : ''}.`;
  return {
    code: 'no_devices',
    title: 'No camera or microphone',
    text: hosting ? `${why} Hosting needs both a camera and a microphone.` : why,
  };
}
