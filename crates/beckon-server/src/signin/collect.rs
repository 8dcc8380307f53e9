//! The device collects its session: a poll, held until the tap when asked to, and the one
//! session a confirmed request hands out.

use std::net::IpAddr;
use std::time::Duration;

use crate::audit::{self, Event};
use crate::domain::{Channel, Error, Pending, Result};
use crate::limits::{Action, Key};
use crate::sessions;
use crate::sessions::{Grant, Granted};
use crate::state::AppState;
use crate::support::metrics::Stage;
use crate::support::secrets;
use crate::waits::Woke;
use tokio_util::sync::CancellationToken;

use super::{note, via};

/// One poll of a pending enchanted-link sign-in: pending, expired, declined, unknown, or the
/// session, handed out once. With `wait`, a request still pending is held (docs/wire.md
/// §4.5): until it is confirmed or declined, until it expires, or until `wait` has passed (then
/// "pending", as without it). The limits count the poll once however long it is held.
pub async fn poll(
    state: &AppState,
    pending_ref: &str,
    ip: Option<IpAddr>,
    wait: Option<Hold>,
) -> Result<Poll> {
    state.metrics.poll(wait.is_some());
    let ref_hash = secrets::hash(pending_ref);
    // Boxed, as in `hold`: a future is as large as its largest await, and a held poll keeps
    // this one for as long as it waits.
    let answer = Box::pin(async {
        state.hit(Action::Poll, Key::Ip(ip)).await?;
        let pending = lookup(state, &ref_hash).await?;
        state.hit(Action::Poll, Key::Request(&ref_hash)).await?;
        hand_out(state, &ref_hash, pending, ip).await
    })
    .await;
    match wait {
        Some(wait) if still_pending(&answer) && !wait.up_to.is_zero() => {
            hold(state, &ref_hash, wait, ip).await
        }
        _ => answer,
    }
}

/// What a poll of a sign-in finds, when it finds the request: "keep waiting" is an outcome
/// here, not an error; the API says it with `401 E062503` (docs/wire.md §4.4). No `Debug`:
/// a granted session carries its tokens.
pub enum Poll {
    /// Not confirmed yet.
    Pending,
    /// Confirmed: the session, handed out once (and again to a device whose answer was lost).
    Granted(Box<Granted>),
}

/// How a poll may be held: up to how long, and until its client goes, within its slot of
/// the caps.
pub struct Hold {
    pub up_to: Duration,
    pub gone: CancellationToken,
    pub slot: crate::waits::Slot,
}

fn still_pending(answer: &Result<Poll>) -> bool {
    matches!(answer, Ok(Poll::Pending))
}

/// Holds a poll that found its request pending (its limits already counted).
async fn hold(state: &AppState, ref_hash: &[u8], wait: Hold, ip: Option<IpAddr>) -> Result<Poll> {
    let until = tokio::time::Instant::now() + wait.up_to;
    // A confirmation committed after the poll's read and before the registration announces
    // to no one: the read after registering is what finds it.
    state.checkpoints.reach("poll-read").await;
    let mut waiter = state.waits.register(ref_hash);
    let _slot = wait.slot;
    loop {
        // A held poll rests in `waiter.sleep`; the database work between sleeps, the largest
        // part of this future, is boxed so that it takes memory only while it runs (a few
        // KiB for each of thousands of waits otherwise).
        let read = Box::pin(async {
            let pending = lookup(state, ref_hash).await?;
            let expires_in = u64::try_from(pending.expires_at - state.clock.now()).unwrap_or(0);
            Ok((expires_in, hand_out(state, ref_hash, pending, ip).await))
        });
        // The database failing a read after a wake (a reconnect, a lock) answers "pending":
        // the client polls again, as after any held wait.
        let (expires_in, answer) = match read.await {
            Err(Error::Store(error)) | Ok((_, Err(Error::Store(error)))) => {
                return read_failed(error)
            }
            read => read?,
        };
        if !still_pending(&answer) {
            return answer;
        }
        let left = until.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            return answer;
        }
        // Expiry is an answer too: wake a moment after it to say so.
        let at_most = left.min(Duration::from_secs(expires_in) + Duration::from_millis(50));
        match waiter.sleep(at_most, &wait.gone).await {
            Woke::Changed => {}
            Woke::TimeUp if at_most < left => {}
            Woke::TimeUp | Woke::Stopping => return Ok(Poll::Pending),
        }
    }
}

/// A held wait whose database work failed: logged, and answered "pending".
fn read_failed(error: sqlx::Error) -> Result<Poll> {
    tracing::warn!(%error, "a held wait could not read its sign-in; answered pending");
    Ok(Poll::Pending)
}

