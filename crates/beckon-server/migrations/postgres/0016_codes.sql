-- As ../sqlite/0016_codes.sql: each request's code (hashed) and its wrong tries.
ALTER TABLE pending_logins ADD COLUMN code_hash BYTEA;
ALTER TABLE pending_logins ADD COLUMN code_tries BIGINT NOT NULL DEFAULT 0;
