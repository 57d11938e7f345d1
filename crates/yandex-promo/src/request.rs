//! What a call may set for itself: its timeout and retry policy, with the two setters every
//! request builder shares ([`call_setters`]), and [`Call`], the builder of the operations
//! that take no other options (get, cancel, update, delete, ...).
use std::{
    fmt,
    future::IntoFuture,
    pin::Pin,
    task::{Context, Poll, ready},
};

use futures::future::BoxFuture;
use pin_project_lite::pin_project;
use tokio::time::Instant;
use yandex_promo_raw::{Error as RawError, Operation, WithResponseMeta, with_timeout};

use crate::{
    Error, Result,
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
/// `orders.get(id).timeout(d).await`. Where a future is needed (`futures::join!`,
/// `tokio::spawn`), `into_future()` makes one.
///
/// ```no_run
/// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
/// use std::future::IntoFuture as _;
/// let (a, b) = futures::join!(orders.get("017...5dd").into_future(), orders.get("018...6ee").into_future());
/// println!("{} {}", a?.status, b?.status);
/// # Ok(()) }
/// ```
#[must_use = "nothing is sent until the call is awaited"]
pub struct Call<T, E = Error> {
    overrides: Overrides,
    send: Pin<Box<dyn Pending<Output = Result<T, E>> + Send>>,
}

impl<T, E> Call<T, E> {
    /// A call that runs `send` with its overrides when it is first polled.
    pub(crate) fn new<F, Fut>(send: F) -> Self
    where
        F: FnOnce(Overrides) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, E>> + Send + 'static,
    {
        Self {
            overrides: Overrides::default(),
            send: Box::pin(Deferred::Waiting {
                send: Some(send),
                overrides: Overrides::default(),
            }),
        }
    }

    /// A call that fails with `error` when awaited, sending nothing (a request that breaks
    /// a rule found before it is made).
    pub(crate) fn failed(error: E) -> Self
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        Self::new(move |_| std::future::ready(Err(error)))
    }

    call_setters!(
        "# fn demo(orders: yandex_promo::go::OrderManager) {",
        "orders.get(\"017...5dd\")"
    );
}

impl<T: Send + 'static> Call<T> {
    /// A call of one operation: `request` makes its request on `client` and turns the
    /// response into what the call returns (in the attempt's own future, so that only the
    /// answer travels up, not the response and its headers).
    ///
    /// Its first attempt is polled right here when nobody watches it, and the send loop
    /// (boxed) takes over only when that attempt fails: a call that succeeds at once, the
    /// common case, goes through no layer but this one.
    pub(crate) fn send<C, F, Fut, VE>(
        client: C,
        context: fn(&C) -> &CallContext,
        operation: &'static Operation,
        request: F,
    ) -> Self
    where
        C: Send + Sync + 'static,
        F: FnMut(&C) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, RawError<VE>>> + Send + 'static,
        VE: VendorError + Send + 'static,
    {
        // The first attempt is made with the call (nothing is sent until it is polled), and
        // the whole call written in place: allocated first, it is not built on the stack
        // and copied (2 KB, mostly the generated future), nor moved when it starts.
        let mut request = request;
        let attempt = with_timeout(None, request(&client));
        let single = Box::write(
            Box::new_uninit(),
            Single {
                parts: Some(Parts {
                    client,
                    context,
                    operation,
                    request,
                }),
                overrides: Overrides::default(),
                state: Step::First {
                    attempt,
                    started: None,
                },
            },
        );
        Self {
            overrides: Overrides::default(),
            send: Box::into_pin(single),
        }
    }
}

impl<T, E> fmt::Debug for Call<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

impl<T: 'static, E: 'static> IntoFuture for Call<T, E> {
    type Output = Result<T, E>;
    type IntoFuture = BoxFuture<'static, Result<T, E>>;

    fn into_future(mut self) -> Self::IntoFuture {
        self.send.as_mut().set_overrides(self.overrides);
        self.send
    }
}

/// A call's future whose overrides can still be set: what [`Call`] holds, so that one
/// allocation holds the closure that starts the call and then, in the same place, the
/// future it becomes (a boxed closure that returned a boxed future took two, on every call).
trait Pending: Future {
    fn set_overrides(self: Pin<&mut Self>, overrides: Overrides);
}

