//! `reverse/order_id` (refunds) and `capture/order_id` (completing a pre-authorization).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::{CaptureStatus, Currency, ErrorCode, OrderStatus, ResponseStatus, de};
use crate::params::{Params, limits};
use crate::response::{FieldError, RawObject};

/// A full or partial reversal (refund) of an order (`POST /api/reverse/order_id`).
///
/// Every reversal carries a `reverse_id`, Flitt's idempotency key for refunds: the constructor
/// generates a random one, and the client retries a failed reversal with the same id, so a
/// refund is never made twice. To retry it yourself later, send the same request value again
/// (or set the id you stored with [`ReverseRequest::reverse_id`]).
///
/// ```
/// use flitt_client::{Currency, model::manage::ReverseRequest};
/// let refund = ReverseRequest::new("order-1001", 500, Currency::GEL).comment("damaged item");
/// let key_to_store = refund.id().to_owned();
/// # let _ = key_to_store;
/// ```
#[derive(Debug, Clone)]
pub struct ReverseRequest {
    order_id: String,
    amount: u64,
    currency: Currency,
    reverse_id: String,
    comment: Option<String>,
}

impl ReverseRequest {
    /// Reverse `amount` minor units of the order (several partial reversals may add up to the
    /// charged amount; a pre-authorization not captured yet can only be reversed in full). A
    /// fresh random `reverse_id` is generated.
    pub fn new(order_id: impl Into<String>, amount: u64, currency: Currency) -> Self {
        ReverseRequest {
            order_id: order_id.into(),
            amount,
            currency,
            reverse_id: uuid::Uuid::new_v4().simple().to_string(),
            comment: None,
        }
    }

    /// Use your own idempotency key (≤ 50 characters), e.g. one stored with the refund in your
    /// database.
    pub fn reverse_id(mut self, reverse_id: impl Into<String>) -> Self {
        self.reverse_id = reverse_id.into();
        self
    }

    /// A comment for the reversal.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// The reversal's idempotency key.
    pub fn id(&self) -> &str {
        &self.reverse_id
    }

    /// The order id.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub(crate) fn params(&self, merchant_id: u64) -> Result<Params<'_>> {
        let mut p = Params::new();
        p.text("order_id", &self.order_id, limits::ORDER_ID)?;
        p.text("merchant_id", &merchant_id.to_string(), 12)?;
        p.int("amount", self.amount, 1, limits::AMOUNT_MAX)?;
        p.text("currency", self.currency.as_str(), 3)?;
        p.text("reverse_id", &self.reverse_id, limits::REVERSE_ID)?;
        p.opt_text("comment", self.comment.as_deref(), limits::COMMENT)?;
        Ok(p)
    }
}

/// The answer of `reverse/order_id`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Reversal {
    /// The order id.
    #[serde(deserialize_with = "de::text")]
    pub order_id: String,
    /// The order's status after the reversal (`reversed` once reversed in full; `approved`
    /// after a partial reversal).
    #[serde(deserialize_with = "de::enum_value")]
    pub reverse_status: OrderStatus,
    /// The total reversed so far, in minor units.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub reversal_amount: Option<u64>,
    /// The currency.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub currency: Option<Currency>,
    /// The idempotency key of this reversal.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub reverse_id: Option<String>,
    /// Flitt's transaction id of the reversal.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub transaction_id: Option<u64>,
    /// The merchant id.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub merchant_id: Option<u64>,
    /// Whether the request succeeded.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub response_status: Option<ResponseStatus>,
    /// The decline code, when the reversal was declined.
    #[serde(default, deserialize_with = "de::opt_code")]
    pub response_code: Option<ErrorCode>,
    /// The decline description.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub response_description: Option<String>,
    /// Other fields, as received (they took part in the signature).
    #[serde(skip_deserializing)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Reversal {
    pub(crate) fn from_raw(object: &RawObject<'_>) -> Result<Self, FieldError> {
        let mut out: Reversal = object.decode()?;
        out.extra = object.extra(&[
            "order_id",
            "reverse_status",
            "reversal_amount",
            "currency",
            "reverse_id",
            "transaction_id",
            "merchant_id",
            "response_status",
            "response_code",
            "response_description",
            "signature",
            "response_signature_string",
        ]);
        Ok(out)
    }
}

/// A capture of a pre-authorized order (`POST /api/capture/order_id`).
///
/// Flitt allows one capture per pre-authorization, full or partial (a partial capture releases
/// the rest). Retrying a capture with the same amount returns its current status, so the client
/// retries failed captures automatically.
///
/// ```
/// use flitt_client::{Currency, model::manage::CaptureRequest};
/// let capture = CaptureRequest::new("order-1001", 2500, Currency::GEL);
/// # let _ = capture;
/// ```
#[derive(Debug, Clone)]
pub struct CaptureRequest {
    order_id: String,
    amount: u64,
    currency: Currency,
}

impl CaptureRequest {
    /// Capture `amount` minor units of the held order.
    pub fn new(order_id: impl Into<String>, amount: u64, currency: Currency) -> Self {
        CaptureRequest {
            order_id: order_id.into(),
            amount,
            currency,
        }
    }

    /// The order id.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub(crate) fn params(&self, merchant_id: u64) -> Result<Params<'_>> {
        let mut p = Params::new();
        p.text("order_id", &self.order_id, limits::ORDER_ID)?;
        p.text("merchant_id", &merchant_id.to_string(), 12)?;
        if self.amount == 0 {
            return Err(Error::invalid("amount", "must be at least 1"));
        }
        p.int("amount", self.amount, 1, limits::AMOUNT_MAX)?;
        p.text("currency", self.currency.as_str(), 3)?;
        Ok(p)
    }
}

/// The answer of `capture/order_id`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Capture {
    /// The order id.
    #[serde(deserialize_with = "de::text")]
    pub order_id: String,
    /// `captured`, or `hold` while the amount is still only held.
    #[serde(deserialize_with = "de::enum_value")]
    pub capture_status: CaptureStatus,
    /// The captured amount, in minor units.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub capture_amount: Option<u64>,
    /// The order amount, in minor units.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub amount: Option<u64>,
    /// The currency.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub currency: Option<Currency>,
    /// The merchant id.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub merchant_id: Option<u64>,
    /// Whether the request succeeded.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub response_status: Option<ResponseStatus>,
    /// The decline code, when the capture was declined.
    #[serde(default, deserialize_with = "de::opt_code")]
    pub response_code: Option<ErrorCode>,
    /// The decline description.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub response_description: Option<String>,
    /// Other fields, as received (they took part in the signature).
    #[serde(skip_deserializing)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Capture {
    pub(crate) fn from_raw(object: &RawObject<'_>) -> Result<Self, FieldError> {
        let mut out: Capture = object.decode()?;
        out.extra = object.extra(&[
            "order_id",
            "capture_status",
            "capture_amount",
            "amount",
            "currency",
            "merchant_id",
            "response_status",
            "response_code",
            "response_description",
            "signature",
            "response_signature_string",
        ]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reversal_has_a_stable_idempotency_key() {
        let a = ReverseRequest::new("o", 1, Currency::GEL);
        let b = ReverseRequest::new("o", 1, Currency::GEL);
        assert_ne!(a.id(), b.id());
        assert!(a.id().len() <= 50);
        let p1 = a.params(1).unwrap_or_else(|e| unreachable!("{e}"));
        let p2 = a.params(1).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(p1.get_text("reverse_id"), p2.get_text("reverse_id"));
        assert!(
            ReverseRequest::new("o", 1, Currency::GEL)
                .reverse_id("x".repeat(51))
                .params(1)
                .is_err()
        );
    }
}
