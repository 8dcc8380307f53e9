-- A "No, this wasn't me" protects the mailbox: every open request to it ends, and sign-in
-- messages to it pause for pause_after_decline.

-- The mailbox a request's messages go to (domain::address::mailbox: +tags merged), so a "No"
-- finds every request to it. Requests from before this migration keep their address as
-- written, tag and all; they expire within link_ttl.
ALTER TABLE pending_logins ADD COLUMN mailbox TEXT;
UPDATE pending_logins SET mailbox = COALESCE(address, login_id);
CREATE INDEX pending_logins_by_mailbox ON pending_logins(mailbox);

-- A mailbox whose sign-in messages are paused until paused_until. allow_hash: the SHA-256 of
-- the token in the owner's email whose page lifts the pause ("It was me"). Deleted when it
-- runs out, when lifted, and with the user whose address it is.
CREATE TABLE mailbox_pauses (
    mailbox      TEXT PRIMARY KEY,
    paused_until INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    allow_hash   BLOB NOT NULL UNIQUE
);

-- What each message is: sign_in (its links), paused (the owner told of a pause). Readers of
-- the development outbox pick sign-in messages by it.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'sign_in';
