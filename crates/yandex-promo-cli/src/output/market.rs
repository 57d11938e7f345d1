//! The renderers of Yandex Market results: promos, a promo's offers, and what an update, a
//! delete or a sync did, as tables and lines (or JSON).
use yandex_promo::market::{
    DeleteOutcome, GuardOutcome, GuardPlan, OfferStatus, OfferUpdate, Promo, PromoOffer,
    SyncOutcome, SyncPlan, UpdateOutcome,
};

use super::{Output, table};
use crate::rows::Row;

impl Output {
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

    /// A sync's plan as a table, and what applying it did, if it was applied. `LEVEL` is the
    /// Bestsellers level a row named (its threshold is the promo price), blank for a price.
    pub fn sync_plan(&self, plan: &SyncPlan, applied: Option<&SyncOutcome>) -> anyhow::Result<()> {
        let document = serde_json::json!({"plan": plan, "applied": applied});
        self.show(&document, || {
            let roubles = |p: Option<u64>| p.map(|p| p.to_string()).unwrap_or_default();
            let level = |update: &OfferUpdate| {
                update
                    .level
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default()
            };
            let mut rows: Vec<Vec<String>> = Vec::new();
            for offer in &plan.add {
                rows.push(vec![
                    "add".into(),
                    offer.offer_id.clone(),
                    offer.price.to_string(),
                    offer.promo_price.to_string(),
                    level(offer),
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
                    level(update),
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
                    String::new(),
                    why,
                ]);
            }
            let mut lines = vec![format!("plan: {plan}")];
            if !rows.is_empty() {
                lines.push(table(
                    ["ACTION", "OFFER", "PRICE", "PROMO PRICE", "LEVEL", "NOW"],
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
}

impl Output {
    /// The margin guard's plan, per promo a header and a table of what to raise and what to
    /// take out, then its counts and the requests `--apply` sends, or what applying it did.
    /// With `--json`, one document `{"plan", "applied"}`.
    pub fn guard_plan(
        &self,
        plan: &GuardPlan,
        applied: Option<&GuardOutcome>,
    ) -> anyhow::Result<()> {
        let document = serde_json::json!({"plan": plan, "applied": applied});
        self.show(&document, || {
            let mut lines = Vec::new();
            for promo in &plan.promos {
                lines.push(format!(
                    "{}  {} ({}): {} to raise, {} to take out",
                    promo.promo_id,
                    promo.name,
                    promo.mechanics,
                    promo.raise.len(),
                    promo.take_out.len()
                ));
                let raises = promo.raise.iter().map(|r| {
                    vec![
                        "raise".into(),
                        r.update.offer_id.clone(),
                        OfferStatus::Manual.to_string(),
                        r.promo_price_now.to_string(),
                        r.floor.to_string(),
                        r.update.promo_price.to_string(),
                        r.level.map(|l| l.as_str().to_owned()).unwrap_or_default(),
                        String::new(),
                    ]
                });
                let take_outs = promo.take_out.iter().map(|t| {
                    vec![
                        "take out".into(),
                        t.offer_id.clone(),
                        t.status.to_string(),
                        t.price_in_promo.to_string(),
                        t.floor.to_string(),
                        String::new(),
                        String::new(),
                        t.why.to_string(),
                    ]
                });
                lines.push(table(
                    [
                        "ACTION", "OFFER", "STATUS", "IN PROMO", "FLOOR", "TO", "LEVEL", "WHY",
                    ],
                    raises.chain(take_outs),
                ));
            }
            for skipped in &plan.skipped {
                lines.push(format!("skipped {}: {}", skipped.promo_id, skipped.why));
            }
            lines.push(format!("plan: {plan}"));
            match applied {
                Some(outcome) => {
                    for done in &outcome.promos {
                        lines.push(format!("{}:", done.promo_id));
                        if done.deleted.requests > 0 {
                            lines.extend(delete_lines(&done.deleted));
                        }
                        if done.updated.requests > 0 {
                            lines.extend(update_lines(&done.updated));
                        }
                    }
                }
                None if plan.is_empty() => lines.push(
                    "nothing to do: every priced offer with a floor is at or above it".into(),
                ),
                None => {
                    let requests = plan.requests();
                    lines.push(format!(
                        "--apply will send {} updatePromoOffers and {} deletePromoOffers requests (5,000 an hour each)",
                        requests.updates, requests.deletes
                    ));
                }
            }
            lines.join("\n")
        })
    }
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
