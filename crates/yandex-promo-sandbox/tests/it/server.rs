//! The router on its own, called without a socket.
use axum::body::Body;
use tower::ServiceExt as _;
use yandex_promo_sandbox::SandboxConfig;

#[tokio::test]
async fn the_router_answers_without_a_socket() {
    let (app, handle) = yandex_promo_sandbox::router(SandboxConfig::default());
    let request = axum::http::Request::get("/integration/2.0/promocodes/orders/list?limit=5")
        .header("authorization", "Bearer t")
        .body(Body::empty())
        .expect("request");
    let response = app.oneshot(request).await.expect("answered");
    assert_eq!(response.status(), 200);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    assert_eq!(body.as_ref(), br#"{"orders":[]}"#);
    assert_eq!(handle.requests().len(), 1);
}
