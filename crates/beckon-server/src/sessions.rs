//! Sessions: issued at sign-in, refreshed with rotation, ended by logout; and who is signed in.
//!
//! Every refresh replaces the refresh JWT presented with a new one (RFC 9700 §4.14.2). The
//! old one keeps working for [`ROTATION_GRACE_SECS`], for a client whose answer was lost or
//! that refreshed twice at once, and then gets the *same* successor, never a second one. Used
//! after the grace it is a stolen copy or a stolen original: the whole session ends, for every
//! holder. A session also has an absolute end (`session_lifetime`) that refreshes cannot move.

use crate::audit::{self, Action, Event, Via};
use crate::domain::{Error, Refusal, Requester, Result, User};
use crate::keys::{Mint, TokenKind, Verified};
use crate::limits::{Action as Counted, Key};
use crate::state::AppState;
use crate::store::{NewNotice, NewSession, RefreshToken};
use crate::support::metrics::SessionEvent;
use crate::support::secrets;
use crate::support::secrets::Secret;

/// How long a rotated-out refresh JWT keeps working, so that two requests racing to refresh
/// with the same token both succeed.
pub const ROTATION_GRACE_SECS: i64 = 30;

/// What a new session carries.
#[derive(Debug, Default)]
pub struct Grant {
    /// How the user proved who they are (`amr`), e.g. `["email"]`.
    pub amr: Vec<String>,
    /// `loginOptions.customClaims`: in every session JWT of the session.
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
    /// The user's first sign-in.
    pub first_seen: bool,
    /// `loginOptions.revokeOtherSessions`: end the user's other sessions.
    pub revoke_others: bool,
}

/// A session's JWTs as handed out, with whose they are and until when.
pub struct Granted {
    pub session_jwt: Secret,
    pub refresh_jwt: Secret,
    /// Seconds the refresh JWT lives.
    pub refresh_ttl: i64,
    /// When the refresh JWT expires, Unix seconds.
    pub refresh_expires_at: i64,
    /// When the session JWT expires, Unix seconds.
    pub session_expires_at: i64,
    pub user: User,
    /// The user's first sign-in.
    pub first_seen: bool,
}

/// Starts a session for `user` and mints its JWTs; with `collect`, as the session of that
/// verified sign-in request, handed out once (`None` when another caller collected it); with
/// `notice`, the "New sign-in" notice about it is recorded and queued with it.
pub async fn issue(
    state: &AppState,
    user: &User,
    grant: &Grant,
    now: i64,
    collect: Option<&[u8]>,
    notice: Option<&NewNotice<'_>>,
) -> Result<Option<Granted>> {
    let session_id = format!("S{}", secrets::random_alphanumeric(27));
    let jti = secrets::random_alphanumeric(32);
    let session_ends = now + i64::from(state.session_lifetime);
    let refresh_expires = (now + i64::from(state.refresh_ttl)).min(session_ends);
    let started = state
        .store
        .insert_session(
            &NewSession {
                session_id: &session_id,
                user_id: &user.user_id,
                jti: &jti,
                now,
                expires_at: refresh_expires,
                session_expires_at: session_ends,
                custom_claims: &grant.custom_claims,
                revoke_others: grant.revoke_others,
            },
            collect,
            notice,
        )
        .await?;
    if !started {
        return Ok(None);
    }
    respond(state, user, grant, &jti, refresh_expires, now).map(Some)
}

/// The same session again, for the device whose answer was lost: JWTs for the refresh token
/// `token` as it stands (its expiry, its session's claims).
pub fn reissue(
    state: &AppState,
    user: &User,
    grant: &Grant,
    token: &RefreshToken,
    now: i64,
) -> Result<Granted> {
    respond(state, user, grant, &token.jti, token.expires_at, now)
}

/// The JWTs of a session: the refresh JWT `jti`, valid until `refresh_expires`, and a session
/// JWT that ends no later.
fn respond(
    state: &AppState,
    user: &User,
    grant: &Grant,
    jti: &str,
    refresh_expires: i64,
    now: i64,
) -> Result<Granted> {
    let refresh_ttl = (refresh_expires - now).max(1);
    let session_ttl = i64::from(state.session_ttl).min(refresh_ttl);
    let none = serde_json::Map::new();
    let mint = |kind, jti, ttl, custom_claims| {
        let token = Mint {
            kind,
            user_id: &user.user_id,
            amr: &grant.amr,
            jti,
            now,
            ttl,
            custom_claims,
        };
        state
            .keys
            .mint(&state.project_id, &token)
            .map_err(Error::internal)
    };
    Ok(Granted {
        // Custom claims go in the session JWT only: the refresh JWT stays small enough for
        // every OS keyring.
        session_jwt: Secret::new(mint(
            TokenKind::Session,
            None,
            session_ttl,
            &grant.custom_claims,
        )?),
        refresh_jwt: Secret::new(mint(TokenKind::Refresh, Some(jti), refresh_ttl, &none)?),
        refresh_ttl,
        refresh_expires_at: now + refresh_ttl,
        session_expires_at: now + session_ttl,
        user: user.clone(),
        first_seen: grant.first_seen,
    })
}

fn invalid(description: &str) -> Error {
    // Descope documents no code for this; every SDK keys on the 401.
    Error::refused(Refusal::InvalidRefresh, description)
}

/// A refresh JWT checked against its signature, expiry, and the session it belongs to.
pub struct Authenticated {
    pub claims: Verified,
    pub token: RefreshToken,
    pub user: User,
}

