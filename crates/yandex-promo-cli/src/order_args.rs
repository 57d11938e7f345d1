//! The fields of a promo code order as flags, by the spec's names: what `orders create` and
//! `issue` both take, read into the library's `NewOrder` in one place.
use chrono::NaiveDate;
use clap::Args;
use yandex_promo::{
    go::{GeoRestriction, NewOrder},
    raw::open::{Service, TariffClass},
};

use crate::vocab;

/// An order's fields (its count is the command's business).
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("zones").args(["from_zone", "to_zone"]).multiple(true))]
pub struct OrderArgs {
    /// Value of one code.
    #[arg(long)]
    value: Option<i64>,
    /// Last day the codes can be used (YYYY-MM-DD).
    #[arg(long, visible_alias = "until")]
    active_until: Option<NaiveDate>,
    /// First day the codes can be used (YYYY-MM-DD).
    #[arg(long, visible_alias = "from")]
    active_from: Option<NaiveDate>,
    /// The service the codes are for.
    #[arg(long, default_value = "taxi", value_parser = vocab::known(Service::KNOWN, Service::as_str))]
    service: Service,
    /// Order name.
    #[arg(long)]
    name: Option<String>,
    /// Rides per code.
    #[arg(long, visible_alias = "max-usages")]
    max_usages_count: Option<i64>,
    /// Taxi tariff classes, comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = vocab::known(TariffClass::KNOWN, TariffClass::as_str))]
    classes: Vec<TariffClass>,
    /// Restrict the codes to rides starting in this zone (an id from `zones list`);
    /// repeatable: each adds a restriction, and a ride matching any one qualifies.
    #[arg(long, value_name = "ZONE_ID")]
    from_zone: Vec<String>,
    /// Restrict the codes to rides ending in this zone; repeatable, as `--from-zone`.
    #[arg(long, value_name = "ZONE_ID")]
    to_zone: Vec<String>,
    /// Intermediate points a restricted ride may have (default 0).
    #[arg(long, requires = "zones")]
    max_intermediate_points: Option<i64>,
}

/// The flags that describe an order, which `--file` and `--cancel` exclude.
pub const ORDER_FLAGS: [&str; 10] = [
    "value",
    "active_until",
    "active_from",
    "service",
    "name",
    "max_usages_count",
    "classes",
    "from_zone",
    "to_zone",
    "max_intermediate_points",
];

impl OrderArgs {
    /// The order of `count` codes these flags describe.
    pub fn new_order(self, count: i64) -> anyhow::Result<NewOrder> {
        let (Some(value), Some(until)) = (self.value, self.active_until) else {
            anyhow::bail!("--value and --active-until are required");
        };
        let mut order = NewOrder::new(value, count, until)
            .service(self.service)
            .classes(self.classes);
        if let Some(name) = self.name {
            order = order.name(name);
        }
        if let Some(uses) = self.max_usages_count {
            order = order.max_usages_count(uses);
        }
        if let Some(from) = self.active_from {
            order = order.active_from(from);
        }
        let points = self.max_intermediate_points.unwrap_or(0);
        let from = self.from_zone.into_iter().map(GeoRestriction::from_zone);
        let to = self.to_zone.into_iter().map(GeoRestriction::to_zone);
        for restriction in from.chain(to) {
            order = order.geo_restriction(restriction.max_intermediate_points(points));
        }
        Ok(order)
    }
}
