//! The specs' compatibility gate, run by `cargo xtask ci`: each spec is compared with its last
//! released version, and a breaking change must come with a major bump of that spec's
//! `info.version` and an entry in `openapi/CHANGELOG.md`; a changed `info.version` must have an
//! entry too.
//!
//! "Released" is written in the changelog, which travels with every clone: a version's heading
//! carries its date once it is released (`### 1.1.0 (2026-12-20)`; `(unreleased)` before). The
//! released spec is the file as it was in the commit that first wrote that heading, read from
//! git history (`git log -S`), so the gate works on any clone with history and needs no tag.
use std::path::Path;

use anyhow::{Context as _, bail};
use semver::Version;

use crate::{
    helpers::{commit_that_wrote, git},
    spec_diff::{Change, diff_texts},
};

/// The specs under the gate, as `openapi/<stem>.yaml`.
const SPECS: [&str; 2] = ["go-business", "market-partner"];

const CHANGELOG: &str = "openapi/CHANGELOG.md";

/// Checks every spec against its last released version.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let changelog = std::fs::read_to_string(root.join(CHANGELOG))
        .with_context(|| format!("reading {CHANGELOG}"))?;
    let mut problems = Vec::new();
    for stem in SPECS {
        let file = format!("{stem}.yaml");
        let current = std::fs::read_to_string(root.join("openapi").join(&file))
            .with_context(|| format!("reading openapi/{file}"))?;
        let entries = entries(&changelog, &file);
        let Some(released) = entries.iter().find(|e| e.date.is_some()) else {
            eprintln!("spec gate: {file} has no released version yet; nothing to compare");
            continue;
        };
        let commit = commit_that_wrote(root, CHANGELOG, &released.heading())?;
        let old = git(root, &["show", &format!("{commit}:openapi/{file}")])?;
        let found = check(&file, &old, &current, released, &entries)?;
        if found.is_empty() {
            eprintln!(
                "spec gate: {file} against its release {}: ok",
                released.version
            );
        }
        problems.extend(found);
    }
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("spec gate: {problem}");
        }
        bail!("{} spec compatibility problem(s)", problems.len());
    }
    Ok(())
}

/// One version's heading in the changelog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The version.
    pub version: Version,
    /// The release date, `None` while unreleased.
    pub date: Option<String>,
}

impl Entry {
    /// The heading as the changelog writes it.
    fn heading(&self) -> String {
        let date = self.date.as_deref().unwrap_or("unreleased");
        format!("### {} ({date})", self.version)
    }
}

/// The version headings under `## <file>` in the changelog, newest first as written.
pub fn entries(changelog: &str, file: &str) -> Vec<Entry> {
    let mut inside = false;
    let mut found = Vec::new();
    for line in changelog.lines() {
        if let Some(section) = line.strip_prefix("## ") {
            inside = section.trim() == file;
            continue;
        }
        let Some(heading) = line.strip_prefix("### ").filter(|_| inside) else {
            continue;
        };
        let (version, rest) = heading.split_once(' ').unwrap_or((heading, ""));
        let Ok(version) = Version::parse(version) else {
            continue;
        };
        let date = rest
            .trim()
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .filter(|d| *d != "unreleased")
            .map(str::to_owned);
        found.push(Entry { version, date });
    }
    found
}

/// The problems of `new` against the `released` `old`, given the changelog's `entries` for
/// the spec.
pub fn check(
    file: &str,
    old: &str,
    new: &str,
    released: &Entry,
    entries: &[Entry],
) -> anyhow::Result<Vec<String>> {
    let current = info_version(new).with_context(|| format!("{file}: info.version"))?;
    let changes = diff_texts(old, new).with_context(|| format!("comparing {file}"))?;
    let breaking: Vec<&Change> = changes.iter().filter(|c| c.breaking).collect();
    let listed = entries.iter().any(|e| e.version == current);
    let mut problems = Vec::new();
    if !breaking.is_empty() && (current.major <= released.version.major || !listed) {
        let list: Vec<String> = breaking
            .iter()
            .map(|c| format!("{} at {}", c.rule, c.location))
            .collect();
        problems.push(format!(
            "{file}: {} breaking change(s) since {} need a major version and an entry in \
             {CHANGELOG} (info.version is {current}): {}",
            breaking.len(),
            released.version,
            list.join("; ")
        ));
    } else if current != released.version && !listed {
        problems.push(format!(
            "{file}: info.version is {current}, which {CHANGELOG} has no entry for"
        ));
    }
    Ok(problems)
}

