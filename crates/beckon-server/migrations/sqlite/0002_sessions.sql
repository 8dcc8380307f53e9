-- A signed-in session: one per sign-in. Logout revokes it; refresh JWTs rotate within it.
CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(user_id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- Every refresh JWT issued, by its `jti` (the JWT itself is never stored). `replaced_at` marks
-- one that a refresh rotated out; it keeps working for a short grace, then not.
CREATE TABLE refresh_tokens (
    jti         TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL,
    replaced_at INTEGER
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);
