//! The operator's commands (`beckon-server users|audit|management-key …`): the server's own
//! store and `admin` code on the server's database, so what they change is audited like
//! the management API's. Tables for people, `--json` for scripts.

use std::io::{IsTerminal, Write};

use crate::admin::{self, Operator, Who};
use crate::audit::{self, Action, Event, Via};
use crate::config::Config;
use crate::support::clock::{Clock, SystemClock};

mod args;

use crate::domain::text::printable;
use crate::domain::User;
use crate::keys::KeyRing;
use crate::store::{AuditFilter, Store, UserDetails, UserFilter};
pub use args::{Cli, Command, KeyCommand, UsersCommand};

/// Runs an operator command and prints what it did.
pub async fn run(command: &Command, config: &Config) -> anyhow::Result<()> {
    let store = Store::connect(&config.database_url()?).await?;
    let now = SystemClock.now();
    let operator = Operator::cli();
    let mut out = std::io::stdout().lock();
    match command {
        Command::RotateKey => rotate_key(&store, config, now, &mut out).await,
        Command::Users { action, json } => {
            users(&store, &operator, now, action, *json, &mut out).await
        }
        Command::Audit {
            user,
            since,
            limit,
            json,
        } => {
            let mut filter = AuditFilter {
                limit: i64::from(*limit),
                ..AuditFilter::default()
            };
            if let Some(user) = user {
                match admin::find(&store, who(user)).await {
                    // The user's events, and those of their login IDs before they existed.
                    Ok(found) => {
                        filter.user_ids = vec![found.user_id];
                    }
                    Err(_) if !user.contains('@') && !user.starts_with('+') => {
                        // A deleted user's events stay under their user ID.
                        filter.user_ids = vec![user.clone()];
                    }
                    Err(_) => filter.login_ids = vec![admin::login_id(user)?],
                }
            }
            if let Some(since) = since {
                filter.from_ms = Some(parse_since(since, now)?.saturating_mul(1000));
            }
            let (events, total) = admin::search_audit(&store, &filter).await?;
            if *json {
                let rows: Vec<_> = events
                    .iter()
                    .map(|e| serde_json::to_value(e).unwrap_or_default())
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
            } else {
                let rows: Vec<Vec<String>> = events
                    .iter()
                    .map(|e| {
                        vec![
                            format_ms(e.occurred_ms),
                            e.action.clone(),
                            e.outcome.clone(),
                            e.login_id.clone().unwrap_or_default(),
                            e.user_id.clone().unwrap_or_default(),
                            e.remote_ip.clone().unwrap_or_default(),
                            e.method.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(
                    &mut out,
                    &[
                        "TIME", "ACTION", "OUTCOME", "LOGIN ID", "USER ID", "IP", "VIA",
                    ],
                    &rows,
                )?;
                if total > events.len() as i64 {
                    writeln!(
                        out,
                        "({} of {total} events; --limit shows more)",
                        events.len()
                    )?;
                }
            }
            Ok(())
        }
        Command::ManagementKey { action, json } => match action {
            KeyCommand::Create { name } => {
                let (key_id, key) = admin::create_key(&store, &operator, now, name).await?;
                if *json {
                    let body = serde_json::json!({"keyId": key_id, "name": name.trim(), "key": key.expose()});
                    writeln!(out, "{body}")?;
                } else {
                    writeln!(out, "management key {key_id} ({})", printable(name.trim()))?;
                    writeln!(out, "{}", key.expose())?;
                    writeln!(
                        out,
                        "Shown this once; only its hash is kept. Use it as DescopeClient(project_id, \
                         management_key=…) or Authorization: Bearer <projectId>:<key>."
                    )?;
                }
                Ok(())
            }
            KeyCommand::List => {
                let keys = admin::keys(&store).await?;
                if *json {
                    writeln!(out, "{}", serde_json::to_string_pretty(&keys)?)?;
                } else {
                    let rows: Vec<Vec<String>> = keys
                        .iter()
                        .map(|k| {
                            vec![
                                k.key_id.clone(),
                                k.name.clone(),
                                format_s(k.created_at),
                                k.last_used.map(format_s).unwrap_or_else(|| "never".into()),
                                k.revoked_at.map(format_s).unwrap_or_else(|| "-".into()),
                            ]
                        })
                        .collect();
                    table(
                        &mut out,
                        &["KEY ID", "NAME", "CREATED", "LAST USED", "REVOKED"],
                        &rows,
                    )?;
                }
                Ok(())
            }
            KeyCommand::Revoke { key_id } => {
                admin::revoke_key(&store, &operator, now, key_id).await?;
                if *json {
                    writeln!(
                        out,
                        "{}",
                        serde_json::json!({"keyId": key_id, "revoked": true})
                    )?;
                } else {
                    writeln!(
                        out,
                        "revoked {key_id}: calls with it are refused from now on"
                    )?;
                }
                Ok(())
            }
        },
    }
}

async fn rotate_key(
    store: &Store,
    config: &Config,
    now: i64,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    // A new database gets its first key, as a server's first start would make it.
    KeyRing::load_or_create(store, now, config.refresh_ttl)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the signing keys: {e}"))?;
    let kid = KeyRing::rotate(store, now)
        .await
        .map_err(|e| anyhow::anyhow!("cannot store the new signing key: {e}"))?;
    audit::record(
        store,
        now,
        Event::new(Action::KeyRotated, Via::Cli).detail("kid", kid.as_str()),
    )
    .await;
    writeln!(
        out,
        "new signing key {kid}: it signs from now on (running servers take it up within seconds); \
         the previous key stays published for {} more seconds, until its tokens have expired",
        u64::from(config.refresh_ttl) + 60
    )?;
    Ok(())
}

fn who(user: &str) -> Who<'_> {
    if user.contains('@') || user.starts_with('+') {
        Who::LoginId(user)
    } else {
        Who::UserId(user)
    }
}

async fn users(
    store: &Store,
    operator: &Operator,
    now: i64,
    action: &UsersCommand,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let user = match action {
        UsersCommand::List {
            search,
            disabled,
            limit,
        } => {
            let filter = UserFilter {
                text: search.clone(),
                disabled: disabled.then_some(true),
                limit: i64::from(*limit),
                ..UserFilter::default()
            };
            let (users, total) = admin::search_users(store, &filter).await?;
            if json {
                let rows: Vec<_> = users.iter().map(user_json).collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
            } else {
                let rows: Vec<Vec<String>> = users
                    .iter()
                    .map(|u| {
                        vec![
                            u.user_id.clone(),
                            u.login_ids.join(", "),
                            u.name.clone().unwrap_or_default(),
                            status(u).into(),
                            format_s(u.created_at),
                        ]
                    })
                    .collect();
                table(
                    out,
                    &["USER ID", "LOGIN IDS", "NAME", "STATUS", "CREATED"],
                    &rows,
                )?;
                if total > users.len() as i64 {
                    writeln!(
                        out,
                        "({} of {total} users; --limit shows more)",
                        users.len()
                    )?;
                }
            }
            return Ok(());
        }
        UsersCommand::Show { user } => admin::find(store, who(user)).await?,
        UsersCommand::Create { login_id, name } => {
            let details = UserDetails {
                name: name.clone(),
                ..UserDetails::default()
            };
            admin::create_user(
                store,
                operator,
                now,
                std::slice::from_ref(login_id),
                details,
                false,
            )
            .await?
        }
        UsersCommand::Disable { user } => {
            admin::set_disabled(store, operator, now, who(user), true).await?
        }
        UsersCommand::Enable { user } => {
            admin::set_disabled(store, operator, now, who(user), false).await?
        }
        UsersCommand::SignOut { user } => admin::sign_out(store, operator, now, who(user)).await?,
        UsersCommand::Unpause { login_id } => {
            let lifted = admin::unpause(store, operator, now, login_id).await?;
            if json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"loginId": login_id, "unpaused": lifted})
                )?;
            } else if lifted {
                writeln!(
                    out,
                    "sign-in links are sent to {} again (the pause after a \"No\" is lifted)",
                    printable(login_id)
                )?;
            } else {
                writeln!(
                    out,
                    "sign-ins to {} were not paused; nothing changed",
                    printable(login_id)
                )?;
            }
            return Ok(());
        }
        UsersCommand::Delete { user, yes } => {
            let found = admin::find(store, who(user)).await?;
            if !yes {
                confirm_delete(&found)?;
            }
            admin::delete_user(store, operator, now, Who::UserId(&found.user_id)).await?;
            if json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"userId": found.user_id, "deleted": true})
                )?;
            } else {
                writeln!(
                    out,
                    "deleted {} ({}); their audit events stay, without login ID, address or user agent",
                    found.user_id,
                    printable(&found.login_ids.join(", "))
                )?;
            }
            return Ok(());
        }
    };
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&user_json(&user))?)?;
    } else {
        let said = match action {
            UsersCommand::Create { .. } => "created",
            UsersCommand::Disable { .. } => "disabled (every session ended)",
            UsersCommand::Enable { .. } => "enabled",
            UsersCommand::SignOut { .. } => "signed out everywhere",
            _ => "",
        };
        if !said.is_empty() {
            writeln!(out, "{said}: {}", user.user_id)?;
        }
        for (label, value) in [
            ("user ID", user.user_id.clone()),
            ("login IDs", user.login_ids.join(", ")),
            ("email", user.email.clone().unwrap_or_default()),
            ("phone", user.phone.clone().unwrap_or_default()),
            ("name", user.name.clone().unwrap_or_default()),
            ("status", status(&user).into()),
            ("created", format_s(user.created_at)),
        ] {
            writeln!(out, "{label:<10} {}", printable(&value))?;
        }
    }
    Ok(())
}

