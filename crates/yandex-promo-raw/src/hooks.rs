//! Hooks the generator wires into every operation (see `yandex-promo-codegen`): the client's
//! default headers go on each request, a call's own timeout too, and the response's status
//! and request id are recorded for [`with_response_meta`].
use std::{
    cell::RefCell,
    fmt,
    future::Future,
    pin::Pin,
    task::{Context, Poll, ready},
    time::Duration,
};

use futures_util::FutureExt as _;
use pin_project_lite::pin_project;

use reqwest::{
    StatusCode,
    header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, InvalidHeaderValue},
};

/// Headers a generated `Client` puts on every request it sends: authentication, the user
/// agent, anything else the caller needs. Kept beside the client rather than in a
/// `reqwest::Client`'s defaults, so a caller may share one `reqwest::Client` between clients
/// with different credentials.
///
/// Values added as secrets are marked sensitive: `Debug` prints `<redacted>` in their place.
///
/// ```
/// use yandex_promo_raw::{RequestHeaders, go};
/// let headers = RequestHeaders::new().with_bearer("y0_token")?;
/// let client = go::Client::new("https://b2b-api.go.yandex.ru/integration/2.0", headers);
/// assert!(!format!("{client:?}").contains("y0_token"));
/// # Ok::<(), reqwest::header::InvalidHeaderValue>(())
/// ```
#[derive(Clone, Default)]
pub struct RequestHeaders(HeaderMap);

impl RequestHeaders {
    /// No headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `Authorization: Bearer <token>` (Go for Business; Market with OAuth).
    ///
    /// # Errors
    /// When the token contains characters a header cannot carry (control characters).
    pub fn with_bearer(self, token: &str) -> Result<Self, InvalidHeaderValue> {
        self.with_secret(AUTHORIZATION, &format!("Bearer {token}"))
    }

    /// Adds `Api-Key: <key>` (Market).
    ///
    /// # Errors
    /// When the key contains characters a header cannot carry (control characters).
    pub fn with_api_key(self, key: &str) -> Result<Self, InvalidHeaderValue> {
        self.with_secret(HeaderName::from_static("api-key"), key)
    }

    /// Adds a header whose value must never be printed.
    ///
    /// # Errors
    /// When the value contains characters a header cannot carry (control characters).
    pub fn with_secret(
        mut self,
        name: HeaderName,
        value: &str,
    ) -> Result<Self, InvalidHeaderValue> {
        let mut value = HeaderValue::from_str(value)?;
        value.set_sensitive(true);
        self.0.insert(name, value);
        Ok(self)
    }

    /// Adds an ordinary header.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.0.insert(name, value);
        self
    }

    /// The headers, sensitive values included.
    pub fn as_map(&self) -> &HeaderMap {
        &self.0
    }
}

impl fmt::Debug for RequestHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.0 {
            if value.is_sensitive() {
                map.entry(&name.as_str(), &"<redacted>");
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

/// The response headers that carry the id a vendor's support asks for, in the order they are
/// looked for: Yandex services name it `X-YaRequestId` or `X-Ya-Request-Id` (Go for Business
/// clients keep the latter for support tickets); Market clients read `X-Market-Req-ID`;
/// `X-Request-Id` is the common name. Neither API documents one, so all are accepted.
///
/// ```
/// use reqwest::header::HeaderName;
/// assert!(yandex_promo_raw::REQUEST_ID_HEADERS.contains(&HeaderName::from_static("x-market-req-id")));
/// ```
// Header names, not strings: a lookup by `&str` parses the name on every response.
pub const REQUEST_ID_HEADERS: [HeaderName; 4] = [
    HeaderName::from_static("x-yarequestid"),
    HeaderName::from_static("x-ya-request-id"),
    HeaderName::from_static("x-market-req-id"),
    HeaderName::from_static("x-request-id"),
];

/// What a call learned about the last response it got, apart from its body: see
/// [`with_response_meta`].
///
/// ```no_run
/// # async fn demo(client: &yandex_promo_raw::go::Client) {
/// let (_, meta) = yandex_promo_raw::with_response_meta(client.list_clients().send()).await;
/// if let Some(meta) = meta {
///     println!("HTTP {}, request id {:?}", meta.status, meta.request_id());
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: StatusCode,
    /// The header holding the request id: shared with the response, copied only when asked.
    request_id: Option<HeaderValue>,
}

impl ResponseMeta {
    /// The status and request id of `response`.
    ///
    /// ```no_run
    /// # async fn demo() -> reqwest::Result<()> {
    /// let response = reqwest::get("https://example.com").await?;
    /// let meta = yandex_promo_raw::ResponseMeta::of(&response);
    /// println!("{} {:?}", meta.status, meta.request_id());
    /// # Ok(()) }
    /// ```
    pub fn of(response: &reqwest::Response) -> Self {
        Self {
            status: response.status(),
            request_id: request_id_header(response.headers()).cloned(),
        }
    }

