//! The enchanted-link sign-in, apart from HTTP: start it, confirm a link, hand out the session.
//! The API handlers and the confirm page both call these.

use std::net::IpAddr;
use std::time::Duration;

use crate::audit::{self, Event, Via};
use crate::domain::{
    Channel, Error, Link, MessageLink, Method, Mode, Pending, PendingOptions, Profile, Refusal,
    Result, User,
};
use crate::limits::{self, Action, Key};
use crate::mail::{Purpose, SignInMessage};
use crate::metrics::Stage;
use crate::secrets::Secret;
use crate::sessions::{Authenticated, Grant, Granted};
use crate::state::AppState;
use crate::store::{NewPending, Outgoing};
use crate::waits::Woke;
use crate::{secrets, sessions};
use tokio_util::sync::CancellationToken;

pub use crate::domain::Requester;

/// `loginOptions`: what the session will carry, and whether it builds on a signed-in one.
#[derive(Debug, Default)]
pub struct SessionOptions {
    /// Step-up: sign the signed-in user in again, for a stronger session.
    pub stepup: bool,
    /// MFA: this link is a second factor on top of the signed-in session.
    pub mfa: bool,
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
    pub revoke_other_sessions: bool,
}

/// The new address of an update, and how it joins the user.
pub struct Update<'a> {
    pub address: &'a str,
    pub add_to_login_ids: bool,
    pub on_merge_use_existing: bool,
}

/// A request to send links: a sign-in, sign-up or sign-up-or-in (`update: None`), or the
/// confirmation of a signed-in user's new address.
pub struct LinkRequest<'a> {
    pub channel: Channel,
    pub mode: Mode,
    /// The login ID to sign in; for an update, one of the signed-in user's login IDs.
    pub login_id: &'a str,
    pub redirect: Option<&'a str>,
    pub profile: Option<Profile>,
    pub requester: Requester<'a>,
    pub options: SessionOptions,
    /// The refresh JWT in the bearer, if any: required for step-up, MFA and updates.
    pub refresh_jwt: Option<&'a str>,
    pub update: Option<Update<'a>>,
    /// A magic link's S256 code challenge (RFC 7636) and its method, as sent.
    pub code_challenge: Option<&'a str>,
    pub code_challenge_method: Option<&'a str>,
}

/// A started enchanted-link request: the device shows `link_id` and asks for the session
/// with `pending_ref`.
pub struct EnchantedStarted {
    pub link_id: String,
    pub pending_ref: Secret,
    pub masked: Masked,
}

/// Where the link(s) went, masked for the answer (`a***@example.com`, `+*******0123`).
pub struct Masked {
    pub channel: Channel,
    pub address: String,
}

/// Counts one hit against the server's rate limits.
async fn hit(state: &AppState, action: Action, key: Key<'_>) -> Result<()> {
    let counted = limits::hit(&state.store, &state.limits, state.clock.now(), action, key).await;
    if matches!(&counted, Err(e) if matches!(e.refusal(), Some(Refusal::RateLimited(_)))) {
        state.metrics.rate_limited(limits::rule_name(action, key));
    }
    counted
}

/// Writes an event to the audit trail.
async fn note(state: &AppState, event: Event) {
    audit::record(&state.store, state.clock.now(), event).await;
}

fn via(method: Method) -> Via {
    match method {
        Method::Enchanted => Via::EnchantedLink,
        Method::Magic => Via::MagicLink,
    }
}

/// Checks a login ID for its channel: an email address, or an E.164 phone number.
pub fn normalize_login_id(channel: Channel, login_id: &str) -> Result<String> {
    normalize_address(channel, login_id, "loginId")
}

fn normalize_address(channel: Channel, value: &str, field: &str) -> Result<String> {
    match channel {
        Channel::Email => normalize_email_field(value, field),
        Channel::Sms => normalize_phone_field(value, field),
    }
}

/// Who the request is for, where its links go, and which signed-in user asked.
struct Target {
    login_id: String,
    address: Option<String>,
    subject: Option<Authenticated>,
    /// An update that merges two users: what the message tells the person.
    merge_notice: Option<String>,
}

