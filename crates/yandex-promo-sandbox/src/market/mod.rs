//! Market's promos family under `/v2/businesses/{businessId}/promos`: `getPromos` with seeded
//! promotions, and the offers of each promo (list, put in, take out), each operation with its
//! own hourly budget (420 past it, `X-RateLimit-Resource-*` on every answer).
use std::sync::Arc;

use axum::Router;

use crate::state::Shared;
use gate::{Operation, route};

mod gate;
mod offers;
mod promos;

/// The routes of the Market promos API.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    let base = "/v2/businesses/{business_id}/promos";
    Router::new()
        .route(base, route(Operation::GetPromos, promos::list))
        .route(
            &format!("{base}/offers"),
            route(Operation::GetPromoOffers, offers::list),
        )
        .route(
            &format!("{base}/offers/update"),
            route(Operation::UpdatePromoOffers, offers::update),
        )
        .route(
            &format!("{base}/offers/delete"),
            route(Operation::DeletePromoOffers, offers::delete),
        )
}
