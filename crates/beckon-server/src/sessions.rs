//! Sessions: issued at sign-in, refreshed with rotation, ended by logout; and who is signed in.

use axum::http::StatusCode;

use crate::error::{codes, ApiError, ApiResult};
use crate::keys::{Mint, TokenKind, Verified};
use crate::secrets;
use crate::store::{RefreshToken, User};
use crate::wire::{JwtResponse, UserResponse};
use crate::AppState;

/// How long a rotated-out refresh JWT keeps working, so that two requests racing to refresh
/// with the same token both succeed.
pub const ROTATION_GRACE_SECS: i64 = 30;

/// Starts a session for `user` and mints its JWTs.
pub async fn issue(
    state: &AppState,
    user: &User,
    amr: &[String],
    first_seen: bool,
    now: i64,
) -> ApiResult<JwtResponse> {
    let session_id = format!("S{}", secrets::random_alphanumeric(27));
    let jti = secrets::random_alphanumeric(32);
    let expires_at = now + i64::from(state.refresh_ttl);
    state
        .store
        .insert_session(&session_id, &user.user_id, &jti, now, expires_at)
        .await?;
    respond(state, user, amr, &jti, first_seen, now)
}

fn respond(
    state: &AppState,
    user: &User,
    amr: &[String],
    jti: &str,
    first_seen: bool,
    now: i64,
) -> ApiResult<JwtResponse> {
    let session_ttl = i64::from(state.session_ttl);
    let refresh_ttl = i64::from(state.refresh_ttl);
    let mint = |kind, jti, ttl| {
        let token = Mint {
            kind,
            user_id: &user.user_id,
            amr,
            jti,
            now,
            ttl,
        };
        state
            .keys
            .mint(&state.project_id, &token)
            .map_err(ApiError::internal)
    };
    Ok(JwtResponse {
        session_jwt: mint(TokenKind::Session, None, session_ttl)?,
        refresh_jwt: mint(TokenKind::Refresh, Some(jti), refresh_ttl)?,
        cookie_domain: String::new(),
        cookie_path: "/".into(),
        cookie_max_age: refresh_ttl,
        cookie_expiration: now + refresh_ttl,
        session_expiration: now + session_ttl,
        user: UserResponse::from(user),
        first_seen,
    })
}

fn invalid(description: &str) -> ApiError {
    // The spec leaves the code open (its open question 5); every SDK keys on the 401.
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        codes::INVALID_REFRESH,
        description,
    )
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
) -> ApiResult<Authenticated> {
    let jwt = refresh_jwt.ok_or_else(|| {
        invalid("Missing refresh token: send Authorization: Bearer <projectId>:<refreshJwt>")
    })?;
    let claims = state
        .keys
        .verify(jwt, TokenKind::Refresh, &state.project_id, now)
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
    if token.session_revoked_at.is_some() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::LOGGED_OUT,
            "Token expired because the session was signed out",
        ));
    }
    if token
        .replaced_at
        .is_some_and(|at| now > at + ROTATION_GRACE_SECS)
    {
        return Err(invalid("This refresh token was replaced by a newer one"));
    }
    let user = state
        .store
        .user_by_id(&token.user_id)
        .await?
        .ok_or_else(|| invalid("The user of this refresh token no longer exists"))?;
    Ok(Authenticated {
        claims,
        token,
        user,
    })
}

/// A new session JWT, and a new refresh JWT that replaces the one presented.
pub async fn refresh(state: &AppState, refresh_jwt: Option<&str>) -> ApiResult<JwtResponse> {
    let now = state.clock.now();
    let auth = authenticate(state, refresh_jwt, now).await?;
    let jti = secrets::random_alphanumeric(32);
    state
        .store
        .rotate_refresh(&auth.token, &jti, now + i64::from(state.refresh_ttl), now)
        .await?;
    respond(state, &auth.user, &auth.claims.amr, &jti, false, now)
}

/// Ends the session of the refresh JWT presented.
pub async fn logout(state: &AppState, refresh_jwt: Option<&str>) -> ApiResult<()> {
    let now = state.clock.now();
    let auth = authenticate(state, refresh_jwt, now).await?;
    state
        .store
        .revoke_session(&auth.token.session_id, now)
        .await?;
    Ok(())
}

/// Ends every session of the user of the refresh JWT presented.
pub async fn logout_all(state: &AppState, refresh_jwt: Option<&str>) -> ApiResult<()> {
    let now = state.clock.now();
    let auth = authenticate(state, refresh_jwt, now).await?;
    state
        .store
        .revoke_user_sessions(&auth.user.user_id, now)
        .await?;
    Ok(())
}

/// The user of the refresh JWT presented.
pub async fn me(state: &AppState, refresh_jwt: Option<&str>) -> ApiResult<UserResponse> {
    let auth = authenticate(state, refresh_jwt, state.clock.now()).await?;
    Ok(UserResponse::from(&auth.user))
}
