//! Geo zones (the vendor SDK's `GeoManager`) and what a place offers (`ZoneInfoManager`):
//! the zones promo orders are restricted to, created, listed, updated and deleted here instead
//! of in the web cabinet.
//!
//! A zone is a circle. The API writes its centre as `[longitude, latitude]` (see the spec's
//! Coordinates decision); this module is the one place that knows: users name `lat` and `lon`
//! in a [`Circle`] and never order the pair.
use yandex_promo_raw::go::operations;

use futures::{FutureExt as _, TryStreamExt as _};
use yandex_promo_raw::{
    go::types::{self as raw, GeoArea, ZoneCircle, ZoneRequest},
    open::GeoType,
};

use super::{GoClient, ZoneId};
use crate::{
    Error, Result,
    call::{Begin, Overrides, Recovery, send_observed, send_with_retries},
    error::Violations,
    pagination::{Listing, fetch_pages},
    request::{Call, Request, send_one},
    retry::may_have_landed,
};

/// The largest radius [`NewZone`] accepts, in metres. The vendor documents no limit; 100 km
/// covers a city and its airports, and a larger circle is far more likely a unit mistake
/// (kilometres for metres) than a zone anyone means.
pub const MAX_RADIUS_M: u32 = 100_000;

/// A circle on the map: a centre by latitude and longitude in degrees, and a radius in
/// metres.
///
/// ```
/// use yandex_promo::go::Circle;
/// let office = Circle { lat: 55.734894, lon: 37.642639, radius_m: 200 };
/// assert_eq!(office.radius_m, 200);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Circle {
    /// Latitude of the centre, -90 to 90.
    pub lat: f64,
    /// Longitude of the centre, -180 to 180.
    pub lon: f64,
    /// Radius in metres, 1 to [`MAX_RADIUS_M`].
    pub radius_m: u32,
}

impl Circle {
    /// The circle of an answer: a zone as listed, or a zone as an order reads it back
    /// (`OrderGeoRestriction`'s `geo`). A radius that is not a whole number of metres is
    /// rounded; a negative or absurd one becomes 0 (the API never sends one).
    ///
    /// ```
    /// use yandex_promo::{go::Circle, raw::go::types::GeoArea};
    /// let geo = GeoArea { center: [37.642639, 55.734894], radius: 200.0 };
    /// let circle = Circle::from_api(&geo);
    /// assert_eq!((circle.lat, circle.lon, circle.radius_m), (55.734894, 37.642639, 200));
    /// ```
    pub fn from_api(geo: &GeoArea) -> Self {
        let [lon, lat] = geo.center;
        // `as` saturates: NaN and negatives become 0, huge values u32::MAX.
        let radius_m = geo.radius.round() as u32;
        Self { lat, lon, radius_m }
    }

    /// The circle as the API takes it, centre longitude first.
    fn to_api(self) -> Result<ZoneCircle, crate::ValidationError> {
        let radius = std::num::NonZeroU32::new(self.radius_m).ok_or_else(|| {
            let mut v = Violations::default();
            v.check(false, "circle.radius_m", "must be at least 1", 0);
            v.finish().expect_err("one violation")
        })?;
        Ok(ZoneCircle {
            center: [self.lon, self.lat],
            radius,
        })
    }
}

/// A zone to create, or the full replacement of an existing one. Checked before sending:
/// every broken rule at once.
///
/// ```
/// use yandex_promo::go::{Circle, NewZone};
/// let zone = NewZone::new("Office", Circle { lat: 55.734894, lon: 37.642639, radius_m: 200 });
/// assert!(zone.validate().is_ok());
/// let bad = NewZone::new(" ", Circle { lat: 95.0, lon: 37.6, radius_m: 0 });
/// let fields: Vec<_> = bad.validate().unwrap_err().violations.into_iter().map(|v| v.field).collect();
/// assert_eq!(fields, ["name", "circle.lat", "circle.radius_m"]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NewZone {
    name: String,
    circle: Circle,
}

impl NewZone {
    /// A zone called `name` covering `circle`.
    ///
    /// ```no_run
    /// use yandex_promo::go::{Circle, NewZone};
    /// let zone = NewZone::new("Office", Circle { lat: 55.734894, lon: 37.642639, radius_m: 200 });
    /// ```
    pub fn new(name: impl Into<String>, circle: Circle) -> Self {
        Self {
            name: name.into(),
            circle,
        }
    }

