-- The code in an enchanted-link email, typed on the desktop when the link is not the way:
-- its SHA-256 (the code itself is only in the email), and how many wrong codes were typed
-- for the request (at five it ends).
ALTER TABLE pending_logins ADD COLUMN code_hash BLOB;
ALTER TABLE pending_logins ADD COLUMN code_tries INTEGER NOT NULL DEFAULT 0;
