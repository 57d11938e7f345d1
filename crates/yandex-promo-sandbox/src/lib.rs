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
//! # Seeded data
//!
//! Market starts with five promos (the same for every `businessId`), each with numbered
//! eligible offers (`SKU-0001`, ...) whose status, prices and shops follow from the number,
//! so runs repeat: `sb_direct_now` (a current direct discount, offers 1 to 60),
//! `sb_flash_soon` (a flash sale that starts soon, 31 to 80), `sb_promocode_now` (a current
//! promo-code promo, 1 to 20; offers carry no prices), `sb_bestsellers_next` ("Market
//! Bestsellers" starting soon, 41 to 100) and `sb_past_flash` (a flash sale that ended last
//! month, 1 to 10). Offer `n`: `n % 10` of 0 to
//! 2 is `MANUAL`, 3 `AUTO`, 4 `PARTIALLY_AUTO`, in "Market Bestsellers" 5 `RENEWED`, 6
//! `RENEW_FAILED` and 7 `MINIMUM_FOR_PROMOS`, the rest `NOT_PARTICIPATING`; catalogue price
//! `500 + (37 n mod 4500)` roubles, `maxPromoPrice` 90% of it but for every fourth offer;
//! every seventh offer has a shop selling it at 85%, every eleventh is not eligible in one
//! shop. In "Market Bestsellers" every offer also carries `bestPriceLevels` (and no other
//! promo's offers do): from `base`, its `maxPromoPrice` (90% of the catalogue price when it
//! has none), `lightBestLevel` is `base`, `bestLevel` 96% of it, `superBestLevel` 92% and
//! `topBestLevel` 88%, so they are ordered, positive and within the cap.
//!
//! Promo prices: the seller's `MANUAL` offers sit at 80% of the catalogue price, but offers
//! 21, 51, 81, 111, ... (`n % 30 == 21`) at 70%; Market chose the prices of its own
//! additions, 65% for `AUTO`, 68% for `PARTIALLY_AUTO` and 72% for `RENEWED`;
//! `MINIMUM_FOR_PROMOS` offers are in at their `maxPromoPrice`. For the margin guard,
//! [`SandboxHandle::demo_floors`] gives a seller's floors: 75% of the catalogue price, none
//! for every eighth offer, 95% for `SKU-0002` (above its cap). Against them the guard finds
//! Market's additions below the floor in three promos (`sb_direct_now`, `sb_flash_soon`,
//! `sb_bestsellers_next`), manual offers to raise (`SKU-0021`, `SKU-0051`, `SKU-0081`), and
//! `SKU-0002` to take out, as its floor is over its cap; `sb_promocode_now` carries no
//! prices and is skipped.
//!
//! Market may change a promo's conditions while offers take part, and the docs warn of it:
//! [`SandboxHandle::shift_market_conditions`] (or `POST
//! /__sandbox/market/promos/{promo}/conditions {"percent": N}`) sets a promo's caps and
//! levels to N% of the seeded ones; the `price` and `promoPrice` the seller set never move.
//!
//! # Market's promo errors
//!
//! The offers operations answer the promo errors of Market's error catalogue as 400s with its
//! exact messages (and the `X-RateLimit-Resource-*` headers, like every answer):
//!
//! - "Promo has ended" on `getPromoOffers`, `updatePromoOffers` and `deletePromoOffers` for a
//!   promo whose period is over (`sb_past_flash`) or that was ended with
//!   [`SandboxHandle::end_promo`] (or `POST /__sandbox/market/promos/{promo}/end`);
//! - the single-offer throttle ("The limit for promo update requests with a single offerId has
//!   been exceeded. ...") on updates and deletes that carry one offer id, past
//!   [`SandboxConfig::market_single_offer_limit`] such requests for the same promo in its
//!   window (by default 30 a minute, the sandbox's own choice: Market publishes no figure);
//!   it is apart from the hourly budget and its 420;
//! - "Not enough parameters in request: ..." and "Too many parameters in request: ..." on a
//!   delete with neither or both of `offerIds` and `deleteAllOffers`.
//!
//! They come with code `BAD_REQUEST`, as the catalogue shows today, or with the typed codes
//! `PROMO_ENDED` and `PROMO_SINGLE_OFFER_TASK_LIMIT_EXCEEDED` under
//! [`SandboxConfig::market_typed_errors`]. The fault [`Failure::Deprecated403`] answers the
//! catalogue's 403 for a deprecated method.
//!
//! **An assumption:** the docs say `getPromoOffers`' deprecated `statusType` "будет отключен
//! 12.10.2026" (will be switched off on 2026-10-12) and not how a request that still sends it
//! is answered after that. The sandbox takes it that such a request is refused: from that
//! date (by [`SandboxConfig::today`], Moscow time by default) a request with `statusType` gets
//! a 400 `BAD_REQUEST` "statusType was switched off on 2026-10-12: use statuses"; before it,
//! the filter works. The real service might instead ignore the parameter (and list every
//! offer), which a client that never sends it does not notice.
//!
//! Go for Business starts empty. [`SandboxHandle::seed_usage_demo`] (or
//! [`SandboxConfig::usage_demo`], at start and after every reset) adds three issued taxi
//! orders of the default corporate client for usage reports, every usage time derived from
//! the sandbox's `today` (Moscow hours 08:00 to 21:59 on the days before it) and the code's
//! position:
//!
//! | order | codes | `max_usages_count` | used codes | usages | revoked | usages on |
//! |---|---|---|---|---|---|---|
//! | 1st, value 150 | 20 | 1 | 0 | 0 | 0 | - |
//! | 2nd, value 300 | 50 | 1 | 10 (codes 0, 5, ..., 45) | 10 | 0 | the last 7 days |
//! | 3rd, value 500 | 200 | 3 | 175 | 275 | 5 | the last 14 days |
//!
//! In the third, code `n` is used by `n % 8`: 0 three times, 1 and 2 twice, 3 to 6 once, 7
//! never; codes 7, 15, 23, 31 and 39 (unused) are revoked. More of its usages fall in the
//! middle of the fortnight than at its ends, so a chart per day has a shape.
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
//! go/demo.rs          the usage demo's orders, made through go/store.rs
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
pub use go::store::UsageRefused;
pub use handle::SandboxHandle;
pub use server::{RunningSandbox, router, serve, start};
pub use state::LoggedRequest;
