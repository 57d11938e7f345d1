//! `zones`: the geo zones promo orders can be restricted to, and `zones info`, what the
//! service offers at a place. Zones are given by name, latitude, longitude and radius in
//! metres; the order of the pair on the wire is the library's business.
use clap::{Args, Subcommand};
use futures::TryStreamExt as _;
use yandex_promo::go::{Circle, NewZone};

use crate::context::Context;

#[derive(Debug, Subcommand)]
pub enum ZonesCommand {
    /// List the zones, the most recently written first.
    List {
        /// Zones per request (the API's `limit`).
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Create a zone: a circle around a point.
    Create(ZoneArgs),
    /// Replace a zone's name and circle (its id stays).
    Update {
        /// The zone's id.
        id: String,
        #[command(flatten)]
        zone: ZoneArgs,
    },
    /// Delete a zone (orders made with it keep their copy).
    Delete {
        /// The zone's id.
        id: String,
    },
    /// What the service offers at a place: its tariff classes.
    Info {
        /// Latitude, -90 to 90.
        #[arg(long, allow_negative_numbers = true)]
        lat: f64,
        /// Longitude, -180 to 180.
        #[arg(long, allow_negative_numbers = true)]
        lon: f64,
    },
}

/// A zone by name and circle.
#[derive(Debug, Args)]
pub struct ZoneArgs {
    /// The zone's name.
    #[arg(long)]
    name: String,
    /// Latitude of the centre, -90 to 90.
    #[arg(long, allow_negative_numbers = true)]
    lat: f64,
    /// Longitude of the centre, -180 to 180.
    #[arg(long, allow_negative_numbers = true)]
    lon: f64,
    /// Radius in metres.
    #[arg(long)]
    radius_m: u32,
}

impl ZoneArgs {
    fn new_zone(self) -> NewZone {
        let circle = Circle {
            lat: self.lat,
            lon: self.lon,
            radius_m: self.radius_m,
        };
        NewZone::new(self.name, circle)
    }
}

/// Runs one `zones` command.
pub async fn run(command: ZonesCommand, context: &mut Context) -> anyhow::Result<()> {
    let out = context.out;
    let geo = context.go().await?.geo();
    match command {
        ZonesCommand::List { limit } => {
            let zones: Vec<_> = geo.list().page_size(limit).stream().try_collect().await?;
            out.zones(&zones)
        }
        ZonesCommand::Create(args) => {
            let zone = geo.create(args.new_zone()).await?;
            out.result(&zone, &format!("created zone {} ({})", zone.id, zone.name))
        }
        ZonesCommand::Update { id, zone } => {
            let zone = geo.update(id, zone.new_zone()).await?;
            out.result(&zone, &format!("updated zone {} ({})", zone.id, zone.name))
        }
        ZonesCommand::Delete { id } => {
            geo.delete(id.as_str()).await?;
            let result = serde_json::json!({"id": id, "deleted": true});
            out.result(&result, &format!("deleted zone {id}"))
        }
        ZonesCommand::Info { lat, lon } => out.zone_info(&geo.zone_info(lat, lon).await?),
    }
}
