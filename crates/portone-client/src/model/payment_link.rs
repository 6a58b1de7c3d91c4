//! Payment-link status and cancellation (`/api/paymentLink/{ref}/…`). The `content` of these
//! answers is camelCase.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{ResultCode, StatusReason, Timestamp, TransactionStatus, open_enum};
use crate::lenient;

open_enum! {
    /// The state of a payment link.
    pub enum PaymentLinkStatus {
        /// Created, not yet opened.
        Created => "Created",
        /// The customer is paying.
        Processing => "Processing",
        /// Paid.
        Success => "Success",
        /// Expired unpaid.
        Expired => "Expired",
        /// Cancelled by the merchant.
        Cancelled => "Cancelled",
        /// Deleted.
        Deleted => "Deleted",
    }
}

impl PaymentLinkStatus {
    /// `true` only for [`PaymentLinkStatus::Success`].
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Success)
    }
}

/// The status of a payment link and its payment attempts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaymentLinkState {
    /// The merchant order id.
    #[serde(
        default,
        alias = "merchant_order_ref",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub merchant_order_ref: Option<String>,
    /// PortOne's reference of the link.
    #[serde(
        default,
        alias = "payment_link_ref",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub payment_link_ref: Option<String>,
    /// The link's state.
    #[serde(default)]
    pub status: Option<PaymentLinkStatus>,
    /// The amount, when sent.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub amount: Option<Decimal>,
    /// The currency, when sent.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub currency: Option<String>,
    /// The payment attempts made through the link.
    #[serde(default, alias = "transactions_list")]
    pub transactions_list: Vec<LinkTransaction>,
}

/// One payment attempt made through a payment link.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LinkTransaction {
    /// The payment channel's reference (`"0"` when none).
    #[serde(
        default,
        alias = "channel_order_ref",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub channel_order_ref: Option<String>,
    /// PortOne's order reference, when sent.
    #[serde(
        default,
        alias = "order_ref",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub order_ref: Option<String>,
    /// When the attempt was made.
    #[serde(default, alias = "created_at")]
    pub created_at: Option<Timestamp>,
    /// The merchant order id.
    #[serde(
        default,
        alias = "merchant_order_ref",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub merchant_order_ref: Option<String>,
    /// The attempt's status.
    #[serde(default)]
    pub status: Option<TransactionStatus>,
    /// Result code.
    #[serde(default, alias = "status_code")]
    pub status_code: Option<ResultCode>,
    /// Result name (sent as `Success` here).
    #[serde(default, alias = "status_reason")]
    pub status_reason: Option<StatusReason>,
}
