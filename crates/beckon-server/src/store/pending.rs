//! The `pending_logins` table and its `link_tokens`: sign-in requests and the links that
//! confirm them.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::outbox::{self, Outgoing};
use super::users::merge_users;
use super::AuditRow;
use super::{enum_column, json_column, Store};
use crate::domain::address::mailbox;
use crate::domain::{Channel, Link, Method, Mode, Pending, PendingOptions, Profile, User};

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
    /// The requesting client's address.
    pub requested_from: Option<std::net::IpAddr>,
    pub created_at: i64,
    pub expires_at: i64,
    pub tokens: &'a [(Vec<u8>, Option<String>)],
    /// Where the links go, when not to `login_id`.
    pub address: Option<&'a str>,
    /// The signed-in user who asked (step-up, MFA, update).
    pub subject_user: Option<&'a str>,
    /// A magic link's S256 code challenge: redeemed only with its verifier.
    pub code_challenge: Option<&'a str>,
    /// The SHA-256 of the enchanted link's code, typed on the desktop instead of a tap.
    pub code_hash: Option<&'a [u8]>,
    pub options: &'a PendingOptions,
    /// The language its messages are written in (a BCP 47 tag).
    pub locale: Option<&'a str>,
}

const PENDING_COLUMNS: &str = "p.ref_hash, p.login_id, p.method, p.delivery, p.mode, \
     p.link_number, p.profile, \
     p.requested_by, p.requested_from, p.created_at, p.expires_at, p.verified_at, p.user_id, p.created_user, \
     p.collected_at, p.collected_jti, p.address, p.subject_user, p.options, p.code_challenge, \
     p.declined_at, p.locale";

impl Store {
    /// Stores a pending sign-in, queues its message and writes its audit event, in one
    /// transaction: the message is sent, and the event kept, if and only if the request
    /// exists (and it costs one commit, not two).
    pub async fn insert_pending(
        &self,
        new: &NewPending<'_>,
        message: &Outgoing<'_>,
        audit: &AuditRow,
    ) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO pending_logins (ref_hash, login_id, method, delivery, mode, link_number, \
             profile, requested_by, requested_from, created_at, expires_at, address, \
             subject_user, options, code_challenge, mailbox, code_hash, locale) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18)",
        )
        .bind(new.ref_hash)
        .bind(new.login_id)
        .bind(new.method.as_str())
        .bind(new.channel.as_str())
        .bind(new.mode.as_str())
        .bind(new.link_number)
        .bind(new.profile.and_then(|p| serde_json::to_string(p).ok()))
        .bind(new.requested_by)
        .bind(new.requested_from.map(|ip| ip.to_canonical().to_string()))
        .bind(new.created_at)
        .bind(new.expires_at)
        .bind(new.address)
        .bind(new.subject_user)
        .bind(serde_json::to_string(new.options).ok())
        .bind(new.code_challenge)
        .bind(mailbox(new.address.unwrap_or(new.login_id)))
        .bind(new.code_hash)
        .bind(new.locale)
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
        super::audit::insert(&mut tx, audit).await?;
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
        // The language of this sign-in is the user's from now on, for requests naming none.
        if let Some(locale) = &pending.locale {
            sqlx::query("UPDATE users SET locale = $1 WHERE user_id = $2")
                .bind(locale)
                .bind(&user_id)
                .execute(&mut *tx)
                .await?;
        }
        settle(&mut tx, &pending.ref_hash, &user_id, created).await?;
        tx.commit().await?;
        Ok(Some(user_id))
    }

    /// Completes an update: the confirmed address becomes the user's email or phone, verified;
    /// with `addToLoginIDs`, a login ID too. When another user already signs in with it, the
    /// two merge when `may_merge` (the SDKs' `UpdateOptions`, docs/wire.md §4.6): by default the updating user takes over the
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

    /// Declines a request that is still waiting and spends its links: "No, this wasn't me".
    /// False when it was confirmed or declined already.
    pub async fn decline(&self, ref_hash: &[u8], now: i64) -> sqlx::Result<bool> {
        let mut tx = self.pool.begin().await?;
        if !decline_in(&mut tx, ref_hash, now).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Notes that a request's confirm page was opened: true only the first time (on any
    /// replica), so the funnel counts each request's view once.
    pub async fn mark_viewed(&self, ref_hash: &[u8], now: i64) -> sqlx::Result<bool> {
        let marked = sqlx::query(
            "UPDATE pending_logins SET viewed_at = $1 WHERE ref_hash = $2 AND viewed_at IS NULL",
        )
        .bind(now)
        .bind(ref_hash)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(marked == 1)
    }

    /// The hash of an open request's code, if it has one.
    pub async fn code_hash(&self, ref_hash: &[u8]) -> sqlx::Result<Option<Vec<u8>>> {
        sqlx::query("SELECT code_hash FROM pending_logins WHERE ref_hash = $1")
            .bind(ref_hash)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get::<Option<Vec<u8>>, _>("code_hash"))
            .transpose()
            .map(Option::flatten)
    }

    /// Counts a wrong code typed for a request: how many there have been. At `limit`, the
    /// request ends (it expires now and its links are spent), in the same transaction.
    pub async fn wrong_code(&self, ref_hash: &[u8], now: i64, limit: i64) -> sqlx::Result<i64> {
        let mut tx = self.pool.begin().await?;
        let tries: i64 = sqlx::query(
            "UPDATE pending_logins SET code_tries = code_tries + 1 WHERE ref_hash = $1 \
             RETURNING code_tries",
        )
        .bind(ref_hash)
        .fetch_one(&mut *tx)
        .await?
        .try_get("code_tries")?;
        if tries >= limit {
            sqlx::query(
                "UPDATE pending_logins SET expires_at = $1 \
                 WHERE ref_hash = $2 AND verified_at IS NULL",
            )
            .bind(now)
            .bind(ref_hash)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM link_tokens WHERE ref_hash = $1")
                .bind(ref_hash)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(tries)
    }

    /// Gives a confirmed request the (hashed) handle its phone page follows it by.
    pub async fn set_status_hash(&self, ref_hash: &[u8], status_hash: &[u8]) -> sqlx::Result<()> {
        sqlx::query("UPDATE pending_logins SET status_hash = $1 WHERE ref_hash = $2")
            .bind(status_hash)
            .bind(ref_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The request a phone page follows, by its handle's hash.
    pub async fn pending_by_status(&self, status_hash: &[u8]) -> sqlx::Result<Option<Pending>> {
        let row = sqlx::query(&format!(
            "SELECT {PENDING_COLUMNS} FROM pending_logins p WHERE p.status_hash = $1"
        ))
        .bind(status_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(pending_from_row).transpose()
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
        "UPDATE pending_logins SET verified_at = $1 \
         WHERE ref_hash = $2 AND verified_at IS NULL AND declined_at IS NULL",
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
        requested_from: r
            .try_get::<Option<String>, _>("requested_from")?
            .and_then(|ip| ip.parse().ok()),
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
        declined_at: r.try_get("declined_at")?,
        locale: r.try_get("locale")?,
    })
}

/// Declines the request `ref_hash` if it is still waiting, and spends its links, in `tx`:
/// whether it was waiting.
pub(super) async fn decline_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ref_hash: &[u8],
    now: i64,
) -> sqlx::Result<bool> {
    let declined = sqlx::query(
        "UPDATE pending_logins SET declined_at = $1 \
         WHERE ref_hash = $2 AND verified_at IS NULL AND declined_at IS NULL",
    )
    .bind(now)
    .bind(ref_hash)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if declined != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM link_tokens WHERE ref_hash = $1")
        .bind(ref_hash)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}
