//! Refunds (`POST`/`GET /api/refund/{order_ref}`). The answer's top level is camelCase
//! (`amountToRefund`, `refundDetails`), its records snake_case.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Timestamp, amount, open_enum};
use crate::error::Error;
use crate::lenient;

/// A full or partial refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RefundType {
    /// The whole amount (`"full"`).
    #[serde(rename = "full")]
    Full,
    /// Part of the amount (`"partial"`).
    #[serde(rename = "partial")]
    Partial,
}

/// A refund of a payment (identified by PortOne's order reference).
///
/// ```
/// use portone_client::model::refund::RefundRequest;
/// use rust_decimal::Decimal;
/// let refund = RefundRequest::partial(Decimal::new(2500, 2)).reason("damaged item");
/// assert!(refund.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefundRequest {
    #[serde(serialize_with = "amount::serialize")]
    amount: Decimal,
    refund_type: RefundType,
    #[serde(skip_serializing_if = "Option::is_none")]
    refund_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<String>,
}

impl RefundRequest {
    /// Refunds the whole payment of `amount`.
    pub fn full(amount: Decimal) -> Self {
        Self::new(amount, RefundType::Full)
    }

    /// Refunds `amount` of the payment.
    pub fn partial(amount: Decimal) -> Self {
        Self::new(amount, RefundType::Partial)
    }

    fn new(amount: Decimal, refund_type: RefundType) -> Self {
        Self {
            amount,
            refund_type,
            refund_reason: None,
            description: None,
            channel: None,
        }
    }

    /// Why the payment is refunded.
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.refund_reason = Some(reason.into());
        self
    }

    /// A description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The payment channel, e.g. `STRIPE`.
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.channel = Some(channel.into());
        self
    }

    /// The amount to refund.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// Checks the amount.
    pub fn validate(&self) -> Result<(), Error> {
        amount::validate("amount", &self.amount, false)
    }
}

open_enum! {
    /// The state of a refund (`refund_status`).
    pub enum RefundStatus {
        /// Refunded.
        Success => "SUCCESS",
        /// In progress.
        Pending => "PENDING",
        /// Failed.
        Failed => "FAILED",
    }
}

/// One refund record.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RefundDetail {
    /// PortOne's refund id.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub refund_id: Option<String>,
    /// The payment channel's refund id.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub psp_refund_id: Option<String>,
    /// Amount refunded.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub amount: Option<Decimal>,
    /// Currency.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub currency: Option<String>,
    /// State of the refund. Only `SUCCESS` means refunded.
    #[serde(default)]
    pub refund_status: Option<RefundStatus>,
    /// `full` or `partial`, as sent.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub refund_type: Option<String>,
    /// Reason.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub refund_reason: Option<String>,
    /// When it was made.
    #[serde(default)]
    pub refund_date: Option<Timestamp>,
    /// Merchant id.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub merchant_id: Option<String>,
}

/// The refunds of a payment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Refunds {
    /// The amount this answer concerns (`amountToRefund`).
    #[serde(
        default,
        alias = "amount_to_refund",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub amount_to_refund: Option<Decimal>,
    /// The refund records (`refundDetails`).
    #[serde(default, alias = "refund_details")]
    pub refund_details: Vec<RefundDetail>,
}
