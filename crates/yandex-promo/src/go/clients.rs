//! The corporate clients of a token (`auth/list`): which ids
//! [`super::GoClientBuilder::corp_client_id`] may name.
use super::GoClient;
use crate::{
    Result,
    call::Overrides,
    request::{Call, Request, send_one},
};
use yandex_promo_raw::go::operations;

/// A corporate client the token gives access to: its id (what
/// `X-YaTaxi-Selected-Corp-Client-Id` takes), name and role.
pub use yandex_promo_raw::go::types::CorpClient;

/// The corporate clients of the token (the vendor SDK's `ClientManager`).
#[derive(Debug, Clone)]
pub struct CorpClientManager {
    client: GoClient,
}

impl CorpClientManager {
    pub(super) fn new(client: GoClient) -> Self {
        Self { client }
    }

    /// Every corporate client the token may act for. A read, retried like the others.
    ///
    /// # Errors
    /// The [`crate::Error`]s of a call.
    ///
    /// ```no_run
    /// # async fn demo(client: yandex_promo::go::GoClient) -> yandex_promo::Result<()> {
    /// let clients = client.corp_clients().list().await?;
    /// if let [only] = clients.as_slice() {
    ///     println!("the token acts for {}", only.client_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListCorpClients> {
        Call::new(ListCorpClients {
            client: self.client.clone(),
        })
    }
}

/// The request of [`CorpClientManager::list`]; awaited, a `Result<Vec<CorpClient>>`.
#[derive(Debug, Clone)]
pub struct ListCorpClients {
    client: GoClient,
}

impl Request for ListCorpClients {
    type Output = Result<Vec<CorpClient>>;

    fn send(
        self,
        overrides: Overrides,
    ) -> impl Future<Output = Result<Vec<CorpClient>>> + Send + 'static {
        let operation = &operations::LIST_CLIENTS;
        send_one(
            self.client,
            GoClient::context,
            operation,
            overrides,
            |client| {
                let client = client.clone();
                async move {
                    Ok(client
                        .raw()
                        .list_clients()
                        .send()
                        .await?
                        .into_inner()
                        .clients)
                }
            },
        )
    }
}

/// The old name of [`CorpClientManager`].
///
/// ```no_run
/// # #![allow(deprecated)]
/// async fn count(clients: yandex_promo::go::ClientManager) -> yandex_promo::Result<usize> {
///     Ok(clients.list().await?.len())
/// }
/// ```
#[deprecated(since = "0.2.0", note = "renamed to `CorpClientManager`")]
pub type ClientManager = CorpClientManager;
