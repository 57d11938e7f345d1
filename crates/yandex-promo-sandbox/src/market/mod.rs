//! The Market wing: Market's promos family under `/v2/businesses/{businessId}/promos`,
//! `getPromos` with seeded promotions and the offers of each promo (list, put in, take out),
//! each operation with its own hourly budget (420 past it, `X-RateLimit-Resource-*` on every
//! answer). Shaped like the client's `market/` module.
//!
//! - the model, lowest first: [`seed`] (what the business starts with), [`prices`] (the price
//!   rules and warnings), [`assortment`] (the catalogue and each promo's offers, with their
//!   operations) and [`store`] (what the wing keeps in the sandbox's memory);
//! - the handlers: [`gate`] (what every operation does first: budget, credentials,
//!   `businessId`), [`promos`] (`getPromos`) and [`offers`] (the three offer operations).
//!
//! The model files import no handler and nothing of the crate outside `market/`, so the
//! root's `state.rs` can hold [`store::MarketData`]; the handlers reach it through the shared
//! state.
use std::sync::Arc;

use axum::Router;

use crate::state::Shared;
use gate::{Operation, route};

mod assortment;
mod gate;
mod offers;
mod prices;
mod promos;
mod seed;
pub(crate) mod store;

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
