//! The send loop: rate limiting, the timeout of an attempt, a tracing span per attempt, the
//! observer, retries by the policy, what an operation does about a failed attempt, and the
//! mapping of progenitor's errors onto [`Error`]. (A call of one operation makes its first
//! attempt itself when nobody watches it, and hands a failure here: `request`.)
use std::{borrow::Cow, future::Future, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use reqwest::{StatusCode, header::HeaderMap};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::{Instrument as _, field};
use yandex_promo_raw::{Error as RawError, Operation, ResponseMeta, with_timeout};

use crate::{
    ApiError, Clock, Error, ErrorCode, ErrorEntry, RetryPolicy,
    error::excerpt,
    limiter::Limiter,
    observe::{Attempt, AttemptOutcome, NextStep, Observer},
    retry::{Decision, decide},
};

/// What every call of one client shares.
#[derive(Debug, Clone)]
pub(crate) struct CallContext {
    pub(crate) retry: RetryPolicy,
    /// The longest one attempt may take, request to end of body; `None` when the caller's
    /// own `reqwest::Client` sets its timeouts.
    pub(crate) timeout: Option<Duration>,
    /// The timeout the `reqwest::Client` applies by itself (ours, built with `timeout`), so
    /// that a request is given its own only when it differs: setting one costs reqwest two
    /// allocations per request.
    pub(crate) client_timeout: Option<Duration>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) limiter: Option<Arc<Limiter>>,
    pub(crate) observer: Option<Arc<dyn Observer>>,
    /// The API's host, for the spans' `server.address`.
    pub(crate) server: Arc<str>,
}

impl CallContext {
    /// The timeout to send a request with in place of the client's, when it has its own.
    pub(crate) fn request_timeout(&self) -> Option<Duration> {
        self.own_timeout(self.timeout)
    }

    /// [`Self::request_timeout`] of this context with a call's own settings, without
    /// building that context.
    pub(crate) fn request_timeout_with(&self, overrides: &Overrides) -> Option<Duration> {
        self.own_timeout(overrides.timeout.or(self.timeout))
    }

    fn own_timeout(&self, timeout: Option<Duration>) -> Option<Duration> {
        timeout.filter(|&timeout| Some(timeout) != self.client_timeout)
    }

    /// Whether a call's first attempt may be made outside the send loop, as far as the
    /// client goes: nothing to wait for (no rate limiter) and no observer. Whether anyone
    /// listens to the attempt's span is the span's to say ([`attempt_span`]).
    pub(crate) fn unwatched(&self) -> bool {
        self.limiter.is_none() && self.observer.is_none()
    }

    /// This context with a call's own settings in place of the client's.
    pub(crate) fn with(&self, overrides: &Overrides) -> Cow<'_, Self> {
        if overrides.timeout.is_none() && overrides.retry.is_none() {
            return Cow::Borrowed(self);
        }
        Cow::Owned(Self {
            retry: overrides
                .retry
                .clone()
                .unwrap_or_else(|| self.retry.clone()),
            timeout: overrides.timeout.or(self.timeout),
            ..self.clone()
        })
    }
}

/// What one call (a request builder) sets for itself: the client's values otherwise.
///
/// `pub` for [`crate::Request::send`]'s signature, and out of reach of other crates (this
/// module is private): that keeps the trait this crate's.
#[allow(unreachable_pub)]
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
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
    /// What it means, when the API area recognised it.
    pub(crate) kind: Option<crate::ApiErrorKind>,
}

/// A vendor's error body, as the generated types decode it. Each API area maps its own
/// envelope (`go::error_body`, `market::error_body`), so this module knows neither.
pub(crate) trait VendorError: DeserializeOwned {
    /// The code, message, entries and hint of the body.
    fn into_body(self) -> ErrorBody;
}

/// How the send loop begins.
pub(crate) enum Begin<E> {
    /// With its first attempt.
    Afresh,
    /// With its first attempt, in this span: made by a caller that asked whether anyone
    /// listens to it (a span made and dropped unused would still reach a subscriber).
    InSpan(tracing::Span),
    /// Going on from a first attempt made outside the loop, which failed.
    After(Box<FailedFirst<E>>),
}

/// A call's first attempt, made outside the send loop and failed (see
/// [`CallContext::unwatched`]): the loop goes on from it as attempt 1.
pub(crate) struct FailedFirst<E> {
    pub(crate) error: RawError<E>,
    /// The response's status and request id, when one arrived.
    pub(crate) meta: Option<ResponseMeta>,
    pub(crate) started: Instant,
}

