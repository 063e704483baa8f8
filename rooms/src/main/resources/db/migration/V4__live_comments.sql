-- A live's comments and their moderation (issue 12), and the live's backstage. Same SQL on H2 and PostgreSQL (see V1).

-- A live opened in practice mode: only the host and the guests the host lets in are in until the host goes live.
ALTER TABLE rooms ADD COLUMN practice BOOLEAN DEFAULT FALSE NOT NULL;
-- Comments off for everyone (but the host and the moderator), and the pinned comment, as the room last had them.
ALTER TABLE rooms ADD COLUMN comments_off BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE rooms ADD COLUMN pinned_comment_id VARCHAR(64);

-- Every comment of a live, hidden ones included (the host's review shows them). seq is the outbox sequence number of
-- the event that posted it: the room's order, which paging follows. badge: the hearts of the writer's best badge then.
-- participant_id: the writer's in the live then. text holds at most 300 code points (600 UTF-16 units).
CREATE TABLE comments (
    room_id   VARCHAR(64)              NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    id        VARCHAR(64)              NOT NULL,
    seq       BIGINT                   NOT NULL,
    participant_id VARCHAR(64)         NOT NULL,
    identity  VARCHAR(160)             NOT NULL,
    name      VARCHAR(200)             NOT NULL,
    text      VARCHAR(1200)            NOT NULL,
    at        TIMESTAMP WITH TIME ZONE NOT NULL,
    badge     INTEGER                  DEFAULT 0 NOT NULL,
    hidden    BOOLEAN                  DEFAULT FALSE NOT NULL,
    hidden_by VARCHAR(160),
    hidden_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (room_id, id)
);
CREATE UNIQUE INDEX comments_order_idx ON comments (room_id, seq);

-- The people whose comments the host or the moderator turned off in a live, by identity (so it holds if they rejoin).
CREATE TABLE comments_off_for (
    room_id  VARCHAR(64)              NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    identity VARCHAR(160)             NOT NULL,
    at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (room_id, identity)
);

-- What the host and the moderator did in a live, and the reports, for the host's review. seq: as for comments.
-- action is a ModerationAction.Action name; target and comment_id are there when the action has them.
CREATE TABLE moderation_actions (
    room_id         VARCHAR(64)              NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq             BIGINT                   NOT NULL,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_identity  VARCHAR(160)             NOT NULL,
    actor_name      VARCHAR(200)             NOT NULL,
    action          VARCHAR(32)              NOT NULL,
    target_identity VARCHAR(160),
    target_name     VARCHAR(200),
    comment_id      VARCHAR(64),
    detail          VARCHAR(1000),
    PRIMARY KEY (room_id, seq)
);

-- Reports of comments: one per person and comment.
CREATE TABLE comment_reports (
    room_id           VARCHAR(64)              NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    comment_id        VARCHAR(64)              NOT NULL,
    reporter_identity VARCHAR(160)             NOT NULL,
    reporter_name     VARCHAR(200)             NOT NULL,
    reason            VARCHAR(1000),
    at                TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (room_id, comment_id, reporter_identity)
);
