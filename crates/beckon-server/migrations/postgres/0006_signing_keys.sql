-- Signing keys, for rotation with overlap (src/keys.rs): the newest generation signs, older
-- ones stay published until their tokens have expired. The private key (PKCS#8 PEM) is only
-- ever read by the server; the key the first versions kept in settings is moved here at
-- start (it needs its kid, which SQL cannot compute).
CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    pkcs8      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    generation BIGINT NOT NULL UNIQUE
);
