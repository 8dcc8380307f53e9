-- Refresh rotation with reuse detection (src/sessions.rs). `successor` is the refresh token
-- that replaced a rotated one: a retry within the grace gets that same token back, never a
-- second one, so one refresh JWT cannot fork into many sessions. A session's `expires_at` is
-- its absolute end (session_lifetime), which no refresh moves; existing sessions get the
-- default lifetime, 90 days from their start.
ALTER TABLE refresh_tokens ADD COLUMN successor TEXT;
ALTER TABLE sessions ADD COLUMN expires_at BIGINT;
UPDATE sessions SET expires_at = created_at + 7776000;
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
