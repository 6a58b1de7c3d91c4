//! Transactions: status by merchant order reference (the reconciliation call), details by
//! PortOne order reference, and capture of a pre-authorisation.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{ResultCode, StatusReason, Timestamp, TransactionStatus};
use crate::lenient;

/// The status of a payment, from `GET /api/transaction/{merchant_order_ref}/status`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct OrderStatus {
    /// PortOne's order reference (for capture and refunds).
    #[serde(
        default,
        alias = "chaipay_order_ref",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub order_ref: Option<String>,
    /// The payment channel's reference.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub channel_order_ref: Option<String>,
    /// The merchant order id, when sent.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub merchant_order_ref: Option<String>,
    /// The status. Only `Success` means paid.
    #[serde(default)]
    pub status: Option<TransactionStatus>,
    /// The amount, when sent.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub amount: Option<Decimal>,
    /// The currency, when sent.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub currency: Option<String>,
    /// The transaction's own result code, when sent.
    #[serde(default)]
    pub status_code: Option<ResultCode>,
    /// The transaction's own result name, when sent.
    #[serde(default)]
    pub status_reason: Option<StatusReason>,
}

impl OrderStatus {
    /// `true` only when the status is `Success`.
    pub fn is_paid(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(TransactionStatus::is_success)
    }
}

/// The body of `POST /api/{key}/transaction-details`.
#[derive(Debug, Serialize)]
pub(crate) struct TransactionDetailsBody<'a> {
    pub(crate) order_ref: &'a str,
}

/// One order item of a transaction.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TransactionItem {
    /// Item id.
    #[serde(default, alias = "id", deserialize_with = "lenient::opt_nonempty")]
    pub item_id: Option<String>,
    /// Product name.
    #[serde(default, alias = "name", deserialize_with = "lenient::opt_nonempty")]
    pub product_name: Option<String>,
    /// Unit price.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub price: Option<Decimal>,
    /// Quantity.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub quantity: Option<u64>,
    /// Image URL.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub image: Option<String>,
}

/// The order items of a transaction (`order_details.data`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TransactionItems {
    /// The items.
    #[serde(default)]
    pub data: Vec<TransactionItem>,
}

/// A transaction's details, from `POST /api/{key}/transaction-details`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// PortOne's order reference.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub order_ref: Option<String>,
    /// The payment channel's reference.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub channel_order_ref: Option<String>,
    /// The merchant order id.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub merchant_order_ref: Option<String>,
    /// Amount (major units).
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub amount: Option<Decimal>,
    /// Currency.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub currency: Option<String>,
    /// Country code.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub country_code: Option<String>,
    /// Status. Only `Success` means paid.
    #[serde(default)]
    pub status: Option<TransactionStatus>,
    /// Result code.
    #[serde(default)]
    pub status_code: Option<ResultCode>,
    /// Result name.
    #[serde(default, alias = "status_message")]
    pub status_reason: Option<StatusReason>,
    /// The channel's own reason text.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub status_channel_reason: Option<String>,
    /// Channel key, e.g. `STRIPE`.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub channel_key: Option<String>,
    /// Channel name.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub channel_name: Option<String>,
    /// Method key, e.g. `STRIPE_CARD`.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub method_key: Option<String>,
    /// Method name.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub method_name: Option<String>,
    /// Method sub-type.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub method_sub_type: Option<String>,
    /// The payment method as shown to the customer (masked card).
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub payment_method_used: Option<String>,
    /// When the transaction was made.
    #[serde(default, alias = "created_at")]
    pub date: Option<Timestamp>,
    /// Refunds are allowed.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub is_refund_allowed: Option<bool>,
    /// Several partial refunds are allowed.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub is_multi_refund_allowed: Option<bool>,
    /// The refund status, when refunded.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub refund_status: Option<String>,
    /// The payment link the payment came through.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub payment_link_ref: Option<String>,
    /// Source.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub source: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub description: Option<String>,
    /// Failover routing was used.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub routing_enabled: Option<bool>,
    /// The order items.
    #[serde(default)]
    pub order_details: Option<TransactionItems>,
    /// Everything else PortOne sends (buyer, customer and merchant fields, …).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
