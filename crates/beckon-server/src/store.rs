//! Storage through sqlx, on SQLite or PostgreSQL (chosen by the database URL). Every query is
//! written once, in SQL both understand (`$1` parameters, `ON CONFLICT`, `RETURNING`, integers
//! for flags and times); each backend has its own migrations, with the same versions. Every
//! secret arrives here already hashed.

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

mod outbox;
pub use outbox::{DeliveryCounts, OutboxRow, Outgoing, Queued};

/// A signing key as listed; its private key is read apart, only when needed.
pub struct StoredKey {
    pub kid: String,
    pub created_at: i64,
    /// 1 for the first key, one more for each rotation.
    pub generation: i64,
}

/// How a pending sign-in treats the user (the endpoint it came from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    SignIn,
    SignUp,
    SignUpOrIn,
    /// A signed-in user confirms a new email address or phone number.
    Update,
}

/// Enchanted link (three numbered links, the session goes to the device that asked) or magic
/// link (one link, the session goes to where it is opened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Enchanted,
    Magic,
}

/// Where the links go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident = $text:literal),+ }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
            fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($ty::$variant),)+ _ => None }
            }
        }
    };
}
text_enum!(Mode {
    SignIn = "signin",
    SignUp = "signup",
    SignUpOrIn = "signup-in",
    Update = "update"
});
text_enum!(Method { Enchanted = "enchanted", Magic = "magic" });
text_enum!(Channel { Email = "email", Sms = "sms" });

/// A sign-up's user object (spec §3.3), as it arrives and as it is kept until the link is
/// confirmed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// What a pending request carries beyond who and where: for the session it will start
/// (`loginOptions`), and for an update, how the new address joins the user.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PendingOptions {
    /// Claims the session JWT will carry.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
    /// The `amr` of the signed-in session a step-up or MFA sign-in adds to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prior_amr: Vec<String>,
    /// End the user's other sessions when this one starts.
    pub revoke_other_sessions: bool,
    /// An update: the new address becomes a login ID too.
    pub add_to_login_ids: bool,
    /// An update that meets another user with the new login ID keeps that user, not the one
    /// updating.
    pub on_merge_use_existing: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct User {
    pub user_id: String,
    pub login_ids: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub family_name: Option<String>,
    pub verified_email: bool,
    pub verified_phone: bool,
    pub created_at: i64,
}

/// A new pending sign-in with its three links.
pub struct NewPending<'a> {
    pub ref_hash: &'a [u8],
    pub login_id: &'a str,
    pub method: Method,
    pub channel: Channel,
    pub mode: Mode,
    pub link_number: Option<&'a str>,
    pub profile: Option<&'a Profile>,
    pub requested_by: Option<&'a str>,
    pub created_at: i64,
    pub expires_at: i64,
    pub tokens: &'a [(Vec<u8>, Option<String>)],
    /// Where the links go, when not to `login_id`.
    pub address: Option<&'a str>,
    /// The signed-in user who asked (step-up, MFA, update).
    pub subject_user: Option<&'a str>,
    /// A magic link's S256 code challenge: redeemed only with its verifier.
    pub code_challenge: Option<&'a str>,
    pub options: &'a PendingOptions,
}

/// A pending sign-in as stored.
#[derive(Debug, Clone)]
pub struct Pending {
    pub ref_hash: Vec<u8>,
    pub login_id: String,
    pub method: Method,
    pub channel: Channel,
    pub mode: Mode,
    pub link_number: Option<String>,
    pub profile: Option<Profile>,
    pub requested_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub verified_at: Option<i64>,
    pub user_id: Option<String>,
    /// The verification created the user: this is their first sign-in.
    pub created_user: bool,
    pub collected_at: Option<i64>,
    /// The refresh token it was handed out with.
    pub collected_jti: Option<String>,
    pub address: Option<String>,
    pub subject_user: Option<String>,
    pub options: PendingOptions,
    /// A magic link's S256 code challenge, when its request carried one.
    pub code_challenge: Option<String>,
}

impl Pending {
    /// Where the links went: the address that the confirmation proves.
    pub fn address(&self) -> &str {
        self.address.as_deref().unwrap_or(&self.login_id)
    }
}

