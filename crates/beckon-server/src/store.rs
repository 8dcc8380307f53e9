//! Storage on SQLite through sqlx. Every secret arrives here already hashed.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};

/// How a pending sign-in treats the user (the endpoint it came from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    SignIn,
    SignUp,
    SignUpOrIn,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::SignIn => "signin",
            Mode::SignUp => "signup",
            Mode::SignUpOrIn => "signup-in",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "signin" => Some(Mode::SignIn),
            "signup" => Some(Mode::SignUp),
            "signup-in" => Some(Mode::SignUpOrIn),
            _ => None,
        }
    }
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
    pub session_revoked_at: Option<i64>,
}

/// A message in the development outbox.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub links_json: String,
    pub created_at: i64,
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

const USER_COLUMNS: &str = "u.user_id, u.email, u.phone, u.name, u.given_name, u.middle_name, \
     u.family_name, u.verified_email, u.verified_phone, u.created_at";

const PENDING_COLUMNS: &str = "p.ref_hash, p.login_id, p.method, p.delivery, p.mode, \
     p.link_number, p.profile, \
     p.requested_by, p.created_at, p.expires_at, p.verified_at, p.user_id, p.created_user, \
     p.collected_at";

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| anyhow::anyhow!("the database URL {url:?} is not usable: {e}"))?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .journal_mode(if in_memory {
                SqliteJournalMode::Memory
            } else {
                SqliteJournalMode::Wal
            });
        // An in-memory database lives as long as its one connection.
        let pool = if in_memory {
            SqlitePoolOptions::new()
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            SqlitePoolOptions::new().max_connections(8)
        }
        .connect_with(options)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database {url:?}: {e}"))?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    pub async fn setting(&self, key: &str) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn insert_setting_if_absent(&self, key: &str, value: &str) -> sqlx::Result<()> {
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user who signs in with `login_id`.
    pub async fn user_by_login_id(&self, login_id: &str) -> sqlx::Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM login_ids l JOIN users u ON u.user_id = l.user_id \
             WHERE l.login_id = ?"
        ))
        .bind(login_id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.with_login_ids(user_from_row(&row)).await?)),
            None => Ok(None),
        }
    }

    pub async fn user_by_id(&self, user_id: &str) -> sqlx::Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.user_id = ?"
        ))
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.with_login_ids(user_from_row(&row)).await?)),
            None => Ok(None),
        }
    }

    async fn with_login_ids(&self, mut user: User) -> sqlx::Result<User> {
        user.login_ids = sqlx::query_scalar(
            "SELECT login_id FROM login_ids WHERE user_id = ? ORDER BY added_at, rowid",
        )
        .bind(&user.user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(user)
    }

    /// Stores a pending sign-in and its links together.
    pub async fn insert_pending(&self, new: &NewPending<'_>) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO pending_logins (ref_hash, login_id, method, delivery, mode, link_number, \
             profile, requested_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        .execute(&mut *tx)
        .await?;
        for (hash, number) in new.tokens {
            sqlx::query("INSERT INTO link_tokens (token_hash, ref_hash, number) VALUES (?, ?, ?)")
                .bind(hash)
                .bind(new.ref_hash)
                .bind(number)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    pub async fn link(&self, token_hash: &[u8]) -> sqlx::Result<Option<Link>> {
        let row = sqlx::query(&format!(
            "SELECT t.number, {PENDING_COLUMNS} FROM link_tokens t \
             JOIN pending_logins p ON p.ref_hash = t.ref_hash WHERE t.token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| Link {
            number: r.get("number"),
            pending: pending_from_row(&r),
        }))
    }

    pub async fn pending(&self, ref_hash: &[u8]) -> sqlx::Result<Option<Pending>> {
        let row = sqlx::query(&format!(
            "SELECT {PENDING_COLUMNS} FROM pending_logins p WHERE p.ref_hash = ?"
        ))
        .bind(ref_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| pending_from_row(&r)))
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
        // Claim the sign-in first: of two confirmations at once, one wins and one changes nothing.
        let claimed = sqlx::query(
            "UPDATE pending_logins SET verified_at = ? WHERE ref_hash = ? AND verified_at IS NULL",
        )
        .bind(now)
        .bind(&pending.ref_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            tx.rollback().await?;
            return Ok(None);
        }
        let existing: Option<String> =
            sqlx::query_scalar("SELECT user_id FROM login_ids WHERE login_id = ?")
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
                     family_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
                sqlx::query("INSERT INTO login_ids (login_id, user_id, added_at) VALUES (?, ?, ?)")
                    .bind(&pending.login_id)
                    .bind(&user.user_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                (user.user_id.clone(), true)
            }
            (None, None) => {
                tx.rollback().await?;
                return Ok(None);
            }
        };
        // The link reached this address: it is verified.
        let verified = match pending.channel {
            Channel::Email => "UPDATE users SET verified_email = 1 WHERE user_id = ? AND email = ?",
            Channel::Sms => "UPDATE users SET verified_phone = 1 WHERE user_id = ? AND phone = ?",
        };
        sqlx::query(verified)
            .bind(&user_id)
            .bind(&pending.login_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE pending_logins SET user_id = ?, created_user = ? WHERE ref_hash = ?")
            .bind(&user_id)
            .bind(created)
            .bind(&pending.ref_hash)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM link_tokens WHERE ref_hash = ?")
            .bind(&pending.ref_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(user_id))
    }

    /// Hands out a verified session once: true for the one caller that collects it.
    pub async fn collect(&self, ref_hash: &[u8], now: i64) -> sqlx::Result<bool> {
        let updated = sqlx::query(
            "UPDATE pending_logins SET collected_at = ? \
             WHERE ref_hash = ? AND verified_at IS NOT NULL AND collected_at IS NULL",
        )
        .bind(now)
        .bind(ref_hash)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(updated == 1)
    }

    /// Starts a session for `user_id` with its first refresh JWT's `jti`.
    pub async fn insert_session(
        &self,
        session_id: &str,
        user_id: &str,
        jti: &str,
        now: i64,
        expires_at: i64,
    ) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO sessions (session_id, user_id, created_at) VALUES (?, ?, ?)")
            .bind(session_id)
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO refresh_tokens (jti, session_id, expires_at) VALUES (?, ?, ?)")
            .bind(jti)
            .bind(session_id)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// The refresh JWT `jti` with its session.
    pub async fn refresh_token(&self, jti: &str) -> sqlx::Result<Option<RefreshToken>> {
        let row = sqlx::query(
            "SELECT r.jti, r.session_id, r.expires_at, r.replaced_at, s.user_id, s.revoked_at \
             FROM refresh_tokens r JOIN sessions s ON s.session_id = r.session_id WHERE r.jti = ?",
        )
        .bind(jti)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| RefreshToken {
            jti: r.get("jti"),
            session_id: r.get("session_id"),
            user_id: r.get("user_id"),
            expires_at: r.get("expires_at"),
            replaced_at: r.get("replaced_at"),
            session_revoked_at: r.get("revoked_at"),
        }))
    }

    /// Rotates `old` out for `new` in the same session. The first rotation of a token sets its
    /// `replaced_at`; a second one within the grace keeps that time.
    pub async fn rotate_refresh(
        &self,
        old: &RefreshToken,
        new_jti: &str,
        expires_at: i64,
        now: i64,
    ) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE refresh_tokens SET replaced_at = ? WHERE jti = ? AND replaced_at IS NULL",
        )
        .bind(now)
        .bind(&old.jti)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO refresh_tokens (jti, session_id, expires_at) VALUES (?, ?, ?)")
            .bind(new_jti)
            .bind(&old.session_id)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Revokes one session.
    pub async fn revoke_session(&self, session_id: &str, now: i64) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE sessions SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(session_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Revokes every session of a user.
    pub async fn revoke_user_sessions(&self, user_id: &str, now: i64) -> sqlx::Result<()> {
        sqlx::query("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn insert_outbox(
        &self,
        recipient: &str,
        subject: &str,
        text_body: &str,
        html_body: &str,
        links_json: &str,
        now: i64,
    ) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO dev_outbox (recipient, subject, text_body, html_body, links, created_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(recipient)
        .bind(subject)
        .bind(text_body)
        .bind(html_body)
        .bind(links_json)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest `limit` outbox messages, newest first.
    pub async fn outbox(&self, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
        let rows = sqlx::query(
            "SELECT id, recipient, subject, text_body, html_body, links, created_at \
             FROM dev_outbox ORDER BY id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| OutboxRow {
                id: r.get("id"),
                recipient: r.get("recipient"),
                subject: r.get("subject"),
                text_body: r.get("text_body"),
                html_body: r.get("html_body"),
                links_json: r.get("links"),
                created_at: r.get("created_at"),
            })
            .collect())
    }
}

