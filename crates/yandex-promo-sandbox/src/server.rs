//! Building the router (both wings' routes, the test controls, the middleware) and running
//! it on a socket.
use std::{io, net::SocketAddr};

use axum::{Router, middleware};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

use crate::{
    admin, config::SandboxConfig, envelope::Api, go, handle::SandboxHandle, market,
    middleware::faults_and_log, state::Shared,
};

/// The sandbox as an `axum::Router`, and the handle that controls it. Tests may call the
/// router directly (with `tower::ServiceExt::oneshot`) without opening a socket.
pub fn router(config: SandboxConfig) -> (Router, SandboxHandle) {
    let shared = Shared::new(config);
    let mut routes = go::routes().merge(market::routes());
    if shared.config.admin_routes {
        routes = routes.merge(admin::routes());
    }
    let app = routes
        .fallback(|uri: axum::http::Uri| async move {
            Api::of_path(uri.path()).error(
                axum::http::StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "no such route",
            )
        })
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults_and_log,
        ))
        .with_state(shared.clone());
    let handle = SandboxHandle { shared };
    if handle.shared.config.usage_demo {
        handle.seed_usage_demo();
    }
    (app, handle)
}

/// Serves a sandbox on `listener` until the process ends (what `yandex-promo sandbox` runs).
///
/// # Errors
/// When the listener fails.
pub async fn serve(listener: TcpListener, config: SandboxConfig) -> io::Result<()> {
    let (app, _) = router(config);
    axum::serve(listener, app).await
}

/// Starts a sandbox on `127.0.0.1` at a free port.
///
/// # Errors
/// When no port can be bound.
pub async fn start(config: SandboxConfig) -> io::Result<RunningSandbox> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let (app, handle) = router(config);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        if let Err(error) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::error!(%error, "the sandbox stopped");
        }
    });
    Ok(RunningSandbox {
        addr,
        handle,
        stop: Some(stop),
        task,
    })
}

/// A sandbox serving on loopback. Dropping it stops it too.
#[derive(Debug)]
pub struct RunningSandbox {
    addr: SocketAddr,
    handle: SandboxHandle,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningSandbox {
    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The Go for Business base URL, e.g. `http://127.0.0.1:41234/integration/2.0`.
    pub fn go_base_url(&self) -> String {
        format!("http://{}/integration/2.0", self.addr)
    }

    /// The Market base URL, e.g. `http://127.0.0.1:41234`.
    pub fn market_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The test controls.
    pub fn handle(&self) -> &SandboxHandle {
        &self.handle
    }

    /// Stops serving and waits until the server has finished.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
