//! Pages a person opens on the phone: the confirm page behind every link, and the development
//! outbox. Plain HTML forms, no JavaScript, readable on a small screen.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use beckon_proto::ProjectResponse;
use serde::Serialize;

use super::error::ApiError;
use super::extractors::ClientIp;
use crate::domain::{Error, Link, MessageLink, Method, Mode, Refusal};
use crate::languages::{self, Words};
use crate::places::{Origin, OriginLine};
use crate::signin::{self, Progress};
use crate::state::AppState;

/// How many messages the outbox lists.
const OUTBOX_LIMIT: i64 = 50;

/// The pages, and in development mode the outbox (`dev`: nowhere else is it routed).
pub fn router(dev: bool) -> Router<AppState> {
    let pages = Router::new()
        .route("/", get(index))
        .route("/confirm", get(confirm_page).post(confirm))
        .route("/confirm/status", get(status_page))
        .route("/confirm/allow", get(allow_page).post(allow))
        .route("/confirm/signout", get(sign_out_page).post(sign_out))
        .route("/.well-known/beckon-project", get(project));
    if dev {
        pages.route("/dev/outbox", get(outbox))
    } else {
        pages
    }
}

/// A page of text: a heading and a sentence or two (`templates/pages/notice.html`).
#[derive(Template)]
#[template(path = "pages/notice.html")]
struct Notice<'a> {
    words: Words<'a>,
    title: String,
    refresh: bool,
    heading: String,
    /// `good` or `bad`, for the heading's colour.
    tone: Option<&'static str>,
    text: String,
    note: Option<String>,
}

impl<'a> Notice<'a> {
    fn new(words: Words<'a>, title: String, heading: String, text: String) -> Self {
        Self {
            words,
            title,
            refresh: false,
            heading,
            tone: None,
            text,
            note: None,
        }
    }
}

#[derive(Template)]
#[template(path = "pages/index.html")]
struct Index<'a> {
    words: Words<'a>,
    title: &'static str,
    refresh: bool,
    dev: bool,
}

#[derive(Template)]
#[template(path = "pages/confirm.html")]
struct ConfirmForm<'a> {
    words: Words<'a>,
    title: &'a str,
    refresh: bool,
    number: &'a str,
    /// "Confirm only if your computer shows 47", as HTML (the number bold, left to right).
    only_if: &'a str,
    notice: Option<&'a str>,
    token: &'a str,
    button: &'a str,
    who: &'a str,
    email: &'a str,
    /// Where, from which address, what device (`places::Origin::lines`).
    origin: Vec<OriginLine>,
    /// "2 minutes ago".
    ago: &'a str,
    /// The time in UTC, which [`LOCAL_TIME`] turns into the phone's own.
    at: &'a str,
    at_iso: &'a str,
    script: &'static str,
}

/// The confirm page's one script, allowed by its hash (the page's CSP): the request's time in
/// the phone's own time zone, written as the page's language writes dates (with ASCII digits
/// in every language). Without it the page reads right, in UTC.
const LOCAL_TIME: &str = "document.querySelectorAll(\"time[data-local]\").forEach(function(t){\
var d=new Date(t.getAttribute(\"datetime\"));\
if(!isNaN(d.getTime()))t.textContent=d.toLocaleString(document.documentElement.lang+\"-u-nu-latn\",\
{dateStyle:\"medium\",timeStyle:\"short\"})})";

/// Every page's Content-Security-Policy: no outside content, no script but [`LOCAL_TIME`].
static POLICY: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(LOCAL_TIME));
    HeaderValue::from_str(&format!(
        "default-src 'none'; script-src 'sha256-{hash}'; style-src 'unsafe-inline'; \
         form-action 'self'; frame-ancestors 'none'"
    ))
    // ASCII throughout, so never; if it were, the stricter policy (no script at all).
    .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"))
});

/// The page of the sign-in notice's link, and what its buttons did: a form, since only its
/// POST signs the device out.
#[derive(Template)]
#[template(path = "pages/signout.html")]
struct SignOutPage<'a> {
    words: Words<'a>,
    title: String,
    refresh: bool,
    heading: String,
    text: String,
    /// The sign-in's place, address, device and time; empty after the sign-out.
    origin: Vec<OriginLine>,
    token: &'a str,
    /// The device is signed out (the page then offers the pause, if `pause_minutes`).
    done: bool,
    /// "Also pause sign-ins for 15 minutes", when the page offers the pause.
    pause_button: Option<String>,
}

