//! Single calls: per-call latency of `get order`, throughput at 32 in flight, and the
//! sandbox's own capacity.
use std::{
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{Context as _, Result, bail};
use futures::{StreamExt as _, TryStreamExt as _, stream};
use yandex_promo::go::{GoClient, NewOrder, OrderId};

use crate::{
    Scale,
    floor::Floor,
    server::Sandbox,
    stats::{micros, quantile, ratio},
};

/// Requests in flight for the throughput figures.
const IN_FLIGHT: usize = 32;

/// Which client a measurement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Side {
    /// yandex-promo's `GoClient`, through `Call::send`: the call's future where it is awaited.
    Ours,
    /// The generated client underneath it (`GoClient::raw`): where the wrapper's cost ends.
    Generated,
    /// Raw reqwest + serde_json.
    Floor,
    /// yandex-promo's `GoClient`, awaiting the call itself: its future boxed. Measured in
    /// processes of its own only (`calls --client ours-boxed`): the tables of three clients
    /// index their columns by the three above.
    OursBoxed,
}

/// Ours and the floor, the first going first in even rounds, so drift hits both alike.
pub(crate) fn sides(round: usize) -> [Side; 2] {
    if round.is_multiple_of(2) {
        [Side::Ours, Side::Floor]
    } else {
        [Side::Floor, Side::Ours]
    }
}

/// All three, in an order that rotates each round.
pub(crate) fn three_sides(round: usize) -> [Side; 3] {
    let mut all = [Side::Ours, Side::Generated, Side::Floor];
    all.rotate_left(round % 3);
    all
}

pub(crate) fn active_until() -> chrono::NaiveDate {
    use yandex_promo::Clock as _;
    yandex_promo::SystemClock.today() + chrono::Days::new(30)
}

async fn get_once(side: Side, ours: &GoClient, floor: &Floor, order: &OrderId) -> Result<()> {
    match side {
        Side::Ours => drop(ours.promocodes().order().get(order).send().await?),
        Side::OursBoxed => drop(ours.promocodes().order().get(order).await?),
        Side::Generated => {
            let call = ours.raw().get_promocode_order().order_id(order.as_str());
            drop(call.send().await?);
        }
        Side::Floor => drop(floor.get_order(order.as_str()).await?),
    }
    Ok(())
}

/// The order every `get` reads.
pub(crate) async fn an_order(ours: &GoClient) -> Result<OrderId> {
    let order = NewOrder::new(100, 5, active_until());
    Ok(ours
        .promocodes()
        .order()
        .create(order)
        .send()
        .await?
        .order_id)
}

/// Creates an order, then gets it `count` times through `side`'s client, `in_flight` at a
/// time (1: one after the other); how long the gets took.
pub(crate) async fn repeat(
    sandbox: &Sandbox,
    side: Side,
    count: usize,
    in_flight: usize,
) -> Result<Duration> {
    let ours = sandbox.client()?;
    let floor = Floor::new(&sandbox.go_base_url)?;
    let order = an_order(&ours).await?;
    let started = Instant::now();
    if in_flight <= 1 {
        // A plain loop: a stream of one at a time would add its own cost to every call.
        for _ in 0..count {
            get_once(side, &ours, &floor, &order).await?;
        }
    } else {
        stream::iter(0..count)
            .map(|_| get_once(side, &ours, &floor, &order))
            .buffer_unordered(in_flight)
            .try_for_each(|()| async { Ok(()) })
            .await?;
    }
    Ok(started.elapsed())
}

/// Throughput at [`IN_FLIGHT`], ours against the generated client, each measured in a fresh
/// process of its own (this binary's `calls --print-rate`), the two taking turns: in one
/// process, the rounds of one client inherit the heap and the connection pool the other left.
pub(crate) fn fresh_process_report(scale: Scale) -> Result<()> {
    let mut ratios = [Vec::new(), Vec::new()];
    for pair in 0..scale.process_rounds {
        let mut sides = [Side::Ours, Side::OursBoxed, Side::Generated];
        sides.rotate_left(pair % 3);
        let mut rates = [0.0; 4];
        for side in sides {
            rates[side as usize] = rate_in_a_process(side, scale.process_calls)?;
        }
        let generated = rates[Side::Generated as usize];
        ratios[0].push(rates[Side::Ours as usize] / generated);
        ratios[1].push(rates[Side::OursBoxed as usize] / generated);
    }
    println!("## Throughput in fresh processes: `get order`, {IN_FLIGHT} in flight\n");
    println!(
        "{} rounds of one process per client, taking turns, {} calls each.\n",
        scale.process_rounds, scale.process_calls
    );
    println!("| / generated | median | lowest | highest |\n|---|---|---|---|");
    for (label, mut ratios) in ["`call.send().await`", "`call.await` (boxed)"]
        .into_iter()
        .zip(ratios)
    {
        ratios.sort_by(f64::total_cmp);
        let (Some(low), Some(high)) = (ratios.first(), ratios.last()) else {
            return Ok(());
        };
        let middle = ratios.len() / 2;
        let median = if ratios.len() % 2 == 0 {
            (ratios[middle - 1] + ratios[middle]) / 2.0
        } else {
            ratios[middle]
        };
        println!("| {label} | {median:.3} | {low:.3} | {high:.3} |");
    }
    println!();
    Ok(())
}

