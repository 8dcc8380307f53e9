-- As ../sqlite/0015_sign_in_notices.sql: the "New sign-in" notices and the session each one
-- can sign out.
CREATE TABLE sign_in_notices (
    token_hash  BYTEA PRIMARY KEY,
    session_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    mailbox     TEXT NOT NULL,
    requested_from TEXT,
    requested_by   TEXT,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sign_in_notices_by_user ON sign_in_notices(user_id);