/// Starts an enchanted-link request: three numbered links, one of them the right one.
pub async fn start_enchanted(
    state: &AppState,
    request: LinkRequest<'_>,
) -> Result<EnchantedStarted> {
    let numbers = secrets::three_link_numbers();
    let link_id = numbers[secrets::pick(numbers.len())].to_string();
    let numbers = numbers.iter().map(|n| Some(n.to_string())).collect();
    let pending_ref = secrets::random_token();
    let masked = start(
        state,
        request,
        Method::Enchanted,
        numbers,
        Some(&link_id),
        &pending_ref,
    )
    .await?;
    Ok(EnchantedStarted {
        link_id,
        pending_ref: Secret::new(pending_ref),
        masked,
    })
}

/// Starts a magic-link request: one link, whose opener gets the session.
pub async fn start_magic(state: &AppState, request: LinkRequest<'_>) -> Result<Masked> {
    // Nobody polls a magic link: its reference is stored (hashed) and never handed out.
    let pending_ref = secrets::random_token();
    start(
        state,
        request,
        Method::Magic,
        vec![None],
        None,
        &pending_ref,
    )
    .await
}

/// Starts a request: stores it, queues the message with its links (`numbers`, `link_id` the
/// right one), and says where it went.
async fn start(
    state: &AppState,
    request: LinkRequest<'_>,
    method: Method,
    numbers: Vec<Option<String>>,
    link_id: Option<&str>,
    pending_ref: &str,
) -> Result<Masked> {
    hit(state, Action::Send, Key::Ip(request.requester.ip)).await?;
    if !state.dev && state.transports.for_channel(request.channel).is_none() {
        let (what, other) = match request.channel {
            Channel::Email => ("email", "sms"),
            Channel::Sms => ("text messages", "email"),
        };
        return Err(Error::invalid(format!(
            "This server does not send {what}; use {other}"
        )));
    }
    let base = match request.redirect {
        Some(uri) => {
            let url = parse_redirect(uri)?;
            state.redirects.check(&url)?;
            url
        }
        None => state.confirm_url(),
    };
    let now = state.clock.now();
    let target = match &request.update {
        Some(update) => update_target(state, &request, update, now).await,
        None => sign_in_target(state, &request, now).await,
    };
    let target = match target {
        Ok(target) => target,
        Err(error) => {
            if error.refusal() == Some(Refusal::UserDisabled) {
                let user = match normalize_login_id(request.channel, request.login_id) {
                    Ok(login_id) => state.store.user_by_login_id(&login_id).await?,
                    Err(_) => None,
                };
                let event = Event::new(audit::Action::SignInStarted, via(method))
                    .user(user.as_ref().map(|u| u.user_id.as_str()))
                    .login_id(request.login_id.trim())
                    .from(request.requester.ip, request.requester.user_agent)
                    .detail("reason", "user disabled")
                    .refused();
                note(state, event).await;
            }
            return Err(error);
        }
    };
    let code_challenge = check_code_challenge(&request, method)?;
    let profile = request.profile.map(check_profile).transpose()?;
    let address = target.address.as_deref().unwrap_or(&target.login_id);
    // Counted by where the message goes: that inbox is what a flood of links would fill.
    hit(state, Action::Send, Key::LoginId(address)).await?;
    let options = PendingOptions {
        custom_claims: request.options.custom_claims,
        prior_amr: target
            .subject
            .as_ref()
            .filter(|_| request.options.stepup || request.options.mfa)
            .map(|s| s.claims.amr.clone())
            .unwrap_or_default(),
        revoke_other_sessions: request.options.revoke_other_sessions,
        add_to_login_ids: request.update.as_ref().is_some_and(|u| u.add_to_login_ids),
        on_merge_use_existing: request
            .update
            .as_ref()
            .is_some_and(|u| u.on_merge_use_existing),
    };

    let mut tokens = Vec::with_capacity(numbers.len());
    let mut links = Vec::with_capacity(numbers.len());
    for number in numbers {
        let token = secrets::random_token();
        let mut url = base.clone();
        url.query_pairs_mut().append_pair("t", &token);
        tokens.push((secrets::hash(&token), number.clone()));
        links.push(MessageLink {
            number,
            url: url.into(),
        });
    }
    let requested_by = request.requester.user_agent.map(|ua| truncate(ua, 200));
    let message = SignInMessage {
        to: address,
        app_name: &state.app_name,
        purpose: if request.update.is_some() {
            Purpose::ConfirmAddress
        } else {
            Purpose::SignIn
        },
        links,
        ttl_minutes: state.link_ttl.div_ceil(60),
        requested_by: requested_by.as_deref(),
        requested_at: &format_time(now),
        notice: target.merge_notice.as_deref(),
    };
    let message = match request.channel {
        Channel::Email => message.email(),
        Channel::Sms => message.sms(),
    };
    let expires_at = now + i64::from(state.link_ttl);
    let event = Event::new(audit::Action::SignInStarted, via(method))
        .user(target.subject.as_ref().map(|s| s.user.user_id.as_str()))
        .login_id(&target.login_id)
        .from(request.requester.ip, request.requester.user_agent)
        .detail("mode", request.mode.as_str())
        .detail("delivery", request.channel.as_str())
        .row(now);
    let message_id = format!(
        "<{}@{}>",
        secrets::random_alphanumeric(24),
        state.public_url.host_str().unwrap_or("beckon.invalid")
    );
    state
        .store
        .insert_pending(
            &NewPending {
                ref_hash: &secrets::hash(pending_ref),
                login_id: &target.login_id,
                method,
                channel: request.channel,
                mode: request.mode,
                link_number: link_id,
                profile: profile.as_ref(),
                requested_by: requested_by.as_deref(),
                created_at: now,
                expires_at,
                tokens: &tokens,
                address: target.address.as_deref(),
                subject_user: target.subject.as_ref().map(|s| s.user.user_id.as_str()),
                options: &options,
                code_challenge,
            },
            &Outgoing {
                channel: request.channel,
                message: &message,
                message_id: &message_id,
                dev: state.dev,
                created_at: now,
                expires_at,
            },
            &event,
        )
        .await?;
    state.wake.notify_one();
    state.metrics.sign_in(Stage::Started, method.as_str());
    audit::log(&event);

    Ok(Masked {
        channel: request.channel,
        address: match request.channel {
            Channel::Email => mask_email(address),
            Channel::Sms => mask_phone(address),
        },
    })
}

