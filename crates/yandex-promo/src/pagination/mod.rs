//! One generic cursor paginator for every listing of both APIs. Its rules (prefetch, end,
//! resume) are documented on the public types, [`Listing`] and [`Pages`], where docs.rs
//! shows them.
mod fetch;
#[cfg(test)]
mod tests;

use std::{
    collections::VecDeque,
    fmt,
    future::Future,
    num::NonZeroU32,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, ready},
};

use futures::{FutureExt as _, Stream, future::BoxFuture};
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;

use crate::{Error, call::Overrides};

pub(crate) use fetch::fetch_pages;

/// An opaque position in a listing, as the server issued it. Save it to resume later.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(String);

impl Cursor {
    /// A cursor saved earlier.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// let saved = yandex_promo::Cursor::new("cursor-from-last-run");
    /// let page = orders.list().resume_from(saved).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn new(cursor: impl Into<String>) -> Self {
        Self(cursor.into())
    }

    /// The cursor as the server sent it.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// let page = orders.list().send().await?;
    /// if let Some(next) = &page.next_cursor {
    ///     println!("resume from {}", next.as_str());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The next page's cursor from a response: absent, null and empty all mean "no more".
    pub(crate) fn next(raw: Option<String>) -> Option<Self> {
        raw.filter(|c| !c.is_empty()).map(Self)
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items, in the server's order.
    pub items: Vec<T>,
    /// The cursor that fetched this page (`None` for the first page).
    pub cursor: Option<Cursor>,
    /// The cursor of the next page; `None` on the last page.
    pub next_cursor: Option<Cursor>,
}

/// A listing failed part-way. Everything before [`PageError::resume_from`] was delivered.
///
/// Converts into [`Error`] with `?` when the cursor is not needed. Its message leaves the
/// cause to [`std::error::Error::source`], so a printed chain names each cause once.
#[derive(Debug, thiserror::Error)]
#[error("listing stopped{}", resume_from.as_ref().map(|c| format!(" (resume from cursor {c})")).unwrap_or_default())]
#[non_exhaustive]
pub struct PageError {
    /// Why the page could not be fetched (after the retry policy gave up).
    #[source]
    pub error: Error,
    /// The cursor of the page that failed: list again from here to continue where the
    /// stream stopped. `None` means from the start.
    pub resume_from: Option<Cursor>,
}

impl From<PageError> for Error {
    /// The error that stopped the listing, without the cursor to resume from.
    fn from(error: PageError) -> Self {
        error.error
    }
}

/// Fetches the page at a cursor (`None`: the first page).
pub(crate) type FetchPage<T> =
    Arc<dyn Fn(Option<Cursor>) -> BoxFuture<'static, Result<Page<T>, Error>> + Send + Sync>;

/// Fetches the page at a cursor, of at most so many items, with the listing's own settings.
pub(crate) type FetchSized<T> = Arc<
    dyn Fn(Option<Cursor>, NonZeroU32, Overrides) -> BoxFuture<'static, Result<Page<T>, Error>>
        + Send
        + Sync,
>;

/// The page size when none is set (the server's default for codes too).
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// A listing to send: one page with [`Listing::send`], or lazily every page
/// ([`Listing::pages`]) or item ([`Listing::stream`]).
///
/// Every listing of both APIs is one of these (or wraps one), so they share their rules:
/// - nothing is sent until the listing is sent, or its stream polled;
/// - each page is one request, retried like any read by the client's
///   [`RetryPolicy`](crate::RetryPolicy), or the listing's own ([`Listing::retry_policy`]);
/// - the listing ends when the server's next cursor is absent, null, empty, or the cursor
///   just used (a server that repeats itself cannot make it loop);
/// - a failed page ends the stream with a [`PageError`] carrying the cursor to resume from:
///   [`Listing::resume_from`] with it continues after the last page yielded, so no item is
///   yielded twice and none is skipped.
///
/// ```no_run
/// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
/// use futures::TryStreamExt as _;
/// let all: Vec<_> = orders.list().page_size(50).stream().try_collect().await?;
/// println!("{} orders", all.len());
/// # Ok(()) }
/// ```
#[must_use = "nothing is sent until the listing is sent or streamed"]
pub struct Listing<T> {
    fetch: FetchSized<T>,
    page_size: u32,
    max_page_size: u32,
    start: Option<Cursor>,
    overrides: Overrides,
}

