//! The create request, and every rule the service enforces on it, checked before sending.
use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use yandex_promo_raw::{
    Digits,
    go::types::{BankName, BinRange, GeoRestrictionRef, PromocodeOrder, PromocodeOrderName},
    open::{Service, TariffClass},
};

use super::ZoneId;
use crate::error::{ValidationError, Violations};

/// Codes per order.
pub const COUNT: std::ops::RangeInclusive<i64> = 5..=1000;
/// Uses (rides) per code.
pub const MAX_USAGES: std::ops::RangeInclusive<i64> = 1..=20;
/// Characters in an order name.
pub const NAME_CHARS: std::ops::RangeInclusive<usize> = 1..=256;
/// How far ahead `active_until` may be, in days from the request date.
pub const MAX_ACTIVE_DAYS: u64 = 90;

/// The allowed code values of a service: 100..=5000 for taxi, fuel and cargo; 100..=30000
/// for grocery and eats. `None` for a service this crate does not know.
pub(crate) fn value_range(service: &Service) -> Option<std::ops::RangeInclusive<i64>> {
    match service {
        Service::Taxi | Service::Fuel | Service::Cargo => Some(100..=5000),
        Service::Grocery | Service::Eats => Some(100..=30000),
        _ => None,
    }
}

/// A new series of promo codes, as `create` sends it.
///
/// Numbers are `i64` so that any input reaches [`NewOrder::validate`] and gets a clear
/// violation rather than a type error. The wire shape is the generated
/// [`PromocodeOrder`]'s alone: [`NewOrder::to_request`] builds it field by field, and an
/// order in the API's JSON shape (a file, say) is read as a `PromocodeOrder` and converted
/// with `NewOrder::from`.
///
/// ```
/// use chrono::NaiveDate;
/// use yandex_promo::{go::NewOrder, FixedClock, Clock as _};
/// use yandex_promo::raw::open::{Service, TariffClass};
///
/// let today = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
/// let order = NewOrder::new(500, 20, NaiveDate::from_ymd_opt(2025, 3, 31).unwrap())
///     .name("Spring campaign")
///     .classes([TariffClass::Econom, TariffClass::Business]);
/// assert!(order.validate(today).is_ok());
///
/// let bad = NewOrder::new(50_000, 2, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())
///     .service(Service::Fuel)
///     .classes([TariffClass::Econom]);
/// let problems = bad.validate(today).unwrap_err().violations;
/// let fields: Vec<_> = problems.iter().map(|v| v.field.as_str()).collect();
/// assert_eq!(fields, ["value", "count", "classes", "active_until"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    name: Option<String>,
    max_usages_count: Option<i64>,
    value: i64,
    count: i64,
    service: Service,
    classes: Vec<TariffClass>,
    active_from: Option<NaiveDate>,
    active_until: NaiveDate,
    bin_ranges: Vec<(String, String)>,
    bank_name: BTreeMap<String, String>,
    geo_restrictions: Vec<GeoRestriction>,
}

/// A geo restriction of a new taxi order: where rides may start, end, or both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GeoRestriction {
    source: Option<ZoneRef>,
    destination: Option<ZoneRef>,
    max_intermediate_points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ZoneRef {
    geo_restriction_id: String,
}

impl GeoRestriction {
    /// Rides starting in `zone`: its id, or the [`super::Zone`] that `geo().create` returned.
    ///
    /// ```no_run
    /// use yandex_promo::go::{GeoRestriction, NewOrder};
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = NewOrder::new(500, 20, until)
    ///     .geo_restriction(GeoRestriction::from_zone("moscow_airports"));
    /// ```
    pub fn from_zone(zone: impl Into<ZoneId>) -> Self {
        Self::default().source(zone)
    }

