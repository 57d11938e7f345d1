//! Domain types of Go for Business: ids that cannot be mixed up, and the order and code as
//! users hold them. Statuses, services and classes are the open enums of the raw crate;
//! money is a decimal; dates are dates.
use std::{collections::BTreeMap, fmt};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use yandex_promo_raw::{
    go::types as raw,
    open::{CodeStatus, OrderStatus, Service, TariffClass},
};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as the server sent it.
            ///
            #[doc = concat!(
                "```no_run\nlet id = yandex_promo::go::",
                stringify!($name),
                "::from(\"017...5dd\");\nassert_eq!(id.as_str(), \"017...5dd\");\n```"
            )]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }
    };
}

id_type! {
    /// The id of a promo code order.
    OrderId
}

id_type! {
    /// The id of one promo code (not the code itself).
    CodeId
}

id_type! {
    /// The id of a geo zone: what an order's geo restriction names.
    ZoneId
}

impl From<&super::Zone> for ZoneId {
    fn from(zone: &super::Zone) -> Self {
        zone.id.clone()
    }
}

/// A promo code order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Order {
    /// The order id.
    pub id: OrderId,
    /// Where the order is in its life.
    pub status: OrderStatus,
    /// The service the codes are for.
    pub service: Service,
    /// The value of one code.
    pub value: i32,
    /// The number of codes.
    pub count: i32,
    /// The last day the codes can be used.
    pub active_until: NaiveDate,
    /// What the order costs.
    pub pricing: raw::Pricing,
    /// The number of revoked codes.
    pub revoke_count: Option<i32>,
    /// Taxi tariff classes the codes are valid for (empty: all).
    pub classes: Vec<TariffClass>,
    /// Card BIN ranges, as `(start, end)`.
    pub bin_ranges: Vec<(String, String)>,
    /// The bank's name by language code.
    pub bank_name: BTreeMap<String, String>,
    /// Geo restrictions; a ride matching any one qualifies.
    pub geo_restrictions: Vec<raw::OrderGeoRestriction>,
    /// Fuel types (fuel orders).
    pub fuel_types: Vec<String>,
}

impl From<raw::Order> for Order {
    fn from(order: raw::Order) -> Self {
        Self {
            id: OrderId(order.order_id),
            status: order.status,
            service: order.service,
            value: order.value,
            count: order.count,
            active_until: order.active_until,
            pricing: order.pricing,
            revoke_count: order.revoke_count,
            classes: order.classes,
            bin_ranges: order
                .bin_ranges
                .into_iter()
                .map(|raw::BinRange([start, end])| (start.to_string(), end.to_string()))
                .collect(),
            bank_name: order.bank_name.map(|names| names.0).unwrap_or_default(),
            geo_restrictions: order.geo_restrictions,
            fuel_types: order.fuel_types,
        }
    }
}

/// One promo code of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Code {
    /// The code's id.
    pub id: CodeId,
    /// The promo code itself, what a customer types.
    pub code: String,
    /// Active, used, ...
    pub status: CodeStatus,
    /// Whether the code was revoked.
    pub is_revoked: bool,
    /// When the code was used, oldest first as the server lists them.
    pub used_at: Vec<DateTime<Utc>>,
}

impl From<raw::Code> for Code {
    fn from(code: raw::Code) -> Self {
        Self {
            id: CodeId(code.id),
            code: code.code,
            status: code.status,
            is_revoked: code.is_revoked,
            used_at: code.usages.into_iter().map(|usage| usage.used_at).collect(),
        }
    }
}
