-- A magic link bound to the app that asked for it (RFC 7636, as RFC 8252 has native apps do):
-- the S256 challenge its request carried. Such a link is redeemed only with the verifier, so
-- another program that catches the link (it registered the same URL scheme) gets nothing.
ALTER TABLE pending_logins ADD COLUMN code_challenge TEXT;
