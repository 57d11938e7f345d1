//! Hooks the generator wires into every operation (see `yandex-promo-codegen`): the client's
//! default headers go on each request, and the response status is recorded for
//! [`with_response_status`].
use std::{cell::Cell, fmt, future::Future};

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

tokio::task_local! {
    static RESPONSE_STATUS: Cell<Option<StatusCode>>;
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

/// Notes the status of every response inside a [`with_response_status`] scope.
pub(crate) fn record_response(_: &RequestHeaders, result: &reqwest::Result<reqwest::Response>) {
    if let Ok(response) = result {
        // Outside a scope there is nobody to tell, which is fine.
        let _ = RESPONSE_STATUS.try_with(|status| status.set(Some(response.status())));
    }
}

/// Runs one generated operation and also returns the HTTP status of the response it got.
///
/// progenitor reports a response whose body does not decode (an HTML 502 from a proxy, say)
/// as `Error::InvalidResponsePayload`, which carries the body but not the status. Wrapping
/// the call in this function recovers it. The status is `None` when no response arrived.
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
    // A combinator rather than an async block: the block would hold `call` twice (captured,
    // and moved into its await), which tripled the size of every client future.
    let with_status = call.map(|output| (output, RESPONSE_STATUS.with(Cell::get)));
    RESPONSE_STATUS.scope(Cell::new(None), with_status)
}
