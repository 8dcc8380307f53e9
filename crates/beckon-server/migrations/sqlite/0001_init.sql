-- Server-wide settings: the project ID and the signing key.
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
    verified_email INTEGER NOT NULL DEFAULT 0,
    verified_phone INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);

-- What a user signs in with: an email address or an E.164 phone number, each one user's only.
CREATE TABLE login_ids (
    login_id TEXT PRIMARY KEY,
    user_id  TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL
);
CREATE INDEX login_ids_by_user ON login_ids(user_id);

-- One sign-in waiting for its link. Only the SHA-256 of the pendingRef is kept (a magic link
-- has no pendingRef: its key is random and never leaves the server).
CREATE TABLE pending_logins (
    ref_hash     BLOB PRIMARY KEY,
    login_id     TEXT NOT NULL,
    method       TEXT NOT NULL,        -- enchanted | magic
    delivery     TEXT NOT NULL,        -- email | sms
    mode         TEXT NOT NULL,        -- signin | signup | signup-in
    link_number  TEXT,                 -- the linkId shown on the desktop (enchanted only)
    profile      TEXT,                 -- JSON: a sign-up's user object
    requested_by TEXT,                 -- the requester's User-Agent, shown on the confirm page
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    verified_at  INTEGER,
    user_id      TEXT REFERENCES users(user_id),
    created_user INTEGER NOT NULL DEFAULT 0, -- the verification created the user (firstSeen)
    collected_at INTEGER
);

-- The links of a pending sign-in: three numbered ones (enchanted) or one (magic). Only the
-- SHA-256 of each token is kept.
CREATE TABLE link_tokens (
    token_hash BLOB PRIMARY KEY,
    ref_hash   BLOB NOT NULL REFERENCES pending_logins(ref_hash) ON DELETE CASCADE,
    number     TEXT
);
CREATE INDEX link_tokens_by_ref ON link_tokens(ref_hash);

-- The development outbox: delivered messages, as a mailbox would hold them.
CREATE TABLE dev_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    text_body  TEXT NOT NULL,
    html_body  TEXT NOT NULL,
    links      TEXT NOT NULL,          -- JSON: [{"number": "42", "url": "..."}]
    created_at INTEGER NOT NULL
);
