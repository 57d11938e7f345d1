//! A new order on the wire: the generated [`PromocodeOrder`], built field by field (a field
//! renamed in the spec is a compile error here), and read back from one.
use chrono::NaiveDate;
use yandex_promo_raw::{
    Digits,
    go::types::{BankName, BinRange, GeoRestrictionRef, PromocodeOrder, PromocodeOrderName},
    open::Service,
};

use super::{GeoRestriction, NewOrder, ZoneRef};
use crate::error::{ValidationError, Violations};

impl NewOrder {
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
