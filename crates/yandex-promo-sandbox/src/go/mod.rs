//! The Go for Business wing: every operation of `go-business.yaml` under
//! `/integration/2.0/`, shaped like the client's `go/` module (orders, codes, geo, clients).
//!
//! - [`caller`]: who a request acts for (token, corporate client) and its query parameters;
//! - [`rules`]: the documented rules of a create body, read independently of the client;
//! - [`store`]: what the wing keeps in the sandbox's memory (orders, codes, tokens, zones);
//! - [`demo`]: the usage demo's orders, made through `store` (for the root's handle);
//! - [`orders`], [`codes`], [`geo`], [`clients`]: the handlers, one file per area.
//!
//! The handlers import `caller`, `rules` and `store` (and `orders` lends `codes` its look-up
//! of the order a query names); none of those three imports a handler, and `store` imports
//! nothing of the crate but the config, so the root's `state.rs` can hold it. `demo` imports
//! only `store`.
use std::sync::Arc;

use axum::Router;

use crate::state::Shared;

mod caller;
mod clients;
mod codes;
pub(crate) mod demo;
mod geo;
mod orders;
mod rules;
pub(crate) mod store;

/// The routes of the Go for Business API, relative to the server root.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    orders::routes()
        .merge(codes::routes())
        .merge(geo::routes())
        .merge(clients::routes())
}