    /// Checks the name (not blank) and the circle (latitude -90..90, longitude -180..180,
    /// radius 1..=[`MAX_RADIUS_M`] metres), reporting every violation at once.
    ///
    /// # Errors
    /// A [`crate::ValidationError`] listing each broken rule.
    ///
    /// ```no_run
    /// use yandex_promo::go::{Circle, NewZone};
    /// let zone = NewZone::new("Office", Circle { lat: 55.7, lon: 37.6, radius_m: 200 });
    /// zone.validate()?;
    /// # Ok::<(), yandex_promo::ValidationError>(())
    /// ```
    pub fn validate(&self) -> Result<(), crate::ValidationError> {
        let mut v = Violations::default();
        let Circle { lat, lon, radius_m } = self.circle;
        v.check(
            !self.name.trim().is_empty(),
            "name",
            "must not be blank",
            format!("{:?}", self.name),
        );
        check_point(&mut v, "circle.", lat, lon);
        v.check(
            (1..=MAX_RADIUS_M).contains(&radius_m),
            "circle.radius_m",
            format!("must be between 1 and {MAX_RADIUS_M} metres"),
            radius_m,
        );
        v.finish()
    }

    fn to_request(&self) -> Result<ZoneRequest, crate::ValidationError> {
        self.validate()?;
        Ok(ZoneRequest {
            name: self.name.clone(),
            geo_type: GeoType::Circle,
            geo: self.circle.to_api()?,
        })
    }
}

/// A geo zone of the corporate client.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Zone {
    /// The zone's id: what an order's geo restriction names.
    pub id: ZoneId,
    /// The zone's name.
    pub name: String,
    /// Its shape (`circle` today).
    pub geo_type: GeoType,
    /// Its circle.
    pub circle: Circle,
}

impl From<raw::Zone> for Zone {
    fn from(zone: raw::Zone) -> Self {
        Self {
            circle: Circle::from_api(&zone.geo),
            id: ZoneId::from(zone.id),
            name: zone.name,
            geo_type: zone.geo_type,
        }
    }
}

impl Zone {
    fn new(id: String, zone: &NewZone) -> Self {
        Self {
            id: ZoneId::from(id),
            name: zone.name.clone(),
            geo_type: GeoType::Circle,
            circle: zone.circle,
        }
    }
}

/// Geo zones and zone information: the vendor SDK's `GeoManager` and `ZoneInfoManager`.
///
/// Retries: `update` and `delete` name the zone by id, so repeating them is safe (a repeated
/// delete whose first attempt landed finds nothing to delete: the client reports success).
/// `create` carries no idempotency token, so a create whose answer was lost may have made
/// the zone: before it tries again, the client looks for a zone with the same name and
/// circle and returns it if there is one, so a retry never makes a second zone. For the same
/// reason, creating a zone identical to an existing one returns that zone.
#[derive(Debug, Clone)]
pub struct GeoManager {
    client: GoClient,
}

impl GeoManager {
    pub(super) fn new(client: GoClient) -> Self {
        Self { client }
    }

