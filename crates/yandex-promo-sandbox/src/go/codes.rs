//! The codes of an order (`/integration/2.0/promocodes/orders/codes/list`): listed once the
//! order is issued, in pages behind opaque cursors, each with its usages (oldest first) and
//! whether it is revoked.
use std::sync::Arc;

use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use yandex_promo_raw::{
    go::types::{Code, CodeListResponse, CodeUsage},
    open::CodeStatus,
};

use super::{
    caller::{Caller, reject},
    orders::owned_order,
    store::StoredCode,
};
use crate::{envelope::Refusal, state::Shared};

/// The route of an order's codes.
pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(
        "/integration/2.0/promocodes/orders/codes/list",
        get(list_codes),
    )
}

async fn list_codes(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Response, Refusal> {
    let limit = caller.limit(Some(100))?;
    let offset = match caller.params.get("cursor") {
        None => 0,
        Some(cursor) => decode_cursor(cursor)
            .ok_or_else(|| reject(StatusCode::BAD_REQUEST, "BAD_REQUEST", "invalid cursor"))?,
    };
    let mut data = shared.data();
    let (_, order) = owned_order(&caller, &mut data.go)?;
    // Codes are listed once the order is issued; a failed order has none.
    let visible = if order.ready(shared.config.ready_after) && !order.fails {
        order.codes.len()
    } else {
        0
    };
    let end = offset.saturating_add(limit).min(visible);
    let codes = order
        .codes
        .get(offset.min(end)..end)
        .unwrap_or_default()
        .iter()
        .map(code_view)
        .collect();
    let next_cursor = (end < visible).then(|| encode_cursor(end));
    Ok(Json(CodeListResponse { codes, next_cursor }).into_response())
}

/// Cursors are opaque to clients: an offset, salted so nobody is tempted to compute one.
fn encode_cursor(offset: usize) -> String {
    format!("{:x}", (offset as u64) ^ CURSOR_SALT)
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    u64::from_str_radix(cursor, 16)
        .ok()
        .and_then(|n| usize::try_from(n ^ CURSOR_SALT).ok())
}

const CURSOR_SALT: u64 = 0x5EED_C0DE_0000_0000;

fn code_view(code: &StoredCode) -> Code {
    Code {
        id: code.id.clone(),
        code: code.code.clone(),
        status: if code.used_at.is_empty() {
            CodeStatus::Active
        } else {
            CodeStatus::Used
        },
        is_revoked: code.revoked,
        usages: code
            .used_at
            .iter()
            .map(|used_at| CodeUsage { used_at: *used_at })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        for offset in [0, 1, 100, 999_999] {
            assert_eq!(decode_cursor(&encode_cursor(offset)), Some(offset));
        }
        assert_eq!(decode_cursor("not-hex"), None);
    }
}
