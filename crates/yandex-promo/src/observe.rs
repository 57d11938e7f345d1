//! A hook around every HTTP attempt: an [`Observer`] installed on a client builder is told,
//! after each attempt, which operation it was, how it ended, how long it took and what the
//! retry policy decided. Two implementations come with the crate: [`CountingObserver`]
//! (what a metrics exporter needs) and [`TracingObserver`] (one `tracing` event per attempt,
//! with OpenTelemetry's attribute names). With no observer installed the send loop skips the
//! hook entirely: nothing is allocated or counted.
use std::{
    collections::BTreeMap,
    fmt,
    sync::{Mutex, PoisonError},
    time::Duration,
};

pub use yandex_promo_raw::Operation;

/// Watches every HTTP attempt of the clients it is installed on
/// ([`crate::go::GoClientBuilder::observer`], [`crate::market::MarketClientBuilder::observer`]).
///
/// Called from the send loop once per attempt, after the attempt ended and the retry policy
/// decided: keep it quick and never block (count, or hand the data to a channel).
///
/// ```no_run
/// use yandex_promo::{Attempt, Observer};
///
/// #[derive(Debug)]
/// struct PrintEveryAttempt;
///
/// impl Observer for PrintEveryAttempt {
///     fn attempt(&self, attempt: &Attempt<'_>) {
///         println!("{} #{}: {:?} in {:?}", attempt.operation.id, attempt.number, attempt.outcome, attempt.duration);
///     }
/// }
/// ```
pub trait Observer: fmt::Debug + Send + Sync + 'static {
    /// One attempt ended.
    fn attempt(&self, attempt: &Attempt<'_>);
}

/// One HTTP attempt, as an [`Observer`] sees it.
///
/// ```
/// use yandex_promo::{Attempt, NextStep};
/// fn was_retried(attempt: &Attempt<'_>) -> bool {
///     matches!(attempt.next, NextStep::Retry { .. })
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The operation, as the spec names it (id, method, path template).
    pub operation: &'static Operation,
    /// 1 for the first attempt of a call, 2 for its first retry, and so on.
    pub number: u32,
    /// How the attempt ended.
    pub outcome: AttemptOutcome,
    /// From sending the request to the end of the answer (or the failure).
    pub duration: Duration,
    /// What follows: nothing, a retry after a wait, or giving up.
    pub next: NextStep,
    /// The vendor's id of the request, when the response carried one.
    pub request_id: Option<&'a str>,
}

/// How an attempt ended.
///
/// ```
/// use yandex_promo::AttemptOutcome;
/// let server_side = |outcome: AttemptOutcome| matches!(outcome, AttemptOutcome::Status(500..=599));
/// assert!(server_side(AttemptOutcome::Status(503)) && !server_side(AttemptOutcome::Timeout));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// A response arrived with this HTTP status (whether or not its body decoded).
    Status(u16),
    /// No response within the timeout.
    Timeout,
    /// The connection failed or broke before a response arrived.
    Transport,
    /// The request was refused before it was sent (e.g. an invalid parameter).
    NotSent,
}

impl AttemptOutcome {
    /// A short label for a metric: the status (`"200"`), `"timeout"`, `"transport"` or
    /// `"not_sent"`.
    ///
    /// ```
    /// use yandex_promo::AttemptOutcome;
    /// assert_eq!(AttemptOutcome::Status(503).label(), "503");
    /// assert_eq!(AttemptOutcome::Timeout.label(), "timeout");
    /// ```
    pub fn label(self) -> String {
        match self {
            Self::Status(status) => status.to_string(),
            Self::Timeout => "timeout".to_owned(),
            Self::Transport => "transport".to_owned(),
            Self::NotSent => "not_sent".to_owned(),
        }
    }
}

/// What the send loop does after an attempt.
///
/// ```
/// use std::time::Duration;
/// use yandex_promo::NextStep;
/// let next = NextStep::Retry { after: Duration::from_millis(200) };
/// assert!(matches!(next, NextStep::Retry { after } if after.as_millis() == 200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum NextStep {
    /// The attempt succeeded: the call returns its answer.
    Done,
    /// The retry policy will try again after this wait. (A zone create first looks for the
    /// zone the attempt may have made, and returns it if it is there.)
    Retry {
        /// The wait before the next attempt.
        after: Duration,
    },
    /// No further attempt: the call returns the attempt's error. (A zone create told that
    /// the zone exists returns that zone instead.)
    GiveUp,
}