/// Checks the refresh JWT a request carries.
pub async fn authenticate(
    state: &AppState,
    refresh_jwt: Option<&str>,
    now: i64,
) -> Result<Authenticated> {
    let jwt = refresh_jwt.ok_or_else(|| {
        invalid("Missing refresh token: send Authorization: Bearer <projectId>:<refreshJwt>")
    })?;
    let claims = state
        .keys
        .verify(
            &state.store,
            jwt,
            TokenKind::Refresh,
            &state.project_id,
            now,
        )
        .await
        .ok_or_else(|| invalid("Invalid or expired refresh token"))?;
    let jti = claims
        .jti
        .as_deref()
        .ok_or_else(|| invalid("Invalid or expired refresh token"))?;
    let token = state
        .store
        .refresh_token(jti)
        .await?
        .filter(|t| t.user_id == claims.sub)
        .ok_or_else(|| invalid("Invalid or expired refresh token"))?;
    let user = state
        .store
        .user_by_id(&token.user_id)
        .await?
        .ok_or_else(|| invalid("The user of this refresh token no longer exists"))?;
    // Before "signed out": disabling ended the session, and the app should say why.
    if user.disabled {
        return Err(Error::user_disabled());
    }
    if token.session_revoked_at.is_some() {
        return Err(Error::refused(
            Refusal::LoggedOut,
            "Token expired because the session was signed out",
        ));
    }
    if now >= token.session_expires_at {
        return Err(invalid(
            "The session reached the end of its lifetime: sign in again",
        ));
    }
    if token
        .replaced_at
        .is_some_and(|at| now > at + ROTATION_GRACE_SECS)
    {
        // A rotated-out token used again: whoever holds the other copy, the session ends.
        state.store.revoke_session(&token.session_id, now).await?;
        state.metrics.session(SessionEvent::ReuseDetected);
        let event = Event::new(Action::ReuseDetected, Via::Session)
            .user(Some(&token.user_id))
            .detail("sessionId", token.session_id.as_str())
            .refused();
        audit::record(&state.store, now, event).await;
        tracing::warn!(
            session_id = %token.session_id,
            "a replaced refresh token was used again; the session is ended"
        );
        return Err(invalid(
            "This refresh token was replaced by a newer one and used again: the session is \
             ended, sign in again",
        ));
    }
    Ok(Authenticated {
        claims,
        token,
        user,
    })
}

/// A session event for the audit trail.
fn event(action: Action, auth: &Authenticated, from: Requester<'_>) -> Event {
    let mut event = Event::new(action, Via::Session)
        .user(Some(&auth.user.user_id))
        .from(from.ip, from.user_agent)
        .detail("sessionId", auth.token.session_id.as_str());
    if let Some(login_id) = auth.user.login_ids.first() {
        event = event.login_id(login_id);
    }
    event
}

/// Writes a session event to the audit trail.
async fn note(state: &AppState, action: Action, auth: &Authenticated, from: Requester<'_>) {
    audit::record(&state.store, state.clock.now(), event(action, auth, from)).await;
}

/// [`authenticate`], within the limits on session calls: per client address before the
/// token is looked up, per session after.
async fn authenticate_limited(
    state: &AppState,
    refresh_jwt: Option<&str>,
    ip: Option<std::net::IpAddr>,
    now: i64,
) -> Result<Authenticated> {
    state.hit(Counted::Session, Key::Ip(ip)).await?;
    let auth = authenticate(state, refresh_jwt, now).await?;
    state
        .hit(Counted::Session, Key::Session(&auth.token.session_id))
        .await?;
    Ok(auth)
}

/// A new session JWT, and a new refresh JWT that replaces the one presented.
pub async fn refresh(
    state: &AppState,
    refresh_jwt: Option<&str>,
    from: Requester<'_>,
) -> Result<Granted> {
    let now = state.clock.now();
    let auth = authenticate_limited(state, refresh_jwt, from.ip, now).await?;
    let expires = (now + i64::from(state.refresh_ttl)).min(auth.token.session_expires_at);
    let refreshed = event(Action::SessionRefreshed, &auth, from).row(now);
    let (jti, expires) = state
        .store
        .rotate_refresh(
            &auth.token,
            &secrets::random_alphanumeric(32),
            expires,
            now,
            &refreshed,
        )
        .await?;
    state.metrics.session(SessionEvent::Refreshed);
    audit::log(&refreshed);
    let grant = Grant {
        amr: auth.claims.amr,
        custom_claims: auth.token.custom_claims.clone(),
        ..Grant::default()
    };
    respond(state, &auth.user, &grant, &jti, expires, now)
}

/// Ends the session of the refresh JWT presented.
pub async fn logout(
    state: &AppState,
    refresh_jwt: Option<&str>,
    from: Requester<'_>,
) -> Result<()> {
    let now = state.clock.now();
    let auth = authenticate_limited(state, refresh_jwt, from.ip, now).await?;
    state
        .store
        .revoke_session(&auth.token.session_id, now)
        .await?;
    state.metrics.session(SessionEvent::Logout);
    note(state, Action::SessionEnded, &auth, from).await;
    Ok(())
}

/// Ends every session of the user of the refresh JWT presented.
pub async fn logout_all(
    state: &AppState,
    refresh_jwt: Option<&str>,
    from: Requester<'_>,
) -> Result<()> {
    let now = state.clock.now();
    let auth = authenticate_limited(state, refresh_jwt, from.ip, now).await?;
    state
        .store
        .revoke_user_sessions(&auth.user.user_id, now)
        .await?;
    state.metrics.session(SessionEvent::LogoutAll);
    note(state, Action::SessionEnded, &auth, from).await;
    Ok(())
}

/// The user of the refresh JWT presented, asked from `ip`.
pub async fn me(
    state: &AppState,
    refresh_jwt: Option<&str>,
    ip: Option<std::net::IpAddr>,
) -> Result<User> {
    let auth = authenticate_limited(state, refresh_jwt, ip, state.clock.now()).await?;
    Ok(auth.user)
}
