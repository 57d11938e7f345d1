//! Issuing any number of codes in one crash-safe, resumable run: plan the orders, create
//! them with journalled idempotency tokens, wait until they are issued, and write every code
//! to one file, exactly once, whatever kills the process in between.
//!
//! Every decision is in the journal (see [`journal`]) before it is acted on:
//! - an order's idempotency token is `fsync`ed before its create is sent, so a create whose
//!   answer was lost is repeated with the same token and returns the same order; an order the
//!   journal has a token for is never created with another (unless the caller asks to
//!   re-create one that the service failed);
//! - codes go to `<output>.partial`, page by page; each page is `fsync`ed, then its position
//!   (bytes, codes, next page) is journalled. A resumed run cuts the file back to the last
//!   journalled position and continues from the page after it, so no code is written twice
//!   and none is lost;
//! - the complete file is renamed into place (and the directory `fsync`ed) at the end.
mod cancel;
mod journal;
mod output;
mod phases;
mod plan;
mod report;

use std::{path::PathBuf, time::Duration};

use rust_decimal::Decimal;

pub use journal::VERSION as JOURNAL_VERSION;
pub use output::{IssueFormat, default_journal};
pub use plan::{IssuePlan, TOTAL_CODES};
pub use report::{CancelSummary, IssueEvent, IssueSummary, IssuedOrder};

pub(super) use cancel::cancel;

/// The orders an issuance journal made, in plan order, with the plan's order name: what a
/// usage report of an issuance reads. Locks the journal while reading it, as a run does.
pub(crate) fn journal_orders(path: &std::path::Path) -> Result<(Option<String>, Vec<OrderId>)> {
    let (journal, plan) = Journal::open_with_plan(path)?;
    let orders = journal
        .state
        .orders
        .values()
        .filter_map(|order| order.order_id.as_deref().map(OrderId::from))
        .collect();
    Ok((plan.template().order_name().map(str::to_owned), orders))
}

use super::{GoClient, OrderId};
use crate::{Error, IssuanceStop, Result, call::Overrides};
use journal::Journal;

type Listener = Box<dyn FnMut(&IssueEvent) + Send>;

/// How many times one run makes failed orders again, with `recreate_failed`, before it
/// writes the codes it has and reports the rest.
const RECREATE_ROUNDS: usize = 3;

/// An issuance to run: see [`super::PromocodeManager::issue`].
#[must_use = "nothing is sent until `run` is awaited"]
pub struct Issuance {
    client: GoClient,
    plan: IssuePlan,
    output: PathBuf,
    journal: Option<PathBuf>,
    format: IssueFormat,
    wait: Duration,
    recreate_failed: bool,
    listener: Listener,
    overrides: Overrides,
}

impl std::fmt::Debug for Issuance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuance")
            .field("plan", &self.plan)
            .field("output", &self.output)
            .field("journal", &self.journal_path())
            .field("format", &self.format)
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

impl Issuance {
    pub(super) fn new(client: GoClient, plan: IssuePlan, output: PathBuf) -> Self {
        Self {
            client,
            plan,
            output,
            journal: None,
            format: IssueFormat::Csv,
            wait: Duration::from_secs(30 * 60),
            recreate_failed: false,
            listener: Box::new(|_| {}),
            overrides: Overrides::default(),
        }
    }

    crate::request::call_setters!(
        "# fn demo(client: yandex_promo::go::GoClient, plan: yandex_promo::go::IssuePlan) {",
        "client.promocodes().issue(plan, \"codes.csv\")",
        "every request of this issuance (creates, the polls of each order, pages of codes)"
    );

    /// The journal file (default: the output's name plus `.journal`). Run again with the same
    /// journal to continue an issuance; a journal of another plan is refused.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient, plan: yandex_promo::go::IssuePlan) -> yandex_promo::Result<()> {
    /// client.promocodes().issue(plan, "codes.csv").journal("/var/lib/promo/spring.journal").run().await?;
    /// # Ok(()) }
    /// ```
    pub fn journal(mut self, path: impl Into<PathBuf>) -> Self {
        self.journal = Some(path.into());
        self
    }

