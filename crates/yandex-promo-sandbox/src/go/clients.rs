//! The corporate clients of a token (`/integration/2.0/auth/list`): the ids it may name in
//! `X-YaTaxi-Selected-Corp-Client-Id`, with their names from the config.
use std::sync::Arc;

use axum::{
    Json, Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
};
use yandex_promo_raw::{
    go::types::{ClientList, CorpClient},
    open::ClientRole,
};

use super::caller::Token;
use crate::state::Shared;

/// The route of the clients of a token.
pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/integration/2.0/auth/list", get(list_clients))
}

async fn list_clients(State(shared): State<Arc<Shared>>, token: Token) -> Response {
    let clients = token
        .clients(&shared)
        .into_iter()
        .map(|id| CorpClient {
            client_id: id.to_owned(),
            name: Some(
                shared
                    .config
                    .client_names
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| format!("Client {id}")),
            ),
            role: Some(ClientRole::Client),
        })
        .collect();
    Json(ClientList { clients }).into_response()
}