    /// The vendor's id of the request (from [`REQUEST_ID_HEADERS`]), for a support ticket.
    ///
    /// ```no_run
    /// # fn demo(meta: &yandex_promo_raw::ResponseMeta) {
    /// if let Some(id) = meta.request_id() {
    ///     eprintln!("quote {id} to support");
    /// }
    /// # }
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_ref().and_then(printable)
    }
}

/// The request id a response carries, from the first of [`REQUEST_ID_HEADERS`] it has with
/// an ASCII value, when that value is printable (anything else is not an id a person could
/// quote).
///
/// ```
/// use reqwest::header::{HeaderMap, HeaderValue};
/// let mut headers = HeaderMap::new();
/// headers.insert("x-ya-request-id", HeaderValue::from_static("4b1c2d"));
/// assert_eq!(yandex_promo_raw::request_id(&headers), Some("4b1c2d"));
/// ```
pub fn request_id(headers: &HeaderMap) -> Option<&str> {
    request_id_header(headers).and_then(printable)
}

/// One pass over the few headers a response has: cheaper than a hashed lookup per known name,
/// on the path of every call. Every known name starts with `x-`, so the others (mostly
/// standard names, whose text costs nothing to get) are passed over at a glance; a value is
/// only checked to be ASCII here, and read as text when someone asks for it.
fn request_id_header(headers: &HeaderMap) -> Option<&HeaderValue> {
    // A static, not the const: each use of a const builds its four names and drops them.
    static KNOWN: [HeaderName; 4] = REQUEST_ID_HEADERS;
    let mut found: Option<(usize, &HeaderValue)> = None;
    for (name, value) in headers {
        let name = name.as_str();
        if !name.starts_with("x-") || value.is_empty() || !value.as_bytes().is_ascii() {
            continue;
        }
        let Some(rank) = KNOWN.iter().position(|known| known.as_str() == name) else {
            continue;
        };
        if found.is_none_or(|(best, _)| rank < best) {
            found = Some((rank, value));
        }
    }
    found.map(|(_, value)| value)
}

fn printable(value: &HeaderValue) -> Option<&str> {
    let value = value.to_str().ok()?.trim_ascii();
    (!value.is_empty()).then_some(value)
}

/// What one call of a generated operation carries through the hooks, inside
/// [`with_timeout`]: the timeout its request is sent with, and what the response said.
struct CallScope {
    timeout: Option<Duration>,
    meta: Option<ResponseMeta>,
}

// The hooks run inside a poll of the call's future, so a thread-local that points at the
// scope for the length of each poll reaches it: cheaper than tokio's task-local, which moves
// the whole value in and out of the thread-local on every poll.
scoped_tls::scoped_thread_local!(static CALL_SCOPE: RefCell<CallScope>);

pin_project! {
    /// The future of [`with_timeout`] and [`with_response_meta`]: the call, polled with its
    /// scope visible to the hooks. A named type, so that a hand-written future can hold one.
    ///
    /// ```no_run
    /// # async fn demo(client: &yandex_promo_raw::go::Client) {
    /// let call: yandex_promo_raw::WithResponseMeta<_> =
    ///     yandex_promo_raw::with_timeout(None, client.list_clients().send());
    /// let (result, meta) = call.await;
    /// # }
    /// ```
    pub struct WithResponseMeta<F> {
        #[pin]
        call: F,
        scope: RefCell<CallScope>,
    }
}

impl<F> fmt::Debug for WithResponseMeta<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithResponseMeta").finish_non_exhaustive()
    }
}

impl<F: Future> Future for WithResponseMeta<F> {
    type Output = (F::Output, Option<ResponseMeta>);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let call = this.call;
        let output = ready!(CALL_SCOPE.set(this.scope, || call.poll(cx)));
        Poll::Ready((output, this.scope.get_mut().meta.take()))
    }
}

/// Runs `change` on the scope of the call being polled, if any: outside [`with_timeout`]
/// there is nobody to tell, which is fine.
fn in_call_scope<T>(change: impl FnOnce(&mut CallScope) -> T) -> Option<T> {
    CALL_SCOPE
        .is_set()
        .then(|| CALL_SCOPE.with(|scope| change(&mut scope.borrow_mut())))
}

