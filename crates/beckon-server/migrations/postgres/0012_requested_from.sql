-- As ../sqlite/0012_requested_from.sql: the requesting client's address, kept with the request.
ALTER TABLE pending_logins ADD COLUMN requested_from TEXT;
