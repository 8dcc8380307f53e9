//! Storage through sqlx, on SQLite or PostgreSQL (chosen by the database URL). Every query is
//! written once, in SQL both understand (`$1` parameters, `ON CONFLICT`, `RETURNING`, integers
//! for flags and times); each backend has its own migrations, with the same versions. Every
//! secret arrives here already hashed.
//!
//! One file per table (or a table and the one that hangs off it): `pending` (requests and
//! their link tokens), `sessions` (sessions and refresh tokens), `users` (users and login
//! IDs), `keys`, `limits`, `outbox`; this file opens the database and holds what they share.

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

mod audit;
mod keys;
mod limits;
mod management_keys;
mod notices;
mod outbox;
mod pauses;
mod pending;
mod sessions;
mod users;

pub use audit::{AuditFilter, AuditRow};
pub use keys::StoredKey;
pub use management_keys::ManagementKey;
pub use notices::{NewNotice, Notice};
pub use outbox::{DeliveryCounts, OutboxRow, Outgoing, Queued};
pub use pauses::{Declined, NewPause};
pub use pending::NewPending;
pub use sessions::{NewSession, RefreshToken};
pub use users::{UserDetails, UserFilter};

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

/// The database URL of the SQLite file at `path`, on any OS: `sqlite:///var/lib/beckon/beckon.db`
/// for a Unix path, `sqlite:C:/Users/ada/beckon.db` for a Windows one (whose `\\` the URL
/// would misread, and whose drive `sqlite://` would take for a host). `%`, `?` and `#` in a
/// name are escaped, as the URL's own.
pub fn sqlite_url(path: &std::path::Path) -> String {
    let mut text = path.display().to_string();
    if std::path::MAIN_SEPARATOR != '/' {
        text = text.replace(std::path::MAIN_SEPARATOR, "/");
    }
    let text = text
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    if text.starts_with('/') {
        format!("sqlite://{text}")
    } else {
        format!("sqlite:{text}")
    }
}

