//! The sandbox every benchmark talks to, on its own thread and runtime so that the client's
//! runtime measures the client.
use std::{sync::mpsc, thread};

use anyhow::{Context as _, Result};
use yandex_promo::{
    RetryPolicy,
    go::GoClient,
    market::{MarketAuth, MarketClient},
};
use yandex_promo_sandbox::{SandboxConfig, SandboxHandle};

/// A sandbox running on a background thread for the life of the process.
#[derive(Debug)]
pub(crate) struct Sandbox {
    pub(crate) go_base_url: String,
    pub(crate) market_base_url: String,
    pub(crate) handle: SandboxHandle,
}

/// The token every benchmark sends; the sandbox accepts any.
pub(crate) const TOKEN: &str = "bench-token";

impl Sandbox {
    pub(crate) fn start() -> Result<Self> {
        let config = SandboxConfig {
            max_orders: 1_000_000,
            max_codes: 10_000_000,
            // Every round lists 200 pages; the documented hourly budget would stop the run.
            market_offers_budget: u32::MAX,
            ready_after: std::time::Duration::ZERO,
            ..SandboxConfig::default()
        };
        let (started, receive) = mpsc::channel();
        thread::Builder::new()
            .name("sandbox".into())
            .spawn(move || -> Result<()> {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async {
                    let sandbox = yandex_promo_sandbox::start(config).await?;
                    let ready = (
                        sandbox.go_base_url(),
                        sandbox.market_base_url(),
                        sandbox.handle().clone(),
                    );
                    if started.send(ready).is_ok() {
                        // Serve until the process ends.
                        std::future::pending::<()>().await;
                    }
                    Ok(())
                })
            })?;
        let (go_base_url, market_base_url, handle) =
            receive.recv().context("the sandbox did not start")?;
        Ok(Self {
            go_base_url,
            market_base_url,
            handle,
        })
    }

    /// yandex-promo as a user builds it, with retries on (nothing here fails).
    pub(crate) fn client(&self) -> Result<GoClient> {
        Ok(GoClient::builder(TOKEN)
            .base_url(&self.go_base_url)
            .retry(RetryPolicy::standard())
            .build()?)
    }

    /// A Market client as a user builds it, with retries on.
    pub(crate) fn market(&self) -> Result<MarketClient> {
        Ok(MarketClient::builder(MarketAuth::api_key("bench-key"), 1)
            .base_url(&self.market_base_url)
            .retry(RetryPolicy::standard())
            .build()?)
    }
}
