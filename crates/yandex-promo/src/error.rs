//! The crate's one error type, layered by how far a request got: not built (validation,
//! configuration), sent but no usable answer (transport, timeout), answered with an error
//! (API error, rate limited), or answered with something that does not decode.
use std::fmt;

use chrono::{DateTime, Utc};

/// A boxed error source: transport types stay out of the public variants.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input broke one or more rules; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client could not be built from its configuration.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The API answered with an error status and (usually) its error body.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The API refused the call for exceeding a rate limit (Market 420, HTTP 429), and the
    /// retry policy would not wait that long.
    #[error("{operation}: rate limited (HTTP {status}){}{}", until.map(|u| format!(" until {u}")).unwrap_or_default(), RequestIdSuffix(request_id.as_deref()))]
    RateLimited {
        /// The operation, e.g. `getPromos`.
        operation: &'static str,
        /// 420 or 429.
        status: u16,
        /// When the limit resets, from `X-RateLimit-Resource-Until` or `Retry-After`.
        until: Option<DateTime<Utc>>,
        /// The vendor's id of the request, for a support ticket (see [`Error::request_id`]).
        request_id: Option<String>,
    },
    /// No response: the connection failed or broke. The message leaves the cause to
    /// [`std::error::Error::source`], so a printed chain names each cause once.
    #[error("{operation}: request failed before a response arrived")]
    Transport {
        /// The operation.
        operation: &'static str,
        /// What failed.
        #[source]
        source: BoxError,
    },
    /// No response within the configured timeout. The request may have reached the server.
    #[error(
        "{operation}: no response within the timeout (the request may have reached the server)"
    )]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The transport's timeout error.
        #[source]
        source: BoxError,
    },
    /// An issuance journal cannot be used: see [`JournalProblem`]. Nothing was sent.
    #[error("issuance journal {} cannot be used", path.display())]
    Journal {
        /// The journal's path.
        path: std::path::PathBuf,
        /// What is wrong with it (also the error's [`source`](std::error::Error::source)).
        #[source]
        problem: JournalProblem,
    },
    /// An issuance's output file cannot be written. The journal keeps what was written
    /// before; run again to continue.
    #[error("output file {} cannot be written", path.display())]
    Output {
        /// The file (its `.partial` form while it is being written).
        path: std::path::PathBuf,
        /// The I/O error (also the error's [`source`](std::error::Error::source)).
        #[source]
        error: std::io::Error,
    },
    /// An issuance cannot finish now: see [`IssuanceStop`] for each reason. The journal keeps
    /// every order made; run again to continue.
    #[error("issuance stopped: {0}")]
    Issuance(IssuanceStop),
    /// A create that was sent may have made its order, and the answer did not say: repeat it
    /// with the same idempotency token (`CreateOrder::idempotency_token`, or the CLI's
    /// `--idempotency-token`) and the service returns that order instead of making another.
    #[error(
        "the create may have made its order: repeat it with idempotency token {idempotency_token} to get that order without ordering twice"
    )]
    CreateUnconfirmed {
        /// The token every attempt carried.
        idempotency_token: uuid::Uuid,
        /// The last attempt's error.
        #[source]
        error: Box<Error>,
    },
    /// A response arrived but its body is not what the spec describes.
    #[error("{operation}: {} response does not decode: {excerpt:?}{}", status_text(*status), RequestIdSuffix(request_id.as_deref()))]
    Decode {
        /// The operation.
        operation: &'static str,
        /// The HTTP status, when a response arrived.
        status: Option<u16>,
        /// The start of the body, for the log (at most [`EXCERPT_CHARS`] characters).
        excerpt: String,
        /// The vendor's id of the request, when a response arrived with one.
        request_id: Option<String>,
        /// Why it does not decode.
        #[source]
        source: BoxError,
    },
}

/// ` (request id …)` after an error's message, when the response carried one, so that a
/// printed error can be quoted in a support ticket as it is.
struct RequestIdSuffix<'a>(Option<&'a str>);

impl fmt::Display for RequestIdSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, " (request id {id})"),
            None => Ok(()),
        }
    }
}

fn status_text(status: Option<u16>) -> String {
    status.map_or_else(|| "the".to_owned(), |s| format!("HTTP {s}"))
}

/// How much of an undecodable body an error keeps.
pub const EXCERPT_CHARS: usize = 200;

/// The first [`EXCERPT_CHARS`] characters of a body, with control characters escaped.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