/// A sign-in, sign-up or sign-up-or-in: the user must exist (or not) as the mode says; a
/// step-up or MFA sign-in must be of the signed-in user. An existing user's links go to
/// their current address, which an update may have changed.
async fn sign_in_target(state: &AppState, request: &LinkRequest<'_>, now: i64) -> Result<Target> {
    let login_id = normalize_login_id(request.channel, request.login_id)?;
    let subject = if request.options.stepup || request.options.mfa {
        Some(sessions::authenticate(state, request.refresh_jwt, now).await?)
    } else {
        None
    };
    let existing = state.store.user_by_login_id(&login_id).await?;
    match (request.mode, &existing) {
        (Mode::SignIn, None) => {
            return Err(Error::refused(Refusal::UserNotFound, "User not found")
                .with_message("No user signs in with this login ID; sign up first"))
        }
        (Mode::SignUp, Some(_)) => {
            return Err(Error::refused(Refusal::UserExists, "User already exists")
                .with_message("A user signs in with this login ID; sign in instead"))
        }
        (_, Some(user)) if user.disabled => return Err(Error::user_disabled()),
        _ => {}
    }
    if let Some(subject) = &subject {
        if existing.as_ref().map(|u| &u.user_id) != Some(&subject.user.user_id) {
            return Err(Error::invalid(
                "Step-up and MFA sign the signed-in user in again: the loginId must be theirs",
            ));
        }
    }
    let address = existing
        .and_then(|user| match request.channel {
            Channel::Email => user.email,
            Channel::Sms => user.phone,
        })
        .filter(|current| *current != login_id);
    Ok(Target {
        login_id,
        address,
        subject,
        merge_notice: None,
    })
}

