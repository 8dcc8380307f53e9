//! Magic links read on this computer: one link that opens Beckon (`beckon://auth?t=…`),
//! bound to this app by a proof key; and the link when it arrives.

use beckon::Secret;

use super::{expires_at_ms, in_vault, now_ms, Flow, FlowState, Mode};
use crate::error::{ErrorCode, UiError};
use crate::vault::MagicRequest;

impl Mode {
    /// Sends a magic link of this kind that opens this app, bound to it by `proof`; returns
    /// the masked address.
    pub(super) async fn magic(
        self,
        client: &beckon::Client,
        email: &str,
        proof: &beckon::CodeVerifier,
    ) -> beckon::Result<String> {
        let links = client.magic_link().with_proof(proof);
        let email_link = beckon::DeliveryMethod::Email;
        match self {
            Mode::SignUpOrIn => {
                links
                    .sign_up_or_in(email_link, email, Some(DEEP_LINK))
                    .await
            }
            Mode::SignIn => links.sign_in(email_link, email, Some(DEEP_LINK)).await,
            Mode::SignUp => {
                links
                    .sign_up(email_link, email, Some(DEEP_LINK), None)
                    .await
            }
        }
    }
}

impl Flow {
    /// Sends a magic link instead, for reading the email on this computer: the link opens
    /// Beckon (`beckon://auth?t=…`), which signs in. Replaces any sign-in under way; the
    /// request is kept in the vault so a click that launches the app anew still counts.
    pub async fn send_magic_link(&self, email: String) {
        let email = email.trim().to_owned();
        let mode = self.mode();
        let Some((generation, cancel, client)) = self.start_request(&email, mode).await else {
            return;
        };
        // Binds the link to this app (RFC 7636): another program that registered beckon://
        // and catches the link cannot redeem it without this verifier.
        let proof = beckon::CodeVerifier::generate();
        let sent = tokio::select! {
            _ = cancel.cancelled() => return,
            sent = mode.magic(&client, &email, &proof) => sent,
        };
        let request = match sent {
            Ok(masked_address) => MagicRequest {
                email: email.clone(),
                masked_address,
                expires_at_ms: expires_at_ms(self.timing.link_lifetime),
                code_verifier: Some(proof.secret().clone()),
            },
            Err(error) => return self.fail(generation, &email, error.into()),
        };
        if self.lock().generation != generation {
            return;
        }
        let kept = request.clone();
        let _ = in_vault(&self.vault(), move |v| kept.save(v)).await;
        self.lock().magic = Some(request.clone());
        self.set(generation, magic_sent(request));
    }

    /// A `beckon://` link the system handed to the app, while it runs or as it starts. It is
    /// untrusted input: only a well-formed sign-in link is used, only while this app is
    /// waiting for a magic link it asked for, and only if it signs in the account asked for
    /// (so a link from someone else's email cannot sign this computer into their account).
    /// Anything else is ignored, with a note when a person would wonder.
    pub async fn open_link(&self, url: &str) {
        let token = match link_token(url) {
            Ok(token) => token,
            Err(why) => return self.note_ignored_link(&why),
        };
        let Some(asked) = self.magic_request().await else {
            return self.note_ignored_link(
                "Beckon was not waiting for a sign-in link from this computer's email",
            );
        };
        let email = asked.email.clone();
        let generation = self.next_generation(None);
        let mode = self.lock().mode;
        self.set(
            generation,
            FlowState::Sending {
                email: email.clone(),
                mode,
            },
        );
        let result = async {
            let client = self.client().await?;
            let proof = asked
                .code_verifier
                .map(beckon::CodeVerifier::from_secret)
                .transpose()?;
            let links = client.magic_link();
            let session = match &proof {
                Some(proof) => links.with_proof(proof).verify(token.expose()).await?,
                None => links.verify(token.expose()).await?,
            };
            if !session
                .user
                .as_ref()
                .is_some_and(|u| is_account_for(u, &email))
            {
                // Someone else's link: end the session it made rather than leave it about.
                if let Some(refresh_jwt) = &session.refresh_jwt {
                    let _ = client.logout(refresh_jwt).await;
                }
                return Err(UiError::new(
                    ErrorCode::Server,
                    format!(
                        "That link signs in to another account, not {email}, so it was not \
                         used. Open the link from the email sent to {email}."
                    ),
                ));
            }
            Ok((client, session))
        };
        match result.await {
            Ok((client, session)) => {
                self.forget_request().await;
                if let Err(error) = self
                    .begin(generation, &client, session, now_ms(), &email)
                    .await
                {
                    self.fail(generation, &email, error);
                }
            }
            // The request stays: the right link, opened next, still signs in.
            Err(error) => {
                self.fail(generation, &email, error);
            }
        }
    }

