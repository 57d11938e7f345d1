//! Pagination: the ergonomic stream against a raw page loop (codes, and a promo's offers), and
//! whether prefetching hides a consumer's per-page work.
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, ensure};
use futures::{StreamExt as _, TryStreamExt as _};
use yandex_promo::{go::GoClient, market::MarketClient, raw::market::types::GetPromoOffersRequest};

use crate::{
    Scale,
    calls::{Side, sides, three_sides},
    floor::Floor,
    server::Sandbox,
    stats::{median, millis, ratio},
};

/// Pages of the plain streaming figure (100 codes, the server's default).
const SMALL_PAGE: u32 = 100;
/// Pages of the prefetch figure: large enough that a page takes a few milliseconds.
const LARGE_PAGE: u32 = 1_000;

/// Streams every code through `Listing::stream`; returns how many.
async fn stream_ours(client: &GoClient, order: &str, page_size: u32) -> Result<usize> {
    let codes = client.promocodes().order().code().list(order);
    let items = codes.page_size(page_size).stream();
    Ok(items.try_fold(0, |n, _| async move { Ok(n + 1) }).await?)
}

/// Walks the pages with `Listing::pages`, doing `work` after each.
async fn pages_ours(client: &GoClient, order: &str, work: Duration) -> Result<usize> {
    let codes = client.promocodes().order().code().list(order);
    let mut pages = codes.page_size(LARGE_PAGE).pages();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        count += page?.items.len();
        tokio::time::sleep(work).await;
    }
    Ok(count)
}

/// What a hand-written page loop fetches with.
#[derive(Debug, Clone, Copy)]
enum PageSource<'a> {
    Generated(&'a GoClient),
    Floor(&'a Floor),
}

impl PageSource<'_> {
    /// One page: how many codes, and the next cursor.
    async fn page(
        self,
        order: &str,
        size: u32,
        cursor: Option<&str>,
    ) -> Result<(usize, Option<String>)> {
        match self {
            Self::Floor(floor) => {
                let page = floor.codes_page(order, size, cursor).await?;
                Ok((page.codes.len(), page.next_cursor))
            }
            Self::Generated(client) => {
                let mut call = client
                    .raw()
                    .list_promocode_order_codes()
                    .order_id(order)
                    .limit(size);
                if let Some(cursor) = cursor {
                    call = call.cursor(cursor);
                }
                let page = call.send().await?.into_inner();
                Ok((page.codes.len(), page.next_cursor))
            }
        }
    }
}

/// The hand-written loop: fetch a page, do `work`, follow the cursor.
async fn page_loop(
    source: PageSource<'_>,
    order: &str,
    page_size: u32,
    work: Duration,
) -> Result<usize> {
    let (mut count, mut cursor) = (0, None::<String>);
    loop {
        let (codes, next) = source.page(order, page_size, cursor.as_deref()).await?;
        count += codes;
        if !work.is_zero() {
            tokio::time::sleep(work).await;
        }
        match next.filter(|c| !c.is_empty()) {
            Some(next) => cursor = Some(next),
            None => return Ok(count),
        }
    }
}

/// Times `job`, checking it saw every item.
async fn timed(expected: u32, job: impl Future<Output = Result<usize>>) -> Result<Duration> {
    let started = Instant::now();
    let count = job.await?;
    ensure!(
        count == expected as usize,
        "saw {count} of {expected} items"
    );
    Ok(started.elapsed())
}

/// Runs `job` for each side in the order `order_of` gives, `rounds` times; the median time of
/// each side (zero for a side that never ran).
async fn median_times<const N: usize, Fut>(
    rounds: usize,
    order_of: fn(usize) -> [Side; N],
    mut job: impl FnMut(Side) -> Fut,
) -> Result<[Duration; 3]>
where
    Fut: Future<Output = Result<Duration>>,
{
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for round in 0..rounds {
        for side in order_of(round) {
            times[side as usize].push(job(side).await?);
        }
    }
    Ok(times.map(|times| median(&times)))
}

