//! The enchanted-link sign-in, apart from HTTP: start it, confirm a link, hand out the session.
//! The API handlers and the confirm page both call these.

use axum::http::StatusCode;

use crate::error::{codes, ApiError, ApiResult};
use crate::mail::{EnchantedLinkMail, MessageLink};
use crate::store::{Link, Mode, NewPending, User};
use crate::wire::{EnchantedLinkResponse, JwtResponse};
use crate::AppState;
use crate::{secrets, sessions};

/// What asked for a sign-in, shown in the email and on the confirm page.
pub struct Requester<'a> {
    pub user_agent: Option<&'a str>,
}

/// Starts an enchanted-link sign-in: stores it, sends the three links, and answers with the
/// number to show and the pendingRef to poll with.
pub async fn start(
    state: &AppState,
    mode: Mode,
    login_id: &str,
    redirect: Option<&str>,
    user_name: Option<&str>,
    requester: Requester<'_>,
) -> ApiResult<EnchantedLinkResponse> {
    let email = normalize_email(login_id)?;
    let base = match redirect {
        Some(uri) => parse_redirect(uri)?,
        None => state.confirm_url(),
    };
    let existing = state.store.user_by_email(&email).await?;
    match (mode, &existing) {
        (Mode::SignIn, None) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::USER_NOT_FOUND,
                "User not found",
            )
            .with_message("No user has this email; sign up first"))
        }
        (Mode::SignUp, Some(_)) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::USER_EXISTS,
                "User already exists",
            )
            .with_message("A user with this email exists; sign in instead"))
        }
        _ => {}
    }

    let now = state.clock.now();
    let numbers = secrets::three_link_numbers();
    let link_id = numbers[secrets::pick(numbers.len())].to_string();
    let pending_ref = secrets::random_token();
    let mut tokens = Vec::with_capacity(3);
    let mut links = Vec::with_capacity(3);
    for number in numbers {
        let token = secrets::random_token();
        let mut url = base.clone();
        url.query_pairs_mut().append_pair("t", &token);
        tokens.push((secrets::hash(&token), number.to_string()));
        links.push(MessageLink {
            number: Some(number.to_string()),
            url: url.into(),
        });
    }
    let requested_by = requester.user_agent.map(|ua| truncate(ua, 200));
    state
        .store
        .insert_pending(&NewPending {
            ref_hash: &secrets::hash(&pending_ref),
            login_id: &email,
            mode,
            link_number: &link_id,
            user_name: user_name.map(|n| truncate(n, 200)).as_deref(),
            requested_by: requested_by.as_deref(),
            created_at: now,
            expires_at: now + i64::from(state.link_ttl),
            tokens: &tokens,
        })
        .await?;

    let message = EnchantedLinkMail {
        to: &email,
        app_name: "Beckon",
        links,
        ttl_minutes: state.link_ttl.div_ceil(60),
        requested_by: requested_by.as_deref(),
        requested_at: &format_time(now),
    }
    .compose();
    state
        .delivery
        .deliver(&message)
        .await
        .map_err(ApiError::internal)?;

    Ok(EnchantedLinkResponse {
        link_id,
        pending_ref,
        masked_email: mask_email(&email),
    })
}

/// Looks a link up without confirming it: what the confirm page shows on GET.
pub async fn peek(state: &AppState, token: &str) -> ApiResult<Link> {
    let link = state
        .store
        .link(&secrets::hash(token))
        .await?
        .ok_or_else(ApiError::not_found)?;
    if link.pending.expires_at <= state.clock.now() {
        return Err(ApiError::expired());
    }
    Ok(link)
}

/// Confirms a link. A link whose number is not the one on the requesting device is refused
/// and stays valid (seed 003); the right one signs the device in and spends all three.
pub async fn verify(state: &AppState, token: &str) -> ApiResult<Link> {
    let link = peek(state, token).await?;
    let pending = &link.pending;
    if link.number != pending.link_number {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::WRONG_LINK,
            "Wrong link: its number is not the one shown on the device that asked",
        ));
    }
    let now = state.clock.now();
    let existing = state.store.user_by_email(&pending.login_id).await?;
    let (user, create) = match (pending.mode, existing) {
        (Mode::SignUp, Some(_)) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::USER_EXISTS,
                "User already exists",
            ))
        }
        (Mode::SignIn, None) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::USER_NOT_FOUND,
                "User not found",
            ))
        }
        (_, Some(user)) => (user, false),
        (_, None) => (
            User {
                user_id: format!("U{}", secrets::random_alphanumeric(27)),
                email: pending.login_id.clone(),
                name: pending.user_name.clone(),
                verified_email: true,
                created_at: now,
            },
            true,
        ),
    };
    state
        .store
        .complete_verification(&pending.ref_hash, &user, create, now)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(link)
}

/// One poll of a pending sign-in: pending, expired, unknown, or the session, handed out once.
pub async fn collect(state: &AppState, pending_ref: &str) -> ApiResult<JwtResponse> {
    let ref_hash = secrets::hash(pending_ref);
    let pending = state
        .store
        .pending(&ref_hash)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let now = state.clock.now();
    if pending.collected_at.is_some() {
        return Err(ApiError::not_found());
    }
    let Some(user_id) = pending.user_id.filter(|_| pending.verified_at.is_some()) else {
        return Err(if pending.expires_at <= now {
            ApiError::expired()
        } else {
            ApiError::pending()
        });
    };
    if !state.store.collect(&ref_hash, now).await? {
        return Err(ApiError::not_found());
    }
    let user = state
        .store
        .user_by_id(&user_id)
        .await?
        .ok_or_else(|| ApiError::internal("a verified sign-in names a missing user"))?;
    sessions::issue(
        state,
        &user,
        &["email".to_owned()],
        pending.created_user,
        now,
    )
    .await
}

/// Lower-cases and checks an email address; a clear error for anything that cannot be one.
pub fn normalize_email(login_id: &str) -> ApiResult<String> {
    let email = login_id.trim().to_lowercase();
    if email.is_empty() {
        return Err(ApiError::missing("loginId"));
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
            ApiError::invalid("The loginId field must be a valid email address").with_message(
                format!("{:?} is not an email address", truncate(login_id, 80)),
            ),
        )
    }
}

fn parse_redirect(uri: &str) -> ApiResult<url::Url> {
    let url = url::Url::parse(uri).map_err(|_| {
        ApiError::invalid(
            "The URI field must be an absolute URL, such as https://app.example.com/verify",
        )
    })?;
    if url.cannot_be_a_base() || url.fragment().is_some() {
        return Err(ApiError::invalid(
            "The URI field must be an absolute URL without a #fragment",
        ));
    }
    Ok(url)
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
                normalize_email(bad).unwrap_err().code,
                codes::INVALID_REQUEST,
                "{bad}"
            );
        }
        assert_eq!(
            normalize_email("  ").unwrap_err().code,
            codes::MISSING_ARGUMENTS
        );
    }

    #[test]
    fn masks() {
        assert_eq!(mask_email("ada@example.com"), "a***@example.com");
    }

    #[test]
    fn redirects_keep_their_query() {
        let mut url = parse_redirect("https://app.example.com/verify?x=1").unwrap();
        url.query_pairs_mut().append_pair("t", "abc");
        assert_eq!(url.as_str(), "https://app.example.com/verify?x=1&t=abc");
        assert!(parse_redirect("not a url").is_err());
        assert!(parse_redirect("mailto:x@y.z").is_err());
    }

    #[test]
    fn times() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
    }
}
