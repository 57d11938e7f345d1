//! Yandex Market Partner API promos: [`MarketClient`].
//!
//! The seller's loop: list the promos ([`PromoManager::list`]), list a promo's offers
//! ([`PromoManager::offers`]), put offers in at promo prices ([`PromoManager::update`]) or
//! take them out ([`PromoManager::delete`]), or let a [`SyncPlan`] work out both from a
//! desired list ([`PromoManager::sync`], [`PromoManager::apply`]). In a "Market
//! Bestsellers" promo a desired offer may name a level instead of a price
//! ([`OfferUpdate::at_level`], [`price_levels`]), and a sync given the seller's [`Floors`]
//! ([`PromoManager::sync_with_floors`]) refuses any promo price below them. The margin guard
//! ([`PromoManager::guard`], [`PromoManager::apply_guard`]) walks every promo for offers
//! priced below those floors, Market's own additions included ([`price_in_promo`] says which
//! price counts), and raises or takes them out.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::TryStreamExt as _;
//! use yandex_promo::market::{MarketClient, OfferUpdate};
//!
//! let market = MarketClient::from_env()?; // the documented rate limits included
//! let promos = market.promos();
//! let promo = &promos.list().send().await?[0];
//! let offers: Vec<_> = promos.offers(promo.id.as_str()).stream().try_collect().await?;
//! let desired = offers.iter().map(|o| OfferUpdate::for_offer(o, 1990, 1490)).collect();
//! let plan = promos.sync(promo.id.as_str(), desired).await?;
//! let outcome = promos.apply(promo.id.as_str(), &plan).await?;
//! println!("{} refused", outcome.updated.rejected.len());
//! # Ok(()) }
//! ```
//!
//! The margin guard, with the seller's floors: plan, send, and after a failure send only what
//! is left.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use yandex_promo::market::{Floors, MarketClient};
//!
//! let market = MarketClient::from_env()?;
//! let promos = market.promos();
//! let floors = Floors::new([("SKU-1042", 1290), ("SKU-77", 650)])?;
//! let plan = promos.guard(&floors).await?; // reads every promo; changes nothing
//! println!("{plan}"); // 3 promos: 4 to raise, 41 to take out; ...
//! let outcome = match promos.apply_guard(&plan).await {
//!     Ok(outcome) => outcome,
//!     Err(stopped) => promos.apply_guard(&stopped.remaining).await?,
//! };
//! println!("{} requests sent", outcome.requests);
//! # Ok(()) }
//! ```
//!
//! Market's promo errors come with a kind to match on ([`crate::Error::api_kind`],
//! [`crate::ApiErrorKind`]): "Promo has ended" stops a batched call at once, and the
//! single-offer throttle is waited out by the retry policy
//! ([`crate::RetryPolicy::single_offer_wait`]), then returned with the advice to batch.
//!
//! Runnable offline: `cargo run -p yandex-promo --example market_sync` and
//! `cargo run -p yandex-promo --example market_guard`.
mod batches;
mod error_body;
mod floors;
mod guard;
mod guarding;
mod levels;
mod limits;
mod offer_update;
mod offers;
mod promos;
mod sync;

use std::{fmt, num::NonZeroU64, sync::Arc};

use secrecy::{ExposeSecret as _, SecretString};
use yandex_promo_raw::market as raw;

