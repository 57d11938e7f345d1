//! The phases of a run, each journalled before it acts: create the orders, wait until they
//! are issued, and export their codes to the output.
use std::{
    fs::{self, OpenOptions},
    io::{Seek as _, SeekFrom, Write as _},
    time::Duration,
};

use futures::TryStreamExt as _;
use uuid::Uuid;
use yandex_promo_raw::open::OrderStatus;

use super::{
    Issuance, IssueEvent,
    journal::{Journal, Position, Record, sync_dir},
    output::output_error,
};
use crate::{Error, IssuanceStop, Result, go::OrderId, pagination::Cursor};

impl Issuance {
    /// Creates every order that has no id yet, each with its journalled token; with
    /// `recreate_failed`, also every order the service failed, under a new token.
    pub(super) async fn create(&mut self, journal: &mut Journal, sizes: &[u32]) -> Result<()> {
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
    pub(super) async fn await_issue(&mut self, journal: &mut Journal) -> Result<()> {
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
                    return Err(Error::Issuance(IssuanceStop::StillPending {
                        order_id,
                        status: order.status.to_string(),
                        waited: self.wait,
                    }));
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
        }
        Ok(())
    }

    /// Writes every code of every issued order, from where the journal says the output
    /// stands, checking each order's count against the plan before moving past it.
    pub(super) async fn export(&mut self, journal: &mut Journal, sizes: &[u32]) -> Result<()> {
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
                    return Err(Error::Issuance(IssuanceStop::CodesMissing {
                        order_id,
                        listed,
                        expected: u64::from(size),
                    }));
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
}
