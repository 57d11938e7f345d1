//! Yandex Go for Business: [`GoClient`] and its managers, shaped like the vendor SDK.
//!
//! - [`GoClient::promocodes`]: promo code orders ([`OrderManager`]: create, list, get,
//!   cancel), their codes ([`CodeManager`]), and crash-safe issuance of any number of codes
//!   ([`PromocodeManager::issue`], [`Issuance`]) with its cancel;
//! - [`PromocodeManager::usage`]: what became of the codes of a set of orders, per order, in
//!   total and per day ([`UsageReport`]);
//! - [`GoClient::geo`]: geo zones to restrict orders to, and what a place offers
//!   ([`GeoManager`]);
//! - [`GoClient::corp_clients`]: the corporate clients the token may act for
//!   ([`CorpClientManager`]).
mod clients;
mod codes;
mod error_body;
mod geo;
mod issue;
mod new_order;
mod orders;
mod types;
mod usage;

use std::{borrow::Cow, fmt, sync::Arc};

use secrecy::{ExposeSecret as _, SecretString};
use yandex_promo_raw::go::{self as raw, ClientInfo as _};

#[allow(deprecated)]
pub use clients::ClientManager;
pub use clients::{CorpClient, CorpClientManager, ListCorpClients};
pub use codes::{CodeManager, ListCodes};
pub use geo::{
    Circle, CreateZone, DeleteZone, GeoManager, GetZoneInfo, ListZones, MAX_RADIUS_M, NewZone,
    UpdateZone, Zone,
};
pub use issue::{
    CancelSummary, Issuance, IssueEvent, IssueFormat, IssuePlan, IssueSummary, IssuedOrder,
    JOURNAL_VERSION, TOTAL_CODES, default_journal,
};
pub use new_order::{
    CODES_PER_ORDER, GeoRestriction, MAX_ACTIVE_DAYS, NewOrder, ORDER_NAME_CHARS, USAGES_PER_CODE,
};
#[allow(deprecated)]
pub use orders::Created;
pub use orders::{CancelOrder, CreateOrder, CreatedOrder, GetOrder, ListOrders, OrderManager};
pub use types::{Code, CodeId, Order, OrderId, ZoneId};
pub use usage::{
    Bucket, CodeFigures, DEFAULT_CONCURRENCY, OrderSelection, OrderUsage, SeriesPoint, UsageEvent,
    UsageReport, UsageReportRun, UsageSeries, UsageTotals,
};

use crate::{
    Clock, Error, Result, RetryPolicy, SystemClock,
    call::{CallContext, Overrides},
    http::{self, HttpOptions},
};

/// The header that selects the corporate client a request acts for.
const CORP_CLIENT_HEADER: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("x-yataxi-selected-corp-client-id");

/// The production base URL, path prefix included.
pub const DEFAULT_BASE_URL: &str = "https://b2b-api.go.yandex.ru/integration/2.0";

/// Environment variable read by [`GoClient::from_env`]: the OAuth token (required).
pub const ENV_TOKEN: &str = "YANDEX_GO_TOKEN";
/// Environment variable read by [`GoClient::from_env`]: the corporate client id (optional).
pub const ENV_CORP_CLIENT_ID: &str = "YANDEX_GO_CORP_CLIENT_ID";
/// Environment variable read by [`GoClient::from_env`]: the base URL (optional).
pub const ENV_BASE_URL: &str = "YANDEX_GO_BASE_URL";

/// A client of the Go for Business promo code API. Cheap to clone: clones share one
/// connection pool.
///
/// ```no_run
/// # async fn demo() -> yandex_promo::Result<()> {
/// use yandex_promo::go::GoClient;
/// let client = GoClient::builder("y0_your_oauth_token")
///     .corp_client_id("your-corp-client-id")
///     .build()?;
/// let order = client.promocodes().order().get("017...5dd").await?;
/// println!("{} codes, {}", order.count, order.status);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct GoClient {
    inner: Arc<Inner>,
}

struct Inner {
    raw: raw::Client,
    corp_client_id: Option<String>,
    context: CallContext,
}

impl fmt::Debug for GoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoClient")
            .field("base_url", &self.inner.raw.baseurl())
            .field("corp_client_id", &self.inner.corp_client_id)
            .field("retry", &self.inner.context.retry)
            .finish_non_exhaustive()
    }
}

