//! Retry policy as data, and the pure decision of whether and when to try again. Which
//! operations are retried, and why that is safe, is documented on [`RetryPolicy`], where
//! docs.rs shows it.
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::{ApiErrorKind, Error};

/// How failed calls are retried: exponential backoff with full jitter, bounded by attempts
/// and total time; rate limits with a reset instant are waited out up to a bound.
///
/// Every operation of both APIs is safe to repeat:
/// - reads (`list`, `get`, codes, zones, `getPromos`, `getPromoOffers`) have no effect;
/// - `create` carries one `X-Idempotency-Token` on every attempt, so the server creates at
///   most one order however many attempts reach it;
/// - `cancel` cannot take effect twice: an order is cancelled once. A retry after an attempt
///   that did cancel may get an error answer instead of `cancelled` (the order's state has
///   changed); `get` tells the truth;
/// - Market's `updatePromoOffers` sets prices: sending the same offers again leaves the same
///   state (idempotent by content), and refused offers are refused again;
/// - `deletePromoOffers` takes offers out: taking out an offer already out changes nothing, and
///   `deleteAllOffers` twice leaves the promo as once.
///
/// So transport errors, timeouts, 5xx (also with a non-JSON body, such as a proxy's HTML 502),
/// 429 and Market's 420 are retried; other 4xx answers are final, but for one.
///
/// **Market's single-offer throttle** ([`ApiErrorKind::SingleOfferThrottled`]) is a 400 that
/// asks to wait: Market limits requests that carry a single offer id for one promo, apart
/// from the hourly budget, and documents neither the limit's size nor its window, and no
/// header says when it resets. It is retried after [`single_offer_wait`](Self::single_offer_wait)
/// (20 s by default) plus up to 10% jitter, while that wait stays within
/// [`max_rate_limit_wait`](Self::max_rate_limit_wait) and the retry starts within the
/// policy's total time (60 s by default): so the standard policy waits twice, about 20 s each,
/// then returns the error, whose hint says to send several offers of the promo in one request
/// (the docs' own remedy). Why 20 s: the backoff (0.2 to 5 s) would hit the same unknown window
/// again and spend the hourly budget on refusals; two waits of 20 s cover any window up to
/// about 40 s and stay within the bound the policy already puts on waiting for a limit, so a
/// run stays responsive; a limit that outlasts them is better met by batching than by
/// waiting longer. Jitter keeps clients throttled together from coming back together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_rate_limit_wait: Duration,
    single_offer_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryPolicy {
    /// Up to 4 attempts, backoff from 200 ms doubling to at most 5 s, 60 s in all; a rate
    /// limit that resets within 60 s is waited out; Market's single-offer throttle is waited
    /// out 20 s at a time (see above).
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::{go::GoClient, RetryPolicy};
    /// let client = GoClient::builder("y0_your_oauth_token")
    ///     .retry(RetryPolicy::standard())
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn standard() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(60),
            max_rate_limit_wait: Duration::from_secs(60),
            single_offer_wait: Duration::from_secs(20),
        }
    }

    /// One attempt, no waiting: every failure is returned as it is.
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::{go::GoClient, RetryPolicy};
    /// let client = GoClient::builder("y0_your_oauth_token")
    ///     .retry(RetryPolicy::disabled())
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            max_rate_limit_wait: Duration::ZERO,
            ..Self::standard()
        }
    }

    /// Attempts in all, the first included (at least 1).
    ///
    /// ```no_run
    /// let policy = yandex_promo::RetryPolicy::standard().with_max_attempts(6);
    /// assert_eq!(policy.max_attempts(), 6);
    /// ```
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff cap before the first retry; it doubles each retry up to `max`.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// let policy = yandex_promo::RetryPolicy::standard()
    ///     .with_backoff(Duration::from_millis(500), Duration::from_secs(10));
    /// ```
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// No retry starts later than this after the first attempt began.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// let policy = yandex_promo::RetryPolicy::standard()
    ///     .with_max_elapsed(Duration::from_secs(120));
    /// ```
    pub fn with_max_elapsed(mut self, total: Duration) -> Self {
        self.max_elapsed = total;
        self
    }

    /// The longest wait for a rate limit to reset before returning [`Error::RateLimited`].
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// // Wait out Market's hourly budget rather than fail.
    /// let policy = yandex_promo::RetryPolicy::standard()
    ///     .with_max_rate_limit_wait(Duration::from_secs(3600));
    /// ```
    pub fn with_max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

    /// How long to wait before retrying after Market's single-offer throttle (20 s by
    /// default, plus up to 10% jitter): its window is not documented, so this is a guess a
    /// caller may tune. A wait longer than
    /// [`max_rate_limit_wait`](Self::max_rate_limit_wait) is not made.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// // A nightly job that would rather wait than fail.
    /// let policy = yandex_promo::RetryPolicy::standard()
    ///     .with_single_offer_wait(Duration::from_secs(60))
    ///     .with_max_elapsed(Duration::from_secs(300));
    /// ```
    pub fn with_single_offer_wait(mut self, wait: Duration) -> Self {
        self.single_offer_wait = wait;
        self
    }

    /// Attempts in all.
    ///
    /// ```no_run
    /// assert_eq!(yandex_promo::RetryPolicy::standard().max_attempts(), 4);
    /// assert_eq!(yandex_promo::RetryPolicy::disabled().max_attempts(), 1);
    /// ```
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest rate-limit wait.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// let policy = yandex_promo::RetryPolicy::standard();
    /// assert_eq!(policy.max_rate_limit_wait(), Duration::from_secs(60));
    /// ```
    pub fn max_rate_limit_wait(&self) -> Duration {
        self.max_rate_limit_wait
    }

    /// The wait before retrying after Market's single-offer throttle, before jitter.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// let policy = yandex_promo::RetryPolicy::standard();
    /// assert_eq!(policy.single_offer_wait(), Duration::from_secs(20));
    /// ```
    pub fn single_offer_wait(&self) -> Duration {
        self.single_offer_wait
    }
}