pin_project! {
    #[project = DeferredState]
    enum Deferred<F, Fut> {
        Waiting { send: Option<F>, overrides: Overrides },
        Running { #[pin] future: Fut },
    }
}

impl<F, Fut> Future for Deferred<F, Fut>
where
    F: FnOnce(Overrides) -> Fut,
    Fut: Future,
{
    type Output = Fut::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let DeferredState::Waiting { send, overrides } = self.as_mut().project() {
            let send = send.take().expect("a call starts once");
            let future = send(std::mem::take(overrides));
            self.set(Deferred::Running { future });
        }
        match self.project() {
            DeferredState::Running { future } => future.poll(cx),
            DeferredState::Waiting { .. } => unreachable!("started above"),
        }
    }
}

impl<F, Fut> Pending for Deferred<F, Fut>
where
    F: FnOnce(Overrides) -> Fut,
    Fut: Future,
{
    fn set_overrides(self: Pin<&mut Self>, new: Overrides) {
        if let DeferredState::Waiting { overrides, .. } = self.project() {
            *overrides = new;
        }
    }
}

/// What a [`Call`] of one operation needs to make its request and its answer.
struct Parts<C, F> {
    client: C,
    /// The client's context for this operation (Market's differ by operation).
    context: fn(&C) -> &CallContext,
    operation: &'static Operation,
    request: F,
}

pin_project! {
    /// The future of [`Call::send`].
    struct Single<C, F, Fut, T> {
        parts: Option<Parts<C, F>>,
        overrides: Overrides,
        #[pin]
        state: Step<Fut, T>,
    }
}

pin_project! {
    /// Where a [`Single`] call is: in its first attempt, or in the send loop.
    #[project = StepNow]
    enum Step<Fut, T> {
        /// The first attempt, outside the send loop, in place in the call's allocation
        /// (measured in `docs/benchmarks.md`): `started` once it is polled.
        First { #[pin] attempt: WithResponseMeta<Fut>, started: Option<Instant> },
        Looping { future: BoxFuture<'static, Result<T>> },
    }
}

impl<C, F, Fut, VE, T> Future for Single<C, F, Fut, T>
where
    C: Send + Sync + 'static,
    F: FnMut(&C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, RawError<VE>>> + Send + 'static,
    VE: VendorError + Send + 'static,
    T: Send + 'static,
{
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let begin = match this.state.as_mut().project() {
            StepNow::Looping { future } => return future.as_mut().poll(cx),
            StepNow::First {
                mut attempt,
                started,
            } => 'first: {
                if started.is_none() {
                    let parts = this
                        .parts
                        .as_ref()
                        .expect("a call is not polled once it ended");
                    let context = (parts.context)(&parts.client).with(this.overrides);
                    let span = attempt_span(&context, parts.operation, 1);
                    if !context.unwatched() || !span.is_disabled() {
                        // Somebody watches: the loop makes every attempt, this one unsent.
                        break 'first Begin::InSpan(span);
                    }
                    attempt.as_mut().set_timeout(context.request_timeout());
                    *started = Some(Instant::now());
                }
                let (result, meta) = ready!(attempt.poll(cx));
                match result {
                    Ok(answer) => {
                        *this.parts = None;
                        return Poll::Ready(Ok(answer));
                    }
                    Err(error) => Begin::After(Box::new(FailedFirst {
                        error,
                        meta,
                        started: started.unwrap_or_else(Instant::now),
                    })),
                }
            }
        };
        // The send loop, from the start or going on from a first attempt that failed.
        let Parts {
            client,
            context,
            operation,
            mut request,
        } = this.parts.take().expect("the loop starts once");
        let overrides = std::mem::take(this.overrides);
        let mut future = Box::pin(async move {
            let context = context(&client).with(&overrides);
            let send = || request(&client);
            send_observed(&context, operation, send, (), begin).await
        });
        let polled = future.as_mut().poll(cx);
        this.state.set(Step::Looping { future });
        polled
    }
}

impl<C, F, Fut, T> Pending for Single<C, F, Fut, T>
where
    Self: Future,
{
    fn set_overrides(self: Pin<&mut Self>, new: Overrides) {
        let this = self.project();
        if matches!(*this.state, Step::First { started: None, .. }) {
            *this.overrides = new;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::go::GoClient;

    /// What one call keeps on the heap until it is answered: the generated future and little
    /// more, in one allocation. It was 4,936 bytes (besides) when the send loop's layers each
    /// held their own copy of their inner future: a regression here costs every call.
    #[test]
    fn a_get_call_is_the_generated_future_and_little_more() {
        let client = GoClient::builder("token")
            .base_url("http://127.0.0.1:9/integration/2.0")
            .build()
            .expect("client");
        let call = client.promocodes().order().get("017...5dd");
        let ours = std::mem::size_of_val(&*call.send);
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
