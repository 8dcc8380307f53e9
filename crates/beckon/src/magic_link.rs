use serde::Deserialize;

use crate::enchanted_link::SignInBody;
use crate::{AuthResponse, Client, Error, Result, SignUpUser};

/// Where a magic link is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
/// the link, so `uri` should lead back into your app (a deep link, say).
#[derive(Debug, Clone, Copy)]
pub struct MagicLink<'a> {
    client: &'a Client,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Masked {
    masked_email: Option<String>,
    masked_phone: Option<String>,
}

impl<'a> MagicLink<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
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
        self.start("signin", method, login_id, uri, None).await
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
        self.start("signup", method, login_id, uri, Some(user))
            .await
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
        self.start("signup-in", method, login_id, uri, None).await
    }

    async fn start(
        &self,
        action: &str,
        method: DeliveryMethod,
        login_id: &str,
        uri: Option<&str>,
        user: Option<SignUpUser>,
    ) -> Result<String> {
        let login_id = login_id.trim();
        if login_id.is_empty() {
            return Err(Error::InvalidArgument("a login ID is required".into()));
        }
        let body = SignInBody {
            login_id,
            uri,
            login_options: Default::default(),
            user,
        };
        let masked: Masked = self
            .client
            .post(
                &format!("/v1/auth/magiclink/{action}/{}", method.path()),
                &body,
                None,
            )
            .await?;
        masked
            .masked_email
            .or(masked.masked_phone)
            .ok_or_else(|| Error::InvalidResponse("the answer names no masked address".into()))
    }

    /// Verifies the token from the link's `t` parameter: the session, for this device.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, t: &str) -> beckon::Result<()> {
    /// let session = client.magic_link().verify(t).await?;
    /// # Ok(()) }
    /// ```
    pub async fn verify(&self, token: &str) -> Result<AuthResponse> {
        self.client
            .post(
                "/v1/auth/magiclink/verify",
                &serde_json::json!({ "token": token }),
                None,
            )
            .await
    }
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
