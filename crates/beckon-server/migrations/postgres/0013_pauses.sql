-- As ../sqlite/0013_pauses.sql: each request's mailbox, the paused mailboxes, and the kind of
-- each outbox message.
ALTER TABLE pending_logins ADD COLUMN mailbox TEXT;
UPDATE pending_logins SET mailbox = COALESCE(address, login_id);
CREATE INDEX pending_logins_by_mailbox ON pending_logins(mailbox);

CREATE TABLE mailbox_pauses (
    mailbox      TEXT PRIMARY KEY,
    paused_until BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    allow_hash   BYTEA NOT NULL UNIQUE
);

ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'sign_in';
