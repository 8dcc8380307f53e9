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
use crate::places::Origin;
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
    title: &'a str,
    refresh: bool,
    heading: &'a str,
    /// `good` or `bad`, for the heading's colour.
    tone: Option<&'a str>,
    text: &'a str,
    note: Option<&'a str>,
}

impl<'a> Notice<'a> {
    fn new(title: &'a str, heading: &'a str, text: &'a str) -> Self {
        Self {
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
struct Index {
    title: &'static str,
    refresh: bool,
    dev: bool,
}

#[derive(Template)]
#[template(path = "pages/confirm.html")]
struct ConfirmForm<'a> {
    title: &'a str,
    refresh: bool,
    number: &'a str,
    notice: Option<&'a str>,
    token: &'a str,
    button: &'a str,
    who: &'a str,
    email: &'a str,
    /// Where, from which address, what device (`places::Origin::lines`).
    origin: [(&'static str, String); 3],
    /// "2 minutes ago".
    ago: &'a str,
    /// The time in UTC, which [`LOCAL_TIME`] turns into the phone's own.
    at: &'a str,
    at_iso: &'a str,
    script: &'static str,
}

/// The confirm page's one script, allowed by its hash (the page's CSP): the request's time in
/// the phone's own time zone. Without it the page reads right, in UTC.
const LOCAL_TIME: &str = "document.querySelectorAll(\"time[data-local]\").forEach(function(t){\
var d=new Date(t.getAttribute(\"datetime\"));\
if(!isNaN(d.getTime()))t.textContent=d.toLocaleString([],{dateStyle:\"medium\",timeStyle:\"short\"})})";

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
    title: &'a str,
    refresh: bool,
    heading: &'a str,
    text: &'a str,
    /// The sign-in's place, address, device and time; empty after the sign-out.
    origin: Vec<(&'static str, String)>,
    token: &'a str,
    /// The device is signed out (the page then offers the pause, if `pause_minutes`).
    done: bool,
    pause_minutes: Option<u32>,
}

/// The page of the pause email's link: a form, since only its POST lifts the pause.
#[derive(Template)]
#[template(path = "pages/allow.html")]
struct AllowForm<'a> {
    title: &'a str,
    refresh: bool,
    heading: &'a str,
    text: &'a str,
    token: &'a str,
}

#[derive(Template)]
#[template(path = "pages/wrong_number.html")]
struct WrongNumber<'a> {
    title: &'a str,
    refresh: bool,
    number: &'a str,
    /// The link's token, for the "No" the page offers when no screen shows a number.
    token: &'a str,
    /// The wrong pick ended the request (`end_on_wrong_pick`): no "No" to offer.
    ended: bool,
}

#[derive(Template)]
#[template(path = "pages/outbox.html")]
struct OutboxPage<'a> {
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

async fn index(State(state): State<AppState>) -> Response {
    page(
        StatusCode::OK,
        &Index {
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
fn expired_while_open() -> Response {
    page(
        StatusCode::GONE,
        &Notice::new(
            "Sign-in expired",
            "This sign-in expired while the page was open",
            "Nothing was signed in. Start the sign-in again on your computer: a new email will \
             arrive, and its links work for a few minutes.",
        ),
    )
}

/// Why a link could not be used, as a page.
fn link_problem(error: Error) -> Response {
    match error.refusal() {
        Some(Refusal::Expired) => page(
            StatusCode::GONE,
            &Notice::new(
                "Link expired",
                "This link has expired",
                "Sign-in links last a few minutes. Start again on your computer and a new \
                 email will arrive.",
            ),
        ),
        Some(Refusal::NotFound | Refusal::Missing) => page(
            StatusCode::NOT_FOUND,
            &Notice::new(
                "Link not valid",
                "This link is no longer valid",
                "It was used already, or it expired. If you are not signed in yet, start again \
                 on your computer.",
            ),
        ),
        Some(Refusal::UserDisabled) => page(
            StatusCode::FORBIDDEN,
            &Notice::new(
                "Account disabled",
                "This account is disabled",
                "Nobody was signed in. An administrator disabled this account; ask them to \
                 enable it again.",
            ),
        ),
        Some(Refusal::RateLimited(seconds)) => {
            let text = format!(
                "This address or network asked too often. Try the link again in {seconds} \
                 seconds."
            );
            let mut response = page(
                StatusCode::TOO_MANY_REQUESTS,
                &Notice::new("Too many tries", "Too many tries", &text),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
        Some(_) => {
            let answer = ApiError::from(error);
            page(
                answer.status,
                &Notice::new("Cannot sign in", "Cannot sign in", &answer.description),
            )
        }
        None => {
            // Mapping it logs it, with its request; the person sees only that it failed.
            drop(ApiError::from(error));
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                &Notice::new(
                    "Something went wrong",
                    "Something went wrong",
                    "The server could not check this link. Try again in a moment.",
                ),
            )
        }
    }
}

/// The pause email's link: what it would lift; GET changes nothing (mail scanners open every
/// link).
async fn allow_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let Some(token) = token_from(query.as_deref(), None) else {
        return link_problem(Error::missing("t"));
    };
    match signin::pause_to_allow(&state, &token).await {
        Ok((mailbox, until)) => {
            let minutes = u64::try_from(until - state.clock.now())
                .unwrap_or(1)
                .max(1)
                .div_ceil(60);
            let text = format!(
                "After a \u{201c}No, this wasn't me\u{201d}, no sign-in links are sent to {mailbox} \
                 for {minutes} more minute{s}. If the sign-in you refused was you after all, \
                 allow them again now.",
                s = if minutes == 1 { "" } else { "s" }
            );
            page(
                StatusCode::OK,
                &AllowForm {
                    title: "Allow sign-ins again?",
                    refresh: false,
                    heading: "Allow sign-ins again?",
                    text: &text,
                    token: &token,
                },
            )
        }
        Err(error) => pause_problem(error),
    }
}

/// "It was me": lifts the pause.
async fn allow(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RawQuery(query): RawQuery,
    form: Bytes,
) -> Response {
    let Some(token) = token_from(query.as_deref(), Some(&form)) else {
        return link_problem(Error::missing("t"));
    };
    match signin::allow(&state, &token, ip).await {
        Ok(_) => page(
            StatusCode::OK,
            &Notice {
                tone: Some("good"),
                ..Notice::new(
                    "Sign-ins allowed again",
                    "Sign-ins allowed again",
                    "Start the sign-in again on your computer: a new email will arrive.",
                )
            },
        ),
        Err(error) => pause_problem(error),
    }
}

/// The sign-in notice's link: which sign-in, and a button that signs that device out; GET
/// changes nothing (mail scanners open every link).
async fn sign_out_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let Some(token) = token_from(query.as_deref(), None) else {
        return link_problem(Error::missing("t"));
    };
    let notice = match signin::notice(&state, &token).await {
        Ok(notice) => notice,
        Err(error) => return notice_problem(error),
    };
    let pause_minutes = pause_offer(&state);
    if notice.session_ended {
        return page(
            StatusCode::OK,
            &SignOutPage {
                title: "Signed out already",
                refresh: false,
                heading: "That device is signed out already",
                text: "It has to sign in again, which needs a tap on a link sent to you.",
                origin: Vec::new(),
                token: &token,
                done: true,
                pause_minutes,
            },
        );
    }
    let address = notice
        .requested_from
        .as_deref()
        .and_then(|a| a.parse().ok());
    let mut origin: Vec<(&'static str, String)> = Origin {
        place: state.places.place(address),
        address,
        device: notice.requested_by.clone(),
    }
    .lines()
    .into();
    origin.push(("When", signin::format_time(notice.created_at)));
    let text = format!(
        "This signs out the device that signed in to {} as {}. Your other devices stay          signed in.",
        state.app_name, notice.mailbox
    );
    page(
        StatusCode::OK,
        &SignOutPage {
            title: "Sign that device out?",
            refresh: false,
            heading: "Sign that device out?",
            text: &text,
            origin,
            token: &token,
            done: false,
            pause_minutes,
        },
    )
}

/// "This wasn't me": signs the device out and, with `pause=yes`, pauses sign-ins.
async fn sign_out(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RawQuery(query): RawQuery,
    form: Bytes,
) -> Response {
    let Some(token) = token_from(query.as_deref(), Some(&form)) else {
        return link_problem(Error::missing("t"));
    };
    let pause = url::form_urlencoded::parse(&form).any(|(k, v)| k == "pause" && v == "yes");
    match signin::sign_out(&state, &token, pause, ip).await {
        Ok(done) if pause => {
            let text = if done.paused {
                format!(
                    "No new sign-in emails go to this address for {} minutes. We emailed you                      a way to allow them again.",
                    state.pause_after_decline.div_ceil(60)
                )
            } else {
                "Sign-in emails to this address are paused already.".to_owned()
            };
            page(
                StatusCode::OK,
                &SignOutPage {
                    title: "Sign-ins paused",
                    refresh: false,
                    heading: "Signed out, and sign-ins paused",
                    text: &text,
                    origin: Vec::new(),
                    token: &token,
                    done: true,
                    pause_minutes: None,
                },
            )
        }
        Ok(_) => page(
            StatusCode::OK,
            &SignOutPage {
                title: "Signed out",
                refresh: false,
                heading: "That device is signed out",
                text: "It has to sign in again, which needs a tap on a link sent to you. If                        you did not ask for any sign-in, someone else may read your email:                        change its password.",
                origin: Vec::new(),
                token: &token,
                done: true,
                pause_minutes: pause_offer(&state),
            },
        ),
        Err(error) => notice_problem(error),
    }
}

/// The pause the notice's page may offer, in minutes (none when pauses are off).
fn pause_offer(state: &AppState) -> Option<u32> {
    (state.pause_after_decline > 0).then(|| state.pause_after_decline.div_ceil(60))
}

/// A notice link that signs nothing out: unknown, or run out.
fn notice_problem(error: Error) -> Response {
    match error.refusal() {
        Some(Refusal::NotFound) => page(
            StatusCode::NOT_FOUND,
            &Notice::new(
                "Link not valid",
                "This link is no longer valid",
                "The sign-in it was about has ended. To sign every device out, use the app's                  own sign-out, or ask whoever runs your sign-in server.",
            ),
        ),
        _ => link_problem(error),
    }
}

/// A pause link that lifts nothing: the pause ended or was lifted already.
fn pause_problem(error: Error) -> Response {
    match error.refusal() {
        Some(Refusal::NotFound) => page(
            StatusCode::NOT_FOUND,
            &Notice::new(
                "No pause to lift",
                "Sign-ins are not paused",
                "The pause has ended or was lifted already: sign-in links are sent again. \
                 Start the sign-in on your computer.",
            ),
        ),
        _ => link_problem(error),
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
async fn status_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let Some(handle) = query_value(query.as_deref(), "s").filter(|h| !h.is_empty()) else {
        return link_problem(Error::missing("s"));
    };
    let (progress, pending) = match signin::progress(&state, &handle).await {
        Ok(found) => found,
        Err(error) => return link_problem(error),
    };
    let update = pending.mode == Mode::Update;
    let notice = match (progress, update) {
        (Progress::Waiting, false) => Notice {
            refresh: true,
            ..Notice::new(
                "Waiting for your computer",
                "Waiting for your computer\u{2026}",
                "You confirmed. Your computer signs in as soon as it hears; keep this page \
                 open to see it happen.",
            )
        },
        (Progress::Waiting, true) => Notice {
            refresh: true,
            ..Notice::new(
                "Waiting for your computer",
                "Waiting for your computer\u{2026}",
                "You confirmed the address. Your computer shows it as soon as it hears.",
            )
        },
        (Progress::Collected, false) => Notice {
            tone: Some("good"),
            ..Notice::new(
                "Signed in",
                "Your computer is signed in",
                "You can close this page.",
            )
        },
        (Progress::Collected, true) => Notice {
            tone: Some("good"),
            ..Notice::new(
                "Address confirmed",
                "Your computer shows the new address",
                "You can close this page.",
            )
        },
        (Progress::Missed, _) => Notice {
            tone: Some("bad"),
            ..Notice::new(
                "Your computer did not sign in",
                "Your computer did not pick this up in time",
                "You confirmed, but the computer that asked stopped waiting before it heard. \
                 Nobody was signed in. Start again on your computer.",
            )
        },
    };
    page(StatusCode::OK, &notice)
}

/// GET never confirms: mail scanners open every link (docs/wire.md §4.4).
async fn confirm_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let Some(token) = token_from(query.as_deref(), None) else {
        return link_problem(Error::missing("t"));
    };
    match signin::peek(&state, &token).await {
        Ok(link) if link.pending.method == Method::Magic => magic_link_elsewhere(),
        Ok(link) => match signin::merge_notice_for(&state, &link.pending).await {
            Ok(notice) => {
                signin::viewed(&state, &link.pending).await;
                confirm_form(&state, &link, &token, notice.as_deref())
            }
            Err(error) => link_problem(error),
        },
        Err(error) => link_problem(error),
    }
}

/// A magic link hands its session to whoever verifies it, so it belongs in the app that
/// asked (its `URI`), not on this page: the page verifies nothing.
fn magic_link_elsewhere() -> Response {
    page(
        StatusCode::OK,
        &Notice::new(
            "Open this link in the app",
            "Open this link in the app",
            "This sign-in link signs in the device that opens it, through the app that asked \
             for it. This page cannot do that, so nothing happened here.",
        ),
    )
}

fn confirm_form(state: &AppState, link: &Link, token: &str, notice: Option<&str>) -> Response {
    let pending = &link.pending;
    let app_name = &state.app_name;
    let number = link.number.as_deref().unwrap_or_default();
    let origin = Origin {
        place: state.places.place(pending.requested_from),
        address: pending.requested_from,
        device: pending.requested_by.clone(),
    };
    let (title, button, who) = match pending.mode {
        Mode::Update => (
            format!("Use this address for {app_name}?"),
            "Yes, use this address",
            "New address",
        ),
        _ => (
            format!("Sign in to {app_name}?"),
            "Yes, sign me in",
            "Signing in as",
        ),
    };
    let form = ConfirmForm {
        title: &title,
        refresh: false,
        number,
        notice,
        token,
        button,
        who,
        email: pending.address(),
        origin: origin.lines(),
        ago: &signin::format_ago(state.clock.now() - pending.created_at),
        at: &signin::format_time(pending.created_at),
        at_iso: &signin::format_iso(pending.created_at),
        script: LOCAL_TIME,
    };
    page(StatusCode::OK, &form)
}

async fn confirm(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RawQuery(query): RawQuery,
    form: Bytes,
) -> Response {
    let Some(token) = token_from(query.as_deref(), Some(&form)) else {
        return link_problem(Error::missing("t"));
    };
    if answer_from(&form) == Answer::No {
        let minutes = state.pause_after_decline.div_ceil(60);
        let note = if minutes > 0 {
            format!(
                "If you did not ask to sign in, someone typed your address: every sign-in link \
                 sent to it stopped working, and no new ones are sent for {minutes} minute{s}. \
                 We emailed you a way to allow them again if this was you after all.",
                s = if minutes == 1 { "" } else { "s" }
            )
        } else {
            "If you did not ask to sign in, someone typed your address: every sign-in link sent \
             to it stopped working."
                .to_owned()
        };
        return match signin::decline(&state, &token, ip).await {
            Ok(_) => page(
                StatusCode::OK,
                &Notice {
                    note: Some(&note),
                    ..Notice::new(
                        "Sign-in declined",
                        "Declined: nobody was signed in",
                        "All the links in this email stopped working, and your computer was \
                         told. Nobody can get in without a tap on your phone.",
                    )
                },
            ),
            Err(error) => link_problem(error),
        };
    }
    // The link is read once: its kind and number decide the page, and `verify` checks it
    // again inside its own limits.
    let link = match signin::peek(&state, &token).await {
        Ok(link) if link.pending.method == Method::Magic => return magic_link_elsewhere(),
        Ok(link) => Some(link),
        Err(_) => None,
    };
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
            Err(error) => link_problem(error),
        },
        Err(error) if error.refusal() == Some(Refusal::WrongLink) => {
            let number = link.and_then(|l| l.number).unwrap_or_default();
            page(
                StatusCode::BAD_REQUEST,
                &WrongNumber {
                    title: "Wrong number",
                    refresh: false,
                    number: &number,
                    token: &token,
                    ended: state.end_on_wrong_pick,
                },
            )
        }
        // The page was opened in time and answered too late: say what to do, not only that.
        Err(error) if error.refusal() == Some(Refusal::Expired) => expired_while_open(),
        Err(error) => link_problem(error),
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

    fn render(template: &impl Template) -> String {
        template.render().unwrap()
    }

    #[test]
    fn each_page_renders_as_kept() {
        let confirm = |notice| ConfirmForm {
            title: "Sign in to Beckon <dev>?",
            refresh: false,
            number: "47",
            notice,
            token: "tok&en\"1",
            button: "Yes, sign me in",
            who: "Signing in as",
            email: "ada@example.com",
            origin: Origin {
                place: Place::Near("Lisbon, Portugal".into()),
                address: Some("203.0.113.9".parse().unwrap()),
                device: Some("\"Beckon/0.1 (X11; Linux)\" <b>".into()),
            }
            .lines(),
            ago: "2 minutes ago",
            at: "2026-12-04 17:00 UTC",
            at_iso: "2026-12-04T17:00:00Z",
            script: LOCAL_TIME,
        };
        assert_renders_as("page_confirm.html", &render(&confirm(None)));
        assert_renders_as(
            "page_confirm_merge.html",
            &render(&confirm(Some("This merges two accounts & <one> stays."))),
        );
        let mut notice = Notice::new("Signed in", "You're signed in", "Go back to your computer.");
        assert_renders_as("page_notice.html", &render(&notice));
        notice.refresh = true;
        notice.tone = Some("good");
        notice.note = Some("You can close this page <now>.");
        assert_renders_as("page_notice_toned.html", &render(&notice));
        for dev in [false, true] {
            assert_renders_as(
                &format!("page_index_dev_{dev}.html"),
                &render(&Index {
                    title: "beckon-server",
                    refresh: false,
                    dev,
                }),
            );
        }
        assert_renders_as(
            "page_allow.html",
            &render(&AllowForm {
                title: "Allow sign-ins again?",
                refresh: false,
                heading: "Allow sign-ins again?",
                text: "No sign-in links are sent to ada@example.com <for now>.",
                token: "tok&en\"1",
            }),
        );
        assert_renders_as(
            "page_wrong_number.html",
            &render(&WrongNumber {
                title: "Not this one",
                refresh: false,
                number: "12",
                token: "tok&en\"1",
                ended: false,
            }),
        );
        assert_renders_as(
            "page_signout.html",
            &render(&SignOutPage {
                title: "Sign that device out?",
                refresh: false,
                heading: "Sign that device out?",
                text:
                    "This signs out the device that signed in to Beckon <dev> as ada@example.com.",
                origin: vec![
                    ("Where", "Near Lisbon, Portugal (approximate)".into()),
                    (
                        "Device",
                        "\u{201c}Acme/2.0 <b>\u{201d} (as it says; not checked)".into(),
                    ),
                    ("When", "2026-12-04 17:02 UTC".into()),
                ],
                token: "tok&en\"1",
                done: false,
                pause_minutes: Some(15),
            }),
        );
        assert_renders_as(
            "page_signout_done.html",
            &render(&SignOutPage {
                title: "Signed out",
                refresh: false,
                heading: "That device is signed out",
                text: "It has to sign in again.",
                origin: Vec::new(),
                token: "tok&en\"1",
                done: true,
                pause_minutes: Some(15),
            }),
        );
        assert_renders_as(
            "page_wrong_number_ended.html",
            &render(&WrongNumber {
                title: "Not this one",
                refresh: false,
                number: "12",
                token: "tok&en\"1",
                ended: true,
            }),
        );
        let mut messages = Vec::new();
        assert_renders_as(
            "page_outbox_empty.html",
            &render(&OutboxPage {
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
                title: "Outbox",
                refresh: true,
                messages: &messages,
            }),
        );
    }
}
