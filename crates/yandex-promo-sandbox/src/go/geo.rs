//! Go for Business geo zones (`/geo_restrictions/...`) and zone information (`/zoneinfo`), as
//! API-NOTES §4 documents them: zones belong to a corporate client (another client's zone is
//! 403, an unknown one 404), pages by offset with the total `amount`, a zone's `center` is
//! `[longitude, latitude]`.
use std::sync::Arc;

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::Value;
use yandex_promo_raw::{
    go::types::{GeoArea, SupportedRequirement, Zone, ZoneId, ZoneInfo, ZoneList, ZoneTariffClass},
    open::GeoType,
};

use super::{
    caller::{Caller, bad_request, reject},
    store::{GoData, StoredZone},
};
use crate::{envelope::Refusal, middleware::broken_response, state::Shared};

/// The routes of zones and zone information.
pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/integration/2.0/geo_restrictions/list", get(list_zones))
        .route(
            "/integration/2.0/geo_restrictions/create",
            post(create_zone),
        )
        .route(
            "/integration/2.0/geo_restrictions/update",
            post(update_zone),
        )
        .route(
            "/integration/2.0/geo_restrictions/delete",
            post(delete_zone),
        )
        .route("/integration/2.0/zoneinfo", get(zone_info))
}

/// The zone page's default page size.
const DEFAULT_LIMIT: usize = 100;

async fn list_zones(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Response, Refusal> {
    let limit = caller.limit(Some(DEFAULT_LIMIT))?;
    let offset = caller.number("offset", Some(0usize), |_| true, "an integer of at least 0")?;
    let data = shared.data();
    // The most recently written first, as the service lists them.
    let mut mine: Vec<(&String, &StoredZone)> = data
        .go
        .zones
        .iter()
        .filter(|(_, zone)| zone.corp_client == caller.client)
        .collect();
    mine.sort_by_key(|(_, zone)| std::cmp::Reverse(zone.written));
    let amount = mine.len();
    let items = mine
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(id, zone)| Zone {
            id: id.clone(),
            name: zone.name.clone(),
            geo_type: GeoType::Circle,
            geo: zone.geo.clone(),
        })
        .collect();
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    Ok(Json(ZoneList {
        items,
        amount: count(amount),
        limit: count(limit),
        offset: count(offset),
    })
    .into_response())
}

/// A zone body checked by the documented rules: a non-blank name, `geo_type` `circle`, a
/// centre of two numbers within the longitude and latitude ranges, a radius above 0.
fn zone_body(body: &[u8]) -> Result<(String, GeoArea), Refusal> {
    let body: Value = serde_json::from_slice(body)
        .map_err(|e| bad_request(format!("the body is not JSON: {e}")))?;
    let name = body["name"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| bad_request("name must be a non-empty string"))?;
    match body["geo_type"].as_str() {
        Some("circle") => {}
        other => {
            return Err(bad_request(format!(
                "geo_type must be circle, not {other:?}"
            )));
        }
    }
    let center = body["geo"]["center"]
        .as_array()
        .and_then(|c| match c.as_slice() {
            [lon, lat] => Some((lon.as_f64()?, lat.as_f64()?)),
            _ => None,
        })
        .filter(|(lon, lat)| (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat))
        .ok_or_else(|| {
            bad_request("geo.center must be [longitude, latitude] within -180..180 and -90..90")
        })?;
    let radius = body["geo"]["radius"].as_f64().unwrap_or(f64::NAN);
    if !(radius > 0.0 && radius.is_finite()) {
        return Err(reject(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!(
                "geo restriction has incorrect radius: radius should be greater than 0, got {radius}"
            ),
        ));
    }
    let geo = GeoArea {
        center: [center.0, center.1],
        radius,
    };
    Ok((name.to_owned(), geo))
}

/// A 400 when the client already has a zone with this name and circle.
fn refuse_duplicate(
    data: &GoData,
    client: &str,
    name: &str,
    geo: &GeoArea,
    except: Option<&str>,
) -> Result<(), Refusal> {
    let duplicate = data.zones.iter().any(|(id, zone)| {
        Some(id.as_str()) != except
            && zone.corp_client == client
            && zone.name == name
            && zone.geo == *geo
    });
    if duplicate {
        return Err(bad_request(
            "a record with the specified data already exists",
        ));
    }
    Ok(())
}

