//! `GET /v2/keys/{projectId}` (docs/wire.md §6.5).

use axum::extract::{Path, State};
use axum::Json;
use beckon_proto::KeySet;

use super::error::ApiResult;
use crate::domain::{Error, Refusal};
use crate::state::AppState;

pub async fn jwks(
    State(state): State<AppState>,
    Path(project_id): Path<String>,
) -> ApiResult<Json<KeySet>> {
    if *project_id != *state.project_id {
        return Err(Error::refused(Refusal::WrongProject, "Unknown project").into());
    }
    Ok(Json(KeySet {
        keys: state.keys.jwks(state.clock.now()),
    }))
}