pub(crate) async fn report(sandbox: &Sandbox, scale: Scale) -> Result<()> {
    let client = sandbox.client()?;
    let floor = Floor::new(&sandbox.go_base_url)?;
    let order = sandbox.handle.seed_order(scale.codes);
    let rounds = scale.rounds.min(6);

    let source = |side| match side {
        Side::Generated => Some(PageSource::Generated(&client)),
        Side::Floor => Some(PageSource::Floor(&floor)),
        Side::Ours | Side::OursBoxed => None,
    };
    let (client, order) = (&client, order.as_str());
    let [ours, generated, raw] = median_times(rounds, three_sides, |side| async move {
        match source(side) {
            None => timed(scale.codes, stream_ours(client, order, SMALL_PAGE)).await,
            Some(source) => {
                let job = page_loop(source, order, SMALL_PAGE, Duration::ZERO);
                timed(scale.codes, job).await
            }
        }
    })
    .await?;
    let pages = scale.codes / SMALL_PAGE;
    println!("## Pagination: {} codes in {pages} pages\n", scale.codes);
    println!(
        "| | yandex-promo stream | generated page loop | floor page loop | ours / floor |\n|---|---|---|---|---|"
    );
    println!(
        "| median of {rounds} | {} | {} | {} | {} |\n",
        millis(ours),
        millis(generated),
        millis(raw),
        ratio(ours.as_secs_f64(), raw.as_secs_f64())
    );

    // A consumer that spends about as long on each page as fetching it takes: without
    // prefetching the two add up; with it they overlap.
    let large_pages = scale.codes / LARGE_PAGE;
    let fetch_alone = page_loop(PageSource::Floor(&floor), order, LARGE_PAGE, Duration::ZERO);
    let fetch = timed(scale.codes, fetch_alone).await?;
    let work = (fetch / large_pages).max(Duration::from_millis(1));
    let consumer = {
        let started = Instant::now();
        for _ in 0..large_pages {
            tokio::time::sleep(work).await;
        }
        started.elapsed()
    };
    let [ours, _, raw] = median_times(rounds, sides, |side| async move {
        match source(side) {
            None => timed(scale.codes, pages_ours(client, order, work)).await,
            Some(source) => timed(scale.codes, page_loop(source, order, LARGE_PAGE, work)).await,
        }
    })
    .await?;
    println!(
        "## Prefetch: {large_pages} pages of {LARGE_PAGE}, the consumer works {} per page\n",
        millis(work)
    );
    println!("| | time |\n|---|---|");
    println!("| fetching alone (floor loop) | {} |", millis(fetch));
    println!("| the consumer's work alone | {} |", millis(consumer));
    println!("| floor loop: fetch, then work | {} |", millis(raw));
    println!("| yandex-promo pages, prefetching | {} |", millis(ours));
    println!(
        "| ours / the longer of the two alone (1.0 = fetching fully hidden) | {} |",
        ratio(ours.as_secs_f64(), fetch.max(consumer).as_secs_f64())
    );
    println!(
        "| floor / the two added up (1.0 = nothing hidden) | {} |\n",
        ratio(raw.as_secs_f64(), (fetch + consumer).as_secs_f64())
    );
    Ok(())
}

/// The promo whose offers the offers figure lists.
const PROMO: &str = "sb_direct_now";
/// The largest page `getPromoOffers` returns.
const OFFERS_PAGE: u32 = 500;

/// Streams every offer of the promo through `ListPromoOffers::stream`; returns how many.
async fn offers_ours(market: &MarketClient) -> Result<usize> {
    let offers = market
        .promos()
        .offers(PROMO)
        .page_size(OFFERS_PAGE)
        .stream();
    Ok(offers.try_fold(0, |n, _| async move { Ok(n + 1) }).await?)
}

/// The hand-written loop over the generated client: fetch a page, follow `nextPageToken`.
async fn offers_page_loop(market: &MarketClient) -> Result<usize> {
    let (mut count, mut token) = (0, None::<String>);
    loop {
        let body = GetPromoOffersRequest {
            promo_id: PROMO.to_owned(),
            status_type: None,
            statuses: None,
        };
        let mut call = market
            .raw()
            .get_promo_offers()
            .business_id(market.business_id())
            .limit(OFFERS_PAGE)
            .body(body);
        if let Some(token) = &token {
            call = call.page_token(token.as_str());
        }
        let result = call.send().await?.into_inner().result;
        let (offers, next) = result.map_or((0, None), |r| {
            (r.offers.len(), r.paging.and_then(|p| p.next_page_token))
        });
        count += offers;
        match next.filter(|t| !t.is_empty()) {
            Some(next) => token = Some(next),
            None => return Ok(count),
        }
    }
}

/// Streaming a promo's offers: ours against the generated client's page loop.
pub(crate) async fn offers_report(sandbox: &Sandbox, scale: Scale) -> Result<()> {
    let market = sandbox.market()?;
    let total = sandbox
        .handle
        .seed_offers(PROMO, u64::from(scale.codes).saturating_sub(60))
        .context("the sandbox has the promo")?;
    let expected = u32::try_from(total)?;
    let rounds = scale.rounds.min(6);
    let market = &market;
    // The floor of this figure is the generated client's own page loop: Market has no
    // hand-written reqwest floor.
    let [ours, _, generated] = median_times(rounds, sides, |side| async move {
        match side {
            Side::Ours => timed(expected, offers_ours(market)).await,
            _ => timed(expected, offers_page_loop(market)).await,
        }
    })
    .await?;
    let pages = expected.div_ceil(OFFERS_PAGE);
    println!("## Promo offers: {expected} offers in {pages} pages of {OFFERS_PAGE}\n");
    println!(
        "| | yandex-promo stream | generated page loop | ours / page loop |\n|---|---|---|---|"
    );
    println!(
        "| median of {rounds} | {} | {} | {} |\n",
        millis(ours),
        millis(generated),
        ratio(ours.as_secs_f64(), generated.as_secs_f64())
    );
    Ok(())
}
