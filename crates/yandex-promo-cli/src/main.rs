//! `yandex-promo`: operate Go for Business promo codes and Market promos from the shell.
//! Without credentials every command runs against an embedded sandbox.
//!
//! Everything printed goes through the `output` module: with `--json`, stdout carries
//! exactly one JSON document. The lints below keep it so.
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod connect;
mod demo;
mod export;
mod issue;
mod offers;
mod order_args;
mod output;
mod rows;
mod vocab;
mod zones;

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use anyhow::Context as _;
use clap::{CommandFactory as _, Parser, Subcommand};
use futures::TryStreamExt as _;
use uuid::Uuid;
use yandex_promo::{
    go::NewOrder,
    market::{MechanicsType, Participation},
    raw::go::types::PromocodeOrder,
};

use connect::{Connection, Endpoints};
use output::Output;

/// Operate Yandex Go for Business promo codes and Yandex Market promos.
///
/// Without credentials, commands run against an embedded sandbox (said on stderr).
#[derive(Debug, Parser)]
#[command(name = "yandex-promo", version)]
struct Cli {
    /// Print one JSON document instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(flatten)]
    connection: Connection,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Promo code orders.
    #[command(subcommand)]
    Orders(OrdersCommand),
    /// The codes of an order.
    #[command(subcommand)]
    Codes(CodesCommand),
    /// Issue any number of codes in one crash-safe, resumable run: re-run the same command
    /// to continue after any failure.
    Issue(Box<issue::IssueArgs>),
    /// Geo zones to restrict orders to, and what the service offers at a place.
    #[command(subcommand)]
    Zones(zones::ZonesCommand),
    /// The corporate clients the token may act for (the ids `--corp-client-id` takes).
    Clients,
    /// Yandex Market.
    #[command(subcommand)]
    Market(MarketCommand),
    /// Serve a sandbox of both APIs until interrupted.
    Sandbox {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Serve the test controls under /__sandbox/.
        #[arg(long)]
        admin: bool,
        /// Seed the order ids, code ids and codes: the same requests give the same ones.
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Print a shell completion script (e.g. `yandex-promo completions bash > ~/.local/share/bash-completion/completions/yandex-promo`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Show what the tool does, end to end, on an embedded sandbox.
    Demo {
        /// Where to write the exported codes.
        #[arg(long, default_value = "yandex-promo-demo-codes.csv")]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum OrdersCommand {
    /// Create an order from flags or from a JSON file in the API's shape.
    Create(Box<CreateArgs>),
    /// List orders.
    List {
        /// Orders per request (the API's `limit`).
        #[arg(long, visible_alias = "page-size", default_value_t = 100)]
        limit: u32,
    },
    /// Show one order.
    Get { order_id: String },
    /// Cancel an order (allowed while none of its codes was used).
    Cancel { order_id: String },
}

/// `orders create`: the order as flags (by the spec's names) or as a file in the API's shape.
#[derive(Debug, clap::Args)]
struct CreateArgs {
    /// Read the order from this JSON file (the API's create body).
    #[arg(long, conflicts_with_all = order_args::ORDER_FLAGS, conflicts_with = "count")]
    file: Option<PathBuf>,
    /// Number of codes.
    #[arg(long, required_unless_present = "file")]
    count: Option<i64>,
    #[command(flatten)]
    order: order_args::OrderArgs,
    /// Reuse the idempotency token of an earlier attempt (default: a new one).
    #[arg(long)]
    idempotency_token: Option<Uuid>,
}

#[derive(Debug, Subcommand)]
enum CodesCommand {
    /// List the codes of an order.
    List {
        order_id: String,
        /// Codes per request (the API's `limit`).
        #[arg(long, visible_alias = "page-size", default_value_t = 100)]
        limit: u32,
    },
    /// Write every code of an order to a file.
    Export {
        order_id: String,
        /// File format.
        #[arg(long, value_enum, default_value_t = export::Format::Csv)]
        format: export::Format,
        /// File to write (replaced only once every code was written).
        #[arg(long)]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum MarketCommand {
    /// List the Market promotions the business takes part in or may join.
    Promos {
        /// Current or finished promotions the business takes part in.
        #[arg(long, value_parser = vocab::known(Participation::KNOWN, Participation::as_str))]
        participation: Option<Participation>,
        /// Only promotions of this type.
        #[arg(long, value_parser = vocab::known(MechanicsType::KNOWN, MechanicsType::as_str))]
        mechanics: Option<MechanicsType>,
    },
    /// The offers of a promotion: list them, put them in or take them out, or sync them with
    /// a file.
    #[command(subcommand)]
    Offers(offers::OffersCommand),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    match run(cli, out).await {
        Ok(()) => ExitCode::SUCCESS,
        // The result already said what went wrong (with --json, in its one document).
        Err(error) if error.is::<output::Reported>() => {
            out.note(&format!("error: {error}"));
            ExitCode::from(1)
        }
        Err(error) => {
            out.error(&error);
            let invalid = error
                .downcast_ref::<yandex_promo::Error>()
                .is_some_and(|e| e.violations().is_some())
                || error.is::<offers::BadFile>();
            // Invalid input exits 2, as clap does for bad arguments.
            ExitCode::from(if invalid { 2 } else { 1 })
        }
    }
}

async fn run(cli: Cli, out: Output) -> anyhow::Result<()> {
    let mut endpoints = Endpoints::new(out);
    let connection = &cli.connection;
    match cli.command {
        Command::Orders(command) => {
            let orders = endpoints.go(connection).await?.promocodes().order();
            match command {
                OrdersCommand::Create(args) => {
                    // Chosen here and said before sending, so that a create whose answer is
                    // lost can be repeated without ordering twice.
                    let token = args.idempotency_token.unwrap_or_else(Uuid::new_v4);
                    let order = new_order(*args)?;
                    // Checked here too, so that the token is said only for a create that is sent.
                    order
                        .validate(yandex_promo::Clock::today(&yandex_promo::SystemClock))
                        .map_err(yandex_promo::Error::from)?;
                    out.note(&format!("idempotency token {token}"));
                    let created = match orders.create(order).idempotency_token(token).send().await {
                        Ok(created) => created,
                        Err(error @ yandex_promo::Error::CreateUnconfirmed { .. }) => {
                            out.note(&format!(
                                "the order may exist; repeat exactly this to get it without ordering twice:\n  {}",
                                repeat_command(token)
                            ));
                            return Err(error.into());
                        }
                        Err(error) => return Err(error.into()),
                    };
                    let line = format!(
                        "created order {} (idempotency token {})",
                        created.order_id, created.idempotency_token
                    );
                    out.result(&created, &line)?;
                }
                OrdersCommand::List { limit } => {
                    let all: Vec<_> = orders
                        .list()
                        .page_size(limit)
                        .stream()
                        .try_collect()
                        .await?;
                    out.orders(&all)?;
                }
                OrdersCommand::Get { order_id } => out.order(&orders.get(order_id).await?)?,
                OrdersCommand::Cancel { order_id } => {
                    orders.cancel(order_id.as_str()).await?;
                    let result = serde_json::json!({"order_id": order_id, "status": "cancelled"});
                    out.result(&result, &format!("cancelled order {order_id}"))?;
                }
            }
        }
        Command::Codes(CodesCommand::List { order_id, limit }) => {
            let codes = endpoints.go(connection).await?.promocodes().order().code();
            let all: Vec<_> = codes
                .list(order_id)
                .page_size(limit)
                .stream()
                .try_collect()
                .await?;
            out.codes(&all)?;
        }
        Command::Codes(CodesCommand::Export {
            order_id,
            format,
            output,
        }) => {
            let client = endpoints.go(connection).await?;
            let written = export::codes(out, &client, &order_id, format, &output).await?;
            let result =
                serde_json::json!({"order_id": order_id, "codes": written, "file": output});
            out.result(
                &result,
                &format!("wrote {written} codes to {}", output.display()),
            )?;
        }
        Command::Issue(args) => {
            let client = endpoints.go(connection).await?;
            issue::run(*args, &client, out).await?;
        }
        Command::Zones(command) => {
            let client = endpoints.go(connection).await?;
            zones::run(command, &client, out).await?;
        }
        Command::Clients => {
            let clients = endpoints.go(connection).await?.clients().list().await?;
            out.clients(&clients)?;
        }
        Command::Market(MarketCommand::Promos {
            participation,
            mechanics,
        }) => {
            let mut list = endpoints.market(connection).await?.promos().list();
            if let Some(participation) = participation {
                list = list.participation(participation);
            }
            if let Some(mechanics) = mechanics {
                list = list.mechanics(mechanics);
            }
            out.promos(&list.send().await?)?;
        }
        Command::Market(MarketCommand::Offers(command)) => {
            let market = endpoints.market(connection).await?;
            offers::run(command, &market, out).await?;
        }
        Command::Sandbox { addr, admin, seed } => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            let config = yandex_promo_sandbox::SandboxConfig {
                admin_routes: admin,
                seed,
                ..Default::default()
            };
            let urls = serde_json::json!({
                "go_base_url": format!("http://{addr}/integration/2.0"),
                "market_base_url": format!("http://{addr}"),
            });
            out.result(
                &urls,
                &format!(
                    "sandbox: Go for Business at http://{addr}/integration/2.0, Market at http://{addr}"
                ),
            )?;
            tokio::select! {
                served = yandex_promo_sandbox::serve(listener, config) => served?,
                _ = tokio::signal::ctrl_c() => out.note("sandbox: stopped"),
            }
        }
        Command::Completions { shell } => out.completions(shell, &mut Cli::command())?,
        Command::Demo { output } => demo::run(&mut endpoints, out, &output).await?,
    }
    Ok(())
}

/// This very command line, with `--idempotency-token` set to `token`, quoted for a POSIX
/// shell.
fn repeat_command(token: Uuid) -> String {
    let mut args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--idempotency-token") {
        args.drain(at..(at + 2).min(args.len()));
    }
    args.retain(|a| !a.starts_with("--idempotency-token="));
    args.push("--idempotency-token".to_owned());
    args.push(token.to_string());
    let quote = |arg: &String| {
        let plain = !arg.is_empty()
            && arg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,@".contains(&b));
        if plain {
            arg.clone()
        } else {
            format!("'{}'", arg.replace('\'', "'\\''"))
        }
    };
    args.iter().map(quote).collect::<Vec<_>>().join(" ")
}

/// The order described by the flags or the file.
fn new_order(args: CreateArgs) -> anyhow::Result<NewOrder> {
    if let Some(path) = &args.file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        // The API's own shape; an error names the field that does not fit it.
        let mut json = serde_json::Deserializer::from_str(&text);
        let request: PromocodeOrder = serde_path_to_error::deserialize(&mut json)
            .with_context(|| format!("{} is not a valid order", path.display()))?;
        return Ok(NewOrder::from(request));
    }
    let count = args.count.context("--count is required without --file")?;
    args.order.new_order(count)
}
