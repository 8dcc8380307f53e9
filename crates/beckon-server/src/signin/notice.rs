//! "New sign-in to <app>": when a session is handed out to a returning user, they are told
//! where the request came from, with one button, "This wasn't me: sign that device out". The
//! link opens a page whose POST ends exactly that session (mail scanners open every link: a
//! GET changes nothing) and may pause sign-ins to the address as a "No" does.

use std::net::IpAddr;

use crate::audit::{self, Event, Via};
use crate::delivery::mail::{NoticeMessage, PauseCause};
use crate::domain::address::mailbox;
use crate::domain::{Channel, Error, Message, Mode, Pending, Result};
use crate::limits::{Action, Key};
use crate::places::Origin;
use crate::state::AppState;
use crate::store::{NewNotice, NewPause, Notice, Outgoing};
use crate::support::metrics::{Pause, SessionEvent};
use crate::support::secrets;

use super::pause::{paused_message, OwnerAddress};
use super::{message_id, note};

/// How long a notice's message may wait to be sent (a day of retries).
const DELIVER_WITHIN_SECS: i64 = 86_400;

/// A notice made ready to go with the session it tells of.
pub(super) struct Prepared {
    token_hash: Vec<u8>,
    mailbox: String,
    channel: Channel,
    message: Message,
    message_id: String,
    requested_from: Option<String>,
    requested_by: Option<String>,
    expires_at: i64,
}

impl Prepared {
    /// The notice as the session's transaction records and queues it.
    pub(super) fn new_notice<'a>(&'a self, state: &AppState, now: i64) -> NewNotice<'a> {
        NewNotice {
            token_hash: &self.token_hash,
            mailbox: &self.mailbox,
            expires_at: self.expires_at,
            requested_from: self.requested_from.clone(),
            requested_by: self.requested_by.as_deref(),
            message: Outgoing {
                channel: self.channel,
                message: &self.message,
                message_id: &self.message_id,
                dev: state.dev,
                created_at: now,
                expires_at: now + DELIVER_WITHIN_SECS,
            },
        }
    }
}

/// The notice for the session `pending` is about to hand out, unless notices are off, the
/// sign-in created the account (its first sign-up), or it is an address update.
pub(super) fn prepare(state: &AppState, pending: &Pending, now: i64) -> Option<Prepared> {
    if !state.sign_in_notices || pending.created_user || pending.mode == Mode::Update {
        return None;
    }
    let token = secrets::random_token();
    let mut url = state.confirm_url();
    let path = format!("{}/signout", url.path());
    url.set_path(&path);
    url.query_pairs_mut().append_pair("t", &token);
    let words = state.languages.pick(pending.locale.as_deref());
    let message = NoticeMessage {
        to: pending.address(),
        app_name: &state.app_name,
        words,
        origin: Origin {
            place: state.places.place(pending.requested_from),
            address: pending.requested_from,
            device: pending.requested_by.clone(),
        },
        signed_in_at: &words.when_utc(now),
        sign_out_url: url.into(),
    };
    let message = match pending.channel {
        Channel::Email => message.email(),
        Channel::Sms => message.sms(),
    };
    Some(Prepared {
        token_hash: secrets::hash(&token).to_vec(),
        mailbox: mailbox(pending.address()),
        channel: pending.channel,
        message,
        message_id: message_id(state),
        requested_from: pending
            .requested_from
            .map(|ip| ip.to_canonical().to_string()),
        requested_by: pending.requested_by.clone(),
        expires_at: now + i64::from(state.session_lifetime),
    })
}

/// The notice the owner's `token` is for, as its page shows it.
pub async fn notice(state: &AppState, token: &str) -> Result<Notice> {
    state
        .store
        .notice(&secrets::hash(token), state.clock.now())
        .await?
        .ok_or_else(Error::not_found)
}

/// What "This wasn't me" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedOut {
    /// The session was live and is now ended (false: it had ended already).
    pub ended_now: bool,
    /// Sign-ins to the address are now paused (asked for, and none was running).
    pub paused: bool,
}

/// "This wasn't me": ends the session the owner's `token` tells of and, with `pause`,
/// pauses sign-in messages to its address as a "No" does (with the owner's email about it).
pub async fn sign_out(
    state: &AppState,
    token: &str,
    pause: bool,
    ip: Option<IpAddr>,
) -> Result<SignedOut> {
    state.hit(Action::Verify, Key::Ip(ip)).await?;
    let notice = notice(state, token).await?;
    let now = state.clock.now();
    let ended_now = !notice.session_ended;
    if ended_now {
        state.store.revoke_session(&notice.session_id, now).await?;
        state.metrics.session(SessionEvent::EndedFromNotice);
        let event = Event::new(audit::Action::SessionEnded, Via::EnchantedLink)
            .user(Some(&notice.user_id))
            .login_id(&notice.mailbox)
            .from(ip, None)
            .detail("sessionId", notice.session_id.as_str())
            .detail("by", "owner, from the sign-in notice");
        note(state, event).await;
    }
    let paused = pause && state.pause_after_decline > 0 && begin_pause(state, &notice, ip).await?;
    Ok(SignedOut { ended_now, paused })
}

/// Pauses sign-in messages to the notice's address, telling its owner how to lift it.
async fn begin_pause(state: &AppState, notice: &Notice, ip: Option<IpAddr>) -> Result<bool> {
    let now = state.clock.now();
    let allow = secrets::random_token();
    let allow_hash = secrets::hash(&allow);
    let requested_from = notice
        .requested_from
        .as_deref()
        .and_then(|a| a.parse().ok());
    let origin = Origin {
        place: state.places.place(requested_from),
        address: requested_from,
        device: notice.requested_by.clone(),
    };
    let channel = if notice.mailbox.contains('@') {
        Channel::Email
    } else {
        Channel::Sms
    };
    let owner = OwnerAddress {
        to: &notice.mailbox,
        channel,
    };
    let locale = state.store.locale_of_login_id(&notice.mailbox).await?;
    let message = paused_message(
        state,
        state.languages.pick(locale.as_deref()),
        owner,
        PauseCause::SignedOut,
        origin,
        notice.created_at,
        &allow,
    );
    let until = now + i64::from(state.pause_after_decline);
    let message_id = message_id(state);
    let pause = NewPause {
        until,
        allow_hash: &allow_hash,
        message: Outgoing {
            channel,
            message: &message,
            message_id: &message_id,
            dev: state.dev,
            created_at: now,
            expires_at: until,
        },
    };
    let paused = state
        .store
        .pause_mailbox(&notice.mailbox, now, &pause)
        .await?;
    if paused {
        state.wake.notify_one();
        state.metrics.pause(Pause::Started);
        let event = Event::new(audit::Action::MailboxPaused, Via::EnchantedLink)
            .user(Some(&notice.user_id))
            .login_id(&notice.mailbox)
            .from(ip, None)
            .detail("seconds", state.pause_after_decline)
            .detail("by", "owner, from the sign-in notice");
        note(state, event).await;
    }
    Ok(paused)
}
