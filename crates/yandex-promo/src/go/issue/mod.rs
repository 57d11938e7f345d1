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
mod journal;
mod plan;

use std::{
    fs::{self, File, OpenOptions},
    io::{Seek as _, SeekFrom, Write as _},
    path::{Path, PathBuf},
    time::Duration,
};

use futures::TryStreamExt as _;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;
use yandex_promo_raw::open::OrderStatus;

pub use journal::VERSION as JOURNAL_VERSION;
pub use plan::{IssuePlan, TOTAL_CODES};

use super::{Code, GoClient, OrderId};
use crate::{Error, Result, pagination::Cursor};
use journal::{Journal, Position, Record, sync_dir};

/// How issued codes are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum IssueFormat {
    /// CSV with a header: `order_id,code_id,code,value,active_until`.
    #[default]
    Csv,
    /// One JSON object a line, with the same fields.
    JsonLines,
}

/// What an issuance is doing, for a progress display or a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum IssueEvent {
    /// The plan: so many orders for so many codes.
    Planned {
        /// Orders the plan makes.
        orders: usize,
        /// Codes in all.
        codes: u64,
    },
    /// Order `index` exists (made now, or earlier by the journalled token).
    OrderCreated {
        /// Its place in the plan, from 0.
        index: usize,
        /// The order's id.
        order_id: OrderId,
    },
    /// Order `index` was issued.
    OrderIssued {
        /// Its place in the plan.
        index: usize,
    },
    /// Order `index` ended without codes: `creation_failed` (re-created only when asked), or
    /// cancelled meanwhile.
    OrderFailed {
        /// Its place in the plan.
        index: usize,
        /// The order's id.
        order_id: OrderId,
        /// The status it ended in.
        status: String,
    },
    /// So many codes are in the output so far.
    CodesWritten {
        /// Codes written, in all.
        codes: u64,
    },
}

/// One issued order of an issuance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct IssuedOrder {
    /// The order's id.
    pub order_id: OrderId,
    /// Its codes.
    pub count: u32,
    /// What it costs, VAT included.
    pub cost_with_vat: Decimal,
}

/// What an issuance made.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct IssueSummary {
    /// Every order that has codes, in plan order.
    pub orders: Vec<IssuedOrder>,
    /// Orders that ended without codes: `(order id, status)`.
    pub failed: Vec<(OrderId, String)>,
    /// Codes in the output.
    pub codes: u64,
    /// The orders' cost, VAT included.
    pub cost_with_vat: Decimal,
    /// The currency of the cost.
    pub currency: String,
    /// The output file.
    pub output: PathBuf,
}

/// What cancelling an issuance did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CancelSummary {
    /// Orders cancelled now or before.
    pub cancelled: Vec<OrderId>,
    /// Orders that could not be cancelled, with the reason (409: codes were used).
    pub refused: Vec<(OrderId, String)>,
    /// Tokens of creates whose answer was never read: each may have made an order that the
    /// journal cannot name. Repeating the create with the token names it.
    pub unconfirmed: Vec<Uuid>,
}

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
}

impl std::fmt::Debug for Issuance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuance")
            .field("plan", &self.plan)
            .field("output", &self.output)
            .field("journal", &self.journal_path())
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// The journal beside an output: `codes.csv` → `codes.csv.journal`.
pub fn default_journal(output: &Path) -> PathBuf {
    with_suffix(output, ".journal")
}

