//! The codes of an order: the SDK's `CodeManager`.
use futures::FutureExt as _;

use super::{Code, GoClient, OrderId, orders::DEFAULT_PAGE_SIZE};
use crate::{
    Result,
    pagination::{Cursor, FetchPage, Items, Page, Pages},
};

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
    pub fn list(&self, order_id: impl Into<OrderId>) -> ListCodes {
        ListCodes {
            client: self.client.clone(),
            order_id: order_id.into(),
            page_size: DEFAULT_PAGE_SIZE,
            start: None,
        }
    }
}

/// A listing of the codes of one order.
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until the listing is sent or streamed"]
pub struct ListCodes {
    client: GoClient,
    order_id: OrderId,
    page_size: u32,
    start: Option<Cursor>,
}

impl ListCodes {
    /// Codes per page (default 100, the server's default too).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
    }

    /// Starts from a saved cursor instead of the first page.
    pub fn resume_from(mut self, cursor: Cursor) -> Self {
        self.start = Some(cursor);
        self
    }

    /// Fetches one page.
    ///
    /// # Errors
    /// The [`crate::Error`]s of a call; 404 for an unknown order.
    pub async fn send(self) -> Result<Page<Code>> {
        let fetch = self.fetcher();
        fetch(self.start).await
    }

    /// Every page from the start (or the saved cursor) on, prefetching one page ahead.
    pub fn pages(self) -> Pages<Code> {
        let fetch = self.fetcher();
        Pages::new(fetch, self.start)
    }

    /// Every code from the start (or the saved cursor) on.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let mut codes = client.promocodes().order().code().list("017...5dd").stream();
    /// while let Some(code) = codes.try_next().await.map_err(|e| e.error)? {
    ///     println!("{} {}", code.code, code.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> Items<Code> {
        self.pages().items()
    }

    fn fetcher(&self) -> FetchPage<Code> {
        let order_id = self.order_id.clone();
        super::paged(
            self.client.clone(),
            "listPromocodeOrderCodes",
            self.page_size,
            move |client, limit, cursor| {
                let mut call = client
                    .raw()
                    .list_promocode_order_codes()
                    .order_id(order_id.as_str())
                    .limit(limit);
                if let Some(cursor) = cursor {
                    call = call.cursor(cursor.as_str());
                }
                if let Some(id) = client.corp_client_id() {
                    call = call.x_ya_taxi_selected_corp_client_id(id);
                }
                call.send().boxed()
            },
            |page| {
                (
                    page.codes.into_iter().map(Code::from).collect(),
                    page.next_cursor,
                )
            },
        )
    }
}
