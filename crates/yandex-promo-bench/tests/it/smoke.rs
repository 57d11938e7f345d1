//! The benchmark commands that `docs/benchmarks.md` quotes keep working: each run here is the
//! real binary on a quick scale. The binary checks its own results (every code seen, every
//! memory probe counting every code) and fails otherwise; no timing is asserted here.
use crate::support::bench;

#[test]
fn a_quick_run_reports_every_benchmark() {
    let report = String::from_utf8(bench(&["run", "--quick"]).stdout).expect("UTF-8 report");
    for section in [
        "## Per call: `get order`, one at a time",
        "## Throughput: `get order`, 32 in flight",
        "## Pagination:",
        "## Prefetch:",
        "## Sandbox capacity",
        "## Peak memory of the client process",
        "## Usage report:",
        "## Peak memory of the usage report",
        "## Throughput in fresh processes",
        "| `call.send().await` |",
        "| `call.await` (boxed) |",
    ] {
        assert!(report.contains(section), "no {section:?} in:\n{report}");
    }
    let ratio_rows = report
        .lines()
        .filter(|line| line.starts_with("| median") || line.starts_with("| ratio"))
        .count();
    assert!(ratio_rows >= 3, "ratios are missing:\n{report}");
}

#[test]
fn the_profiling_loop_runs_for_every_client() {
    for client in ["ours", "ours-boxed", "generated", "floor"] {
        bench(&["calls", "--client", client, "--count", "20"]);
    }
    let printed = bench(&["calls", "--client", "ours", "--count", "20", "--print-rate"]).stdout;
    let rate: f64 = String::from_utf8(printed)
        .expect("UTF-8")
        .trim()
        .parse()
        .expect("a rate");
    assert!(rate > 0.0, "{rate}");
}
