use beckon_proto::{MaskedAddress, Redirect, SignInRequest, TokenRequest, UpdateRequest};

use crate::options::{check, required};
use crate::{
    AuthResponse, Client, CodeVerifier, Error, LoginOptions, Result, Secret, SignUpUser,
    UpdateOptions,
};

/// Where a magic link is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryMethod {
    /// By email; the login ID is an email address.
    Email,
    /// By text message; the login ID is an E.164 phone number such as `+14155550123`.
    Sms,
}

impl DeliveryMethod {
    fn path(self) -> &'static str {
        match self {
            DeliveryMethod::Email => "email",
            DeliveryMethod::Sms => "sms",
        }
    }
}

/// Magic-link calls; get one from [`Client::magic_link`]. The session goes to whoever opens
/// the link, so `uri` should lead back into your app (a deep link, say); bind it to your app
/// with [`MagicLink::with_proof`].
#[derive(Debug, Clone, Copy)]
pub struct MagicLink<'a> {
    client: &'a Client,
    proof: Option<&'a CodeVerifier>,
}

impl<'a> MagicLink<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            proof: None,
        }
    }

    /// These calls with a proof key (RFC 7636): sign-ins carry its challenge, and
    /// [`MagicLink::verify`] its verifier, so only this app can redeem the link, even when
    /// another program catches it. Keep the verifier until the link is opened (and use the
    /// same one then). beckon-server enforces it; Descope's cloud ignores it.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, t: &str) -> beckon::Result<()> {
    /// let proof = beckon::CodeVerifier::generate();
    /// let links = client.magic_link().with_proof(&proof);
    /// links.sign_in(beckon::DeliveryMethod::Email, "ada@example.com", Some("beckon://auth")).await?;
    /// // …later, when beckon://auth?t=… opens the app:
    /// let session = links.verify(t).await?;
    /// # Ok(()) }
    /// ```
    pub fn with_proof(self, verifier: &'a CodeVerifier) -> Self {
        Self {
            proof: Some(verifier),
            ..self
        }
    }

    /// Sends a sign-in link to an existing user; the masked address it went to. Fails with
    /// `E062108` when no user signs in with `login_id`.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// use beckon::DeliveryMethod;
    /// let masked = client
    ///     .magic_link()
    ///     .sign_in(DeliveryMethod::Sms, "+14155550123", Some("beckon://auth"))
    ///     .await?;
    /// println!("sent to {masked}");
    /// # Ok(()) }
    /// ```
    pub async fn sign_in(
        &self,
        method: DeliveryMethod,
        login_id: &str,
        uri: Option<&str>,
    ) -> Result<String> {
        self.sign_in_with_options(method, login_id, uri, &LoginOptions::default(), None)
            .await
    }

    /// [`MagicLink::sign_in`] with [`LoginOptions`]: custom claims for the session, or a
    /// step-up or MFA sign-in of the user whose `refresh_jwt` this is.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, refresh: beckon::Secret) -> beckon::Result<()> {
    /// use beckon::{DeliveryMethod, LoginOptions};
    /// let options = LoginOptions { mfa: true, ..Default::default() };
    /// client
    ///     .magic_link()
    ///     .sign_in_with_options(DeliveryMethod::Sms, "+14155550123", None, &options, Some(&refresh))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_options(
        &self,
        method: DeliveryMethod,
        login_id: &str,
        uri: Option<&str>,
        options: &LoginOptions,
        refresh_jwt: Option<&Secret>,
    ) -> Result<String> {
        check(options, refresh_jwt)?;
        let body = sign_in_request(login_id, uri, options, None)?;
        self.start("signin", method, body, refresh_jwt).await
    }

    /// Sends a sign-up link; the user is created when it is opened. Fails with `E062107` when
    /// the user exists.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// let user = beckon::SignUpUser { name: Some("Ada Lovelace".into()), ..Default::default() };
    /// client
    ///     .magic_link()
    ///     .sign_up(beckon::DeliveryMethod::Email, "ada@example.com", None, Some(user))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_up(
        &self,
        method: DeliveryMethod,
        login_id: &str,
        uri: Option<&str>,
        user: Option<SignUpUser>,
    ) -> Result<String> {
        self.sign_up_with_options(method, login_id, uri, user, &LoginOptions::default())
            .await
    }

    /// [`MagicLink::sign_up`] with [`LoginOptions`] (custom claims, the message's `locale`).
    pub async fn sign_up_with_options(
        &self,
        method: DeliveryMethod,
        login_id: &str,
        uri: Option<&str>,
        user: Option<SignUpUser>,
        options: &LoginOptions,
    ) -> Result<String> {
        crate::options::check(options, None)?;
        let user = match method {
            DeliveryMethod::Email => SignUpUser {
                email: Some(login_id.to_owned()),
                ..user.unwrap_or_default()
            },
            DeliveryMethod::Sms => SignUpUser {
                phone: Some(login_id.to_owned()),
                ..user.unwrap_or_default()
            },
        };
        let body = sign_in_request(login_id, uri, options, Some(user))?;
        self.start("signup", method, body, None).await
    }

    /// Signs the user in, or up when the login ID is new.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// client
    ///     .magic_link()
    ///     .sign_up_or_in(beckon::DeliveryMethod::Email, "ada@example.com", None)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_up_or_in(
        &self,
        method: DeliveryMethod,
        login_id: &str,
        uri: Option<&str>,
    ) -> Result<String> {
        self.sign_up_or_in_with_options(method, login_id, uri, &LoginOptions::default())
            .await
    }

    /// [`MagicLink::sign_up_or_in`] with [`LoginOptions`] (custom claims, revoking the user's
    /// other sessions).
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// let mut options = beckon::LoginOptions::default();
    /// options.custom_claims.insert("plan".into(), "pro".into());
    /// client
    ///     .magic_link()
    ///     .sign_up_or_in_with_options(beckon::DeliveryMethod::Email, "ada@example.com", None, &options)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_up_or_in_with_options(
        &self,
        method: DeliveryMethod,
        login_id: &str,
        uri: Option<&str>,
        options: &LoginOptions,
    ) -> Result<String> {
        check(options, None)?;
        let body = sign_in_request(login_id, uri, options, None)?;
        self.start("signup-in", method, body, None).await
    }

    async fn start(
        &self,
        action: &str,
        method: DeliveryMethod,
        mut body: SignInRequest,
        refresh_jwt: Option<&Secret>,
    ) -> Result<String> {
        let path = format!("/v1/auth/magiclink/{action}/{}", method.path());
        if let Some(proof) = self.proof {
            body.code_challenge = Some(proof.challenge());
            body.code_challenge_method = Some("S256".into());
        }
        self.masked(&path, &body, refresh_jwt).await
    }

    async fn masked(
        &self,
        path: &str,
        body: &impl serde::Serialize,
        refresh_jwt: Option<&Secret>,
    ) -> Result<String> {
        let masked: MaskedAddress = self.client.post(path, body, refresh_jwt).await?;
        match masked.address() {
            "" => Err(Error::InvalidResponse(
                "the answer names no masked address".into(),
            )),
            address => Ok(address.to_owned()),
        }
    }

    /// Starts a change of the signed-in user's email address: one link goes to `new_email`;
    /// [`MagicLink::verify`] on its token completes the change and returns a session. Returns
    /// the masked new address. `login_id` is one of the user's login IDs; `refresh_jwt` is
    /// their session's.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, refresh: beckon::Secret) -> beckon::Result<()> {
    /// let masked = client
    ///     .magic_link()
    ///     .update_email("ada@example.com", "ada@new.example", Some("beckon://auth"), &refresh,
    ///         &beckon::UpdateOptions::default())
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_email(
        &self,
        login_id: &str,
        new_email: &str,
        uri: Option<&str>,
        refresh_jwt: &Secret,
        options: &UpdateOptions,
    ) -> Result<String> {
        let body = UpdateRequest {
            email: Some(required(new_email, "the new email address")?.to_owned()),
            ..options.request(login_id, uri)?
        };
        self.masked("/v1/auth/magiclink/update/email", &body, Some(refresh_jwt))
            .await
    }

    /// Starts a change of the signed-in user's phone number (E.164): one link goes to `phone`
    /// by SMS; [`MagicLink::verify`] on its token completes the change. Returns the masked new
    /// number.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, refresh: beckon::Secret) -> beckon::Result<()> {
    /// let options = beckon::UpdateOptions::default().add_to_login_ids(true);
    /// client
    ///     .magic_link()
    ///     .update_phone("ada@example.com", "+14155550123", None, &refresh, &options)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_phone(
        &self,
        login_id: &str,
        phone: &str,
        uri: Option<&str>,
        refresh_jwt: &Secret,
        options: &UpdateOptions,
    ) -> Result<String> {
        let body = UpdateRequest {
            phone: Some(required(phone, "the new phone number")?.to_owned()),
            ..options.request(login_id, uri)?
        };
        self.masked(
            "/v1/auth/magiclink/update/phone/sms",
            &body,
            Some(refresh_jwt),
        )
        .await
    }

    /// Verifies the token from the link's `t` parameter: the session, for this device.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, t: &str) -> beckon::Result<()> {
    /// let session = client.magic_link().verify(t).await?;
    /// # Ok(()) }
    /// ```
    pub async fn verify(&self, token: &str) -> Result<AuthResponse> {
        let body = TokenRequest {
            token: Some(Secret::new(token)),
            code_verifier: self.proof.map(|proof| proof.secret().clone()),
        };
        self.client
            .post("/v1/auth/magiclink/verify", &body, None)
            .await
    }
}

/// A sign-in body; `user` only on sign-up.
fn sign_in_request(
    login_id: &str,
    uri: Option<&str>,
    options: &LoginOptions,
    user: Option<SignUpUser>,
) -> Result<SignInRequest> {
    Ok(SignInRequest {
        login_id: Some(required(login_id, "a login ID")?.to_owned()),
        redirect: Redirect::to(uri),
        user,
        login_options: Some(options.clone()),
        ..SignInRequest::default()
    })
}

impl Client {
    /// Magic link: one link, and the session goes to the device that opens it.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// client.magic_link().sign_up_or_in(beckon::DeliveryMethod::Email, "ada@example.com", None).await?;
    /// # Ok(()) }
    /// ```
    pub fn magic_link(&self) -> MagicLink<'_> {
        MagicLink::new(self)
    }
}
