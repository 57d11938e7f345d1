//! The reviewed allow-list, `openapi/upstream/market/allow.yaml`: the upstream source it was
//! reviewed against, and one entry per accepted difference, each a rule (of `spec-diff`'s
//! catalogue or `extra`'s), a location pattern (`at`, where `*` matches any run of
//! characters) and the reason. An entry with no reason, an unknown rule or an empty pattern is
//! refused when the list is read.
use anyhow::{Context as _, bail};
use serde::Deserialize;

use super::{Drift, extra};
use crate::spec_diff::rule_names;

/// The allow-list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowList {
    /// The upstream source the differences were reviewed against.
    pub upstream: Source,
    /// The accepted differences.
    #[serde(rename = "allow", default)]
    pub entries: Vec<Entry>,
}

/// Where the vendored bundle came from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `owner/name` on GitHub.
    pub repository: String,
    /// The full commit hash the bundle was made from.
    pub commit: String,
    /// That commit's date, `YYYY-MM-DD`.
    pub date: String,
}

/// One accepted difference.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The rule's name, as `spec-diff` (or the extra passes) report it.
    pub rule: String,
    /// The location, as reported; `*` matches any run of characters.
    pub at: String,
    /// Why the difference is accepted.
    pub reason: String,
}

impl AllowList {
    /// Reads the list, refusing an entry with an empty reason, an unknown rule or an empty
    /// `at`.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let list: AllowList = serde_yaml::from_str(text).context("parsing the allow-list")?;
        for (field, value) in [
            ("repository", &list.upstream.repository),
            ("commit", &list.upstream.commit),
            ("date", &list.upstream.date),
        ] {
            if value.trim().is_empty() {
                bail!("upstream.{field} is empty");
            }
        }
        for (index, entry) in list.entries.iter().enumerate() {
            let which = || {
                format!(
                    "allow entry {} ({} at {:?})",
                    index + 1,
                    entry.rule,
                    entry.at
                )
            };
            if !known(&entry.rule) {
                bail!(
                    "{}: unknown rule {:?} (spec-diff's catalogue, or {})",
                    which(),
                    entry.rule,
                    extra::RULES.join(", ")
                );
            }
            if entry.at.trim().is_empty() {
                bail!("{}: `at` is empty", which());
            }
            if entry.reason.trim().is_empty() {
                bail!("{}: every entry needs a reason", which());
            }
        }
        Ok(list)
    }

    /// The index of the first entry that allows `drift`.
    pub fn find(&self, drift: &Drift) -> Option<usize> {
        self.entries
            .iter()
            .position(|entry| entry.rule == drift.rule && glob(&entry.at, &drift.location))
    }
}

/// Whether `rule` is a rule some pass reports.
fn known(rule: &str) -> bool {
    rule_names().chain(extra::RULES).any(|name| name == rule)
}

/// Whether `text` matches `pattern` as a whole, where `*` matches any run of characters
/// (none included) and every other character itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    let (mut p, mut t) = (0, 0);
    // The last `*` seen, and where in `text` its run would end if it took one more character.
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            backtrack = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star, start)) = backtrack {
            p = star + 1;
            t = start + 1;
            backtrack = Some((star, start + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}
