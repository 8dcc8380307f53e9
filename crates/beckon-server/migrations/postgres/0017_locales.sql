-- As ../sqlite/0017_locales.sql: each request's language, and each user's last one.
ALTER TABLE pending_logins ADD COLUMN locale TEXT;
ALTER TABLE users ADD COLUMN locale TEXT;
