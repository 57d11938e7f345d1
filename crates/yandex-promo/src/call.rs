//! The one place a generated operation is sent: rate limiting, a tracing span per attempt,
//! retries by the policy, and the mapping of progenitor's errors onto [`Error`].
use std::{future::Future, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use reqwest::{StatusCode, header::HeaderMap};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::{Instrument as _, field};
use yandex_promo_raw::{Error as RawError, ResponseMeta, ResponseValue, with_response_meta};

use crate::{
    ApiError, Clock, Error, ErrorCode, ErrorEntry, RetryPolicy,
    error::excerpt,
    limiter::Limiter,
    retry::{Decision, decide},
};

/// What every call of one client shares.
#[derive(Debug, Clone)]
pub(crate) struct CallContext {
    pub(crate) retry: RetryPolicy,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) limiter: Option<Arc<Limiter>>,
}

impl CallContext {
    /// The same context making one attempt per call, for callers that decide themselves what
    /// follows a failure.
    pub(crate) fn single_attempt(&self) -> Self {
        Self {
            retry: RetryPolicy::disabled(),
            ..self.clone()
        }
    }
}

/// What a vendor's error body says, in this crate's terms.
#[derive(Debug)]
pub(crate) struct ErrorBody {
    /// The vendor's code (`Unknown("")` when the body carries none).
    pub(crate) code: ErrorCode,
    /// The vendor's message, if any.
    pub(crate) message: Option<String>,
    /// Market: every entry of `errors[]`.
    pub(crate) errors: Vec<ErrorEntry>,
    /// What to do about it, when the API area knows.
    pub(crate) hint: Option<String>,
}

/// A vendor's error body, as the generated types decode it. Each API area maps its own
/// envelope (`go::error_body`, `market::error_body`), so this module knows neither.
pub(crate) trait VendorError: DeserializeOwned {
    /// The code, message, entries and hint of the body.
    fn into_body(self) -> ErrorBody;
}

/// Sends `send()` until it succeeds or the retry policy says stop.
///
/// Each attempt is one `yandex_promo` span with the operation, attempt number, HTTP status
/// and duration; no header or body is ever recorded, so secrets cannot leak into logs.
pub(crate) async fn send_with_retries<T, E, F, Fut>(
    context: &CallContext,
    operation: &'static str,
    send: F,
) -> Result<ResponseValue<T>, Error>
where
    E: VendorError,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, RawError<E>>>,
{
    send_observed(context, operation, send, |_| {}).await
}

/// [`send_with_retries`], showing `observe` the error of every failed attempt (a create
/// needs to know whether *any* attempt may have made its order).
pub(crate) async fn send_observed<T, E, F, Fut>(
    context: &CallContext,
    operation: &'static str,
    mut send: F,
    mut observe: impl FnMut(&Error),
) -> Result<ResponseValue<T>, Error>
where
    E: VendorError,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, RawError<E>>>,
{
    let started = Instant::now();
    let mut attempt = 0;
    loop {
        attempt += 1;
        let permit = match &context.limiter {
            Some(limiter) => Some(limiter.acquire().await),
            None => None,
        };
        let span = tracing::info_span!(
            "yandex_promo",
            operation,
            attempt,
            status = field::Empty,
            duration_ms = field::Empty,
        );
        let attempt_started = Instant::now();
        let (result, meta) = with_response_meta(send()).instrument(span.clone()).await;
        drop(permit);
        if let Some(meta) = &meta {
            span.record("status", meta.status.as_u16());
        }
        span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
        let error = match result {
            Ok(value) => return Ok(value),
            Err(error) => to_error(operation, error, meta).await,
        };
        observe(&error);
        let decision = decide(
            &context.retry,
            &error,
            attempt,
            started.elapsed(),
            context.clock.now(),
            fastrand::f64(),
        );
        match decision {
            Decision::Retry(delay) => {
                span.in_scope(|| tracing::warn!(error = %error, delay_ms = delay.as_millis() as u64, "retrying"));
                tokio::time::sleep(delay).await;
            }
            Decision::Stop => {
                span.in_scope(|| tracing::debug!(error = %error, "failed"));
                return Err(error);
            }
        }
    }
}