const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// Puts the client's headers on a request, and removes the `api-version` header progenitor
/// 0.15 adds to every request: neither Yandex API documents it (Market's spec version is
/// `LATEST`), so it never leaves the client. Inside [`with_timeout`], gives the request its
/// timeout.
pub(crate) fn prepare_request(headers: &RequestHeaders, request: &mut reqwest::Request) {
    let sent = request.headers_mut();
    sent.remove(API_VERSION);
    for (name, value) in headers.as_map() {
        sent.insert(name, value.clone());
    }
    if let Some(Some(timeout)) = in_call_scope(|scope| scope.timeout) {
        *request.timeout_mut() = Some(timeout);
    }
}

/// Notes the status and request id of every response inside a [`with_timeout`] scope.
pub(crate) fn record_response(_: &RequestHeaders, result: &reqwest::Result<reqwest::Response>) {
    if let Ok(response) = result {
        in_call_scope(|scope| scope.meta = Some(ResponseMeta::of(response)));
    }
}

/// Runs one generated operation and also returns what it learned about the response it got:
/// the HTTP status and the vendor's request id ([`ResponseMeta`]); `None` when no response
/// arrived.
///
/// progenitor reports a response whose body does not decode (an HTML 502 from a proxy, say)
/// as `Error::InvalidResponsePayload`, which carries the body but neither the status nor the
/// headers; a decoded answer keeps its headers but the caller has to know where to look.
/// Wrapping the call in this function recovers both, whatever the outcome.
///
/// ```no_run
/// # async fn demo(client: &yandex_promo_raw::go::Client) {
/// let (result, meta) = yandex_promo_raw::with_response_meta(
///     client.get_promocode_order().order_id("017...5dd").send(),
/// )
/// .await;
/// if let Some(id) = meta.as_ref().and_then(|meta| meta.request_id()) {
///     eprintln!("request id {id}");
/// }
/// # }
/// ```
pub fn with_response_meta<F: Future>(call: F) -> WithResponseMeta<F> {
    with_timeout(None, call)
}

/// [`with_response_meta`], sending the request with a timeout of its own (from sending it
/// to the end of its body), in place of the `reqwest::Client`'s; `None` keeps the client's.
/// One call can so wait longer or shorter than the others, on reqwest's one timer per
/// request rather than a second one around it.
///
/// ```no_run
/// # async fn demo(client: &yandex_promo_raw::go::Client) {
/// let (result, meta) = yandex_promo_raw::with_timeout(
///     Some(std::time::Duration::from_secs(5)),
///     client.get_promocode_order().order_id("017...5dd").send(),
/// )
/// .await;
/// # }
/// ```
pub fn with_timeout<F: Future>(timeout: Option<Duration>, call: F) -> WithResponseMeta<F> {
    WithResponseMeta {
        call,
        scope: RefCell::new(CallScope {
            timeout,
            meta: None,
        }),
    }
}

/// Runs one generated operation and also returns the HTTP status of the response it got
/// (`None` when no response arrived): [`with_response_meta`] without the request id.
///
/// ```no_run
/// # async fn demo(client: &yandex_promo_raw::go::Client) {
/// let (result, status) = yandex_promo_raw::with_response_status(
///     client.get_promocode_order().order_id("017...5dd").send(),
/// )
/// .await;
/// # }
/// ```
pub fn with_response_status<F: Future>(
    call: F,
) -> impl Future<Output = (F::Output, Option<StatusCode>)> {
    with_response_meta(call).map(|(output, meta)| (output, meta.map(|meta| meta.status)))
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::request_id;

    #[test]
    fn the_request_id_comes_from_the_first_header_that_has_an_ascii_one() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_id(&headers), None);
        headers.insert("x-request-id", HeaderValue::from_static("generic-1"));
        assert_eq!(request_id(&headers), Some("generic-1"));
        headers.insert("x-ya-request-id", HeaderValue::from_static(" ya-2 "));
        assert_eq!(request_id(&headers), Some("ya-2"));
        headers.insert(
            "x-yarequestid",
            HeaderValue::from_bytes(b"\xff").expect("a value"),
        );
        assert_eq!(request_id(&headers), Some("ya-2"), "not ASCII: skipped");
        headers.insert("x-yarequestid", HeaderValue::from_static(""));
        assert_eq!(request_id(&headers), Some("ya-2"), "empty: skipped");
        // Chosen by its name, then read: blank is no id (values are only read when asked for).
        headers.insert("x-yarequestid", HeaderValue::from_static("  "));
        assert_eq!(request_id(&headers), None);
    }
}
