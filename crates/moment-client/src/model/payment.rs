//! Payments: `GET /collect/payments/{id}`, captures and voids.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Currency;
use super::common::{LastPaymentError, Metadata, Mode, Timestamp, lenient_u64, open_enum};
use super::session::CaptureMethod;
use crate::Error;

open_enum! {
    /// Where a payment is in its life (`status`).
    ///
    /// With manual capture, `Succeeded` means *authorised*: the money is reserved until it is
    /// captured or voided.
    PaymentStatus {
        /// `draft`.
        Draft => "draft",
        /// `initiating`.
        Initiating => "initiating",
        /// `pending_action`: waiting for the customer (authentication, bank app).
        PendingAction => "pending_action",
        /// `processing`.
        Processing => "processing",
        /// `succeeded`: paid, or authorised under manual capture.
        Succeeded => "succeeded",
        /// `failed`: every attempt failed; see `last_payment_error`.
        Failed => "failed",
        /// `cancelled`.
        Cancelled => "cancelled",
        /// `expired`.
        Expired => "expired",
    }
}

open_enum! {
    /// What a payment is for (`intent`).
    PaymentIntent {
        /// `payment`: collecting money.
        Payment => "payment",
    }
}

open_enum! {
    /// The payment method used (`payment_method_details.type`).
    ///
    /// Moment also offers Capitec Pay, Instant EFT, Zapper and MTN MoMo; their wire values are not
    /// published, so they arrive as `Unknown` with the value Moment sent.
    PaymentMethodType {
        /// `card`.
        Card => "card",
    }
}

/// The card a payment was made with (`payment_method_details.card`). Only the BIN and the
/// last four digits are ever sent; there is no card number to protect.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CardDetails {
    /// `type`, e.g. `CREDIT`.
    #[serde(rename = "type", default)]
    pub card_type: Option<String>,
    /// `scheme`, e.g. `MASTERCARD`.
    #[serde(default)]
    pub scheme: Option<String>,
    /// `bin`: the first six digits.
    #[serde(default)]
    pub bin: Option<String>,
    /// `last4`.
    #[serde(default)]
    pub last4: Option<String>,
    /// Members this version of the crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How a payment was paid (`payment_method_details`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PaymentMethodDetails {
    /// `type`.
    #[serde(rename = "type", default)]
    pub method_type: Option<PaymentMethodType>,
    /// `card`, for card payments.
    #[serde(default)]
    pub card: Option<CardDetails>,
    /// The details of other payment methods, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A payment, as returned by retrieve, capture and void and carried by `payment.*` webhooks.
///
/// Every member but `id` is optional; members this version of the crate does not model are kept
/// in `extra`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Payment {
    /// `id`, e.g. `pay_rOaZNqKZMFxsRb2NBL1cj`.
    pub id: String,
    /// `status`.
    #[serde(default)]
    pub status: Option<PaymentStatus>,
    /// `amount`, in minor units.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub amount: Option<u64>,
    /// `authorised_amount` (also read from `authorized_amount`), in minor units.
    #[serde(default, alias = "authorized_amount", deserialize_with = "lenient_u64")]
    pub authorised_amount: Option<u64>,
    /// `paid_amount`: captured so far, in minor units.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub paid_amount: Option<u64>,
    /// `voided_amount`: released, in minor units.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub voided_amount: Option<u64>,
    /// `currency`.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// `country`, e.g. `ZA`.
    #[serde(default)]
    pub country: Option<String>,
    /// `intent`.
    #[serde(default)]
    pub intent: Option<PaymentIntent>,
    /// `capture_method`.
    #[serde(default)]
    pub capture_method: Option<CaptureMethod>,
    /// `authorization_expires_at`: until when a manual-capture authorisation can be captured.
    #[serde(default)]
    pub authorization_expires_at: Option<Timestamp>,
    /// `reconciliation_reference`.
    #[serde(default)]
    pub reconciliation_reference: Option<String>,
    /// `payment_method_details`.
    #[serde(default)]
    pub payment_method_details: Option<PaymentMethodDetails>,
    /// `external_reference`.
    #[serde(default)]
    pub external_reference: Option<String>,
    /// `last_payment_error`: why the last attempt failed.
    #[serde(default)]
    pub last_payment_error: Option<LastPaymentError>,
    /// `metadata`.
    #[serde(default)]
    pub metadata: Metadata,
    /// `mode`.
    #[serde(default)]
    pub mode: Option<Mode>,
    /// `created_at`.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// `updated_at`.
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// Members this version of the crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Payment {
    /// Whether the payment succeeded (paid, or authorised under manual capture). An unknown
    /// status is never a success.
    pub fn is_succeeded(&self) -> bool {
        self.status == Some(PaymentStatus::Succeeded)
    }

    /// The authorised amount not yet captured or voided, when Moment reports the amounts.
    pub fn capturable_amount(&self) -> Option<u64> {
        let authorised = self.authorised_amount?;
        let used = self
            .paid_amount
            .unwrap_or(0)
            .saturating_add(self.voided_amount.unwrap_or(0));
        Some(authorised.saturating_sub(used))
    }
}

/// A request to capture an authorised payment (`POST /collect/payments/{id}/captures`).
///
/// ```
/// use moment_client::CapturePayment;
/// let everything = CapturePayment::full();
/// let part = CapturePayment::partial(120_000).metadata("shipment", "1 of 2");
/// # let _ = (everything, part);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CapturePayment {
    /// `amount` in minor units; `None` captures the full remaining amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// `metadata`.
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// The `Idempotency-Key` to send; generated by the client when `None`.
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

impl CapturePayment {
    /// Captures the full remaining authorised amount.
    pub fn full() -> Self {
        CapturePayment::default()
    }

    /// Captures `amount` minor units (more captures can follow).
    pub fn partial(amount: u64) -> Self {
        CapturePayment {
            amount: Some(amount),
            ..CapturePayment::default()
        }
    }

    /// Adds a `metadata` pair.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key, value);
        self
    }

    /// Sends this `Idempotency-Key` instead of a generated one, e.g. `capture_order_123`.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Checks the request before sending.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an amount of 0 or out-of-bounds metadata.
    pub fn validate(&self) -> Result<(), Error> {
        if self.amount == Some(0) {
            return Err(Error::invalid(
                "amount: a capture of 0 does nothing; void the payment to release it",
            ));
        }
        self.metadata.validate("metadata")?;
        if let Some(key) = &self.idempotency_key {
            crate::client::validate_idempotency_key(key)?;
        }
        Ok(())
    }
}

/// A request to void (release) the remaining authorisation of a payment
/// (`POST /collect/payments/{id}/voids`). A void always releases the full remaining amount.
///
/// ```
/// let void = moment_client::VoidPayment::new().metadata("reason", "out_of_stock");
/// # let _ = void;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct VoidPayment {
    /// `metadata`.
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// The `Idempotency-Key` to send; generated by the client when `None`.
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

impl VoidPayment {
    /// A void without metadata (sent without a body).
    pub fn new() -> Self {
        VoidPayment::default()
    }

    /// Adds a `metadata` pair.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key, value);
        self
    }

    /// Sends this `Idempotency-Key` instead of a generated one.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Checks the request before sending.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for out-of-bounds metadata or an invalid key.
    pub fn validate(&self) -> Result<(), Error> {
        self.metadata.validate("metadata")?;
        if let Some(key) = &self.idempotency_key {
            crate::client::validate_idempotency_key(key)?;
        }
        Ok(())
    }
}