impl Error {
    /// The HTTP status of the response, when one arrived.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) {
    /// match orders.get("017...5dd").await {
    ///     Ok(order) => println!("{}", order.status),
    ///     Err(e) if e.status() == Some(404) => println!("no such order"),
    ///     Err(e) => eprintln!("{e}"),
    /// }
    /// # }
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self.attempt() {
            Error::Api(api) => Some(api.status),
            Error::RateLimited { status, .. } => Some(*status),
            Error::Decode { status, .. } => *status,
            _ => None,
        }
    }

    /// The vendor's error code, for API errors.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// use yandex_promo::ErrorCode;
    /// match orders.cancel("017...5dd").await {
    ///     Err(e) if e.code() == Some(&ErrorCode::Conflict) => println!("a code was used already"),
    ///     other => other?,
    /// }
    /// # Ok(()) }
    /// ```
    pub fn code(&self) -> Option<&ErrorCode> {
        match self.attempt() {
            Error::Api(api) => Some(&api.code),
            _ => None,
        }
    }

    /// The vendor's id of the request that failed, when its response carried one: quote it
    /// in a support ticket. `Display` shows it too.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) {
    /// if let Err(e) = orders.get("017...5dd").await {
    ///     eprintln!("{e}; request id: {}", e.request_id().unwrap_or("none"));
    /// }
    /// # }
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        match self.attempt() {
            Error::Api(api) => api.request_id.as_deref(),
            Error::RateLimited { request_id, .. } | Error::Decode { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// What the API's error answer means, when its API area recognised it (see
    /// [`ApiErrorKind`]): match on it instead of on the message, whose wording the vendor may
    /// change.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) {
    /// use yandex_promo::{ApiErrorKind, market::OfferUpdate};
    /// let offers = [OfferUpdate::new("SKU-1042", 1990, 1490)];
    /// if let Err(e) = market.promos().update("cf_123456", offers).await {
    ///     match e.error.api_kind() {
    ///         Some(ApiErrorKind::PromoEnded) => println!("the promo is over"),
    ///         Some(ApiErrorKind::SingleOfferThrottled) => println!("send more offers at once"),
    ///         _ => eprintln!("{}", e.error),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn api_kind(&self) -> Option<ApiErrorKind> {
        match self.attempt() {
            Error::Api(api) => api.kind,
            _ => None,
        }
    }

    /// Whether this is a timeout.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// if let Err(e) = orders.cancel("017...5dd").await {
    ///     if e.is_timeout() {
    ///         // The request may have reached the server: ask for the order's state.
    ///         println!("{}", orders.get("017...5dd").await?.status);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self.attempt(), Error::Timeout { .. })
    }

    /// The error of the attempt itself: what a `CreateUnconfirmed` wraps, else this error.
    fn attempt(&self) -> &Error {
        match self {
            Error::CreateUnconfirmed { error, .. } => error.attempt(),
            other => other,
        }
    }

    /// The validation problems, if the input was rejected before sending.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager, order: yandex_promo::go::NewOrder) {
    /// if let Err(e) = orders.create(order).send().await {
    ///     for violation in e.violations().unwrap_or_default() {
    ///         eprintln!("{violation}");
    ///     }
    /// }
    /// # }
    /// ```
    pub fn violations(&self) -> Option<&[Violation]> {
        match self {
            Error::Validation(v) => Some(&v.violations),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

yandex_promo_raw::open_enum! {
    /// A vendor error code, matchable without string compares.
    ErrorCode {
        /// Go for Business: the token gives access to several corporate clients and no
        /// `X-YaTaxi-Selected-Corp-Client-Id` was sent; set a corporate client id.
        SelectClientHeaderRequired = "SELECT_CLIENT_HEADER_REQUIRED",
        /// Go for Business: the selected corporate client is not accessible to this login.
        SelectedClientAccessDenied = "SELECTED_CLIENT_ACCESS_DENIED",
        /// A parameter is unknown or has an invalid value.
        BadRequest = "BAD_REQUEST",
        /// Missing or invalid credentials.
        Unauthorized = "UNAUTHORIZED",
        /// Access denied.
        Forbidden = "FORBIDDEN",
        /// No such resource.
        NotFound = "NOT_FOUND",
        /// The operation conflicts with the resource's state (cancel after a code was used).
        Conflict = "CONFLICT",
        /// Too many requests.
        TooManyRequests = "TOO_MANY_REQUESTS",
        /// Market: the method's request budget is spent.
        LimitExceeded = "LIMIT_EXCEEDED",
        /// A server-side failure.
        InternalServerError = "INTERNAL_SERVER_ERROR",
        /// Market (typed code): the promo has ended.
        PromoEnded = "PROMO_ENDED",
        /// Market (typed code): the promo's deadline for putting offers in has passed.
        PromoEntryDeadlineExceeded = "PROMO_ENTRY_DEADLINE_EXCEEDED",
        /// Market (typed code): the operation does not support the promo's mechanics.
        PromoMechanicsNotSupported = "PROMO_MECHANICS_NOT_SUPPORTED",
        /// Market (typed code): too many requests with a single offer id for one promo.
        PromoSingleOfferTaskLimitExceeded = "PROMO_SINGLE_OFFER_TASK_LIMIT_EXCEEDED",
        /// Market (typed code): a call to a deprecated method was refused.
        NoAccessByDeprecationPolicy = "NO_ACCESS_BY_DEPRECATION_POLICY",
    }
}

impl ErrorCode {
    /// A code as an API sent it. An unknown one is reported once, as any open enum's value
    /// is when it decodes, so that a team learns the vendor added a code.
    pub(crate) fn from_wire(code: &str) -> Self {
        let code = Self::from(code);
        if let Self::Unknown(value) = &code
            && !value.is_empty()
        {
            yandex_promo_raw::open::report_unknown("ErrorCode", value);
        }
        code
    }
}

/// What an error answer means, when its API area recognised it from a typed code or from a
/// documented message, so that a caller can react to it (wait, batch, stop, drop a promo)
/// without comparing message text. [`ApiError::kind`] and [`Error::api_kind`] carry it;
/// `None` there means the answer is not one of these.
///
/// ```no_run
/// # fn demo(error: yandex_promo::Error) {
/// use yandex_promo::ApiErrorKind;
/// if error.api_kind() == Some(ApiErrorKind::MethodDeprecated) {
///     eprintln!("move off this method: it is being switched off");
/// }
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// The promo has ended (Market's "Promo has ended", code `PROMO_ENDED`): nothing more can
    /// be done with its offers; a sync or batch stops at once.
    PromoEnded,
    /// The promo no longer takes new offers: its entry deadline has passed (code
    /// `PROMO_ENTRY_DEADLINE_EXCEEDED`; no message for it is documented).
    PromoEntryDeadlineExceeded,
    /// The operation does not support the promo's mechanics (code
    /// `PROMO_MECHANICS_NOT_SUPPORTED`; no message for it is documented).
    PromoMechanicsNotSupported,
    /// Too many requests carrying a single offer id for one promo (Market's "The limit for
    /// promo update requests with a single offerId has been exceeded", code
    /// `PROMO_SINGLE_OFFER_TASK_LIMIT_EXCEEDED`): a 400 apart from the hourly budget. The
    /// retry policy waits it out a while (see [`crate::RetryPolicy`]); if it persists, send
    /// several offers of the promo in one request.
    SingleOfferThrottled,
    /// A delete named neither offer ids nor "delete all" (no typed code is known).
    OfferIdsOrDeleteAllMissing,
    /// A delete named both offer ids and "delete all" (no typed code is known).
    OfferIdsAndDeleteAllBoth,
    /// A 403 for a deprecated method ("The method is deprecated and is occasionally
    /// forbidden"): a share of its calls is refused, growing over time; stop using it.
    MethodDeprecated,
}

/// Why an issuance journal cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalProblem {
    /// The file is not a journal, or its first line is damaged.
    #[error("not an issuance journal (or its first line is damaged)")]
    NotAJournal,
    /// The file ends before its header does (empty, or cut short): it holds no plan to check
    /// against. (A last *record* cut short by a crash is expected and dropped: nothing was
    /// done on it.)
    #[error(
        "cut short before the end of its header: it holds no plan; delete it only if no order was made"
    )]
    Truncated,
    /// Written by another version of the journal format.
    #[error("written in journal format version {found}; this build reads version {supported}")]
    Version {
        /// The version the journal says.
        found: u32,
        /// The version this build reads and writes (`go::JOURNAL_VERSION`).
        supported: u32,
    },
    /// The journal of another plan: reusing it could order codes the plan never asked for.
    #[error(
        "it belongs to another plan ({journal}), not to this one ({asked}): use another journal, or repeat the original plan"
    )]
    ForeignPlan {
        /// The plan the journal holds, as JSON.
        journal: String,
        /// The plan of this run, as JSON.
        asked: String,
    },
    /// The journal of the same plan issued elsewhere (another endpoint or corporate client,
    /// an embedded sandbox that is gone) or into another output file or format.
    #[error(
        "it was made for another run ({journal}), not this one ({asked}): an issuance continues only against the same endpoint, client, output and format"
    )]
    ForeignRun {
        /// The run the journal holds, as JSON.
        journal: String,
        /// This run, as JSON.
        asked: String,
    },
    /// Another process has it open: running both could order twice.
    #[error("another process is using it; wait for it to finish")]
    InUse,
    /// A line in the middle does not read as a record: the journal cannot be trusted.
    #[error("line {line} is damaged; nothing was sent")]
    Corrupted {
        /// The damaged line, from 1.
        line: usize,
    },
    /// It cannot be read or written; the I/O error is the [`source`](std::error::Error::source).
    #[error("cannot read or write it")]
    Io(#[source] std::io::Error),
}

