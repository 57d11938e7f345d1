//! `issue`: any number of codes in one crash-safe, resumable run. Re-running the same command
//! continues from its journal; `--cancel` cancels what a journal made.
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use yandex_promo::go::{IssueFormat, IssuePlan, default_journal};

use crate::{
    context::Context,
    format::Format,
    order_args::{ORDER_FLAGS, OrderArgs},
    output::Reported,
};

/// The output formats of `issue`, as `--format` offers them.
const FORMATS: &[(Format, &str)] = &[
    (
        Format::Csv,
        "`order_id,code_id,code,value,active_until` with a header row",
    ),
    (
        Format::Jsonl,
        "One JSON object a line, with the same fields",
    ),
];

/// The plan, the files, and what to do with failed orders.
#[derive(Debug, Args)]
pub struct IssueArgs {
    /// How many codes in all (split into orders of at most 1,000).
    #[arg(long, required_unless_present = "cancel")]
    codes: Option<u32>,
    #[command(flatten)]
    order: OrderArgs,
    /// The file to write the codes to (it appears only once complete).
    #[arg(long, required_unless_present = "cancel")]
    output: Option<PathBuf>,
    /// The journal (default: the output's name plus `.journal`).
    #[arg(long)]
    journal: Option<PathBuf>,
    /// The output format.
    #[arg(long, value_parser = Format::parser(FORMATS), default_value_t = Format::Csv)]
    format: Format,
    /// Make orders the service failed again, with new tokens (default: report them).
    #[arg(long)]
    recreate_failed: bool,
    /// Cancel every order the journal made that can still be cancelled.
    #[arg(long, requires = "journal", conflicts_with_all = ORDER_FLAGS, conflicts_with_all = ["codes", "output"])]
    cancel: bool,
}

/// Runs `issue`, or `issue --cancel`.
pub async fn run(args: IssueArgs, context: &mut Context) -> anyhow::Result<()> {
    let out = context.out;
    let promocodes = context.go().await?.promocodes();
    if args.cancel {
        // clap requires --journal with --cancel, and --codes and --output without it.
        let journal = args.journal.context("--journal")?;
        let summary = promocodes.cancel_issuance(&journal).await?;
        let line = format!(
            "cancelled {} orders; {} could not be cancelled{}",
            summary.cancelled.len(),
            summary.refused.len(),
            summary
                .refused
                .iter()
                .map(|(id, reason)| format!("\n  {id}: {reason}"))
                .collect::<String>()
        );
        out.result(&summary, &line)?;
        for token in &summary.unconfirmed {
            out.note(&format!(
                "a create with idempotency token {token} was sent and never answered: it may have made an order the journal cannot name"
            ));
        }
        if !summary.refused.is_empty() {
            let what = format!("{} orders could not be cancelled", summary.refused.len());
            return Err(Reported(what).into());
        }
        return Ok(());
    }
    let (codes, output) = args
        .codes
        .zip(args.output)
        .context("--codes and --output")?;
    // The template's count is replaced by each order's; 5 is merely a valid one.
    let plan = IssuePlan::new(codes, args.order.new_order(5)?);
    let journal = args.journal.unwrap_or_else(|| default_journal(&output));
    out.note(&format!(
        "journal: {} (run the same command again to continue)",
        journal.display()
    ));
    let progress = out.issue_progress()?;
    let format = match args.format {
        Format::Csv => IssueFormat::Csv,
        Format::Jsonl => IssueFormat::JsonLines,
        // Not among `FORMATS`, so clap refused it already.
        Format::Json => anyhow::bail!("issue writes csv or jsonl"),
    };
    let summary = promocodes
        .issue(plan, &output)
        .journal(&journal)
        .format(format)
        .recreate_failed(args.recreate_failed)
        .on_event(move |event| progress.show(event))
        .run()
        .await?;
    let mut line = format!(
        "issued {} codes in {} orders to {}; they cost {} {} with VAT",
        summary.codes,
        summary.orders.len(),
        summary.output.display(),
        summary.cost_with_vat,
        summary.currency
    );
    for (order_id, status) in &summary.failed {
        line.push_str(&format!(
            "\n  order {order_id} ended as {status} and has no codes"
        ));
    }
    out.result(&summary, &line)
}
