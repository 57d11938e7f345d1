//! A Rust client for two Yandex promo APIs, built on a client generated from OpenAPI specs:
//!
//! - [`go`]: **Yandex Go for Business**: promo code orders (create, list, get, cancel) and
//!   their codes; any number of codes issued in one crash-safe, resumable run
//!   ([`go::Issuance`]); the geo zones an order can be restricted to, and what the service
//!   offers at a place ([`go::GeoManager`]); the corporate clients a token may act for
//!   ([`go::CorpClientManager`]).
//! - [`market`]: **Yandex Market Partner API** promos: the promotions a seller may join, and
//!   the offers in one (list them, put them in at promo prices or at a Bestsellers level,
//!   take them out, or sync them with a desired list in batches), and a margin guard that
//!   finds offers priced below the seller's floors in every promo
//!   ([`market::PromoManager::guard`]).
//!
//! What it adds to the generated client ([`raw`]):
//! - **validation before sending**: [`go::NewOrder`] checks every rule the service enforces
//!   and reports all violations at once ([`ValidationError`]);
//! - **pagination as streams** that prefetch the next page and resume from a saved
//!   [`Cursor`] ([`Pages`], [`Items`]);
//! - **retries** with exponential backoff and full jitter ([`RetryPolicy`]); a create keeps
//!   its idempotency token on every attempt, so it never creates two orders; Market's
//!   single-offer throttle is waited out 20 s at a time, twice;
//! - **rate limits**: Market's 420 is waited out up to a bound, and an optional client-side
//!   limiter keeps to the documented budget ([`RateLimit`]);
//! - **one error type** with the status, the vendor's code as an enum ([`ErrorCode`]), what
//!   the answer means when the area recognised it ([`ApiErrorKind`]: Market's promo
//!   errors), and a body excerpt when a response does not decode ([`Error`]);
//! - finite **timeouts** by default, a `tracing` span per attempt, and credentials that never
//!   appear in `Debug` output, errors or logs.
//!
//! The shape follows the vendor's Python SDK: `PromocodeManager` → `.order` → `.code`. How
//! the modules are layered (a shared floor of calls, errors, retries and pagination that
//! knows neither API, with `go` and `market` above it) is drawn in the repository's
//! `docs/architecture.md`.
//!
//! ```no_run
//! use chrono::{Days, Utc};
//! use futures::TryStreamExt as _;
//! use yandex_promo::go::{GoClient, NewOrder};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = GoClient::builder("y0_your_oauth_token").build()?;
//! let orders = client.promocodes().order();
//!
//! let until = Utc::now().date_naive() + Days::new(30);
//! let created = orders.create(NewOrder::new(500, 20, until).name("Welcome")).send().await?;
//! println!("order {} (token {})", created.order_id, created.idempotency_token);
//!
//! let order = orders.get(&created.order_id).await?;
//! println!("status: {}", order.status);
//!
//! let codes: Vec<_> = orders.code().list(&created.order_id).stream().try_collect().await?;
//! println!("{} codes", codes.len());
//! # Ok(()) }
//! ```
// docs.rs (and `cargo xtask ci`) build the docs with `--cfg docsrs`: items behind a feature
// get a badge naming it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod call;
mod clock;
mod error;
pub mod go;
mod http;
mod limiter;
pub mod market;
mod observe;
mod pagination;
mod request;
mod retry;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{
    ApiError, ApiErrorKind, BoxError, EXCERPT_CHARS, Error, ErrorCode, ErrorEntry, IssuanceStop,
    JournalProblem, Result, ValidationError, Violation,
};
pub use http::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, USER_AGENT_VALUE};
pub use limiter::RateLimit;
pub use observe::{
    Attempt, AttemptKey, AttemptOutcome, CountingObserver, NextStep, Observer, Operation,
    TracingObserver,
};
pub use pagination::{Cursor, DEFAULT_PAGE_SIZE, Items, Listing, Page, PageError, Pages};
pub use request::{Call, Request};
pub use retry::RetryPolicy;

/// The generated low-level clients, for anything this crate does not wrap.
pub use yandex_promo_raw as raw;

/// The README's Rust examples, compiled by the doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
