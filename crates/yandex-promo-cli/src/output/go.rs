//! The renderers of Go for Business results: orders, codes, zones, tariff classes and
//! corporate clients as tables (or JSON), and the progress bars of `issue`.
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget};
use yandex_promo::{
    go::{Circle, Code, CorpClient, IssueEvent, Order, Zone},
    raw::go::types::{GeoZone, OrderGeoRestriction, ZoneInfo},
};

use super::{Output, styled, table};

impl Output {
    pub fn orders(&self, orders: &[Order]) -> anyhow::Result<()> {
        self.show(orders, || {
            table(
                [
                    "ORDER",
                    "STATUS",
                    "SERVICE",
                    "VALUE",
                    "COUNT",
                    "ACTIVE UNTIL",
                ],
                orders.iter().map(|o| {
                    vec![
                        o.id.to_string(),
                        o.status.to_string(),
                        o.service.to_string(),
                        o.value.to_string(),
                        o.count.to_string(),
                        o.active_until.to_string(),
                    ]
                }),
            )
        })
    }

    pub fn order(&self, order: &Order) -> anyhow::Result<()> {
        self.show(order, || {
            let p = &order.pricing;
            let pricing = format!("{} {} ({} with VAT)", p.cost, p.currency, p.cost_with_vat);
            let classes = order
                .classes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            table(
                ["FIELD", "VALUE"],
                [
                    ("order", order.id.to_string()),
                    ("status", order.status.to_string()),
                    ("service", order.service.to_string()),
                    ("value", order.value.to_string()),
                    ("count", order.count.to_string()),
                    ("active until", order.active_until.to_string()),
                    ("pricing", pricing),
                    (
                        "classes",
                        if classes.is_empty() {
                            "-".to_owned()
                        } else {
                            classes
                        },
                    ),
                    ("revoked", order.revoke_count.unwrap_or(0).to_string()),
                    ("zones", restrictions(&order.geo_restrictions)),
                ]
                .into_iter()
                .map(|(k, v)| vec![k.to_owned(), v]),
            )
        })
    }

    pub fn codes(&self, codes: &[Code]) -> anyhow::Result<()> {
        self.show(codes, || {
            table(
                ["CODE", "STATUS", "REVOKED", "USED AT"],
                codes.iter().map(|c| {
                    let used = c
                        .used_at
                        .iter()
                        .map(|t| t.to_rfc3339())
                        .collect::<Vec<_>>()
                        .join(" ");
                    vec![
                        c.code.clone(),
                        c.status.to_string(),
                        c.is_revoked.to_string(),
                        used,
                    ]
                }),
            )
        })
    }

    pub fn zones(&self, zones: &[Zone]) -> anyhow::Result<()> {
        self.show(zones, || {
            table(
                ["ZONE", "NAME", "LAT", "LON", "RADIUS M"],
                zones.iter().map(|z| {
                    vec![
                        z.id.to_string(),
                        z.name.clone(),
                        z.circle.lat.to_string(),
                        z.circle.lon.to_string(),
                        z.circle.radius_m.to_string(),
                    ]
                }),
            )
        })
    }

    pub fn zone_info(&self, info: &ZoneInfo) -> anyhow::Result<()> {
        self.show(info, || {
            table(
                ["TARIFF CLASS", "NAME", "REQUIREMENTS"],
                info.tariff_classes.iter().map(|class| {
                    let requirements = class
                        .supported_requirements
                        .iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    vec![
                        class.name.clone(),
                        class.name_translate.clone(),
                        requirements,
                    ]
                }),
            )
        })
    }

    pub fn clients(&self, clients: &[CorpClient]) -> anyhow::Result<()> {
        self.show(clients, || {
            table(
                ["CLIENT", "NAME", "ROLE"],
                clients.iter().map(|c| {
                    vec![
                        c.client_id.clone(),
                        c.name.clone().unwrap_or_default(),
                        c.role.as_ref().map(ToString::to_string).unwrap_or_default(),
                    ]
                }),
            )
        })
    }

    /// The three progress bars of `issue` (orders created, orders issued, codes written), on
    /// stderr, drawn only when it is a terminal.
    pub fn issue_progress(&self) -> anyhow::Result<IssueProgress> {
        let bars = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let bar = |unit: &str| styled(bars.add(ProgressBar::new(0)), unit);
        Ok(IssueProgress {
            created: bar("orders created")?,
            issued: bar("orders issued")?,
            written: bar("codes written")?,
        })
    }
}

/// An order's geo restrictions as read back, one per `; `: `from Office (lat, lon, 200 m)`.
pub fn restrictions(restrictions: &[OrderGeoRestriction]) -> String {
    let zone = |end: &str, zone: &Option<GeoZone>| {
        zone.as_ref().map(|z| {
            let c = Circle::from_api(&z.geo);
            format!("{end} {} ({}, {}, {} m)", z.name, c.lat, c.lon, c.radius_m)
        })
    };
    let text: Vec<String> = restrictions
        .iter()
        .map(|r| {
            [zone("from", &r.source), zone("to", &r.destination)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    if text.is_empty() {
        "-".to_owned()
    } else {
        text.join("; ")
    }
}

/// The progress bars of `issue`, moved by its events.
#[derive(Debug)]
pub struct IssueProgress {
    created: ProgressBar,
    issued: ProgressBar,
    written: ProgressBar,
}

impl IssueProgress {
    /// Moves the bars for one event.
    pub fn show(&self, event: &IssueEvent) {
        match event {
            IssueEvent::Planned { orders, codes } => {
                let orders = u64::try_from(*orders).unwrap_or(0);
                self.created.set_length(orders);
                self.issued.set_length(orders);
                self.written.set_length(*codes);
            }
            IssueEvent::OrderCreated { .. } => self.created.inc(1),
            IssueEvent::OrderIssued { .. } | IssueEvent::OrderFailed { .. } => self.issued.inc(1),
            IssueEvent::CodesWritten { codes } => self.written.set_position(*codes),
            _ => {}
        }
    }
}
