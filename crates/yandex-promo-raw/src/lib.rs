//! Low-level clients for two Yandex promo APIs, generated at build time by
//! [progenitor](https://github.com/oxidecomputer/progenitor) from the specs in `openapi/`.
//!
//! - [`go`]: Yandex Go for Business promo code orders (`b2b-api.go.yandex.ru`).
//! - [`market`]: Yandex Market Partner API promos (`api.partner.market.yandex.ru`).
//!
//! Each module has its own `Client` with one builder per operation, and a `types` module with
//! every schema of its spec. Most users want the `yandex-promo` crate, which wraps these clients
//! with validation, pagination, retries and typed errors; this crate is its escape hatch.
//!
//! Every `Client` carries [`RequestHeaders`] that it puts on each request: that is where
//! authentication goes (`Authorization: Bearer …` or `Api-Key: …`), since the specs'
//! security schemes are not generated into operations.
// docs.rs (and `cargo xtask ci`) build the docs with `--cfg docsrs`: items behind a feature
// get a badge naming it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(unreachable_pub)]

mod digits;
mod hooks;
pub mod open;
mod operation;

pub use digits::{Digits, NotDigits};
pub use hooks::{
    REQUEST_ID_HEADERS, RequestHeaders, ResponseMeta, WithResponseMeta, request_id,
    with_response_meta, with_response_status, with_timeout,
};
pub use operation::Operation;
/// progenitor's error and response types, which [`go`] and [`market`] share: code that
/// handles both APIs names them here rather than through either module.
pub use progenitor_client::{Error, ResponseValue};

/// What the exported `open_enum!` macro needs, under paths the caller's crate can reach.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "schemars")]
    pub use crate::open::open_enum_schema;
    #[cfg(feature = "schemars")]
    pub use schemars;
    pub use serde;
}

/// Yandex Go for Business: promo code orders (`/integration/2.0/promocodes/...`).
#[allow(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    clippy::all,
    clippy::unwrap_used
)]
pub mod go {
    include!(concat!(env!("OUT_DIR"), "/go.rs"));
}

/// Yandex Market Partner API: promos (`/v2/businesses/{businessId}/promos`).
#[allow(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    clippy::all,
    clippy::unwrap_used
)]
pub mod market {
    include!(concat!(env!("OUT_DIR"), "/market.rs"));
}
