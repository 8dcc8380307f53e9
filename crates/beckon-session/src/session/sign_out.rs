//! Signing out: the email screen at once (the owner shows it), the vault entry deleted, and
//! the server told to end the session, or every session of the account.

use beckon::Secret;

use super::owner::Ctx;
use crate::state::Notice;
use crate::vault::{Saved, Slot};

/// What the owner hands the sign-out.
pub(super) struct SignOut {
    pub email: String,
    /// The session held; `None` from the restoring screen, where the vault's is ended.
    pub refresh_jwt: Option<Secret>,
    pub client: Option<beckon::Client>,
    pub everywhere: bool,
}

pub(super) async fn sign_out(ctx: Ctx, how: SignOut) {
    let refresh_jwt = match how.refresh_jwt {
        Some(refresh_jwt) => Some(refresh_jwt),
        None => ctx
            .vault
            .call(Saved::load)
            .await
            .ok()
            .flatten()
            .map(|saved| saved.refresh_jwt),
    };
    let forgotten = ctx.vault.call(|v| v.delete(Slot::Session)).await;
    let told = match (refresh_jwt, how.client) {
        (Some(refresh_jwt), Some(client)) => {
            let ended = if how.everywhere {
                client.logout_all(&refresh_jwt).await
            } else {
                client.logout(&refresh_jwt).await
            };
            match ended {
                // A session the server had already ended is just as signed out.
                Err(error) if !error.is_unauthorized() => Err(error),
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    };
    let notice = match (forgotten, told) {
        (Err(error), _) => Some(Notice::KeyringNotCleared {
            detail: error.to_string(),
        }),
        (Ok(()), Err(error)) => Some(Notice::ServerNotTold {
            error: error.into(),
            everywhere: how.everywhere,
        }),
        (Ok(()), Ok(())) => None,
    };
    if notice.is_some() {
        ctx.show(ctx.enter_email(&how.email, notice));
    }
}