pub use crate::RateLimit;
pub use batches::{
    BatchError, DeleteError, DeleteOutcome, MAX_BATCH, RejectedDelete, RejectedOffer, UpdateError,
    UpdateOutcome, WarnedOffer,
};
pub use floors::Floors;
pub use guard::{
    GuardPlan, GuardRequests, PromoGuard, Raise, SkipReason, SkippedPromo, TakeOut, TakeOutReason,
    price_in_promo,
};
pub use guarding::{GuardError, GuardOutcome, PromoGuardOutcome};
pub use levels::{BestsellerLevel, PriceLevels, level_reached, price_levels};
pub use offer_update::{MAX_OFFER_ID_CHARS, OfferUpdate, Roubles, max_promo_price};
pub use offers::{DEFAULT_OFFERS_PAGE_SIZE, ListPromoOffers, MAX_OFFERS_PAGE_SIZE};
pub use promos::{
    DeleteAllOffers, DeleteOffers, ListPromos, PromoManager, SyncOutcome, UpdateOffers,
};
pub use sync::{LeftAlone, Reprice, SyncPlan};
pub use yandex_promo_raw::{
    market::types::{
        GetPromoDto as Promo, GetPromoOfferDto as PromoOffer,
        PromoOfferParticipationStatusMultiFilterType as StatusFilter,
    },
    open::{
        ChannelType, MechanicsType, PromoOfferParticipationStatusType as OfferStatus,
        PromoOfferUpdateWarningCodeType as WarningCode, PromoParticipationType as Participation,
        RejectedPromoOfferDeleteReasonType as DeleteRejectReason,
        RejectedPromoOfferUpdateReasonType as RejectReason,
    },
};

use crate::{
    Clock, Error, Result, RetryPolicy, SystemClock,
    call::CallContext,
    http::{self, HttpOptions},
    limiter::Limiter,
};

/// The production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.partner.market.yandex.ru";

/// Environment variable read by [`MarketClient::from_env`]: an API key.
pub const ENV_API_KEY: &str = "YANDEX_MARKET_API_KEY";
/// Environment variable read by [`MarketClient::from_env`]: an OAuth token (when no API key).
pub const ENV_OAUTH_TOKEN: &str = "YANDEX_MARKET_OAUTH_TOKEN";
/// Environment variable read by [`MarketClient::from_env`]: the business id (required).
pub const ENV_BUSINESS_ID: &str = "YANDEX_MARKET_BUSINESS_ID";
/// Environment variable read by [`MarketClient::from_env`]: the base URL (optional).
pub const ENV_BASE_URL: &str = "YANDEX_MARKET_BASE_URL";

/// A business (cabinet) id: at least 1.
pub type BusinessId = NonZeroU64;

/// How to authenticate with Market.
#[derive(Clone)]
pub enum MarketAuth {
    /// `Api-Key: <key>`.
    ApiKey(SecretString),
    /// `Authorization: Bearer <token>` (scope `market:partner-api`).
    OAuth(SecretString),
}

impl MarketAuth {
    /// An API key.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::market::{MarketAuth, MarketClient};
    /// let market = MarketClient::builder(MarketAuth::api_key("ACMA:your-key"), 12345678).build()?;
    /// # Ok(()) }
    /// ```
    pub fn api_key(key: impl Into<String>) -> Self {
        Self::ApiKey(SecretString::from(key.into()))
    }

    /// An OAuth token.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::market::{MarketAuth, MarketClient};
    /// let auth = MarketAuth::oauth("y0_your_oauth_token");
    /// let market = MarketClient::builder(auth, 12345678).build()?;
    /// # Ok(()) }
    /// ```
    pub fn oauth(token: impl Into<String>) -> Self {
        Self::OAuth(SecretString::from(token.into()))
    }
}

impl fmt::Debug for MarketAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ApiKey(_) => "ApiKey(<redacted>)",
            Self::OAuth(_) => "OAuth(<redacted>)",
        })
    }
}

/// A client of the Market promos API for one business. Cheap to clone.
///
/// ```no_run
/// # async fn demo() -> yandex_promo::Result<()> {
/// use yandex_promo::market::{MarketAuth, MarketClient, MechanicsType, RateLimit};
/// let market = MarketClient::builder(MarketAuth::api_key("ACMA:your-key"), 12345678)
///     .rate_limit(RateLimit::get_promos())
///     .build()?;
/// let promos = market.promos().list().mechanics(MechanicsType::MarketPromocode).send().await?;
/// for promo in promos {
///     println!("{} {}", promo.id, promo.name);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct MarketClient {
    inner: Arc<Inner>,
}

