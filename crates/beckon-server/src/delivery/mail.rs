//! The sign-in messages: email (plain text and HTML) and text message, with the number next to
//! each link, what asked and when, and what to do if it was not you. `crate::delivery` sends
//! them.

use askama::Template;

use crate::domain::{Message, MessageKind, MessageLink};
use crate::places::Origin;

/// A link as a message shows it: its number, or what it does.
struct LabelledLink<'a> {
    label: &'a str,
    url: &'a str,
}

/// The email's HTML (`templates/mail/sign_in.html`).
#[derive(Template)]
#[template(path = "mail/sign_in.html")]
struct SignInEmail<'a> {
    intro: &'a str,
    origin: Vec<(&'static str, String)>,
    notice: Option<&'a str>,
    ask: &'a str,
    links: Vec<LabelledLink<'a>>,
    /// The request's code, shown after the links.
    code: Option<&'a str>,
    footer: &'a str,
}

/// A text message's HTML, for the development outbox (`templates/mail/sms.html`).
#[derive(Template)]
#[template(path = "mail/sms.html")]
struct SmsHtml<'a> {
    lines: Vec<&'a str>,
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
    /// Where the request came from, told under "Is this you?".
    pub origin: Origin,
    /// When, in UTC (a relative time would be wrong by the time the email is read).
    pub requested_at: &'a str,
    /// Something the person must know before tapping (an update that merges two accounts).
    pub notice: Option<&'a str>,
    /// The request's code (`ABCD-EFGH`), typed on the desktop when the link is not the way.
    pub code: Option<&'a str>,
}

/// What the message says of its code: type it only where the sign-in started, tell no one.
fn code_words(code: &str) -> String {
    format!(
        "No link works? Type this code on the screen where the sign-in started: {code}. \
         Type it only there, and never tell it to anyone: nobody will ever need to ask you for it."
    )
}

impl SignInMessage<'_> {
    fn numbered(&self) -> bool {
        self.links.iter().any(|l| l.number.is_some())
    }

    /// The email: plain text and HTML.
    pub fn email(self) -> Message {
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
            "Someone asked {what} {app} as {to}.",
            app = self.app_name,
            to = self.to,
        );
        let mut origin: Vec<(&'static str, String)> = self.origin.lines().into();
        origin.push(("When", self.requested_at.to_owned()));
        let origin_text: String = origin
            .iter()
            .map(|(label, value)| format!("  {label}: {value}\n"))
            .collect();
        let notice = self.notice.map(|n| format!("{n}\n\n")).unwrap_or_default();
        let mut text = format!("{intro}\n\nIs this you?\n{origin_text}\n{notice}{ask}\n\n");
        let labelled: Vec<LabelledLink<'_>> = self
            .links
            .iter()
            .map(|link| LabelledLink {
                label: link.number.as_deref().unwrap_or(match self.purpose {
                    Purpose::SignIn => "Sign in",
                    Purpose::ConfirmAddress => "Confirm",
                }),
                url: &link.url,
            })
            .collect();
        for link in &labelled {
            text.push_str(&format!("  {}: {}\n", link.label, link.url));
        }
        let code = self.code.map(code_words);
        if let Some(code) = &code {
            text.push_str(&format!("\n{code}\n"));
        }
        let footer = format!(
            "The link{s} expire{v} in {ttl} minutes. If this wasn't you, ignore this message.",
            s = if self.links.len() > 1 { "s" } else { "" },
            v = if self.links.len() > 1 { "" } else { "s" },
            ttl = self.ttl_minutes
        );
        text.push_str(&format!("\n{footer}\n"));
        let html = SignInEmail {
            intro: &intro,
            origin,
            notice: self.notice,
            ask,
            links: labelled,
            code: self.code,
            footer: &footer,
        }
        .render()
        // Rendering writes into a String and the template has no fallible filters.
        .unwrap_or_default();
        Message {
            kind: MessageKind::SignIn,
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
        // A single link follows the first line ("Beckon sign-in: URL"), so the notice, when
        // there is one, comes after the links.
        for link in &self.links {
            match &link.number {
                Some(number) => text.push_str(&format!("\n{number}: {}", link.url)),
                None => text.push_str(&format!(": {}", link.url)),
            }
        }
        if let Some(notice) = self.notice {
            text.push_str(&format!("\n{notice}"));
        }
        if let Some(code) = self.code {
            text.push_str(&format!(
                "\nOr type code {code} where you started. Tell no one."
            ));
        }
        text.push_str(&format!(
            "\nExpires in {} min. Not you? Ignore this.",
            self.ttl_minutes
        ));
        Message {
            kind: MessageKind::SignIn,
            to: self.to.to_owned(),
            subject: match self.purpose {
                Purpose::SignIn => format!("{} sign-in (SMS)", self.app_name),
                Purpose::ConfirmAddress => format!("{} number confirmation (SMS)", self.app_name),
            },
            html: SmsHtml {
                lines: text.lines().collect(),
            }
            .render()
            .unwrap_or_default(),
            text,
            links: self.links,
        }
    }
}

