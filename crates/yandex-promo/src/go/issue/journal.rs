//! The issuance journal: every decision written down, durably, before it is acted on.
//!
//! Format (version 1): JSON Lines. The first line is the header,
//! `{"format": "yandex-promo-issue-journal", "version": 1, "plan": {...}}`; every later line
//! is one [`Record`]. A line counts once it ends with a newline and has been `fsync`ed:
//! the journal is append-only, so a crash can at worst leave a last line cut short, which is
//! recognised (no newline) and dropped, since nothing was acted on before it was durable. Any
//! other damage is refused with the line number, never guessed around.
//!
//! Why JSON Lines and `fsync` rather than SQLite: the journal is written by one process,
//! appended to and read whole; an append plus `fsync` is atomic enough for that (a torn last
//! line is detected), needs no C library in every build of the client, and stays readable
//! with `cat` when an operator has to look. The header is written to a temporary file,
//! `fsync`ed and renamed into place (then the directory is `fsync`ed), so a journal exists
//! whole or not at all.
use std::{
    collections::BTreeMap,
    fs::{self, File, OpenOptions},
    io::{BufRead as _, BufReader, Seek as _, SeekFrom, Write as _},
    path::{Path, PathBuf},
};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::IssuePlan;
use crate::{Error, JournalProblem};

/// The header's `format`.
const FORMAT: &str = "yandex-promo-issue-journal";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    plan: serde_json::Value,
}

/// One decision or fact, in the order they happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum Record {
    /// Order `order` is (re)created with this idempotency token. Written before the create
    /// is sent; the last token of an order is its current one.
    Token { order: usize, token: Uuid },
    /// The service named the order made with the order's current token.
    Created { order: usize, order_id: String },
    /// The order was issued: its codes can be listed. With its cost, so that a summary
    /// needs no request.
    Issued {
        order: usize,
        cost_with_vat: Decimal,
        currency: String,
    },
    /// The order ended as `status` (`creation_failed`) and was not issued.
    Failed { order: usize, status: String },
    /// The output holds `bytes` bytes, `codes` codes, and continues with order `next_order`
    /// from `next_cursor` (`None`: its first page). Written after the bytes were `fsync`ed.
    Written {
        next_order: usize,
        next_cursor: Option<String>,
        codes: u64,
        bytes: u64,
    },
    /// The output was renamed into place.
    Complete,
    /// A cancel of order `order` was answered: `ok`, or refused with `reason`.
    Cancelled {
        order: usize,
        ok: bool,
        reason: Option<String>,
    },
}

/// What the journal says about one order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct OrderState {
    pub(crate) token: Option<Uuid>,
    pub(crate) order_id: Option<String>,
    pub(crate) issued: bool,
    /// The cost with VAT and its currency, once issued.
    pub(crate) cost: Option<(Decimal, String)>,
    pub(crate) failed: Option<String>,
    pub(crate) cancelled: bool,
}

/// Where the output stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Position {
    pub(crate) next_order: usize,
    pub(crate) next_cursor: Option<String>,
    pub(crate) codes: u64,
    pub(crate) bytes: u64,
}

/// Everything the journal says, replayed.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub(crate) orders: BTreeMap<usize, OrderState>,
    /// `None` until the output's first bytes were written.
    pub(crate) position: Option<Position>,
    pub(crate) complete: bool,
}

impl State {
    /// What the journal says about order `index` (nothing yet: the default).
    pub(crate) fn order(&self, index: usize) -> OrderState {
        self.orders.get(&index).cloned().unwrap_or_default()
    }

    fn apply(&mut self, record: &Record) {
        match record {
            Record::Token { order, token } => {
                let state = self.orders.entry(*order).or_default();
                // A new token is a new order: what the old one made is forgotten.
                *state = OrderState {
                    token: Some(*token),
                    ..OrderState::default()
                };
            }
            Record::Created { order, order_id } => {
                self.orders.entry(*order).or_default().order_id = Some(order_id.clone());
            }
            Record::Issued {
                order,
                cost_with_vat,
                currency,
            } => {
                let state = self.orders.entry(*order).or_default();
                state.issued = true;
                state.cost = Some((*cost_with_vat, currency.clone()));
            }
            Record::Failed { order, status } => {
                self.orders.entry(*order).or_default().failed = Some(status.clone());
            }
            Record::Written {
                next_order,
                next_cursor,
                codes,
                bytes,
            } => {
                self.position = Some(Position {
                    next_order: *next_order,
                    next_cursor: next_cursor.clone(),
                    codes: *codes,
                    bytes: *bytes,
                });
            }
            Record::Complete => self.complete = true,
            Record::Cancelled { order, ok, .. } => {
                self.orders.entry(*order).or_default().cancelled |= *ok;
            }
        }
    }

    /// Whether a record names orders the plan has.
    fn fits(record: &Record, orders: usize) -> bool {
        let order = match record {
            Record::Token { order, .. }
            | Record::Created { order, .. }
            | Record::Issued { order, .. }
            | Record::Failed { order, .. }
            | Record::Cancelled { order, .. } => *order,
            Record::Written { next_order, .. } => return *next_order <= orders,
            Record::Complete => return true,
        };
        order < orders
    }
}