pub(super) async fn lookup(state: &AppState, ref_hash: &[u8]) -> Result<Pending> {
    state
        .store
        .pending(ref_hash)
        .await?
        .ok_or_else(Error::not_found)
}

/// How long after the tap a confirmed sign-in can still be collected, when its links expire
/// sooner.
const COLLECT_AFTER_TAP_SECS: i64 = 60;

/// How long a device whose answer was lost may collect the same session again.
const RECOLLECT_SECS: i64 = 60;

/// Until when a confirmed sign-in may be collected: while its links would still be valid, and
/// at least a minute after the tap.
pub(super) fn collectable_until(pending: &Pending) -> i64 {
    pending
        .expires_at
        .max(pending.verified_at.unwrap_or(0) + COLLECT_AFTER_TAP_SECS)
}

pub(super) async fn hand_out(
    state: &AppState,
    ref_hash: &[u8],
    pending: Pending,
    ip: Option<IpAddr>,
) -> Result<Poll> {
    if let Some(poll) = collect(state, ref_hash, pending, ip).await? {
        return Ok(poll);
    }
    // Another poll of this request collected it between this one's read and its write: two
    // polls woken by one tap (a relaunched app's, and the held poll of the app that quit,
    // which the server has not yet seen go). Read again: the same session, as for an
    // answer that was lost.
    let pending = lookup(state, ref_hash).await?;
    collect(state, ref_hash, pending, ip)
        .await?
        .ok_or_else(Error::not_found)
}

/// What a poll gets for `pending`: still pending, its session, or why not; `None` when
/// another poll collected it since `pending` was read.
async fn collect(
    state: &AppState,
    ref_hash: &[u8],
    pending: Pending,
    ip: Option<IpAddr>,
) -> Result<Option<Poll>> {
    let now = state.clock.now();
    // Collected already: the same session again for a minute, while it is untouched (the
    // answer may have been lost to a crash or a cut connection); then "not found".
    let again = match (pending.collected_at, &pending.collected_jti) {
        (Some(at), Some(jti)) if now <= at + RECOLLECT_SECS => {
            let token = state.store.refresh_token(jti).await?;
            let untouched =
                token.filter(|t| t.replaced_at.is_none() && t.session_revoked_at.is_none());
            Some(untouched.ok_or_else(Error::not_found)?)
        }
        (Some(_), _) => return Err(Error::not_found()),
        (None, _) => None,
    };
    if pending.declined_at.is_some() {
        return Err(Error::declined());
    }
    // A confirmed session waits for its device while the links would still be valid, and
    // at least a minute after the tap; not the hour the request is kept to answer "expired".
    let too_late = now > collectable_until(&pending);
    let (Some(user_id), Some(_)) = (pending.user_id.clone(), pending.verified_at) else {
        return if pending.expires_at <= now {
            Err(Error::expired())
        } else {
            Ok(Some(Poll::Pending))
        };
    };
    if again.is_none() && too_late {
        return Err(Error::expired());
    }
    let user = state
        .store
        .user_by_id(&user_id)
        .await?
        // Deleted by an operator since the tap.
        .ok_or_else(Error::not_found)?;
    if user.disabled {
        return Err(Error::user_disabled());
    }
    let method = match pending.channel {
        Channel::Email => "email",
        Channel::Sms => "sms",
    };
    // A step-up or MFA sign-in adds this proof to what the signed-in session had.
    let mut amr = pending.options.prior_amr.clone();
    if !amr.iter().any(|m| m == method) {
        amr.push(method.to_owned());
    }
    let grant = Grant {
        amr,
        custom_claims: pending.options.custom_claims.clone(),
        first_seen: pending.created_user,
        revoke_others: pending.options.revoke_other_sessions,
    };
    if let Some(token) = again {
        return sessions::reissue(state, &user, &grant, &token, now)
            .map(|granted| Some(Poll::Granted(Box::new(granted))));
    }
    state.checkpoints.reach("collect-read").await;
    let notice = super::notice::prepare(state, &pending, now);
    let new_notice = notice.as_ref().map(|n| n.new_notice(state, now));
    let issued = sessions::issue(
        state,
        &user,
        &grant,
        now,
        Some(ref_hash),
        new_notice.as_ref(),
    )
    .await?;
    let Some(issued) = issued else {
        return Ok(None);
    };
    if notice.is_some() {
        state.wake.notify_one();
    }
    crate::support::faults::crash_point("session-committed");
    state
        .metrics
        .sign_in(Stage::Collected, pending.method.as_str());
    let event = Event::new(audit::Action::SessionCollected, via(pending.method))
        .user(Some(&user.user_id))
        .login_id(&pending.login_id)
        .from(ip, None);
    note(state, event).await;
    Ok(Some(Poll::Granted(Box::new(issued))))
}
