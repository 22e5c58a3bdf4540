//! Idempotency keys: a retried `POST` that the server recognises and answers from memory.

use std::collections::HashMap;

/// What a client asks for: an order of `quantity` of `item`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrderRequest {
    /// The product.
    pub item: String,
    /// How many.
    pub quantity: u32,
}

/// The server's answer to `POST /orders`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The order's id when one was created (or found, for a replay).
    pub order_id: Option<u64>,
    /// Whether this answer was replayed from the idempotency store.
    pub replayed: bool,
}

// ANCHOR: service
/// An order service that honours an `Idempotency-Key` header: the first request with a key is
/// executed and its response stored under the key; a later request with the same key and the
/// same body gets the stored response, and one with a different body is refused with 422.
#[derive(Debug, Default)]
pub struct OrderService {
    orders: Vec<OrderRequest>,
    seen: HashMap<String, (OrderRequest, Response)>,
}

impl OrderService {
    /// An empty service.
    pub fn new() -> Self {
        OrderService::default()
    }

    /// `POST /orders`, with an optional `Idempotency-Key`.
    pub fn create_order(&mut self, request: &OrderRequest, key: Option<&str>) -> Response {
        if let Some(key) = key
            && let Some((first, response)) = self.seen.get(key)
        {
            return if first == request {
                Response {
                    replayed: true,
                    ..response.clone()
                }
            } else {
                // Same key, different body: a client bug, not a retry.
                Response {
                    status: 422,
                    order_id: None,
                    replayed: false,
                }
            };
        }
        self.orders.push(request.clone());
        let response = Response {
            status: 201,
            order_id: Some(self.orders.len() as u64),
            replayed: false,
        };
        if let Some(key) = key {
            self.seen
                .insert(key.to_string(), (request.clone(), response.clone()));
        }
        response
    }

    /// Every order created, in order.
    pub fn orders(&self) -> &[OrderRequest] {
        &self.orders
    }
}
// ANCHOR_END: service

/// What the client saw for one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The server executed the request but the response was lost; the client timed out.
    Lost,
    /// The response arrived.
    Answered(Response),
}

// ANCHOR: retry
/// A client that sends `request` and retries after a timeout, up to `max_attempts` times. The
/// network loses the responses of the attempts listed in `lost` (numbered from 0): the server
/// did the work, the client never heard. Returns each attempt's outcome.
pub fn post_with_retries(
    service: &mut OrderService,
    request: &OrderRequest,
    key: Option<&str>,
    lost: &[usize],
    max_attempts: usize,
) -> Vec<Attempt> {
    let mut attempts = Vec::new();
    for attempt in 0..max_attempts {
        let response = service.create_order(request, key);
        if lost.contains(&attempt) {
            attempts.push(Attempt::Lost);
        } else {
            attempts.push(Attempt::Answered(response));
            break;
        }
    }
    attempts
}
// ANCHOR_END: retry
