//! `subscription`: stop or restart a calendar subscription created with
//! [`CheckoutRequest::subscription`](crate::model::checkout::CheckoutRequest::subscription).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::Result;
use crate::model::{ResponseStatus, de, open_enum};
use crate::params::{Params, limits};
use crate::response::{FieldError, RawObject};

/// What to do with a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubscriptionAction {
    /// Stop charging.
    Stop,
    /// Resume charging.
    Start,
}

impl SubscriptionAction {
    fn as_str(self) -> &'static str {
        match self {
            SubscriptionAction::Stop => "stop",
            SubscriptionAction::Start => "start",
        }
    }
}

/// Stops or starts a subscription (`POST /api/subscription`).
///
/// ```
/// use flitt_client::model::subscription::SubscriptionRequest;
/// let stop = SubscriptionRequest::stop("subscription-order-1");
/// # let _ = stop;
/// ```
#[derive(Debug, Clone)]
pub struct SubscriptionRequest {
    order_id: String,
    action: SubscriptionAction,
}

impl SubscriptionRequest {
    /// Applies `action` to the subscription created by order `order_id`.
    pub fn new(order_id: impl Into<String>, action: SubscriptionAction) -> Self {
        SubscriptionRequest {
            order_id: order_id.into(),
            action,
        }
    }

    /// Stops the subscription.
    pub fn stop(order_id: impl Into<String>) -> Self {
        Self::new(order_id, SubscriptionAction::Stop)
    }

    /// Starts (resumes) the subscription.
    pub fn start(order_id: impl Into<String>) -> Self {
        Self::new(order_id, SubscriptionAction::Start)
    }

    /// The order id.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub(crate) fn params(&self, merchant_id: u64) -> Result<Params<'_>> {
        let mut p = Params::new();
        p.text("order_id", &self.order_id, limits::ORDER_ID)?;
        p.text("merchant_id", &merchant_id.to_string(), 12)?;
        p.text("action", self.action.as_str(), 5)?;
        Ok(p)
    }
}

open_enum! {
    /// The state of a subscription.
    SubscriptionStatus {
        /// Charging.
        Active => "active",
        /// Stopped.
        Disabled => "disabled",
    }
}

/// The answer of `subscription`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Subscription {
    /// The subscription's order id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub order_id: Option<String>,
    /// The state after the call.
    #[serde(deserialize_with = "de::enum_value")]
    pub status: SubscriptionStatus,
    /// The merchant id.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub merchant_id: Option<u64>,
    /// Whether the request succeeded.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub response_status: Option<ResponseStatus>,
    /// Other fields, as received (they took part in the signature).
    #[serde(skip_deserializing)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Subscription {
    pub(crate) fn from_raw(object: &RawObject<'_>) -> Result<Self, FieldError> {
        let mut out: Subscription = object.decode()?;
        out.extra = object.extra(&[
            "order_id",
            "status",
            "merchant_id",
            "response_status",
            "signature",
            "response_signature_string",
        ]);
        Ok(out)
    }
}