impl GoClient {
    /// A builder, given the one required value: the OAuth token, sent as
    /// `Authorization: Bearer <token>`. Required values are arguments in both clients'
    /// builders (as in [`MarketClient::builder`](crate::market::MarketClient::builder)), so a
    /// missing one is a compile error, not a run-time one.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// let client = yandex_promo::go::GoClient::builder("y0_your_oauth_token").build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder(token: impl Into<String>) -> GoClientBuilder {
        GoClientBuilder {
            token: SecretString::from(token.into()),
            corp_client_id: None,
            base_url: None,
            http: HttpOptions::default(),
            retry: RetryPolicy::default(),
            clock: None,
            observer: None,
        }
    }

    /// A client configured from the environment: `YANDEX_GO_TOKEN` (required),
    /// `YANDEX_GO_CORP_CLIENT_ID` and `YANDEX_GO_BASE_URL` (optional).
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// // YANDEX_GO_TOKEN=y0_your_oauth_token YANDEX_GO_CORP_CLIENT_ID=your-corp-client-id
    /// let client = yandex_promo::go::GoClient::from_env()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] when the token is not set or a value is invalid.
    pub fn from_env() -> Result<Self> {
        let token = http::env_var(ENV_TOKEN)
            .ok_or_else(|| Error::Config(format!("{ENV_TOKEN} is not set")))?;
        let mut builder = Self::builder(token);
        if let Some(id) = http::env_var(ENV_CORP_CLIENT_ID) {
            builder = builder.corp_client_id(id);
        }
        if let Some(url) = http::env_var(ENV_BASE_URL) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// Promo codes: the SDK's `PromocodeManager`.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// let page = client.promocodes().order().list().send().await?;
    /// println!("{} orders", page.items.len());
    /// # Ok(()) }
    /// ```
    pub fn promocodes(&self) -> PromocodeManager {
        PromocodeManager {
            client: self.clone(),
        }
    }

    /// Geo zones, to restrict promo orders to, and what a place offers: the SDK's
    /// `GeoManager` and `ZoneInfoManager`.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// let page = client.geo().list().send().await?;
    /// println!("{} zones on the first page", page.items.len());
    /// # Ok(()) }
    /// ```
    pub fn geo(&self) -> GeoManager {
        GeoManager::new(self.clone())
    }

    /// The corporate clients this token may act for (`auth/list`).
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// for corp in client.corp_clients().list().await? {
    ///     println!("{} {}", corp.client_id, corp.name.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn corp_clients(&self) -> CorpClientManager {
        CorpClientManager::new(self.clone())
    }

    /// The old name of [`GoClient::corp_clients`].
    ///
    /// ```no_run
    /// # #![allow(deprecated)]
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// let clients = client.clients().list().await?;
    /// # Ok(()) }
    /// ```
    #[deprecated(since = "0.2.0", note = "renamed to `corp_clients`")]
    pub fn clients(&self) -> CorpClientManager {
        self.corp_clients()
    }

    /// The corporate client this client acts for, if one was set.
    pub(crate) fn corp_client_id(&self) -> Option<&str> {
        self.inner.corp_client_id.as_deref()
    }

    /// The generated client, for what this crate does not wrap. It carries the same
    /// credentials and corporate client id.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) {
    /// let response = client.raw().get_promocode_order().order_id("017...5dd").send().await;
    /// if let Ok(order) = response {
    ///     println!("{}", order.status);
    /// }
    /// # }
    /// ```
    pub fn raw(&self) -> &raw::Client {
        &self.inner.raw
    }

    fn context(&self) -> &CallContext {
        &self.inner.context
    }

    /// This client with a job's own settings in place of its own, for every call the job
    /// makes: the same credentials, HTTP client and observer.
    fn with_overrides(&self, overrides: &Overrides) -> Self {
        match self.inner.context.with(overrides) {
            Cow::Borrowed(_) => self.clone(),
            Cow::Owned(context) => Self {
                inner: Arc::new(Inner {
                    raw: self.inner.raw.clone(),
                    corp_client_id: self.inner.corp_client_id.clone(),
                    context,
                }),
            },
        }
    }
}

/// Promo codes, as the vendor SDK's `PromocodeManager`.
#[derive(Debug, Clone)]
pub struct PromocodeManager {
    client: GoClient,
}

impl PromocodeManager {
    /// Promo code orders: list, get, create, cancel; and their codes.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// let orders = client.promocodes().order();
    /// let order = orders.get("017...5dd").await?;
    /// println!("{}: {} codes", order.id, order.count);
    /// # Ok(()) }
    /// ```
    pub fn order(&self) -> OrderManager {
        OrderManager::new(self.client.clone())
    }

    /// Issues any number of codes as one crash-safe, resumable run, written to `output`:
    /// see [`Issuance`]. Running it again with the same journal continues where it stopped.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::{IssuePlan, NewOrder};
    /// let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let plan = IssuePlan::new(5_000, NewOrder::new(500, 5, until).name("Black Friday"));
    /// let summary = client.promocodes().issue(plan, "codes.csv").run().await?;
    /// println!("{} codes, {} {}", summary.codes, summary.cost_with_vat, summary.currency);
    /// # Ok(()) }
    /// ```
    pub fn issue(&self, plan: IssuePlan, output: impl Into<std::path::PathBuf>) -> Issuance {
        Issuance::new(self.client.clone(), plan, output.into())
    }

