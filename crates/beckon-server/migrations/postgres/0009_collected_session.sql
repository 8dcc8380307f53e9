-- The refresh token a collected sign-in was handed out with. If that answer never reached
-- the device (a crash, a cut connection), the same device asking again within a minute gets
-- the same session, rather than a sign-in the person confirmed being lost. The jti alone
-- grants nothing: a refresh JWT also needs the server's signature.
ALTER TABLE pending_logins ADD COLUMN collected_jti TEXT;
