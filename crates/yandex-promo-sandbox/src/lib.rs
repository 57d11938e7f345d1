//! A stateful fake of the two Yandex promo APIs, for tests and for trying the client without
//! credentials, as stripe-mock is for Stripe.
//!
//! It serves every operation of both specs on their real paths (Go for Business under
//! `/integration/2.0/promocodes/...`, Market under `/v2/...`), so a client needs nothing but
//! a base URL, and behaves as the services are documented to: the create limits (400 with
//! the vendor's error body), idempotency tokens (a repeated token returns the original order,
//! also under concurrency), `pending` orders that become `creation_success`, unique codes with
//! opaque cursors, 409 on cancelling an order whose codes were used, the corporate-client
//! rules of the 403 codes, Market's hourly budgets (one per operation) with their 420 and
//! rate-limit headers, and Market promos' assortments: offers with statuses and caps, every
//! documented refusal reason and warning, stable page tokens, and a configurable delay before
//! a change shows.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
//! println!("Go for Business at {}", sandbox.go_base_url());
//! println!("Market at {}", sandbox.market_base_url());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! For tests without a socket, [`router`] returns the `axum::Router` itself.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod admin;
mod assortment;
mod caller;
mod config;
mod envelope;
mod faults;
mod geo;
mod go;
mod handle;
mod market;
mod middleware;
mod rules;
mod server;
mod state;

pub use config::SandboxConfig;
pub use faults::{Failure, Faults};
pub use handle::SandboxHandle;
pub use server::{RunningSandbox, router, serve, start};
pub use state::LoggedRequest;
