//! The server's nouns: what a sign-in request is, who a user is, what a message carries.
//! Storage, the flows and HTTP all speak in these; none of them depends on how the others work.

pub mod address;
pub mod client;
pub mod code;
mod error;
pub mod text;

pub use error::{Error, Refusal, Result};

/// How a pending sign-in treats the user (the endpoint it came from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    SignIn,
    SignUp,
    SignUpOrIn,
    /// A signed-in user confirms a new email address or phone number.
    Update,
}

/// Enchanted link (three numbered links, the session goes to the device that asked) or magic
/// link (one link, the session goes to where it is opened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Enchanted,
    Magic,
}

/// Where the links go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident = $text:literal),+ }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
            pub(crate) fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($ty::$variant),)+ _ => None }
            }
        }
    };
}
text_enum!(Mode {
    SignIn = "signin",
    SignUp = "signup",
    SignUpOrIn = "signup-in",
    Update = "update"
});
text_enum!(Method { Enchanted = "enchanted", Magic = "magic" });
text_enum!(Channel { Email = "email", Sms = "sms" });

/// Who a sign-up creates, as kept until the link is confirmed (stored as JSON with the
/// request).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// What a pending request carries beyond who and where: for the session it will start
/// (`loginOptions`), and for an update, how the new address joins the user.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PendingOptions {
    /// Claims the session JWT will carry.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
    /// The `amr` of the signed-in session a step-up or MFA sign-in adds to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prior_amr: Vec<String>,
    /// End the user's other sessions when this one starts.
    pub revoke_other_sessions: bool,
    /// An update: the new address becomes a login ID too.
    pub add_to_login_ids: bool,
    /// An update that meets another user with the new login ID keeps that user, not the one
    /// updating.
    pub on_merge_use_existing: bool,
}

/// What sent a request: shown in the message and on the confirm page, counted by the rate
/// limits, written to the audit trail.
#[derive(Debug, Clone, Copy, Default)]
pub struct Requester<'a> {
    /// Its `User-Agent`: what it claims to be.
    pub user_agent: Option<&'a str>,
    /// The client's address; `None` when not known.
    pub ip: Option<std::net::IpAddr>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct User {
    pub user_id: String,
    pub login_ids: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub family_name: Option<String>,
    pub verified_email: bool,
    pub verified_phone: bool,
    pub created_at: i64,
    /// Disabled by an operator: cannot sign in, has no running session.
    pub disabled: bool,
}

/// A pending sign-in as stored.
#[derive(Debug, Clone)]
pub struct Pending {
    pub ref_hash: Vec<u8>,
    pub login_id: String,
    pub method: Method,
    pub channel: Channel,
    pub mode: Mode,
    pub link_number: Option<String>,
    pub profile: Option<Profile>,
    pub requested_by: Option<String>,
    /// The requesting client's address.
    pub requested_from: Option<std::net::IpAddr>,
    pub created_at: i64,
    pub expires_at: i64,
    pub verified_at: Option<i64>,
    pub user_id: Option<String>,
    /// The verification created the user: this is their first sign-in.
    pub created_user: bool,
    pub collected_at: Option<i64>,
    /// The refresh token it was handed out with.
    pub collected_jti: Option<String>,
    pub address: Option<String>,
    pub subject_user: Option<String>,
    pub options: PendingOptions,
    /// A magic link's S256 code challenge, when its request carried one.
    pub code_challenge: Option<String>,
    /// When the person answered "No, this wasn't me" on the confirm page.
    pub declined_at: Option<i64>,
    /// The language its messages were written in (a BCP 47 tag), if the request or the
    /// user's last sign-in named one.
    pub locale: Option<String>,
}

impl Pending {
    /// Where the links went: the address that the confirmation proves.
    pub fn address(&self) -> &str {
        self.address.as_deref().unwrap_or(&self.login_id)
    }
}

/// A link, with the pending sign-in it belongs to.
#[derive(Debug, Clone)]
pub struct Link {
    /// The number printed next to it (enchanted links only).
    pub number: Option<String>,
    pub pending: Pending,
}

/// One link in a message; `number` is empty for a magic link.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MessageLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub url: String,
}

/// What a message is for: readers of the development outbox pick sign-in messages by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A sign-in (or confirmation) message: its links.
    SignIn,
    /// The owner of a mailbox told that sign-ins to it are paused after a "No".
    Paused,
    /// "New sign-in to <app>": a session was handed out.
    Notice,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::SignIn => "sign_in",
            MessageKind::Paused => "paused",
            MessageKind::Notice => "notice",
        }
    }
}

/// A message to deliver. It holds working links: never log it.
pub struct Message {
    pub kind: MessageKind,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub links: Vec<MessageLink>,
}
