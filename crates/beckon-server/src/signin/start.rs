//! Starting a request: who it is for, where its links go, the message with them.

use crate::audit::{self, Event};
use crate::delivery::mail::{Purpose, SignInMessage};
use crate::domain::address::{
    mailbox, mask_email, mask_phone, normalize_address, normalize_email, normalize_login_id,
    normalize_phone, parse_redirect, truncate,
};
use crate::domain::text::check_name;
use crate::domain::{
    Channel, Error, MessageLink, Method, Mode, PendingOptions, Profile, Refusal, Result, User,
};
use crate::limits::{Action, Key};
use crate::places::Origin;
use crate::sessions;
use crate::sessions::Authenticated;
use crate::state::AppState;
use crate::store::{NewPending, Outgoing};
use crate::support::metrics::{Pause, Stage};
use crate::support::secrets;
use crate::support::secrets::Secret;

use crate::languages::Words;

use super::{note, via, EnchantedStarted, LinkRequest, Masked, Update};

/// Who the request is for, where its links go, and which signed-in user asked.
struct Target {
    login_id: String,
    address: Option<String>,
    subject: Option<Authenticated>,
    /// An update that merges two users: what the message tells the person.
    merge: Option<Merge>,
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
    state
        .hit(Action::Send, Key::Ip(request.requester.ip))
        .await?;
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
    let locale = match request.locale.as_deref().filter(|l| !l.is_empty()) {
        Some(given) => Some(checked_locale(given)?),
        None => match &target.subject {
            Some(subject) => state.store.locale_of_user(&subject.user.user_id).await?,
            None => state.store.locale_of_login_id(&target.login_id).await?,
        },
    };
    let words = state.languages.pick(locale.as_deref());
    let profile = request.profile.map(check_profile).transpose()?;
    let address = target.address.as_deref().unwrap_or(&target.login_id);
    // Its owner said "No, this wasn't me" a moment ago: nothing is sent to it for a while
    // (pause_after_decline), and nothing is counted against its limits either.
    if let Some(until) = state.store.paused_until(&mailbox(address), now).await? {
        let event = Event::new(audit::Action::SignInStarted, via(method))
            .user(target.subject.as_ref().map(|s| s.user.user_id.as_str()))
            .login_id(&target.login_id)
            .from(request.requester.ip, request.requester.user_agent)
            .detail("reason", "paused")
            .refused();
        note(state, event).await;
        state.metrics.pause(Pause::StartRefused);
        return Err(Error::paused(
            u64::try_from(until - now).unwrap_or(1).max(1),
        ));
    }
    // Counted by where the message goes: that inbox is what a flood of links would fill.
    state.hit(Action::Send, Key::LoginId(address)).await?;
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
    // An enchanted link's code, for when no link works (typed on the desktop).
    let code = (method == Method::Enchanted).then(crate::domain::code::new);
    let code_shown = code.as_deref().map(crate::domain::code::display);
    let merge_notice = target.merge.as_ref().map(|merge| merge.words(words));
    let message = SignInMessage {
        to: address,
        app_name: &state.app_name,
        words,
        purpose: if request.update.is_some() {
            Purpose::ConfirmAddress
        } else {
            Purpose::SignIn
        },
        links,
        ttl_minutes: state.link_ttl.div_ceil(60),
        origin: Origin {
            place: state.places.place(request.requester.ip),
            address: request.requester.ip,
            device: requested_by.clone(),
        },
        requested_at: &words.when_utc(now),
        notice: merge_notice.as_deref(),
        code: code_shown.as_deref(),
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
    let message_id = super::message_id(state);
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
                requested_from: request.requester.ip,
                created_at: now,
                expires_at,
                tokens: &tokens,
                address: target.address.as_deref(),
                subject_user: target.subject.as_ref().map(|s| s.user.user_id.as_str()),
                options: &options,
                code_challenge,
                code_hash: code.as_deref().map(secrets::hash).as_deref(),
                locale: locale.as_deref(),
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
        merge: None,
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
    let merge = merges_with(
        state,
        &subject.user.user_id,
        &new_address,
        update.add_to_login_ids,
    )
    .await?
    .map(|_| Merge::new(&subject.user, &new_address, update.on_merge_use_existing));
    Ok(Target {
        login_id: new_address,
        address: None,
        subject: Some(subject),
        merge,
    })
}

/// The other user an update to `address` would merge with: one who signs in with it, when the
/// update adds it to the login IDs. Refused unless the server merges users
/// (`merge_users_on_update`): otherwise one tap by that person hands their account over.
pub(super) async fn merges_with(
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

/// An update that merges two accounts, which the message and the page say before the tap.
pub(super) struct Merge {
    /// Who asks: the updating user's first login ID.
    requester: String,
    /// The address whose account merges.
    address: String,
    /// The other account stays (`onMergeUseExisting`).
    use_existing: bool,
}

impl Merge {
    pub(super) fn new(updating: &User, address: &str, use_existing: bool) -> Self {
        let requester = updating
            .login_ids
            .first()
            .map_or(updating.user_id.as_str(), String::as_str);
        Self {
            requester: requester.to_owned(),
            address: address.to_owned(),
            use_existing,
        }
    }

    /// What the merge does, in `words`' language.
    pub(super) fn words(&self, words: Words<'_>) -> String {
        let args = [
            ("requester", self.requester.as_str().into()),
            ("address", self.address.as_str().into()),
        ];
        if self.use_existing {
            words.tr_with("merge-keep-other", &args)
        } else {
            words.tr_with("merge-keep-mine", &args)
        }
    }
}

/// A client's `locale`, checked: a language tag, or a clear refusal that changes nothing.
fn checked_locale(given: &str) -> Result<String> {
    crate::languages::canonical_tag(given).ok_or_else(|| {
        let shown: String = given.chars().take(crate::languages::MAX_TAG_LEN).collect();
        Error::invalid(format!(
            "The locale {shown:?} is not a language tag such as es or es-MX (at most {} \
             characters)",
            crate::languages::MAX_TAG_LEN
        ))
    })
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

/// Checks a sign-up's user object: what it carries must be what it claims to be.
pub(super) fn check_profile(profile: Profile) -> Result<Profile> {
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
    for (field, value) in [
        ("user.name", &profile.name),
        ("user.givenName", &profile.given_name),
        ("user.middleName", &profile.middle_name),
        ("user.familyName", &profile.family_name),
    ] {
        if let Some(value) = value {
            check_name(field, value)?;
        }
    }
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
