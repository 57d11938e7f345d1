//! What became of issued codes: a usage report over a set of orders, folded from every code
//! of every order as it streams past (`codes/list` is the only place the API tells it), so
//! memory stays flat however many codes there are.
mod fold;

use std::{num::NonZeroUsize, path::PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, Offset as _, Utc};
use futures::{StreamExt as _, TryStreamExt as _, stream};
use serde::Serialize;
use yandex_promo_raw::open::OrderStatus;

pub use fold::SeriesPoint;

use super::{GoClient, Order, OrderId, issue::journal_orders};
use crate::{Result, call::Overrides};
use fold::{CodeFold, Hours};

/// How many orders a report reads at once by default: enough to hide the latency of one
/// order's pages behind another's, few enough to stay far below the API's rate limits.
///
/// ```no_run
/// assert_eq!(yandex_promo::go::DEFAULT_CONCURRENCY, 4);
/// ```
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Which orders a usage report covers.
///
/// ```no_run
/// use yandex_promo::go::{OrderId, OrderSelection};
/// let named = OrderSelection::Ids(vec![OrderId::from("017...5dd")]);
/// let issued = OrderSelection::Journal("codes.csv.journal".into());
/// let december = OrderSelection::ActiveUntil {
///     from: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date"),
///     to: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("a date"),
/// };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OrderSelection {
    /// Every order of the corporate client.
    All,
    /// The orders whose codes expire between `from` and `to`, both included. (The API tells
    /// no order's creation date; `active_until` is the date an order can be selected by.)
    ActiveUntil {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
    },
    /// These orders, in this order. An id the token cannot read is reported as unreadable.
    Ids(Vec<OrderId>),
    /// The orders an issuance journal made, named by its plan.
    Journal(PathBuf),
}

/// How a report's series buckets usages.
///
/// ```no_run
/// # fn demo(report: yandex_promo::go::UsageReport) {
/// use yandex_promo::go::Bucket;
/// let unit = if report.series.bucket == Bucket::Hour { "hour" } else { "day" };
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Bucket {
    /// Usages per hour.
    Hour,
    /// Usages per day.
    Day,
}

/// What a report is doing, for a progress display: see [`UsageReportRun::on_event`].
///
/// ```no_run
/// use yandex_promo::go::UsageEvent;
/// fn show(event: &UsageEvent) {
///     match event {
///         UsageEvent::Planned { orders } => eprintln!("{orders} orders to read"),
///         UsageEvent::OrderRead { order_id, codes } => eprintln!("{order_id}: {codes} codes"),
///         _ => {}
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UsageEvent {
    /// The orders to read are known.
    Planned {
        /// How many.
        orders: usize,
    },
    /// One order was read (or found unreadable).
    OrderRead {
        /// The order.
        order_id: OrderId,
        /// Its codes.
        codes: u64,
    },
}

/// The usage of one order's codes.
///
/// ```no_run
/// # fn demo(report: yandex_promo::go::UsageReport) {
/// for order in &report.orders {
///     match &order.error {
///         Some(error) => println!("{}: unreadable ({error})", order.order_id),
///         None => println!("{}: {:.0}% used", order.order_id, order.figures.share_used * 100.0),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OrderUsage {
    /// The order.
    pub order_id: OrderId,
    /// Its name, when known: the API's orders carry none, so only an order selected through
    /// an issuance journal has one (the plan's).
    pub name: Option<String>,
    /// Its status; `None` when it could not be read.
    pub status: Option<OrderStatus>,
    /// The value of one code.
    pub value: Option<i32>,
    /// The codes it was made with.
    pub count: Option<i32>,
    /// What its codes add up to (all zero when it could not be read).
    #[serde(flatten)]
    pub figures: CodeFigures,
    /// Why it could not be read (after retries); its figures are then zero and left out of
    /// the totals.
    pub error: Option<String>,
}