/// A text message whose one link is `url` (its HTML for the development outbox).
fn one_link_sms(
    kind: MessageKind,
    to: &str,
    subject: String,
    text: String,
    url: String,
) -> Message {
    Message {
        kind,
        to: to.to_owned(),
        subject,
        html: SmsHtml {
            lines: text.lines().collect(),
        }
        .render()
        .unwrap_or_default(),
        text,
        links: vec![MessageLink { number: None, url }],
    }
}

/// "New sign-in to <app>": sent when a session is handed out to a returning user, with where
/// the request came from and one button that signs that device out.
pub struct NoticeMessage<'a> {
    pub to: &'a str,
    pub app_name: &'a str,
    /// Where the request that signed in came from.
    pub origin: Origin,
    /// When the session was handed out, in UTC.
    pub signed_in_at: &'a str,
    /// The page that signs that session out ("This wasn't me").
    pub sign_out_url: String,
}

/// The notice email's HTML (`templates/mail/notice.html`).
#[derive(Template)]
#[template(path = "mail/notice.html")]
struct NoticeEmail<'a> {
    intro: &'a str,
    origin: Vec<(&'static str, String)>,
    sign_out_url: &'a str,
    footer: &'a str,
}

impl NoticeMessage<'_> {
    /// The text message: short, with the link that signs that device out.
    pub fn sms(self) -> Message {
        let text = format!(
            "{app}: new sign-in {at}. Not you? Sign that device out: {url}",
            app = self.app_name,
            at = self.signed_in_at,
            url = self.sign_out_url
        );
        one_link_sms(
            MessageKind::Notice,
            self.to,
            format!("New sign-in to {} (SMS)", self.app_name),
            text,
            self.sign_out_url,
        )
    }

    /// The email: plain text and HTML.
    pub fn email(self) -> Message {
        let intro = format!(
            "{to} was just signed in to {app}. If that was you, there is nothing to do.",
            app = self.app_name,
            to = self.to,
        );
        let mut origin: Vec<(&'static str, String)> = self.origin.lines().into();
        origin.push(("When", self.signed_in_at.to_owned()));
        let origin_text: String = origin
            .iter()
            .map(|(label, value)| format!("  {label}: {value}\n"))
            .collect();
        let footer = "The sign-in needed a tap on a link sent to this address. If you did not \
                      tap one, someone else may read your email: change its password too.";
        let text = format!(
            "{intro}\n\nThe sign-in:\n{origin_text}\n\
             This wasn't me: sign that device out: {url}\n\n{footer}\n",
            url = self.sign_out_url
        );
        let html = NoticeEmail {
            intro: &intro,
            origin,
            sign_out_url: &self.sign_out_url,
            footer,
        }
        .render()
        // Rendering writes into a String and the template has no fallible filters.
        .unwrap_or_default();
        Message {
            kind: MessageKind::Notice,
            to: self.to.to_owned(),
            subject: format!("New sign-in to {}", self.app_name),
            text,
            html,
            links: vec![MessageLink {
                number: None,
                url: self.sign_out_url,
            }],
        }
    }
}

/// The owner's email after a "No, this wasn't me": what was refused, where it came from, and
/// a way to lift the pause if it was them after all.
pub struct PausedMessage<'a> {
    pub to: &'a str,
    pub app_name: &'a str,
    /// What began the pause.
    pub cause: PauseCause,
    /// How long new sign-in messages are paused, in minutes.
    pub minutes: u32,
    /// Where the refused request came from.
    pub origin: Origin,
    /// When it was asked for, in UTC.
    pub requested_at: &'a str,
    /// The page that lifts the pause ("It was me: allow sign-ins again").
    pub allow_url: String,
}

/// What began a pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseCause {
    /// A "No, this wasn't me" on a confirm page; the origin is the refused request's.
    Declined,
    /// "This wasn't me" on a sign-in notice's page; the origin is the signed-out sign-in's.
    SignedOut,
}

/// The pause email's HTML (`templates/mail/paused.html`).
#[derive(Template)]
#[template(path = "mail/paused.html")]
struct PausedEmail<'a> {
    intro: &'a str,
    heading: &'a str,
    origin: Vec<(&'static str, String)>,
    what: &'a str,
    allow_url: &'a str,
    footer: &'a str,
}

