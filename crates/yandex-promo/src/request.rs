//! What a call may set for itself: its timeout and retry policy, with the two setters every
//! request builder shares ([`call_setters`]), and [`Call`], the builder of the operations
//! that take no other options (get, cancel, update, delete, ...).
use std::{
    fmt,
    future::IntoFuture,
    pin::Pin,
    task::{Context, Poll},
};

use futures::future::BoxFuture;
use pin_project_lite::pin_project;

use crate::{Error, call::Overrides};

/// `timeout` and `retry_policy`, for a request builder with a field `overrides: Overrides`.
///
/// `$demo` opens the example's function (its parameters give what `$build` needs), and
/// `$build` is an expression of the builder at hand.
macro_rules! call_setters {
    ($demo:literal, $build:literal) => {
        /// The timeout of each attempt of this call alone (of each page, for a list),
        /// request to end of body, instead of the client's.
        ///
        #[doc = concat!(
            "```no_run\n", $demo, "\nlet call = ", $build,
            ".timeout(std::time::Duration::from_secs(5));\n# let _ = call;\n# }\n```"
        )]
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.overrides.timeout = Some(timeout);
            self
        }

        /// The retry policy of this call alone (of each page, for a list), instead of the
        /// client's: [`crate::RetryPolicy::disabled`] makes exactly one attempt.
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

    call_setters!(
        "# fn demo(orders: yandex_promo::go::OrderManager) {",
        "orders.get(\"017...5dd\")"
    );
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

#[cfg(test)]
mod tests {
    use crate::go::GoClient;

    /// What one call keeps on the heap until it is answered. It was 4,936 bytes when the
    /// generated future (1,736 bytes, boxed apart since) and the error path lived inline, and
    /// every byte of it is copied when the call starts: a regression here costs every call.
    #[test]
    fn a_get_call_keeps_under_a_kilobyte_of_its_own() {
        let client = GoClient::builder("token")
            .base_url("http://127.0.0.1:9/integration/2.0")
            .build()
            .expect("client");
        let call = client.promocodes().order().get("017...5dd");
        let size = std::mem::size_of_val(&*call.send);
        assert!(size <= 1024, "a get call's state is {size} bytes");
    }
}