    /// What became of the codes of the `selected` orders: per order, in total and over time.
    /// See [`UsageReportRun`] for its options.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::OrderSelection;
    /// let report = client
    ///     .promocodes()
    ///     .usage(OrderSelection::Journal("codes.csv.journal".into()))
    ///     .run()
    ///     .await?;
    /// let all = &report.totals.figures;
    /// println!("{} of {} codes used", all.used_codes, all.codes);
    /// # Ok(()) }
    /// ```
    pub fn usage(&self, selected: OrderSelection) -> UsageReportRun {
        UsageReportRun::new(self.client.clone(), selected)
    }

    /// Cancels every order of the issuance journalled at `journal` that can still be
    /// cancelled, and reports those that cannot (409: codes were used).
    ///
    /// # Errors
    /// [`Error::Journal`] for a file that is not an issuance journal; the other [`Error`]s of
    /// a call.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// let summary = client.promocodes().cancel_issuance("codes.csv.journal").await?;
    /// println!("{} cancelled, {} refused", summary.cancelled.len(), summary.refused.len());
    /// # Ok(()) }
    /// ```
    pub async fn cancel_issuance(
        &self,
        journal: impl AsRef<std::path::Path>,
    ) -> Result<CancelSummary> {
        issue::cancel(&self.client, journal.as_ref()).await
    }
}

/// Builds a [`GoClient`].
#[derive(Debug)]
pub struct GoClientBuilder {
    token: SecretString,
    corp_client_id: Option<String>,
    base_url: Option<String>,
    http: HttpOptions,
    retry: RetryPolicy,
    clock: Option<Arc<dyn Clock>>,
    observer: Option<Arc<dyn crate::Observer>>,
}

impl GoClientBuilder {
    /// Replaces the OAuth token given to [`GoClient::builder`].
    ///
    /// ```no_run
    /// # #![allow(deprecated)]
    /// # fn demo() -> yandex_promo::Result<()> {
    /// let client = yandex_promo::go::GoClient::builder("old").token("y0_your_oauth_token").build()?;
    /// # Ok(()) }
    /// ```
    #[deprecated(since = "0.2.0", note = "pass the token to `GoClient::builder`")]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = SecretString::from(token.into());
        self
    }

    /// The corporate client to act for, sent as `X-YaTaxi-Selected-Corp-Client-Id`. Required
    /// when the token gives access to several clients.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// let client = yandex_promo::go::GoClient::builder("y0_your_oauth_token")
    ///     .corp_client_id("your-corp-client-id")
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn corp_client_id(mut self, id: impl Into<String>) -> Self {
        self.corp_client_id = Some(id.into());
        self
    }

    /// Another base URL (a sandbox, a proxy), path prefix included, e.g.
    /// `http://127.0.0.1:8080/integration/2.0`. Default: [`DEFAULT_BASE_URL`].
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// let sandbox = yandex_promo::go::GoClient::builder("test-token")
    ///     .base_url("http://127.0.0.1:8080/integration/2.0")
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    crate::http::shared_builder_setters!("yandex_promo::go::GoClient::builder(\"t\")");

    /// Builds the client.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// let client = yandex_promo::go::GoClient::builder("y0_your_oauth_token").build()?;
    ///
    /// let bad_token = yandex_promo::go::GoClient::builder("line\nbreak").build();
    /// assert!(matches!(bad_token, Err(yandex_promo::Error::Config(_))));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] with a token or corporate client id that cannot be sent as a
    /// header, or with an invalid base URL.
    pub fn build(self) -> Result<GoClient> {
        let token = self.token;
        let mut headers =
            http::request_headers(|h| h.with_bearer(token.expose_secret()), "OAuth token")?;
        // A per-client constant: every request of this client carries it.
        if let Some(id) = &self.corp_client_id {
            let value = reqwest::header::HeaderValue::from_str(id).map_err(|_| {
                Error::Config(
                    "the corporate client id contains characters an HTTP header cannot carry"
                        .into(),
                )
            })?;
            headers = headers.with_header(CORP_CLIENT_HEADER, value);
        }
        let base_url = http::base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let raw = raw::Client::new_with_client(&base_url, self.http.build()?, headers);
        let context = CallContext {
            retry: self.retry,
            timeout: self.http.attempt_timeout(),
            client_timeout: self.http.attempt_timeout(),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            limiter: None,
            observer: self.observer,
            server: http::server_address(&base_url),
        };
        Ok(GoClient {
            inner: Arc::new(Inner {
                raw,
                corp_client_id: self.corp_client_id,
                context,
            }),
        })
    }
}
