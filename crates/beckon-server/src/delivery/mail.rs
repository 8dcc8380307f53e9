//! The sign-in messages: email (plain text and HTML) and text message, with the number next to
//! each link, what asked and when, and what to do if it was not you, in the reader's language
//! (`crate::languages`). `crate::delivery` sends them.

use askama::Template;

use crate::domain::{Message, MessageKind, MessageLink};
use crate::languages::Words;
use crate::places::{Origin, OriginLine};

/// A link as a message shows it: its number, or what it does.
struct LabelledLink<'a> {
    label: String,
    url: &'a str,
}

/// What every email's frame needs: its language and direction.
struct Frame<'a> {
    lang: &'a str,
    dir: &'static str,
    /// The side text starts on: `left`, or `right` in a right-to-left language (mail clients
    /// do not all know `padding-inline-end`).
    start: &'static str,
    end: &'static str,
}

impl<'a> Frame<'a> {
    fn of(words: &'a Words<'a>) -> Self {
        Self {
            lang: words.tag(),
            dir: words.dir(),
            start: if words.rtl() { "right" } else { "left" },
            end: if words.rtl() { "left" } else { "right" },
        }
    }
}

/// The email's HTML (`templates/mail/sign_in.html`).
#[derive(Template)]
#[template(path = "mail/sign_in.html")]
struct SignInEmail<'a> {
    frame: Frame<'a>,
    intro: &'a str,
    is_this_you: String,
    origin: Vec<OriginLine>,
    notice: Option<&'a str>,
    ask: &'a str,
    links: Vec<LabelledLink<'a>>,
    /// The request's code, shown after the links.
    code: Option<&'a str>,
    code_intro: String,
    code_warning: String,
    footer: &'a str,
}

/// A text message's HTML, for the development outbox (`templates/mail/sms.html`).
#[derive(Template)]
#[template(path = "mail/sms.html")]
struct SmsHtml<'a> {
    frame: Frame<'a>,
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
    /// The language it is written in.
    pub words: Words<'a>,
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

/// The rows under "Is this you?" (or "The sign-in"): where, address, device, and when.
fn origin_rows(words: Words<'_>, origin: &Origin, at: &str) -> Vec<OriginLine> {
    let mut rows = origin.lines(words);
    rows.push(OriginLine::when(words, at.to_owned()));
    rows
}

/// The same rows as plain text, one indented `label: value` per line.
fn rows_text(rows: &[OriginLine]) -> String {
    rows.iter()
        .map(|row| format!("  {}: {}\n", row.label, row.value))
        .collect()
}

/// A text message, with its HTML for the development outbox.
fn sms_message(
    kind: MessageKind,
    words: Words<'_>,
    to: &str,
    subject: String,
    text: String,
    links: Vec<MessageLink>,
) -> Message {
    Message {
        kind,
        to: to.to_owned(),
        subject,
        html: SmsHtml {
            frame: Frame::of(&words),
            lines: text.lines().collect(),
        }
        .render()
        .unwrap_or_default(),
        text,
        links,
    }
}

