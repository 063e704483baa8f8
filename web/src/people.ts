// People (docs/api.md "People"): profiles, follows, the home page's sections, reports and the admin's actions, as
// this browser calls them. The bodies are the server's records (protocol/salotto-api.d.ts, generated).

import { Room, api } from './api';
import type {
  Home, HomeRoom, NewReport, PersonPage, PersonSummary, Profile, ProfileChanges, Report, ReportKind, ReportList, Suspension,
} from '../../protocol/salotto-api';

export type {
  Home, HomeRoom, NewReport, PersonPage, PersonSummary, Profile, ProfileChanges, Report, ReportKind, ReportList, Suspension,
};

export const userPath = (username: string, rest = '') => `/api/users/${encodeURIComponent(username)}${rest}`;
export const profileLink = (username: string) => `/u/${encodeURIComponent(username)}`;

export const profile = (username: string) => api<Profile>('GET', userPath(username));

export const follow = (username: string, on: boolean) => api<void>(on ? 'PUT' : 'DELETE', userPath(username, '/follow'));

export const remindMe = (roomId: string, on: boolean) =>
  api<void>(on ? 'PUT' : 'DELETE', `/api/rooms/${encodeURIComponent(roomId)}/reminder`);

export const report = (body: NewReport) => api<Report>('POST', '/api/reports', body satisfies NewReport);

/** A Room of a list as a HomeRoom, for lists that come without one (a profile's rooms: their host is the profile). */
export function asHomeRoom(room: Room, host: PersonSummary, remindMe = false): HomeRoom {
  return { room, host, remindMe, invited: false };
}

/** Uploads an avatar: the file's own bytes, its type as the Content-Type (the server re-encodes it). */
export async function uploadAvatar(file: Blob): Promise<Profile> {
  return api<Profile>('PUT', '/api/me/avatar', file, { 'Content-Type': file.type || 'application/octet-stream' });
}
