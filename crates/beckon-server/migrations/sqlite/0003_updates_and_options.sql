-- Where a request's links went, when that is not its login ID: a user's current email or
-- phone, after an update that did not add it to their login IDs.
ALTER TABLE pending_logins ADD COLUMN address TEXT;
-- The signed-in user (by refresh JWT) who asked: for a step-up, an MFA sign-in, or an update
-- of their own email or phone.
ALTER TABLE pending_logins ADD COLUMN subject_user TEXT;
-- JSON: what the session will carry (custom claims, the amr it adds to), and an update's
-- options (addToLoginIDs, onMergeUseExisting).
ALTER TABLE pending_logins ADD COLUMN options TEXT;

-- JSON object: custom claims (loginOptions.customClaims) every session JWT of the session
-- carries, through refreshes.
ALTER TABLE sessions ADD COLUMN custom_claims TEXT;
