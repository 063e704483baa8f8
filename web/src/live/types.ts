// The frames and bodies of a live's comments, moderation, badges and backstage (docs/protocol.md, docs/api.md),
// generated from the server's records (protocol/): a renamed field fails the type check.

import type { Comment, RoomEventFrame } from '../../../protocol/salotto-protocol';

export type { Comment } from '../../../protocol/salotto-protocol';
export type {
  BadgePrice, BadgePrices, BadgePurchase, CommentReport, CommentsOff, Earning, Earnings, Pin, Purchase, Supporter, Supporters,
} from '../../../protocol/salotto-api';

/** The room events of a live's comments and badges. */
export type LiveEvent = Extract<RoomEventFrame, {
  type: 'commentPosted' | 'commentHidden' | 'commentPinned' | 'commentsChanged' | 'memberCommentsChanged' | 'badgeBought';
}>;

/** What a live's join snapshot adds (absent in a call or a space). */
export interface LiveSnapshot {
  comments?: Comment[];
  pinned?: Comment | null;
  commentsOff?: boolean;
  commentsOffFor?: string[];
}