/// An update: the refresh JWT's user must own `loginId`; the links go to the new address.
async fn update_target(
    state: &AppState,
    request: &LinkRequest<'_>,
    update: &Update<'_>,
    now: i64,
) -> Result<Target> {
    let field = match request.channel {
        Channel::Email => "email",
        Channel::Sms => "phone",
    };
    if request.login_id.trim().is_empty() {
        return Err(Error::missing("loginId"));
    }
    let new_address = normalize_address(request.channel, update.address, field)?;
    let subject = sessions::authenticate(state, request.refresh_jwt, now).await?;
    // Login IDs are stored normalized; the SDKs send them as the user typed them.
    let current = if request.login_id.contains('@') {
        normalize_email(request.login_id)
    } else {
        normalize_phone(request.login_id)
    }
    .unwrap_or_else(|_| request.login_id.trim().to_owned());
    let owns = subject.user.login_ids.contains(&current);
    if !owns {
        return Err(Error::invalid(
            "The loginId must be a login ID of the signed-in user (the refresh JWT's)",
        ));
    }
    let merge_notice = merges_with(
        state,
        &subject.user.user_id,
        &new_address,
        update.add_to_login_ids,
    )
    .await?
    .map(|_| merge_notice(&subject.user, &new_address, update.on_merge_use_existing));
    Ok(Target {
        login_id: new_address,
        address: None,
        subject: Some(subject),
        merge_notice,
    })
}

/// The other user an update to `address` would merge with: one who signs in with it, when the
/// update adds it to the login IDs. Refused unless the server merges users
/// (`merge_users_on_update`): otherwise one tap by that person hands their account over.
async fn merges_with(
    state: &AppState,
    updating: &str,
    address: &str,
    add_to_login_ids: bool,
) -> Result<Option<User>> {
    if !add_to_login_ids {
        return Ok(None);
    }
    let Some(other) = state
        .store
        .user_by_login_id(address)
        .await?
        .filter(|u| u.user_id != updating)
    else {
        return Ok(None);
    };
    // A disabled account is not folded into an enabled one: that would enable its login IDs.
    if other.disabled {
        return Err(Error::user_disabled().with_message(
            "Another user, disabled by an administrator, signs in with this address: use \
             another address",
        ));
    }
    if !state.merge_users {
        return Err(Error::refused(
            Refusal::UserExists,
            "Another user signs in with this address",
        )
        .with_message(
            "This address is another user's login ID, and this server does not merge users \
             (merge_users_on_update is off): use another address",
        ));
    }
    Ok(Some(other))
}

/// What a merge does, in the words the message and the confirm page use.
fn merge_notice(updating: &User, address: &str, use_existing: bool) -> String {
    let requester = updating
        .login_ids
        .first()
        .map_or(updating.user_id.as_str(), String::as_str);
    if use_existing {
        format!(
            "Confirming merges two accounts: the account of {requester} is merged into the \
             account that signs in with {address}, which stays; the account of {requester} is \
             deleted."
        )
    } else {
        format!(
            "Confirming merges two accounts: the account that signs in with {address} is merged \
             into the account of {requester}, which stays; from then on {address} signs in to \
             the account of {requester}, and the other account is deleted."
        )
    }
}

/// The merge a pending update would make, told again on its confirm page.
pub async fn merge_notice_for(state: &AppState, pending: &Pending) -> Result<Option<String>> {
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
    Ok(Some(merge_notice(&user, address, use_existing)))
}

/// The S256 code challenge of a magic-link request, checked: 43 base64url characters (a
/// SHA-256), method `S256`. Only magic links take one: an enchanted link's session already
/// goes only to the holder of its pendingRef.
fn check_code_challenge<'a>(request: &LinkRequest<'a>, method: Method) -> Result<Option<&'a str>> {
    let Some(challenge) = request.code_challenge.filter(|c| !c.is_empty()) else {
        if request.code_challenge_method.is_some_and(|m| !m.is_empty()) {
            return Err(Error::missing("codeChallenge"));
        }
        return Ok(None);
    };
    if method != Method::Magic {
        return Err(Error::invalid(
            "codeChallenge binds magic links; an enchanted link's session already goes only to \
             the holder of its pendingRef",
        ));
    }
    if request.code_challenge_method != Some("S256") {
        return Err(Error::invalid(
            "codeChallengeMethod must be S256 (plain binds nothing)",
        ));
    }
    let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if challenge.len() != 43 || !challenge.chars().all(base64url) {
        return Err(Error::invalid(
            "codeChallenge must be the base64url SHA-256 of the verifier: 43 characters, no padding",
        ));
    }
    Ok(Some(challenge))
}

