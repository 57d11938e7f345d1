//! The fault model: what the next requests suffer, and the seeded generator that draws the
//! random faults. Set through [`crate::SandboxHandle::set_faults`] or `/__sandbox/faults`;
//! applied by the request middleware.
use serde::{Deserialize, Serialize};

/// What the next requests suffer. Counters go down as faults are spent; rates apply to every
/// request, drawn from a generator seeded with [`Faults::seed`], so a run that sends its
/// requests in the same order meets the same faults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// The next this many requests fail with [`Faults::failure`].
    pub fail_next: u32,
    /// Requests that pass before [`Faults::fail_next`] starts: a client that sends the same
    /// requests in the same order can so be failed at one chosen request (the fourth write
    /// after its reads, say) without racing it.
    pub fail_after: u32,
    /// How they fail.
    pub failure: Failure,
    /// The next this many creates (of orders or zones) commit, then drop the connection
    /// instead of answering.
    pub drop_after_create: u32,
    /// The next this many new orders end as `creation_failed` instead of being issued, as
    /// the service may decide: they never list codes.
    pub failed_orders: u32,
    /// Added to every request before it is handled, in milliseconds.
    pub latency_ms: u64,
    /// The chance, from 0.0 to 1.0, that a request (once `fail_next` is spent) fails with one
    /// of [`Faults::random_failures`].
    pub failure_rate: f64,
    /// The kinds of random failure, picked at random; `[failure]` when empty.
    pub random_failures: Vec<Failure>,
    /// The chance, from 0.0 to 1.0, that a create which committed its order or zone (once
    /// `drop_after_create` is spent) drops the connection instead of answering.
    pub drop_after_create_rate: f64,
    /// Seeds the generator behind the rates when the plan is set.
    pub seed: u64,
}

/// How an injected failure answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// 500 with the API's own JSON error body (Go's or Market's envelope, by the path).
    #[default]
    Status500,
    /// 503 with the API's own JSON error body, as an overloaded service answers.
    Status503,
    /// 502 with an HTML page, as a proxy in front of the service answers.
    Html502,
    /// 403 with Market's message for a deprecated method, "The method is deprecated and is
    /// occasionally forbidden. Please stop using it" (its error catalogue: a share of the
    /// calls to a deprecated method is refused, a share that grows over time). Code
    /// `FORBIDDEN`, or `NO_ACCESS_BY_DEPRECATION_POLICY` with
    /// [`SandboxConfig::market_typed_errors`](crate::SandboxConfig::market_typed_errors). Go
    /// for Business documents no such answer; on its paths it is a 403 in Go's envelope with
    /// the same message.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use yandex_promo_sandbox::{Failure, Faults};
    /// let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
    /// // The next Market call is refused as a deprecated method's.
    /// sandbox.handle().set_faults(Faults { fail_next: 1, failure: Failure::Deprecated403, ..Faults::default() });
    /// # Ok(()) }
    /// ```
    Deprecated403,
}

/// The fault plan with the generator that draws its random faults.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    pub(crate) faults: Faults,
    rng: fastrand::Rng,
}

impl FaultPlan {
    pub(crate) fn new(faults: Faults) -> Self {
        let rng = fastrand::Rng::with_seed(faults.seed);
        Self { faults, rng }
    }

    /// Whether this committed create drops its connection: a counted fault first, then
    /// the rate.
    pub(crate) fn take_drop_after_create(&mut self) -> bool {
        let faults = &mut self.faults;
        if faults.drop_after_create > 0 {
            faults.drop_after_create -= 1;
            return true;
        }
        self.rng.f64() < faults.drop_after_create_rate
    }

    /// Whether this new order is one of [`Faults::failed_orders`].
    pub(crate) fn take_failed_order(&mut self) -> bool {
        let failed = &mut self.faults.failed_orders;
        let fails = *failed > 0;
        *failed = failed.saturating_sub(1);
        fails
    }

    /// The failure this request suffers, if any: a counted one first, then the rate.
    pub(crate) fn take_failure(&mut self) -> Option<Failure> {
        let faults = &mut self.faults;
        if faults.fail_next > 0 {
            if faults.fail_after > 0 {
                faults.fail_after -= 1;
                return None;
            }
            faults.fail_next -= 1;
            return Some(faults.failure);
        }
        if self.rng.f64() >= faults.failure_rate {
            return None;
        }
        let kinds = &faults.random_failures;
        Some(match kinds.len() {
            0 => faults.failure,
            n => kinds[self.rng.usize(..n)],
        })
    }
}