impl<T> fmt::Debug for Listing<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing")
            .field("page_size", &self.page_size)
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Listing<T> {
    pub(crate) fn new(fetch: FetchSized<T>) -> Self {
        Self::with_page_sizes(fetch, DEFAULT_PAGE_SIZE, u32::MAX)
    }

    /// A listing whose API allows pages of 1 to `max` items, `default` when none is set.
    pub(crate) fn with_page_sizes(fetch: FetchSized<T>, default: u32, max: u32) -> Self {
        Self {
            fetch,
            page_size: default,
            max_page_size: max,
            start: None,
            overrides: Overrides::default(),
        }
    }

    /// The same listing with a wrapping builder's settings.
    pub(crate) fn with_overrides(mut self, overrides: Overrides) -> Self {
        self.overrides = overrides;
        self
    }

    crate::request::call_setters!(
        "# fn demo(orders: yandex_promo::go::OrderManager) {",
        "orders.list()"
    );

    /// Items per page (default [`DEFAULT_PAGE_SIZE`]; at least 1, and at most what the API
    /// allows).
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// let page = orders.list().page_size(20).send().await?;
    /// println!("{} orders", page.items.len());
    /// # Ok(()) }
    /// ```
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
    }

    /// Starts from a saved cursor instead of the first page.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let saved = yandex_promo::Cursor::new("cursor-from-last-run");
    /// let rest: Vec<_> = orders.list().resume_from(saved).stream().try_collect().await?;
    /// println!("{} more orders", rest.len());
    /// # Ok(()) }
    /// ```
    pub fn resume_from(mut self, cursor: Cursor) -> Self {
        self.start = Some(cursor);
        self
    }

    /// Fetches one page.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// let page = orders.list().send().await?;
    /// println!("{} orders, more: {}", page.items.len(), page.next_cursor.is_some());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] for a page size of 0 or above the API's maximum; the other
    /// [`Error`]s of a call.
    pub async fn send(self) -> Result<Page<T>, Error> {
        let fetch = self.fetcher();
        fetch(self.start).await
    }

    /// Every page from the start (or the saved cursor) on, prefetching one page ahead.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let mut pages = orders.list().page_size(50).pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} orders", page.items.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(self) -> Pages<T> {
        let fetch = self.fetcher();
        Pages::new(fetch, self.start)
    }

    /// Every item from the start (or the saved cursor) on.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let mut codes = client.promocodes().order().code().list("017...5dd").stream();
    /// while let Some(code) = codes.try_next().await? {
    ///     println!("{} {}", code.code, code.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> Items<T> {
        self.pages().items()
    }

    fn fetcher(&self) -> FetchPage<T> {
        let fetch = self.fetch.clone();
        let (size, max) = (self.page_size, self.max_page_size);
        let overrides = self.overrides.clone();
        Arc::new(
            move |cursor| match NonZeroU32::new(size).filter(|s| s.get() <= max) {
                Some(size) => fetch(cursor, size, overrides.clone()),
                None => async move { Err(page_size_error(size, max)) }.boxed(),
            },
        )
    }
}

/// Pages hold at least one item, and at most what the API allows.
fn page_size_error(size: u32, max: u32) -> Error {
    let rule = if max == u32::MAX {
        "must be at least 1".to_owned()
    } else {
        format!("must be from 1 to {max}")
    };
    Error::Validation(crate::ValidationError {
        violations: vec![crate::Violation {
            field: "page_size".into(),
            rule,
            value: size.to_string(),
        }],
    })
}

