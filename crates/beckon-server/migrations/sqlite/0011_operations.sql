-- What an operator needs (docs/wire.md §10): a user's status, the audit trail, and the
-- management keys.

-- `enabled` or `disabled`: a disabled user cannot sign in and has no running session.
ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'enabled';

-- A request that expired unconfirmed has had its `expired` event written (once, by any
-- replica's clean-up).
ALTER TABLE pending_logins ADD COLUMN expiry_noted INTEGER NOT NULL DEFAULT 0;

-- One row per event that matters. Never a token: login IDs, addresses and user agents only,
-- and those are erased (set NULL) when the user is deleted.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_ms INTEGER NOT NULL,
    action      TEXT NOT NULL,
    outcome     TEXT NOT NULL,         -- success | refused | failure
    user_id     TEXT,
    login_id    TEXT,
    remote_ip   TEXT,
    user_agent  TEXT,
    method      TEXT,                  -- enchantedlink | magiclink | session | management | cli | server
    data        TEXT NOT NULL          -- JSON object: the event's details
);
CREATE INDEX audit_events_by_time ON audit_events(occurred_ms);
CREATE INDEX audit_events_by_user ON audit_events(user_id);

-- Keys for the management API: only the SHA-256 of each is kept.
CREATE TABLE management_keys (
    key_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used  INTEGER
);