/// Whether a failed request may still have taken effect: it may have reached the service
/// (no answer, a timeout, a server error, an answer cut short), as opposed to an answer that
/// refused it. A create that failed so may have made what it asked for.
pub(crate) fn may_have_landed(error: &Error) -> bool {
    match error {
        Error::Transport { .. } | Error::Timeout { .. } => true,
        Error::Api(api) => api.status >= 500,
        Error::Decode { status, .. } => status.is_none_or(|s| !(300..500).contains(&s)),
        _ => false,
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Sleep this long, then try again.
    Retry(Duration),
    /// Return the error.
    Stop,
}

/// Decides what follows failed attempt number `attempt` (1-based), `elapsed` after the first
/// began, at instant `now`; `jitter` is a uniform sample from `[0, 1)`.
pub(crate) fn decide(
    policy: &RetryPolicy,
    error: &Error,
    attempt: u32,
    elapsed: Duration,
    now: DateTime<Utc>,
    jitter: f64,
) -> Decision {
    if attempt >= policy.max_attempts {
        return Decision::Stop;
    }
    let backoff = || {
        let doublings = attempt.saturating_sub(1).min(30);
        let cap = policy
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(policy.max_backoff);
        cap.mul_f64(jitter.clamp(0.0, 1.0))
    };
    let delay = match error {
        Error::Api(api) if api.kind == Some(ApiErrorKind::SingleOfferThrottled) => {
            let wait = policy.single_offer_wait;
            if wait > policy.max_rate_limit_wait {
                return Decision::Stop;
            }
            // Up to a tenth more, never past the bound (nor overflowing, whatever the wait):
            // whether the policy waits does not depend on the draw.
            wait.saturating_add(wait.mul_f64(0.1 * jitter.clamp(0.0, 1.0)))
                .min(policy.max_rate_limit_wait)
        }
        Error::Transport { .. } | Error::Timeout { .. } => backoff(),
        Error::Api(api) if api.status >= 500 => backoff(),
        Error::Decode {
            status: Some(status),
            ..
        } if *status >= 500 => backoff(),
        Error::RateLimited { until: None, .. } => backoff(),
        Error::RateLimited {
            until: Some(until), ..
        } => {
            let wait = (*until - now).to_std().unwrap_or(Duration::ZERO);
            if wait > policy.max_rate_limit_wait {
                return Decision::Stop;
            }
            wait
        }
        _ => return Decision::Stop,
    };
    if elapsed.saturating_add(delay) > policy.max_elapsed {
        Decision::Stop
    } else {
        Decision::Retry(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiError, ErrorCode};

    fn api(status: u16) -> Error {
        api_of_kind(status, None)
    }

    fn api_of_kind(status: u16, kind: Option<ApiErrorKind>) -> Error {
        ApiError {
            operation: "op",
            status,
            code: ErrorCode::Unknown(String::new()),
            message: None,
            errors: Vec::new(),
            hint: None,
            request_id: None,
            kind,
        }
        .into()
    }

    fn throttled() -> Error {
        api_of_kind(400, Some(ApiErrorKind::SingleOfferThrottled))
    }

    fn transport() -> Error {
        Error::Transport {
            operation: "op",
            source: "connection reset".into(),
        }
    }

    fn decode(status: Option<u16>) -> Error {
        Error::Decode {
            operation: "op",
            status,
            excerpt: "<html>".into(),
            request_id: None,
            source: "html".into(),
        }
    }

    fn now() -> DateTime<Utc> {
        "2025-01-01T00:00:00Z".parse().expect("instant")
    }

    #[test]
    fn the_decision_table() {
        let policy = RetryPolicy::standard();
        let soon = Error::RateLimited {
            operation: "op",
            status: 420,
            until: Some(now() + chrono::Duration::seconds(30)),
            request_id: None,
        };
        let late = Error::RateLimited {
            operation: "op",
            status: 420,
            until: Some(now() + chrono::Duration::seconds(61)),
            request_id: None,
        };
        let cases: Vec<(&str, Error, u32, Decision)> = vec![
            (
                "transport error",
                transport(),
                1,
                Decision::Retry(Duration::from_millis(100)),
            ),
            (
                "timeout",
                Error::Timeout {
                    operation: "op",
                    source: "slow".into(),
                },
                1,
                Decision::Retry(Duration::from_millis(100)),
            ),
            (
                "503",
                api(503),
                2,
                Decision::Retry(Duration::from_millis(200)),
            ),
            (
                "500",
                api(500),
                3,
                Decision::Retry(Duration::from_millis(400)),
            ),
            (
                "HTML 502",
                decode(Some(502)),
                1,
                Decision::Retry(Duration::from_millis(100)),
            ),
            (
                "429 without reset time",
                Error::RateLimited {
                    operation: "op",
                    status: 429,
                    until: None,
                    request_id: None,
                },
                1,
                Decision::Retry(Duration::from_millis(100)),
            ),
            (
                "420 resetting in 30 s",
                soon,
                1,
                Decision::Retry(Duration::from_secs(30)),
            ),
            (
                "420 resetting past the allowed wait",
                late,
                1,
                Decision::Stop,
            ),
            ("400", api(400), 1, Decision::Stop),
            ("404", api(404), 1, Decision::Stop),
            ("409", api(409), 1, Decision::Stop),
            ("undecodable 200", decode(Some(200)), 1, Decision::Stop),
            (
                "validation",
                Error::Validation(crate::ValidationError { violations: vec![] }),
                1,
                Decision::Stop,
            ),
            ("attempts exhausted", api(503), 4, Decision::Stop),
        ];
        for (name, error, attempt, expected) in cases {
            assert_eq!(
                decide(&policy, &error, attempt, Duration::ZERO, now(), 0.5),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn the_single_offer_throttle_is_waited_out_twice_then_surfaces() {
        let policy = RetryPolicy::standard();
        let secs = Duration::from_secs;
        let cases: Vec<(&str, Error, u32, Duration, Decision)> = vec![
            (
                "throttled, attempt 1 at 0 s",
                throttled(),
                1,
                Duration::ZERO,
                Decision::Retry(secs(21)),
            ),
            (
                "throttled, attempt 2 at 21 s",
                throttled(),
                2,
                secs(21),
                Decision::Retry(secs(21)),
            ),
            (
                "throttled, attempt 3 at 42 s: a third wait ends past 60 s",
                throttled(),
                3,
                secs(42),
                Decision::Stop,
            ),
            ("a plain 400", api(400), 1, Duration::ZERO, Decision::Stop),
            (
                "promo ended",
                api_of_kind(400, Some(ApiErrorKind::PromoEnded)),
                1,
                Duration::ZERO,
                Decision::Stop,
            ),
            (
                "deprecated method",
                api_of_kind(403, Some(ApiErrorKind::MethodDeprecated)),
                1,
                Duration::ZERO,
                Decision::Stop,
            ),
        ];
        for (name, error, attempt, elapsed, expected) in cases {
            assert_eq!(
                decide(&policy, &error, attempt, elapsed, now(), 0.5),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn the_throttle_wait_is_jittered_up_to_a_tenth_and_bounded() {
        let at = |policy: &RetryPolicy, jitter| {
            decide(policy, &throttled(), 1, Duration::ZERO, now(), jitter)
        };
        let standard = RetryPolicy::standard();
        assert_eq!(at(&standard, 0.0), Decision::Retry(Duration::from_secs(20)));
        let Decision::Retry(longest) = at(&standard, 0.999_999) else {
            panic!("the throttle is retried")
        };
        assert!(longest <= Duration::from_secs(22), "{longest:?}");
        let short = standard
            .clone()
            .with_max_rate_limit_wait(Duration::from_secs(15));
        assert_eq!(
            at(&short, 0.0),
            Decision::Stop,
            "longer than the allowed wait"
        );
        assert_eq!(
            at(&RetryPolicy::disabled(), 0.0),
            Decision::Stop,
            "one attempt only"
        );
        // At the bound the draw decides nothing: the jitter stops there.
        let tight = standard
            .clone()
            .with_max_rate_limit_wait(Duration::from_secs(21));
        for jitter in [0.0, 0.5, 0.999_999] {
            let Decision::Retry(wait) = at(&tight, jitter) else {
                panic!("a wait within the bound is waited")
            };
            assert!(wait <= Duration::from_secs(21), "{wait:?}");
        }
        // A caller who would rather wait than fail never makes it overflow.
        let patient = standard
            .with_single_offer_wait(Duration::MAX)
            .with_max_rate_limit_wait(Duration::MAX);
        assert_eq!(
            at(&patient, 0.999_999),
            Decision::Stop,
            "past the policy's total time"
        );
        let patient = patient.with_max_elapsed(Duration::MAX);
        assert_eq!(at(&patient, 0.999_999), Decision::Retry(Duration::MAX));
    }

    #[test]
    fn backoff_is_capped_and_jitter_spans_zero_to_the_cap() {
        let policy = RetryPolicy::standard().with_max_attempts(20);
        let at = |attempt, jitter| {
            decide(
                &policy,
                &transport(),
                attempt,
                Duration::ZERO,
                now(),
                jitter,
            )
        };
        assert_eq!(
            at(10, 0.999_999),
            Decision::Retry(Duration::from_secs(5).mul_f64(0.999_999))
        );
        assert_eq!(at(1, 0.0), Decision::Retry(Duration::ZERO));
    }

    #[test]
    fn no_retry_starts_past_the_time_budget() {
        let policy = RetryPolicy::standard().with_max_elapsed(Duration::from_secs(1));
        let decision = decide(
            &policy,
            &transport(),
            1,
            Duration::from_millis(950),
            now(),
            0.9,
        );
        assert_eq!(decision, Decision::Stop);
    }

    #[test]
    fn disabled_never_retries() {
        let policy = RetryPolicy::disabled();
        assert_eq!(
            decide(&policy, &api(503), 1, Duration::ZERO, now(), 0.5),
            Decision::Stop
        );
    }
}