/// The page of the pause email's link: a form, since only its POST lifts the pause.
#[derive(Template)]
#[template(path = "pages/allow.html")]
struct AllowForm<'a> {
    words: Words<'a>,
    title: String,
    refresh: bool,
    text: String,
    token: &'a str,
}

#[derive(Template)]
#[template(path = "pages/wrong_number.html")]
struct WrongNumber<'a> {
    words: Words<'a>,
    title: String,
    refresh: bool,
    /// What happened, as HTML (the number bold, left to right).
    text: &'a str,
    /// The link's token, for the "No" the page offers when no screen shows a number.
    token: &'a str,
    /// The wrong pick ended the request (`end_on_wrong_pick`): no "No" to offer.
    ended: bool,
}

#[derive(Template)]
#[template(path = "pages/outbox.html")]
struct OutboxPage<'a> {
    words: Words<'a>,
    title: &'a str,
    refresh: bool,
    messages: &'a [OutboxMessage],
}

/// A page as an answer: no outside content, no script but the local time's, not cached, no
/// referrer (these pages hold working links).
fn page(status: StatusCode, template: &impl Template) -> Response {
    let html = match template.render() {
        Ok(html) => html,
        Err(error) => return ApiError::internal(format!("a page: {error}")).into_response(),
    };
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, POLICY.clone());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// The language a page is written in: the phone's own (`Accept-Language`, which may differ
/// from the computer's), then `request`'s (the language its email was written in), then the
/// server's default.
fn page_words<'a>(state: &'a AppState, headers: &HeaderMap, request: Option<&str>) -> Words<'a> {
    let phone = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(languages::accepted)
        .unwrap_or_default();
    state
        .languages
        .pick(phone.iter().map(String::as_str).chain(request))
}

/// Stands for a link's number in a message, until [`bold_number`] puts the number in.
const NUMBER_MARK: &str = "\u{e000}";

