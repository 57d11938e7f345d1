//! What a call may set for itself: its timeout and retry policy, with the two setters every
//! request builder shares ([`call_setters`]), and [`Call`], the builder of the operations
//! that take no other options (get, cancel, update, delete, ...), with [`send_one`], the way
//! a call of one operation is sent.
use std::{fmt, future::IntoFuture};

use futures::future::BoxFuture;
use tokio::time::Instant;
use yandex_promo_raw::{Error as RawError, Operation, with_timeout};

use crate::{
    Result,
    call::{Begin, CallContext, FailedFirst, Overrides, VendorError, attempt_span, send_observed},
};

/// `timeout` and `retry_policy`, for a request builder with a field `overrides: Overrides`.
///
/// `$demo` opens the example's function (its parameters give what `$build` needs), and
/// `$build` is an expression of the builder at hand; `$scope` says what the settings apply
/// to (by default, this call).
macro_rules! call_setters {
    ($demo:literal, $build:literal) => {
        $crate::request::call_setters!(
            $demo,
            $build,
            "this call alone (of each page, for a list)"
        );
    };
    ($demo:literal, $build:literal, $scope:literal) => {
        #[doc = concat!(
            "The timeout of each attempt of ", $scope,
            ", request to end of body, instead of the client's."
        )]
        ///
        #[doc = concat!(
            "```no_run\n", $demo, "\nlet call = ", $build,
            ".timeout(std::time::Duration::from_secs(5));\n# let _ = call;\n# }\n```"
        )]
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.overrides.timeout = Some(timeout);
            self
        }

        #[doc = concat!(
            "The retry policy of ", $scope, ", instead of the client's: ",
            "[`crate::RetryPolicy::disabled`] makes exactly one attempt."
        )]
        ///
        #[doc = concat!(
            "```no_run\n", $demo, "\nlet call = ", $build,
            ".retry_policy(yandex_promo::RetryPolicy::disabled());\n# let _ = call;\n# }\n```"
        )]
        pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
            self.overrides.retry = Some(policy);
            self
        }
    };
}
pub(crate) use call_setters;

/// One call, sent when awaited: `orders.get(id).await`, or with settings of its own,
/// `orders.get(id).timeout(d).await`. `R` is the request ([`go::GetOrder`](crate::go::GetOrder),
/// ...): a call is a plain value, `'static` and `Send`, that can be kept, moved to a task, or
/// sent later.
///
/// [`Call::send`] returns the call's future itself, kept where it is awaited as the generated
/// client's is (about 2 KB in the caller's future, for a get): the cheaper way on a hot path.
/// Awaiting the call ([`IntoFuture::into_future`]) boxes that future first: one allocation.
/// `docs/benchmarks.md` measures both.
///
/// ```no_run
/// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
/// let order = orders.get("017...5dd").await?;
/// let (a, b) = futures::join!(orders.get("017...5dd").send(), orders.get("018...6ee").send());
/// println!("{} {} {}", order.status, a?.status, b?.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until the call is awaited"]
pub struct Call<R> {
    request: R,
    overrides: Overrides,
}

impl<R: Request> Call<R> {
    pub(crate) fn new(request: R) -> Self {
        Self {
            request,
            overrides: Overrides::default(),
        }
    }

    call_setters!(
        "# fn demo(orders: yandex_promo::go::OrderManager) {",
        "orders.get(\"017...5dd\")"
    );

    /// The call's future, unboxed, to await where it is; nothing is sent until then (`.await`
    /// on the call itself boxes it first).
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// let order = orders.get("017...5dd").send().await?;
    /// println!("{}", order.status);
    /// # Ok(()) }
    /// ```
    pub fn send(self) -> impl Future<Output = R::Output> + Send + 'static {
        self.request.send(self.overrides)
    }
}

impl<R: Request> IntoFuture for Call<R> {
    type Output = R::Output;
    type IntoFuture = BoxFuture<'static, R::Output>;

    fn into_future(self) -> Self::IntoFuture {
        // Allocated first, so that the future (2 KB for a get) is made in its box, not on the
        // stack and copied: 216 instructions a call less than `Box::pin` (docs/benchmarks.md).
        let future = Box::write(Box::new_uninit(), self.send());
        Box::into_pin(future)
    }
}

/// The request of a [`Call`]: what it sends, and what it returns. Implemented by this
/// crate's requests only: its method takes a type no other crate can name.
pub trait Request: fmt::Debug + Send + 'static {
    /// What awaiting the call returns.
    type Output;

    /// Sends the request with the call's own settings.
    #[doc(hidden)]
    fn send(self, overrides: Overrides) -> impl Future<Output = Self::Output> + Send + 'static;
}

/// Sends a call of one operation: `request` makes its request on `client` and turns the
/// response into what the call returns (in the attempt's own future, so that only the answer
/// travels up, not the response and its headers).
///
/// When nobody watches the call (no observer, no rate limiter, nobody listening to the
/// attempt's span), its first attempt is awaited right here, and the send loop (boxed: its
/// state stays out of the call's future) takes over only when that attempt fails. A call
/// that succeeds at once, the common case, goes through no layer but this one.
pub(crate) async fn send_one<C, F, Fut, T, VE>(
    client: C,
    context: fn(&C) -> &CallContext,
    operation: &'static Operation,
    overrides: Overrides,
    mut request: F,
) -> Result<T>
where
    F: FnMut(&C) -> Fut,
    Fut: Future<Output = Result<T, RawError<VE>>>,
    VE: VendorError,
{
    // The client's context, and the call's settings beside it: the context of the two
    // (`CallContext::with`) is built only by the loop.
    let client_context = context(&client);
    let begin = if client_context.unwatched() {
        let span = attempt_span(client_context, operation, 1);
        if span.is_disabled() {
            drop(span);
            let started = Instant::now();
            let timeout = client_context.request_timeout_with(&overrides);
            match with_timeout(timeout, request(&client)).await {
                (Ok(answer), _) => return Ok(answer),
                (Err(error), meta) => Begin::After(Box::new(FailedFirst {
                    error,
                    meta,
                    started,
                })),
            }
        } else {
            Begin::InSpan(span)
        }
    } else {
        Begin::Afresh
    };
    let send = || request(&client);
    Box::pin(async {
        let context = client_context.with(&overrides);
        send_observed(&context, operation, send, (), begin).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use crate::go::GoClient;

    /// What one call keeps where it is awaited: the generated future and little more. It was
    /// 4,936 bytes (besides) when the send loop's layers each held their own copy of their
    /// inner future: a regression here costs every call.
    #[test]
    fn a_get_call_is_the_generated_future_and_little_more() {
        let client = GoClient::builder("token")
            .base_url("http://127.0.0.1:9/integration/2.0")
            .build()
            .expect("client");
        let call = client.promocodes().order().get("017...5dd");
        let ours = std::mem::size_of_val(&call.send());
        let generated = std::mem::size_of_val(
            &client
                .raw()
                .get_promocode_order()
                .order_id("017...5dd")
                .send(),
        );
        assert!(
            ours <= generated + 512,
            "a get call's state is {ours} bytes, the generated future {generated}"
        );
    }
}
