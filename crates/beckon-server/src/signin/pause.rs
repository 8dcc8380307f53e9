//! After a "No, this wasn't me": the owner's email about the pause, and its page that lifts
//! the pause ("It was me: allow sign-ins again"), a POST behind a GET that changes nothing,
//! as the links are (mail scanners open every link).

use std::net::IpAddr;

use crate::audit::{self, Event, Via};
use crate::delivery::mail::{PauseCause, PausedMessage};
use crate::domain::{Channel, Error, Message, Pending, Result};
use crate::languages::Words;
use crate::limits::{Action, Key};
use crate::places::Origin;
use crate::state::AppState;
use crate::support::metrics::Pause;
use crate::support::secrets;

use super::note;

/// The owner's message about the pause a "No" to `pending` begins, with the link to the
/// page that lifts it (`allow` is its token; only its hash is kept).
pub(super) fn owner_message(state: &AppState, pending: &Pending, allow: &str) -> Message {
    let origin = Origin {
        place: state.places.place(pending.requested_from),
        address: pending.requested_from,
        device: pending.requested_by.clone(),
    };
    let to = OwnerAddress {
        to: pending.address(),
        channel: pending.channel,
    };
    paused_message(
        state,
        state.languages.pick(pending.locale.as_deref()),
        to,
        PauseCause::Declined,
        origin,
        pending.created_at,
        allow,
    )
}

/// Where the owner's pause message goes.
pub(super) struct OwnerAddress<'a> {
    pub to: &'a str,
    pub channel: Channel,
}

/// The owner's message about a pause `cause` began, about the request from `origin` made
/// `at`, with the link (token `allow`) to the page that lifts it, in `words`' language.
pub(super) fn paused_message(
    state: &AppState,
    words: Words<'_>,
    owner: OwnerAddress<'_>,
    cause: PauseCause,
    origin: Origin,
    at: i64,
    allow: &str,
) -> Message {
    let mut url = state.confirm_url();
    let path = format!("{}/allow", url.path());
    url.set_path(&path);
    url.query_pairs_mut().append_pair("t", allow);
    let message = PausedMessage {
        to: owner.to,
        app_name: &state.app_name,
        words,
        cause,
        minutes: state.pause_after_decline.div_ceil(60),
        origin,
        requested_at: &words.when_utc(at),
        allow_url: url.into(),
    };
    match owner.channel {
        Channel::Email => message.email(),
        Channel::Sms => message.sms(),
    }
}

/// The running pause the owner's `token` lifts: its mailbox and when it ends.
pub async fn pause_to_allow(state: &AppState, token: &str) -> Result<(String, i64)> {
    state
        .store
        .pause_by_allow(&secrets::hash(token), state.clock.now())
        .await?
        .ok_or_else(Error::not_found)
}

/// "It was me": lifts the pause the owner's `token` is for. Its mailbox.
pub async fn allow(state: &AppState, token: &str, ip: Option<IpAddr>) -> Result<String> {
    state.hit(Action::Verify, Key::Ip(ip)).await?;
    let mailbox = state
        .store
        .lift_pause_by_allow(&secrets::hash(token), state.clock.now())
        .await?
        .ok_or_else(Error::not_found)?;
    state.metrics.pause(Pause::LiftedByOwner);
    let event = Event::new(audit::Action::MailboxUnpaused, Via::EnchantedLink)
        .login_id(&mailbox)
        .from(ip, None)
        .detail("by", "owner");
    note(state, event).await;
    Ok(mailbox)
}
