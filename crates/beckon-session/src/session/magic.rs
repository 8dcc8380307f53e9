//! Magic links read on this computer: one link that opens the app through its deep link
//! (`beckon://auth?t=…` for the Beckon app), bound to this app by a proof key; and the link
//! when it arrives.

use beckon::Secret;

use super::owner::{Ctx, Step};
use super::sign_in::begin;
use super::{millis, now_ms};
use crate::error::Error;
use crate::state::{LinkIgnored, Mode, SessionState};
use crate::vault::MagicRequest;

/// Where magic links send the browser: the app itself, by a URL of its own scheme and a
/// host, such as `beckon://auth`. The app registers the scheme with the OS (Tauri's
/// deep-link plugin does) and hands each link it is opened with to
/// [`Session::open_link`](crate::Session::open_link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeepLink {
    url: String,
    scheme: String,
    host: String,
}

/// Why a deep link cannot be used for magic links.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a deep link of the form scheme://host (such as myapp://auth)")]
pub struct InvalidDeepLink(String);

impl DeepLink {
    /// The deep link `url`: a scheme of its own (not `http` or `https`), a host, and nothing
    /// else.
    pub fn new(url: &str) -> Result<Self, InvalidDeepLink> {
        let invalid = || InvalidDeepLink(url.to_owned());
        let parsed = url::Url::parse(url).map_err(|_| invalid())?;
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(invalid)?;
        let bare = matches!(parsed.path(), "" | "/")
            && parsed.query().is_none()
            && parsed.fragment().is_none();
        if !bare || matches!(parsed.scheme(), "http" | "https" | "file") {
            return Err(invalid());
        }
        Ok(Self {
            url: format!("{}://{host}", parsed.scheme()),
            scheme: parsed.scheme().to_owned(),
            host: host.to_owned(),
        })
    }

    /// The link as magic links carry it (`scheme://host`).
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The scheme, to register with the OS.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }
}

impl Mode {
    /// Sends a magic link of this kind that opens this app at `link`, bound to it by
    /// `proof`, its message in `locale`; answers the masked address.
    async fn magic(
        self,
        client: &beckon::Client,
        email: &str,
        proof: &beckon::CodeVerifier,
        link: &str,
        locale: Option<String>,
    ) -> beckon::Result<String> {
        let links = client.magic_link().with_proof(proof);
        let by_email = beckon::DeliveryMethod::Email;
        let options = beckon::LoginOptions {
            locale,
            ..Default::default()
        };
        let link = Some(link);
        match self {
            Mode::SignUpOrIn => {
                links
                    .sign_up_or_in_with_options(by_email, email, link, &options)
                    .await
            }
            Mode::SignIn => {
                links
                    .sign_in_with_options(by_email, email, link, &options, None)
                    .await
            }
            Mode::SignUp => {
                links
                    .sign_up_with_options(by_email, email, link, None, &options)
                    .await
            }
        }
    }
}

/// Sends a magic link to `email` ("Sending…" is showing); kept in the vault so a click that
/// launches the app anew still counts.
pub(super) async fn send(mut ctx: Ctx, email: String) {
    let Some(link) = ctx.deep_link.clone() else {
        return ctx.show(ctx.failed(&email, Error::NoDeepLink));
    };
    let client = match ctx.client().await {
        Ok(client) => client,
        Err(error) => return ctx.show(ctx.failed(&email, error)),
    };
    // Binds the link to this app (RFC 7636): another program that registered the scheme and
    // catches the link cannot redeem it without this verifier.
    let proof = beckon::CodeVerifier::generate();
    let request = match ctx
        .mode
        .magic(&client, &email, &proof, link.as_str(), ctx.locale.clone())
        .await
    {
        Ok(masked_address) => MagicRequest {
            email: email.clone(),
            masked_address,
            expires_at_ms: now_ms() + millis(ctx.timing.link_lifetime),
            code_verifier: Some(proof.secret().clone()),
        },
        Err(error) => return ctx.show(ctx.failed(&email, error.into())),
    };
    let kept = request.clone();
    let _ = ctx.vault.call(move |v| kept.save(v)).await;
    ctx.tell(Step::MagicSent(request.clone()));
    ctx.show(magic_sent(request));
}

