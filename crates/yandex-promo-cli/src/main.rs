//! `yandex-promo`: operate Go for Business promo codes and list Market promos from the shell.
//! Without credentials every command runs against an embedded sandbox.
mod connect;
mod demo;
mod export;
mod output;

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use anyhow::Context as _;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use futures::TryStreamExt as _;
use uuid::Uuid;
use yandex_promo::{
    go::NewOrder,
    market::{MechanicsType, Participation},
    raw::open::{Service, TariffClass},
};

use connect::{Connection, Endpoints};
use output::Output;

/// Operate Yandex Go for Business promo codes and list Yandex Market promos.
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
    Create(CreateArgs),
    /// List orders.
    List {
        /// Orders per request.
        #[arg(long, default_value_t = 100)]
        page_size: u32,
    },
    /// Show one order.
    Get { order_id: String },
    /// Cancel an order (allowed while none of its codes was used).
    Cancel { order_id: String },
}

#[derive(Debug, clap::Args)]
struct CreateArgs {
    /// Read the order from this JSON file (the API's create body).
    #[arg(long, conflicts_with_all = ["value", "count", "until"])]
    file: Option<PathBuf>,
    /// Value of one code.
    #[arg(long, required_unless_present = "file")]
    value: Option<i64>,
    /// Number of codes.
    #[arg(long, required_unless_present = "file")]
    count: Option<i64>,
    /// Last day the codes can be used (YYYY-MM-DD).
    #[arg(long, required_unless_present = "file")]
    until: Option<NaiveDate>,
    /// First day the codes can be used (YYYY-MM-DD).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// taxi, grocery, eats, fuel or cargo.
    #[arg(long, default_value = "taxi")]
    service: String,
    /// Order name.
    #[arg(long)]
    name: Option<String>,
    /// Rides per code.
    #[arg(long)]
    max_usages: Option<i64>,
    /// Taxi tariff classes, comma-separated (econom,business,...).
    #[arg(long, value_delimiter = ',')]
    classes: Vec<String>,
    /// Reuse the idempotency token of an earlier attempt (default: a new one).
    #[arg(long)]
    idempotency_token: Option<Uuid>,
}

#[derive(Debug, Subcommand)]
enum CodesCommand {
    /// List the codes of an order.
    List {
        order_id: String,
        /// Codes per request.
        #[arg(long, default_value_t = 100)]
        page_size: u32,
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
        #[arg(long, value_enum)]
        participation: Option<ParticipationArg>,
        /// Only promotions of this type.
        #[arg(long, value_enum)]
        mechanics: Option<MechanicsArg>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ParticipationArg {
    ParticipatingNow,
    Participated,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MechanicsArg {
    DirectDiscount,
    BlueFlash,
    MarketPromocode,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            let invalid = error
                .downcast_ref::<yandex_promo::Error>()
                .is_some_and(|e| e.violations().is_some());
            // Invalid input exits 2, as clap does for bad arguments.
            ExitCode::from(if invalid { 2 } else { 1 })
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let out = Output { json: cli.json };
    let mut endpoints = Endpoints::default();
    let connection = &cli.connection;
    match cli.command {
        Command::Orders(command) => {
            let orders = endpoints.go(connection).await?.promocodes().order();
            match command {
                OrdersCommand::Create(args) => {
                    let token = args.idempotency_token;
                    let mut create = orders.create(new_order(args)?);
                    if let Some(token) = token {
                        create = create.idempotency_token(token);
                    }
                    let created = create.send().await?;
                    let line = format!(
                        "created order {} (idempotency token {})",
                        created.order_id, created.idempotency_token
                    );
                    out.result(&created, &line)?;
                }
                OrdersCommand::List { page_size } => {
                    let all: Vec<_> = orders
                        .list()
                        .page_size(page_size)
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
        Command::Codes(CodesCommand::List {
            order_id,
            page_size,
        }) => {
            let codes = endpoints.go(connection).await?.promocodes().order().code();
            let all: Vec<_> = codes
                .list(order_id)
                .page_size(page_size)
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
            let written = export::codes(&client, &order_id, format, &output).await?;
            let result =
                serde_json::json!({"order_id": order_id, "codes": written, "file": output});
            out.result(
                &result,
                &format!("wrote {written} codes to {}", output.display()),
            )?;
        }
        Command::Market(MarketCommand::Promos {
            participation,
            mechanics,
        }) => {
            let mut list = endpoints.market(connection).await?.promos().list();
            if let Some(participation) = participation {
                list = list.participation(match participation {
                    ParticipationArg::ParticipatingNow => Participation::ParticipatingNow,
                    ParticipationArg::Participated => Participation::Participated,
                });
            }
            if let Some(mechanics) = mechanics {
                list = list.mechanics(match mechanics {
                    MechanicsArg::DirectDiscount => MechanicsType::DirectDiscount,
                    MechanicsArg::BlueFlash => MechanicsType::BlueFlash,
                    MechanicsArg::MarketPromocode => MechanicsType::MarketPromocode,
                });
            }
            out.promos(&list.send().await?)?;
        }
        Command::Sandbox { addr, admin } => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            let config = yandex_promo_sandbox::SandboxConfig {
                admin_routes: admin,
                ..Default::default()
            };
            eprintln!(
                "sandbox: Go for Business at http://{addr}/integration/2.0, Market at http://{addr}"
            );
            tokio::select! {
                served = yandex_promo_sandbox::serve(listener, config) => served?,
                _ = tokio::signal::ctrl_c() => eprintln!("sandbox: stopped"),
            }
        }
        Command::Demo { output } => demo::run(&mut endpoints, out, &output).await?,
    }
    Ok(())
}

/// The order described by the flags or the file.
fn new_order(args: CreateArgs) -> anyhow::Result<NewOrder> {
    if let Some(path) = &args.file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid order", path.display()));
    }
    let (Some(value), Some(count), Some(until)) = (args.value, args.count, args.until) else {
        anyhow::bail!("--value, --count and --until are required without --file");
    };
    let mut order = NewOrder::new(value, count, until)
        .service(Service::from(args.service.as_str()))
        .classes(args.classes.iter().map(|c| TariffClass::from(c.as_str())));
    if let Some(name) = args.name {
        order = order.name(name);
    }
    if let Some(uses) = args.max_usages {
        order = order.max_usages_count(uses);
    }
    if let Some(from) = args.from {
        order = order.active_from(from);
    }
    Ok(order)
}