/// Why an issuance stopped before it finished. Each stop leaves the journal intact: after
/// the cause is dealt with, running the same issuance again continues it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IssuanceStop {
    /// A new issuance would write over an output (or a partial one) that has no journal:
    /// its codes could be lost. Move the file away or choose another output.
    #[error(
        "{} exists but its journal {} does not; move it away or choose another output",
        output.display(),
        journal.display()
    )]
    OutputWithoutJournal {
        /// The existing file (the output, or its `.partial` form).
        output: std::path::PathBuf,
        /// The journal that was expected beside it.
        journal: std::path::PathBuf,
    },
    /// The journal says the issuance is complete, but the output file is gone. The orders
    /// are in the journal; their codes can be exported again.
    #[error(
        "the journal says the issuance is complete, but {} is gone; its orders are in {}, and \
         their codes can be exported with `codes export`",
        output.display(),
        journal.display()
    )]
    OutputGone {
        /// The missing output.
        output: std::path::PathBuf,
        /// The journal that names its orders.
        journal: std::path::PathBuf,
    },
    /// An order was still being issued when the run's wait ran out.
    #[error("order {order_id} is still {status} after {waited:?}; run again to continue")]
    StillPending {
        /// The order.
        order_id: String,
        /// Its last status, e.g. `pending`.
        status: String,
        /// How long the run waited.
        waited: std::time::Duration,
    },
    /// An issued order lists fewer (or more) codes than it was made with: the service has not
    /// caught up yet. Nothing of it was written past the last complete page.
    #[error(
        "order {order_id} lists {listed} codes, not the {expected} it was made with; run again later"
    )]
    CodesMissing {
        /// The order.
        order_id: String,
        /// Codes it listed.
        listed: u64,
        /// Codes it was made with.
        expected: u64,
    },
}

