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
    fs::{self, File, OpenOptions, TryLockError},
    io::{BufRead as _, BufReader, Seek as _, SeekFrom, Write as _},
    path::{Path, PathBuf},
};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
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
    /// Where and how the plan is issued: the endpoint, the corporate client, the output
    /// file and its format. A journal is only good for the same.
    run: serde_json::Value,
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
    /// from `next_cursor` (`None`: its first page), of which `order_codes` are written.
    /// Written after the bytes were `fsync`ed.
    Written {
        next_order: usize,
        next_cursor: Option<String>,
        codes: u64,
        bytes: u64,
        order_codes: u64,
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

impl OrderState {
    /// Whether the service failed to make it (`creation_failed`), so that making it again
    /// under a new token is a choice. An order cancelled since is not.
    pub(crate) fn recreatable(&self) -> bool {
        self.failed.as_deref() == Some("creation_failed")
    }
}

/// Where the output stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Position {
    pub(crate) next_order: usize,
    pub(crate) next_cursor: Option<String>,
    pub(crate) codes: u64,
    pub(crate) bytes: u64,
    /// Codes of `next_order` already written.
    pub(crate) order_codes: u64,
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
                order_codes,
            } => {
                self.position = Some(Position {
                    next_order: *next_order,
                    next_cursor: next_cursor.clone(),
                    codes: *codes,
                    bytes: *bytes,
                    order_codes: *order_codes,
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
    /// Opens the journal at `path` for `plan` issued as `run` says: creates it when there is
    /// none, else replays it and checks that it is a journal of this version for this very
    /// plan and run. The journal stays locked (an exclusive advisory lock) while it is open,
    /// so a second process with the same journal is refused rather than ordering twice.
    pub(crate) fn open(path: &Path, plan: &IssuePlan, run: &Value) -> Result<Self, Error> {
        if !path.exists() {
            Self::create(path, plan, run)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        file.try_lock().map_err(|e| match e {
            TryLockError::WouldBlock => problem(path, JournalProblem::InUse),
            TryLockError::Error(e) => io(path, e),
        })?;
        let mut journal = Self {
            path: path.to_owned(),
            file,
            state: State::default(),
        };
        journal.replay(plan, run)?;
        Ok(journal)
    }

    /// Opens an existing journal for the plan and run its header holds (to cancel its
    /// orders).
    pub(crate) fn open_existing(path: &Path) -> Result<Self, Error> {
        Self::open_with_plan(path).map(|(journal, _)| journal)
    }

    /// [`Journal::open_existing`], with the plan its header holds.
    pub(crate) fn open_with_plan(path: &Path) -> Result<(Self, IssuePlan), Error> {
        let file = File::open(path).map_err(|e| io(path, e))?;
        let mut first = String::new();
        BufReader::new(file)
            .read_line(&mut first)
            .map_err(|e| io(path, e))?;
        let header = read_header(path, &first)?;
        let plan = IssuePlan::from_json(header.plan)
            .ok_or_else(|| problem(path, JournalProblem::NotAJournal))?;
        let journal = Self::open(path, &plan, &header.run)?;
        Ok((journal, plan))
    }

    /// Writes a journal holding only the header, atomically, unless another process made one
    /// first (a hard link never replaces a file).
    fn create(path: &Path, plan: &IssuePlan, run: &Value) -> Result<(), Error> {
        let header = Header {
            format: FORMAT.to_owned(),
            version: VERSION,
            plan: plan.to_json()?,
            run: run.clone(),
        };
        let mut line = serde_json::to_string(&header).map_err(|e| io(path, e.into()))?;
        line.push('\n');
        let temporary = path.with_extension("journal-new");
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&temporary)?;
            file.write_all(line.as_bytes())?;
            file.sync_all()?;
            let linked = fs::hard_link(&temporary, path);
            fs::remove_file(&temporary)?;
            match linked {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
                _ => {}
            }
            sync_dir(path)
        };
        write().map_err(|e| io(path, e))
    }

    fn replay(&mut self, plan: &IssuePlan, run: &Value) -> Result<(), Error> {
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
                check_header(&path, &line, plan, run)?;
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

/// The header of any version: the format and the version are read before anything else, so
/// a journal of another version is told apart from a file that is no journal.
fn read_header(path: &Path, line: &str) -> Result<Header, Error> {
    let value: Value = serde_json::from_str(line)
        .ok()
        .filter(|h: &Value| h["format"] == FORMAT)
        .ok_or_else(|| problem(path, JournalProblem::NotAJournal))?;
    let version = value["version"].as_u64().unwrap_or(0);
    if version != u64::from(VERSION) {
        let found = u32::try_from(version).unwrap_or(u32::MAX);
        return Err(problem(
            path,
            JournalProblem::Version {
                found,
                supported: VERSION,
            },
        ));
    }
    serde_json::from_value(value).map_err(|_| problem(path, JournalProblem::NotAJournal))
}

/// Checks the first line: our format, our version, this plan, this run.
fn check_header(path: &Path, line: &str, plan: &IssuePlan, run: &Value) -> Result<(), Error> {
    let header = read_header(path, line)?;
    if header.run != *run {
        return Err(problem(
            path,
            JournalProblem::ForeignRun {
                journal: header.run.to_string(),
                asked: run.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::go::NewOrder;

    #[test]
    fn a_journal_in_use_by_another_process_is_refused() {
        let dir = std::env::temp_dir().join(format!("yandex-promo-journal-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("a directory");
        let path = dir.join("codes.csv.journal");
        let plan = IssuePlan::new(20, NewOrder::new(500, 5, chrono::NaiveDate::MAX));
        let run = serde_json::json!({"output": "codes.csv"});
        let first = Journal::open(&path, &plan, &run).expect("opened");
        let second = Journal::open(&path, &plan, &run);
        assert!(matches!(
            second,
            Err(Error::Journal {
                problem: JournalProblem::InUse,
                ..
            })
        ));
        drop(first);
        Journal::open(&path, &plan, &run).expect("free again");
        let _ = fs::remove_dir_all(&dir);
    }
}