fn user_from_row(r: &sqlx::sqlite::SqliteRow) -> User {
    User {
        user_id: r.get("user_id"),
        login_ids: Vec::new(),
        email: r.get("email"),
        phone: r.get("phone"),
        name: r.get("name"),
        given_name: r.get("given_name"),
        middle_name: r.get("middle_name"),
        family_name: r.get("family_name"),
        verified_email: r.get::<i64, _>("verified_email") != 0,
        verified_phone: r.get::<i64, _>("verified_phone") != 0,
        created_at: r.get("created_at"),
    }
}

fn pending_from_row(r: &sqlx::sqlite::SqliteRow) -> Pending {
    Pending {
        ref_hash: r.get("ref_hash"),
        login_id: r.get("login_id"),
        method: Method::parse(r.get("method")).unwrap_or(Method::Enchanted),
        channel: Channel::parse(r.get("delivery")).unwrap_or(Channel::Email),
        mode: Mode::parse(r.get("mode")).unwrap_or(Mode::SignIn),
        link_number: r.get("link_number"),
        profile: r
            .get::<Option<&str>, _>("profile")
            .and_then(|p| serde_json::from_str(p).ok()),
        requested_by: r.get("requested_by"),
        created_at: r.get("created_at"),
        expires_at: r.get("expires_at"),
        verified_at: r.get("verified_at"),
        user_id: r.get("user_id"),
        created_user: r.get::<i64, _>("created_user") != 0,
        collected_at: r.get("collected_at"),
    }
}
