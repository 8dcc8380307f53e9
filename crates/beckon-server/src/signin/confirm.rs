//! A link opened and confirmed (or declined) on the phone, and the page that follows it.

use std::net::IpAddr;

use crate::audit::{self, Event, Via};
use crate::domain::address::mailbox;
use crate::domain::{Channel, Error, Link, Method, Mode, Pending, Refusal, Result, User};
use crate::languages::Words;
use crate::limits::{Action, Key};
use crate::sessions::Granted;
use crate::state::AppState;
use crate::store::{NewPause, Outgoing};
use crate::support::metrics::{Pause, Stage};
use crate::support::secrets;

use super::collect::{collectable_until, hand_out, lookup, Poll};
use super::start::{merges_with, Merge};
use super::{note, via};

/// The merge a pending update would make, told again on its confirm page (in `words`).
pub async fn merge_notice_for(
    state: &AppState,
    pending: &Pending,
    words: Words<'_>,
) -> Result<Option<String>> {
    let Some(updating) = pending.subject_user.as_deref() else {
        return Ok(None);
    };
    if pending.mode != Mode::Update {
        return Ok(None);
    }
    let address = pending.address();
    let add = pending.options.add_to_login_ids;
    if merges_with(state, updating, address, add).await?.is_none() {
        return Ok(None);
    }
    let Some(user) = state.store.user_by_id(updating).await? else {
        return Ok(None);
    };
    let use_existing = pending.options.on_merge_use_existing;
    Ok(Some(Merge::new(&user, address, use_existing).words(words)))
}

/// A bound link's verifier must be there and match its challenge; an unbound link takes no
/// verifier, since one says "this link was asked for by me" and an unbound link was asked
/// for by no app (an app that takes it would take someone else's link for its own). Refused,
/// the link is left as it was.
pub(super) fn check_proof(challenge: Option<&str>, code_verifier: Option<&str>) -> Result<()> {
    let code_verifier = code_verifier.filter(|v| !v.is_empty());
    let Some(challenge) = challenge else {
        return match code_verifier {
            None => Ok(()),
            Some(_) => Err(Error::invalid(
                "This link was asked for without a code challenge, so no app can prove it                  asked for it: send no codeVerifier, or ask for a new link from this app",
            )),
        };
    };
    let verifier = code_verifier.ok_or_else(|| {
        Error::missing("codeVerifier").with_message(
            "This link was asked for by an app with a code challenge: only that app, with its \
             codeVerifier, can redeem it",
        )
    })?;
    if secrets::matches_challenge(verifier, challenge) {
        Ok(())
    } else {
        Err(Error::invalid(
            "The codeVerifier does not match the code challenge this link was asked with",
        ))
    }
}

/// Looks a link up without confirming it: what the confirm page shows on GET.
pub async fn peek(state: &AppState, token: &str) -> Result<Link> {
    let link = state
        .store
        .link(&secrets::hash(token))
        .await?
        .ok_or_else(Error::not_found)?;
    if link.pending.expires_at <= state.clock.now() {
        return Err(Error::expired());
    }
    Ok(link)
}

/// A request's confirm page was opened: the funnel's "viewed" stage, once per request. A
/// failure to note it costs a metric, not the page.
pub async fn viewed(state: &AppState, pending: &Pending) {
    match state
        .store
        .mark_viewed(&pending.ref_hash, state.clock.now())
        .await
    {
        Ok(true) => state
            .metrics
            .sign_in(Stage::Viewed, pending.method.as_str()),
        Ok(false) => {}
        Err(error) => tracing::warn!(%error, "could not note that a confirm page was viewed"),
    }
}

