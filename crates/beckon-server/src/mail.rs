//! The sign-in messages: email (plain text and HTML) and text message, with the number next to
//! each link, what asked and when, and what to do if it was not you. `crate::delivery` sends
//! them.

use serde::Serialize;

use crate::pages::escape;

/// One link in a message; `number` is empty for a magic link.
#[derive(Debug, Clone, Serialize)]
pub struct MessageLink {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub url: String,
}

/// A message to deliver. It holds working links: never log it.
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub links: Vec<MessageLink>,
}

/// Why a message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// To sign in (or up).
    SignIn,
    /// To confirm a signed-in user's new email address or phone number.
    ConfirmAddress,
}

/// A sign-in message: three numbered links (enchanted) or one (magic).
pub struct SignInMessage<'a> {
    pub to: &'a str,
    pub app_name: &'a str,
    pub purpose: Purpose,
    pub links: Vec<MessageLink>,
    pub ttl_minutes: u32,
    pub requested_by: Option<&'a str>,
    pub requested_at: &'a str,
    /// Something the person must know before tapping (an update that merges two accounts).
    pub notice: Option<&'a str>,
}

impl SignInMessage<'_> {
    fn numbered(&self) -> bool {
        self.links.iter().any(|l| l.number.is_some())
    }

    /// The email: plain text and HTML.
    pub fn email(self) -> Message {
        // The User-Agent is the requester's own claim: told as such, never as fact.
        let device = self.requested_by.map_or_else(
            || "a device that did not say what it is".to_owned(),
            |ua| format!("a device that calls itself \"{ua}\""),
        );
        let (subject, what, ask) = match (self.purpose, self.numbered()) {
            (Purpose::SignIn, numbered) => (
                format!("Your {} sign-in link", self.app_name),
                "to sign in to",
                if numbered {
                    "Tap the link with the number shown on your screen:"
                } else {
                    "Tap the link to sign in:"
                },
            ),
            (Purpose::ConfirmAddress, numbered) => (
                format!("Confirm your new email address for {}", self.app_name),
                "to use this address for",
                if numbered {
                    "Tap the link with the number shown on your screen to confirm it:"
                } else {
                    "Tap the link to confirm it:"
                },
            ),
        };
        let intro = format!(
            "Someone asked {what} {app} as {to} at {at}, from {device}.",
            app = self.app_name,
            to = self.to,
            at = self.requested_at,
        );
        let notice = self.notice.map(|n| format!("{n}\n\n")).unwrap_or_default();
        let mut text = format!("{intro}\n\n{notice}{ask}\n\n");
        let mut items = String::new();
        for link in &self.links {
            let label = link.number.as_deref().unwrap_or(match self.purpose {
                Purpose::SignIn => "Sign in",
                Purpose::ConfirmAddress => "Confirm",
            });
            text.push_str(&format!("  {label}: {}\n", link.url));
            items.push_str(&format!(
                "<li><a href=\"{url}\" style=\"display:block;padding:14px 18px;margin:8px 0;\
                 border-radius:12px;background:#eef2ff;color:#1e1b4b;font-size:28px;\
                 font-weight:700;text-decoration:none\">{label}</a></li>",
                url = escape(&link.url),
                label = escape(label),
            ));
        }
        let footer = format!(
            "The link{s} expire{v} in {ttl} minutes. If this wasn't you, ignore this message.",
            s = if self.links.len() > 1 { "s" } else { "" },
            v = if self.links.len() > 1 { "" } else { "s" },
            ttl = self.ttl_minutes
        );
        text.push_str(&format!("\n{footer}\n"));
        let html = format!(
            "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;max-width:480px;margin:auto\">\
             <p>{intro}</p>{notice}\
             <p>{ask}</p><ul style=\"list-style:none;padding:0\">{items}</ul>\
             <p style=\"color:#555\">{footer}</p></body></html>",
            intro = escape(&intro),
            notice = self
                .notice
                .map(|n| format!("<p><b>{}</b></p>", escape(n)))
                .unwrap_or_default(),
            ask = escape(ask),
            footer = escape(&footer),
        );
        Message {
            to: self.to.to_owned(),
            subject,
            text,
            html,
            links: self.links,
        }
    }

    /// The text message: short, the link(s) and a warning.
    pub fn sms(self) -> Message {
        let mut text = match self.purpose {
            Purpose::SignIn => format!("{} sign-in", self.app_name),
            Purpose::ConfirmAddress => format!("{}: confirm this number", self.app_name),
        };
        if let Some(notice) = self.notice {
            text.push_str(&format!("\n{notice}"));
        }
        for link in &self.links {
            match &link.number {
                Some(number) => text.push_str(&format!("\n{number}: {}", link.url)),
                None => text.push_str(&format!(": {}", link.url)),
            }
        }
        text.push_str(&format!(
            "\nExpires in {} min. Not you? Ignore this.",
            self.ttl_minutes
        ));
        Message {
            to: self.to.to_owned(),
            subject: match self.purpose {
                Purpose::SignIn => format!("{} sign-in (SMS)", self.app_name),
                Purpose::ConfirmAddress => format!("{} number confirmation (SMS)", self.app_name),
            },
            html: format!("<p>{}</p>", escape(&text).replace('\n', "<br>")),
            text,
            links: self.links,
        }
    }
}