struct Inner {
    raw: raw::Client,
    business_id: BusinessId,
    /// One per [`Operation`]: each operation has its own request budget.
    contexts: [CallContext; 4],
}

/// The operations of the family; Market counts each one's requests separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    GetPromos,
    GetPromoOffers,
    UpdatePromoOffers,
    DeletePromoOffers,
}

impl fmt::Debug for MarketClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use yandex_promo_raw::market::ClientInfo as _;
        f.debug_struct("MarketClient")
            .field("base_url", &self.inner.raw.baseurl())
            .field("business_id", &self.inner.business_id)
            .field("retry", &self.inner.contexts[0].retry)
            .finish_non_exhaustive()
    }
}

impl MarketClient {
    /// A builder for the business `business_id` (0 is refused by [`MarketClientBuilder::build`]).
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::market::{MarketAuth, MarketClient};
    /// let market = MarketClient::builder(MarketAuth::api_key("ACMA:your-key"), 12345678).build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder(auth: MarketAuth, business_id: u64) -> MarketClientBuilder {
        MarketClientBuilder {
            auth,
            business_id,
            base_url: None,
            http: HttpOptions::default(),
            retry: RetryPolicy::default(),
            rate_limit: None,
            offers_rate_limit: None,
            clock: None,
            observer: None,
        }
    }

    /// A client configured from the environment: `YANDEX_MARKET_API_KEY` or
    /// `YANDEX_MARKET_OAUTH_TOKEN`, `YANDEX_MARKET_BUSINESS_ID` (required), and
    /// `YANDEX_MARKET_BASE_URL` (optional). The documented rate limits are applied.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// // YANDEX_MARKET_API_KEY=ACMA:your-key YANDEX_MARKET_BUSINESS_ID=12345678
    /// let market = yandex_promo::market::MarketClient::from_env()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] when a required variable is missing or a value is invalid.
    pub fn from_env() -> Result<Self> {
        let auth = match (http::env_var(ENV_API_KEY), http::env_var(ENV_OAUTH_TOKEN)) {
            (Some(key), _) => MarketAuth::api_key(key),
            (None, Some(token)) => MarketAuth::oauth(token),
            (None, None) => {
                return Err(Error::Config(format!(
                    "set {ENV_API_KEY} or {ENV_OAUTH_TOKEN}"
                )));
            }
        };
        let business_id = http::env_var(ENV_BUSINESS_ID)
            .ok_or_else(|| Error::Config(format!("{ENV_BUSINESS_ID} is not set")))?;
        let business_id = business_id.parse().map_err(|_| {
            Error::Config(format!(
                "{ENV_BUSINESS_ID} must be a positive integer, not {business_id:?}"
            ))
        })?;
        let mut builder = Self::builder(auth, business_id)
            .rate_limit(RateLimit::get_promos())
            .offers_rate_limit(RateLimit::promo_offers());
        if let Some(url) = http::env_var(ENV_BASE_URL) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// Market promotions.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// for promo in market.promos().list().send().await? {
    ///     println!("{} {}", promo.id, promo.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn promos(&self) -> PromoManager {
        PromoManager::new(self.clone())
    }

    /// The business this client acts for.
    ///
    /// ```no_run
    /// # fn demo(market: yandex_promo::market::MarketClient) {
    /// println!("acting for business {}", market.business_id());
    /// # }
    /// ```
    pub fn business_id(&self) -> BusinessId {
        self.inner.business_id
    }

    /// The generated client, for what this crate does not wrap. It carries the same
    /// credentials.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) {
    /// let filters = yandex_promo::raw::market::types::GetPromosRequest::default();
    /// let request = market.raw().get_promos().business_id(market.business_id()).body(filters);
    /// let response = request.send().await;
    /// println!("succeeded: {}", response.is_ok());
    /// # }
    /// ```
    pub fn raw(&self) -> &raw::Client {
        &self.inner.raw
    }

    fn context(&self, operation: Operation) -> &CallContext {
        &self.inner.contexts[operation as usize]
    }
}

