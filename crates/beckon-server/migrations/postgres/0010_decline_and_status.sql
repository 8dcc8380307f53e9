-- "No, this wasn't me" on the confirm page ends a request: declined_at is when, and its
-- links are deleted with it. A poll of a declined request is told so (E062506).
ALTER TABLE pending_logins ADD COLUMN declined_at BIGINT;
-- After "Yes" the phone's page follows the request until the device collects it, by a
-- random handle of its own; only its SHA-256 is kept, like every other secret.
ALTER TABLE pending_logins ADD COLUMN status_hash BYTEA;
CREATE INDEX pending_logins_status ON pending_logins (status_hash);
