// The frames and bodies of a live's comments, moderation, badges and backstage (docs/protocol.md, docs/api.md),
// written to the shared contract of issue 12 until the generated declarations of protocol/ carry them.

/** A comment as the server shows it; `badge` is the hearts (0..3) of the best badge its writer bought in this live. */
export interface Comment {
  id: string;
  participantId: string;
  name: string;
  text: string;
  at: string;
  badge: number;
  /** Only for the host and the moderator, reading back: a comment they or the other hid. */
  hidden?: boolean;
}

export type LiveEvent =
  | { type: 'commentPosted'; comment: Comment }
  | { type: 'commentHidden'; commentId: string }
  | { type: 'commentPinned'; comment: Comment | null }
  | { type: 'commentsChanged'; off: boolean }
  | { type: 'memberCommentsChanged'; participantId: string; off: boolean }
  | { type: 'badgeBought'; purchaseId: string; buyerId: string; buyerName: string; targetId: string; targetName: string;
      hearts: number };

/** What a live's join snapshot adds. */
export interface LiveSnapshot {
  comments?: Comment[];
  pinned?: Comment | null;
  commentsOff?: boolean;
  commentsOffFor?: string[];
}

/** `POST /api/rooms/{id}/badges` answer. */
export interface Purchase {
  id: string;
  roomId: string;
  buyerId: string;
  targetId: string;
  hearts: number;
  amount: number;
  currency: string;
  at: string;
  state: string;
}

export interface BadgePurchase {
  targetId: string;
  hearts: number;
}

/** One price of the badge sheet: `amount` in minor units of the currency. */
export interface BadgePrice {
  hearts: number;
  amount: number;
}

export interface BadgePrices {
  currency: string;
  prices: BadgePrice[];
}

export interface Earning {
  participantId?: string;
  identity: string;
  name: string;
  amount: number;
  badges: number;
}

export interface Earnings {
  currency: string;
  earnings: Earning[];
}

export interface Supporter {
  identity: string;
  name: string;
  amount: number;
  hearts: number;
  badges: number;
}

export interface Supporters {
  currency: string;
  supporters: Supporter[];
}