/// Whether a SQLite URL names a database in memory rather than a file.
fn sqlite_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// A SQLite file holds the signing keys: only its owner may read it (and its journal files).
fn keep_private(url: &str) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The file sqlx opened, read from the URL as sqlx reads it (escapes and all).
        let options: sqlx::sqlite::SqliteConnectOptions = url
            .parse()
            .map_err(|e| anyhow::anyhow!("cannot read the database URL {url:?}: {e}"))?;
        let path = options.get_filename();
        if sqlite_in_memory(url) || path.as_os_str().is_empty() {
            return Ok(());
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let file = std::path::PathBuf::from(file);
            match std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !suffix.is_empty() => {}
                Err(e) => anyhow::bail!(
                    "cannot make the database {} readable by its owner only: {e}; it holds \
                     the signing keys",
                    file.display()
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

/// A search's `WHERE` conditions with their text bindings, numbered `$1`, `$2`, … in order
/// (the search adds its own after [`Conditions::next`]).
#[derive(Debug, Default)]
pub(super) struct Conditions {
    sql: Vec<String>,
    pub(super) binds: Vec<String>,
}

impl Conditions {
    /// `values` given: the condition `sql` makes of their parameter list (`$3, $4`).
    pub(super) fn any_of(&mut self, values: &[String], sql: impl Fn(&str) -> String) {
        if values.is_empty() {
            return;
        }
        let start = self.binds.len();
        let params: Vec<String> = (1..=values.len())
            .map(|i| format!("${}", start + i))
            .collect();
        self.binds.extend(values.iter().cloned());
        self.sql.push(sql(&params.join(", ")));
    }

    /// One value, as `sql` uses its parameter (`$5`).
    pub(super) fn equals(&mut self, value: String, sql: impl Fn(&str) -> String) {
        self.binds.push(value);
        let param = format!("${}", self.binds.len());
        self.sql.push(sql(&param));
    }

    /// `text` found anywhere in any of `columns` (a `LIKE`, its wildcards escaped).
    pub(super) fn contains(&mut self, text: Option<&str>, columns: &[&str]) {
        let Some(text) = text else { return };
        let escaped = text
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        self.equals(format!("%{escaped}%"), |p| {
            let each: Vec<String> = columns
                .iter()
                .map(|c| format!("{c} LIKE {p} ESCAPE '\\'"))
                .collect();
            format!("({})", each.join(" OR "))
        });
    }

    /// The number the next parameter after these gets.
    pub(super) fn next(&self) -> usize {
        self.binds.len() + 1
    }

    /// ` AND …` for each condition, or nothing.
    pub(super) fn and_sql(&self) -> String {
        self.sql.iter().map(|c| format!(" AND {c}")).collect()
    }
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens (creating a SQLite file if needed) the database at `url` and brings its schema
    /// up to date. Servers sharing a PostgreSQL database migrate it one at a time.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                let in_memory = sqlite_in_memory(url);
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
                            match crate::support::faults::sqlite_fault() {
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

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// On PostgreSQL, tells every connection listening on `channel` (other servers sharing
    /// the database): `NOTIFY`. Nothing on SQLite, which only one process uses.
    pub async fn announce(&self, channel: &str, payload: &str) -> sqlx::Result<()> {
        if self.backend == Backend::Postgres {
            // pg_notify returns void, a type the Any driver cannot read: select a number.
            sqlx::query("SELECT 1 AS sent FROM (SELECT pg_notify($1, $2)) AS announced")
                .bind(channel)
                .bind(payload)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
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
    /// Requests that expired unconfirmed since the last look, each returned once (to one
    /// replica): their login ID, kind (`enchanted`, `magic`) and user, if known.
    pub async fn note_expired(
        &self,
        now: i64,
    ) -> sqlx::Result<Vec<(String, String, Option<String>)>> {
        let rows = sqlx::query(
            "UPDATE pending_logins SET expiry_noted = 1 WHERE expires_at <= $1 \
             AND verified_at IS NULL AND declined_at IS NULL AND expiry_noted = 0 \
             RETURNING login_id, method, subject_user",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("login_id")?,
                    r.try_get("method")?,
                    r.try_get("subject_user")?,
                ))
            })
            .collect()
    }

    /// Messages waiting to be sent (not sent, not given up), and when the oldest was queued.
    pub async fn outbox_backlog(&self) -> sqlx::Result<(i64, Option<i64>)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS unsent, MIN(created_at) AS oldest FROM outbox \
             WHERE dev = 0 AND sent_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("unsent")?, row.try_get("oldest")?))
    }

    /// Deletes what is past keeping; audit events older than `audit_before` (Unix seconds).
    pub async fn delete_expired(
        &self,
        now: i64,
        keys_retired_before: i64,
        audit_before: i64,
    ) -> sqlx::Result<u64> {
        let mut tx = self.pool.begin().await?;
        let mut deleted = 0;
        for (sql, before) in [
            (
                "DELETE FROM pending_logins WHERE expires_at < $1",
                now - 3600,
            ),
            ("DELETE FROM refresh_tokens WHERE expires_at < $1", now),
            ("DELETE FROM mailbox_pauses WHERE paused_until < $1", now),
            ("DELETE FROM sign_in_notices WHERE expires_at < $1", now),
            (
                "DELETE FROM sign_in_notices WHERE created_at < $1 AND NOT EXISTS \
                 (SELECT 1 FROM sessions s WHERE s.session_id = sign_in_notices.session_id)",
                now - 86_400,
            ),
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
            (
                "DELETE FROM audit_events WHERE occurred_ms < $1",
                audit_before.saturating_mul(1000),
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
}

/// A text column that holds one of an enum's values. Anything else is a corrupt row: an error
/// the request reports, never a default that would act on the wrong kind of request.
pub(super) fn enum_column<T>(
    r: &AnyRow,
    column: &str,
    parse: fn(&str) -> Option<T>,
) -> sqlx::Result<T> {
    let text: String = r.try_get(column)?;
    parse(&text).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: format!("{text:?} is not one of its values").into(),
    })
}

/// A JSON column, `None` when NULL; JSON that does not parse is a corrupt row, an error.
pub(super) fn json_column<T: serde::de::DeserializeOwned>(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_file_s_url_keeps_its_path_whole() {
        let url = |path: &str| sqlite_url(std::path::Path::new(path));
        assert_eq!(
            url("/var/lib/beckon/beckon.db"),
            "sqlite:///var/lib/beckon/beckon.db"
        );
        assert_eq!(url("/tmp/a?b#c%d.db"), "sqlite:///tmp/a%3Fb%23c%25d.db");
        assert_eq!(url("beckon.db"), "sqlite:beckon.db");
        // What SQLite is then asked to open: a file of that very name.
        let path = std::path::Path::new("/tmp/a?b#c%d.db");
        let options: sqlx::sqlite::SqliteConnectOptions =
            format!("{}?mode=rwc", sqlite_url(path)).parse().unwrap();
        assert_eq!(options.get_filename(), path);
    }
}