    /// Rides ending in `zone`: its id, or a [`super::Zone`].
    ///
    /// ```no_run
    /// use yandex_promo::go::{GeoRestriction, NewOrder};
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = NewOrder::new(500, 20, until)
    ///     .geo_restriction(GeoRestriction::to_zone("moscow_airports"));
    /// ```
    pub fn to_zone(zone: impl Into<ZoneId>) -> Self {
        Self::default().destination(zone)
    }

    /// Sets where rides start.
    ///
    /// ```no_run
    /// use yandex_promo::go::GeoRestriction;
    /// // Rides from the city centre to the airports.
    /// let restriction = GeoRestriction::to_zone("moscow_airports").source("moscow_centre");
    /// ```
    pub fn source(mut self, zone: impl Into<ZoneId>) -> Self {
        self.source = Some(ZoneRef {
            geo_restriction_id: zone.into().as_str().to_owned(),
        });
        self
    }

    /// Sets where rides end.
    ///
    /// ```no_run
    /// use yandex_promo::go::GeoRestriction;
    /// // Rides from the airports to the city centre.
    /// let restriction = GeoRestriction::from_zone("moscow_airports").destination("moscow_centre");
    /// ```
    pub fn destination(mut self, zone: impl Into<ZoneId>) -> Self {
        self.destination = Some(ZoneRef {
            geo_restriction_id: zone.into().as_str().to_owned(),
        });
        self
    }

    /// Sets how many intermediate points a ride may have (default 0).
    ///
    /// ```no_run
    /// use yandex_promo::go::GeoRestriction;
    /// let restriction = GeoRestriction::from_zone("moscow_airports")
    ///     .destination("moscow_centre")
    ///     .max_intermediate_points(2);
    /// ```
    pub fn max_intermediate_points(mut self, points: i64) -> Self {
        self.max_intermediate_points = points;
        self
    }
}

impl NewOrder {
    /// `count` taxi codes worth `value` each, usable until `active_until` inclusive.
    ///
    /// ```no_run
    /// let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// // 20 taxi codes worth 500 each, usable for 30 days.
    /// let order = yandex_promo::go::NewOrder::new(500, 20, until);
    /// ```
    pub fn new(value: i64, count: i64, active_until: NaiveDate) -> Self {
        Self {
            name: None,
            max_usages_count: None,
            value,
            count,
            service: Service::Taxi,
            classes: Vec::new(),
            active_from: None,
            active_until,
            bin_ranges: Vec::new(),
            bank_name: BTreeMap::new(),
            geo_restrictions: Vec::new(),
        }
    }

    /// The service the codes are for (default taxi).
    ///
    /// ```no_run
    /// use yandex_promo::{go::NewOrder, raw::open::Service};
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = NewOrder::new(1000, 50, until).service(Service::Eats);
    /// ```
    pub fn service(mut self, service: Service) -> Self {
        self.service = service;
        self
    }

    /// The order's name, 1 to 256 characters.
    ///
    /// ```no_run
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = yandex_promo::go::NewOrder::new(500, 20, until).name("Spring campaign");
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Rides per code, 1 to 20 (default 1).
    ///
    /// ```no_run
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// // Each code is good for three rides.
    /// let order = yandex_promo::go::NewOrder::new(300, 20, until).max_usages_count(3);
    /// ```
    pub fn max_usages_count(mut self, uses: i64) -> Self {
        self.max_usages_count = Some(uses);
        self
    }

    /// Taxi only: the tariff classes the codes are valid for.
    ///
    /// ```no_run
    /// use yandex_promo::{go::NewOrder, raw::open::TariffClass};
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = NewOrder::new(500, 20, until)
    ///     .classes([TariffClass::Econom, TariffClass::Business]);
    /// ```
    pub fn classes(mut self, classes: impl IntoIterator<Item = TariffClass>) -> Self {
        self.classes = classes.into_iter().collect();
        self
    }

