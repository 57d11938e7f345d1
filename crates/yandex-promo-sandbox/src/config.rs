//! What a sandbox simulates, and its limits.
use std::{collections::BTreeMap, time::Duration};

use chrono::NaiveDate;

/// Sandbox settings. The defaults behave like the real services for a single corporate
/// client, with short delays and generous but finite limits.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// How long a new order stays `pending` before `creation_success`.
    pub ready_after: Duration,
    /// The corporate client a token acts for when it is not listed in `tokens`.
    pub default_corp_client: String,
    /// Names of corporate clients, as `auth/list` reports them (default: `Client <id>`).
    pub client_names: BTreeMap<String, String>,
    /// Tokens with access to several corporate clients: such a token must name one in
    /// `X-YaTaxi-Selected-Corp-Client-Id`. Any other non-empty token is accepted and acts for
    /// `default_corp_client`, as stripe-mock accepts any key.
    pub tokens: BTreeMap<String, Vec<String>>,
    /// At most this many orders are kept; creates past it get 429.
    pub max_orders: usize,
    /// At most this many codes are kept in all; creates past it get 429.
    pub max_codes: usize,
    /// Market requests allowed per window before 420 (`getPromos` documents 1,000 an hour).
    pub market_budget: u32,
    /// Requests allowed per window to each of `getPromoOffers`, `updatePromoOffers` and
    /// `deletePromoOffers`, each counted on its own (documented: 5,000 an hour).
    pub market_offers_budget: u32,
    /// How long an update or delete of a promo's offers takes to show in `getPromoOffers`
    /// and the promo's `activeOffers`; until then `getPromos` reports `processing: true`.
    /// The service takes 4 to 6 hours; the default is no delay.
    pub market_apply_delay: Duration,
    /// The length of Market's budget window: an hour, as the service counts; shorter lets a
    /// test wait a 420 out. Windows start on a whole second, so `X-RateLimit-Resource-Until`
    /// (which has whole seconds) is exact.
    pub market_window: Duration,
    /// Market's single-offer throttle: at most this many `updatePromoOffers` and
    /// `deletePromoOffers` requests that carry exactly one offer id, counted together per
    /// promo, in a window of this length (it starts at the first such request); past it, a
    /// 400 with the docs' message ("The limit for promo update requests with a single offerId
    /// has been exceeded. ..."). Batches of two or more offers are never counted. `None`
    /// turns it off.
    ///
    /// Market documents the limit but not its size or window, so the default, 30 a minute, is
    /// the sandbox's own choice: a person, or a client that batches a promo's offers as the
    /// docs advise, never meets it, while a loop that sends one offer a request meets it
    /// within seconds.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use yandex_promo_sandbox::SandboxConfig;
    /// // Two one-offer requests per promo a second, so a test can wait the throttle out.
    /// let config = SandboxConfig {
    ///     market_single_offer_limit: Some((2, Duration::from_secs(1))),
    ///     ..SandboxConfig::default()
    /// };
    /// let sandbox = yandex_promo_sandbox::start(config).await?;
    /// # Ok(()) }
    /// ```
    pub market_single_offer_limit: Option<(u32, Duration)>,
    /// Answer Market's promo errors with the typed codes of `ApiErrorCodeType`
    /// (`PROMO_ENDED`, `PROMO_SINGLE_OFFER_TASK_LIMIT_EXCEEDED`, and
    /// `NO_ACCESS_BY_DEPRECATION_POLICY` for [`Failure::Deprecated403`](crate::Failure::Deprecated403)),
    /// as the promos operations are expected to once they follow the operations that do;
    /// off by default: `BAD_REQUEST` and `FORBIDDEN`, as the docs' catalogue shows today. The
    /// messages are the same either way, and the two delete-parameter errors keep
    /// `BAD_REQUEST` (no typed code is known for them).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use yandex_promo_sandbox::SandboxConfig;
    /// let config = SandboxConfig { market_typed_errors: true, ..SandboxConfig::default() };
    /// let sandbox = yandex_promo_sandbox::start(config).await?;
    /// # Ok(()) }
    /// ```
    pub market_typed_errors: bool,
    /// Serve the test controls over HTTP under `/__sandbox/` (off by default).
    pub admin_routes: bool,
    /// At most this many requests are kept in the request log (oldest dropped first).
    pub request_log_capacity: usize,
    /// Keep each response's status and body in the request log too, and each request's body
    /// (for conformance tests, and tests of exactly what a client sent; off by default).
    pub record_responses: bool,
    /// Seeds the generator of order ids, code ids and codes: with a seed, the same requests
    /// in the same order get the same ids and codes on every run (tests can compare them
    /// exactly). `None` (the default) draws a fresh seed.
    pub seed: Option<u64>,
    /// The request date the create rules count from (`active_until` within 90 days of it),
    /// and the date Market's `getPromoOffers` refuses the deprecated `statusType` from
    /// (2026-10-12; see the crate docs). `None` (the default): today in Moscow time, as the
    /// services count.
    pub today: Option<NaiveDate>,
    /// Seed the usage demo's three orders (see
    /// [`SandboxHandle::seed_usage_demo`](crate::SandboxHandle::seed_usage_demo)) at start and
    /// after every reset, so a usage report has used, unused and revoked codes to show (off
    /// by default).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use yandex_promo_sandbox::SandboxConfig;
    /// let config = SandboxConfig { usage_demo: true, ..SandboxConfig::default() };
    /// let sandbox = yandex_promo_sandbox::start(config).await?;
    /// assert_eq!(sandbox.handle().order_count(), 3);
    /// # Ok(()) }
    /// ```
    pub usage_demo: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            ready_after: Duration::from_millis(200),
            default_corp_client: "sandbox-client".to_owned(),
            client_names: BTreeMap::new(),
            tokens: BTreeMap::new(),
            max_orders: 10_000,
            max_codes: 2_000_000,
            market_budget: 1000,
            market_offers_budget: 5000,
            market_apply_delay: Duration::ZERO,
            market_window: Duration::from_secs(3600),
            market_single_offer_limit: Some((30, Duration::from_secs(60))),
            market_typed_errors: false,
            admin_routes: false,
            request_log_capacity: 10_000,
            record_responses: false,
            seed: None,
            today: None,
            usage_demo: false,
        }
    }
}