/// Maps a progenitor error onto [`Error`]; `meta` is the response's, when one arrived.
async fn to_error<E: VendorError>(
    operation: &'static str,
    error: RawError<E>,
    meta: Option<ResponseMeta>,
) -> Error {
    use RawError as Raw;
    let (status, request_id) = match meta {
        Some(meta) => (Some(meta.status), meta.request_id),
        None => (None, None),
    };
    match error {
        Raw::InvalidRequest(message) => Error::Config(format!("{operation}: {message}")),
        Raw::CommunicationError(e) | Raw::InvalidUpgrade(e) | Raw::ResponseBodyError(e) => {
            transport(operation, e)
        }
        Raw::ErrorResponse(response) => {
            let status = response.status();
            let until = rate_limit_reset(response.headers());
            vendor_error(operation, status, until, request_id, response.into_inner())
        }
        Raw::InvalidResponsePayload(body, source) => Error::Decode {
            operation,
            status: status.map(|s| s.as_u16()),
            excerpt: excerpt(&body),
            request_id,
            source: source.into(),
        },
        Raw::UnexpectedResponse(response) => {
            let status = response.status();
            let until = rate_limit_reset(response.headers());
            let body = match response.bytes().await {
                Ok(body) => body,
                Err(e) => return transport(operation, e),
            };
            match serde_json::from_slice::<E>(&body) {
                Ok(vendor) if !status.is_success() => {
                    vendor_error(operation, status, until, request_id, vendor)
                }
                Ok(_) => Error::Decode {
                    operation,
                    status: Some(status.as_u16()),
                    excerpt: excerpt(&body),
                    request_id,
                    source: "a success status the spec does not list".into(),
                },
                Err(source) => Error::Decode {
                    operation,
                    status: Some(status.as_u16()),
                    excerpt: excerpt(&body),
                    request_id,
                    source: source.into(),
                },
            }
        }
        Raw::Custom(message) => Error::Transport {
            operation,
            source: message.into(),
        },
    }
}

fn transport(operation: &'static str, error: reqwest::Error) -> Error {
    if error.is_timeout() {
        Error::Timeout {
            operation,
            source: error.without_url().into(),
        }
    } else {
        Error::Transport {
            operation,
            source: error.without_url().into(),
        }
    }
}

fn vendor_error<E: VendorError>(
    operation: &'static str,
    status: StatusCode,
    until: Option<DateTime<Utc>>,
    request_id: Option<String>,
    body: E,
) -> Error {
    let status = status.as_u16();
    if status == 420 || status == 429 {
        return Error::RateLimited {
            operation,
            status,
            until,
            request_id,
        };
    }
    let ErrorBody {
        code,
        message,
        errors,
        hint,
    } = body.into_body();
    ApiError {
        operation,
        status,
        code,
        message,
        errors,
        hint,
        request_id,
    }
    .into()
}

/// When a rate limit resets: Market's `X-RateLimit-Resource-Until` (an RFC 822 date), else a
/// standard `Retry-After` in seconds.
pub(crate) fn rate_limit_reset(headers: &HeaderMap) -> Option<DateTime<Utc>> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(until) = text("x-ratelimit-resource-until") {
        // The weekday is redundant and may disagree with the date (the vendor's own example,
        // "Thu, 10 Jul 2018", was a Tuesday), so it is dropped rather than checked.
        let date = until.split_once(", ").map_or(until, |(_, date)| date);
        return DateTime::parse_from_rfc2822(date)
            .ok()
            .map(|t| t.with_timezone(&Utc));
    }
    let seconds: u64 = text("retry-after")?.trim().parse().ok()?;
    Some(Utc::now() + Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn market_reset_header_is_an_rfc_822_date() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-ratelimit-resource-until",
            HeaderValue::from_static("Thu, 10 Jul 2018 00:42:42 GMT"),
        );
        let until = rate_limit_reset(&headers).expect("parsed");
        assert_eq!(until.to_rfc3339(), "2018-07-10T00:42:42+00:00");
        headers.insert(
            "x-ratelimit-resource-until",
            HeaderValue::from_static("Sat, 21 Nov 2026 10:00:00 +0300"),
        );
        let until = rate_limit_reset(&headers).expect("parsed");
        assert_eq!(until.to_rfc3339(), "2026-11-21T07:00:00+00:00");
        headers.insert(
            "x-ratelimit-resource-until",
            HeaderValue::from_static("tomorrow"),
        );
        assert_eq!(rate_limit_reset(&headers), None);
    }
}