/// Confirms a link of `method`. An enchanted link whose number is not the one on the
/// requesting device is refused and stays valid (docs/wire.md §4.4); the right one verifies the
/// sign-in and spends all its links.
pub async fn verify(
    state: &AppState,
    token: &str,
    method: Method,
    code_verifier: Option<&str>,
    ip: Option<IpAddr>,
) -> Result<Link> {
    state.hit(Action::Verify, Key::Ip(ip)).await?;
    let link = peek(state, token).await?;
    let pending = &link.pending;
    if pending.method != method {
        return Err(Error::not_found());
    }
    // Before the per-address count: a program that caught the link and guesses verifiers
    // must not use up the verifications of the person it belongs to.
    check_proof(pending.code_challenge.as_deref(), code_verifier)?;
    state
        .hit(Action::Verify, Key::LoginId(&pending.login_id))
        .await?;
    if link.number != pending.link_number {
        // Okta's rule, when the operator asks for it: a wrong pick ends the request, and its
        // device hears "declined". Otherwise the links stay valid, as Descope keeps them.
        let ended = state.end_on_wrong_pick
            && state
                .store
                .decline(&pending.ref_hash, state.clock.now())
                .await?;
        state.metrics.wrong_pick(ended);
        if ended {
            tell_waiters(state, pending).await;
            state.metrics.sign_in(Stage::Declined, method.as_str());
        }
        let event = Event::new(audit::Action::LinkRefused, via(method))
            .login_id(&pending.login_id)
            .from(ip, None)
            .detail("reason", "not the number the device shows")
            .detail("request_ended", ended)
            .refused();
        note(state, event).await;
        return Err(Error::refused(
            Refusal::WrongLink,
            "Wrong link: its number is not the one shown on the device that asked",
        ));
    }
    confirm(state, link, method, ip, "link").await
}

/// How many wrong codes end a request.
pub const CODE_TRIES: i64 = 5;

/// Confirms the request `pending_ref` by its code, as its right link would: typed on the
/// device that asked, when no link works. The one who started the request holds its
/// pendingRef and may guess, so: tries are counted per client address and per mailbox (right
/// or wrong, before the code is compared), and the fifth wrong code ends the request.
pub async fn confirm_code(
    state: &AppState,
    pending_ref: &str,
    typed: &str,
    ip: Option<IpAddr>,
) -> Result<Link> {
    state.hit(Action::Code, Key::Ip(ip)).await?;
    let ref_hash = secrets::hash(pending_ref);
    let pending = state
        .store
        .pending(&ref_hash)
        .await?
        .ok_or_else(Error::not_found)?;
    let now = state.clock.now();
    if pending.method != Method::Enchanted
        || pending.verified_at.is_some()
        || pending.declined_at.is_some()
    {
        return Err(Error::not_found());
    }
    if pending.expires_at <= now {
        return Err(Error::expired());
    }
    state
        .hit(Action::Code, Key::LoginId(pending.address()))
        .await?;
    let expected = state
        .store
        .code_hash(&ref_hash)
        .await?
        .ok_or_else(Error::not_found)?;
    let right =
        crate::domain::code::normalize(typed).is_some_and(|code| secrets::hash(&code) == expected);
    if !right {
        let tries = state.store.wrong_code(&ref_hash, now, CODE_TRIES).await?;
        let ended = tries >= CODE_TRIES;
        if ended {
            tell_waiters(state, &pending).await;
            state
                .metrics
                .sign_in(Stage::Expired, pending.method.as_str());
        }
        let event = Event::new(audit::Action::LinkRefused, Via::EnchantedLink)
            .login_id(&pending.login_id)
            .from(ip, None)
            .detail("reason", "wrong code")
            .detail("request_ended", ended)
            .refused();
        note(state, event).await;
        if ended {
            return Err(Error::refused(
                Refusal::Expired,
                "Too many wrong codes: this sign-in request has ended. Start again",
            ));
        }
        let left = CODE_TRIES - tries;
        return Err(Error::refused(
            Refusal::WrongCode(u32::try_from(left).unwrap_or(0)),
            format!(
                "Wrong code: {left} more tr{} before this sign-in request ends",
                if left == 1 { "y" } else { "ies" }
            ),
        ));
    }
    let link = Link {
        number: pending.link_number.clone(),
        pending,
    };
    confirm(state, link, Method::Enchanted, ip, "code").await
}