/// A link, with the pending sign-in it belongs to.
#[derive(Debug, Clone)]
pub struct Link {
    /// The number printed next to it (enchanted links only).
    pub number: Option<String>,
    pub pending: Pending,
}

/// A refresh JWT as stored (by `jti`), with its session.
#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub jti: String,
    pub session_id: String,
    pub user_id: String,
    pub expires_at: i64,
    pub replaced_at: Option<i64>,
    /// The token that replaced this one, once rotated.
    pub successor: Option<String>,
    pub session_revoked_at: Option<i64>,
    /// The session's absolute end.
    pub session_expires_at: i64,
    /// Claims every session JWT of the session carries.
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
}

/// A session to start.
#[derive(Clone, Copy)]
pub struct NewSession<'a> {
    pub session_id: &'a str,
    pub user_id: &'a str,
    /// The first refresh JWT's ID.
    pub jti: &'a str,
    pub now: i64,
    /// When that refresh JWT expires.
    pub expires_at: i64,
    /// The session's absolute end, which refreshes do not move.
    pub session_expires_at: i64,
    pub custom_claims: &'a serde_json::Map<String, serde_json::Value>,
    pub revoke_others: bool,
}

/// Which database the URL named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn of(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            anyhow::bail!(
                "the database URL must start with sqlite: (sqlite:///var/lib/beckon/beckon.db) or \
                 postgres:// (postgres://USER:PASSWORD@HOST:5432/DATABASE); got {}",
                redact(url)
            )
        }
    }
}

/// A SQLite file holds the signing keys: only its owner may read it (and its journal files).
fn keep_private(url: &str) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:")
            .split('?')
            .next()
            .unwrap_or_default();
        if path.is_empty() || path.contains(":memory:") {
            return Ok(());
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{path}{suffix}");
            match std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !suffix.is_empty() => {}
                Err(e) => anyhow::bail!(
                    "cannot make the database {file} readable by its owner only: {e}; it holds \
                     the signing keys"
                ),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = url;
    Ok(())
}

/// A database URL as it may be shown: without its password.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => url.split('@').next_back().unwrap_or_default().to_owned(),
    }
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

const USER_COLUMNS: &str = "u.user_id, u.email, u.phone, u.name, u.given_name, u.middle_name, \
     u.family_name, u.verified_email, u.verified_phone, u.created_at";

const PENDING_COLUMNS: &str = "p.ref_hash, p.login_id, p.method, p.delivery, p.mode, \
     p.link_number, p.profile, \
     p.requested_by, p.created_at, p.expires_at, p.verified_at, p.user_id, p.created_user, \
     p.collected_at, p.collected_jti, p.address, p.subject_user, p.options, p.code_challenge";