/// Builds a [`MarketClient`].
#[derive(Debug)]
pub struct MarketClientBuilder {
    auth: MarketAuth,
    business_id: u64,
    base_url: Option<String>,
    http: HttpOptions,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
    offers_rate_limit: Option<RateLimit>,
    clock: Option<Arc<dyn Clock>>,
    observer: Option<Arc<dyn crate::Observer>>,
}

impl MarketClientBuilder {
    /// Another base URL (a sandbox, a proxy). Default: [`DEFAULT_BASE_URL`].
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::market::{MarketAuth, MarketClient};
    /// let sandbox = MarketClient::builder(MarketAuth::api_key("test-key"), 1)
    ///     .base_url("http://127.0.0.1:8080")
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    crate::http::shared_builder_setters!(
        "yandex_promo::market::MarketClient::builder(yandex_promo::market::MarketAuth::api_key(\"k\"), 1)"
    );

    /// Keep `getPromos` calls within a request budget and a parallelism cap, client-side.
    /// Off by default.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::market::{MarketAuth, MarketClient, RateLimit};
    /// let market = MarketClient::builder(MarketAuth::api_key("ACMA:your-key"), 12345678)
    ///     .rate_limit(RateLimit::get_promos())
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Keep the calls of each offers operation (`getPromoOffers`, `updatePromoOffers`,
    /// `deletePromoOffers`) within its own request budget and parallelism cap, client-side:
    /// Market counts each operation separately. Off by default.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::market::{MarketAuth, MarketClient, RateLimit};
    /// let market = MarketClient::builder(MarketAuth::api_key("ACMA:your-key"), 12345678)
    ///     .offers_rate_limit(RateLimit::promo_offers())
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn offers_rate_limit(mut self, limit: RateLimit) -> Self {
        self.offers_rate_limit = Some(limit);
        self
    }

    /// Builds the client.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::market::{MarketAuth, MarketClient};
    /// let market = MarketClient::builder(MarketAuth::api_key("ACMA:your-key"), 12345678).build()?;
    ///
    /// let zero = MarketClient::builder(MarketAuth::api_key("ACMA:your-key"), 0).build();
    /// assert!(matches!(zero, Err(yandex_promo::Error::Config(_))));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] for business id 0, a credential that cannot be sent as a header, or
    /// an invalid base URL.
    pub fn build(self) -> Result<MarketClient> {
        let business_id = NonZeroU64::new(self.business_id)
            .ok_or_else(|| Error::Config("the business id must be at least 1".into()))?;
        let headers = match &self.auth {
            MarketAuth::ApiKey(key) => {
                http::request_headers(|h| h.with_api_key(key.expose_secret()), "API key")?
            }
            MarketAuth::OAuth(token) => {
                http::request_headers(|h| h.with_bearer(token.expose_secret()), "OAuth token")?
            }
        };
        let base_url = http::base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let raw = raw::Client::new_with_client(&base_url, self.http.build()?, headers);
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let server = http::server_address(&base_url);
        let context = |limit: Option<RateLimit>| CallContext {
            retry: self.retry.clone(),
            timeout: self.http.attempt_timeout(),
            client_timeout: self.http.attempt_timeout(),
            clock: clock.clone(),
            limiter: limit.map(|limit| Arc::new(Limiter::new(limit))),
            observer: self.observer.clone(),
            server: server.clone(),
        };
        let contexts = [
            context(self.rate_limit),
            context(self.offers_rate_limit),
            context(self.offers_rate_limit),
            context(self.offers_rate_limit),
        ];
        Ok(MarketClient {
            inner: Arc::new(Inner {
                raw,
                business_id,
                contexts,
            }),
        })
    }
}
