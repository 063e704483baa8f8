-- WHIP and WHEP (issue 14). Same SQL on H2 and PostgreSQL (see V1).

-- Whether anyone may watch or listen to a public room over WHEP without a join token (docs/api.md "WHIP and WHEP").
-- The host's setting, off unless a row says so.
CREATE TABLE room_whep (
    room_id   VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
    anonymous BOOLEAN     NOT NULL
);
