-- When a request's confirm page was first opened, so the funnel's "viewed" stage counts each
-- request once (across replicas: the first UPDATE that sets it counts).
ALTER TABLE pending_logins ADD COLUMN viewed_at INTEGER;
