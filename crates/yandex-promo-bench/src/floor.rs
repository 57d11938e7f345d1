//! The floor: what a hand-written client costs at least. Raw reqwest with serde_json decoding
//! into the same generated types, with the same timeouts; no validation, retries, tracing or
//! error mapping.
use anyhow::Result;
use uuid::Uuid;
use yandex_promo::raw::go::types::{CodeListResponse, Order, PromocodeOrderCreateResponse};

use crate::server::TOKEN;

#[derive(Debug, Clone)]
pub(crate) struct Floor {
    http: reqwest::Client,
    base: String,
}

impl Floor {
    /// With the same connect and request timeouts as yandex-promo: a client without them is
    /// not one anybody should run, and reqwest's per-request timer is part of the transport,
    /// not of our overhead (without it the floor is about 1.5 µs a call faster).
    pub(crate) fn new(go_base_url: &str) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(yandex_promo::DEFAULT_CONNECT_TIMEOUT)
            .timeout(yandex_promo::DEFAULT_TIMEOUT)
            .build()?;
        Ok(Self {
            http,
            base: format!("{go_base_url}/promocodes/orders"),
        })
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T> {
        let response = self
            .http
            .get(format!("{}/{path}", self.base))
            .query(query)
            .bearer_auth(TOKEN)
            .send()
            .await?
            .error_for_status()?;
        Ok(serde_json::from_slice(&response.bytes().await?)?)
    }

    pub(crate) async fn get_order(&self, order_id: &str) -> Result<Order> {
        self.get_json("info", &[("order_id", order_id)]).await
    }

    pub(crate) async fn codes_page(
        &self,
        order_id: &str,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<CodeListResponse> {
        let limit = limit.to_string();
        let mut query = vec![("order_id", order_id), ("limit", limit.as_str())];
        query.extend(cursor.map(|c| ("cursor", c)));
        self.get_json("codes/list", &query).await
    }

    /// Creates a taxi order of five 100 RUB codes valid until `active_until`.
    pub(crate) async fn create(&self, active_until: &str) -> Result<String> {
        let body = serde_json::json!({
            "value": 100, "count": 5, "active_until": active_until, "max_usages_count": 1,
        });
        let response = self
            .http
            .post(format!("{}/create", self.base))
            .bearer_auth(TOKEN)
            .header("X-Idempotency-Token", Uuid::new_v4().to_string())
            .json(&body)
            .send()
            .await?
            .error_for_status()?;
        let created: PromocodeOrderCreateResponse =
            serde_json::from_slice(&response.bytes().await?)?;
        Ok(created.order_id)
    }
}
