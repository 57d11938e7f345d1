//! What both clients share when they are built: timeouts, the HTTP client, the user agent,
//! the base URL check and the environment variables.
use std::{sync::Arc, time::Duration};

use reqwest::header::{HeaderValue, USER_AGENT};
use yandex_promo_raw::RequestHeaders;

use crate::{Error, Result};

/// `User-Agent` of every request.
pub const USER_AGENT_VALUE: &str = concat!("yandex-promo/", env!("CARGO_PKG_VERSION"));

/// Default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default time for a whole attempt, from sending the request to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// HTTP settings both client builders offer.
#[derive(Debug, Clone)]
pub(crate) struct HttpOptions {
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) client: Option<reqwest::Client>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            client: None,
        }
    }
}

impl HttpOptions {
    /// The timeout of one attempt, which the send loop gives each request: ours, or none
    /// when the caller's own client sets its timeouts.
    pub(crate) fn attempt_timeout(&self) -> Option<Duration> {
        self.client.is_none().then_some(self.timeout)
    }

    /// The caller's client as it is, or a new one with our timeouts (which calls through
    /// `raw()` keep; the send loop gives each request its call's own).
    pub(crate) fn build(&self) -> Result<reqwest::Client> {
        if let Some(client) = &self.client {
            return Ok(client.clone());
        }
        // reqwest without a provider of its own takes the process-wide default; a provider
        // the application installed first stays.
        #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
    }
}

/// The setters both client builders share. The builder needs the fields
/// `http: HttpOptions`, `retry: RetryPolicy`, `clock: Option<Arc<dyn Clock>>` and
/// `observer: Option<Arc<dyn Observer>>`.
///
/// `$builder` is the expression an example starts from: a builder of the client at hand,
/// so that each expansion documents its setters with an example that compiles for it.
macro_rules! shared_builder_setters {
    ($builder:literal) => {
        /// Time to establish a connection. Default: 10 s. Ignored with
        /// [`Self::http_client`].
        ///
        #[doc = concat!(
            "```no_run\n# fn demo() -> yandex_promo::Result<()> {\nlet client = ",
            $builder,
            "\n    .connect_timeout(std::time::Duration::from_secs(5))\n    .build()?;\n# Ok(()) }\n```"
        )]
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.http.connect_timeout = timeout;
            self
        }

        /// Time for one attempt, request to end of body. Default: 30 s. Ignored with
        /// [`Self::http_client`].
        ///
        #[doc = concat!(
            "```no_run\n# fn demo() -> yandex_promo::Result<()> {\nlet client = ",
            $builder,
            "\n    .timeout(std::time::Duration::from_secs(10))\n    .build()?;\n# Ok(()) }\n```"
        )]
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.http.timeout = timeout;
            self
        }

        /// Your own `reqwest::Client` (its timeouts, proxy and TLS settings apply).
        ///
        #[doc = concat!(
            "```no_run\n# fn demo() -> yandex_promo::Result<()> {\nlet client = ",
            $builder,
            "\n    .http_client(reqwest::Client::new())\n    .build()?;\n# Ok(()) }\n```"
        )]
        pub fn http_client(mut self, client: reqwest::Client) -> Self {
            self.http.client = Some(client);
            self
        }

        /// Watches every HTTP attempt of the client (operation, attempt number, status or
        /// failure, duration, retry decision, request id): see [`crate::Observer`], and
        /// [`crate::CountingObserver`] and [`crate::TracingObserver`] to start from. None by
        /// default, and then the send loop spends nothing on it.
        ///
        #[doc = concat!(
            "```no_run\n# fn demo() -> yandex_promo::Result<()> {\nlet counts = std::sync::Arc::new(yandex_promo::CountingObserver::default());\nlet client = ",
            $builder,
            "\n    .observer(counts.clone())\n    .build()?;\n# Ok(()) }\n```"
        )]
        pub fn observer(mut self, observer: std::sync::Arc<dyn crate::Observer>) -> Self {
            self.observer = Some(observer);
            self
        }

        /// The retry policy. Default: [`crate::RetryPolicy::standard`], which also waits out
        /// a rate limit that resets within a minute.
        ///
        #[doc = concat!(
            "```no_run\n# fn demo() -> yandex_promo::Result<()> {\nlet client = ",
            $builder,
            "\n    .retry(yandex_promo::RetryPolicy::standard().with_max_attempts(6))\n    .build()?;\n# Ok(()) }\n```"
        )]
        pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
            self.retry = policy;
            self
        }

        /// The clock: "today" for the date rules of a create, "now" for rate-limit waits.
        /// Default: [`crate::SystemClock`].
        ///
        #[doc = concat!(
            "```no_run\n# fn demo() -> yandex_promo::Result<()> {\nlet today = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect(\"a valid date\");\nlet client = ",
            $builder,
            "\n    .clock(yandex_promo::FixedClock::on(today))\n    .build()?;\n# Ok(()) }\n```"
        )]
        pub fn clock(mut self, clock: impl crate::Clock + 'static) -> Self {
            self.clock = Some(std::sync::Arc::new(clock));
            self
        }
    };
}
pub(crate) use shared_builder_setters;

/// Headers with the user agent and the credentials added by `authenticate`.
pub(crate) fn request_headers(
    authenticate: impl FnOnce(
        RequestHeaders,
    ) -> std::result::Result<
        RequestHeaders,
        reqwest::header::InvalidHeaderValue,
    >,
    what: &str,
) -> Result<RequestHeaders> {
    let headers =
        RequestHeaders::new().with_header(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
    authenticate(headers).map_err(|_| {
        Error::Config(format!("the {what} contains characters an HTTP header cannot carry (control characters or non-ASCII)"))
    })
}

/// Checks a base URL and drops a trailing slash, so paths join cleanly.
pub(crate) fn base_url(url: &str) -> Result<String> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::Config(format!("invalid base URL {url:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "invalid base URL {url:?}: the scheme must be http or https"
        )));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// A required or optional setting from the environment; unset and empty are the same.
pub(crate) fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The host of a checked base URL, for the spans' `server.address`.
pub(crate) fn server_address(base_url: &str) -> Arc<str> {
    reqwest::Url::parse(base_url)
        .ok()
        .and_then(|url| url.host_str().map(Arc::from))
        .unwrap_or_else(|| Arc::from(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whichever TLS feature is on, a client builds: with `rustls-ring`, reqwest has no
    /// provider of its own and would panic without the one installed here.
    #[test]
    fn a_client_builds_with_the_tls_of_the_features() {
        HttpOptions::default().build().expect("a TLS backend");
    }

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        assert_eq!(
            base_url("http://127.0.0.1:8080/integration/2.0/").expect("valid"),
            "http://127.0.0.1:8080/integration/2.0"
        );
        assert!(matches!(base_url("not a url"), Err(Error::Config(_))));
        assert!(matches!(
            base_url("ftp://example.com"),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn a_header_value_with_control_characters_is_refused_without_echoing_it() {
        let error = request_headers(|h| h.with_bearer("secret\r\nX-Evil: 1"), "OAuth token")
            .expect_err("refused");
        let text = error.to_string();
        assert!(
            text.contains("OAuth token") && !text.contains("secret"),
            "{text}"
        );
    }
}
