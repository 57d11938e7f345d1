//! A real HTTP server on loopback (wiremock) that answers every request with one canned
//! response and records what it received, so tests assert the exact request sent.
use reqwest::header::HeaderMap;
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};
use yandex_promo_raw::RequestHeaders;

pub const TOKEN: &str = "y0_test-oauth-token";
pub const API_KEY: &str = "ACMA:test-api-key";

/// Starts a server that answers every request with `status` and `body`.
pub async fn serve(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

/// Headers that authenticate with the Go for Business OAuth token.
pub fn bearer() -> RequestHeaders {
    RequestHeaders::new()
        .with_bearer(TOKEN)
        .expect("valid token")
}

/// Headers that authenticate with the Market API key.
pub fn api_key() -> RequestHeaders {
    RequestHeaders::new()
        .with_api_key(API_KEY)
        .expect("valid key")
}

/// What one request looked like on the wire.
#[derive(Debug)]
pub struct Sent {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Option<Value>,
}

impl Sent {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header"))
    }
}

/// The one request `server` received; fails if it received none or several.
pub async fn the_only_request(server: &MockServer) -> Sent {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request: {requests:#?}"
    );
    let request = requests.remove(0);
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        headers.append(name.clone(), value.clone());
    }
    let body = (!request.body.is_empty())
        .then(|| serde_json::from_slice(&request.body).expect("the body is JSON"));
    Sent {
        method: request.method.to_string(),
        path: request.url.path().to_owned(),
        query: request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        headers,
        body,
    }
}

/// Query pairs from string literals.
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// How many requests `server` has received.
pub async fn requests_sent(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}
