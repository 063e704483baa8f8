-- The room runtime (issue 10): a room's mutable fields are written together after each decision, with the events it
-- caused in an outbox that webhooks and notifications read, and the room's durable timers.

-- Whether people were in the room when it was last written: a room still "occupied" at start-up was open when the
-- process died, and gets the rules of its host leaving.
ALTER TABLE rooms ADD COLUMN occupied BOOLEAN DEFAULT FALSE NOT NULL;

-- The transactional outbox: every event a room decided, in order per room (seq), written in the same transaction as
-- the state it changed. payload is the event as JSON. Rows are never changed; readers keep their own position.
CREATE TABLE room_events (
    room_id VARCHAR(64)              NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq     BIGINT                   NOT NULL,
    type    VARCHAR(64)              NOT NULL,
    payload VARCHAR(8000)            NOT NULL,
    at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (room_id, seq)
);

-- Durable timers: what must happen to a room at a time even if the process restarts meanwhile (the host's grace).
CREATE TABLE room_timers (
    room_id VARCHAR(64)              NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    kind    VARCHAR(32)              NOT NULL,
    due_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (room_id, kind)
);