/// The figures of every order that was read, added up.
///
/// ```no_run
/// # fn demo(report: yandex_promo::go::UsageReport) {
/// let totals = &report.totals;
/// println!("{} orders ({} unreadable), {} usages", totals.orders, totals.unreadable, totals.figures.usages);
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UsageTotals {
    /// Orders in the report, readable or not.
    pub orders: usize,
    /// Orders that could not be read.
    pub unreadable: usize,
    /// What the codes of the orders that were read add up to.
    #[serde(flatten)]
    pub figures: CodeFigures,
}

/// What a set of codes adds up to: for one order ([`OrderUsage`]) or all ([`UsageTotals`]).
///
/// ```no_run
/// fn never_used(figures: &yandex_promo::go::CodeFigures) -> bool {
///     figures.usages == 0
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CodeFigures {
    /// Codes listed.
    pub codes: u64,
    /// Codes used at least once.
    pub used_codes: u64,
    /// Usages of all the codes.
    pub usages: u64,
    /// Revoked codes (used or not).
    pub revoked: u64,
    /// Codes neither used nor revoked.
    pub unused: u64,
    /// The first usage.
    pub first_use: Option<DateTime<Utc>>,
    /// The last usage.
    pub last_use: Option<DateTime<Utc>>,
    /// `used_codes / codes` (0 without codes).
    pub share_used: f64,
}

/// Usages over time, bucket by bucket from the first usage to the last.
///
/// ```no_run
/// # fn demo(report: yandex_promo::go::UsageReport) {
/// let busiest = report.series.points.iter().max_by_key(|point| point.usages);
/// if let Some(point) = busiest {
///     println!("busiest: {} with {} usages", point.start, point.usages);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UsageSeries {
    /// Hours or days.
    pub bucket: Bucket,
    /// Every bucket, quiet ones included.
    pub points: Vec<SeriesPoint>,
}

/// A usage report: per order, in total, and over time. Serializes as one JSON document.
///
/// ```no_run
/// # async fn demo(client: yandex_promo::go::GoClient) -> Result<(), Box<dyn std::error::Error>> {
/// use yandex_promo::go::OrderSelection;
/// let report = client.promocodes().usage(OrderSelection::All).run().await?;
/// println!("{}", serde_json::to_string_pretty(&report)?);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UsageReport {
    /// Every selected order, in selection order (listing order for `All`).
    pub orders: Vec<OrderUsage>,
    /// Their figures added up.
    pub totals: UsageTotals,
    /// Usages per day, or per hour when they span at most two days.
    pub series: UsageSeries,
}

type Listener = Box<dyn FnMut(&UsageEvent) + Send>;

/// A usage report to run: see [`super::PromocodeManager::usage`].
///
/// ```no_run
/// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
/// use yandex_promo::go::{Bucket, OrderSelection};
/// let run = client.promocodes().usage(OrderSelection::All).bucket(Bucket::Day);
/// let report = run.run().await?;
/// # Ok(()) }
/// ```
#[must_use = "nothing is sent until `run` is awaited"]
pub struct UsageReportRun {
    client: GoClient,
    selection: OrderSelection,
    concurrency: NonZeroUsize,
    page_size: Option<u32>,
    bucket: Option<Bucket>,
    offset: FixedOffset,
    listener: Listener,
    overrides: Overrides,
}

impl std::fmt::Debug for UsageReportRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UsageReportRun")
            .field("selection", &self.selection)
            .field("concurrency", &self.concurrency)
            .field("page_size", &self.page_size)
            .field("bucket", &self.bucket)
            .field("offset", &self.offset)
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

impl UsageReportRun {
    pub(super) fn new(client: GoClient, selection: OrderSelection) -> Self {
        Self {
            client,
            selection,
            concurrency: NonZeroUsize::new(DEFAULT_CONCURRENCY).unwrap_or(NonZeroUsize::MIN),
            page_size: None,
            bucket: None,
            offset: Utc.fix(),
            listener: Box::new(|_| {}),
            overrides: Overrides::default(),
        }
    }

    crate::request::call_setters!(
        "# fn demo(client: yandex_promo::go::GoClient) {",
        "client.promocodes().usage(yandex_promo::go::OrderSelection::All)",
        "every request of this report (the orders, the pages of their codes)"
    );