/// Finds the magic link this app asked for and still waits on, for a link's `token`: the
/// one on screen (with this run's verifier, else the vault's), or (launched by the click)
/// the vault's, if it has not expired.
pub(super) async fn look_up(
    ctx: Ctx,
    token: Secret,
    on_screen: Option<MagicRequest>,
    sent: Option<MagicRequest>,
) {
    let kept = || async { ctx.vault.call(MagicRequest::load).await.ok().flatten() };
    let request = match on_screen {
        Some(shown) => match sent.filter(|m| m.email == shown.email) {
            Some(sent) => Some(sent),
            None => Some(
                kept()
                    .await
                    .filter(|m| m.email == shown.email)
                    .unwrap_or(shown),
            ),
        },
        None => kept().await.filter(|m| m.expires_at_ms > now_ms()),
    };
    ctx.tell(Step::LinkFor { token, request });
}

/// Redeems a magic link's `token` for the request it answers ("Sending…" is showing), and
/// signs in if it is the account asked for. Otherwise the request stays: the right link,
/// opened next, still signs in.
pub(super) async fn redeem(mut ctx: Ctx, token: Secret, asked: MagicRequest) {
    let email = asked.email.clone();
    let result = async {
        let client = ctx.client().await?;
        let proof = asked
            .code_verifier
            .map(beckon::CodeVerifier::from_secret)
            .transpose()?;
        let links = client.magic_link();
        let verified = match &proof {
            Some(proof) => links.with_proof(proof).verify(token.expose()).await,
            None => links.verify(token.expose()).await,
        };
        let session = verified.map_err(refused_link)?;
        if !session
            .user
            .as_ref()
            .is_some_and(|u| is_account_for(u, &email))
        {
            // Someone else's link: end the session it made rather than leave it about.
            if let Some(refresh_jwt) = &session.refresh_jwt {
                let _ = client.logout(refresh_jwt).await;
            }
            return Err(Error::WrongAccount {
                email: email.clone(),
            });
        }
        Ok((client, session))
    };
    match result.await {
        Ok((client, session)) => {
            ctx.forget_request().await;
            if let Err(error) = begin(&ctx, &client, session, now_ms(), &email).await {
                ctx.show(ctx.failed(&email, error));
            }
        }
        Err(error) => ctx.show(ctx.failed(&email, error)),
    }
}

/// Why the server refused a link's token: expired, or its refusal (a refusal of the request
/// is not about an email address here: a link bound to another app's proof key, say).
fn refused_link(error: beckon::Error) -> Error {
    let server_code = error.code().map(str::to_owned);
    match Error::from(error) {
        Error::InvalidEmail => Error::Server { server_code },
        other => other,
    }
}

/// Whether `user` is the account asked for with `address`: one of its login IDs is the
/// address (ignoring case), or its email is and is verified. An unverified email is whatever
/// its owner typed at sign-up, anyone's address (docs/wire.md §3.6).
fn is_account_for(user: &beckon::UserResponse, address: &str) -> bool {
    let is_asked = |id: &str| id.eq_ignore_ascii_case(address);
    user.login_ids.iter().any(|id| is_asked(id)) || (user.verified_email && is_asked(&user.email))
}

/// The token of a sign-in link `url` for `link` (`scheme://host?t=…`), checked strictly:
/// that scheme and host, no path, one `t` of URL-safe characters of a sane length, nothing
/// else. Without a deep link configured, no link is one.
pub(super) fn link_token(url: &str, link: Option<&DeepLink>) -> Result<Secret, LinkIgnored> {
    if url.len() > 2048 {
        return Err(LinkIgnored::TooLong);
    }
    let Ok(parsed) = url::Url::parse(url) else {
        return Err(LinkIgnored::NotALink);
    };
    let Some(link) = link else {
        return Err(LinkIgnored::NotASignInLink);
    };
    if parsed.scheme() != link.scheme || parsed.host_str() != Some(link.host.as_str()) {
        return Err(LinkIgnored::NotASignInLink);
    }
    if !matches!(parsed.path(), "" | "/") || parsed.fragment().is_some() {
        return Err(LinkIgnored::NotASignInLink);
    }
    let pairs: Vec<_> = parsed.query_pairs().collect();
    let [(key, token)] = pairs.as_slice() else {
        return Err(LinkIgnored::NotOneToken);
    };
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    if key != "t" || !(16..=512).contains(&token.len()) || !token.chars().all(safe) {
        return Err(LinkIgnored::MalformedToken);
    }
    Ok(Secret::new(token.to_string()))
}

pub(super) fn magic_sent(request: MagicRequest) -> SessionState {
    SessionState::MagicSent {
        email: request.email,
        masked_address: request.masked_address,
        expires_at_ms: request.expires_at_ms,
    }
}