enum State<T> {
    Idle(Option<Cursor>),
    Fetching(Option<Cursor>, JoinHandle<Result<Page<T>, Error>>),
    Done,
}

/// A lazy stream of pages that prefetches the next page.
///
/// Nothing is sent until the stream is polled. As soon as a page arrives, the request for
/// the next one is started on the runtime, so the next page downloads while the caller
/// handles the current one; at most one page is fetched ahead, so memory stays at two pages
/// whatever the listing's length. Dropping the stream cancels the page in flight. An error
/// ends the stream as a [`PageError`] whose `resume_from` is the cursor of the failed page
/// (see [`Listing`] for the end and resume rules). [`Pages::items`] flattens the pages into
/// their items ([`Items`]).
///
/// ```no_run
/// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
/// use futures::TryStreamExt as _;
/// let mut pages = orders.list().pages();
/// while let Some(page) = pages.try_next().await? {
///     println!("{} orders; next: {:?}", page.items.len(), page.next_cursor);
/// }
/// # Ok(()) }
/// ```
pub struct Pages<T> {
    fetch: FetchPage<T>,
    state: State<T>,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Idle(cursor) => format!("idle at {cursor:?}"),
            State::Fetching(cursor, _) => format!("fetching {cursor:?}"),
            State::Done => "done".to_owned(),
        };
        f.debug_struct("Pages").field("state", &state).finish()
    }
}

impl<T: Send + 'static> Pages<T> {
    /// Pages from `start` on (`None`: from the first page).
    pub(crate) fn new(fetch: FetchPage<T>, start: Option<Cursor>) -> Self {
        Self {
            fetch,
            state: State::Idle(start),
        }
    }

    /// A stream of the items of every page.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let all: Vec<_> = orders.list().pages().items().try_collect().await?;
    /// println!("{} orders", all.len());
    /// # Ok(()) }
    /// ```
    pub fn items(self) -> Items<T> {
        Items {
            pages: self,
            buffer: VecDeque::new(),
            done: false,
        }
    }

    fn spawn(&self, cursor: Option<Cursor>) -> State<T> {
        let task = tokio::spawn((self.fetch)(cursor.clone()));
        State::Fetching(cursor, task)
    }
}

impl<T: Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>, PageError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let State::Idle(start) = &mut this.state {
            let start = start.take();
            this.state = this.spawn(start);
        }
        let State::Fetching(cursor, task) = &mut this.state else {
            return Poll::Ready(None);
        };
        let joined = ready!(Pin::new(task).poll(cx));
        let cursor = cursor.take();
        let result = joined.unwrap_or_else(|join| {
            Err(Error::Transport {
                operation: "pagination",
                source: join.into(),
            })
        });
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                this.state = State::Done;
                return Poll::Ready(Some(Err(PageError {
                    error,
                    resume_from: cursor,
                })));
            }
        };
        this.state = match &page.next_cursor {
            Some(next) if Some(next) != cursor.as_ref() => this.spawn(Some(next.clone())),
            _ => State::Done,
        };
        Poll::Ready(Some(Ok(Page { cursor, ..page })))
    }
}

impl<T> Drop for Pages<T> {
    fn drop(&mut self) {
        // A prefetch nobody will read is not worth finishing.
        if let State::Fetching(_, task) = &self.state {
            task.abort();
        }
    }
}

/// A lazy stream of items across pages; errors as in [`Pages`].
pub struct Items<T> {
    pages: Pages<T>,
    buffer: VecDeque<T>,
    done: bool,
}

// Items are only moved, never pinned.
impl<T> Unpin for Items<T> {}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<T: Send + 'static> Stream for Items<T> {
    type Item = Result<T, PageError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.buffer.extend(page.items),
                Some(Err(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                None => this.done = true,
            }
        }
    }
}