impl PausedMessage<'_> {
    /// The text message: short, with the link that lifts the pause.
    pub fn sms(self) -> Message {
        let what = match self.cause {
            PauseCause::Declined => "you said No to a sign-in",
            PauseCause::SignedOut => "you signed a device out",
        };
        let text = format!(
            "{app}: {what}. No new sign-in texts for {minutes} min. \
             It was you? Allow them again: {url}",
            app = self.app_name,
            minutes = self.minutes,
            url = self.allow_url
        );
        one_link_sms(
            MessageKind::Paused,
            self.to,
            format!("{} sign-ins paused (SMS)", self.app_name),
            text,
            self.allow_url,
        )
    }

    /// The email: plain text and HTML.
    pub fn email(self) -> Message {
        let (intro, heading) = match self.cause {
            PauseCause::Declined => (
                format!(
                    "You answered \u{201c}No, this wasn't me\u{201d} to a request to sign in to \
                     {app} as {to}.",
                    app = self.app_name,
                    to = self.to,
                ),
                "The refused request",
            ),
            PauseCause::SignedOut => (
                format!(
                    "You signed out a device that had signed in to {app} as {to}, and asked to \
                     pause sign-ins.",
                    app = self.app_name,
                    to = self.to,
                ),
                "The signed-out sign-in",
            ),
        };
        let mut origin: Vec<(&'static str, String)> = self.origin.lines().into();
        origin.push(("When", self.requested_at.to_owned()));
        let origin_text: String = origin
            .iter()
            .map(|(label, value)| format!("  {label}: {value}\n"))
            .collect();
        let what = format!(
            "So that nobody can keep asking, every open request to this address was ended, and \
             no new sign-in links will be sent to it for {} minutes.",
            self.minutes
        );
        let footer = "If it was you after all, open the link above to allow sign-ins again. \
                      Otherwise there is nothing to do: nobody was signed in.";
        let text = format!(
            "{intro}\n\n{heading}:\n{origin_text}\n{what}\n\n\
             It was me: allow sign-ins again: {url}\n\n{footer}\n",
            url = self.allow_url
        );
        let html = PausedEmail {
            intro: &intro,
            heading,
            origin,
            what: &what,
            allow_url: &self.allow_url,
            footer,
        }
        .render()
        // Rendering writes into a String and the template has no fallible filters.
        .unwrap_or_default();
        Message {
            kind: MessageKind::Paused,
            to: self.to.to_owned(),
            subject: format!(
                "Sign-ins to {} paused after your \u{201c}No\u{201d}",
                self.app_name
            ),
            text,
            html,
            links: vec![MessageLink {
                number: None,
                url: self.allow_url,
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::Place;
    use crate::support::renders::assert_renders_as;

    fn message(
        purpose: Purpose,
        numbers: &[Option<&str>],
        notice: Option<&'static str>,
    ) -> SignInMessage<'static> {
        SignInMessage {
            to: "ada@example.com",
            app_name: "Beckon <dev>",
            purpose,
            links: numbers
                .iter()
                .enumerate()
                .map(|(i, number)| MessageLink {
                    number: number.map(str::to_owned),
                    url: format!("https://auth.example/confirm?t=token{i}&x=\"y\""),
                })
                .collect(),
            ttl_minutes: 15,
            origin: Origin {
                place: Place::Near("Lisbon, Portugal".into()),
                address: Some("203.0.113.9".parse().unwrap()),
                device: Some("Beckon/0.1 (X11; Linux) \"quoted\" <b>".into()),
            },
            requested_at: "2026-12-04 17:00 UTC",
            notice,
            // Numbered links (enchanted) come with a code; a magic link has none.
            code: numbers.iter().any(Option::is_some).then_some("7K2M-9QXZ"),
        }
    }

    fn assert_message(name: &str, message: Message) {
        assert_renders_as(&format!("{name}.html"), &message.html);
        assert_renders_as(
            &format!("{name}.txt"),
            &format!(
                "To: {}\nSubject: {}\n\n{}",
                message.to, message.subject, message.text
            ),
        );
    }

    #[test]
    fn each_message_renders_as_kept() {
        let three = [Some("12"), Some("47"), Some("83")];
        assert_message(
            "mail_enchanted",
            message(Purpose::SignIn, &three, None).email(),
        );
        assert_message(
            "mail_magic",
            message(Purpose::SignIn, &[None], None).email(),
        );
        assert_message(
            "mail_update_merge",
            message(
                Purpose::ConfirmAddress,
                &three,
                Some("This merges two accounts & <one> stays."),
            )
            .email(),
        );
        assert_message(
            "sms_enchanted",
            message(Purpose::SignIn, &three, None).sms(),
        );
        assert_message(
            "sms_update_magic",
            message(Purpose::ConfirmAddress, &[None], Some("Merges accounts.")).sms(),
        );
        let paused = || PausedMessage {
            to: "ada@example.com",
            app_name: "Beckon <dev>",
            cause: PauseCause::Declined,
            minutes: 15,
            origin: Origin {
                place: Place::Near("Lisbon, Portugal".into()),
                address: Some("203.0.113.9".parse().unwrap()),
                device: Some("Acme/2.0 \"quoted\" <b>".into()),
            },
            requested_at: "2026-12-04 17:00 UTC",
            allow_url: "https://auth.example/confirm/allow?t=token&x=\"y\"".into(),
        };
        assert_message("mail_paused", paused().email());
        assert_message("sms_paused", paused().sms());
        let notice = || NoticeMessage {
            to: "ada@example.com",
            app_name: "Beckon <dev>",
            origin: Origin {
                place: Place::Near("Lisbon, Portugal".into()),
                address: Some("203.0.113.9".parse().unwrap()),
                device: Some("Acme/2.0 \"quoted\" <b>".into()),
            },
            signed_in_at: "2026-12-04 17:02 UTC",
            sign_out_url: "https://auth.example/confirm/signout?t=token&x=\"y\"".into(),
        };
        assert_message("mail_notice", notice().email());
        assert_message("sms_notice", notice().sms());
    }
}