/// Sends `send()` until it succeeds or the retry policy says stop.
///
/// Each attempt is one `yandex_promo` span with the operation, attempt number, HTTP status
/// and duration; no header or body is ever recorded, so secrets cannot leak into logs.
///
/// Not an `async fn` itself: one layer of future less to move the answer through.
pub(crate) fn send_with_retries<T, E, F, Fut>(
    context: &CallContext,
    operation: &'static Operation,
    send: F,
) -> impl Future<Output = Result<T, Error>>
where
    E: VendorError,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RawError<E>>>,
{
    send_observed(context, operation, send, (), Begin::Afresh)
}

/// The span of one attempt, with OpenTelemetry's HTTP client attribute names, so that an
/// OpenTelemetry layer exports it as it is; no header or body is ever recorded, so secrets
/// cannot leak into logs.
pub(crate) fn attempt_span(
    context: &CallContext,
    operation: &'static Operation,
    attempt: u32,
) -> tracing::Span {
    tracing::info_span!(
        target: "yandex_promo",
        "yandex_promo",
        otel.name = operation.id,
        yandex_promo.operation = operation.id,
        http.request.method = operation.method,
        url.template = operation.path_template,
        server.address = &*context.server,
        http.request.resend_count = attempt - 1,
        http.response.status_code = field::Empty,
        error.type = field::Empty,
        yandex_promo.request_id = field::Empty,
        yandex_promo.duration_ms = field::Empty,
    )
}

/// What an operation does about its failed attempts beyond the retry policy: nothing, for
/// most (`()`).
pub(crate) trait Recovery<T> {
    /// Sees the error of every failed attempt, as it happens (a create needs to know whether
    /// *any* attempt may have made its order).
    fn saw(&mut self, _error: &Error) {}

    /// After a failed attempt: before the next one (after the wait), or when the call gives
    /// up (`giving_up`). An answer found another way ends the call with it (a geo zone an
    /// earlier attempt made, having lost its answer: creating it again would make a second).
    fn recover(
        &mut self,
        _error: &Error,
        _giving_up: bool,
    ) -> impl Future<Output = Result<Option<T>, Error>> {
        std::future::ready(Ok(None))
    }
}

impl<T> Recovery<T> for () {}

/// [`send_with_retries`], with the operation's own [`Recovery`], beginning as `begin` says
/// (a first attempt made outside the loop is boxed: the loop's state stays small).
pub(crate) async fn send_observed<T, E, F, Fut>(
    context: &CallContext,
    operation: &'static Operation,
    mut send: F,
    mut recovery: impl Recovery<T>,
    mut begin: Begin<E>,
) -> Result<T, Error>
where
    E: VendorError,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RawError<E>>>,
{
    let mut call_started = match &begin {
        Begin::After(made) => Some(made.started),
        Begin::Afresh | Begin::InSpan(_) => None,
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (made, span) = match std::mem::replace(&mut begin, Begin::Afresh) {
            // Made where nobody listened: no span.
            Begin::After(made) => (Some(made), tracing::Span::none()),
            Begin::InSpan(span) => (None, span),
            Begin::Afresh => (None, attempt_span(context, operation, attempt)),
        };
        // A first attempt made outside the loop had no limiter to wait for.
        let permit = match (&context.limiter, &made) {
            (Some(limiter), None) => Some(limiter.acquire().await),
            _ => None,
        };
        // The clock is read once per attempt (twice when someone looks at the duration): a
        // read costs as much as a header lookup, on the path of every call.
        let attempt_started = made.as_ref().map_or_else(Instant::now, |made| made.started);
        let call_started = *call_started.get_or_insert(attempt_started);
        // The request's timeout (reqwest's, from sending to the end of the body) bounds the
        // error body of an unexpected status too.
        let sent = async {
            // Boxed once here, the generated future (about 1.7 KB) is not copied again by each
            // layer that wraps it: the call scope, the span and this loop.
            let to_error = {
                let (result, meta) = match made {
                    Some(made) => (Err(made.error), made.meta),
                    None => with_timeout(context.request_timeout(), Box::pin(send())).await,
                };
                match result {
                    Ok(value) => return Ok((value, meta)),
                    Err(error) => Box::pin(to_error(operation.id, context.timeout, error, meta)),
                }
            };
            // The error path (it may read a body) is boxed too, and awaited after the block
            // that held the answer, or every call's future would be kilobytes larger.
            Err(to_error.await)
        };
        let report = |outcome, duration, next, request_id: Option<&str>| {
            if let Some(observer) = &context.observer {
                observer.attempt(&Attempt {
                    operation,
                    number: attempt,
                    outcome,
                    duration,
                    next,
                    request_id,
                });
            }
        };
        // A block of its own, so that the answer (half a kilobyte) is not kept in the future
        // across the retry's wait.
        let (error, duration) = {
            // Nobody listens to a disabled span: entering it on every poll is skipped.
            let result = if span.is_disabled() {
                sent.await
            } else {
                sent.instrument(span.clone()).await
            };
            drop(permit);
            // Nobody looks at this attempt (no observer, no subscriber for its span): the
            // clock and the request id are skipped, on the path of every call.
            let observed = context.observer.is_some() || !span.is_disabled();
            let duration = if observed {
                attempt_started.elapsed()
            } else {
                Duration::ZERO
            };
            if observed {
                record_on_span(&span, &result, duration);
            }
            match result {
                Ok((value, meta)) => {
                    if context.observer.is_some() {
                        let meta = meta.as_ref();
                        let status = meta.map_or(0, |m| m.status.as_u16());
                        let request_id = meta.and_then(ResponseMeta::request_id);
                        report(
                            AttemptOutcome::Status(status),
                            duration,
                            NextStep::Done,
                            request_id,
                        );
                    }
                    return Ok(value);
                }
                Err(error) => (error, duration),
            }
        };
        span.record("error.type", outcome_of(&error).label().as_str());
        recovery.saw(&error);
        let decision = decide(
            &context.retry,
            &error,
            attempt,
            call_started.elapsed(),
            context.clock.now(),
            fastrand::f64(),
        );
        let outcome = outcome_of(&error);
        match decision {
            Decision::Retry(delay) => {
                report(
                    outcome,
                    duration,
                    NextStep::Retry { after: delay },
                    error.request_id(),
                );
                span.in_scope(|| tracing::warn!(error = %error, delay_ms = delay.as_millis() as u64, "retrying"));
                tokio::time::sleep(delay).await;
                if let Some(found) = recovery.recover(&error, false).await? {
                    return Ok(found);
                }
            }
            Decision::Stop => {
                report(outcome, duration, NextStep::GiveUp, error.request_id());
                // A look for what the attempt may have made is a bonus here: when it fails,
                // the call's own error stands.
                if let Ok(Some(found)) = recovery.recover(&error, true).await {
                    return Ok(found);
                }
                span.in_scope(|| tracing::debug!(error = %error, "failed"));
                return Err(error);
            }
        }
    }
}