/// `text` (a message formatted with [`NUMBER_MARK`] for its number) as HTML, the number in a
/// bold left-to-right run of ASCII digits whatever the language's direction.
fn bold_number(text: &str, number: &str) -> String {
    escape_html(text).replace(
        NUMBER_MARK,
        &format!("<b dir=\"ltr\">{}</b>", escape_html(number)),
    )
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The server's own page, for its operator: in English, as the outbox and the logs are.
async fn index(State(state): State<AppState>) -> Response {
    page(
        StatusCode::OK,
        &Index {
            words: state.languages.pick(["en"]),
            title: "beckon-server",
            refresh: false,
            dev: state.dev,
        },
    )
}

/// The link's token: the one `t` of the form or the query. A link with two is not one this
/// server made (it adds exactly one), so neither is read.
fn token_from(query: Option<&str>, form: Option<&[u8]>) -> Option<String> {
    let from = |bytes: &[u8]| {
        let mut tokens = url::form_urlencoded::parse(bytes).filter(|(k, _)| k == "t");
        let token = tokens.next().map(|(_, v)| v.into_owned());
        if tokens.next().is_some() {
            return None;
        }
        token.filter(|t| !t.is_empty())
    };
    form.and_then(from)
        .or_else(|| query.and_then(|q| from(q.as_bytes())))
}

/// The first value of `key` in a query string.
fn query_value(query: Option<&str>, key: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// "Yes" pressed on a confirm page after its request expired (the page was open too long).
fn expired_while_open(words: Words<'_>) -> Response {
    page(
        StatusCode::GONE,
        &Notice::new(
            words,
            words.tr("expired-open-title"),
            words.tr("expired-open-heading"),
            words.tr("expired-open-text"),
        ),
    )
}

/// Why a link could not be used, as a page.
fn link_problem(words: Words<'_>, error: Error) -> Response {
    match error.refusal() {
        Some(Refusal::Expired) => page(
            StatusCode::GONE,
            &Notice::new(
                words,
                words.tr("expired-title"),
                words.tr("expired-heading"),
                words.tr("expired-text"),
            ),
        ),
        Some(Refusal::NotFound | Refusal::Missing) => page(
            StatusCode::NOT_FOUND,
            &Notice::new(
                words,
                words.tr("invalid-title"),
                words.tr("invalid-heading"),
                words.tr("invalid-text"),
            ),
        ),
        Some(Refusal::UserDisabled) => page(
            StatusCode::FORBIDDEN,
            &Notice::new(
                words,
                words.tr("disabled-title"),
                words.tr("disabled-heading"),
                words.tr("disabled-text"),
            ),
        ),
        Some(Refusal::RateLimited(seconds)) => {
            let text = words.tr_with("too-many-text", &[("seconds", seconds.into())]);
            let title = words.tr("too-many-title");
            let mut response = page(
                StatusCode::TOO_MANY_REQUESTS,
                &Notice::new(words, title.clone(), title, text),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
        Some(_) => {
            // The description is for developers, in English; the page gives its code.
            let answer = ApiError::from(error);
            let title = words.tr("refused-title");
            let text = words.tr_with("refused-text", &[("code", answer.code.as_str().into())]);
            page(
                answer.status,
                &Notice::new(words, title.clone(), title, text),
            )
        }
        None => {
            // Mapping it logs it, with its request; the person sees only that it failed.
            drop(ApiError::from(error));
            let title = words.tr("failed-title");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                &Notice::new(words, title.clone(), title, words.tr("failed-text")),
            )
        }
    }
}

/// The pause email's link: what it would lift; GET changes nothing (mail scanners open every
/// link).
async fn allow_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let words = page_words(&state, &headers, None);
    let Some(token) = token_from(query.as_deref(), None) else {
        return link_problem(words, Error::missing("t"));
    };
    match signin::pause_to_allow(&state, &token).await {
        Ok((mailbox, until)) => {
            let minutes = u64::try_from(until - state.clock.now())
                .unwrap_or(1)
                .max(1)
                .div_ceil(60);
            let text = words.tr_with(
                "allow-text",
                &[
                    ("address", mailbox.as_str().into()),
                    ("minutes", minutes.into()),
                ],
            );
            page(
                StatusCode::OK,
                &AllowForm {
                    words,
                    title: words.tr("allow-title"),
                    refresh: false,
                    text,
                    token: &token,
                },
            )
        }
        Err(error) => pause_problem(words, error),
    }
}

/// "It was me": lifts the pause.
async fn allow(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    form: Bytes,
) -> Response {
    let words = page_words(&state, &headers, None);
    let Some(token) = token_from(query.as_deref(), Some(&form)) else {
        return link_problem(words, Error::missing("t"));
    };
    match signin::allow(&state, &token, ip).await {
        Ok(_) => {
            let title = words.tr("allowed-title");
            page(
                StatusCode::OK,
                &Notice {
                    tone: Some("good"),
                    ..Notice::new(words, title.clone(), title, words.tr("allowed-text"))
                },
            )
        }
        Err(error) => pause_problem(words, error),
    }
}

/// The sign-in notice's link: which sign-in, and a button that signs that device out; GET
/// changes nothing (mail scanners open every link).
async fn sign_out_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let words = page_words(&state, &headers, None);
    let Some(token) = token_from(query.as_deref(), None) else {
        return link_problem(words, Error::missing("t"));
    };
    let notice = match signin::notice(&state, &token).await {
        Ok(notice) => notice,
        Err(error) => return notice_problem(words, error),
    };
    let pause_button = pause_offer(&state, words);
    if notice.session_ended {
        return page(
            StatusCode::OK,
            &SignOutPage {
                words,
                title: words.tr("signout-already-title"),
                refresh: false,
                heading: words.tr("signout-already-heading"),
                text: words.tr("signout-again"),
                origin: Vec::new(),
                token: &token,
                done: true,
                pause_button,
            },
        );
    }
    let address = notice
        .requested_from
        .as_deref()
        .and_then(|a| a.parse().ok());
    let mut origin = Origin {
        place: state.places.place(address),
        address,
        device: notice.requested_by.clone(),
    }
    .lines(words);
    origin.push(OriginLine::when(words, words.when_utc(notice.created_at)));
    let text = words.tr_with(
        "signout-text",
        &[
            ("app", (*state.app_name).into()),
            ("address", notice.mailbox.as_str().into()),
        ],
    );
    let title = words.tr("signout-title");
    page(
        StatusCode::OK,
        &SignOutPage {
            words,
            title: title.clone(),
            refresh: false,
            heading: title,
            text,
            origin,
            token: &token,
            done: false,
            pause_button,
        },
    )
}

/// "This wasn't me": signs the device out and, with `pause=yes`, pauses sign-ins.
async fn sign_out(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    form: Bytes,
) -> Response {
    let words = page_words(&state, &headers, None);
    let Some(token) = token_from(query.as_deref(), Some(&form)) else {
        return link_problem(words, Error::missing("t"));
    };
    let pause = url::form_urlencoded::parse(&form).any(|(k, v)| k == "pause" && v == "yes");
    match signin::sign_out(&state, &token, pause, ip).await {
        Ok(done) if pause => {
            let text = if done.paused {
                words.tr_with(
                    "signout-paused-text",
                    &[("minutes", state.pause_after_decline.div_ceil(60).into())],
                )
            } else {
                words.tr("signout-paused-already")
            };
            page(
                StatusCode::OK,
                &SignOutPage {
                    words,
                    title: words.tr("signout-paused-title"),
                    refresh: false,
                    heading: words.tr("signout-paused-heading"),
                    text,
                    origin: Vec::new(),
                    token: &token,
                    done: true,
                    pause_button: None,
                },
            )
        }
        Ok(_) => page(
            StatusCode::OK,
            &SignOutPage {
                words,
                title: words.tr("signout-done-title"),
                refresh: false,
                heading: words.tr("signout-done-heading"),
                text: words.tr("signout-done-text"),
                origin: Vec::new(),
                token: &token,
                done: true,
                pause_button: pause_offer(&state, words),
            },
        ),
        Err(error) => notice_problem(words, error),
    }
}

/// The pause the notice's page may offer, as its button says it (none when pauses are off).
fn pause_offer(state: &AppState, words: Words<'_>) -> Option<String> {
    (state.pause_after_decline > 0).then(|| {
        words.tr_with(
            "signout-pause-button",
            &[("minutes", state.pause_after_decline.div_ceil(60).into())],
        )
    })
}

/// A notice link that signs nothing out: unknown, or run out.
fn notice_problem(words: Words<'_>, error: Error) -> Response {
    match error.refusal() {
        Some(Refusal::NotFound) => page(
            StatusCode::NOT_FOUND,
            &Notice::new(
                words,
                words.tr("invalid-title"),
                words.tr("invalid-heading"),
                words.tr("notice-invalid-text"),
            ),
        ),
        _ => link_problem(words, error),
    }
}

/// A pause link that lifts nothing: the pause ended or was lifted already.
fn pause_problem(words: Words<'_>, error: Error) -> Response {
    match error.refusal() {
        Some(Refusal::NotFound) => page(
            StatusCode::NOT_FOUND,
            &Notice::new(
                words,
                words.tr("no-pause-title"),
                words.tr("no-pause-heading"),
                words.tr("no-pause-text"),
            ),
        ),
        _ => link_problem(words, error),
    }
}

/// The person's answer on the confirm page: "Yes" unless the form says `answer=no` (a form
/// from before the second button had only "Yes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Yes,
    No,
}