impl Store {
    /// Opens (creating a SQLite file if needed) the database at `url` and brings its schema
    /// up to date. Servers sharing a PostgreSQL database migrate it one at a time.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                let in_memory = url.contains(":memory:") || url.contains("mode=memory");
                let url = if in_memory || url.contains("mode=") {
                    url.to_owned()
                } else {
                    let sep = if url.contains('?') { '&' } else { '?' };
                    format!("{url}{sep}mode=rwc")
                };
                // An in-memory database lives as long as its one connection.
                let options = if in_memory {
                    AnyPoolOptions::new()
                        .max_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None)
                } else {
                    AnyPoolOptions::new().max_connections(8)
                };
                let pool = options
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // A connection waits for another's lock rather than fail.
                            sqlx::query("PRAGMA busy_timeout = 5000")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA foreign_keys = ON")
                                .execute(&mut *conn)
                                .await?;
                            match crate::faults::sqlite_fault() {
                                // The database may not grow past its size now.
                                Some("full") => {
                                    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
                                        .fetch_one(&mut *conn)
                                        .await?;
                                    sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
                                        .execute(&mut *conn)
                                        .await?;
                                }
                                Some(sql) => {
                                    sqlx::query(sql).execute(&mut *conn).await?;
                                }
                                None => {}
                            }
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot open the database {url:?}: {e}"))?;
                // WAL: readers and a writer at once, across processes too. The mode is kept
                // in the file, so it is set once, not on every connection (setting it needs
                // the database to itself).
                if !in_memory {
                    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                        .fetch_one(&pool)
                        .await
                        .map_err(|e| anyhow::anyhow!("cannot read the journal mode: {e}"))?;
                    if !mode.eq_ignore_ascii_case("wal") {
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&pool)
                            .await?;
                    }
                }
                pool
            }
            Backend::Postgres => AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "cannot connect to PostgreSQL at {}: {e}; check the database URL \
                         (postgres://USER:PASSWORD@HOST:5432/DATABASE) and that the server runs \
                         and lets this user in",
                        redact(url)
                    )
                })?,
        };
        match backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&pool)
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot bring the database up to date: {e}"))?;
                // SQLite makes its journal files with the database file's permissions.
                keep_private(url)?;
            }
            Backend::Postgres => sqlx::migrate!("./migrations/postgres")
                .run(&pool)
                .await
                .map_err(|e| anyhow::anyhow!("cannot bring the database up to date: {e}"))?,
        }
        Ok(Self { pool, backend })
    }

    /// A summary of people's state: rows per table, and how many sessions, refresh tokens and
    /// sign-ins are still live. Equal summaries before and after a refused request show it
    /// changed nothing. Rate-limit counters and settings are left out.
    pub async fn state_summary(&self) -> sqlx::Result<Vec<(&'static str, i64)>> {
        const COUNTS: &[(&str, &str)] = &[
            ("users", "SELECT COUNT(*) FROM users"),
            (
                "verified",
                "SELECT COUNT(*) FROM users WHERE verified_email = 1 OR verified_phone = 1",
            ),
            ("login_ids", "SELECT COUNT(*) FROM login_ids"),
            ("pending", "SELECT COUNT(*) FROM pending_logins"),
            (
                "unconfirmed",
                "SELECT COUNT(*) FROM pending_logins WHERE verified_at IS NULL",
            ),
            (
                "uncollected",
                "SELECT COUNT(*) FROM pending_logins WHERE collected_at IS NULL",
            ),
            ("links", "SELECT COUNT(*) FROM link_tokens"),
            (
                "sessions",
                "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL",
            ),
            (
                "refresh_tokens",
                "SELECT COUNT(*) FROM refresh_tokens WHERE replaced_at IS NULL",
            ),
            ("outbox", "SELECT COUNT(*) FROM outbox"),
        ];
        let mut summary = Vec::with_capacity(COUNTS.len());
        for (name, sql) in COUNTS {
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&self.pool).await?;
            summary.push((*name, n));
        }
        Ok(summary)
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Deletes what has expired: sign-in requests an hour after their links expired (until
    /// then a poll is told "expired" rather than "unknown"), refresh tokens past their
    /// expiry, sessions past their end, a day after they were revoked, or with no refresh
    /// token left, signing keys retired before `keys_retired_before` (a newer key was made
    /// then: no token they signed is valid any more), rate-limit windows that ended, and
    /// outbox messages a day after they were sent or given up on (development ones a day
    /// after they were written). Returns how many rows went.
    pub async fn delete_expired(&self, now: i64, keys_retired_before: i64) -> sqlx::Result<u64> {
        let mut tx = self.pool.begin().await?;
        let mut deleted = 0;
        for (sql, before) in [
            (
                "DELETE FROM pending_logins WHERE expires_at < $1",
                now - 3600,
            ),
            ("DELETE FROM refresh_tokens WHERE expires_at < $1", now),
            ("DELETE FROM sessions WHERE expires_at < $1", now),
            ("DELETE FROM sessions WHERE revoked_at < $1", now - 86_400),
            (
                "DELETE FROM sessions WHERE created_at < $1 AND NOT EXISTS \
                 (SELECT 1 FROM refresh_tokens r WHERE r.session_id = sessions.session_id)",
                now,
            ),
            (
                "DELETE FROM signing_keys WHERE EXISTS (SELECT 1 FROM signing_keys n \
                 WHERE n.generation > signing_keys.generation AND n.created_at < $1)",
                keys_retired_before,
            ),
            ("DELETE FROM rate_limits WHERE expires_at <= $1", now),
            (
                "DELETE FROM outbox WHERE COALESCE(sent_at, failed_at) < $1",
                now - 86_400,
            ),
        ] {
            deleted += sqlx::query(sql)
                .bind(before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(deleted)
    }

    pub async fn setting(&self, key: &str) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn insert_setting_if_absent(&self, key: &str, value: &str) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT(key) DO NOTHING",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every signing key, without its private key (see [`Store::signing_key_pem`]).
    pub async fn signing_keys(&self) -> sqlx::Result<Vec<StoredKey>> {
        let rows = sqlx::query("SELECT kid, created_at, generation FROM signing_keys")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredKey {
                    kid: r.try_get("kid")?,
                    created_at: r.try_get("created_at")?,
                    generation: r.try_get("generation")?,
                })
            })
            .collect()
    }

    /// The private key (PKCS#8 PEM) of signing key `kid`: read once per key and process.
    pub async fn signing_key_pem(&self, kid: &str) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar("SELECT pkcs8 FROM signing_keys WHERE kid = $1")
            .bind(kid)
            .fetch_optional(&self.pool)
            .await
    }

    /// Stores a new signing key, one generation after the newest, if no key was made after
    /// `unless_newer_than` (`i64::MIN`: only into an empty table; `i64::MAX`: always). Of two
    /// servers storing one at once, one does: false for the other.
    pub async fn insert_signing_key(
        &self,
        kid: &str,
        pkcs8: &str,
        now: i64,
        unless_newer_than: i64,
    ) -> sqlx::Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO signing_keys (kid, pkcs8, created_at, generation) \
             SELECT $1, $2, $3, COALESCE(MAX(generation), 0) + 1 FROM signing_keys WHERE true \
             HAVING COUNT(*) = 0 OR MAX(created_at) <= $4 \
             ON CONFLICT DO NOTHING",
        )
        .bind(kid)
        .bind(pkcs8)
        .bind(now)
        .bind(unless_newer_than)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// The user who signs in with `login_id`.
    pub async fn user_by_login_id(&self, login_id: &str) -> sqlx::Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM login_ids l JOIN users u ON u.user_id = l.user_id \
             WHERE l.login_id = $1"
        ))
        .bind(login_id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.with_login_ids(user_from_row(&row)?).await?)),
            None => Ok(None),
        }
    }

    pub async fn user_by_id(&self, user_id: &str) -> sqlx::Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.user_id = $1"
        ))
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.with_login_ids(user_from_row(&row)?).await?)),
            None => Ok(None),
        }
    }

    async fn with_login_ids(&self, mut user: User) -> sqlx::Result<User> {
        user.login_ids = sqlx::query_scalar(match self.backend {
            // Insertion order: SQLite's rowid, PostgreSQL's sequence.
            Backend::Sqlite => {
                "SELECT login_id FROM login_ids WHERE user_id = $1 ORDER BY added_at, rowid"
            }
            Backend::Postgres => {
                "SELECT login_id FROM login_ids WHERE user_id = $1 ORDER BY added_at, seq"
            }
        })
        .bind(&user.user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(user)
    }

    /// Stores a pending sign-in and its links together.
    /// Stores a pending sign-in and queues its message, in one transaction: the message is
    /// sent if and only if the request exists.
    pub async fn insert_pending(
        &self,
        new: &NewPending<'_>,
        message: &Outgoing<'_>,
    ) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO pending_logins (ref_hash, login_id, method, delivery, mode, link_number, \
             profile, requested_by, created_at, expires_at, address, subject_user, options, \
             code_challenge) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(new.ref_hash)
        .bind(new.login_id)
        .bind(new.method.as_str())
        .bind(new.channel.as_str())
        .bind(new.mode.as_str())
        .bind(new.link_number)
        .bind(new.profile.and_then(|p| serde_json::to_string(p).ok()))
        .bind(new.requested_by)
        .bind(new.created_at)
        .bind(new.expires_at)
        .bind(new.address)
        .bind(new.subject_user)
        .bind(serde_json::to_string(new.options).ok())
        .bind(new.code_challenge)
        .execute(&mut *tx)
        .await?;
        for (hash, number) in new.tokens {
            sqlx::query(
                "INSERT INTO link_tokens (token_hash, ref_hash, number) VALUES ($1, $2, $3)",
            )
            .bind(hash)
            .bind(new.ref_hash)
            .bind(number)
            .execute(&mut *tx)
            .await?;
        }
        outbox::queue(&mut tx, message).await?;
        tx.commit().await
    }

    pub async fn link(&self, token_hash: &[u8]) -> sqlx::Result<Option<Link>> {
        let row = sqlx::query(&format!(
            "SELECT t.number, {PENDING_COLUMNS} FROM link_tokens t \
             JOIN pending_logins p ON p.ref_hash = t.ref_hash WHERE t.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Link {
                number: r.try_get("number")?,
                pending: pending_from_row(&r)?,
            })
        })
        .transpose()
    }

    pub async fn pending(&self, ref_hash: &[u8]) -> sqlx::Result<Option<Pending>> {
        let row = sqlx::query(&format!(
            "SELECT {PENDING_COLUMNS} FROM pending_logins p WHERE p.ref_hash = $1"
        ))
        .bind(ref_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(pending_from_row).transpose()
    }

    /// Marks a pending sign-in verified and spends its links. The user is the one who signs
    /// in with its login ID; `new_user` is created first when there is none. Returns the user's
    /// ID, or `None` when the sign-in was no longer waiting (another confirmation won).
    pub async fn complete_verification(
        &self,
        pending: &Pending,
        new_user: Option<&User>,
        now: i64,
    ) -> sqlx::Result<Option<String>> {
        let mut tx = self.pool.begin().await?;
        if !claim(&mut tx, &pending.ref_hash, now).await? {
            tx.rollback().await?;
            return Ok(None);
        }
        let existing: Option<String> =
            sqlx::query_scalar("SELECT user_id FROM login_ids WHERE login_id = $1")
                .bind(&pending.login_id)
                .fetch_optional(&mut *tx)
                .await?;
        // Another sign-up for the same login ID may have created the user meanwhile: then it
        // is that user who signs in.
        let (user_id, created) = match (existing, new_user) {
            (Some(user_id), _) => (user_id, false),
            (None, Some(user)) => {
                sqlx::query(
                    "INSERT INTO users (user_id, email, phone, name, given_name, middle_name, \
                     family_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&user.user_id)
                .bind(&user.email)
                .bind(&user.phone)
                .bind(&user.name)
                .bind(&user.given_name)
                .bind(&user.middle_name)
                .bind(&user.family_name)
                .bind(user.created_at)
                .execute(&mut *tx)
                .await?;
                // On PostgreSQL a concurrent sign-up of the same address can get here too: its
                // login ID waits for ours to commit, then finds it taken and signs in as it.
                let added = sqlx::query(
                    "INSERT INTO login_ids (login_id, user_id, added_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (login_id) DO NOTHING",
                )
                .bind(&pending.login_id)
                .bind(&user.user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if added == 1 {
                    (user.user_id.clone(), true)
                } else {
                    sqlx::query("DELETE FROM users WHERE user_id = $1")
                        .bind(&user.user_id)
                        .execute(&mut *tx)
                        .await?;
                    let winner: String =
                        sqlx::query_scalar("SELECT user_id FROM login_ids WHERE login_id = $1")
                            .bind(&pending.login_id)
                            .fetch_one(&mut *tx)
                            .await?;
                    (winner, false)
                }
            }
            (None, None) => {
                tx.rollback().await?;
                return Ok(None);
            }
        };
        // The link reached this address: it is verified.
        let verified = match pending.channel {
            Channel::Email => {
                "UPDATE users SET verified_email = 1 WHERE user_id = $1 AND email = $2"
            }
            Channel::Sms => "UPDATE users SET verified_phone = 1 WHERE user_id = $1 AND phone = $2",
        };
        sqlx::query(verified)
            .bind(&user_id)
            .bind(pending.address())
            .execute(&mut *tx)
            .await?;
        settle(&mut tx, &pending.ref_hash, &user_id, created).await?;
        tx.commit().await?;
        Ok(Some(user_id))
    }

    /// Completes an update: the confirmed address becomes the user's email or phone, verified;
    /// with `addToLoginIDs`, a login ID too. When another user already signs in with it, the
    /// two merge when `may_merge` (seed 001, `UpdateOptions`): by default the updating user takes over the
    /// other's login IDs and missing details and the other is deleted; with
    /// `onMergeUseExisting`, the other way round. Returns the user who remains, or `None` when
    /// the request was no longer waiting or its user is gone.
    pub async fn complete_update(
        &self,
        pending: &Pending,
        now: i64,
        may_merge: bool,
    ) -> sqlx::Result<Option<String>> {
        let Some(updating) = pending.subject_user.as_deref() else {
            return Ok(None);
        };
        let mut tx = self.pool.begin().await?;
        let claimed = claim(&mut tx, &pending.ref_hash, now).await?;
        let still_there: Option<String> =
            sqlx::query_scalar("SELECT user_id FROM users WHERE user_id = $1")
                .bind(updating)
                .fetch_optional(&mut *tx)
                .await?;
        if !claimed || still_there.is_none() {
            tx.rollback().await?;
            return Ok(None);
        }
        let address = pending.address();
        let owner: Option<String> =
            sqlx::query_scalar("SELECT user_id FROM login_ids WHERE login_id = $1")
                .bind(address)
                .fetch_optional(&mut *tx)
                .await?;
        let options = &pending.options;
        let kept = match owner {
            // Without merges the login ID stays its owner's (another user may have taken it
            // since the check before this transaction).
            Some(other) if may_merge && options.add_to_login_ids && other != updating => {
                let (kept, gone) = if options.on_merge_use_existing {
                    (other, updating.to_owned())
                } else {
                    (updating.to_owned(), other)
                };
                merge_users(&mut tx, &kept, &gone).await?;
                kept
            }
            _ => updating.to_owned(),
        };
        let set = match pending.channel {
            Channel::Email => "UPDATE users SET email = $1, verified_email = 1 WHERE user_id = $2",
            Channel::Sms => "UPDATE users SET phone = $1, verified_phone = 1 WHERE user_id = $2",
        };
        sqlx::query(set)
            .bind(address)
            .bind(&kept)
            .execute(&mut *tx)
            .await?;
        if options.add_to_login_ids {
            sqlx::query(
                "INSERT INTO login_ids (login_id, user_id, added_at) VALUES ($1, $2, $3) \
                 ON CONFLICT(login_id) DO NOTHING",
            )
            .bind(address)
            .bind(&kept)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        settle(&mut tx, &pending.ref_hash, &kept, false).await?;
        tx.commit().await?;
        Ok(Some(kept))
    }

    /// Starts a session for `user_id` with its first refresh JWT's `jti`; with
    /// `revoke_others`, every other session of the user ends. With `collect`, the session is
    /// that verified sign-in request's, handed out once: in the same transaction the request
    /// is marked collected, so a failure leaves it collectable and the person's confirmation
    /// is not lost. False when another caller collected it first (nothing is written).
    pub async fn insert_session(
        &self,
        new: &NewSession<'_>,
        collect: Option<&[u8]>,
    ) -> sqlx::Result<bool> {
        let NewSession {
            session_id,
            user_id,
            jti,
            now,
            expires_at,
            session_expires_at,
            custom_claims,
            revoke_others,
        } = *new;
        let mut tx = self.pool.begin().await?;
        if let Some(ref_hash) = collect {
            let collected = sqlx::query(
                "UPDATE pending_logins SET collected_at = $1, collected_jti = $2 \
                 WHERE ref_hash = $3 AND verified_at IS NOT NULL AND collected_at IS NULL",
            )
            .bind(now)
            .bind(jti)
            .bind(ref_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if collected != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        if revoke_others {
            sqlx::query(
                "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        let claims = (!custom_claims.is_empty())
            .then(|| serde_json::to_string(custom_claims).ok())
            .flatten();
        sqlx::query(
            "INSERT INTO sessions (session_id, user_id, created_at, custom_claims, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session_id)
        .bind(user_id)
        .bind(now)
        .bind(claims)
        .bind(session_expires_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO refresh_tokens (jti, session_id, expires_at) VALUES ($1, $2, $3)")
            .bind(jti)
            .bind(session_id)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The refresh JWT `jti` with its session.
    pub async fn refresh_token(&self, jti: &str) -> sqlx::Result<Option<RefreshToken>> {
        let row = sqlx::query(
            "SELECT r.jti, r.session_id, r.expires_at, r.replaced_at, r.successor, s.user_id, \
             s.revoked_at, s.expires_at AS session_expires_at, s.custom_claims \
             FROM refresh_tokens r JOIN sessions s ON s.session_id = r.session_id WHERE r.jti = $1",
        )
        .bind(jti)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(RefreshToken {
                jti: r.try_get("jti")?,
                session_id: r.try_get("session_id")?,
                user_id: r.try_get("user_id")?,
                expires_at: r.try_get("expires_at")?,
                replaced_at: r.try_get("replaced_at")?,
                successor: r.try_get("successor")?,
                session_revoked_at: r.try_get("revoked_at")?,
                session_expires_at: r.try_get("session_expires_at")?,
                custom_claims: json_column(&r, "custom_claims")?.unwrap_or_default(),
            })
        })
        .transpose()
    }

    /// Rotates `old` out for a new token `new_jti` in the same session, once: of two
    /// rotations of one token at once, one makes the successor and the other gets that same
    /// one back. Returns the successor's `jti` and expiry.
    pub async fn rotate_refresh(
        &self,
        old: &RefreshToken,
        new_jti: &str,
        expires_at: i64,
        now: i64,
    ) -> sqlx::Result<(String, i64)> {
        let mut tx = self.pool.begin().await?;
        let rotated = sqlx::query(
            "UPDATE refresh_tokens SET replaced_at = $1, successor = $2 \
             WHERE jti = $3 AND replaced_at IS NULL",
        )
        .bind(now)
        .bind(new_jti)
        .bind(&old.jti)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if rotated == 1 {
            sqlx::query(
                "INSERT INTO refresh_tokens (jti, session_id, expires_at) VALUES ($1, $2, $3)",
            )
            .bind(new_jti)
            .bind(&old.session_id)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok((new_jti.to_owned(), expires_at));
        }
        // Another request rotated it first (its row is committed: this UPDATE waited for it).
        let row = sqlx::query(
            "SELECT n.jti, n.expires_at FROM refresh_tokens o \
             JOIN refresh_tokens n ON n.jti = o.successor WHERE o.jti = $1",
        )
        .bind(&old.jti)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((row.try_get("jti")?, row.try_get("expires_at")?))
    }

    /// Revokes one session.
    pub async fn revoke_session(&self, session_id: &str, now: i64) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE session_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(session_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Revokes every session of a user.
    /// How many of the user's sessions are not ended.
    pub async fn live_session_count(&self, user_id: &str) -> sqlx::Result<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await
    }

    pub async fn revoke_user_sessions(&self, user_id: &str, now: i64) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Counts a hit at `now` in the bucket's current window, or starts a new window of
    /// `window` seconds if the last one ended: the hits in the window so far, this one
    /// included, and when the window ends.
    pub async fn rate_hit(&self, bucket: &[u8], now: i64, window: i64) -> sqlx::Result<(i64, i64)> {
        let row = sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES ($1, $2, 1, $3) \
             ON CONFLICT(bucket) DO UPDATE SET \
               hits = CASE WHEN rate_limits.expires_at > excluded.window_start \
                           THEN rate_limits.hits + 1 ELSE 1 END, \
               window_start = CASE WHEN rate_limits.expires_at > excluded.window_start \
                           THEN rate_limits.window_start ELSE excluded.window_start END, \
               expires_at = CASE WHEN rate_limits.expires_at > excluded.window_start \
                           THEN rate_limits.expires_at ELSE excluded.expires_at END \
             RETURNING hits, expires_at",
        )
        .bind(bucket)
        .bind(now)
        .bind(now + window)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("hits")?, row.try_get("expires_at")?))
    }
}

/// Marks a pending request verified, first thing in a confirmation: of two confirmations at
/// once, one claims it and the other changes nothing. False when it was claimed already.
async fn claim(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ref_hash: &[u8],
    now: i64,
) -> sqlx::Result<bool> {
    let claimed = sqlx::query(
        "UPDATE pending_logins SET verified_at = $1 WHERE ref_hash = $2 AND verified_at IS NULL",
    )
    .bind(now)
    .bind(ref_hash)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Last thing in a confirmation: records whose session the request hands out, and spends
/// all of its links.
async fn settle(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ref_hash: &[u8],
    user_id: &str,
    created_user: bool,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE pending_logins SET user_id = $1, created_user = $2 WHERE ref_hash = $3")
        .bind(user_id)
        .bind(i64::from(created_user))
        .bind(ref_hash)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM link_tokens WHERE ref_hash = $1")
        .bind(ref_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Folds user `gone` into user `kept`: its login IDs move over, details `kept` lacks are
/// filled in, its sessions end (their refresh JWTs stop working), and it is deleted.
async fn merge_users(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kept: &str,
    gone: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE login_ids SET user_id = $1 WHERE user_id = $2")
        .bind(kept)
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    // In an UPDATE, every right-hand side sees the row as it was.
    sqlx::query(
        "UPDATE users SET \
         email = COALESCE(email, (SELECT email FROM users WHERE user_id = $2)), \
         verified_email = CASE WHEN email IS NULL \
           THEN (SELECT verified_email FROM users WHERE user_id = $2) ELSE verified_email END, \
         phone = COALESCE(phone, (SELECT phone FROM users WHERE user_id = $2)), \
         verified_phone = CASE WHEN phone IS NULL \
           THEN (SELECT verified_phone FROM users WHERE user_id = $2) ELSE verified_phone END, \
         name = COALESCE(name, (SELECT name FROM users WHERE user_id = $2)), \
         given_name = COALESCE(given_name, (SELECT given_name FROM users WHERE user_id = $2)), \
         middle_name = COALESCE(middle_name, (SELECT middle_name FROM users WHERE user_id = $2)), \
         family_name = COALESCE(family_name, (SELECT family_name FROM users WHERE user_id = $2)), \
         created_at = CASE WHEN (SELECT created_at FROM users WHERE user_id = $2) < created_at \
           THEN (SELECT created_at FROM users WHERE user_id = $2) ELSE created_at END \
         WHERE user_id = $1",
    )
    .bind(kept)
    .bind(gone)
    .execute(&mut **tx)
    .await?;
    // Requests already confirmed for `gone` sign in as `kept`; those it started now act for `kept`.
    sqlx::query("UPDATE pending_logins SET user_id = $1 WHERE user_id = $2")
        .bind(kept)
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE pending_logins SET subject_user = $1 WHERE subject_user = $2")
        .bind(kept)
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM users WHERE user_id = $1")
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn user_from_row(r: &AnyRow) -> sqlx::Result<User> {
    Ok(User {
        user_id: r.try_get("user_id")?,
        login_ids: Vec::new(),
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        name: r.try_get("name")?,
        given_name: r.try_get("given_name")?,
        middle_name: r.try_get("middle_name")?,
        family_name: r.try_get("family_name")?,
        verified_email: r.try_get::<i64, _>("verified_email")? != 0,
        verified_phone: r.try_get::<i64, _>("verified_phone")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

fn pending_from_row(r: &AnyRow) -> sqlx::Result<Pending> {
    Ok(Pending {
        ref_hash: r.try_get("ref_hash")?,
        login_id: r.try_get("login_id")?,
        method: enum_column(r, "method", Method::parse)?,
        channel: enum_column(r, "delivery", Channel::parse)?,
        mode: enum_column(r, "mode", Mode::parse)?,
        link_number: r.try_get("link_number")?,
        profile: json_column(r, "profile")?,
        requested_by: r.try_get("requested_by")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        verified_at: r.try_get("verified_at")?,
        user_id: r.try_get("user_id")?,
        created_user: r.try_get::<i64, _>("created_user")? != 0,
        collected_at: r.try_get("collected_at")?,
        collected_jti: r.try_get("collected_jti")?,
        address: r.try_get("address")?,
        subject_user: r.try_get("subject_user")?,
        options: json_column(r, "options")?.unwrap_or_default(),
        code_challenge: r.try_get("code_challenge")?,
    })
}

/// A text column that holds one of an enum's values. Anything else is a corrupt row: an error
/// the request reports, never a default that would act on the wrong kind of request.
fn enum_column<T>(r: &AnyRow, column: &str, parse: fn(&str) -> Option<T>) -> sqlx::Result<T> {
    let text: String = r.try_get(column)?;
    parse(&text).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: format!("{text:?} is not one of its values").into(),
    })
}

/// A JSON column, `None` when NULL; JSON that does not parse is a corrupt row, an error.
fn json_column<T: serde::de::DeserializeOwned>(
    r: &AnyRow,
    column: &str,
) -> sqlx::Result<Option<T>> {
    let Some(text) = r.try_get::<Option<String>, _>(column)? else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| sqlx::Error::ColumnDecode {
            index: column.to_owned(),
            source: Box::new(e),
        })
}
