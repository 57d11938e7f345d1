//! The codes of an order: the SDK's `CodeManager`.
use futures::FutureExt as _;
use yandex_promo_raw::go::operations;

use super::{Code, GoClient, OrderId};
use crate::pagination::{Listing, fetch_pages};

/// The promo codes of orders.
#[derive(Debug, Clone)]
pub struct CodeManager {
    client: GoClient,
}

impl CodeManager {
    pub(super) fn new(client: GoClient) -> Self {
        Self { client }
    }

    /// Lists the codes of an order: one page with `send`, or every code as a stream.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let codes = client.promocodes().order().code();
    /// let all: Vec<_> = codes.list("017...5dd").stream().try_collect().await?;
    /// println!("{} codes", all.len());
    /// # Ok(()) }
    /// ```
    pub fn list(&self, order_id: impl Into<OrderId>) -> ListCodes {
        let order_id = order_id.into();
        Listing::new(fetch_pages(
            self.client.clone(),
            GoClient::context,
            &operations::LIST_PROMOCODE_ORDER_CODES,
            move |client, limit, cursor| {
                let mut call = client
                    .raw()
                    .list_promocode_order_codes()
                    .order_id(order_id.as_str())
                    .limit(limit);
                if let Some(cursor) = cursor {
                    call = call.cursor(cursor.as_str());
                }
                call.send().boxed()
            },
            |page, _| {
                (
                    page.codes.into_iter().map(Code::from).collect(),
                    page.next_cursor,
                )
            },
        ))
    }
}

/// A listing of the codes of one order: see [`Listing`].
pub type ListCodes = Listing<Code>;
