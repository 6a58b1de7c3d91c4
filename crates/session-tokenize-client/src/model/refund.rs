//! Refunds: `POST /v1/refunds`, `GET /v1/refunds/{id}`, `GET /v1/refunds`.
//!
//! Refund amounts are strings on the wire (`"10000.00"`); the crate sends and reads them as
//! [`Amount`]s.

use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;

use super::customer::{RefundMethod, TransferDestination};
use super::{Amount, validate_len, wire_enum};
use crate::Error;
use crate::auth::RequestId;

wire_enum! {
    /// Why the merchant refunds.
    pub enum RefundReason {
        /// Suspected fraud.
        SuspectFraudulent => "SUSPECT_FRAUDULENT",
        /// A duplicate payment.
        Duplicate => "DUPLICATE",
        /// The customer asked.
        RequestedByCustomer => "REQUESTED_BY_CUSTOMER",
        /// The order was cancelled.
        Cancellation => "CANCELLATION",
        /// Anything else.
        Others => "OTHERS",
    }
}

wire_enum! {
    /// Status of a refund.
    pub enum RefundStatus {
        /// Requested.
        Pending => "PENDING",
        /// Waiting for the fallback bank transfer.
        WaitingBankTransfer => "WAITING_BANK_TRANSFER" | "WAITING_BANK_TRANFER",
        /// Final: refunded.
        Success => "SUCCESS",
        /// Final: failed.
        Failed => "FAILED",
        /// Final: cancelled.
        Cancelled => "CANCELLED",
    }
}

wire_enum! {
    /// Where the refunded money went.
    pub enum DestinationType {
        /// Back to the payment channel used.
        Channel => "CHANNEL",
        /// To the transfer destination account.
        Account => "ACCOUNT",
    }
}

/// `POST /v1/refunds`: refund a paid session (or one charge of it).
///
/// Refunds are not retried automatically: Pivot documents no idempotency for them. After an
/// ambiguous failure, look the refund up with [`Client::list_refunds`](crate::Client::list_refunds)
/// (by your `clientReferenceId`) before trying again.
///
/// ```
/// use session_tokenize_client::model::Amount;
/// use session_tokenize_client::model::refund::{CreateRefund, RefundReason};
///
/// let partial = CreateRefund::partial(
///     "1755054798",
///     "edb4e7c4-7842-4ec6-831a-f85c5bbdf3a4",
///     Amount::idr(500),
///     RefundReason::Duplicate,
/// )
/// .description("Refund due to duplicate transaction");
/// assert!(partial.validate().is_ok());
/// assert_eq!(serde_json::to_value(&partial)?["amount"]["value"], "500");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateRefund {
    client_reference_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_session_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    charge_id: Option<String>,
    is_full_amount: bool,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "amount_as_string"
    )]
    amount: Option<Amount>,
    reason: RefundReason,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<RefundMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transfer_destination: Option<TransferDestination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip)]
    request_id: Option<RequestId>,
}

fn amount_as_string<S: Serializer>(amount: &Option<Amount>, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Wire<'a> {
        value: String,
        currency: &'a str,
    }
    match amount {
        Some(a) => Wire {
            value: a.value.normalize().to_string(),
            currency: &a.currency,
        }
        .serialize(s),
        None => s.serialize_none(),
    }
}

impl CreateRefund {
    /// Refund everything captured on `payment_session_id`.
    pub fn full(
        client_reference_id: impl Into<String>,
        payment_session_id: impl Into<String>,
        reason: RefundReason,
    ) -> Self {
        Self {
            client_reference_id: client_reference_id.into(),
            payment_session_id: Some(payment_session_id.into()),
            charge_id: None,
            is_full_amount: true,
            amount: None,
            reason,
            description: None,
            method: None,
            transfer_destination: None,
            metadata: None,
            request_id: None,
        }
    }

    /// Refund `amount` of `payment_session_id`.
    pub fn partial(
        client_reference_id: impl Into<String>,
        payment_session_id: impl Into<String>,
        amount: Amount,
        reason: RefundReason,
    ) -> Self {
        Self {
            is_full_amount: false,
            amount: Some(amount),
            ..Self::full(client_reference_id, payment_session_id, reason)
        }
    }

    /// Refund one charge (of a `MULTIPLE` session) instead of the whole session.
    pub fn charge_id(mut self, charge_id: impl Into<String>) -> Self {
        self.charge_id = Some(charge_id.into());
        self.payment_session_id = None;
        self
    }

