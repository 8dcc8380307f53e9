-- "New sign-in to <app>": each session handed out to a returning user is told to them, with
-- a link whose page signs that one session out ("This wasn't me"). token_hash: the SHA-256 of
-- the link's token. mailbox: where the notice went (+tags merged), which the page may pause.
-- requested_from/requested_by: the signed-in request's address and User-Agent, for its page.
-- Deleted when it runs out (with the session's lifetime), once its session is gone, and with
-- its user.
CREATE TABLE sign_in_notices (
    token_hash  BLOB PRIMARY KEY,
    session_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    mailbox     TEXT NOT NULL,
    requested_from TEXT,
    requested_by   TEXT,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sign_in_notices_by_user ON sign_in_notices(user_id);