/// Confirms `link`'s request (its right link, or its code: `by`): the update, or the
/// sign-in's user, made or found.
async fn confirm(
    state: &AppState,
    link: Link,
    method: Method,
    ip: Option<IpAddr>,
    by: &str,
) -> Result<Link> {
    let pending = &link.pending;
    let now = state.clock.now();
    if pending.mode == Mode::Update {
        let merged = match &pending.subject_user {
            Some(subject) => {
                merges_with(
                    state,
                    subject,
                    pending.address(),
                    pending.options.add_to_login_ids,
                )
                .await?
            }
            None => None,
        };
        let kept = state
            .store
            .complete_update(pending, now, state.merge_users)
            .await?
            .ok_or_else(Error::not_found)?;
        tell_waiters(state, pending).await;
        state.metrics.sign_in(Stage::Confirmed, method.as_str());
        let mut event = Event::new(
            if merged.is_some() {
                audit::Action::UsersMerged
            } else {
                audit::Action::AddressUpdated
            },
            via(method),
        )
        .user(Some(&kept))
        .login_id(&pending.login_id)
        .from(ip, None)
        .detail("address", pending.address());
        if let Some(other) = &merged {
            event = event.detail("mergedUserId", other.user_id.as_str());
        }
        note(state, event).await;
        return Ok(link);
    }
    let existing = state.store.user_by_login_id(&pending.login_id).await?;
    if let Some(subject) = &pending.subject_user {
        if existing.as_ref().map(|u| &u.user_id) != Some(subject) {
            return Err(Error::invalid(
                "This step-up is for a user who no longer signs in with this login ID",
            ));
        }
    }
    let new_user = match (pending.mode, existing) {
        (Mode::SignUp, Some(_)) => {
            return Err(Error::refused(Refusal::UserExists, "User already exists"))
        }
        (Mode::SignIn, None) => {
            return Err(Error::refused(Refusal::UserNotFound, "User not found"))
        }
        (_, Some(user)) if user.disabled => return Err(Error::user_disabled()),
        (_, Some(_)) => None,
        (_, None) => Some(new_user(pending, now)),
    };
    let user_id = state
        .store
        .complete_verification(pending, new_user.as_ref(), now)
        .await?
        .ok_or_else(Error::not_found)?;
    crate::support::faults::crash_point("confirm-committed");
    tell_waiters(state, pending).await;
    state.metrics.sign_in(Stage::Confirmed, method.as_str());
    let event = Event::new(audit::Action::LinkConfirmed, via(method))
        .user(Some(&user_id))
        .login_id(&pending.login_id)
        .from(ip, None)
        .detail("by", by);
    note(state, event).await;
    Ok(link)
}

/// A request was confirmed or declined: wakes the polls held for it (here and on the other
/// servers). A magic link's session goes to whoever verified it: no one waits for it.
pub(super) async fn tell_waiters(state: &AppState, pending: &Pending) {
    if pending.method == Method::Enchanted {
        state.waits.wake(&state.store, &pending.ref_hash).await;
    }
}

