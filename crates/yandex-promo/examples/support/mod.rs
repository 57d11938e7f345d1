//! What every example shares: the real API when its credentials are in the environment, else
//! an in-process sandbox that lives as long as the returned handle.
use yandex_promo_sandbox::RunningSandbox;

/// `from_env`'s client, or (when it fails for want of credentials) the client `on_sandbox`
/// builds for a fresh sandbox, with that sandbox: keep it alive for the whole run. `base_url`
/// picks the sandbox's address for the API at hand, to tell the user where it runs.
pub async fn real_or_sandbox<C>(
    from_env: yandex_promo::Result<C>,
    missing: &str,
    base_url: fn(&RunningSandbox) -> String,
    on_sandbox: impl FnOnce(&RunningSandbox) -> yandex_promo::Result<C>,
) -> anyhow::Result<(C, Option<RunningSandbox>)> {
    match from_env {
        Ok(client) => Ok((client, None)),
        Err(_) => {
            let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
            eprintln!("no {missing}: using a sandbox at {}", base_url(&sandbox));
            let client = on_sandbox(&sandbox)?;
            Ok((client, Some(sandbox)))
        }
    }
}
