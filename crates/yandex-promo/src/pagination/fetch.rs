//! The page fetcher of every listing: one generated call per page, sent like any other call.
use std::{num::NonZeroU32, sync::Arc};

use futures::{FutureExt as _, future::BoxFuture};

use super::{Cursor, FetchSized, Page};
use yandex_promo_raw::Operation;

use crate::call::{CallContext, VendorError, send_with_retries};

/// One attempt at one page: the generated call, boxed so that it may borrow the client.
pub(crate) type PageCall<'a, R, E> =
    BoxFuture<'a, Result<yandex_promo_raw::ResponseValue<R>, yandex_promo_raw::Error<E>>>;

/// Splits a listing's response into its items and the next cursor, given the cursor that
/// fetched it (offset listings count from it).
pub(crate) type SplitPage<R, T> = fn(R, Option<&Cursor>) -> (Vec<T>, Option<String>);

/// The page fetcher of any listing: sends the generated `call` for a cursor and page size
/// through [`send_with_retries`] with the client's `context`, and splits the response into
/// items and the next cursor.
pub(crate) fn fetch_pages<C, T, R, E>(
    client: C,
    context: fn(&C) -> &CallContext,
    operation: &'static Operation,
    call: impl for<'a> Fn(&'a C, NonZeroU32, Option<&'a Cursor>) -> PageCall<'a, R, E>
    + Send
    + Sync
    + 'static,
    split: SplitPage<R, T>,
) -> FetchSized<T>
where
    C: Clone + Send + Sync + 'static,
    T: Send + 'static,
    R: Send + 'static,
    E: VendorError + Send + 'static,
{
    let call = Arc::new(call);
    Arc::new(move |cursor, limit, overrides| {
        let client = client.clone();
        let call = call.clone();
        async move {
            let context = context(&client).with(&overrides);
            let response = send_with_retries(&context, operation, || {
                call(&client, limit, cursor.as_ref())
            })
            .await?;
            let (items, next) = split(response.into_inner(), cursor.as_ref());
            Ok(Page {
                items,
                cursor,
                next_cursor: Cursor::next(next),
            })
        }
        .boxed()
    })
}