impl SignInMessage<'_> {
    fn numbered(&self) -> bool {
        self.links.iter().any(|l| l.number.is_some())
    }

    /// The email: plain text and HTML.
    pub fn email(self) -> Message {
        let words = self.words;
        let app = || self.app_name.into();
        let address = || self.to.into();
        let numbered = self.numbered();
        let (subject, intro, ask) = match self.purpose {
            Purpose::SignIn => (
                words.tr_with("mail-sign-in-subject", &[("app", app())]),
                words.tr_with(
                    "mail-sign-in-intro",
                    &[("app", app()), ("address", address())],
                ),
                if numbered {
                    words.tr("mail-ask-numbered")
                } else {
                    words.tr("mail-ask-one")
                },
            ),
            Purpose::ConfirmAddress => (
                words.tr_with("mail-confirm-subject", &[("app", app())]),
                words.tr_with(
                    "mail-confirm-intro",
                    &[("app", app()), ("address", address())],
                ),
                if numbered {
                    words.tr("mail-confirm-ask-numbered")
                } else {
                    words.tr("mail-confirm-ask-one")
                },
            ),
        };
        let is_this_you = words.tr("is-this-you");
        let origin = origin_rows(words, &self.origin, self.requested_at);
        let notice = self.notice.map(|n| format!("{n}\n\n")).unwrap_or_default();
        let mut text = format!(
            "{intro}\n\n{is_this_you}\n{rows}\n{notice}{ask}\n\n",
            rows = rows_text(&origin)
        );
        let link_label = match self.purpose {
            Purpose::SignIn => words.tr("mail-link-sign-in"),
            Purpose::ConfirmAddress => words.tr("mail-link-confirm"),
        };
        let labelled: Vec<LabelledLink<'_>> = self
            .links
            .iter()
            .map(|link| LabelledLink {
                label: link.number.clone().unwrap_or_else(|| link_label.clone()),
                url: &link.url,
            })
            .collect();
        for link in &labelled {
            text.push_str(&format!("  {}: {}\n", link.label, link.url));
        }
        let code_intro = words.tr("mail-code-intro");
        let code_warning = words.tr("mail-code-warning");
        if let Some(code) = self.code {
            text.push_str(&format!("\n{code_intro} {code}\n{code_warning}\n"));
        }
        let footer = words.tr_with(
            "mail-footer",
            &[
                ("links", self.links.len().into()),
                ("minutes", self.ttl_minutes.into()),
            ],
        );
        text.push_str(&format!("\n{footer}\n"));
        let html = SignInEmail {
            frame: Frame::of(&words),
            intro: &intro,
            is_this_you,
            origin,
            notice: self.notice,
            ask: &ask,
            links: labelled,
            code: self.code,
            code_intro,
            code_warning,
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
        let words = self.words;
        let app = || self.app_name.into();
        let (mut text, subject) = match self.purpose {
            Purpose::SignIn => (
                words.tr_with("sms-sign-in", &[("app", app())]),
                words.tr_with("sms-sign-in-subject", &[("app", app())]),
            ),
            Purpose::ConfirmAddress => (
                words.tr_with("sms-confirm", &[("app", app())]),
                words.tr_with("sms-confirm-subject", &[("app", app())]),
            ),
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
            text.push('\n');
            text.push_str(&words.tr_with("sms-code", &[("code", code.into())]));
        }
        text.push('\n');
        text.push_str(&words.tr_with("sms-expires", &[("minutes", self.ttl_minutes.into())]));
        sms_message(
            MessageKind::SignIn,
            words,
            self.to,
            subject,
            text,
            self.links,
        )
    }
}

/// "New sign-in to <app>": sent when a session is handed out to a returning user, with where
/// the request came from and one button that signs that device out.
pub struct NoticeMessage<'a> {
    pub to: &'a str,
    pub app_name: &'a str,
    /// The language it is written in.
    pub words: Words<'a>,
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
    frame: Frame<'a>,
    intro: &'a str,
    heading: &'a str,
    origin: Vec<OriginLine>,
    sign_out_url: &'a str,
    sign_out: &'a str,
    footer: &'a str,
}