/// Requests per second of `count` gets through `side`, in a child process.
fn rate_in_a_process(side: Side, count: usize) -> Result<f64> {
    let side = clap::ValueEnum::to_possible_value(&side)
        .context("every side has a name")?
        .get_name()
        .to_owned();
    let output = Command::new(std::env::current_exe()?)
        .args(["calls", "--client", &side, "--print-rate"])
        .args(["--count", &count.to_string()])
        .args(["--in-flight", &IN_FLIGHT.to_string()])
        .output()?;
    if !output.status.success() {
        bail!(
            "the {side} process failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8(output.stdout)?;
    text.trim()
        .parse()
        .with_context(|| format!("the {side} process printed {text:?}, not a rate"))
}

pub(crate) async fn report(sandbox: &Sandbox, scale: Scale) -> Result<()> {
    let ours = sandbox.client()?;
    let floor = Floor::new(&sandbox.go_base_url)?;
    let order = an_order(&ours).await?;
    let mut latency = [Vec::new(), Vec::new(), Vec::new()];
    let mut per_second = [Vec::new(), Vec::new(), Vec::new()];
    for side in three_sides(0) {
        get_once(side, &ours, &floor, &order).await?; // warm the connection pools
    }
    for round in 0..scale.rounds {
        // The clients take turns call by call, so drift on a busy machine hits all alike.
        for call in 0..scale.calls {
            for side in three_sides(round + call) {
                let started = Instant::now();
                get_once(side, &ours, &floor, &order).await?;
                latency[side as usize].push(started.elapsed());
            }
        }
        for side in three_sides(round) {
            let calls = scale.concurrent_calls;
            let rate = saturated_rate(calls, |_| get_once(side, &ours, &floor, &order)).await?;
            per_second[side as usize].push(rate);
        }
    }
    let [ours_latency, generated_latency, floor_latency] = &latency;
    println!("## Per call: `get order`, one at a time\n");
    println!("| | yandex-promo | generated | floor | ours / floor |\n|---|---|---|---|---|");
    for (label, q) in [("median", 0.5), ("p90", 0.9), ("p99", 0.99)] {
        let [a, g, b] = [ours_latency, generated_latency, floor_latency].map(|s| quantile(s, q));
        println!(
            "| {label} | {} | {} | {} | {} |",
            micros(a),
            micros(g),
            micros(b),
            ratio(a.as_secs_f64(), b.as_secs_f64())
        );
    }
    println!("\n{} calls per client.\n", ours_latency.len());
    let ours_size = size_of_val(&ours.promocodes().order().get(&order).send());
    let generated_size = size_of_val(
        &ours
            .raw()
            .get_promocode_order()
            .order_id(order.as_str())
            .send(),
    );
    let floor_size = size_of_val(&floor.get_order(order.as_str()));
    println!(
        "Memory held by one call in flight (the future's size): yandex-promo {ours_size} bytes \
         (`send()`; awaiting the call boxes the same), generated {generated_size}, floor \
         {floor_size}.\n"
    );
    let [ours_rate, generated_rate, floor_rate] = per_second.map(|rates| median_of(&rates));
    println!("## Throughput: `get order`, {IN_FLIGHT} in flight\n");
    println!("| | yandex-promo | generated | floor | ours / floor |\n|---|---|---|---|---|");
    println!(
        "| requests/s (median of {} rounds of {}) | {ours_rate:.0} | {generated_rate:.0} | {floor_rate:.0} | {} |\n",
        scale.rounds,
        scale.concurrent_calls,
        ratio(ours_rate, floor_rate)
    );
    Ok(())
}

/// Requests per second of `calls` calls of `call`, [`IN_FLIGHT`] at a time.
pub(crate) async fn saturated_rate<T, Fut>(
    calls: usize,
    call: impl FnMut(usize) -> Fut,
) -> Result<f64>
where
    Fut: Future<Output = Result<T>>,
{
    let started = Instant::now();
    stream::iter(0..calls)
        .map(call)
        .buffer_unordered(IN_FLIGHT)
        .try_for_each(|_| async { Ok(()) })
        .await?;
    Ok(calls as f64 / started.elapsed().as_secs_f64())
}

fn median_of(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

/// What the sandbox carries: the floor client at 32 in flight, so the figure is the server's.
pub(crate) async fn capacity(sandbox: &Sandbox, scale: Scale) -> Result<()> {
    let floor = Floor::new(&sandbox.go_base_url)?;
    let until = active_until().to_string();
    let order = floor.create(&until).await?;
    let gets = scale.concurrent_calls * 5;
    let get_rate = saturated_rate(gets, |_| floor.get_order(&order)).await?;
    let creates = scale.concurrent_calls;
    let create_rate = saturated_rate(creates, |_| floor.create(&until)).await?;
    println!("## Sandbox capacity ({IN_FLIGHT} in flight, one server thread)\n");
    println!("| operation | requests/s |\n|---|---|");
    println!("| get order ({gets} calls) | {get_rate:.0} |");
    println!("| create order of 5 codes ({creates} calls) | {create_rate:.0} |\n");
    Ok(())
}
