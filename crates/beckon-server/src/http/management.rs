//! The management API Descope's official SDKs call for users and the audit trail
//! (`/v1/mgmt/…`, `/v2/mgmt/user/search`; docs/wire.md §10), with a management key:
//! `Authorization: Bearer <projectId>:<managementKey>`.
//!
//! Bodies are read as `beckon-proto`'s management types, which name every field: a field
//! Beckon supports is used; a field the SDKs always send is accepted while it is empty
//! (`roleNames: []`, `test: false`, `picture: null`); anything else is refused with the
//! field's name. Nothing is ignored: an ignored tenant filter on a delete would act on
//! everyone.

use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use beckon_proto::management::{
    CreateUser, SearchAudit, SearchUsers, Unused, UpdateUser, UpdateUserStatus, UserFields, UserRef,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::error::{ApiError, ApiResult};
use super::extractors::ClientIp;
use super::wire::{user_response, WireJson};
use crate::admin::{self, Operator, Who};
use crate::audit::{self, Event, Via};
use crate::domain::Error;
use crate::state::AppState;
use crate::store::{AuditFilter, AuditRow, UserDetails, UserFilter};

/// The routes, each behind the management key check.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/v1/mgmt/user/create", post(create))
        .route("/v1/mgmt/user", get(load))
        .route("/v2/mgmt/user/search", post(search))
        .route("/v1/mgmt/user/update", post(update))
        .route("/v1/mgmt/user/update/status", post(update_status))
        .route("/v1/mgmt/user/delete", post(delete))
        .route("/v1/mgmt/user/logout", post(logout))
        .route("/v1/mgmt/audit/search", post(audit_search))
        .route("/v1/mgmt/license", get(license))
        .route_layer(axum::middleware::from_fn_with_state(state, require_key))
}

/// The operator a request acts as, put there by [`require_key`].
#[derive(Clone)]
struct Acting(Operator);

/// `Bearer <projectId>:<managementKey>`, with this project and a current key. A session or
/// refresh JWT in the key's place is refused like any wrong key: management is never done
/// with a user's token.
async fn require_key(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    mut request: Request,
    next: Next,
) -> Response {
    let now = state.clock.now();
    // Over its limit of refusals an address is answered before any key is looked up.
    if let Err(retry_after) = state.management_refusals.check(ip, now) {
        state.metrics.rate_limited("management_refusals_per_ip");
        return ApiError::from(Error::rate_limited(retry_after)).into_response();
    }
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let refused = |error: Error| async {
        state.metrics.management_key_refused();
        if state.management_refusals.strike(ip, now) {
            let event = Event::new(audit::Action::ManagementKeyRefused, Via::Management)
                .from(ip, user_agent.as_deref())
                .detail("reason", error.to_string())
                .refused();
            audit::record(&state.store, now, event).await;
        }
        ApiError::from(error).into_response()
    };
    let no_key = |why: &str| {
        Error::refused(
            crate::domain::Refusal::NoManagementKey,
            "Invalid management key",
        )
        .with_message(why.to_owned())
    };
    let value = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(rest) = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, rest)| rest.trim())
    else {
        return refused(no_key(
            "Send Authorization: Bearer <projectId>:<managementKey>",
        ))
        .await;
    };
    let (project, key) = rest.split_once(':').unwrap_or((rest, ""));
    if project != &*state.project_id {
        return refused(no_key("The Authorization header names another project")).await;
    }
    if key.is_empty() || key.contains(':') || key.contains('.') {
        return refused(no_key(
            "Send Authorization: Bearer <projectId>:<managementKey>; a user's JWT is not a \
             management key",
        ))
        .await;
    }
    match admin::check_key(&state.store, now, key).await {
        Ok(key_id) => {
            request.extensions_mut().insert(Acting(Operator {
                via: Via::Management,
                key_id: Some(key_id),
                ip,
                user_agent,
            }));
            next.run(request).await
        }
        Err(error) if error.refusal() == Some(crate::domain::Refusal::NoManagementKey) => {
            refused(error).await
        }
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// A management body read as its `beckon-proto` type (`beckon_proto::management`), which names
/// every field it takes: a field it does not name, or an unused one sent with a value, is
/// refused with its name; a field of the wrong type is refused with its name and what it
/// should be.
fn read<T: DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    if !body.is_object() {
        return Err(ApiError::bad_request(
            "The request body must be a JSON object",
        ));
    }
    serde_path_to_error::deserialize(body).map_err(|error| {
        let field = error.path().to_string();
        let why = error.into_inner().to_string();
        if why.starts_with("unknown field") || why.starts_with(Unused::REFUSAL) {
            unsupported(&field)
        } else {
            invalid(format!("The {field} field is not valid: {why}"))
        }
    })
}

fn invalid(description: String) -> ApiError {
    ApiError::from(Error::invalid(description))
}