/// Asks on the terminal; refuses without one (a script must say `--yes`).
fn confirm_delete(user: &User) -> anyhow::Result<()> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "deleting {} cannot be undone: pass --yes to delete without asking",
            user.user_id
        );
    }
    eprint!(
        "Delete {} ({}) and erase their personal data from the audit trail? Type yes: ",
        user.user_id,
        printable(&user.login_ids.join(", "))
    );
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if answer.trim() != "yes" {
        anyhow::bail!("not deleted");
    }
    Ok(())
}

fn status(user: &User) -> &'static str {
    if user.disabled {
        "disabled"
    } else {
        "enabled"
    }
}

fn user_json(user: &User) -> serde_json::Value {
    serde_json::json!({
        "userId": user.user_id,
        "loginIds": user.login_ids,
        "email": user.email,
        "phone": user.phone,
        "name": user.name,
        "status": status(user),
        "createdTime": user.created_at,
    })
}

/// Columns padded to their widest cell.
fn table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    // Older rows may hold text a terminal would act on: printed escaped.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| printable(cell)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    if rows.is_empty() {
        writeln!(out, "(none)")?;
    }
    Ok(())
}

fn format_s(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| unix.to_string())
}

fn format_ms(ms: i64) -> String {
    format_s(ms.div_euclid(1000))
}