    /// Lists the zones, most recently written first: one page with `send`, or every zone as
    /// a stream. The API pages by offset; the listing's cursors are those offsets, so
    /// `resume_from` works as for the other listings.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let zones: Vec<_> = client.geo().list().stream().try_collect().await?;
    /// for zone in zones {
    ///     println!("{} {} ({} m)", zone.id, zone.name, zone.circle.radius_m);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListZones {
        Listing::new(fetch_pages(
            self.client.clone(),
            GoClient::context,
            &operations::LIST_GEO_RESTRICTIONS,
            |client, limit, cursor| {
                let offset = match cursor.map(|c| c.as_str().parse::<i32>()) {
                    None => 0,
                    Some(Ok(offset)) if offset >= 0 => offset,
                    Some(_) => {
                        let error = yandex_promo_raw::Error::InvalidRequest(
                            "the cursor is not an offset this listing issued".into(),
                        );
                        return async { Err(error) }.boxed();
                    }
                };
                client
                    .raw()
                    .list_geo_restrictions()
                    .limit(limit)
                    .offset(offset)
                    .send()
                    .boxed()
            },
            |page, cursor| {
                let offset = cursor
                    .and_then(|c| c.as_str().parse::<usize>().ok())
                    .unwrap_or(0);
                let next = offset + page.items.len();
                let total = usize::try_from(page.amount).unwrap_or(0);
                let more = !page.items.is_empty() && next < total;
                (
                    page.items.into_iter().map(Zone::from).collect(),
                    more.then(|| next.to_string()),
                )
            },
        ))
    }

    /// Creates a zone and returns it (with its new id).
    ///
    /// # Errors
    /// [`Error::Validation`] (nothing sent) listing every broken rule; the other [`Error`]s
    /// of a call. See [`GeoManager`] for what a retry does.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::{Circle, NewZone};
    /// let office = Circle { lat: 55.734894, lon: 37.642639, radius_m: 200 };
    /// let zone = client.geo().create(NewZone::new("Office", office)).await?;
    /// println!("zone {}", zone.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, zone: NewZone) -> Call<CreateZone> {
        Call::new(CreateZone {
            geo: self.clone(),
            zone,
        })
    }

    /// Replaces a zone's name and circle; its id stays.
    ///
    /// # Errors
    /// [`Error::Validation`] (nothing sent); [`Error::Api`] with 404 for an unknown zone, 403
    /// for another client's; the other [`Error`]s of a call.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::go::{Circle, NewZone};
    /// let wider = Circle { lat: 55.734894, lon: 37.642639, radius_m: 500 };
    /// client.geo().update("b45efcaa04014fff997c2683ef91f0de", NewZone::new("Office", wider)).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<ZoneId>, zone: NewZone) -> Call<UpdateZone> {
        Call::new(UpdateZone {
            client: self.client.clone(),
            id: id.into(),
            zone,
        })
    }

    /// Deletes a zone. Orders made with it keep their copy of it.
    ///
    /// # Errors
    /// [`Error::Api`] with 404 for an unknown zone (unless an earlier attempt of this call may
    /// have deleted it), 403 for another client's; the other [`Error`]s of a call.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// client.geo().delete("b45efcaa04014fff997c2683ef91f0de").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, id: impl Into<ZoneId>) -> Call<DeleteZone> {
        Call::new(DeleteZone {
            client: self.client.clone(),
            id: id.into(),
        })
    }

    /// What the service offers at a place: its tariff classes and their options (the SDK's
    /// `ZoneInfoManager`).
    ///
    /// # Errors
    /// [`Error::Validation`] for a latitude outside -90..90 or a longitude outside
    /// -180..180 (nothing sent); [`Error::Api`] with 404 where the service does not run; the
    /// other [`Error`]s of a call.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// let info = client.geo().zone_info(55.7558, 37.6173).await?;
    /// for class in info.tariff_classes {
    ///     println!("{} ({})", class.name, class.name_translate);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn zone_info(&self, lat: f64, lon: f64) -> Call<GetZoneInfo> {
        Call::new(GetZoneInfo {
            client: self.client.clone(),
            lat,
            lon,
        })
    }

    /// The first zone with the name and circle of `zone`, if any.
    async fn find(&self, zone: &NewZone) -> Result<Option<Zone>> {
        let mut pages = self.list().page_size(100).pages();
        while let Some(page) = pages.try_next().await? {
            if let Some(found) = page
                .items
                .into_iter()
                .find(|z| z.name == zone.name && z.circle == zone.circle)
            {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}

/// The request of [`GeoManager::create`]; awaited, a `Result<Zone>`. An attempt that may have
/// made the zone is followed by a look for it before the next one (see [`GeoManager`]).
#[derive(Debug, Clone)]
pub struct CreateZone {
    geo: GeoManager,
    zone: NewZone,
}

// The send loop's attempts, and a look for the zone (`FindTheZone`) where one may have made it.
impl Request for CreateZone {
    type Output = Result<Zone>;

    async fn send(self, overrides: Overrides) -> Result<Zone> {
        let Self { geo, zone } = self;
        let request = zone.to_request()?;
        let context = geo.client.context().with(&overrides);
        let send = || {
            let call = geo.client.raw().create_geo_restriction();
            let call = call.body(request.clone());
            let zone = &zone;
            async move { Ok(Zone::new(call.send().await?.into_inner().id, zone)) }
        };
        let find = FindTheZone {
            geo: &geo,
            zone: &zone,
        };
        let operation = &operations::CREATE_GEO_RESTRICTION;
        send_observed(&context, operation, send, find, Begin::Afresh).await
    }
}

/// The request of [`GeoManager::update`]; awaited, a `Result<Zone>`.
#[derive(Debug, Clone)]
pub struct UpdateZone {
    client: GoClient,
    id: ZoneId,
    zone: NewZone,
}

impl Request for UpdateZone {
    type Output = Result<Zone>;

    async fn send(self, overrides: Overrides) -> Result<Zone> {
        let Self { client, id, zone } = self;
        let request = zone.to_request()?;
        let operation = &operations::UPDATE_GEO_RESTRICTION;
        let update = move |client: &GoClient| {
            let (client, id, request) = (client.clone(), id.as_str().to_owned(), request.clone());
            let zone = zone.clone();
            async move {
                let call = client.raw().update_geo_restriction().id(id).body(request);
                Ok(Zone::new(call.send().await?.into_inner().id, &zone))
            }
        };
        send_one(client, GoClient::context, operation, overrides, update).await
    }
}

/// The request of [`GeoManager::delete`]; awaited, a `Result<()>`.
#[derive(Debug, Clone)]
pub struct DeleteZone {
    client: GoClient,
    id: ZoneId,
}

impl Request for DeleteZone {
    type Output = Result<()>;

    async fn send(self, overrides: Overrides) -> Result<()> {
        let Self { client, id } = self;
        let context = client.context().with(&overrides);
        let mut attempts = 0;
        let result = send_with_retries(&context, &operations::DELETE_GEO_RESTRICTION, || {
            attempts += 1;
            client.raw().delete_geo_restriction().id(id.as_str()).send()
        })
        .await;
        match result {
            Ok(_) => Ok(()),
            // The first attempt deleted it and its answer was lost.
            Err(error) if attempts > 1 && error.status() == Some(404) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

/// The request of [`GeoManager::zone_info`]; awaited, a `Result<ZoneInfo>`.
#[derive(Debug, Clone)]
pub struct GetZoneInfo {
    client: GoClient,
    lat: f64,
    lon: f64,
}

impl Request for GetZoneInfo {
    type Output = Result<raw::ZoneInfo>;

    async fn send(self, overrides: Overrides) -> Result<raw::ZoneInfo> {
        let Self { client, lat, lon } = self;
        let mut v = Violations::default();
        check_point(&mut v, "", lat, lon);
        v.finish()?;
        let operation = &operations::GET_ZONE_INFO;
        let zone_info = move |client: &GoClient| {
            let client = client.clone();
            async move {
                Ok(client
                    .raw()
                    .get_zone_info()
                    .lat(lat)
                    .lon(lon)
                    .send()
                    .await?
                    .into_inner())
            }
        };
        send_one(client, GoClient::context, operation, overrides, zone_info).await
    }
}

/// The rules of a point on the map: a latitude from -90 to 90, a longitude from -180 to 180
/// (NaN is neither). Fields are named `{prefix}lat` and `{prefix}lon`.
fn check_point(v: &mut Violations, prefix: &str, lat: f64, lon: f64) {
    let rules = [
        ("lat", lat, 90.0, "must be between -90 and 90"),
        ("lon", lon, 180.0, "must be between -180 and 180"),
    ];
    for (name, value, bound, rule) in rules {
        v.check(
            (-bound..=bound).contains(&value),
            format!("{prefix}{name}"),
            rule,
            value,
        );
    }
}

/// What a zone create does after a failed attempt: an identical zone may exist (made by
/// someone else, or by an attempt whose answer was lost), and that zone is the one asked for.
/// It looks before sending again when the attempt may have made it, and when the answer says
/// it exists; a create that gives up otherwise returns its error at once, as it did.
struct FindTheZone<'a> {
    geo: &'a GeoManager,
    zone: &'a NewZone,
}

impl Recovery<Zone> for FindTheZone<'_> {
    fn recover(
        &mut self,
        error: &Error,
        giving_up: bool,
    ) -> impl Future<Output = Result<Option<Zone>>> {
        let look = says_it_exists(error) || (!giving_up && may_have_landed(error));
        let (geo, zone) = (self.geo, self.zone);
        async move { if look { geo.find(zone).await } else { Ok(None) } }
    }
}

/// Whether a 400 says the zone exists already ("a record with the specified data already
/// exists"); the vendor's codes differ between endpoints, so the message is what tells.
fn says_it_exists(error: &Error) -> bool {
    matches!(error, Error::Api(api) if api.status == 400
        && api.message.as_deref().is_some_and(|m| m.contains("already exists")))
}

/// A listing of zones: see [`Listing`].
pub type ListZones = Listing<Zone>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_order_is_longitude_first_both_ways() {
        let circle = Circle {
            lat: 55.734894,
            lon: 37.642639,
            radius_m: 200,
        };
        let sent = circle.to_api().expect("valid");
        assert_eq!(sent.center, [37.642639, 55.734894]);
        let read = GeoArea {
            center: sent.center,
            radius: 200.0,
        };
        assert_eq!(Circle::from_api(&read), circle);
    }
}