fn answer_from(form: &[u8]) -> Answer {
    let no = url::form_urlencoded::parse(form).any(|(k, v)| k == "answer" && v == "no");
    if no {
        Answer::No
    } else {
        Answer::Yes
    }
}

/// After "Yes": where the sign-in is, until the device has collected it. It reloads itself
/// while it waits (no JavaScript), and says so plainly if the device never comes.
async fn status_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(handle) = query_value(query.as_deref(), "s").filter(|h| !h.is_empty()) else {
        return link_problem(page_words(&state, &headers, None), Error::missing("s"));
    };
    let (progress, pending) = match signin::progress(&state, &handle).await {
        Ok(found) => found,
        Err(error) => return link_problem(page_words(&state, &headers, None), error),
    };
    let words = page_words(&state, &headers, pending.locale.as_deref());
    let update = pending.mode == Mode::Update;
    let notice =
        |title: String, heading: String, text: String| Notice::new(words, title, heading, text);
    let notice = match (progress, update) {
        (Progress::Waiting, update) => Notice {
            refresh: true,
            ..notice(
                words.tr("waiting-title"),
                words.tr("waiting-heading"),
                if update {
                    words.tr("waiting-update")
                } else {
                    words.tr("waiting-sign-in")
                },
            )
        },
        (Progress::Collected, false) => Notice {
            tone: Some("good"),
            ..notice(
                words.tr("signed-in-title"),
                words.tr("signed-in-heading"),
                words.tr("close-page"),
            )
        },
        (Progress::Collected, true) => Notice {
            tone: Some("good"),
            ..notice(
                words.tr("confirmed-title"),
                words.tr("confirmed-heading"),
                words.tr("close-page"),
            )
        },
        (Progress::Missed, _) => Notice {
            tone: Some("bad"),
            ..notice(
                words.tr("missed-title"),
                words.tr("missed-heading"),
                words.tr("missed-text"),
            )
        },
    };
    page(StatusCode::OK, &notice)
}

