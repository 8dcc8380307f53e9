-- The whole schema on PostgreSQL, as SQLite's migrations 0001-0005 build it there (see
-- ../sqlite for what each table and column is for). Differences: BYTEA for hashes, BIGINT
-- for times and flags, identity columns, and login_ids.seq for insertion order (SQLite has
-- rowid). Later migrations get the same version number in both folders.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    user_id        TEXT PRIMARY KEY,
    email          TEXT,
    phone          TEXT,
    name           TEXT,
    given_name     TEXT,
    middle_name    TEXT,
    family_name    TEXT,
    verified_email BIGINT NOT NULL DEFAULT 0,
    verified_phone BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);

CREATE TABLE login_ids (
    login_id TEXT PRIMARY KEY,
    user_id  TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    seq      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX login_ids_by_user ON login_ids(user_id);

CREATE TABLE pending_logins (
    ref_hash     BYTEA PRIMARY KEY,
    login_id     TEXT NOT NULL,
    method       TEXT NOT NULL,
    delivery     TEXT NOT NULL,
    mode         TEXT NOT NULL,
    link_number  TEXT,
    profile      TEXT,
    requested_by TEXT,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    verified_at  BIGINT,
    user_id      TEXT REFERENCES users(user_id),
    created_user BIGINT NOT NULL DEFAULT 0,
    collected_at BIGINT,
    address      TEXT,
    subject_user TEXT,
    options      TEXT
);

CREATE TABLE link_tokens (
    token_hash BYTEA PRIMARY KEY,
    ref_hash   BYTEA NOT NULL REFERENCES pending_logins(ref_hash) ON DELETE CASCADE,
    number     TEXT
);
CREATE INDEX link_tokens_by_ref ON link_tokens(ref_hash);

CREATE TABLE sessions (
    session_id    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(user_id),
    created_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    custom_claims TEXT
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE refresh_tokens (
    jti         TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
    expires_at  BIGINT NOT NULL,
    replaced_at BIGINT
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);

CREATE TABLE rate_limits (
    bucket       BYTEA PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX rate_limits_by_expiry ON rate_limits(expires_at);

CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel         TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    links           TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    dev             BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until   BIGINT,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