/// The zone `id` of the query, checked to belong to the caller's client.
fn own_zone<'c>(data: &GoData, caller: &'c Caller) -> Result<&'c str, Refusal> {
    let id = caller.required("id")?;
    match data.zones.get(id) {
        None => Err(reject(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Not found geo_restriction",
        )),
        Some(zone) if zone.corp_client != caller.client => Err(reject(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "Acl check have not passed",
        )),
        Some(_) => Ok(id),
    }
}

fn zone_id(id: String) -> Response {
    Json(ZoneId { id }).into_response()
}

async fn create_zone(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, Refusal> {
    let (name, geo) = zone_body(&body)?;
    let mut data = shared.data();
    refuse_duplicate(&data.go, &caller.client, &name, &geo, None)?;
    let id = data.go.insert_zone(&caller.client, name, geo);
    if data.faults.take_drop_after_create() {
        return Ok(broken_response());
    }
    Ok(zone_id(id))
}

async fn update_zone(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, Refusal> {
    let mut data = shared.data();
    let id = own_zone(&data.go, &caller)?.to_owned();
    let (name, geo) = zone_body(&body)?;
    refuse_duplicate(&data.go, &caller.client, &name, &geo, Some(&id))?;
    data.go.write_zone(id.clone(), &caller.client, name, geo);
    Ok(zone_id(id))
}

async fn delete_zone(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Response, Refusal> {
    let mut data = shared.data();
    let id = own_zone(&data.go, &caller)?.to_owned();
    data.go.zones.remove(&id);
    Ok(zone_id(id))
}

/// The places `zoneinfo` knows: (latitude, longitude, tariff classes, time zone).
const KNOWN_PLACES: [(f64, f64, &[&str], &str); 2] = [
    (
        55.7558,
        37.6173,
        &[
            "econom",
            "business",
            "comfortplus",
            "child_tariff",
            "express",
        ],
        "Europe/Moscow",
    ),
    (
        59.9343,
        30.3351,
        &["econom", "business", "comfortplus"],
        "Europe/Moscow",
    ),
];

/// How far from a known place, in degrees of latitude and longitude, still counts as it.
const PLACE_REACH: f64 = 0.5;

async fn zone_info(caller: Caller) -> Result<Response, Refusal> {
    let lat: f64 = caller.number(
        "lat",
        None,
        |l| (-90.0..=90.0).contains(l),
        "a latitude from -90 to 90",
    )?;
    let lon: f64 = caller.number(
        "lon",
        None,
        |l| (-180.0..=180.0).contains(l),
        "a longitude from -180 to 180",
    )?;
    let place = KNOWN_PLACES
        .iter()
        .find(|(p_lat, p_lon, ..)| {
            (lat - p_lat).abs() <= PLACE_REACH && (lon - p_lon).abs() <= PLACE_REACH
        })
        .ok_or_else(|| reject(StatusCode::NOT_FOUND, "NOT_FOUND", "Zone not found"))?;
    let (_, _, classes, timezone) = place;
    let tariff_classes = classes
        .iter()
        .map(|class| ZoneTariffClass {
            name: (*class).to_owned(),
            name_translate: class.replace('_', " "),
            supported_requirements: vec![SupportedRequirement {
                name: "conditioner".to_owned(),
                label: "Air conditioning".to_owned(),
                glued: Some(false),
                type_: Some("boolean".to_owned()),
                multiselect: None,
                max_weight: None,
                select: None,
            }],
        })
        .collect();
    Ok(Json(ZoneInfo {
        tariff_classes,
        timezone: Some((*timezone).to_owned()),
        timezone_offset: Some("+0300".to_owned()),
        country_code: Some("RU".to_owned()),
        currency_code: Some("RUB".to_owned()),
        default_tariff_class: Some("econom".to_owned()),
    })
    .into_response())
}
