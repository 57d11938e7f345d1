//! A real HTTP server on loopback (wiremock) that records what it received, and the ways
//! tests read it back: the one request sent, a count, or a snapshot with credentials masked.
use std::fmt::Write as _;

use reqwest::header::HeaderMap;
use serde_json::Value;
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};

/// The OAuth token tests authenticate with; never to be printed.
pub const TOKEN: &str = "y0_AgAAAAsecret-oauth-token";
/// The Market API key tests authenticate with; never to be printed.
pub const API_KEY: &str = "ACMA:secret-api-key";
/// The corporate client tests act for.
pub const CORP_CLIENT: &str = "corp-42";

/// Starts a server that answers every request with `status` and `body`, labelled JSON
/// (whether it is or not: tests of hostile answers send anything).
pub async fn serve(status: u16, body: impl Into<Vec<u8>>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.into(), "application/json"))
        .mount(&server)
        .await;
    server
}

/// What one request looked like on the wire.
#[derive(Debug)]
pub struct Sent {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query pairs, in the order sent.
    pub query: Vec<(String, String)>,
    /// Every header.
    pub headers: HeaderMap,
    /// The body as JSON, when there was one.
    pub body: Option<Value>,
}

impl Sent {
    /// A header's value.
    ///
    /// # Panics
    /// When the value is not ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header"))
    }
}

/// The one request `server` received.
///
/// # Panics
/// When it received none or several, or a body that is not JSON.
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
///
/// # Panics
/// When the server does not record requests.
pub async fn requests_sent(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}

/// Every request `server` received, as text for a snapshot: method, path, sorted query,
/// headers except the transport's own (host, content-length...), body as pretty JSON.
/// Credentials are masked, and the user agent's version too, so the snapshot proves they were sent without containing them.
///
/// # Panics
/// When the server does not record requests, or a body is not JSON.
pub async fn requests_snapshot(server: &MockServer) -> String {
    let requests = server.received_requests().await.expect("recording is on");
    requests.iter().map(describe).collect::<Vec<_>>().join("\n")
}

fn describe(request: &Request) -> String {
    let mut out = format!("{} {}\n", request.method, request.url.path());
    let mut query: Vec<_> = request.url.query_pairs().collect();
    query.sort();
    for (key, value) in query {
        let _ = writeln!(out, "  ?{key}={value}");
    }
    let mut headers: Vec<_> = request
        .headers
        .iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "host" | "content-length" | "accept-encoding" | "connection"
            )
        })
        .map(|(name, value)| {
            let value = value.to_str().expect("ASCII header");
            let shown = match name.as_str() {
                "authorization" => mask(value, &format!("Bearer {TOKEN}"), "Bearer <token>"),
                "api-key" => mask(value, API_KEY, "<api key>"),
                // The product stays, its version does not: a release must not change
                // every snapshot.
                "user-agent" => match value.split_once('/') {
                    Some((product, _)) => format!("{product}/<version>"),
                    None => value.to_owned(),
                },
                _ => value.to_owned(),
            };
            format!("  {name}: {shown}")
        })
        .collect();
    headers.sort();
    out.push_str(&headers.join("\n"));
    if !request.body.is_empty() {
        let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
        let _ = write!(
            out,
            "\n  body: {}",
            serde_json::to_string_pretty(&body)
                .expect("JSON")
                .replace('\n', "\n  ")
        );
    }
    out
}

/// Replaces the expected secret with a placeholder, and anything else with a marker that
/// fails the snapshot without printing the value.
fn mask(value: &str, secret: &str, placeholder: &str) -> String {
    if value == secret {
        placeholder.to_owned()
    } else {
        "<unexpected credential>".to_owned()
    }
}

/// Fails when `text` contains a secret, or a distinctive part of one, without printing it.
///
/// # Panics
/// When a secret leaked into `text`.
pub fn assert_no_secret(text: &str) {
    for secret in [TOKEN, API_KEY, "secret-oauth-token", "secret-api-key"] {
        assert!(
            !text.contains(secret),
            "a secret leaked into the text under test"
        );
    }
}