    /// The output format (default CSV).
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient, plan: yandex_promo::go::IssuePlan) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::IssueFormat;
    /// client.promocodes().issue(plan, "codes.jsonl").format(IssueFormat::JsonLines).run().await?;
    /// # Ok(()) }
    /// ```
    pub fn format(mut self, format: IssueFormat) -> Self {
        self.format = format;
        self
    }

    /// How long a run waits for its orders to be issued before it stops (default 30
    /// minutes; the journal keeps everything, so a later run continues).
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient, plan: yandex_promo::go::IssuePlan) -> yandex_promo::Result<()> {
    /// use std::time::Duration;
    /// client.promocodes().issue(plan, "codes.csv").wait(Duration::from_secs(3600)).run().await?;
    /// # Ok(()) }
    /// ```
    pub fn wait(mut self, limit: Duration) -> Self {
        self.wait = limit;
        self
    }

    /// Orders the service failed (`creation_failed`) are made again under a new token, up
    /// to 3 rounds, before any code is written (default: reported, not re-created).
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient, plan: yandex_promo::go::IssuePlan) -> yandex_promo::Result<()> {
    /// client.promocodes().issue(plan, "codes.csv").recreate_failed(true).run().await?;
    /// # Ok(()) }
    /// ```
    pub fn recreate_failed(mut self, recreate: bool) -> Self {
        self.recreate_failed = recreate;
        self
    }

    /// Calls `listener` with every [`IssueEvent`], for a progress display or a log.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient, plan: yandex_promo::go::IssuePlan) -> yandex_promo::Result<()> {
    /// client
    ///     .promocodes()
    ///     .issue(plan, "codes.csv")
    ///     .on_event(|event| eprintln!("{event:?}"))
    ///     .run()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn on_event(mut self, listener: impl FnMut(&IssueEvent) + Send + 'static) -> Self {
        self.listener = Box::new(listener);
        self
    }

    fn journal_path(&self) -> PathBuf {
        self.journal
            .clone()
            .unwrap_or_else(|| default_journal(&self.output))
    }

    fn partial_path(&self) -> PathBuf {
        output::with_suffix(&self.output, ".partial")
    }

    /// Runs the issuance to the end, or continues it from its journal.
    ///
    /// # Errors
    /// [`Error::Validation`] for a plan that breaks a rule (nothing sent);
    /// [`Error::Journal`] for a journal of another plan or version, or a damaged one;
    /// [`Error::Output`] when the output cannot be written; [`Error::Issuance`] when an order
    /// stays pending past the wait; the [`Error`]s of a call. After any error, running again
    /// with the same journal continues where this run stopped.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::{IssuePlan, NewOrder};
    /// let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let plan = IssuePlan::new(5_000, NewOrder::new(500, 5, until));
    /// let summary = client.promocodes().issue(plan, "codes.csv").run().await?;
    /// println!("{} codes in {} orders", summary.codes, summary.orders.len());
    /// # Ok(()) }
    /// ```
    pub async fn run(mut self) -> Result<IssueSummary> {
        self.client = self.client.with_overrides(&self.overrides);
        let sizes = self.plan.order_sizes();
        let today = self.client.context().clock.today();
        let path = self.journal_path();
        let fresh = !path.exists();
        if fresh {
            // A new plan is checked before its journal is written, and never writes over
            // an output (or a partial one, whose journal would then be lost).
            self.plan.validate(today)?;
            for file in [&self.output, &self.partial_path()] {
                if file.exists() {
                    return Err(Error::Issuance(IssuanceStop::OutputWithoutJournal {
                        output: file.clone(),
                        journal: path,
                    }));
                }
            }
        }
        let mut journal = Journal::open(&path, &self.plan, &self.run_identity())?;
        // A resumed plan is checked only while it still has orders to make: the codes of
        // made orders stay valid however late it is. (A new one was checked above.)
        if !fresh && (0..sizes.len()).any(|i| journal.state.order(i).order_id.is_none()) {
            self.plan.validate(today)?;
        }
        self.replay_progress(&journal, &sizes);
        if journal.state.complete {
            if !self.output.exists() {
                return Err(Error::Issuance(IssuanceStop::OutputGone {
                    output: self.output.clone(),
                    journal: path,
                }));
            }
            return Ok(self.summary(&journal, &sizes));
        }
        // With `recreate_failed`, an order the service failed is made again (a few times at
        // most) before any code is written; once writing has begun, the plan is fixed.
        let mut rounds = 0;
        loop {
            self.create(&mut journal, &sizes).await?;
            self.await_issue(&mut journal).await?;
            rounds += 1;
            let failed = journal.state.orders.values().any(|o| o.recreatable());
            let writing = journal.state.position.is_some();
            if !(failed && self.recreate_failed && !writing && rounds < RECREATE_ROUNDS) {
                break;
            }
        }
        self.export(&mut journal, &sizes).await?;
        Ok(self.summary(&journal, &sizes))
    }

    /// Where and how this plan is issued, as its journal records it.
    fn run_identity(&self) -> serde_json::Value {
        serde_json::json!({
            "base_url": yandex_promo_raw::go::ClientInfo::baseurl(self.client.raw()),
            "corp_client_id": self.client.corp_client_id(),
            "output": self.output,
            "format": match self.format {
                IssueFormat::Csv => "csv",
                IssueFormat::JsonLines => "jsonl",
            },
        })
    }

    /// Tells the listener what earlier runs did, so that progress starts where it stands.
    fn replay_progress(&mut self, journal: &Journal, sizes: &[u32]) {
        let codes: u64 = sizes.iter().map(|&s| u64::from(s)).sum();
        self.emit(&IssueEvent::Planned {
            orders: sizes.len(),
            codes,
        });
        for (&index, order) in &journal.state.orders {
            if let Some(order_id) = &order.order_id {
                let order_id = OrderId::from(order_id);
                self.emit(&IssueEvent::OrderCreated { index, order_id });
            }
            if order.issued {
                self.emit(&IssueEvent::OrderIssued { index });
            }
        }
        if let Some(position) = &journal.state.position {
            self.emit(&IssueEvent::CodesWritten {
                codes: position.codes,
            });
        }
    }

    fn emit(&mut self, event: &IssueEvent) {
        (self.listener)(event);
    }

    /// What the journal says was made, and what it costs: no request needed.
    fn summary(&self, journal: &Journal, sizes: &[u32]) -> IssueSummary {
        let mut summary = IssueSummary {
            orders: Vec::new(),
            failed: Vec::new(),
            codes: journal.state.position.as_ref().map_or(0, |p| p.codes),
            cost_with_vat: Decimal::ZERO,
            currency: String::new(),
            output: self.output.clone(),
        };
        for (index, state) in &journal.state.orders {
            let Some(order_id) = &state.order_id else {
                continue;
            };
            let order_id = OrderId::from(order_id);
            if let Some(status) = &state.failed {
                summary.failed.push((order_id, status.clone()));
                continue;
            }
            let (cost, currency) = state.cost.clone().unwrap_or_default();
            summary.cost_with_vat += cost;
            summary.currency = currency;
            summary.orders.push(IssuedOrder {
                order_id,
                count: sizes.get(*index).copied().unwrap_or(0),
                cost_with_vat: cost,
            });
        }
        summary
    }
}