fn new_user(pending: &Pending, now: i64) -> User {
    let profile = pending.profile.clone().unwrap_or_default();
    let (email, phone) = match pending.channel {
        Channel::Email => (Some(pending.login_id.clone()), profile.phone),
        Channel::Sms => (profile.email, Some(pending.login_id.clone())),
    };
    let name = profile.name.or_else(|| {
        let parts: Vec<&str> = [
            &profile.given_name,
            &profile.middle_name,
            &profile.family_name,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    User {
        user_id: format!("U{}", secrets::random_alphanumeric(27)),
        login_ids: vec![pending.login_id.clone()],
        email,
        phone,
        name,
        given_name: profile.given_name,
        middle_name: profile.middle_name,
        family_name: profile.family_name,
        verified_email: false,
        verified_phone: false,
        created_at: now,
        disabled: false,
    }
}

/// Confirms a magic link and hands its session to whoever opened it; a link asked for with a
/// code challenge, only to whoever also has its verifier. A missing or wrong verifier leaves
/// the link as it was.
pub async fn verify_magic(
    state: &AppState,
    token: &str,
    code_verifier: Option<&str>,
    ip: Option<IpAddr>,
) -> Result<Granted> {
    let link = verify(state, token, Method::Magic, code_verifier, ip).await?;
    let ref_hash = &link.pending.ref_hash;
    match hand_out(state, ref_hash, lookup(state, ref_hash).await?, ip).await? {
        Poll::Granted(granted) => Ok(*granted),
        // `verify` has just confirmed it, and it is handed out in the same call.
        Poll::Pending => Err(Error::internal("a confirmed magic link is still pending")),
    }
}

/// "No, this wasn't me": ends the request and every other open request to its mailbox
/// (enchanted and magic, sign-in and update), spends their links, tells their waiting devices,
/// and pauses new sign-in messages to the mailbox (`pause_after_decline`), telling its owner
/// once per pause how to lift it.
pub async fn decline(state: &AppState, token: &str, ip: Option<IpAddr>) -> Result<Link> {
    state.hit(Action::Verify, Key::Ip(ip)).await?;
    let link = peek(state, token).await?;
    if link.pending.method != Method::Enchanted {
        return Err(Error::not_found());
    }
    let now = state.clock.now();
    let mailbox = mailbox(link.pending.address());
    let allow = secrets::random_token();
    let allow_hash = secrets::hash(&allow);
    let until = now + i64::from(state.pause_after_decline);
    let message = (state.pause_after_decline > 0)
        .then(|| super::pause::owner_message(state, &link.pending, &allow));
    let message_id = super::message_id(state);
    let pause = message.as_ref().map(|message| NewPause {
        until,
        allow_hash: &allow_hash,
        message: Outgoing {
            channel: link.pending.channel,
            message,
            message_id: &message_id,
            dev: state.dev,
            created_at: now,
            expires_at: until,
        },
    });
    let Some(declined) = state
        .store
        .decline_mailbox(&link.pending.ref_hash, &mailbox, now, pause.as_ref())
        .await?
    else {
        return Err(Error::not_found());
    };
    tell_waiters(state, &link.pending).await;
    for other in &declined.others {
        state.waits.wake(&state.store, other).await;
    }
    for _ in 0..=declined.others.len() {
        state
            .metrics
            .sign_in(Stage::Declined, link.pending.method.as_str());
    }
    let event = Event::new(audit::Action::SignInDeclined, Via::EnchantedLink)
        .user(link.pending.subject_user.as_deref())
        .login_id(&link.pending.login_id)
        .from(ip, None)
        .detail("other_requests_ended", declined.others.len());
    note(state, event).await;
    if declined.paused {
        state.wake.notify_one();
        state.metrics.pause(Pause::Started);
        let event = Event::new(audit::Action::MailboxPaused, Via::EnchantedLink)
            .user(link.pending.subject_user.as_deref())
            .login_id(&link.pending.login_id)
            .from(ip, None)
            .detail("seconds", state.pause_after_decline);
        note(state, event).await;
    }
    Ok(link)
}

/// Gives a just-confirmed request the handle its phone page follows it by: a new secret,
/// kept hashed.
pub async fn status_handle(state: &AppState, pending: &Pending) -> Result<String> {
    let handle = secrets::random_alphanumeric(32);
    state
        .store
        .set_status_hash(&pending.ref_hash, &secrets::hash(&handle))
        .await?;
    Ok(handle)
}

/// Where a confirmed request is, as its phone page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The device has not collected the session yet, and still may.
    Waiting,
    /// The device collected it.
    Collected,
    /// The device never collected it, and now cannot.
    Missed,
}

/// The progress of the request a phone page follows by `handle`, with what it was.
pub async fn progress(state: &AppState, handle: &str) -> Result<(Progress, Pending)> {
    let pending = state
        .store
        .pending_by_status(&secrets::hash(handle))
        .await?
        .ok_or_else(Error::not_found)?;
    let progress = match pending.collected_at {
        Some(_) => Progress::Collected,
        None if state.clock.now() > collectable_until(&pending) => Progress::Missed,
        None => Progress::Waiting,
    };
    Ok((progress, pending))
}
