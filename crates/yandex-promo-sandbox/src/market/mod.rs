//! Market's promos family under `/v2/businesses/{businessId}/promos`: `getPromos` with seeded
//! promotions, and the offers of each promo (list, put in, take out), each operation with its
//! own hourly budget (420 past it, `X-RateLimit-Resource-*` on every answer).
use std::sync::Arc;

use axum::{Router, routing::post};

use crate::state::Shared;

mod gate;
mod offers;
mod promos;

/// The routes of the Market promos API.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/v2/businesses/{business_id}/promos",
            post(promos::get_promos),
        )
        .route(
            "/v2/businesses/{business_id}/promos/offers",
            post(offers::get_promo_offers),
        )
        .route(
            "/v2/businesses/{business_id}/promos/offers/update",
            post(offers::update_promo_offers),
        )
        .route(
            "/v2/businesses/{business_id}/promos/offers/delete",
            post(offers::delete_promo_offers),
        )
}
