//! `-v` and `RUST_LOG`: each API call on stderr, so that an operator whose call fails against
//! the real API can see what was sent and answered. The library opens a `tracing` span per
//! HTTP attempt and logs its retries and failures; this module installs the subscriber that
//! prints them, with whatever fields they carry (one line per attempt when its span closes).
//! Nothing is installed without `-v` or `RUST_LOG`, so by default stderr is as quiet as ever,
//! and nothing goes to stdout, which `--json` keeps to one document.
//!
//! Never a credential: the library records no headers, and other crates (the HTTP stack) are
//! capped at `debug` whatever `RUST_LOG` asks, since their `trace` may show headers.
use std::io::IsTerminal as _;

use clap::{ArgAction, Args};
use tracing_subscriber::{
    EnvFilter, Layer as _,
    filter::{FilterExt as _, LevelFilter, Targets},
    fmt::format::FmtSpan,
    layer::SubscriberExt as _,
    util::SubscriberInitExt as _,
};

use crate::output::Output;

/// The prefix of our crates' targets: the library (`yandex_promo`), the sandbox, the CLI.
const OURS: &str = "yandex_promo";

/// How much of the API calls to print on stderr.
#[derive(Debug, Args)]
pub struct Verbosity {
    /// Print each API call on stderr: -v a line per attempt (operation, status, duration,
    /// request id) and retry, -vv also failures, -vvv also the HTTP stack; RUST_LOG overrides.
    /// Never tokens or keys.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    verbose: u8,
}

impl Verbosity {
    /// Installs the subscriber: `RUST_LOG` when set (a bad one is said on `out` and ignored),
    /// else the level `-v` asks for; nothing with neither.
    pub fn init(&self, out: Output) {
        let from_env = match std::env::var("RUST_LOG") {
            Ok(value) if value.trim().is_empty() => None,
            Ok(value) => EnvFilter::builder()
                .parse(&value)
                .inspect_err(|error| {
                    out.note(&format!("warning: ignoring RUST_LOG={value:?}: {error}"))
                })
                .ok(),
            Err(std::env::VarError::NotPresent) => None,
            Err(error) => {
                out.note(&format!("warning: ignoring RUST_LOG: {error}"));
                None
            }
        };
        let Some(filter) = from_env.or_else(|| self.filter()) else {
            return;
        };
        // What the `trace` level of another crate may print (headers) never shows.
        let cap = Targets::new()
            .with_default(LevelFilter::DEBUG)
            .with_target(OURS, LevelFilter::TRACE);
        let spans = if self.verbose >= 3 {
            FmtSpan::NEW | FmtSpan::CLOSE
        } else {
            FmtSpan::CLOSE
        };
        let stderr = std::io::stderr();
        let ansi = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(ansi)
            .with_span_events(spans)
            .with_filter(filter.and(cap));
        // Only fails when a subscriber is already installed, and none is.
        let _ = tracing_subscriber::registry().with(layer).try_init();
    }

    /// The filter `-v` asks for: `-v` one line per attempt, `-vv` also the library's
    /// failures, `-vvv` its every event and the HTTP stack's debug lines.
    fn filter(&self) -> Option<EnvFilter> {
        let directives = match self.verbose {
            0 => return None,
            1 => format!("warn,{OURS}=info"),
            2 => format!("warn,{OURS}=debug"),
            _ => format!("debug,{OURS}=trace"),
        };
        Some(EnvFilter::new(directives))
    }
}
