//! The command context: what every command is run with. The connection flags, and where
//! commands send their requests: the real APIs when credentials are given, otherwise an
//! embedded sandbox (announced on stderr), started once and kept alive while they use it.
//! For `report` the embedded sandbox also holds the sandbox's usage demo (three issued orders
//! whose codes were used), so that an offline report has something to show; every other
//! command sees it empty.
use anyhow::Context as _;
use clap::Args;
use yandex_promo::{
    go::{self, GoClient},
    market::{self, MarketAuth, MarketClient, RateLimit},
};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};

use crate::output::Output;

/// Credentials and endpoints; every flag also reads the environment variable the library's
/// `from_env` reads. Values are never printed. Shown under their own heading in `--help`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection (flags or environment)")]
pub struct Connection {
    /// Go for Business OAuth token.
    #[arg(long, env = go::ENV_TOKEN, hide_env_values = true, global = true)]
    go_token: Option<String>,
    /// Corporate client to act for (X-YaTaxi-Selected-Corp-Client-Id).
    #[arg(long, env = go::ENV_CORP_CLIENT_ID, global = true)]
    corp_client_id: Option<String>,
    /// Go for Business base URL, path prefix included.
    #[arg(long, env = go::ENV_BASE_URL, global = true)]
    go_base_url: Option<String>,
    /// Market API key.
    #[arg(long, env = market::ENV_API_KEY, hide_env_values = true, global = true)]
    market_api_key: Option<String>,
    /// Market OAuth token (when no API key is given).
    #[arg(long, env = market::ENV_OAUTH_TOKEN, hide_env_values = true, global = true)]
    market_oauth_token: Option<String>,
    /// Market business (cabinet) id.
    #[arg(long, env = market::ENV_BUSINESS_ID, global = true)]
    business_id: Option<u64>,
    /// Market base URL.
    #[arg(long, env = market::ENV_BASE_URL, global = true)]
    market_base_url: Option<String>,
}

/// The business id used with the embedded sandbox.
const SANDBOX_BUSINESS_ID: u64 = 1;

/// The embedded sandbox's seed: the same commands give the same ids and codes every time.
const SANDBOX_SEED: u64 = 1;

/// A Go client builder for a sandbox (any token is accepted there).
pub fn sandbox_go(sandbox: &RunningSandbox) -> yandex_promo::go::GoClientBuilder {
    GoClient::builder("sandbox").base_url(sandbox.go_base_url())
}

/// A Market client builder for a sandbox (any key is accepted there).
pub fn sandbox_market(sandbox: &RunningSandbox) -> yandex_promo::market::MarketClientBuilder {
    MarketClient::builder(MarketAuth::api_key("sandbox"), SANDBOX_BUSINESS_ID)
        .base_url(sandbox.market_base_url())
}

/// What a command runs with: the output channel, the connection flags, and the embedded
/// sandbox once one is started (kept alive while commands use it).
#[derive(Debug)]
pub struct Context {
    /// Where the command prints.
    pub out: Output,
    connection: Connection,
    sandbox: Option<RunningSandbox>,
    usage_demo: bool,
}

impl Context {
    /// No sandbox yet; notes about it go to `out`.
    pub fn new(out: Output, connection: Connection) -> Self {
        Self {
            out,
            connection,
            sandbox: None,
            usage_demo: false,
        }
    }

    /// Seeds the embedded sandbox, when one is started, with the usage demo: three issued
    /// orders whose codes were used over the last fortnight (`SandboxConfig::usage_demo`).
    pub fn with_usage_demo(&mut self) {
        self.usage_demo = true;
    }

    /// The embedded sandbox, started on first use.
    pub async fn sandbox(&mut self) -> anyhow::Result<&RunningSandbox> {
        if self.sandbox.is_none() {
            let config = SandboxConfig {
                seed: Some(SANDBOX_SEED),
                usage_demo: self.usage_demo,
                ..SandboxConfig::default()
            };
            let sandbox = yandex_promo_sandbox::start(config)
                .await
                .context("cannot start the embedded sandbox")?;
            self.sandbox = Some(sandbox);
        }
        self.sandbox.as_ref().context("the sandbox is running")
    }

    /// The embedded sandbox, after saying on stderr that it stands in for `missing`
    /// credentials and where it serves the API at hand.
    async fn sandbox_instead_of(
        &mut self,
        missing: &str,
        base_url: fn(&RunningSandbox) -> String,
    ) -> anyhow::Result<&RunningSandbox> {
        let out = self.out;
        let seeded = if self.usage_demo {
            " (seeded with three orders whose codes were used)"
        } else {
            ""
        };
        let sandbox = self.sandbox().await?;
        out.note(&format!(
            "note: no {missing} given; using an embedded sandbox at {}{seeded}",
            base_url(sandbox)
        ));
        Ok(sandbox)
    }

    /// A Go client: the real API with a token, else the embedded sandbox.
    pub async fn go(&mut self) -> anyhow::Result<GoClient> {
        let corp_client_id = self.connection.corp_client_id.clone();
        let connection = &self.connection;
        let mut builder = match &connection.go_token {
            Some(token) => {
                let builder = GoClient::builder(token.clone());
                match &connection.go_base_url {
                    Some(url) => builder.base_url(url.clone()),
                    None => builder,
                }
            }
            None => sandbox_go(
                self.sandbox_instead_of("Go for Business token", RunningSandbox::go_base_url)
                    .await?,
            ),
        };
        if let Some(id) = corp_client_id {
            builder = builder.corp_client_id(id);
        }
        Ok(builder.build()?)
    }

    /// A Market client: the real API with a key or token and a business id, else the
    /// embedded sandbox.
    pub async fn market(&mut self) -> anyhow::Result<MarketClient> {
        let connection = &self.connection;
        let auth = match (&connection.market_api_key, &connection.market_oauth_token) {
            (Some(key), _) => Some(MarketAuth::api_key(key.clone())),
            (None, Some(token)) => Some(MarketAuth::oauth(token.clone())),
            (None, None) => None,
        };
        let builder = match auth {
            Some(auth) => {
                let business_id = connection.business_id.with_context(|| {
                    format!(
                        "--business-id (or {}) is required with Market credentials",
                        market::ENV_BUSINESS_ID
                    )
                })?;
                let builder = MarketClient::builder(auth, business_id);
                match &connection.market_base_url {
                    Some(url) => builder.base_url(url.clone()),
                    None => builder,
                }
            }
            None => sandbox_market(
                self.sandbox_instead_of("Market credentials", RunningSandbox::market_base_url)
                    .await?,
            ),
        };
        Ok(builder
            .rate_limit(RateLimit::get_promos())
            .offers_rate_limit(RateLimit::promo_offers())
            .build()?)
    }
}
