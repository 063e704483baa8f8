// People (docs/api.md "People"): profiles, follows, the home page's sections, reports and the admin's actions, as
// this browser calls them. The bodies follow the server's records; once they are generated into
// protocol/salotto-api.d.ts these declarations give way to the generated ones.

import { Room, api } from './api';

/** A person as lists show them: enough for a row with an avatar and a follow button. */
export interface PersonSummary {
  username: string;
  displayName: string;
  /** `/api/users/{u}/avatar?v=…`, or null: the initials stand in. */
  avatarUrl: string | null;
  followedByMe: boolean;
}

export interface Profile {
  username: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  followers: number;
  following: number;
  followedByMe: boolean;
  /** The caller is this person. */
  me: boolean;
  openRooms: Room[];
  upcomingRooms: Room[];
}

export interface PersonPage {
  people: PersonSummary[];
  next: string | null;
}

/** A room on the home page: with its host, and whether the caller asked to be reminded or was invited. */
export interface HomeRoom {
  room: Room;
  host: PersonSummary;
  remindMe: boolean;
  invited: boolean;
}

export interface Home {
  liveFromFollowed: HomeRoom[];
  upcoming: HomeRoom[];
  openNow: HomeRoom[];
}

export type ReportKind = 'room' | 'participant' | 'comment';

export interface NewReport {
  kind: ReportKind;
  roomId: string;
  participantId?: string;
  commentId?: string;
  reason: string;
}

export interface Report {
  id: string;
  kind: ReportKind;
  state: string;
  reason: string;
  context: string;
  createdAt: string;
  reporter: PersonSummary;
  room: Room | null;
  targetName: string | null;
  targetIdentity: string | null;
  commentId: string | null;
}

export const userPath = (username: string, rest = '') => `/api/users/${encodeURIComponent(username)}${rest}`;
export const profileLink = (username: string) => `/u/${encodeURIComponent(username)}`;

export const profile = (username: string) => api<Profile>('GET', userPath(username));

export const follow = (username: string, on: boolean) => api<void>(on ? 'PUT' : 'DELETE', userPath(username, '/follow'));

export const remindMe = (roomId: string, on: boolean) =>
  api<void>(on ? 'PUT' : 'DELETE', `/api/rooms/${encodeURIComponent(roomId)}/reminder`);

export const report = (body: NewReport) => api<Report>('POST', '/api/reports', body);

/** A Room of a list as a HomeRoom, for lists that come without one (a profile's rooms: their host is the profile). */
export function asHomeRoom(room: Room, host: PersonSummary): HomeRoom {
  return { room, host, remindMe: Boolean((room as any).remindMe), invited: Boolean((room as any).invited) };
}

/** Uploads an avatar: the file's own bytes, its type as the Content-Type (the server re-encodes it). */
export async function uploadAvatar(file: Blob): Promise<Profile> {
  return api<Profile>('PUT', '/api/me/avatar', file, { 'Content-Type': file.type || 'application/octet-stream' });
}
