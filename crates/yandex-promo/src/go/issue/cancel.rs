//! Cancelling what an issuance made, order by order, from its journal.
use std::path::Path;

use super::{
    CancelSummary,
    journal::{self, Journal, Record},
};
use crate::{
    Error, Result,
    go::{GoClient, OrderId},
};

/// Cancels every order of the issuance journalled at `path` that can still be cancelled.
pub(crate) async fn cancel(client: &GoClient, path: &Path) -> Result<CancelSummary> {
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
