//! `cargo xtask upstream-check [--all]`, run by `cargo xtask ci`: `openapi/market-partner.yaml`
//! compared structurally with Yandex Market's official promos bundle vendored in
//! `openapi/upstream/market/`, passing only when every difference is in the reviewed allow-list
//! there, with its reason.
//!
//! The comparison is `spec-diff`'s, upstream as the old spec and ours as the new one (so
//! `response-property-added` is something we have and upstream has not), without the rules on
//! documentation alone (info, summaries, descriptions, examples: ours are in English). Two
//! passes add what `spec-diff` does not look at (`extra`): schemas only one side defines, and
//! each operation's `x-resource-limit-config`. The allow-list (`allow`) names each accepted
//! difference by rule and location; an entry that matches nothing is stale and fails the check
//! too (upstream caught up, or the difference is gone), and so does an allow-list written for
//! another upstream commit than the bundle's.
mod allow;
mod extra;

#[cfg(test)]
mod tests;

use std::path::Path;

use anyhow::{Context as _, bail};

pub use allow::AllowList;

use crate::spec_diff::diff_texts;

/// The vendored official bundle, relative to the workspace root.
const BUNDLE: &str = "openapi/upstream/market/promos-family-bundled.yaml";

/// The reviewed differences.
const ALLOW: &str = "openapi/upstream/market/allow.yaml";

/// Our Market spec.
const OURS: &str = "openapi/market-partner.yaml";

/// `spec-diff` rules on documentation alone, which never count.
const DOCUMENTATION: [&str; 4] = [
    "info-changed",
    "summary-changed",
    "description-changed",
    "example-changed",
];

/// One structural difference between upstream and ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// A `spec-diff` rule, or one of `extra`'s.
    pub rule: String,
    /// Where, as `spec-diff` prints it: `POST /path 200 application/json result.offers[]`.
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}  {}: {}", self.rule, self.location, self.message)
    }
}

/// What the check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Differences an entry allows, with the index of that entry (the first that matches).
    pub allowed: Vec<(Drift, usize)>,
    /// Differences no entry allows.
    pub unallowed: Vec<Drift>,
    /// Indices of the entries that matched nothing.
    pub stale: Vec<usize>,
}

impl Report {
    /// Whether the check passes: nothing unallowed, no stale entry.
    pub fn is_clean(&self) -> bool {
        self.unallowed.is_empty() && self.stale.is_empty()
    }
}

/// Runs the check on the workspace's files and prints what it found; `all` prints the allowed
/// differences too, each with its reason.
pub fn run(root: &Path, all: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let read = |file: &str| {
        std::fs::read_to_string(root.join(file)).with_context(|| format!("reading {file}"))
    };
    let (upstream, ours) = (read(BUNDLE)?, read(OURS)?);
    let allow = AllowList::parse(&read(ALLOW)?).with_context(|| format!("reading {ALLOW}"))?;
    let report = check(&upstream, &ours, &allow)?;
    let source = &allow.upstream;
    eprintln!(
        "upstream check: {OURS} against {} {} ({})",
        source.repository, source.commit, source.date
    );
    if all {
        for (index, entry) in allow.entries.iter().enumerate() {
            let matched: Vec<&Drift> = report
                .allowed
                .iter()
                .filter(|(_, i)| *i == index)
                .map(|(d, _)| d)
                .collect();
            println!(
                "allowed ({}): {} at {}\n  reason: {}",
                matched.len(),
                entry.rule,
                entry.at,
                entry.reason
            );
            for drift in matched {
                println!("    {drift}");
            }
        }
    }
    for drift in &report.unallowed {
        println!("not allowed: {drift}");
    }
    for &index in &report.stale {
        let entry = &allow.entries[index];
        println!(
            "stale entry: {} at {}: it matches nothing (upstream caught up, or the difference is gone): remove the entry",
            entry.rule, entry.at
        );
    }
    let hint = if all || !report.is_clean() {
        ""
    } else {
        " (--all lists them)"
    };
    eprintln!(
        "upstream check: {} difference(s) allowed by {} entries{hint}, {} not allowed, {} stale entries; {} ms",
        report.allowed.len(),
        allow.entries.len(),
        report.unallowed.len(),
        report.stale.len(),
        started.elapsed().as_millis(),
    );
    if !report.is_clean() {
        bail!(
            "{OURS} drifted from the official spec: change it, or add an entry with its reason to {ALLOW} (see openapi/upstream/market/README.md)"
        );
    }
    Ok(())
}

/// Compares `ours` with the `upstream` bundle (both spec texts) and sorts every structural
/// difference by the allow-list. Fails when a text cannot be parsed, or when the allow-list
/// was written for another upstream source than the bundle's header names.
pub fn check(upstream: &str, ours: &str, allow: &AllowList) -> anyhow::Result<Report> {
    same_source(upstream, allow)?;
    let mut drifts: Vec<Drift> = diff_texts(upstream, ours)?
        .into_iter()
        .filter(|change| !DOCUMENTATION.contains(&change.rule.name()))
        .map(|change| Drift {
            rule: change.rule.name().to_owned(),
            location: change.location,
            message: change.message,
        })
        .collect();
    let parse = |text: &str, which: &str| {
        serde_yaml::from_str::<serde_yaml::Value>(text).with_context(|| format!("parsing {which}"))
    };
    let (upstream, ours) = (parse(upstream, "upstream")?, parse(ours, "ours")?);
    drifts.extend(extra::schemas(&upstream, &ours));
    drifts.extend(extra::rate_limits(&upstream, &ours));
    let mut report = Report::default();
    for drift in drifts {
        match allow.find(&drift) {
            Some(index) => report.allowed.push((drift, index)),
            None => report.unallowed.push(drift),
        }
    }
    report.stale = (0..allow.entries.len())
        .filter(|index| !report.allowed.iter().any(|(_, i)| i == index))
        .collect();
    Ok(report)
}

/// Fails unless the bundle's header names the repository, commit and date the allow-list was
/// reviewed against.
fn same_source(bundle: &str, allow: &AllowList) -> anyhow::Result<()> {
    let expected = &allow.upstream;
    let Some(source) = source_line(bundle) else {
        bail!("the upstream bundle has no `# Source: … commit …` header line");
    };
    let commit = header_commit(source).unwrap_or("none");
    if commit != expected.commit {
        bail!(
            "the upstream bundle is from commit {commit}, the allow-list was reviewed against {}: review the differences and update `upstream.commit` and `upstream.date` in {ALLOW}",
            expected.commit
        );
    }
    if !source.contains(&expected.repository) || !source.contains(&format!("({})", expected.date)) {
        bail!(
            "the upstream bundle's header does not name {} and ({}) as the allow-list does:{source}",
            expected.repository,
            expected.date
        );
    }
    Ok(())
}

/// The `# Source: …` header line of the bundle, which names the repository, the commit and
/// its date; `None` when the bundle has none.
fn source_line(bundle: &str) -> Option<&str> {
    bundle
        .lines()
        .take_while(|line| line.starts_with('#'))
        .find_map(|line| line.strip_prefix("# Source:"))
}

/// The commit a `# Source:` line names: the word after `commit`.
fn header_commit(source: &str) -> Option<&str> {
    let (_, rest) = source.split_once(" commit ")?;
    rest.split_whitespace().next()
}