impl NoticeMessage<'_> {
    /// The text message: short, with the link that signs that device out.
    pub fn sms(self) -> Message {
        let words = self.words;
        let text = words.tr_with(
            "notice-sms",
            &[
                ("app", self.app_name.into()),
                ("when", self.signed_in_at.into()),
                ("url", self.sign_out_url.as_str().into()),
            ],
        );
        let subject = words.tr_with("notice-sms-subject", &[("app", self.app_name.into())]);
        let links = vec![MessageLink {
            number: None,
            url: self.sign_out_url,
        }];
        sms_message(MessageKind::Notice, words, self.to, subject, text, links)
    }

    /// The email: plain text and HTML.
    pub fn email(self) -> Message {
        let words = self.words;
        let intro = words.tr_with(
            "notice-intro",
            &[("app", self.app_name.into()), ("address", self.to.into())],
        );
        let heading = words.tr("the-sign-in");
        let sign_out = words.tr("notice-sign-out");
        let origin = origin_rows(words, &self.origin, self.signed_in_at);
        let footer = words.tr("notice-footer");
        let text = format!(
            "{intro}\n\n{heading}:\n{rows}\n{sign_out}: {url}\n\n{footer}\n",
            rows = rows_text(&origin),
            url = self.sign_out_url
        );
        let html = NoticeEmail {
            frame: Frame::of(&words),
            intro: &intro,
            heading: &heading,
            origin,
            sign_out_url: &self.sign_out_url,
            sign_out: &sign_out,
            footer: &footer,
        }
        .render()
        // Rendering writes into a String and the template has no fallible filters.
        .unwrap_or_default();
        Message {
            kind: MessageKind::Notice,
            to: self.to.to_owned(),
            subject: words.tr_with("notice-subject", &[("app", self.app_name.into())]),
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
    /// The language it is written in.
    pub words: Words<'a>,
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
    frame: Frame<'a>,
    intro: &'a str,
    heading: &'a str,
    origin: Vec<OriginLine>,
    what: &'a str,
    allow_url: &'a str,
    allow: &'a str,
    footer: &'a str,
}

impl PausedMessage<'_> {
    /// The text message: short, with the link that lifts the pause.
    pub fn sms(self) -> Message {
        let words = self.words;
        let args = [
            ("app", self.app_name.into()),
            ("minutes", self.minutes.into()),
            ("url", self.allow_url.as_str().into()),
        ];
        let text = match self.cause {
            PauseCause::Declined => words.tr_with("paused-sms-declined", &args),
            PauseCause::SignedOut => words.tr_with("paused-sms-signed-out", &args),
        };
        let subject = words.tr_with("paused-sms-subject", &[("app", self.app_name.into())]);
        let links = vec![MessageLink {
            number: None,
            url: self.allow_url,
        }];
        sms_message(MessageKind::Paused, words, self.to, subject, text, links)
    }

    /// The email: plain text and HTML.
    pub fn email(self) -> Message {
        let words = self.words;
        let args = [("app", self.app_name.into()), ("address", self.to.into())];
        let (intro, heading) = match self.cause {
            PauseCause::Declined => (
                words.tr_with("paused-intro-declined", &args),
                words.tr("paused-heading-declined"),
            ),
            PauseCause::SignedOut => (
                words.tr_with("paused-intro-signed-out", &args),
                words.tr("paused-heading-signed-out"),
            ),
        };
        let origin = origin_rows(words, &self.origin, self.requested_at);
        let what = words.tr_with("paused-what", &[("minutes", self.minutes.into())]);
        let allow = words.tr("allow-again");
        let footer = words.tr("paused-footer");
        let text = format!(
            "{intro}\n\n{heading}:\n{rows}\n{what}\n\n{allow}: {url}\n\n{footer}\n",
            rows = rows_text(&origin),
            url = self.allow_url
        );
        let html = PausedEmail {
            frame: Frame::of(&words),
            intro: &intro,
            heading: &heading,
            origin,
            what: &what,
            allow_url: &self.allow_url,
            allow: &allow,
            footer: &footer,
        }
        .render()
        // Rendering writes into a String and the template has no fallible filters.
        .unwrap_or_default();
        Message {
            kind: MessageKind::Paused,
            to: self.to.to_owned(),
            subject: words.tr_with("paused-subject", &[("app", self.app_name.into())]),
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
    use crate::languages::Languages;
    use crate::places::Place;
    use crate::support::renders::assert_renders_as;

    static LANGUAGES: std::sync::LazyLock<Languages> = std::sync::LazyLock::new(Languages::shipped);

    fn words(tag: &str) -> Words<'static> {
        LANGUAGES.pick([tag])
    }

    fn message(
        tag: &str,
        purpose: Purpose,
        numbers: &[Option<&str>],
        notice: Option<&'static str>,
    ) -> SignInMessage<'static> {
        SignInMessage {
            to: "ada@example.com",
            app_name: "Beckon <dev>",
            words: words(tag),
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
            requested_at: Box::leak(words(tag).when_utc(1_796_403_600).into_boxed_str()),
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
            message("en", Purpose::SignIn, &three, None).email(),
        );
        assert_message(
            "mail_magic",
            message("en", Purpose::SignIn, &[None], None).email(),
        );
        assert_message(
            "mail_update_merge",
            message(
                "en",
                Purpose::ConfirmAddress,
                &three,
                Some("This merges two accounts & <one> stays."),
            )
            .email(),
        );
        assert_message(
            "sms_enchanted",
            message("en", Purpose::SignIn, &three, None).sms(),
        );
        assert_message(
            "sms_update_magic",
            message(
                "en",
                Purpose::ConfirmAddress,
                &[None],
                Some("Merges accounts."),
            )
            .sms(),
        );
        let paused = || PausedMessage {
            to: "ada@example.com",
            app_name: "Beckon <dev>",
            words: words("en"),
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
            words: words("en"),
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

    #[test]
    fn the_sign_in_email_and_text_render_in_each_language() {
        let three = [Some("12"), Some("47"), Some("83")];
        for tag in ["de", "es", "ar", "en-XA", "ar-XB"] {
            assert_message(
                &format!("mail_enchanted_{tag}"),
                message(tag, Purpose::SignIn, &three, None).email(),
            );
            assert_message(
                &format!("sms_enchanted_{tag}"),
                message(tag, Purpose::SignIn, &three, None).sms(),
            );
        }
    }
}
