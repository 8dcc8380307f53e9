-- As ../sqlite/0014_viewed.sql: when a request's confirm page was first opened.
ALTER TABLE pending_logins ADD COLUMN viewed_at BIGINT;