/// An error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation, e.g. `cancelPromocodeOrder`.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The vendor's code: Go's `code`, or Market's first `errors[].code`. `Unknown("")` when
    /// the body carried none.
    pub code: ErrorCode,
    /// The vendor's message, if any.
    pub message: Option<String>,
    /// Market: every entry of `errors[]`. Empty for Go for Business.
    pub errors: Vec<ErrorEntry>,
    /// What to do about it, when the API area knows (e.g. which setting picks Go's
    /// corporate client). Shown after the message.
    pub hint: Option<String>,
    /// The vendor's id of the request, for a support ticket. Shown last.
    pub request_id: Option<String>,
    /// What the answer means, when the API area recognised it from a typed code or a
    /// documented message; also [`Error::api_kind`].
    pub kind: Option<ApiErrorKind>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if !self.code.as_str().is_empty() {
            write!(f, " {}", self.code)?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        if self.errors.len() > 1 {
            write!(f, " (+{} more)", self.errors.len() - 1)?;
        }
        write!(f, "{}", RequestIdSuffix(self.request_id.as_deref()))
    }
}

impl std::error::Error for ApiError {}

/// One entry of a Market error envelope's `errors[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorEntry {
    /// The error code.
    pub code: ErrorCode,
    /// The description, if any.
    pub message: Option<String>,
}

/// Every rule an input broke, reported at once; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid request: {}", self.violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct ValidationError {
    /// The broken rules, in field order.
    pub violations: Vec<Violation>,
}

/// One broken rule: which field, which rule, which value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The field, as a path: `value`, `geo_restrictions[1]`, `bin_ranges[0].start`.
    pub field: String,
    /// The rule, e.g. `must be between 100 and 5000 for service taxi`.
    pub rule: String,
    /// The offending value, as text.
    pub value: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {} (got {})", self.field, self.rule, self.value)
    }
}

/// Collects violations while checking an input.
#[derive(Debug, Default)]
pub(crate) struct Violations(Vec<Violation>);

impl Violations {
    /// Records a violation of `rule` by `field` when `ok` is false.
    pub(crate) fn check(
        &mut self,
        ok: bool,
        field: impl Into<String>,
        rule: impl Into<String>,
        value: impl fmt::Display,
    ) {
        if !ok {
            self.0.push(Violation {
                field: field.into(),
                rule: rule.into(),
                value: value.to_string(),
            });
        }
    }

    /// How many violations were recorded so far.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok` when nothing was recorded.
    pub(crate) fn finish(self) -> Result<(), ValidationError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations: self.0 })
        }
    }
}
