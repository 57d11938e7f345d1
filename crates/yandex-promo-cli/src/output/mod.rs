//! All output goes through here: aligned tables for people, one JSON document with `--json`.
//! Notes, progress and errors go to stderr, so stdout stays the result alone.
//!
//! This file is the channel: how a result, a step, a note, an error, a progress bar or a
//! completion script is printed, and the layouts every renderer uses (a table, a bar chart,
//! the width to draw in). The renderers of
//! each API's types are methods of [`Output`] too, one file per API beside this one (`go`,
//! `market`), and print only through the channel; only this file may print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod go;
pub mod market;

use std::io::IsTerminal as _;

use anyhow::Context as _;
use comfy_table::{Table, presets::NOTHING};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

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
            println!("{}", format!("   {text}").trim_end());
        }
    }

    /// A note about how the command runs (which endpoint, which sandbox), on stderr.
    pub fn note(&self, text: &str) {
        eprintln!("{text}");
    }

    /// An error and its causes on stderr, each cause once. With `--json`, stdout also gets
    /// the one document it always gets: `{"error", "causes", "violations"}` (a bad file's
    /// rows are violations whose field is their place, `line 4, column level`).
    pub fn error(&self, error: &anyhow::Error) {
        let causes = causes(error);
        eprintln!("error: {}", causes.join(": "));
        if self.json {
            let mut violations = error
                .downcast_ref::<yandex_promo::Error>()
                .and_then(yandex_promo::Error::violations)
                .unwrap_or_default()
                .iter()
                .map(|v| serde_json::json!({"field": v.field, "rule": v.rule, "value": v.value}))
                .collect::<Vec<_>>();
            if let Some(bad) = error.downcast_ref::<crate::files::BadFile>() {
                violations.extend(bad.problems.iter().map(
                    |p| serde_json::json!({"field": p.place(), "rule": p.rule, "value": null}),
                ));
            }
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

/// The columns to draw in: the terminal's width when stdout is one, else 80.
pub fn width() -> usize {
    // comfy-table asks the terminal only when stdout is one.
    Table::new().width().map_or(80, usize::from)
}

/// The blocks that draw the last, partial cell of a bar, in eighths of a cell.
const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// A horizontal bar chart, one line per `(label, count)`: the label, a bar of unicode blocks,
/// the count (`2026-11-28 ██████▍ 42`). The longest bar fills what `width` leaves beside the
/// labels and counts (at least 10 cells); any count above zero shows at least an eighth.
fn bars(rows: &[(String, u64)], width: usize) -> String {
    let label = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let digits = max.to_string().len();
    let room = width.saturating_sub(label + digits + 2).max(10);
    rows.iter()
        .map(|(l, n)| {
            let eighths = if max == 0 {
                0
            } else {
                let scaled = u128::from(*n) * room as u128 * 8;
                let rounded = (scaled + u128::from(max) / 2) / u128::from(max);
                usize::try_from(rounded)
                    .unwrap_or(room * 8)
                    .max(usize::from(*n > 0))
            };
            let bar = "█".repeat(eighths / 8) + EIGHTHS[eighths % 8];
            if bar.is_empty() {
                format!("{l:<label$} {n}")
            } else {
                format!("{l:<label$} {bar} {n}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rows under a header, columns aligned, no borders, no trailing blanks.
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
