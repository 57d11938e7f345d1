//! The renderers of Go for Business results: orders, codes, zones, tariff classes and
//! corporate clients as tables (or JSON), the usage report as a table and a chart, and the
//! progress bars of `issue` and `report`.
use chrono::{DateTime, FixedOffset, Utc};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget};
use yandex_promo::{
    go::{
        Bucket, Circle, Code, CodeFigures, CorpClient, IssueEvent, Order, UsageEvent, UsageReport,
        Zone,
    },
    raw::go::types::{GeoZone, OrderGeoRestriction, ZoneInfo},
};

use super::{Output, bars, styled, table, width};

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

impl Output {
    /// A usage report: the table of orders and the chart of usages over time, drawn to the
    /// terminal's width (times at `offset`); with `--json`, the report.
    pub fn usage_report(&self, report: &UsageReport, offset: FixedOffset) -> anyhow::Result<()> {
        self.show(report, || usage(report, offset, width()))
    }

    /// The progress bar of `report` (orders read), on stderr, drawn only when it is a
    /// terminal and never with `--json`.
    pub fn usage_progress(&self) -> anyhow::Result<UsageProgress> {
        let target = if self.json {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = styled(
            ProgressBar::with_draw_target(Some(0), target),
            "orders read",
        )?;
        Ok(UsageProgress { bar })
    }
}

/// The table cells of a set of codes' figures, from the codes to the share used; times at
/// `offset`.
fn figure_cells(figures: &CodeFigures, offset: FixedOffset) -> [String; 8] {
    let when = |t: Option<DateTime<Utc>>| {
        t.map_or_else(
            || "-".to_owned(),
            |t| {
                t.with_timezone(&offset)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            },
        )
    };
    [
        figures.codes.to_string(),
        figures.used_codes.to_string(),
        figures.usages.to_string(),
        figures.revoked.to_string(),
        figures.unused.to_string(),
        when(figures.first_use),
        when(figures.last_use),
        format!("{:.1}%", figures.share_used * 100.0),
    ]
}

/// A usage report for people, `width` columns wide for its chart: a row per order (an
/// unreadable one with its error in a last column), a totals row, then a bar per day or hour
/// from the first usage to the last. Times are shown at `offset`, as the series counts them.
pub fn usage(report: &UsageReport, offset: FixedOffset, width: usize) -> String {
    let errors = report.orders.iter().any(|o| o.error.is_some());
    let mut header = vec![
        "ORDER",
        "NAME",
        "STATUS",
        "VALUE",
        "CODES",
        "USED",
        "USAGES",
        "REVOKED",
        "UNUSED",
        "FIRST USE",
        "LAST USE",
        "USED %",
    ];
    if errors {
        header.push("ERROR");
    }
    let mut rows: Vec<Vec<String>> = report
        .orders
        .iter()
        .map(|o| {
            let mut row = vec![
                o.order_id.to_string(),
                o.name.clone().unwrap_or_else(|| "-".to_owned()),
            ];
            if let Some(error) = &o.error {
                row.push("unreadable".to_owned());
                row.extend(std::iter::repeat_n("-".to_owned(), 9));
                row.push(error.clone());
                return row;
            }
            row.extend([
                o.status
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), ToString::to_string),
                o.value.map_or_else(|| "-".to_owned(), |v| v.to_string()),
            ]);
            row.extend(figure_cells(&o.figures, offset));
            row
        })
        .collect();
    let t = &report.totals;
    let unreadable = match t.unreadable {
        0 => String::new(),
        n => format!("{n} unreadable"),
    };
    let mut total = vec![
        "total".to_owned(),
        match t.orders {
            1 => "1 order".to_owned(),
            n => format!("{n} orders"),
        },
        unreadable,
        String::new(),
    ];
    total.extend(figure_cells(&t.figures, offset));
    rows.push(total);
    let series = &report.series;
    let (unit, label) = match series.bucket {
        Bucket::Hour => ("hour", "%Y-%m-%d %H:00"),
        _ => ("day", "%Y-%m-%d"),
    };
    let chart = if series.points.is_empty() {
        "no code was used yet".to_owned()
    } else {
        let points: Vec<(String, u64)> = series
            .points
            .iter()
            .map(|p| (p.start.format(label).to_string(), p.usages))
            .collect();
        format!("usages per {unit}, UTC{offset}:\n{}", bars(&points, width))
    };
    format!("{}\n\n{chart}", table(header, rows))
}

/// The progress bar of `report`, moved by its events. Clones move the same bar.
#[derive(Debug, Clone)]
pub struct UsageProgress {
    bar: ProgressBar,
}

impl UsageProgress {
    /// Moves the bar for one event.
    pub fn show(&self, event: &UsageEvent) {
        match event {
            UsageEvent::Planned { orders } => {
                self.bar.set_length(u64::try_from(*orders).unwrap_or(0));
            }
            UsageEvent::OrderRead { .. } => self.bar.inc(1),
            _ => {}
        }
    }

    /// Takes the bar off the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
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