/// The key [`CountingObserver`] counts by.
///
/// ```
/// # fn demo(counts: &yandex_promo::CountingObserver) {
/// let retried: u64 = counts.snapshot().iter().filter(|(key, _)| key.retried).map(|(_, n)| n).sum();
/// println!("{retried} attempts were retried");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub struct AttemptKey {
    /// The operation id, e.g. `createPromocodeOrder`.
    pub operation: &'static str,
    /// How the attempt ended.
    pub outcome: AttemptOutcome,
    /// Whether a retry followed it.
    pub retried: bool,
}

/// Counts attempts per operation, outcome and retry decision: what a metrics exporter reads
/// (say, into a counter `yandex_promo_attempts_total{operation, status, retried}`).
///
/// ```no_run
/// # fn demo() -> yandex_promo::Result<()> {
/// use std::sync::Arc;
/// use yandex_promo::{CountingObserver, go::GoClient};
///
/// let counts = Arc::new(CountingObserver::default());
/// let client = GoClient::builder("y0_token").observer(counts.clone()).build()?;
/// // ... calls ...
/// for (key, n) in counts.snapshot() {
///     println!("{} {} retried={}: {n}", key.operation, key.outcome.label(), key.retried);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct CountingObserver {
    counts: Mutex<BTreeMap<AttemptKey, u64>>,
}

impl CountingObserver {
    /// The counts so far.
    ///
    /// ```
    /// let counts = yandex_promo::CountingObserver::default();
    /// assert!(counts.snapshot().is_empty());
    /// ```
    pub fn snapshot(&self) -> BTreeMap<AttemptKey, u64> {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Observer for CountingObserver {
    fn attempt(&self, attempt: &Attempt<'_>) {
        let key = AttemptKey {
            operation: attempt.operation.id,
            outcome: attempt.outcome,
            retried: matches!(attempt.next, NextStep::Retry { .. }),
        };
        *self
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_default() += 1;
    }
}

/// One `tracing` event per attempt (target `yandex_promo`, `INFO` for a success, `WARN`
/// otherwise), with OpenTelemetry's HTTP attribute names: `http.request.method`,
/// `url.template`, `http.response.status_code`, `http.request.resend_count`, `error.type`,
/// plus `yandex_promo.operation`, `yandex_promo.duration_ms`, `yandex_promo.retry_after_ms`
/// and `yandex_promo.request_id`. No header or body is recorded. (Every attempt also runs in
/// a `yandex_promo` span with the same names, observer or not.)
///
/// ```no_run
/// # fn demo() -> yandex_promo::Result<()> {
/// use std::sync::Arc;
/// use yandex_promo::{TracingObserver, market::{MarketAuth, MarketClient}};
///
/// let client = MarketClient::builder(MarketAuth::api_key("key"), 42)
///     .observer(Arc::new(TracingObserver))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct TracingObserver;

impl Observer for TracingObserver {
    fn attempt(&self, attempt: &Attempt<'_>) {
        let status = match attempt.outcome {
            AttemptOutcome::Status(status) => Some(status),
            _ => None,
        };
        let error_type = match attempt.outcome {
            AttemptOutcome::Status(status) if status < 400 => None,
            outcome => Some(outcome.label()),
        };
        let retry_after_ms = match attempt.next {
            NextStep::Retry { after } => Some(after.as_millis() as u64),
            _ => None,
        };
        macro_rules! attempt_event {
            ($level:expr) => {
                tracing::event!(
                    target: "yandex_promo",
                    $level,
                    yandex_promo.operation = attempt.operation.id,
                    http.request.method = attempt.operation.method,
                    url.template = attempt.operation.path_template,
                    http.request.resend_count = attempt.number - 1,
                    http.response.status_code = status,
                    error.type = error_type.as_deref(),
                    yandex_promo.duration_ms = attempt.duration.as_millis() as u64,
                    yandex_promo.retry_after_ms = retry_after_ms,
                    yandex_promo.request_id = attempt.request_id,
                    "attempt"
                )
            };
        }
        if error_type.is_none() {
            attempt_event!(tracing::Level::INFO);
        } else {
            attempt_event!(tracing::Level::WARN);
        }
    }
}
