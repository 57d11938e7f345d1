//! All output goes through here: aligned tables for people, one JSON document with `--json`.
//! Notes, progress and errors go to stderr, so stdout stays the result alone.
//!
//! This file is the channel: how a result, a step, a note, an error, a progress bar or a
//! completion script is printed, and the table layout every renderer uses. The renderers of
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
