//! `getPromoOffers`: the offers in a promo, or that may join it, page by page.
use futures::FutureExt as _;
use yandex_promo_raw::market::operations;
use yandex_promo_raw::market::types::GetPromoOffersRequest;

use super::{MarketClient, Operation, PromoOffer, StatusFilter};
use crate::{
    Cursor, Items, Page, Pages, Result,
    call::{CallContext, Overrides},
    pagination::{Listing, fetch_pages},
};

/// The call context of `getPromoOffers`, with its own request budget.
fn offers_context(client: &MarketClient) -> &CallContext {
    client.context(Operation::GetPromoOffers)
}

/// The page size when none is set: the API's default.
pub const DEFAULT_OFFERS_PAGE_SIZE: u32 = 250;
/// The largest page `getPromoOffers` returns.
pub const MAX_OFFERS_PAGE_SIZE: u32 = 500;

/// The offers of one promo: one page with [`send`](Self::send), or lazily every page or
/// offer, with the prefetching, resume and error semantics of [`Listing`].
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until the listing is sent or streamed"]
pub struct ListPromoOffers {
    client: MarketClient,
    promo_id: String,
    statuses: Vec<StatusFilter>,
    page_size: u32,
    start: Option<Cursor>,
    overrides: Overrides,
}

impl ListPromoOffers {
    pub(super) fn new(client: MarketClient, promo_id: String) -> Self {
        Self {
            client,
            promo_id,
            statuses: Vec::new(),
            page_size: DEFAULT_OFFERS_PAGE_SIZE,
            start: None,
            overrides: Overrides::default(),
        }
    }

    crate::request::call_setters!(
        "# fn demo(market: yandex_promo::market::MarketClient) {",
        "market.promos().offers(\"cf_123456\")"
    );

    /// Only offers with one of these statuses (default: every offer).
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::market::StatusFilter;
    /// let manual = market.promos().offers("cf_123456").statuses([StatusFilter::ManuallyAdded]);
    /// let page = manual.send().await?;
    /// # Ok(()) }
    /// ```
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = StatusFilter>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self.statuses.sort_unstable();
        self.statuses.dedup();
        self
    }

    /// Offers per page: 1 to [`MAX_OFFERS_PAGE_SIZE`] (default [`DEFAULT_OFFERS_PAGE_SIZE`]).
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// let page = market.promos().offers("cf_123456").page_size(500).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
    }

    /// Starts from a saved page token instead of the first page.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// let saved = yandex_promo::Cursor::new("token-from-last-run");
    /// let page = market.promos().offers("cf_123456").resume_from(saved).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn resume_from(mut self, cursor: Cursor) -> Self {
        self.start = Some(cursor);
        self
    }

    /// Fetches one page.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// let page = market.promos().offers("cf_123456").send().await?;
    /// for offer in &page.items {
    ///     println!("{} {}", offer.offer_id, offer.status);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for a page size outside 1..=500; the other
    /// [`crate::Error`]s of a call.
    pub async fn send(self) -> Result<Page<PromoOffer>> {
        self.listing().send().await
    }

    /// Every page, prefetching one page ahead.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let mut pages = market.promos().offers("cf_123456").pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} offers", page.items.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(self) -> Pages<PromoOffer> {
        self.listing().pages()
    }

    /// Every offer.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let offers: Vec<_> = market.promos().offers("cf_123456").stream().try_collect().await?;
    /// println!("{} offers", offers.len());
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> Items<PromoOffer> {
        self.listing().stream()
    }

    fn listing(self) -> Listing<PromoOffer> {
        let Self {
            client,
            promo_id,
            statuses,
            page_size,
            start,
            overrides,
        } = self;
        let filters = GetPromoOffersRequest {
            promo_id,
            status_type: None,
            statuses: (!statuses.is_empty()).then_some(statuses),
        };
        let fetch = fetch_pages(
            client,
            offers_context,
            &operations::GET_PROMO_OFFERS,
            move |client, limit, cursor| {
                let mut call = client
                    .raw()
                    .get_promo_offers()
                    .business_id(client.business_id())
                    .limit(limit)
                    .body(filters.clone());
                if let Some(cursor) = cursor {
                    call = call.page_token(cursor.as_str());
                }
                call.send().boxed()
            },
            // An answer without `result` is an empty last page.
            |response, _| {
                response.result.map_or((Vec::new(), None), |result| {
                    (result.offers, result.paging.and_then(|p| p.next_page_token))
                })
            },
        );
        let listing =
            Listing::with_page_sizes(fetch, DEFAULT_OFFERS_PAGE_SIZE, MAX_OFFERS_PAGE_SIZE)
                .page_size(page_size)
                .with_overrides(overrides);
        match start {
            Some(cursor) => listing.resume_from(cursor),
            None => listing,
        }
    }
}