fn unsupported(field: &str) -> ApiError {
    ApiError::from(
        Error::invalid(format!("The {field} field is not supported by this server")).with_message(
            format!(
                "beckon-server has no {field}; nothing was done. Leave it out (or empty) and \
                 send only the fields docs/wire.md §10.2 lists"
            ),
        ),
    )
}

/// The user's details in a create or update body.
fn details(user: UserFields) -> UserDetails {
    UserDetails {
        email: user.email,
        phone: user.phone,
        name: user.name,
        given_name: user.given_name,
        middle_name: user.middle_name,
        family_name: user.family_name,
        verified_email: user.verified_email,
        verified_phone: user.verified_phone,
    }
}

/// `enabled` or `disabled` (Descope's `invited` and `expired` are not Beckon's).
fn status(value: Option<String>) -> Result<Option<bool>, ApiError> {
    match value.as_deref() {
        None => Ok(None),
        Some("enabled") => Ok(Some(false)),
        Some("disabled") => Ok(Some(true)),
        Some(other) => Err(invalid(format!(
            "The status {other:?} is not supported: use enabled or disabled"
        ))),
    }
}

/// The user a body names: `loginId` or `userId`, exactly one.
fn who(login_id: Option<String>, user_id: Option<String>) -> Result<WhoOwned, ApiError> {
    match (login_id, user_id) {
        (Some(login), None) if !login.is_empty() => Ok(WhoOwned::LoginId(login)),
        (None, Some(id)) if !id.is_empty() => Ok(WhoOwned::UserId(id)),
        (Some(_), Some(_)) => Err(invalid("Give loginId or userId, not both".to_owned())),
        _ => Err(ApiError::from(Error::missing("loginId"))),
    }
}

/// A body that names a user and nothing else (delete, logout).
fn only_who(body: Value) -> Result<WhoOwned, ApiError> {
    let body: UserRef = read(body)?;
    who(body.login_id, body.user_id)
}

enum WhoOwned {
    LoginId(String),
    UserId(String),
}

impl WhoOwned {
    fn as_who(&self) -> Who<'_> {
        match self {
            WhoOwned::LoginId(l) => Who::LoginId(l),
            WhoOwned::UserId(u) => Who::UserId(u),
        }
    }
}

fn user_answer(user: &crate::domain::User) -> Json<Value> {
    Json(json!({ "user": user_response(user) }))
}

