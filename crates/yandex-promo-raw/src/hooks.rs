//! Hooks the generator wires into every operation (see `yandex-promo-codegen`): the client's
//! default headers go on each request, and the response status is recorded for
//! [`with_response_status`].
use std::{cell::RefCell, fmt, future::Future};

use futures_util::FutureExt as _;

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
/// assert!(yandex_promo_raw::REQUEST_ID_HEADERS.contains(&"x-market-req-id"));
/// ```
pub const REQUEST_ID_HEADERS: [&str; 4] = [
    "x-yarequestid",
    "x-ya-request-id",
    "x-market-req-id",
    "x-request-id",
];

/// What a call learned about the last response it got, apart from its body: see
/// [`with_response_meta`].
///
/// ```no_run
/// # async fn demo(client: &yandex_promo_raw::go::Client) {
/// let (_, meta) = yandex_promo_raw::with_response_meta(client.list_clients().send()).await;
/// if let Some(meta) = meta {
///     println!("HTTP {}, request id {:?}", meta.status, meta.request_id);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: StatusCode,
    /// The vendor's id of the request (from [`REQUEST_ID_HEADERS`]), for a support ticket.
    pub request_id: Option<String>,
}

impl ResponseMeta {
    /// The status and request id of `response`.
    ///
    /// ```no_run
    /// # async fn demo() -> reqwest::Result<()> {
    /// let response = reqwest::get("https://example.com").await?;
    /// let meta = yandex_promo_raw::ResponseMeta::of(&response);
    /// println!("{} {:?}", meta.status, meta.request_id);
    /// # Ok(()) }
    /// ```
    pub fn of(response: &reqwest::Response) -> Self {
        Self {
            status: response.status(),
            request_id: request_id(response.headers()),
        }
    }
}

/// The request id a response carries, from the first of [`REQUEST_ID_HEADERS`] it has, when
/// its value is printable ASCII (anything else is not an id a person could quote).
///
/// ```
/// use reqwest::header::{HeaderMap, HeaderValue};
/// let mut headers = HeaderMap::new();
/// headers.insert("x-ya-request-id", HeaderValue::from_static("4b1c2d"));
/// assert_eq!(yandex_promo_raw::request_id(&headers).as_deref(), Some("4b1c2d"));
/// ```
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS.iter().find_map(|name| {
        let value = headers.get(*name)?.to_str().ok()?.trim();
        (!value.is_empty()).then(|| value.to_owned())
    })
}

tokio::task_local! {
    static RESPONSE_META: RefCell<Option<ResponseMeta>>;
}

/// Puts the client's headers on a request, and removes the `api-version` header progenitor
/// 0.15 adds to every request: neither Yandex API documents it (Market's spec version is
/// `LATEST`), so it never leaves the client.
pub(crate) fn prepare_request(headers: &RequestHeaders, request: &mut reqwest::Request) {
    let sent = request.headers_mut();
    sent.remove("api-version");
    for (name, value) in headers.as_map() {
        sent.insert(name, value.clone());
    }
}

/// Notes the status and request id of every response inside a [`with_response_meta`] scope.
pub(crate) fn record_response(_: &RequestHeaders, result: &reqwest::Result<reqwest::Response>) {
    if let Ok(response) = result {
        // Outside a scope there is nobody to tell, which is fine.
        let _ =
            RESPONSE_META.try_with(|meta| *meta.borrow_mut() = Some(ResponseMeta::of(response)));
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
/// if let Some(id) = meta.and_then(|meta| meta.request_id) {
///     eprintln!("request id {id}");
/// }
/// # }
/// ```
pub fn with_response_meta<F: Future>(
    call: F,
) -> impl Future<Output = (F::Output, Option<ResponseMeta>)> {
    // A combinator rather than an async block: the block would hold `call` twice (captured,
    // and moved into its await), which tripled the size of every client future.
    let with_meta = call.map(|output| (output, RESPONSE_META.with(RefCell::take)));
    RESPONSE_META.scope(RefCell::new(None), with_meta)
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
    fn the_request_id_comes_from_the_first_header_that_has_a_printable_one() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_id(&headers), None);
        headers.insert("x-request-id", HeaderValue::from_static("generic-1"));
        assert_eq!(request_id(&headers).as_deref(), Some("generic-1"));
        headers.insert("x-ya-request-id", HeaderValue::from_static(" ya-2 "));
        assert_eq!(request_id(&headers).as_deref(), Some("ya-2"));
        headers.insert(
            "x-yarequestid",
            HeaderValue::from_bytes(b"\xff").expect("a value"),
        );
        assert_eq!(
            request_id(&headers).as_deref(),
            Some("ya-2"),
            "not ASCII: skipped"
        );
        headers.insert("x-yarequestid", HeaderValue::from_static(""));
        assert_eq!(
            request_id(&headers).as_deref(),
            Some("ya-2"),
            "empty: skipped"
        );
    }
}