    /// How many orders are read at once (default [`DEFAULT_CONCURRENCY`]). Each holds at most
    /// two pages of codes, so memory grows with this bound, not with the codes.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use std::num::NonZeroUsize;
    /// use yandex_promo::go::OrderSelection;
    /// let eight = NonZeroUsize::new(8).expect("non-zero");
    /// let report = client.promocodes().usage(OrderSelection::All).concurrency(eight).run().await?;
    /// # Ok(()) }
    /// ```
    pub fn concurrency(mut self, orders: NonZeroUsize) -> Self {
        self.concurrency = orders;
        self
    }

    /// Codes per page when listing an order's codes (default: the listing's).
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::OrderSelection;
    /// let report = client.promocodes().usage(OrderSelection::All).page_size(1000).run().await?;
    /// # Ok(()) }
    /// ```
    pub fn page_size(mut self, codes: u32) -> Self {
        self.page_size = Some(codes);
        self
    }

    /// Buckets the series by hour or day (default: hours when the usages span at most two
    /// days, else days).
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::{Bucket, OrderSelection};
    /// let report = client.promocodes().usage(OrderSelection::All).bucket(Bucket::Day).run().await?;
    /// # Ok(()) }
    /// ```
    pub fn bucket(mut self, bucket: Bucket) -> Self {
        self.bucket = Some(bucket);
        self
    }

    /// The time zone whose days and hours the series counts in (default UTC).
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::OrderSelection;
    /// let moscow = chrono::FixedOffset::east_opt(3 * 3600).expect("UTC+3");
    /// let report = client.promocodes().usage(OrderSelection::All).time_zone(moscow).run().await?;
    /// # Ok(()) }
    /// ```
    pub fn time_zone(mut self, offset: FixedOffset) -> Self {
        self.offset = offset;
        self
    }

    /// Calls `listener` with every [`UsageEvent`], for a progress display.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::{OrderSelection, UsageEvent};
    /// let report = client
    ///     .promocodes()
    ///     .usage(OrderSelection::All)
    ///     .on_event(|event| {
    ///         if let UsageEvent::OrderRead { order_id, codes, .. } = event {
    ///             eprintln!("{order_id}: {codes} codes");
    ///         }
    ///     })
    ///     .run()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn on_event(mut self, listener: impl FnMut(&UsageEvent) + Send + 'static) -> Self {
        self.listener = Box::new(listener);
        self
    }

    /// Reads every selected order and folds its codes into the report. An order that cannot
    /// be read, or whose codes fail after retries, is reported with its error and does not
    /// stop the others; cancelled and failed orders are shown with their status.
    ///
    /// # Errors
    /// The [`crate::Error`]s of listing the orders, or of reading the journal
    /// ([`crate::Error::Journal`]) for [`OrderSelection::Journal`]; a listing page size the
    /// API does not allow ([`crate::Error::Validation`]).
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::OrderSelection;
    /// let report = client.promocodes().usage(OrderSelection::All).run().await?;
    /// for order in &report.orders {
    ///     let figures = &order.figures;
    ///     println!("{}: {} of {} codes used", order.order_id, figures.used_codes, figures.codes);
    /// }
    /// println!("{:.0}% used in all", report.totals.figures.share_used * 100.0);
    /// # Ok(()) }
    /// ```
    pub async fn run(mut self) -> Result<UsageReport> {
        self.client = self.client.with_overrides(&self.overrides);
        let targets = self.targets().await?;
        let planned = targets.len();
        (self.listener)(&UsageEvent::Planned { orders: planned });
        let client = self.client.clone();
        let (page_size, offset) = (self.page_size, self.offset);
        let mut reads = stream::iter(targets)
            .map(|target| read_order(&client, target, page_size, offset))
            .buffered(self.concurrency.get());
        // Sized once: rows that outlive every page should not be scattered between them.
        let mut orders = Vec::with_capacity(planned);
        let mut hours = Hours::new();
        while let Some((usage, order_hours)) = reads.next().await {
            (self.listener)(&UsageEvent::OrderRead {
                order_id: usage.order_id.clone(),
                codes: usage.figures.codes,
            });
            for (hour, count) in order_hours {
                *hours.entry(hour).or_default() += count;
            }
            orders.push(usage);
        }
        let totals = fold::totals(&orders);
        let series = fold::series(&hours, self.bucket, offset);
        Ok(UsageReport {
            orders,
            totals,
            series,
        })
    }

    /// The orders to read: listed ones arrive with their order, named ones are read later.
    async fn targets(&self) -> Result<Vec<Target>> {
        let listed = |order: Order| Target {
            order_id: order.id.clone(),
            name: None,
            order: Some(Box::new(order)),
        };
        let named = |name: Option<String>| {
            move |order_id: OrderId| Target {
                order_id,
                name: name.clone(),
                order: None,
            }
        };
        let orders = self.client.promocodes().order();
        Ok(match &self.selection {
            OrderSelection::All => orders.list().stream().map_ok(listed).try_collect().await?,
            OrderSelection::ActiveUntil { from, to } => {
                orders
                    .list()
                    .stream()
                    .try_filter(|order| {
                        std::future::ready((*from..=*to).contains(&order.active_until))
                    })
                    .map_ok(listed)
                    .try_collect()
                    .await?
            }
            OrderSelection::Ids(ids) => ids.iter().cloned().map(named(None)).collect(),
            OrderSelection::Journal(path) => {
                let (name, ids) = journal_orders(path)?;
                ids.into_iter().map(named(name)).collect()
            }
        })
    }
}

