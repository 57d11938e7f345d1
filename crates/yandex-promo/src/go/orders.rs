//! Promo code orders: the SDK's `PromocodeOrderManager`.
use futures::FutureExt as _;
use uuid::Uuid;
use yandex_promo_raw::go::operations;

use super::{CodeManager, GoClient, NewOrder, Order, OrderId};
use crate::{
    Error, Result,
    call::{Begin, Overrides, Recovery, send_observed},
    pagination::{Listing, fetch_pages},
    request::{Call, Request, send_one},
    retry::may_have_landed,
};

/// Promo code orders: list, get, create, cancel; and, through [`OrderManager::code`], the
/// codes of an order.
#[derive(Debug, Clone)]
pub struct OrderManager {
    client: GoClient,
}

/// A created order: its id, and the idempotency token that created it. Store the token with
/// the order if you may need to repeat the create (after a crash, say): the same token never
/// creates a second order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct CreatedOrder {
    /// The new order's id.
    pub order_id: OrderId,
    /// The `X-Idempotency-Token` sent on every attempt.
    pub idempotency_token: Uuid,
}

/// The old name of [`CreatedOrder`].
///
/// ```no_run
/// # #![allow(deprecated)]
/// fn order_id(created: &yandex_promo::go::Created) -> &str {
///     created.order_id.as_str()
/// }
/// ```
#[deprecated(since = "0.2.0", note = "renamed to `CreatedOrder`")]
pub type Created = CreatedOrder;

impl OrderManager {
    pub(super) fn new(client: GoClient) -> Self {
        Self { client }
    }

    /// The codes of orders: the SDK's `CodeManager`.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// let page = orders.code().list("017...5dd").page_size(50).send().await?;
    /// for code in page.items {
    ///     println!("{} {}", code.code, code.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn code(&self) -> CodeManager {
        CodeManager::new(self.client.clone())
    }

    /// Lists orders: one page with `send`, or every order as a stream.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let mut all = orders.list().stream();
    /// while let Some(order) = all.try_next().await? {
    ///     println!("{} {}", order.id, order.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListOrders {
        Listing::new(fetch_pages(
            self.client.clone(),
            GoClient::context,
            &operations::LIST_PROMOCODE_ORDERS,
            |client, limit, cursor| {
                let mut call = client.raw().list_promocode_orders().limit(limit);
                if let Some(cursor) = cursor {
                    call = call.cursor(cursor.as_str());
                }
                call.send().boxed()
            },
            |page, _| {
                (
                    page.orders.into_iter().map(Order::from).collect(),
                    page.next_cursor,
                )
            },
        ))
    }

    /// One order.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// let order = orders.get("017...5dd").await?;
    /// println!("{}: {} codes until {}", order.status, order.count, order.active_until);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Api`] with status 404 for an unknown order; the other [`Error`]s of a call.
    pub fn get(&self, order_id: impl Into<OrderId>) -> Call<GetOrder> {
        Call::new(GetOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
        })
    }

    /// Orders a new series of codes; send with [`CreateOrder::send`].
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = yandex_promo::go::NewOrder::new(500, 20, until);
    /// let created = orders.create(order).send().await?;
    /// println!("order {}", created.order_id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, order: NewOrder) -> CreateOrder {
        CreateOrder {
            client: self.client.clone(),
            order,
            idempotency_token: None,
            overrides: Overrides::default(),
        }
    }

    /// Cancels an order. Allowed while none of its codes was used.
    ///
    /// Retries are safe: an order is cancelled at most once. A retry after an attempt that did
    /// cancel may report an error instead; [`OrderManager::get`] tells the order's state.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// orders.cancel("017...5dd").await?;
    /// println!("{}", orders.get("017...5dd").await?.status);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Api`] with status 409 ([`crate::ErrorCode::Conflict`]) once a code was used,
    /// 404 for an unknown order; the other [`Error`]s of a call.
    pub fn cancel(&self, order_id: impl Into<OrderId>) -> Call<CancelOrder> {
        Call::new(CancelOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
        })
    }
}

/// The request of [`OrderManager::get`]; awaited, a `Result<Order>`.
#[derive(Debug, Clone)]
pub struct GetOrder {
    client: GoClient,
    order_id: OrderId,
}

impl Request for GetOrder {
    type Output = Result<Order>;

    fn send(self, overrides: Overrides) -> impl Future<Output = Result<Order>> + Send + 'static {
        let Self { client, order_id } = self;
        let operation = &operations::GET_PROMOCODE_ORDER;
        send_one(
            client,
            GoClient::context,
            operation,
            overrides,
            move |client| {
                let (client, order_id) = (client.clone(), order_id.as_str().to_owned());
                async move {
                    let call = client.raw().get_promocode_order().order_id(order_id);
                    Ok(call.send().await?.into_inner().into())
                }
            },
        )
    }
}