/// An open journal: its file, ready to append to, and its replayed state.
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    file: File,
    pub(crate) state: State,
}

fn problem(path: &Path, problem: JournalProblem) -> Error {
    Error::Journal {
        path: path.to_owned(),
        problem,
    }
}

fn io(path: &Path, error: std::io::Error) -> Error {
    problem(path, JournalProblem::Io(error))
}

/// Makes a rename or a new file in `path`'s directory durable.
pub(crate) fn sync_dir(path: &Path) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    File::open(dir.unwrap_or(Path::new(".")))?.sync_all()
}

impl Journal {
    /// Opens the journal at `path` for `plan`: creates it when there is none, else replays it
    /// and checks that it is a journal of this version for this very plan.
    pub(crate) fn open(path: &Path, plan: &IssuePlan) -> Result<Self, Error> {
        if !path.exists() {
            Self::create(path, plan)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        let mut journal = Self {
            path: path.to_owned(),
            file,
            state: State::default(),
        };
        journal.replay(plan)?;
        Ok(journal)
    }

    /// Opens an existing journal for the plan its header holds (to cancel its orders).
    pub(crate) fn open_existing(path: &Path) -> Result<Self, Error> {
        let file = File::open(path).map_err(|e| io(path, e))?;
        let mut first = String::new();
        BufReader::new(file)
            .read_line(&mut first)
            .map_err(|e| io(path, e))?;
        let plan: IssuePlan = serde_json::from_str::<Header>(&first)
            .ok()
            .filter(|h| h.format == FORMAT)
            .and_then(|h| IssuePlan::from_json(h.plan))
            .ok_or_else(|| problem(path, JournalProblem::NotAJournal))?;
        Self::open(path, &plan)
    }

    /// Writes a journal holding only the header for `plan`, atomically.
    fn create(path: &Path, plan: &IssuePlan) -> Result<(), Error> {
        let header = Header {
            format: FORMAT.to_owned(),
            version: VERSION,
            plan: plan.to_json()?,
        };
        let mut line = serde_json::to_string(&header).map_err(|e| io(path, e.into()))?;
        line.push('\n');
        let temporary = path.with_extension("journal-new");
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&temporary)?;
            file.write_all(line.as_bytes())?;
            file.sync_all()?;
            fs::rename(&temporary, path)?;
            sync_dir(path)
        };
        write().map_err(|e| io(path, e))
    }

    fn replay(&mut self, plan: &IssuePlan) -> Result<(), Error> {
        let path = self.path.clone();
        let mut reader = BufReader::new(&self.file);
        let mut line = String::new();
        let mut good_bytes = 0u64;
        let mut number = 0usize;
        let orders = plan.order_sizes().len();
        loop {
            line.clear();
            let read = reader.read_line(&mut line).map_err(|e| io(&path, e))?;
            if read == 0 {
                break;
            }
            number += 1;
            if !line.ends_with('\n') {
                // A record cut short by a crash: it was never acted on.
                if number == 1 {
                    return Err(problem(&path, JournalProblem::Truncated));
                }
                break;
            }
            if number == 1 {
                check_header(&path, &line, plan)?;
            } else {
                let record: Record = serde_json::from_str(&line)
                    .ok()
                    .filter(|record| State::fits(record, orders))
                    .ok_or_else(|| problem(&path, JournalProblem::Corrupted { line: number }))?;
                self.state.apply(&record);
            }
            good_bytes += read as u64;
        }
        if number == 0 {
            return Err(problem(&path, JournalProblem::Truncated));
        }
        // Drop a torn last line, so the next record starts on a line of its own.
        self.file.set_len(good_bytes).map_err(|e| io(&path, e))?;
        self.file.seek(SeekFrom::End(0)).map_err(|e| io(&path, e))?;
        Ok(())
    }

    /// Appends `record` and makes it durable before returning: only then may the caller act.
    pub(crate) fn append(&mut self, record: Record) -> Result<(), Error> {
        let mut line = serde_json::to_string(&record).map_err(|e| io(&self.path, e.into()))?;
        line.push('\n');
        let path = &self.path;
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| io(path, e))?;
        self.state.apply(&record);
        Ok(())
    }
}

/// Checks the first line: our format, our version, this plan.
fn check_header(path: &Path, line: &str, plan: &IssuePlan) -> Result<(), Error> {
    let header: Header = serde_json::from_str(line)
        .ok()
        .filter(|h: &Header| h.format == FORMAT)
        .ok_or_else(|| problem(path, JournalProblem::NotAJournal))?;
    if header.version != VERSION {
        return Err(problem(
            path,
            JournalProblem::Version {
                found: header.version,
            },
        ));
    }
    let ours = plan.to_json()?;
    if header.plan != ours {
        return Err(problem(
            path,
            JournalProblem::ForeignPlan {
                journal: header.plan.to_string(),
                asked: ours.to_string(),
            },
        ));
    }
    Ok(())
}