    /// The first day the codes can be used (default: the request date).
    ///
    /// ```no_run
    /// let today = chrono::Utc::now().date_naive();
    /// let order = yandex_promo::go::NewOrder::new(500, 20, today + chrono::Days::new(30))
    ///     .active_from(today + chrono::Days::new(7));
    /// ```
    pub fn active_from(mut self, date: NaiveDate) -> Self {
        self.active_from = Some(date);
        self
    }

    /// Restricts the codes to cards whose BIN is in `start..=end` (digit strings).
    ///
    /// ```no_run
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = yandex_promo::go::NewOrder::new(500, 20, until)
    ///     .bin_range("220000", "220499")
    ///     .bank_name("en", "Example Bank");
    /// ```
    pub fn bin_range(mut self, start: impl Into<String>, end: impl Into<String>) -> Self {
        self.bin_ranges.push((start.into(), end.into()));
        self
    }

    /// The bank's name in one language, e.g. `("ru", "Банк")`.
    ///
    /// ```no_run
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = yandex_promo::go::NewOrder::new(500, 20, until)
    ///     .bin_range("220000", "220499")
    ///     .bank_name("ru", "Банк")
    ///     .bank_name("en", "Bank");
    /// ```
    pub fn bank_name(mut self, language: impl Into<String>, name: impl Into<String>) -> Self {
        self.bank_name.insert(language.into(), name.into());
        self
    }

    /// Taxi only: adds a geo restriction (restrictions are combined with OR).
    ///
    /// ```no_run
    /// use yandex_promo::go::{GeoRestriction, NewOrder};
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = NewOrder::new(500, 20, until)
    ///     .geo_restriction(GeoRestriction::from_zone("moscow_airports"))
    ///     .geo_restriction(GeoRestriction::to_zone("moscow_airports"));
    /// ```
    pub fn geo_restriction(mut self, restriction: GeoRestriction) -> Self {
        self.geo_restrictions.push(restriction);
        self
    }

    /// The service.
    ///
    /// ```no_run
    /// use yandex_promo::{go::NewOrder, raw::open::Service};
    /// # let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = NewOrder::new(1000, 50, until).service(Service::Grocery);
    /// assert_eq!(order.service_kind(), &Service::Grocery);
    /// ```
    pub fn service_kind(&self) -> &Service {
        &self.service
    }

    /// The value of one code.
    pub(crate) fn value(&self) -> i64 {
        self.value
    }

    /// The last day the codes can be used.
    pub(crate) fn active_until(&self) -> NaiveDate {
        self.active_until
    }

    /// The same order with `count` codes.
    pub(crate) fn with_count(mut self, count: u32) -> Self {
        self.count = i64::from(count);
        self
    }

