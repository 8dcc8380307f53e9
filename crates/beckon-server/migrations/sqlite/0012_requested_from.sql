-- Where a sign-in request came from: the requesting client's address (as client_ip_header
-- gives it behind a proxy), so the confirm page can say roughly where that is. Kept with the
-- request and gone with it: requests are deleted when they end and when their user is.
ALTER TABLE pending_logins ADD COLUMN requested_from TEXT;