/// One order to read, with its order when a listing already gave it (boxed: a report of
/// named orders holds thousands of targets, and few of them carry one).
struct Target {
    order_id: OrderId,
    name: Option<String>,
    order: Option<Box<Order>>,
}

/// Reads one order and folds its codes; a failure becomes the order's `error`.
async fn read_order(
    client: &GoClient,
    target: Target,
    page_size: Option<u32>,
    offset: FixedOffset,
) -> (OrderUsage, Hours) {
    let orders = client.promocodes().order();
    let Target {
        order_id,
        name,
        order,
    } = target;
    let mut usage = OrderUsage {
        order_id: order_id.clone(),
        name,
        status: None,
        value: None,
        count: None,
        figures: CodeFigures::default(),
        error: None,
    };
    // The order and its codes are read together: a named order costs no extra round trip.
    let mut listing = orders.code().list(&order_id);
    if let Some(size) = page_size {
        listing = listing.page_size(size);
    }
    let codes = listing
        .stream()
        .try_fold(CodeFold::default(), |mut fold, code| {
            fold.add(&code, offset);
            std::future::ready(Ok(fold))
        });
    let (order, folded) = match order {
        // A listed order's status is known already: one never issued is not asked for codes.
        Some(order) if never_issued(&order) => (Ok(*order), Ok(CodeFold::default())),
        Some(order) => (Ok(*order), codes.await),
        None => futures::join!(orders.get(&order_id).send(), codes),
    };
    let order = match order {
        Ok(order) => order,
        Err(error) => {
            usage.error = Some(error_chain(&error));
            return (usage, Hours::new());
        }
    };
    usage.status = Some(order.status.clone());
    usage.value = Some(order.value);
    usage.count = Some(order.count);
    // An order that was never issued has no codes, whatever its listing said.
    if never_issued(&order) {
        return (usage, Hours::new());
    }
    match folded {
        Ok(fold) => {
            let (figures, hours) = fold.finish();
            usage.figures = figures;
            (usage, hours)
        }
        Err(error) => {
            usage.error = Some(error_chain(&crate::Error::from(error)));
            (usage, Hours::new())
        }
    }
}

/// Whether an order never got codes: still pending, or failed.
fn never_issued(order: &Order) -> bool {
    matches!(
        order.status,
        OrderStatus::Pending | OrderStatus::CreationFailed
    )
}

/// An error and its causes, each once, as one line.
fn error_chain(error: &crate::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