/// `--since`: an RFC 3339 time, a date (midnight UTC), or an age before `now` (`90m`,
/// `12h`, `7d`). Unix seconds.
pub fn parse_since(value: &str, now: i64) -> anyhow::Result<i64> {
    let value = value.trim();
    if let Ok(t) =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
    {
        return Ok(t.unix_timestamp());
    }
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(date) = time::Date::parse(value, &date_format) {
        return Ok(date.midnight().assume_utc().unix_timestamp());
    }
    // The unit is the last character, which need not be one byte ("7д").
    let unit_at = value.char_indices().last().map_or(0, |(at, _)| at);
    let (number, unit) = value.split_at(unit_at);
    let seconds: i64 = match unit {
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 0,
    };
    let age = number
        .parse::<i64>()
        .ok()
        .filter(|&n| seconds > 0 && n >= 0)
        .and_then(|n| n.checked_mul(seconds));
    match age.and_then(|age| now.checked_sub(age)) {
        Some(since) => Ok(since),
        None => anyhow::bail!(
            "--since {value:?}: give a time (2026-12-01T09:00:00Z), a date (2026-12-01) or an age \
             (90m, 12h, 7d)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_since;

    #[test]
    fn since_reads_times_dates_and_ages() {
        let now = 1_800_000_000;
        assert_eq!(parse_since("2h", now).unwrap(), now - 7200);
        assert_eq!(parse_since("7d", now).unwrap(), now - 7 * 86_400);
        assert_eq!(
            parse_since("2026-12-01", now).unwrap(),
            parse_since("2026-12-01T00:00:00Z", now).unwrap()
        );
        assert!(parse_since("yesterday", now).is_err());
        assert!(parse_since("5w", now).is_err());
    }

    #[test]
    fn since_refuses_what_it_cannot_read_without_panicking() {
        let now = 1_800_000_000;
        // A unit that is not one byte (Cyrillic "д", as a Russian keyboard types "d"), and
        // an age larger than time.
        for value in ["7д", "д", "9223372036854775807d", "-5d", "", " "] {
            assert!(parse_since(value, now).is_err(), "{value:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn since_never_panics(value in "\\PC{0,12}", now in proptest::prelude::any::<i64>()) {
            let _ = parse_since(&value, now);
        }
    }
}
