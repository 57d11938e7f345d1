//! All output goes through here: aligned tables for people, one JSON document with `--json`.
//! Notes, progress and errors go to stderr, so stdout stays the result alone.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::IsTerminal as _;

use anyhow::Context as _;
use comfy_table::{Table, presets::NOTHING};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use yandex_promo::{
    go::{Circle, Code, CorpClient, IssueEvent, Order, Zone},
    market::{DeleteOutcome, Promo, PromoOffer, SyncOutcome, SyncPlan, UpdateOutcome},
    raw::go::types::{GeoZone, OrderGeoRestriction, ZoneInfo},
};

use crate::rows::Row;

/// How results are printed.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or `table()` for people.
    fn show<T: Serialize + ?Sized>(
        &self,
        value: &T,
        table: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value)?);
        } else {
            println!("{}", table());
        }
        Ok(())
    }

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

    pub fn promos(&self, promos: &[Promo]) -> anyhow::Result<()> {
        self.show(promos, || {
            table(
                ["PROMO", "NAME", "TYPE", "PARTICIPATING", "FROM", "TO"],
                promos.iter().map(|p| {
                    vec![
                        p.id.clone(),
                        p.name.clone(),
                        p.mechanics_info.type_.to_string(),
                        p.participating.to_string(),
                        p.period.date_time_from.format("%Y-%m-%d").to_string(),
                        p.period.date_time_to.format("%Y-%m-%d").to_string(),
                    ]
                }),
            )
        })
    }

    /// A promo's offers; the table has the columns of their export file.
    pub fn offers(&self, offers: &[PromoOffer]) -> anyhow::Result<()> {
        self.show(offers, || {
            table(
                PromoOffer::HEADER.iter().copied(),
                offers.iter().map(Row::record),
            )
        })
    }

    /// What an update did: how many offers were applied, and each refusal and warning.
    pub fn update_outcome(&self, outcome: &UpdateOutcome) -> anyhow::Result<()> {
        self.show(outcome, || update_lines(outcome).join("\n"))
    }

    /// What a delete did: how many offers were taken out, and each refusal.
    pub fn delete_outcome(&self, outcome: &DeleteOutcome) -> anyhow::Result<()> {
        self.show(outcome, || delete_lines(outcome).join("\n"))
    }

    /// A sync's plan as a table, and what applying it did, if it was applied.
    pub fn sync_plan(&self, plan: &SyncPlan, applied: Option<&SyncOutcome>) -> anyhow::Result<()> {
        let document = serde_json::json!({"plan": plan, "applied": applied});
        self.show(&document, || {
            let roubles = |p: Option<u64>| p.map(|p| p.to_string()).unwrap_or_default();
            let mut rows: Vec<Vec<String>> = Vec::new();
            for offer in &plan.add {
                rows.push(vec![
                    "add".into(),
                    offer.offer_id.clone(),
                    offer.price.to_string(),
                    offer.promo_price.to_string(),
                    String::new(),
                ]);
            }
            for change in &plan.reprice {
                let update = &change.update;
                let now = format!(
                    "{} / {}",
                    roubles(change.price_now),
                    roubles(change.promo_price_now)
                );
                rows.push(vec![
                    "reprice".into(),
                    update.offer_id.clone(),
                    update.price.to_string(),
                    update.promo_price.to_string(),
                    now,
                ]);
            }
            for id in &plan.remove {
                rows.push(vec![
                    "remove".into(),
                    id.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            for offer in &plan.leave_alone {
                let why = format!("{} (added by Market)", offer.status);
                rows.push(vec![
                    "leave".into(),
                    offer.offer_id.clone(),
                    String::new(),
                    String::new(),
                    why,
                ]);
            }
            let mut lines = vec![format!("plan: {plan}")];
            if !rows.is_empty() {
                lines.push(table(
                    ["ACTION", "OFFER", "PRICE", "PROMO PRICE", "NOW"],
                    rows,
                ));
            }
            match applied {
                Some(outcome) => {
                    lines.extend(update_lines(&outcome.updated));
                    lines.extend(delete_lines(&outcome.deleted));
                }
                None if !plan.is_empty() => {
                    lines.push("nothing sent: run again with --apply to send the plan".into())
                }
                None => lines.push("the promo matches the file: nothing to send".into()),
            }
            lines.join("\n")
        })
    }

    /// A result that is a small JSON object for machines and one line for people.
    pub fn result<T: Serialize>(&self, value: &T, line: &str) -> anyhow::Result<()> {
        self.show(value, || line.to_owned())
    }

    /// A numbered step of a longer job, for people; nothing with `--json`, whose one
    /// document comes at the end.
    pub fn step(&self, number: u32, what: &str) {
        if !self.json {
            println!("{number}. {what}");
        }
    }

    /// A detail under a step, for people; nothing with `--json`.
    pub fn detail(&self, text: &str) {
        if !self.json {
            println!("   {text}");
        }
    }

    /// A note about how the command runs (which endpoint, which sandbox), on stderr.
    pub fn note(&self, text: &str) {
        eprintln!("{text}");
    }

    /// An error and its causes on stderr, each cause once. With `--json`, stdout also gets
    /// the one document it always gets: `{"error", "causes", "violations"}`.
    pub fn error(&self, error: &anyhow::Error) {
        let causes = causes(error);
        eprintln!("error: {}", causes.join(": "));
        if self.json {
            let violations = error
                .downcast_ref::<yandex_promo::Error>()
                .and_then(yandex_promo::Error::violations)
                .unwrap_or_default()
                .iter()
                .map(|v| serde_json::json!({"field": v.field, "rule": v.rule, "value": v.value}))
                .collect::<Vec<_>>();
            let document = serde_json::json!({
                "error": causes.first(),
                "causes": causes.get(1..),
                "violations": violations,
            });
            println!("{document:#}");
        }
    }

    /// Whether progress bars are drawn: only when stderr is a terminal.
    pub fn shows_progress(&self) -> bool {
        std::io::stderr().is_terminal()
    }

    /// A progress bar on stderr, drawn only when stderr is a terminal.
    pub fn progress(&self, length: u64, unit: &str) -> anyhow::Result<ProgressBar> {
        let bar = ProgressBar::with_draw_target(Some(length), ProgressDrawTarget::stderr());
        styled(bar, unit)
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

    /// A shell completion script on stdout; with `--json`, inside `{"shell", "script"}`.
    pub fn completions(
        &self,
        shell: clap_complete::Shell,
        command: &mut clap::Command,
    ) -> anyhow::Result<()> {
        let name = command.get_name().to_owned();
        let mut script = Vec::new();
        clap_complete::generate(shell, command, name, &mut script);
        let script = String::from_utf8(script).context("the script is UTF-8")?;
        let value = serde_json::json!({"shell": shell.to_string(), "script": script});
        self.show(&value, || script.trim_end().to_owned())
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

/// A failure the command's result already reported: the process exits 1 and prints no
/// second document.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Reported(pub String);

/// A bar that counts `unit`s.
fn styled(bar: ProgressBar, unit: &str) -> anyhow::Result<ProgressBar> {
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit}");
    bar.set_style(ProgressStyle::with_template(&template).context("progress template")?);
    Ok(bar)
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

/// The messages of an error's chain, each said once: a cause is left out when the message
/// before it already ends with it (a library that prints its source in its own message).
fn causes(error: &anyhow::Error) -> Vec<String> {
    let mut said: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string();
        let repeated = said
            .last()
            .is_some_and(|earlier| *earlier == text || earlier.ends_with(&format!(": {text}")));
        if !repeated {
            said.push(text);
        }
    }
    said
}

/// For people: a one-column table of offers, if any.
fn listed(header: &'static str, offers: &[String]) -> Option<String> {
    (!offers.is_empty()).then(|| table([header], offers.iter().map(|id| vec![id.clone()])))
}

/// For people: the offers Market refused and why, if any.
fn refused_table<'a>(refused: impl Iterator<Item = (&'a str, &'a str)>) -> Option<String> {
    let rows: Vec<Vec<String>> = refused
        .map(|(offer, reason)| vec![offer.to_owned(), reason.to_owned()])
        .collect();
    (!rows.is_empty()).then(|| table(["REFUSED", "REASON"], rows))
}

/// For people: how many offers an update applied, then each refusal and warning.
fn update_lines(outcome: &UpdateOutcome) -> Vec<String> {
    let mut lines = vec![format!(
        "applied {} offers in {} requests; {} refused, {} with warnings",
        outcome.applied.len(),
        outcome.requests,
        outcome.rejected.len(),
        outcome.warned.len()
    )];
    lines.extend(listed("APPLIED", &outcome.applied));
    lines.extend(refused_table(
        outcome
            .rejected
            .iter()
            .map(|r| (r.offer_id.as_str(), r.reason.as_str())),
    ));
    if !outcome.warned.is_empty() {
        let rows = outcome.warned.iter().flat_map(|w| {
            w.warnings.iter().map(|warning| {
                let shops: Vec<String> = warning
                    .campaign_ids
                    .iter()
                    .flatten()
                    .map(ToString::to_string)
                    .collect();
                vec![
                    w.offer_id.clone(),
                    warning.code.to_string(),
                    shops.join(" "),
                ]
            })
        });
        lines.push(table(["WARNED", "WARNING", "CAMPAIGNS"], rows));
    }
    lines
}

/// For people: how many offers a delete took out, then each refusal.
fn delete_lines(outcome: &DeleteOutcome) -> Vec<String> {
    let mut lines = vec![format!(
        "took {} offers out in {} requests; {} refused",
        outcome.removed.len(),
        outcome.requests,
        outcome.rejected.len()
    )];
    lines.extend(listed("TAKEN OUT", &outcome.removed));
    lines.extend(refused_table(
        outcome
            .rejected
            .iter()
            .map(|r| (r.offer_id.as_str(), r.reason.as_str())),
    ));
    lines
}

fn table(
    header: impl IntoIterator<Item = &'static str>,
    rows: impl IntoIterator<Item = Vec<String>>,
) -> String {
    let mut table = Table::new();
    table.load_preset(NOTHING).set_header(header);
    for row in rows {
        table.add_row(row);
    }
    table
        .to_string()
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}