/// The status, request id and duration of an attempt, on its span.
fn record_on_span<T>(
    span: &tracing::Span,
    result: &Result<(T, Option<ResponseMeta>), Error>,
    duration: Duration,
) {
    let (status, request_id) = match result {
        Ok((_, meta)) => (
            meta.as_ref().map(|meta| meta.status.as_u16()),
            meta.as_ref().and_then(ResponseMeta::request_id),
        ),
        Err(error) => (error.status(), error.request_id()),
    };
    if let Some(status) = status {
        span.record("http.response.status_code", status);
    }
    if let Some(id) = request_id {
        span.record("yandex_promo.request_id", id);
    }
    span.record("yandex_promo.duration_ms", duration.as_millis() as u64);
}

/// The error of an attempt that did not end within `limit`.
fn timed_out(operation: &'static str, limit: Duration) -> Error {
    Error::Timeout {
        operation,
        source: format!("the attempt took longer than {limit:?}").into(),
    }
}

/// How an attempt that failed ended, for the observer and the span's `error.type` (the
/// status when a response arrived, else the class of failure: OpenTelemetry's rule).
fn outcome_of(error: &Error) -> AttemptOutcome {
    match error {
        Error::Timeout { .. } => AttemptOutcome::Timeout,
        Error::Transport { .. } => AttemptOutcome::Transport,
        other => other
            .status()
            .map_or(AttemptOutcome::NotSent, AttemptOutcome::Status),
    }
}

/// Maps a progenitor error onto [`Error`]; `meta` is the response's, when one arrived.
async fn to_error<E: VendorError>(
    operation: &'static str,
    limit: Option<Duration>,
    error: RawError<E>,
    meta: Option<ResponseMeta>,
) -> Error {
    use RawError as Raw;
    let (status, request_id) = match meta {
        Some(meta) => (Some(meta.status), meta.request_id().map(str::to_owned)),
        None => (None, None),
    };
    match error {
        Raw::InvalidRequest(message) => Error::Config(format!("{operation}: {message}")),
        Raw::CommunicationError(e) | Raw::InvalidUpgrade(e) | Raw::ResponseBodyError(e) => {
            transport(operation, limit, e)
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
                Err(e) => return transport(operation, limit, e),
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

fn transport(operation: &'static str, limit: Option<Duration>, error: reqwest::Error) -> Error {
    match limit {
        // Not a connect timeout: the attempt's own, which the message names.
        Some(limit) if error.is_timeout() && !error.is_connect() => timed_out(operation, limit),
        _ if error.is_timeout() => Error::Timeout {
            operation,
            source: error.without_url().into(),
        },
        _ => Error::Transport {
            operation,
            source: error.without_url().into(),
        },
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
        kind,
    } = body.into_body();
    ApiError {
        operation,
        status,
        code,
        message,
        errors,
        hint,
        request_id,
        kind,
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
