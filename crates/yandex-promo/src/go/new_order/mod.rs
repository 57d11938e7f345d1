//! The create request: [`NewOrder`] and its builder. Every rule the service enforces is in
//! `rules` (checked before sending), and the wire shape in `wire`.
mod rules;
mod wire;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use yandex_promo_raw::open::{Service, TariffClass};

pub use rules::{CODES_PER_ORDER, MAX_ACTIVE_DAYS, ORDER_NAME_CHARS, USAGES_PER_CODE};

use super::ZoneId;

/// A new series of promo codes, as `create` sends it.
///
/// Numbers are `i64` so that any input reaches [`NewOrder::validate`] and gets a clear
/// violation rather than a type error. The wire shape is the generated
/// [`PromocodeOrder`](yandex_promo_raw::go::types::PromocodeOrder)'s alone: [`NewOrder::to_request`] builds it field by field, and an
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

    /// The order's name, if it has one.
    pub(crate) fn order_name(&self) -> Option<&str> {
        self.name.as_deref()
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
}
