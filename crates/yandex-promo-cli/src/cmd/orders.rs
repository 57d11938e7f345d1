//! `orders`: create an order (from flags or from a file in the API's shape), list orders,
//! show one, cancel one. A create says its idempotency token before sending, and when its
//! answer is lost, the exact command that repeats it without ordering twice.
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use futures::TryStreamExt as _;
use uuid::Uuid;
use yandex_promo::{go::NewOrder, raw::go::types::PromocodeOrder};

use crate::{context::Context, order_args};

#[derive(Debug, Subcommand)]
pub enum OrdersCommand {
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
#[derive(Debug, Args)]
pub struct CreateArgs {
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

/// Runs one `orders` command.
pub async fn run(command: OrdersCommand, context: &mut Context) -> anyhow::Result<()> {
    let out = context.out;
    let orders = context.go().await?.promocodes().order();
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
            out.result(&created, &line)
        }
        OrdersCommand::List { limit } => {
            let all: Vec<_> = orders
                .list()
                .page_size(limit)
                .stream()
                .try_collect()
                .await?;
            out.orders(&all)
        }
        OrdersCommand::Get { order_id } => out.order(&orders.get(order_id).await?),
        OrdersCommand::Cancel { order_id } => {
            orders.cancel(order_id.as_str()).await?;
            let result = serde_json::json!({"order_id": order_id, "status": "cancelled"});
            out.result(&result, &format!("cancelled order {order_id}"))
        }
    }
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
