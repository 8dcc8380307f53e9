//! Pages a person opens on the phone: the confirm page behind every link, and the development
//! outbox. Plain HTML forms, no JavaScript, readable on a small screen.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::error::{codes, ApiError};
use crate::http::ClientIp;
use crate::links;
use crate::store::{Link, Method, Mode};
use crate::AppState;

/// How many messages the outbox lists.
const OUTBOX_LIMIT: i64 = 50;

/// The pages, and in development mode the outbox (`dev`: nowhere else is it routed).
pub fn router(dev: bool) -> Router<AppState> {
    let pages = Router::new()
        .route("/", get(index))
        .route("/confirm", get(confirm_page).post(confirm))
        .route("/.well-known/beckon-project", get(project));
    if dev {
        pages.route("/dev/outbox", get(outbox))
    } else {
        pages
    }
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,sans-serif;margin:0;padding:24px;\
background:#f8fafc;color:#0f172a;line-height:1.45}main{max-width:440px;margin:auto}\
h1{font-size:1.5rem;margin:0 0 12px}.number{font-size:5.5rem;font-weight:800;letter-spacing:.04em;\
text-align:center;margin:12px 0;color:#4338ca}.muted{color:#475569;font-size:.95rem}\
button,.button{display:block;width:100%;box-sizing:border-box;font-size:1.2rem;padding:16px;\
border:0;border-radius:14px;background:#4338ca;color:#fff;font-weight:700;text-align:center;\
text-decoration:none;margin:16px 0}.card{background:#fff;border-radius:16px;padding:16px;\
margin:12px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}.links a{display:inline-block;min-width:64px;\
padding:12px 16px;margin:6px 8px 0 0;border-radius:12px;background:#eef2ff;color:#312e81;\
font-size:1.6rem;font-weight:800;text-decoration:none;text-align:center}\
.bad{color:#b91c1c}.good{color:#15803d}@media(prefers-color-scheme:dark){body{background:#0f172a;\
color:#e2e8f0}.card{background:#1e293b}.muted{color:#94a3b8}.number{color:#a5b4fc}\
.links a{background:#312e81;color:#e0e7ff}}";

fn page(status: StatusCode, title: &str, body: &str, refresh: bool) -> Response {
    let refresh = if refresh {
        "<meta http-equiv=\"refresh\" content=\"5\">"
    } else {
        ""
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">{refresh}\
         <title>{title}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        title = escape(title),
    );
    let mut response = (status, Html(html)).into_response();
    // These pages hold working links: no scripts, no outside content, not cached, no referrer.
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn index(State(state): State<AppState>) -> Response {
    let body = if state.dev {
        "<h1>beckon-server is running</h1><p class=\"muted\">In development mode: sign-in \
         messages are in the <a href=\"dev/outbox\">outbox</a>, not sent.</p>"
    } else {
        "<h1>beckon-server is running</h1>"
    };
    page(StatusCode::OK, "beckon-server", body, false)
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

fn link_problem(error: &ApiError) -> Response {
    match error.code {
        codes::EXPIRED => page(
            StatusCode::GONE,
            "Link expired",
            "<h1>This link has expired</h1><p>Sign-in links last a few minutes. Start again on \
             your computer and a new email will arrive.</p>",
            false,
        ),
        codes::NOT_FOUND | codes::MISSING_ARGUMENTS => page(
            StatusCode::NOT_FOUND,
            "Link not valid",
            "<h1>This link is no longer valid</h1><p>It was used already, or it expired. \
             If you are not signed in yet, start again on your computer.</p>",
            false,
        ),
        codes::RATE_LIMITED => {
            let mut response = page(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many tries",
                &format!(
                    "<h1>Too many tries</h1><p>This address or network asked too often. Try the \
                     link again in {} seconds.</p>",
                    error.retry_after.unwrap_or(60)
                ),
                false,
            );
            if let Some(seconds) = error.retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
        codes::INTERNAL => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "<h1>Something went wrong</h1><p>The server could not check this link. Try again in \
             a moment.</p>",
            false,
        ),
        _ => page(
            error.status,
            "Cannot sign in",
            &format!(
                "<h1>Cannot sign in</h1><p>{}</p>",
                escape(&error.description)
            ),
            false,
        ),
    }
}

/// GET never confirms: mail scanners open every link (ARCHITECTURE.md, flow step 3).
async fn confirm_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let Some(token) = token_from(query.as_deref(), None) else {
        return link_problem(&ApiError::missing("t"));
    };
    match links::peek(&state, &token).await {
        Ok(link) if link.pending.method == Method::Magic => magic_link_elsewhere(),
        Ok(link) => match links::merge_notice_for(&state, &link.pending).await {
            Ok(notice) => confirm_form(&link, &token, &state.app_name, notice.as_deref()),
            Err(error) => link_problem(&error),
        },
        Err(error) => link_problem(&error),
    }
}

/// A magic link hands its session to whoever verifies it, so it belongs in the app that
/// asked (its `URI`), not on this page: the page verifies nothing.
fn magic_link_elsewhere() -> Response {
    page(
        StatusCode::OK,
        "Open this link in the app",
        "<h1>Open this link in the app</h1><p>This sign-in link signs in the device that opens \
         it, through the app that asked for it. This page cannot do that, so nothing happened \
         here.</p>",
        false,
    )
}

fn confirm_form(link: &Link, token: &str, app_name: &str, notice: Option<&str>) -> Response {
    let pending = &link.pending;
    let number = link.number.as_deref().unwrap_or_default();
    // The requester's User-Agent: its own claim, shown as one.
    let device = pending.requested_by.as_deref().map_or_else(
        || "did not say".to_owned(),
        |ua| format!("\u{201c}{ua}\u{201d}"),
    );
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
    let body = format!(
        "<h1>{title}</h1>\
         <p class=\"muted\">This is link number</p><div class=\"number\" data-testid=\"number\">{number}</div>\
         <p>Confirm only if your computer shows <b>{number}</b>. If it shows another number, go back \
         to the email and tap that link instead.</p>{notice}\
         <form method=\"post\"><input type=\"hidden\" name=\"t\" value=\"{token}\">\
         <button type=\"submit\">{button}</button></form>\
         <div class=\"card muted\">{who} <b>{email}</b><br>The device that asked calls itself {device}<br>at {at}</div>\
         <p class=\"muted\">If you did not ask for this, close this page: nothing happens \
         without your tap.</p>",
        title = escape(&title),
        notice = notice
            .map(|n| format!("<p class=\"bad\" data-testid=\"merge\"><b>{}</b></p>", escape(n)))
            .unwrap_or_default(),
        number = escape(number),
        token = escape(token),
        email = escape(pending.address()),
        device = escape(&device),
        at = escape(&links::format_time(pending.created_at)),
    );
    page(StatusCode::OK, &title, &body, false)
}

async fn confirm(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RawQuery(query): RawQuery,
    form: Bytes,
) -> Response {
    let Some(token) = token_from(query.as_deref(), Some(&form)) else {
        return link_problem(&ApiError::missing("t"));
    };
    if let Ok(link) = links::peek(&state, &token).await {
        if link.pending.method == Method::Magic {
            return magic_link_elsewhere();
        }
    }
    match links::verify(&state, &token, Method::Enchanted, None, ip).await {
        Ok(link) if link.pending.mode == Mode::Update => page(
            StatusCode::OK,
            "Address confirmed",
            "<h1 class=\"good\">Address confirmed</h1><p>Your computer shows the new address \
             now. You can close this page.</p>",
            false,
        ),
        Ok(_) => page(
            StatusCode::OK,
            "Signed in",
            "<h1 class=\"good\">You're signed in</h1><p>Your computer is signing in now. You can \
             close this page.</p>",
            false,
        ),
        Err(error) if error.code == codes::WRONG_LINK => {
            let number = links::peek(&state, &token)
                .await
                .ok()
                .and_then(|l| l.number)
                .unwrap_or_default();
            page(
                StatusCode::BAD_REQUEST,
                "Wrong number",
                &format!(
                    "<h1 class=\"bad\">Not this one</h1><p>This is link <b>{}</b>, but your \
                     computer shows a different number. Go back to the email and tap the link \
                     with the number on your screen.</p><p class=\"muted\">Nothing was signed in; \
                     your links still work.</p>",
                    escape(&number)
                ),
                false,
            )
        }
        Err(error) => link_problem(&error),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutboxMessage {
    id: i64,
    to: String,
    subject: String,
    text: String,
    html: String,
    created_at: String,
    links: serde_json::Value,
}

async fn outbox(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let rows = match state.store.dev_outbox(OUTBOX_LIMIT).await {
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
    let mut body = String::from(
        "<h1>Outbox</h1><p class=\"muted\">Messages this server sent, newest first. Tap the \
         number your computer shows. This page refreshes by itself.</p>",
    );
    if messages.is_empty() {
        body.push_str("<div class=\"card muted\">No messages yet.</div>");
    }
    for message in &messages {
        let mut links = String::new();
        for link in message.links.as_array().into_iter().flatten() {
            let url = link.get("url").and_then(|u| u.as_str()).unwrap_or_default();
            let number = link
                .get("number")
                .and_then(|n| n.as_str())
                .unwrap_or("Open");
            links.push_str(&format!(
                "<a href=\"{}\">{}</a>",
                escape(url),
                escape(number)
            ));
        }
        body.push_str(&format!(
            "<div class=\"card\"><b>{subject}</b><div class=\"muted\">to {to} · {at}</div>\
             <div class=\"links\">{links}</div></div>",
            subject = escape(&message.subject),
            to = escape(&message.to),
            at = escape(&message.created_at),
        ));
    }
    page(StatusCode::OK, "Outbox", &body, true)
}

/// Which project this server is, so a desktop app can find it by the server's URL alone. The
/// project ID is public (every client sends it), so any client may ask.
async fn project(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "projectId": state.project_id }))
}