/// A spec's `info.version`, as semver.
fn info_version(spec: &str) -> anyhow::Result<Version> {
    let value: serde_yaml::Value = serde_yaml::from_str(spec)?;
    let text = value["info"]["version"]
        .as_str()
        .context("no info.version string")?;
    Ok(Version::parse(text)?)
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    const CHANGELOG_TEXT: &str = "# Changelog\n\n## a.yaml\n\n### 2.0.0 (unreleased)\n\n- x\n\n\
        ### 1.1.0 (2026-12-01)\n\n- y\n\n## b.yaml\n\n### 1.0.0 (2026-11-01)\n";

    fn spec(version: &str, required: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '{version}'}}\npaths:\n  /a:\n    get:\n      \
             operationId: getA\n      responses:\n        '200':\n          description: ok\n          \
             content:\n            application/json:\n              schema:\n                type: object\n                \
             required: [{required}]\n                properties:\n                  id: {{type: string}}\n                  \
             name: {{type: string}}\n"
        )
    }

    fn released() -> Entry {
        Entry {
            version: Version::new(1, 1, 0),
            date: Some("2026-12-01".into()),
        }
    }

    #[test]
    fn the_changelog_says_which_version_was_released_when() {
        let a = entries(CHANGELOG_TEXT, "a.yaml");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].date, None);
        assert_eq!(a[1], released());
        assert_eq!(a[1].heading(), "### 1.1.0 (2026-12-01)");
        assert_eq!(
            entries(CHANGELOG_TEXT, "b.yaml")[0].version,
            Version::new(1, 0, 0)
        );
    }

    #[test]
    fn a_breaking_change_without_a_major_bump_fails_and_with_one_passes() {
        let entries = entries(CHANGELOG_TEXT, "a.yaml");
        let old = spec("1.1.0", "id, name");
        // A response field no longer required: breaking for a generated client.
        let unbumped = spec("1.1.0", "id");
        let problems = check("a.yaml", &old, &unbumped, &released(), &entries).expect("checked");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("breaking"), "{problems:?}");
        let minor = spec("1.2.0", "id");
        assert_eq!(
            check("a.yaml", &old, &minor, &released(), &entries)
                .expect("checked")
                .len(),
            1
        );
        let major = spec("2.0.0", "id");
        assert!(
            check("a.yaml", &old, &major, &released(), &entries)
                .expect("checked")
                .is_empty()
        );
    }

    /// Runs git in `dir` for a test, as a fixed author.
    fn git_in(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn the_gate_finds_the_release_in_history_and_fails_an_unversioned_breaking_change() {
        let dir = std::env::temp_dir().join(format!("xtask-spec-gate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("openapi")).expect("dir");
        let released_log = "## go-business.yaml\n\n### 1.1.0 (2026-12-01)\n\n\
            ## market-partner.yaml\n\n### 1.0.0 (unreleased)\n";
        std::fs::write(dir.join(CHANGELOG), released_log).expect("write");
        std::fs::write(
            dir.join("openapi/go-business.yaml"),
            spec("1.1.0", "id, name"),
        )
        .expect("write");
        std::fs::write(dir.join("openapi/market-partner.yaml"), spec("1.0.0", "id"))
            .expect("write");
        git_in(&dir, &["init", "-q"]);
        git_in(&dir, &["add", "."]);
        git_in(&dir, &["commit", "-q", "-m", "release go-business 1.1.0"]);
        run(&dir).expect("the released spec passes");
        // A later commit drops a required response field without a bump.
        std::fs::write(dir.join("openapi/go-business.yaml"), spec("1.1.0", "id")).expect("write");
        git_in(&dir, &["commit", "-q", "-am", "a breaking change"]);
        let error = run(&dir).expect_err("an unversioned breaking change fails");
        assert!(
            error.to_string().contains("1 spec compatibility problem"),
            "{error}"
        );
        // With a major bump and its entry it passes.
        std::fs::write(dir.join("openapi/go-business.yaml"), spec("2.0.0", "id")).expect("write");
        let bumped = released_log.replacen("### 1.1.0", "### 2.0.0 (unreleased)\n\n### 1.1.0", 1);
        std::fs::write(dir.join(CHANGELOG), bumped).expect("write");
        run(&dir).expect("a major bump with its entry passes");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_new_version_needs_an_entry_and_an_unchanged_spec_passes() {
        let entries = entries(CHANGELOG_TEXT, "a.yaml");
        let old = spec("1.1.0", "id, name");
        assert!(
            check("a.yaml", &old, &old, &released(), &entries)
                .expect("checked")
                .is_empty()
        );
        let unlisted = spec("1.1.1", "id, name");
        let problems = check("a.yaml", &old, &unlisted, &released(), &entries).expect("checked");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("no entry"), "{problems:?}");
    }
}