/// `path` with `suffix` appended to its file name (`codes.csv` -> `codes.csv.journal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn output_error(path: &Path, error: std::io::Error) -> Error {
    Error::Output {
        path: path.to_owned(),
        error,
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
        }
    }

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
        with_suffix(&self.output, ".partial")
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
                    return Err(Error::Issuance(format!(
                        "{} exists but its journal {} does not; move it away or choose another output",
                        file.display(),
                        path.display()
                    )));
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
                return Err(Error::Issuance(format!(
                    "the journal says the issuance is complete, but {} is gone; its orders are \
                     in {}, and their codes can be exported with `codes export`",
                    self.output.display(),
                    path.display()
                )));
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

    /// Creates every order that has no id yet, each with its journalled token; with
    /// `recreate_failed`, also every order the service failed, under a new token.
    async fn create(&mut self, journal: &mut Journal, sizes: &[u32]) -> Result<()> {
        let orders = self.client.promocodes().order();
        for (index, &size) in sizes.iter().enumerate() {
            let state = journal.state.order(index);
            let recreate = self.recreate_failed && state.recreatable();
            let token = match state.token {
                Some(_) if state.order_id.is_some() && !recreate => continue,
                // A create whose answer was lost: the same token gets the same order.
                Some(token) if !recreate => token,
                _ => {
                    let token = Uuid::new_v4();
                    journal.append(Record::Token {
                        order: index,
                        token,
                    })?;
                    token
                }
            };
            let created = orders
                .create(self.plan.order(size))
                .idempotency_token(token)
                .send()
                .await?;
            journal.append(Record::Created {
                order: index,
                order_id: created.order_id.as_str().to_owned(),
            })?;
            self.emit(&IssueEvent::OrderCreated {
                index,
                order_id: created.order_id,
            });
        }
        Ok(())
    }

    /// Waits until every order is issued or has ended otherwise, polling each with backoff.
    /// A status this crate does not know is waited on like `pending`.
    async fn await_issue(&mut self, journal: &mut Journal) -> Result<()> {
        let orders = self.client.promocodes().order();
        let waiting: Vec<(usize, String)> = journal
            .state
            .orders
            .iter()
            .filter(|(_, o)| !o.issued && o.failed.is_none())
            .filter_map(|(i, o)| Some((*i, o.order_id.clone()?)))
            .collect();
        let started = tokio::time::Instant::now();
        for (index, order_id) in waiting {
            let mut pause = Duration::from_millis(100);
            loop {
                let order = orders.get(order_id.as_str()).await?;
                match order.status {
                    OrderStatus::CreationSuccess => {
                        journal.append(Record::Issued {
                            order: index,
                            cost_with_vat: order.pricing.cost_with_vat,
                            currency: order.pricing.currency.clone(),
                        })?;
                        self.emit(&IssueEvent::OrderIssued { index });
                        break;
                    }
                    OrderStatus::CreationFailed
                    | OrderStatus::CancellationSuccess
                    | OrderStatus::CancellationFailed => {
                        let status = order.status.to_string();
                        journal.append(Record::Failed {
                            order: index,
                            status: status.clone(),
                        })?;
                        let order_id = OrderId::from(order_id.as_str());
                        self.emit(&IssueEvent::OrderFailed {
                            index,
                            order_id,
                            status,
                        });
                        break;
                    }
                    _ => {}
                }
                if started.elapsed() > self.wait {
                    return Err(Error::Issuance(format!(
                        "order {order_id} is still {} after {:?}; run again to continue",
                        order.status, self.wait
                    )));
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
        }
        Ok(())
    }

    /// Writes every code of every issued order, from where the journal says the output
    /// stands, checking each order's count against the plan before moving past it.
    async fn export(&mut self, journal: &mut Journal, sizes: &[u32]) -> Result<()> {
        let partial = self.partial_path();
        let position = match journal.state.position.clone() {
            Some(position)
                if position.next_order >= sizes.len()
                    && !partial.exists()
                    && self.output.exists() =>
            {
                // Renamed into place just before a crash: only the record is missing.
                return journal.append(Record::Complete);
            }
            // The partial output was lost: nothing of it was delivered, so start it again.
            Some(position) if partial.exists() => position,
            _ => self.start_output(journal, &partial)?,
        };
        let mut file = OpenOptions::new()
            .write(true)
            .open(&partial)
            .map_err(|e| output_error(&partial, e))?;
        // Anything after the last journalled position was never recorded: write it again.
        file.set_len(position.bytes)
            .and_then(|()| file.seek(SeekFrom::End(0)).map(drop))
            .map_err(|e| output_error(&partial, e))?;
        let Position {
            mut codes,
            mut bytes,
            mut order_codes,
            ..
        } = position;
        for (index, &size) in sizes.iter().enumerate().skip(position.next_order) {
            let state = journal.state.order(index);
            let order_id = match state.order_id {
                Some(order_id) if state.issued => order_id,
                // An order that ended without codes: move past it.
                _ => {
                    journal.append(Record::Written {
                        next_order: index + 1,
                        next_cursor: None,
                        codes,
                        bytes,
                        order_codes: 0,
                    })?;
                    continue;
                }
            };
            let mut listing = self
                .client
                .promocodes()
                .order()
                .code()
                .list(order_id.as_str());
            let resume = position
                .next_cursor
                .as_ref()
                .filter(|_| index == position.next_order);
            if let Some(cursor) = resume {
                listing = listing.resume_from(Cursor::new(cursor.clone()));
            } else {
                order_codes = 0;
            }
            let mut pages = listing.pages();
            while let Some(page) = pages.try_next().await? {
                let rows = self.rows(&order_id, &page.items)?;
                let last = page.next_cursor.is_none();
                let listed = order_codes + page.items.len() as u64;
                if last && listed != u64::from(size) {
                    // Not past this order until it lists all its codes: a later run asks again.
                    return Err(Error::Issuance(format!(
                        "order {order_id} lists {listed} codes, not the {size} it was made with; run again later"
                    )));
                }
                file.write_all(&rows)
                    .and_then(|()| file.sync_data())
                    .map_err(|e| output_error(&partial, e))?;
                bytes += rows.len() as u64;
                codes += page.items.len() as u64;
                order_codes = listed;
                let (next_order, next_cursor, order_codes_after) = match page.next_cursor {
                    Some(next) => (index, Some(next.as_str().to_owned()), order_codes),
                    None => (index + 1, None, 0),
                };
                journal.append(Record::Written {
                    next_order,
                    next_cursor,
                    codes,
                    bytes,
                    order_codes: order_codes_after,
                })?;
                self.emit(&IssueEvent::CodesWritten { codes });
            }
        }
        drop(file);
        fs::rename(&partial, &self.output)
            .and_then(|()| sync_dir(&self.output))
            .map_err(|e| output_error(&self.output, e))?;
        journal.append(Record::Complete)
    }

    /// Creates the partial output with its header, durably, and journals where it stands.
    fn start_output(&self, journal: &mut Journal, partial: &Path) -> Result<Position> {
        let header: &[u8] = match self.format {
            IssueFormat::Csv => b"order_id,code_id,code,value,active_until\n",
            IssueFormat::JsonLines => b"",
        };
        let write = || -> std::io::Result<()> {
            let mut file = File::create(partial)?;
            file.write_all(header)?;
            file.sync_all()?;
            sync_dir(partial)
        };
        write().map_err(|e| output_error(partial, e))?;
        let position = Position {
            bytes: header.len() as u64,
            ..Position::default()
        };
        journal.append(Record::Written {
            next_order: 0,
            next_cursor: None,
            codes: 0,
            bytes: position.bytes,
            order_codes: 0,
        })?;
        Ok(position)
    }

    /// The output lines of one page of codes.
    fn rows(&self, order_id: &str, codes: &[Code]) -> Result<Vec<u8>> {
        let template = self.plan.template();
        let value = template.value().to_string();
        let until = template.active_until().to_string();
        let invalid = |e: &dyn std::fmt::Display| {
            output_error(&self.partial_path(), std::io::Error::other(e.to_string()))
        };
        let mut out = Vec::new();
        match self.format {
            IssueFormat::Csv => {
                let mut writer = csv::Writer::from_writer(&mut out);
                for code in codes {
                    let row = [
                        order_id,
                        code.id.as_str(),
                        code.code.as_str(),
                        &value,
                        &until,
                    ];
                    writer.write_record(row).map_err(|e| invalid(&e))?;
                }
                writer.flush().map_err(|e| invalid(&e))?;
            }
            IssueFormat::JsonLines => {
                for code in codes {
                    let line = serde_json::json!({
                        "order_id": order_id, "code_id": code.id, "code": code.code,
                        "value": template.value(), "active_until": until,
                    });
                    serde_json::to_writer(&mut out, &line).map_err(|e| invalid(&e))?;
                    out.push(b'\n');
                }
            }
        }
        Ok(out)
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

/// Cancels every order of the issuance journalled at `path` that can still be cancelled.
pub(super) async fn cancel(client: &GoClient, path: &Path) -> Result<CancelSummary> {
    let mut journal = Journal::open_existing(path)?;
    let orders = client.promocodes().order();
    let mut summary = CancelSummary::default();
    let known: Vec<(usize, journal::OrderState)> = journal
        .state
        .orders
        .iter()
        .map(|(i, o)| (*i, o.clone()))
        .collect();
    for (index, state) in known {
        let Some(order_id) = state.order_id else {
            // A create was sent and its answer never read: the order may exist, unnamed.
            if let Some(token) = state.token {
                summary.unconfirmed.push(token);
            }
            continue;
        };
        let id = OrderId::from(order_id.as_str());
        if state.cancelled {
            summary.cancelled.push(id);
            continue;
        }
        match orders.cancel(order_id.as_str()).await {
            Ok(()) => {
                journal.append(Record::Cancelled {
                    order: index,
                    ok: true,
                    reason: None,
                })?;
                summary.cancelled.push(id);
            }
            // Every other order is still tried: the refusal is reported with its reason.
            Err(error) => {
                let reason = match &error {
                    Error::Api(api) => api.message.clone().unwrap_or_else(|| api.to_string()),
                    other => other.to_string(),
                };
                journal.append(Record::Cancelled {
                    order: index,
                    ok: false,
                    reason: Some(reason.clone()),
                })?;
                summary.refused.push((id, reason));
            }
        }
    }
    Ok(summary)
}