    /// The magic link this app asked for and still waits on: on screen, or (launched by the
    /// click) in the vault.
    pub(super) async fn magic_request(&self) -> Option<MagicRequest> {
        if let FlowState::MagicSent {
            email,
            masked_address,
            expires_at_ms,
        } = self.state()
        {
            // The one this run sent (with its verifier), else the one the vault kept.
            let sent = self.lock().magic.clone().filter(|m| m.email == email);
            if let Some(sent) = sent {
                return Some(sent);
            }
            let kept = in_vault(&self.vault(), MagicRequest::load)
                .await
                .ok()
                .flatten();
            return Some(kept.filter(|m| m.email == email).unwrap_or(MagicRequest {
                email,
                masked_address,
                expires_at_ms,
                code_verifier: None,
            }));
        }
        in_vault(&self.vault(), MagicRequest::load)
            .await
            .ok()
            .flatten()
            .filter(|request| request.expires_at_ms > now_ms())
    }

    /// Says a link was ignored, on the email screen; elsewhere (signed in, waiting) the screen
    /// is left alone.
    pub(super) fn note_ignored_link(&self, why: &str) {
        let (generation, email) = {
            let inner = self.lock();
            match &inner.state {
                FlowState::EnterEmail { email, .. } | FlowState::Failed { email, .. } => {
                    (inner.generation, email.clone())
                }
                _ => return,
            }
        };
        let note = format!("A sign-in link was opened, but it was ignored: {why}.");
        self.set(generation, self.enter_email(&email, Some(note)));
    }
}

/// Where magic links send the browser: the app itself.
pub const DEEP_LINK: &str = "beckon://auth";

/// Whether `user` is the account asked for with `address`: one of its login IDs is the
/// address (ignoring case), or its email is and is verified. An unverified email is whatever
/// its owner typed at sign-up, anyone's address (docs/wire.md §3.6).
fn is_account_for(user: &beckon::UserResponse, address: &str) -> bool {
    let is_asked = |id: &str| id.eq_ignore_ascii_case(address);
    user.login_ids.iter().any(|id| is_asked(id)) || (user.verified_email && is_asked(&user.email))
}

/// The token of a `beckon://auth?t=…` link, checked strictly: that scheme and host, no path,
/// one `t` of URL-safe characters of a sane length, nothing else.
pub fn link_token(url: &str) -> Result<Secret, String> {
    let bad = |why: &str| Err(why.to_owned());
    if url.len() > 2048 {
        return bad("the link is too long");
    }
    let Ok(parsed) = url::Url::parse(url) else {
        return bad("it is not a link");
    };
    if parsed.scheme() != "beckon" || parsed.host_str() != Some("auth") {
        return bad("it is not a Beckon sign-in link");
    }
    if !matches!(parsed.path(), "" | "/") || parsed.fragment().is_some() {
        return bad("it is not a Beckon sign-in link");
    }
    let pairs: Vec<_> = parsed.query_pairs().collect();
    let [(key, token)] = pairs.as_slice() else {
        return bad("it does not carry exactly one sign-in token");
    };
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    if key != "t" || !(16..=512).contains(&token.len()) || !token.chars().all(safe) {
        return bad("its sign-in token is malformed");
    }
    Ok(Secret::new(token.to_string()))
}

pub(super) fn magic_sent(request: MagicRequest) -> FlowState {
    FlowState::MagicSent {
        email: request.email,
        masked_address: request.masked_address,
        expires_at_ms: request.expires_at_ms,
    }
}
