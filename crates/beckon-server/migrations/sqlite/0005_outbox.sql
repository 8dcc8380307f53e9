-- Every message the server sends, written in the same transaction as the request that sends
-- it. With SMTP or an SMS provider set up, the delivery worker claims a row (claimed_until),
-- sends it, and marks it sent, or schedules another attempt (next_attempt_at) with backoff;
-- a claim that outlives a crashed worker runs out and the row is tried again. Bodies are
-- cleared once sent: they hold working links. In development (`dev = 1`) the row is the
-- delivery: /dev/outbox shows it, and nothing is sent.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT NOT NULL,            -- email | sms
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    links           TEXT NOT NULL,            -- JSON, for /dev/outbox: [{"number": "42", "url": "..."}]
    message_id      TEXT NOT NULL,            -- the same Message-ID on every attempt
    dev             INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,         -- the links' expiry: no point sending after it
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    sent_at         INTEGER,
    failed_at       INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

INSERT INTO outbox (channel, recipient, subject, text_body, html_body, links, message_id, dev,
                    created_at, expires_at, next_attempt_at, sent_at)
SELECT CASE WHEN recipient LIKE '+%' THEN 'sms' ELSE 'email' END, recipient, subject,
       text_body, html_body, links, '<dev-' || id || '@beckon>', 1, created_at, created_at,
       created_at, created_at
FROM dev_outbox;
DROP TABLE dev_outbox;