/// A bound link's verifier must be there and match its challenge; refused, the link is left
/// as it was.
fn check_proof(challenge: &str, code_verifier: Option<&str>) -> Result<()> {
    let verifier = code_verifier.filter(|v| !v.is_empty()).ok_or_else(|| {
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
    hit(state, Action::Verify, Key::Ip(ip)).await?;
    let link = peek(state, token).await?;
    let pending = &link.pending;
    if pending.method != method {
        return Err(Error::not_found());
    }
    // Before the per-address count: a program that caught the link and guesses verifiers
    // must not use up the verifications of the person it belongs to.
    if let Some(challenge) = &pending.code_challenge {
        check_proof(challenge, code_verifier)?;
    }
    hit(state, Action::Verify, Key::LoginId(&pending.login_id)).await?;
    if link.number != pending.link_number {
        let event = Event::new(audit::Action::LinkRefused, via(method))
            .login_id(&pending.login_id)
            .from(ip, None)
            .detail("reason", "not the number the device shows")
            .refused();
        note(state, event).await;
        return Err(Error::refused(
            Refusal::WrongLink,
            "Wrong link: its number is not the one shown on the device that asked",
        ));
    }
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
    crate::faults::crash_point("confirm-committed");
    tell_waiters(state, pending).await;
    state.metrics.sign_in(Stage::Confirmed, method.as_str());
    let event = Event::new(audit::Action::LinkConfirmed, via(method))
        .user(Some(&user_id))
        .login_id(&pending.login_id)
        .from(ip, None);
    note(state, event).await;
    Ok(link)
}

/// A request was confirmed or declined: wakes the polls held for it (here and on the other
/// servers). A magic link's session goes to whoever verified it: no one waits for it.
async fn tell_waiters(state: &AppState, pending: &Pending) {
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
    hand_out(state, ref_hash, lookup(state, ref_hash).await?, ip).await
}

/// One poll of a pending enchanted-link sign-in: pending, expired, declined, unknown, or the
/// session, handed out once. With `wait`, a request still pending is held (docs/wire.md
/// §4.5): until it is confirmed or declined, until it expires, or until `wait` has passed (then
/// "pending", as without it). The limits count the poll once however long it is held.
pub async fn poll(
    state: &AppState,
    pending_ref: &str,
    ip: Option<IpAddr>,
    wait: Option<Hold>,
) -> Result<Granted> {
    state.metrics.poll(wait.is_some());
    hit(state, Action::Poll, Key::Ip(ip)).await?;
    let ref_hash = secrets::hash(pending_ref);
    let pending = lookup(state, &ref_hash).await?;
    hit(state, Action::Poll, Key::Request(&ref_hash)).await?;
    let answer = hand_out(state, &ref_hash, pending, ip).await;
    match wait {
        Some(wait) if still_pending(&answer) && !wait.up_to.is_zero() => {
            hold(state, &ref_hash, wait, ip).await
        }
        _ => answer,
    }
}

/// How a poll may be held: up to how long, and until its client goes.
pub struct Hold {
    pub up_to: Duration,
    pub gone: CancellationToken,
}

fn still_pending(answer: &Result<Granted>) -> bool {
    matches!(answer, Err(e) if e.refusal() == Some(Refusal::Pending))
}

/// Holds a poll that found its request pending (its limits already counted).
async fn hold(
    state: &AppState,
    ref_hash: &[u8],
    wait: Hold,
    ip: Option<IpAddr>,
) -> Result<Granted> {
    let until = tokio::time::Instant::now() + wait.up_to;
    // A confirmation committed after the poll's read and before the registration announces
    // to no one: the read after registering is what finds it.
    state.checkpoints.reach("poll-read").await;
    let mut waiter = state.waits.register(ref_hash);
    loop {
        let pending = lookup(state, ref_hash).await?;
        let expires_in = u64::try_from(pending.expires_at - state.clock.now()).unwrap_or(0);
        let answer = hand_out(state, ref_hash, pending, ip).await;
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
            Woke::TimeUp | Woke::Stopping => return Err(Error::pending()),
        }
    }
}

/// "No, this wasn't me": ends the request a link belongs to, with all its links, and wakes
/// whoever waits on it. Any of its links may say so (all three went to the same address).
pub async fn decline(state: &AppState, token: &str, ip: Option<IpAddr>) -> Result<Link> {
    hit(state, Action::Verify, Key::Ip(ip)).await?;
    let link = peek(state, token).await?;
    if link.pending.method != Method::Enchanted {
        return Err(Error::not_found());
    }
    if !state
        .store
        .decline(&link.pending.ref_hash, state.clock.now())
        .await?
    {
        return Err(Error::not_found());
    }
    tell_waiters(state, &link.pending).await;
    state
        .metrics
        .sign_in(Stage::Declined, link.pending.method.as_str());
    let event = Event::new(audit::Action::SignInDeclined, Via::EnchantedLink)
        .user(link.pending.subject_user.as_deref())
        .login_id(&link.pending.login_id)
        .from(ip, None);
    note(state, event).await;
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

async fn lookup(state: &AppState, ref_hash: &[u8]) -> Result<Pending> {
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
fn collectable_until(pending: &Pending) -> i64 {
    pending
        .expires_at
        .max(pending.verified_at.unwrap_or(0) + COLLECT_AFTER_TAP_SECS)
}

async fn hand_out(
    state: &AppState,
    ref_hash: &[u8],
    pending: Pending,
    ip: Option<IpAddr>,
) -> Result<Granted> {
    if let Some(granted) = collect(state, ref_hash, pending, ip).await? {
        return Ok(granted);
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

/// What a poll gets for `pending`: its session, or why not; `None` when another poll
/// collected it since `pending` was read.
async fn collect(
    state: &AppState,
    ref_hash: &[u8],
    pending: Pending,
    ip: Option<IpAddr>,
) -> Result<Option<Granted>> {
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
    let (Some(user_id), Some(_)) = (pending.user_id, pending.verified_at) else {
        return Err(if pending.expires_at <= now {
            Error::expired()
        } else {
            Error::pending()
        });
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
        return sessions::reissue(state, &user, &grant, &token, now).map(Some);
    }
    state.checkpoints.reach("collect-read").await;
    let Some(issued) = sessions::issue(state, &user, &grant, now, Some(ref_hash)).await? else {
        return Ok(None);
    };
    crate::faults::crash_point("session-committed");
    state
        .metrics
        .sign_in(Stage::Collected, pending.method.as_str());
    let event = Event::new(audit::Action::SessionCollected, via(pending.method))
        .user(Some(&user.user_id))
        .login_id(&pending.login_id)
        .from(ip, None);
    note(state, event).await;
    Ok(Some(issued))
}

/// Checks a sign-up's user object: what it carries must be what it claims to be.
fn check_profile(profile: Profile) -> Result<Profile> {
    let email = profile
        .email
        .filter(|e| !e.trim().is_empty())
        .map(|e| normalize_email(&e))
        .transpose()?;
    let phone = profile
        .phone
        .filter(|p| !p.trim().is_empty())
        .map(|p| normalize_phone(&p))
        .transpose()?;
    let clean = |v: Option<String>| v.map(|s| truncate(s.trim(), 200)).filter(|s| !s.is_empty());
    Ok(Profile {
        name: clean(profile.name),
        given_name: clean(profile.given_name),
        middle_name: clean(profile.middle_name),
        family_name: clean(profile.family_name),
        email,
        phone,
    })
}

/// An E.164 phone number: `+`, a country code, at most 15 digits in all. Spaces, dashes and
/// brackets people type are dropped.
pub fn normalize_phone(login_id: &str) -> Result<String> {
    normalize_phone_field(login_id, "loginId")
}

fn normalize_phone_field(login_id: &str, field: &str) -> Result<String> {
    let trimmed = login_id.trim();
    if trimmed.is_empty() {
        return Err(Error::missing(field));
    }
    let phone: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = phone.strip_prefix('+').unwrap_or_default();
    let valid = (7..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(phone)
    } else {
        Err(Error::invalid(format!(
            "The {field} field must be a phone number in E.164 form, such as +14155550123"
        ))
        .with_message(format!(
            "{:?} is not an E.164 phone number",
            truncate(login_id, 40)
        )))
    }
}

/// Lower-cases and checks an email address; a clear error for anything that cannot be one.
pub fn normalize_email(login_id: &str) -> Result<String> {
    normalize_email_field(login_id, "loginId")
}

fn normalize_email_field(login_id: &str, field: &str) -> Result<String> {
    let email = login_id.trim().to_lowercase();
    if email.is_empty() {
        return Err(Error::missing(field));
    }
    let valid = email.len() <= 254
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\",;".contains(c))
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if valid {
        Ok(email)
    } else {
        Err(
            Error::invalid(format!("The {field} field must be a valid email address"))
                .with_message(format!(
                    "{:?} is not an email address",
                    truncate(login_id, 80)
                )),
        )
    }
}

fn parse_redirect(uri: &str) -> Result<url::Url> {
    let url = url::Url::parse(uri).map_err(|_| {
        Error::invalid(
            "The URI field must be an absolute URL, such as https://app.example.com/verify",
        )
    })?;
    if url.cannot_be_a_base() || url.fragment().is_some() {
        return Err(Error::invalid(
            "The URI field must be an absolute URL without a #fragment",
        ));
    }
    // The server adds the link's token as `t`; one already there would come first and be
    // the one a page reads: someone else's sign-in on the victim's page.
    if url.query_pairs().any(|(key, _)| key == "t") {
        return Err(Error::invalid(
            "The URI field must not have a t parameter: the server adds the link's token as t",
        ));
    }
    Ok(url)
}

/// `+14155550123` → `+*******0123`.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let shown: String = digits[digits.len().saturating_sub(4)..].iter().collect();
    format!("+{}{shown}", "*".repeat(digits.len().saturating_sub(4)))
}

/// `ada@example.com` → `a***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// `2026-11-21 23:40 UTC`.
pub fn format_time(unix: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Ada@Example.COM ").unwrap(),
            "ada@example.com"
        );
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            "ada@.com",
            "ada@example..com",
        ] {
            assert_eq!(
                normalize_email(bad).unwrap_err().refusal(),
                Some(Refusal::Invalid),
                "{bad}"
            );
        }
        assert_eq!(
            normalize_email("  ").unwrap_err().refusal(),
            Some(Refusal::Missing)
        );
    }

    #[test]
    fn masks() {
        assert_eq!(mask_email("ada@example.com"), "a***@example.com");
        assert_eq!(mask_phone("+14155550123"), "+*******0123");
    }

    #[test]
    fn phones() {
        assert_eq!(
            normalize_phone(" +1 (415) 555-0123 ").unwrap(),
            "+14155550123"
        );
        for bad in [
            "14155550123",
            "+1",
            "+0123456789",
            "+1415555012345678",
            "+1415abc0123",
            "++14155550123",
        ] {
            assert_eq!(
                normalize_phone(bad).unwrap_err().refusal(),
                Some(Refusal::Invalid),
                "{bad}"
            );
        }
        assert_eq!(
            normalize_phone("").unwrap_err().refusal(),
            Some(Refusal::Missing)
        );
    }

    #[test]
    fn redirects_keep_their_query() {
        let mut url = parse_redirect("https://app.example.com/verify?x=1").unwrap();
        url.query_pairs_mut().append_pair("t", "abc");
        assert_eq!(url.as_str(), "https://app.example.com/verify?x=1&t=abc");
        assert!(parse_redirect("not a url").is_err());
        assert!(parse_redirect("https://app.example.com/verify?t=attacker").is_err());
        assert!(parse_redirect("https://app.example.com/verify?x=1&t=").is_err());
        assert!(parse_redirect("mailto:x@y.z").is_err());
    }

    #[test]
    fn times() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
    }
}
