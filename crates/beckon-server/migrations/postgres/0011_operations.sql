-- As ../sqlite/0011_operations.sql: a user's status, the audit trail, the management keys.

ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'enabled';
ALTER TABLE pending_logins ADD COLUMN expiry_noted BIGINT NOT NULL DEFAULT 0;

CREATE TABLE audit_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_ms BIGINT NOT NULL,
    action      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    user_id     TEXT,
    login_id    TEXT,
    remote_ip   TEXT,
    user_agent  TEXT,
    method      TEXT,
    data        TEXT NOT NULL
);
CREATE INDEX audit_events_by_time ON audit_events(occurred_ms);
CREATE INDEX audit_events_by_user ON audit_events(user_id);

CREATE TABLE management_keys (
    key_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used  BIGINT
);