    /// Checks every rule the service enforces, counting dates from `today` (the request
    /// date), and reports every violation at once.
    ///
    /// ```no_run
    /// # fn demo(order: yandex_promo::go::NewOrder) {
    /// let today = chrono::Utc::now().date_naive();
    /// if let Err(invalid) = order.validate(today) {
    ///     for violation in &invalid.violations {
    ///         eprintln!("{violation}");
    ///     }
    /// }
    /// # }
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] listing each broken rule with its field and value.
    pub fn validate(&self, today: NaiveDate) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        let taxi = self.service == Service::Taxi;
        if let Some(name) = &self.name {
            let chars = name.chars().count();
            v.check(
                NAME_CHARS.contains(&chars),
                "name",
                "must be 1 to 256 characters long",
                format!("{chars} characters"),
            );
        }
        if let Some(uses) = self.max_usages_count {
            v.check(
                MAX_USAGES.contains(&uses),
                "max_usages_count",
                "must be between 1 and 20",
                uses,
            );
        }
        match value_range(&self.service) {
            Some(range) => v.check(
                range.contains(&self.value),
                "value",
                format!(
                    "must be between {} and {} for service {}",
                    range.start(),
                    range.end(),
                    self.service
                ),
                self.value,
            ),
            None => v.check(
                false,
                "service",
                "must be one of taxi, grocery, eats, fuel, cargo",
                &self.service,
            ),
        }
        v.check(
            COUNT.contains(&self.count),
            "count",
            "must be between 5 and 1000",
            self.count,
        );
        v.check(
            taxi || self.classes.is_empty(),
            "classes",
            "are allowed for service taxi only",
            &self.service,
        );
        for (i, class) in self.classes.iter().enumerate() {
            v.check(
                !class.is_unknown(),
                format!("classes[{i}]"),
                "must be a known tariff class",
                class,
            );
        }
        self.check_dates(today, &mut v);
        for (i, (start, end)) in self.bin_ranges.iter().enumerate() {
            let start_ok = Digits::accepts(start);
            let end_ok = Digits::accepts(end);
            v.check(
                start_ok,
                format!("bin_ranges[{i}].start"),
                "must be digits only, at least one",
                format!("{start:?}"),
            );
            v.check(
                end_ok,
                format!("bin_ranges[{i}].end"),
                "must be digits only, at least one",
                format!("{end:?}"),
            );
            if start_ok && end_ok {
                v.check(
                    bin_order(start, end).is_le(),
                    format!("bin_ranges[{i}]"),
                    "must have start <= end",
                    format!("{start}..{end}"),
                );
            }
        }
        v.check(
            taxi || self.geo_restrictions.is_empty(),
            "geo_restrictions",
            "are allowed for service taxi only",
            &self.service,
        );
        for (i, geo) in self.geo_restrictions.iter().enumerate() {
            let field = format!("geo_restrictions[{i}]");
            v.check(
                geo.source.is_some() || geo.destination.is_some(),
                &field,
                "must have a source or a destination",
                "neither",
            );
            for zone in [&geo.source, &geo.destination].into_iter().flatten() {
                v.check(
                    !zone.geo_restriction_id.is_empty(),
                    &field,
                    "must name zones by non-empty ids",
                    "\"\"",
                );
            }
            v.check(
                (0..=i64::from(i32::MAX)).contains(&geo.max_intermediate_points),
                format!("{field}.max_intermediate_points"),
                "must be between 0 and 2147483647 (an int32)",
                geo.max_intermediate_points,
            );
        }
        v.finish()
    }

    fn check_dates(&self, today: NaiveDate, v: &mut Violations) {
        let last = today
            .checked_add_days(Days::new(MAX_ACTIVE_DAYS))
            .unwrap_or(NaiveDate::MAX);
        let until = self.active_until;
        v.check(
            until >= today,
            "active_until",
            format!("must not be in the past (today is {today})"),
            until,
        );
        v.check(
            until <= last,
            "active_until",
            format!("must be at most {MAX_ACTIVE_DAYS} days after today ({last})"),
            until,
        );
        if let Some(from) = self.active_from {
            v.check(
                from <= until,
                "active_from",
                format!("must not be after active_until ({until})"),
                from,
            );
        }
    }

    /// Validates, then builds the generated request type field by field (a field renamed
    /// in the spec is a compile error here, not a surprise at run time).
    ///
    /// ```no_run
    /// # fn demo(order: yandex_promo::go::NewOrder) -> Result<(), Box<dyn std::error::Error>> {
    /// let request = order.to_request(chrono::Utc::now().date_naive())?;
    /// println!("{}", serde_json::to_string_pretty(&request)?);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`], as [`NewOrder::validate`].
    pub fn to_request(&self, today: NaiveDate) -> Result<PromocodeOrder, ValidationError> {
        self.validate(today)?;
        self.wire()
    }

    /// The generated request type, field by field, without the date rules: what an order
    /// looks like on the wire (an issuance journal keeps its template so). Fails only on a
    /// value the wire type cannot hold.
    pub(crate) fn wire(&self) -> Result<PromocodeOrder, ValidationError> {
        let bin_ranges = self
            .bin_ranges
            .iter()
            .map(|(start, end)| {
                let digits = |bin: &String| Digits::try_from(bin.clone());
                Ok(BinRange([digits(start)?, digits(end)?]))
            })
            .collect::<Result<_, yandex_promo_raw::NotDigits>>()
            .map_err(|e| spec_mismatch("bin_ranges", &e))?;
        let geo_restrictions = self
            .geo_restrictions
            .iter()
            .map(|geo| {
                let zone = |zone: &Option<ZoneRef>| {
                    zone.as_ref().map(|z| GeoRestrictionRef {
                        geo_restriction_id: z.geo_restriction_id.clone(),
                    })
                };
                Ok(yandex_promo_raw::go::types::GeoRestriction {
                    source: zone(&geo.source),
                    destination: zone(&geo.destination),
                    max_intermediate_points: narrow(
                        geo.max_intermediate_points,
                        "geo_restrictions[].max_intermediate_points",
                    )?,
                })
            })
            .collect::<Result<_, ValidationError>>()?;
        let uses = self.max_usages_count.unwrap_or(1);
        Ok(PromocodeOrder {
            name: self
                .name
                .as_deref()
                .map(PromocodeOrderName::try_from)
                .transpose()
                .map_err(|e| spec_mismatch("name", &e))?,
            max_usages_count: u32::try_from(uses)
                .ok()
                .and_then(std::num::NonZeroU32::new)
                .ok_or_else(|| spec_mismatch("max_usages_count", &uses))?,
            value: narrow(self.value, "value")?,
            count: narrow(self.count, "count")?,
            service: Some(self.service.clone()),
            classes: self.classes.clone(),
            active_from: self.active_from,
            active_until: self.active_until,
            bin_ranges,
            bank_name: (!self.bank_name.is_empty()).then(|| BankName(self.bank_name.clone())),
            geo_restrictions,
        })
    }
}