/// GET never confirms: mail scanners open every link (docs/wire.md §4.4).
async fn confirm_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(token) = token_from(query.as_deref(), None) else {
        return link_problem(page_words(&state, &headers, None), Error::missing("t"));
    };
    match signin::peek(&state, &token).await {
        Ok(link) => {
            let words = page_words(&state, &headers, link.pending.locale.as_deref());
            if link.pending.method == Method::Magic {
                return magic_link_elsewhere(words);
            }
            match signin::merge_notice_for(&state, &link.pending, words).await {
                Ok(notice) => {
                    signin::viewed(&state, &link.pending).await;
                    confirm_form(&state, words, &link, &token, notice.as_deref())
                }
                Err(error) => link_problem(words, error),
            }
        }
        Err(error) => link_problem(page_words(&state, &headers, None), error),
    }
}

/// A magic link hands its session to whoever verifies it, so it belongs in the app that
/// asked (its `URI`), not on this page: the page verifies nothing.
fn magic_link_elsewhere(words: Words<'_>) -> Response {
    let title = words.tr("magic-elsewhere-title");
    page(
        StatusCode::OK,
        &Notice::new(
            words,
            title.clone(),
            title,
            words.tr("magic-elsewhere-text"),
        ),
    )
}

fn confirm_form(
    state: &AppState,
    words: Words<'_>,
    link: &Link,
    token: &str,
    notice: Option<&str>,
) -> Response {
    let pending = &link.pending;
    let app = || (*state.app_name).into();
    let number = link.number.as_deref().unwrap_or_default();
    let origin = Origin {
        place: state.places.place(pending.requested_from),
        address: pending.requested_from,
        device: pending.requested_by.clone(),
    };
    let (title, button, who) = match pending.mode {
        Mode::Update => (
            words.tr_with("confirm-title-update", &[("app", app())]),
            words.tr("confirm-yes-update"),
            words.tr("confirm-who-update"),
        ),
        _ => (
            words.tr_with("confirm-title-sign-in", &[("app", app())]),
            words.tr("confirm-yes-sign-in"),
            words.tr("confirm-who-sign-in"),
        ),
    };
    let only_if = bold_number(
        &words.tr_with("confirm-only-if", &[("number", NUMBER_MARK.into())]),
        number,
    );
    let form = ConfirmForm {
        words,
        title: &title,
        refresh: false,
        number,
        only_if: &only_if,
        notice,
        token,
        button: &button,
        who: &who,
        email: pending.address(),
        origin: origin.lines(words),
        ago: &signin::format_ago(words, state.clock.now() - pending.created_at),
        at: &words.when_utc(pending.created_at),
        at_iso: &signin::format_iso(pending.created_at),
        script: LOCAL_TIME,
    };
    page(StatusCode::OK, &form)
}