/// The request of [`OrderManager::cancel`]; awaited, a `Result<()>`.
#[derive(Debug, Clone)]
pub struct CancelOrder {
    client: GoClient,
    order_id: OrderId,
}

impl Request for CancelOrder {
    type Output = Result<()>;

    fn send(self, overrides: Overrides) -> impl Future<Output = Result<()>> + Send + 'static {
        let Self { client, order_id } = self;
        let operation = &operations::CANCEL_PROMOCODE_ORDER;
        send_one(
            client,
            GoClient::context,
            operation,
            overrides,
            move |client| {
                let (client, order_id) = (client.clone(), order_id.as_str().to_owned());
                async move {
                    let call = client.raw().cancel_promocode_order().order_id(order_id);
                    call.send().await.map(drop)
                }
            },
        )
    }
}

/// A request to create an order.
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `send` is awaited"]
pub struct CreateOrder {
    client: GoClient,
    order: NewOrder,
    idempotency_token: Option<Uuid>,
    overrides: Overrides,
}

impl CreateOrder {
    crate::request::call_setters!(
        "# fn demo(orders: yandex_promo::go::OrderManager, order: yandex_promo::go::NewOrder) {",
        "orders.create(order)"
    );

    /// The idempotency token to send (default: a new random UUIDv4). Reuse the token of an
    /// earlier create to repeat it safely.
    ///
    /// ```no_run
    /// # use yandex_promo::go::{NewOrder, OrderManager};
    /// # async fn demo(orders: OrderManager, order: NewOrder) -> yandex_promo::Result<()> {
    /// // The token stored with the order before a crash: repeating the create is safe.
    /// let saved = uuid::Uuid::parse_str("0f8fad5b-d9cb-469f-a165-70867728950e").expect("a UUID");
    /// let created = orders.create(order).idempotency_token(saved).send().await?;
    /// assert_eq!(created.idempotency_token, saved);
    /// # Ok(()) }
    /// ```
    pub fn idempotency_token(mut self, token: Uuid) -> Self {
        self.idempotency_token = Some(token);
        self
    }

    /// Validates the order against the client's clock, then sends it, retrying with the same
    /// token.
    ///
    /// ```no_run
    /// # async fn demo(orders: yandex_promo::go::OrderManager) -> yandex_promo::Result<()> {
    /// let until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    /// let order = yandex_promo::go::NewOrder::new(500, 20, until).name("Welcome");
    /// let created = orders.create(order).send().await?;
    /// println!("order {} (token {})", created.order_id, created.idempotency_token);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] (nothing sent) listing every broken rule;
    /// [`Error::CreateUnconfirmed`] carrying the idempotency token when any attempt may have
    /// made the order (no answer, a server error): repeat the create with that token to get
    /// it without ordering twice; the other [`Error`]s of a call.
    pub async fn send(self) -> Result<CreatedOrder> {
        let client = &self.client;
        let request = self.order.to_request(client.context().clock.today())?;
        let token = self.idempotency_token.unwrap_or_else(Uuid::new_v4);
        // Once any attempt may have made the order, the error says which token made it.
        let mut may_exist = false;
        let response = send_observed(
            &client.context().with(&self.overrides),
            &operations::CREATE_PROMOCODE_ORDER,
            || {
                client
                    .raw()
                    .create_promocode_order()
                    .x_idempotency_token(token)
                    .body(request.clone())
                    .send()
            },
            MayHaveLanded(&mut may_exist),
            Begin::Afresh,
        )
        .await
        .map_err(|error| {
            if may_exist {
                Error::CreateUnconfirmed {
                    idempotency_token: token,
                    error: Box::new(error),
                }
            } else {
                error
            }
        })?;
        // A body without `order_id` does not decode: it is an `Error::Decode` carrying the
        // status and an excerpt of that body, like any other.
        Ok(CreatedOrder {
            order_id: OrderId::from(response.into_inner().order_id),
            idempotency_token: token,
        })
    }
}

/// A listing of orders: see [`Listing`].
pub type ListOrders = Listing<Order>;

/// Whether any attempt of a create may have made its order ([`Recovery::saw`]).
struct MayHaveLanded<'a>(&'a mut bool);

impl<T> Recovery<T> for MayHaveLanded<'_> {
    fn saw(&mut self, error: &Error) {
        *self.0 |= may_have_landed(error);
    }
}