/// An order in the API's shape, e.g. read from a JSON file, as a `NewOrder` to validate.
impl From<PromocodeOrder> for NewOrder {
    fn from(request: PromocodeOrder) -> Self {
        let zone = |zone: Option<GeoRestrictionRef>| {
            zone.map(|z| ZoneRef {
                geo_restriction_id: z.geo_restriction_id,
            })
        };
        Self {
            name: request.name.map(String::from),
            max_usages_count: Some(i64::from(request.max_usages_count.get())),
            value: i64::from(request.value),
            count: i64::from(request.count),
            service: request.service.unwrap_or(Service::Taxi),
            classes: request.classes,
            active_from: request.active_from,
            active_until: request.active_until,
            bin_ranges: request
                .bin_ranges
                .into_iter()
                .map(|BinRange([start, end])| (start.to_string(), end.to_string()))
                .collect(),
            bank_name: request.bank_name.map(|names| names.0).unwrap_or_default(),
            geo_restrictions: request
                .geo_restrictions
                .into_iter()
                .map(|geo| GeoRestriction {
                    source: zone(geo.source),
                    destination: zone(geo.destination),
                    max_intermediate_points: i64::from(geo.max_intermediate_points),
                })
                .collect(),
        }
    }
}

/// A validated number in the generated type's width.
fn narrow(value: i64, field: &str) -> Result<i32, ValidationError> {
    i32::try_from(value).map_err(|e| spec_mismatch(field, &e))
}

/// A request that passed our rules but not the generated type's: a bug on our side, still
/// reported as a validation error rather than a panic.
fn spec_mismatch(field: &str, error: &dyn std::fmt::Display) -> ValidationError {
    let mut v = Violations::default();
    v.check(false, field, "must fit the OpenAPI schema", error);
    v.finish().expect_err("one violation was recorded")
}

/// Two BINs compared as numbers, whatever their length: leading zeros aside, the longer is
/// larger, and equal lengths compare digit by digit.
fn bin_order(start: &str, end: &str) -> std::cmp::Ordering {
    let significant = |bin: &str| {
        let digits = bin.trim_start_matches('0');
        (digits.len(), digits.to_owned())
    };
    significant(start).cmp(&significant(end))
}