    /// Sends `amount` too (Pivot's full-refund example carries both).
    pub fn amount(mut self, amount: Amount) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Internal note (at most 50 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// `AUTO` (channel first, transfer as fallback) or `TRANSFER_ONLY`.
    pub fn method(mut self, method: RefundMethod) -> Self {
        self.method = Some(method);
        self
    }

    /// The account for bank transfers.
    pub fn transfer_destination(mut self, destination: TransferDestination) -> Self {
        self.transfer_destination = Some(destination);
        self
    }

    /// Free metadata.
    pub fn metadata(mut self, metadata: serde_json::Map<String, serde_json::Value>) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// An `X-REQUEST-ID` to send with the refund (otherwise one is generated).
    pub fn request_id(mut self, request_id: RequestId) -> Self {
        self.request_id = Some(request_id);
        self
    }

    /// Your reference.
    pub fn client_reference_id_value(&self) -> &str {
        &self.client_reference_id
    }

    /// The idempotency key set with [`request_id`](Self::request_id), if any.
    pub fn request_id_value(&self) -> Option<&RequestId> {
        self.request_id.as_ref()
    }

    /// Checks the documented limits.
    pub fn validate(&self) -> Result<(), Error> {
        validate_len(&self.client_reference_id, "clientReferenceId", 1, 100)?;
        match (&self.payment_session_id, &self.charge_id) {
            (None, None) => {
                return Err(Error::invalid(
                    "paymentSessionId",
                    "a refund needs a paymentSessionId or a chargeId",
                ));
            }
            (Some(id), _) => validate_len(id, "paymentSessionId", 1, 255)?,
            (None, Some(id)) => validate_len(id, "chargeId", 1, 255)?,
        }
        match &self.amount {
            Some(amount) => amount.validate("amount")?,
            None if !self.is_full_amount => {
                return Err(Error::invalid(
                    "amount",
                    "is required when isFullAmount is false",
                ));
            }
            None => {}
        }
        if let Some(description) = &self.description {
            validate_len(description, "description", 0, 50)?;
        }
        match (&self.method, &self.transfer_destination) {
            (Some(RefundMethod::TransferOnly), None) => {
                return Err(Error::invalid(
                    "transferDestination",
                    "is required when the method is TRANSFER_ONLY",
                ));
            }
            (_, Some(dest)) => dest.validate("transferDestination")?,
            _ => {}
        }
        Ok(())
    }
}

/// `GET /v1/refunds` filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListRefunds {
    pub(crate) page: super::PageRequest,
    pub(crate) client_reference_id: Option<String>,
    pub(crate) payment_session_id: Option<String>,
}

impl ListRefunds {
    /// The first page of all refunds.
    pub fn new() -> Self {
        Self::default()
    }

    /// Which page.
    pub fn page(mut self, page: super::PageRequest) -> Self {
        self.page = page;
        self
    }

    /// Only refunds with this `clientReferenceId` (sent as a query parameter).
    pub fn client_reference_id(mut self, reference: impl Into<String>) -> Self {
        self.client_reference_id = Some(reference.into());
        self
    }

    /// Only refunds of this session (sent as a query parameter).
    pub fn payment_session_id(mut self, id: impl Into<String>) -> Self {
        self.payment_session_id = Some(id.into());
        self
    }

    pub(crate) fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = self.page.query();
        if let Some(r) = &self.client_reference_id {
            query.push(("clientReferenceId", r.clone()));
        }
        if let Some(id) = &self.payment_session_id {
            query.push(("paymentSessionId", id.clone()));
        }
        query
    }
}

/// The Refund object.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Refund {
    /// Pivot's refund id.
    pub id: String,
    /// Your reference.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub client_reference_id: Option<String>,
    /// The refunded session.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub payment_session_id: Option<String>,
    /// The refunded charge.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub charge_id: Option<String>,
    /// What was captured (and can be refunded).
    #[serde(default)]
    pub captured_amount: Option<Amount>,
    /// Whether everything captured is refunded.
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub is_full_amount: Option<bool>,
    /// The refunded amount.
    #[serde(default)]
    pub amount: Option<Amount>,
    /// The status. Only [`RefundStatus::Success`] means refunded.
    pub status: RefundStatus,
    /// Why.
    #[serde(default, deserialize_with = "crate::de::opt_enum")]
    pub reason: Option<RefundReason>,
    /// Internal note.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub description: Option<String>,
    /// Where the money went (after a final status).
    #[serde(default, deserialize_with = "crate::de::opt_enum")]
    pub destination_type: Option<DestinationType>,
    /// `AUTO` or `TRANSFER_ONLY`.
    #[serde(default, deserialize_with = "crate::de::opt_enum")]
    pub method: Option<RefundMethod>,
    /// The transfer account.
    #[serde(default)]
    pub transfer_destination: Option<TransferDestination>,
    /// Your metadata.
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
    /// Created.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub created_at: Option<OffsetDateTime>,
    /// Last updated.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub updated_at: Option<OffsetDateTime>,
}

impl Refund {
    /// Decodes a refund answer (create or retrieve) from its HTTP status and body with the decoder the
    /// [`Client`](crate::Client) uses: an error answer (a non-2xx status, or a `code` other
    /// than `"00"`) is [`Error::Provider`], a body that does not decode
    /// is [`Error::Decode`] naming the failing field.
    pub fn from_response(status: http::StatusCode, body: &[u8]) -> Result<Self, crate::Error> {
        crate::decode::standalone::<Self>(status, body, false).map(|(data, _)| data)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn refunds_need_a_target_and_an_amount_unless_full() {
        assert!(
            CreateRefund::full("r", "s", RefundReason::Others)
                .validate()
                .is_ok()
        );
        let mut partial = CreateRefund::partial("r", "s", Amount::idr(500), RefundReason::Others);
        assert!(partial.validate().is_ok());
        partial.amount = None;
        assert!(partial.validate().is_err());
        let mut no_target = CreateRefund::full("r", "s", RefundReason::Others);
        no_target.payment_session_id = None;
        assert!(no_target.validate().is_err());
        let transfer =
            CreateRefund::full("r", "s", RefundReason::Others).method(RefundMethod::TransferOnly);
        assert!(transfer.validate().is_err());
        let long = CreateRefund::full("r", "s", RefundReason::Others).description("x".repeat(51));
        assert!(long.validate().is_err());
    }

    #[test]
    fn the_misspelt_waiting_status_is_understood() {
        assert_eq!(
            RefundStatus::from("WAITING_BANK_TRANFER"),
            RefundStatus::WaitingBankTransfer
        );
    }
}