async fn create(
    State(state): State<AppState>,
    Extension(Acting(operator)): Extension<Acting>,
    WireJson(body): WireJson<Value>,
) -> ApiResult<Json<Value>> {
    let body: CreateUser = read(body)?;
    let user = body.user();
    let login_id = body
        .login_id
        .ok_or_else(|| ApiError::from(Error::missing("loginId")))?;
    let mut login_ids = vec![login_id];
    login_ids.extend(body.additional_login_ids);
    let details = details(user);
    let disabled = status(body.status)?.unwrap_or(false);
    let user = admin::create_user(
        &state.store,
        &operator,
        state.clock.now(),
        &login_ids,
        details,
        disabled,
    )
    .await?;
    Ok(user_answer(&user))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LoadQuery {
    login_id: Option<String>,
    user_id: Option<String>,
}

async fn load(
    State(state): State<AppState>,
    query: Result<Query<LoadQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(query) = query.map_err(|_| {
        invalid("Load takes loginId or userId in the query, and nothing else".to_owned())
    })?;
    let user = match (&query.login_id, &query.user_id) {
        (Some(login), None) => admin::find(&state.store, Who::LoginId(login)).await?,
        (None, Some(id)) => admin::find(&state.store, Who::UserId(id)).await?,
        (Some(_), Some(_)) => return Err(invalid("Give loginId or userId, not both".into())),
        (None, None) => return Err(ApiError::from(Error::missing("loginId"))),
    };
    Ok(user_answer(&user))
}

/// The most users one search answers.
const MAX_PAGE: i64 = 1000;

async fn search(
    State(state): State<AppState>,
    WireJson(body): WireJson<Value>,
) -> ApiResult<Json<Value>> {
    let body: SearchUsers = read(body)?;
    let limit = match body.limit.unwrap_or(0) {
        0 => 100,
        n if (1..=MAX_PAGE).contains(&n) => n,
        _ => return Err(invalid(format!("The limit field must be 0 to {MAX_PAGE}"))),
    };
    let page = body.page.unwrap_or(0);
    if page < 0 {
        return Err(invalid("The page field must not be negative".into()));
    }
    let statuses = &body.statuses;
    let disabled = match (
        statuses.iter().any(|s| s == "enabled"),
        statuses.iter().any(|s| s == "disabled"),
    ) {
        _ if statuses.iter().any(|s| s != "enabled" && s != "disabled") => {
            return Err(invalid(
                "The statuses field may hold enabled and disabled only".into(),
            ))
        }
        (true, false) => Some(false),
        (false, true) => Some(true),
        _ => None,
    };
    let login_ids = body
        .login_ids
        .iter()
        .map(|l| admin::login_id(l))
        .collect::<Result<Vec<_>, _>>()?;
    let ms_to_s = |ms: Option<i64>| ms.map(|ms| ms.div_euclid(1000));
    let filter = UserFilter {
        user_ids: body.user_ids,
        login_ids,
        emails: body
            .emails
            .into_iter()
            .map(|e| e.trim().to_lowercase())
            .collect(),
        phones: body.phones,
        disabled,
        text: body.text.filter(|t| !t.is_empty()),
        created_from: ms_to_s(body.from_created_time),
        created_to: ms_to_s(body.to_created_time),
        limit,
        offset: page.saturating_mul(limit),
    };
    let (users, total) = admin::search_users(&state.store, &filter).await?;
    let users: Vec<_> = users.iter().map(user_response).collect();
    Ok(Json(json!({ "users": users, "total": total })))
}

async fn update(
    State(state): State<AppState>,
    Extension(Acting(operator)): Extension<Acting>,
    WireJson(body): WireJson<Value>,
) -> ApiResult<Json<Value>> {
    let body: UpdateUser = read(body)?;
    let details = details(body.user());
    let who = who(body.login_id, body.user_id)?;
    let user = admin::update_user(
        &state.store,
        &operator,
        state.clock.now(),
        who.as_who(),
        details,
    )
    .await?;
    Ok(user_answer(&user))
}

async fn update_status(
    State(state): State<AppState>,
    Extension(Acting(operator)): Extension<Acting>,
    WireJson(body): WireJson<Value>,
) -> ApiResult<Json<Value>> {
    let body: UpdateUserStatus = read(body)?;
    let who = who(body.login_id, body.user_id)?;
    let disabled = status(body.status)?.ok_or_else(|| ApiError::from(Error::missing("status")))?;
    let user = admin::set_disabled(
        &state.store,
        &operator,
        state.clock.now(),
        who.as_who(),
        disabled,
    )
    .await?;
    Ok(user_answer(&user))
}

async fn delete(
    State(state): State<AppState>,
    Extension(Acting(operator)): Extension<Acting>,
    WireJson(body): WireJson<Value>,
) -> ApiResult<Json<Value>> {
    let who = only_who(body)?;
    admin::delete_user(&state.store, &operator, state.clock.now(), who.as_who()).await?;
    Ok(Json(json!({})))
}

async fn logout(
    State(state): State<AppState>,
    Extension(Acting(operator)): Extension<Acting>,
    WireJson(body): WireJson<Value>,
) -> ApiResult<Json<Value>> {
    let who = only_who(body)?;
    admin::sign_out(&state.store, &operator, state.clock.now(), who.as_who()).await?;
    Ok(Json(json!({})))
}

/// The most events one audit search answers.
const MAX_AUDITS: i64 = 1000;

async fn audit_search(
    State(state): State<AppState>,
    WireJson(body): WireJson<Value>,
) -> ApiResult<Json<Value>> {
    let body: SearchAudit = read(body)?;
    let limit = match body.limit.unwrap_or(0) {
        0 => 100,
        n if (1..=MAX_AUDITS).contains(&n) => n,
        _ => {
            return Err(invalid(format!(
                "The limit field must be 0 to {MAX_AUDITS}"
            )))
        }
    };
    // `noTenants` only widens a tenant filter, and there are no tenants: either value is
    // the same search.
    let _ = body.no_tenants;
    let filter = AuditFilter {
        user_ids: body.user_ids,
        login_ids: body.external_ids,
        actions: body.actions,
        excluded_actions: body.excluded_actions,
        remote_addresses: body.remote_addresses,
        methods: body.methods,
        from_ms: body.from,
        to_ms: body.to,
        text: body.text.filter(|t| !t.is_empty()),
        limit,
    };
    let (events, total) = admin::search_audit(&state.store, &filter).await?;
    let audits: Vec<Value> = events
        .iter()
        .map(|e| audit_answer(&state.project_id, e))
        .collect();
    Ok(Json(json!({ "audits": audits, "total": total })))
}

/// An event as Descope's audit search answers it.
pub fn audit_answer(project_id: &str, event: &AuditRow) -> Value {
    let mut data = event.data.clone();
    data.insert("outcome".into(), event.outcome.clone().into());
    if let Some(ua) = &event.user_agent {
        data.insert("userAgent".into(), ua.clone().into());
    }
    json!({
        "projectId": project_id,
        "userId": event.user_id.clone().unwrap_or_default(),
        "action": event.action,
        "occurred": event.occurred_ms.to_string(),
        "device": "",
        "method": event.method.clone().unwrap_or_default(),
        "geo": "",
        "remoteAddress": event.remote_ip.clone().unwrap_or_default(),
        "externalIds": event.login_id.iter().collect::<Vec<_>>(),
        "tenants": [],
        "data": data,
    })
}

/// The SDKs ask for the project's rate-limit tier when they start; Beckon has none.
async fn license() -> Json<Value> {
    Json(json!({}))
}
