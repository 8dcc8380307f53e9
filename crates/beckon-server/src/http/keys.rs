//! `GET /v2/keys/{projectId}` (spec §6.5).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use crate::error::{codes, ApiError, ApiResult};
use crate::keys::Jwk;
use crate::AppState;

#[derive(Serialize)]
pub struct KeySet {
    keys: Vec<Jwk>,
}

pub async fn jwks(
    State(state): State<AppState>,
    Path(project_id): Path<String>,
) -> ApiResult<Json<KeySet>> {
    if *project_id != *state.project_id {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            codes::INVALID_PROJECT,
            "Unknown project",
        ));
    }
    Ok(Json(KeySet {
        keys: state.keys.jwks(state.clock.now()),
    }))
}
