-- One fixed-window counter per action and login ID or client IP. `bucket` is the SHA-256 of
-- "<action>:<login|ip>:<value>", so no address is kept in the clear. Rows past `expires_at`
-- are counted from zero again, and the cleanup task deletes them.
CREATE TABLE rate_limits (
    bucket       BLOB PRIMARY KEY,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX rate_limits_by_expiry ON rate_limits(expires_at);
