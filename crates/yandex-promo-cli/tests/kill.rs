//! The kill test: `yandex-promo issue` as a separate process against a separate sandbox
//! process that misbehaves on purpose (answers dropped after committed creates, 503s, slow
//! requests), killed with SIGKILL at seeded random moments, during the creates and during the
//! export, then run again until it finishes. Afterwards the sandbox must hold exactly the
//! planned orders (none twice) and the output exactly the planned codes (each once).
//! Bounded: a few seeds, a fixed number of kills each, a deadline per run.
use std::{
    collections::{BTreeMap, BTreeSet},
    net::TcpListener,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use support::{binary, until};

// The helpers the CLI tests share; this test uses only some of them.
#[allow(dead_code, unused_imports, unused_macros)]
#[path = "it/support.rs"]
mod support;

/// Codes per run: five orders of 1,000, 50 code pages.
const CODES: u32 = 5_000;
/// Orders the plan makes.
const ORDERS: usize = 5;
/// Kills per seed, before the run that may finish.
const KILLS: usize = 7;

/// A sandbox process with the test controls, on a free port.
struct Sandbox {
    child: Child,
    base: String,
}

impl Sandbox {
    fn start(seed: u64) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(binary())
            .args(["sandbox", "--admin", "--addr", &format!("127.0.0.1:{port}")])
            .args(["--seed", &seed.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sandbox starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the sandbox did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, base }
    }

    /// Sends a request to the sandbox and returns its JSON answer (`null` for none). The
    /// test is synchronous, so each request runs on a throwaway runtime.
    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let client = reqwest::Client::new();
            let mut request = match method {
                "POST" => client.post(url),
                _ => client.get(url),
            }
            .bearer_auth("kill-test");
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.expect("the sandbox answers");
            let text = response.text().await.expect("a body");
            serde_json::from_str(&text).unwrap_or(Value::Null)
        })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the journal says so far: (tokens written, orders created, pages written, complete).
fn journal_phase(journal: &Path) -> (usize, usize, usize, bool) {
    let text = std::fs::read_to_string(journal).unwrap_or_default();
    let count = |event: &str| text.matches(&format!("\"event\":\"{event}\"")).count();
    (
        count("token"),
        count("created"),
        count("written"),
        count("complete") > 0,
    )
}

fn issue(sandbox: &Sandbox, dir: &Path) -> Child {
    let until = until(30);
    Command::new(binary())
        .current_dir(dir)
        .env("YANDEX_GO_TOKEN", "kill-test")
        .env(
            "YANDEX_GO_BASE_URL",
            format!("{}/integration/2.0", sandbox.base),
        )
        .args(["issue", "--codes", &CODES.to_string(), "--value", "500"])
        .args(["--active-until", &until, "--output", "codes.csv"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("issue starts")
}

/// One seed: kills at seeded moments, then runs to the end; returns the phases the kills
/// landed in.
fn survive_kills(seed: u64) -> Vec<&'static str> {
    let sandbox = Sandbox::start(seed);
    sandbox.request(
        "POST",
        "/__sandbox/faults",
        Some(json!({
            "latency_ms": 40,
            "failure_rate": 0.05,
            "random_failures": ["status503"],
            "drop_after_create_rate": 0.3,
            "seed": seed,
        })),
    );
    let dir = tempfile::tempdir().expect("a temp dir");
    let journal = dir.path().join("codes.csv.journal");
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut phases = Vec::new();
    for _ in 0..KILLS {
        let mut child = issue(&sandbox, dir.path());
        std::thread::sleep(Duration::from_millis(rng.u64(30..450)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let (tokens, created, written, complete) = journal_phase(&journal);
        phases.push(match (tokens, created, written, complete) {
            (_, _, _, true) => "after completion",
            (0, ..) => "before the first create",
            (t, c, 0, _) if c < t || c < ORDERS => "during the creates",
            (_, _, 0, _) => "while waiting for issue",
            _ => "during the export",
        });
    }
    let landed = phases.iter().filter(|p| **p != "after completion").count();
    assert!(
        landed >= 5,
        "seed {seed}: at least 5 kills before it finished: {phases:?}"
    );
    // Now let it finish; it may still meet faults, so it may take more than one run. Each
    // run, and all of them, are bounded.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut child = issue(&sandbox, dir.path());
        let run_deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().expect("a status") {
                break status;
            }
            if Instant::now() > run_deadline {
                child.kill().expect("SIGKILL");
                panic!("seed {seed}: a run took over 60 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if status.success() {
            break;
        }
        assert!(Instant::now() < deadline, "seed {seed}: never finished");
    }

    // The checks below read the sandbox without its faults.
    sandbox.request("POST", "/__sandbox/faults", Some(json!({})));
    // The sandbox holds exactly the planned orders, each made once.
    let listed = sandbox.request(
        "GET",
        "/integration/2.0/promocodes/orders/list?limit=100",
        None,
    );
    let orders: Vec<&Value> = listed["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .collect();
    let counts: Vec<i64> = orders
        .iter()
        .map(|o| o["count"].as_i64().expect("count"))
        .collect();
    assert_eq!(
        counts.iter().sum::<i64>(),
        i64::from(CODES),
        "seed {seed}: {counts:?}"
    );
    assert_eq!(
        orders.len(),
        ORDERS,
        "seed {seed}: the planned orders, none twice"
    );

    // The output holds exactly their codes, each once.
    let csv = std::fs::read_to_string(dir.path().join("codes.csv")).expect("the output");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("order_id,code_id,code,value,active_until")
    );
    let written: Vec<&str> = lines
        .map(|l| l.split(',').nth(2).expect("a code"))
        .collect();
    let unique: BTreeSet<&str> = written.iter().copied().collect();
    assert_eq!(
        written.len(),
        unique.len(),
        "seed {seed}: a code written twice"
    );
    let mut issued = BTreeSet::new();
    for order in &orders {
        let id = order["order_id"].as_str().expect("id");
        let page = sandbox.request(
            "GET",
            &format!("/integration/2.0/promocodes/orders/codes/list?order_id={id}&limit=1000"),
            None,
        );
        for code in page["codes"].as_array().expect("codes") {
            issued.insert(code["code"].as_str().expect("code").to_owned());
        }
    }
    let written: BTreeSet<String> = unique.into_iter().map(str::to_owned).collect();
    assert_eq!(
        written, issued,
        "seed {seed}: the output is exactly the issued codes"
    );
    assert!(!dir.path().join("codes.csv.partial").exists());
    phases
}

#[test]
fn issuance_survives_sigkill_at_random_moments() {
    let mut phases: BTreeMap<&str, usize> = BTreeMap::new();
    for seed in [1, 2, 3] {
        for phase in survive_kills(seed) {
            *phases.entry(phase).or_default() += 1;
        }
    }
    eprintln!("kills by phase: {phases:?}");
    assert_eq!(phases.values().sum::<usize>(), 3 * KILLS);
    assert!(phases.contains_key("during the creates"), "{phases:?}");
    assert!(phases.contains_key("during the export"), "{phases:?}");
}
