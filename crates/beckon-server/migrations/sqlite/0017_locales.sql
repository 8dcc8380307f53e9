-- The language a request's messages and pages are written in (a BCP 47 tag, as the client
-- asked or as the user last signed in), and each user's from their last sign-in, for
-- requests that name none.
ALTER TABLE pending_logins ADD COLUMN locale TEXT;
ALTER TABLE users ADD COLUMN locale TEXT;