async fn confirm(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    form: Bytes,
) -> Response {
    let Some(token) = token_from(query.as_deref(), Some(&form)) else {
        return link_problem(page_words(&state, &headers, None), Error::missing("t"));
    };
    // The link is read once: its kind, number and language decide the page, and `verify`
    // and `decline` check it again inside their own limits.
    let link = signin::peek(&state, &token).await.ok();
    let words = page_words(
        &state,
        &headers,
        link.as_ref().and_then(|l| l.pending.locale.as_deref()),
    );
    if answer_from(&form) == Answer::No {
        let minutes = state.pause_after_decline.div_ceil(60);
        let note = if minutes > 0 {
            words.tr_with("declined-note-paused", &[("minutes", minutes.into())])
        } else {
            words.tr("declined-note")
        };
        return match signin::decline(&state, &token, ip).await {
            Ok(_) => page(
                StatusCode::OK,
                &Notice {
                    note: Some(note),
                    ..Notice::new(
                        words,
                        words.tr("declined-title"),
                        words.tr("declined-heading"),
                        words.tr("declined-text"),
                    )
                },
            ),
            Err(error) => link_problem(words, error),
        };
    }
    if link
        .as_ref()
        .is_some_and(|l| l.pending.method == Method::Magic)
    {
        return magic_link_elsewhere(words);
    }
    match signin::verify(&state, &token, Method::Enchanted, None, ip).await {
        // Followed by its own page (a GET, so reloading it confirms nothing again).
        Ok(link) => match signin::status_handle(&state, &link.pending).await {
            Ok(handle) => {
                let to = format!("{}/status?s={handle}", state.confirm_url().path());
                let mut response = StatusCode::SEE_OTHER.into_response();
                if let Ok(location) = HeaderValue::from_str(&to) {
                    response.headers_mut().insert(header::LOCATION, location);
                }
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                response
            }
            Err(error) => link_problem(words, error),
        },
        Err(error) if error.refusal() == Some(Refusal::WrongLink) => {
            let number = link.and_then(|l| l.number).unwrap_or_default();
            let ended = state.end_on_wrong_pick;
            let text = if ended {
                words.tr_with("wrong-ended", &[("number", NUMBER_MARK.into())])
            } else {
                words.tr_with("wrong-kept", &[("number", NUMBER_MARK.into())])
            };
            page(
                StatusCode::BAD_REQUEST,
                &WrongNumber {
                    words,
                    title: words.tr("wrong-title"),
                    refresh: false,
                    text: &bold_number(&text, &number),
                    token: &token,
                    ended,
                },
            )
        }
        // The page was opened in time and answered too late: say what to do, not only that.
        Err(error) if error.refusal() == Some(Refusal::Expired) => expired_while_open(words),
        Err(error) => link_problem(words, error),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutboxMessage {
    id: i64,
    /// `sign_in` (a message with sign-in links), `paused` (the owner told of a pause) or
    /// `notice` ("New sign-in to <app>").
    kind: String,
    to: String,
    subject: String,
    text: String,
    html: String,
    created_at: String,
    links: Vec<MessageLink>,
}

/// `/dev/outbox`, newest first; `?to=ADDRESS` lists only the messages to it.
async fn outbox(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let to = query_value(query.as_deref(), "to");
    let rows = match state.store.dev_messages(to.as_deref(), OUTBOX_LIMIT).await {
        Ok(rows) => rows,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let messages: Vec<OutboxMessage> = rows
        .into_iter()
        .map(|row| OutboxMessage {
            id: row.id,
            kind: row.kind,
            to: row.recipient,
            subject: row.subject,
            text: row.text_body,
            html: row.html_body,
            created_at: time::OffsetDateTime::from_unix_timestamp(row.created_at)
                .ok()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default(),
            links: serde_json::from_str(&row.links_json).unwrap_or_default(),
        })
        .collect();
    if !wants_html {
        let mut response = Json(messages).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    page(
        StatusCode::OK,
        &OutboxPage {
            words: state.languages.pick(["en"]),
            title: "Outbox",
            refresh: true,
            messages: &messages,
        },
    )
}

/// Which project this server is, so a desktop app can find it by the server's URL alone. The
/// project ID is public (every client sends it), so any client may ask.
async fn project(State(state): State<AppState>) -> Json<ProjectResponse> {
    Json(ProjectResponse {
        project_id: state.project_id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::Place;
    use crate::support::renders::assert_renders_as;

    static LANGUAGES: std::sync::LazyLock<crate::languages::Languages> =
        std::sync::LazyLock::new(crate::languages::Languages::shipped);

    fn render(template: &impl Template) -> String {
        template.render().unwrap()
    }

    fn confirm_page(tag: &str, notice: Option<&str>) -> String {
        let words = LANGUAGES.pick([tag]);
        let only_if = bold_number(
            &words.tr_with("confirm-only-if", &[("number", NUMBER_MARK.into())]),
            "47",
        );
        render(&ConfirmForm {
            words,
            title: &words.tr_with("confirm-title-sign-in", &[("app", "Beckon <dev>".into())]),
            refresh: false,
            number: "47",
            only_if: &only_if,
            notice,
            token: "tok&en\"1",
            button: &words.tr("confirm-yes-sign-in"),
            who: &words.tr("confirm-who-sign-in"),
            email: "ada@example.com",
            origin: Origin {
                place: Place::Near("Lisbon, Portugal".into()),
                address: Some("203.0.113.9".parse().unwrap()),
                device: Some("\"Beckon/0.1 (X11; Linux)\" <b>".into()),
            }
            .lines(words),
            ago: &crate::signin::format_ago(words, 120),
            at: &words.when_utc(1_796_403_600),
            at_iso: "2026-12-04T17:00:00Z",
            script: LOCAL_TIME,
        })
    }

    #[test]
    fn each_page_renders_as_kept() {
        let en = LANGUAGES.pick(["en"]);
        assert_renders_as("page_confirm.html", &confirm_page("en", None));
        assert_renders_as(
            "page_confirm_merge.html",
            &confirm_page("en", Some("This merges two accounts & <one> stays.")),
        );
        let mut notice = Notice::new(
            en,
            "Signed in".into(),
            "You're signed in".into(),
            "Go back to your computer.".into(),
        );
        assert_renders_as("page_notice.html", &render(&notice));
        notice.refresh = true;
        notice.tone = Some("good");
        notice.note = Some("You can close this page <now>.".into());
        assert_renders_as("page_notice_toned.html", &render(&notice));
        for dev in [false, true] {
            assert_renders_as(
                &format!("page_index_dev_{dev}.html"),
                &render(&Index {
                    words: en,
                    title: "beckon-server",
                    refresh: false,
                    dev,
                }),
            );
        }
        assert_renders_as(
            "page_allow.html",
            &render(&AllowForm {
                words: en,
                title: "Allow sign-ins again?".into(),
                refresh: false,
                text: "No sign-in links are sent to ada@example.com <for now>.".into(),
                token: "tok&en\"1",
            }),
        );
        let wrong = |ended| WrongNumber {
            words: en,
            title: "Not this one".into(),
            refresh: false,
            text: "This is link <b dir=\"ltr\">12</b>.",
            token: "tok&en\"1",
            ended,
        };
        assert_renders_as("page_wrong_number.html", &render(&wrong(false)));
        assert_renders_as("page_wrong_number_ended.html", &render(&wrong(true)));
        assert_renders_as(
            "page_signout.html",
            &render(&SignOutPage {
                words: en,
                title: "Sign that device out?".into(),
                refresh: false,
                heading: "Sign that device out?".into(),
                text:
                    "This signs out the device that signed in to Beckon <dev> as ada@example.com."
                        .into(),
                origin: Origin {
                    place: Place::Near("Lisbon, Portugal".into()),
                    address: None,
                    device: Some("Acme/2.0 <b>".into()),
                }
                .lines(en),
                token: "tok&en\"1",
                done: false,
                pause_button: Some("Also pause sign-ins for 15 minutes".into()),
            }),
        );
        assert_renders_as(
            "page_signout_done.html",
            &render(&SignOutPage {
                words: en,
                title: "Signed out".into(),
                refresh: false,
                heading: "That device is signed out".into(),
                text: "It has to sign in again.".into(),
                origin: Vec::new(),
                token: "tok&en\"1",
                done: true,
                pause_button: Some("Also pause sign-ins for 15 minutes".into()),
            }),
        );
        let mut messages = Vec::new();
        assert_renders_as(
            "page_outbox_empty.html",
            &render(&OutboxPage {
                words: en,
                title: "Outbox",
                refresh: true,
                messages: &messages,
            }),
        );
        messages.push(OutboxMessage {
            id: 7,
            kind: "sign_in".into(),
            to: "ada@example.com".into(),
            subject: "Your Beckon <dev> sign-in link".into(),
            text: String::new(),
            html: String::new(),
            created_at: "2026-12-04 17:00:00".into(),
            links: vec![
                MessageLink {
                    number: Some("12".into()),
                    url: "https://auth.example/confirm?t=a&b=1".into(),
                },
                MessageLink {
                    number: None,
                    url: "https://auth.example/confirm?t=c".into(),
                },
            ],
        });
        assert_renders_as(
            "page_outbox.html",
            &render(&OutboxPage {
                words: en,
                title: "Outbox",
                refresh: true,
                messages: &messages,
            }),
        );
    }

    #[test]
    fn the_confirm_page_renders_in_each_language() {
        for tag in ["de", "es", "ar", "en-XA", "ar-XB"] {
            assert_renders_as(
                &format!("page_confirm_{tag}.html"),
                &confirm_page(tag, None),
            );
        }
    }

    #[test]
    fn the_number_is_a_bold_left_to_right_run_and_the_rest_is_escaped() {
        assert_eq!(
            bold_number(&format!("<x> {NUMBER_MARK} & y"), "4<7"),
            "&lt;x&gt; <b dir=\"ltr\">4&lt;7</b> &amp; y"
        );
    }
}
