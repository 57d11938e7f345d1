//! What an issuance tells its caller: the events of a run, and the summaries of a run and
//! of a cancel.
use std::path::PathBuf;

use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::go::OrderId;

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
