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
//!
//! # Layout
//!
//! Two wings shaped like the client's `go/` and `market/` modules, over shared plumbing at
//! the root. Each file imports only files on the lines below its own:
//!
//! ```text
//! server.rs           the router: both wings, the test controls, the middleware
//! admin.rs            the test controls over HTTP
//! go/  market/        the wings' routes and handlers (the wings never import each other;
//!                     the order inside each is in its module docs)
//! handle.rs           the test controls in-process
//! middleware.rs       request log, latency, injected faults, errors in envelopes
//! state.rs            Shared: the config, and one mutex over Data (the wings' stores, the
//!                     request log, the fault plan)
//! go/store.rs         the Go wing's memory: orders, codes, tokens, zones
//! market/store.rs     the Market wing's memory: budget windows, and the assortment model
//!                     (market/assortment.rs over prices.rs over seed.rs)
//! envelope.rs  faults.rs  config.rs   the floor: they import nothing of the crate
//! ```
//!
//! So no two files import each other, directly or through a circle: a wing's handlers import
//! `state.rs` for `Shared`, and `state.rs` imports only the wings' `store.rs` files, which
//! import their wing's model and the config, never a handler or the root state. The sandbox
//! shares no code with the client crate (`yandex-promo`): it is a second, independent reading
//! of the vendors' documentation.
#![forbid(unsafe_code)]
#![warn(unreachable_pub)]
#![deny(missing_docs)]

mod admin;
mod config;
mod envelope;
mod faults;
mod go;
mod handle;
mod market;
mod middleware;
mod server;
mod state;

pub use config::SandboxConfig;
pub use faults::{Failure, Faults};
pub use handle::SandboxHandle;
pub use server::{RunningSandbox, router, serve, start};
pub use state::LoggedRequest;
