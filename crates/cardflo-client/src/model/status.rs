//! The status API's answer and chargeback data.

use serde::Deserialize;

use super::amount::{Amount, opt_amount};
use super::common::{ExtraData, Timestamp, opt_timestamp};
use super::customer::{CustomerData, CustomerProfileData};
use super::enums::{TransactionStatus, TransactionType};
use super::return_data::ReturnData;
use super::schedule::ScheduleData;
use super::transaction::TransactionError;

/// The status of a transaction, from
/// [`Client::status_by_uuid`](crate::Client::status_by_uuid) or
/// [`Client::status_by_merchant_transaction_id`](crate::Client::status_by_merchant_transaction_id).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StatusResponse {
    /// `success`: whether the lookup succeeded (a failed transaction is still a successful lookup).
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub success: Option<bool>,
    /// `transactionStatus`.
    #[serde(default)]
    pub transaction_status: Option<TransactionStatus>,
    /// `uuid`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub uuid: Option<String>,
    /// `referenceUuid`: the related transaction.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub reference_uuid: Option<String>,
    /// `merchantTransactionId`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub merchant_transaction_id: Option<String>,
    /// `purchaseId`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub purchase_id: Option<String>,
    /// `transactionType` (sent as `debit` or `DEBIT`).
    #[serde(default)]
    pub transaction_type: Option<TransactionType>,
    /// `paymentMethod`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub payment_method: Option<String>,
    /// `amount`.
    #[serde(default, deserialize_with = "opt_amount")]
    pub amount: Option<Amount>,
    /// `currency`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub currency: Option<String>,
    /// `schedules`: attached schedules (sent as a list or as a map keyed by id).
    #[serde(default, deserialize_with = "crate::de::one_or_many")]
    pub schedules: Vec<ScheduleData>,
    /// `errors` of a failed transaction.
    #[serde(default, deserialize_with = "crate::de::null_as_empty")]
    pub errors: Vec<TransactionError>,
    /// `chargebackData`, for a chargeback.
    #[serde(default)]
    pub chargeback_data: Option<ChargebackData>,
    /// `chargebackReversalData`, for a chargeback reversal.
    #[serde(default)]
    pub chargeback_reversal_data: Option<ChargebackReversalData>,
    /// `extraData`.
    #[serde(default)]
    pub extra_data: ExtraData,
    /// `merchantMetaData`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub merchant_meta_data: Option<String>,
    /// `returnData`: the instrument used.
    #[serde(default)]
    pub return_data: Option<ReturnData>,
    /// `customer`.
    #[serde(default)]
    pub customer: Option<CustomerData>,
    /// `customerProfileData`.
    #[serde(default)]
    pub customer_profile_data: Option<CustomerProfileData>,
}

impl StatusResponse {
    /// Whether the transaction succeeded (`transactionStatus: SUCCESS`). `false` for every
    /// other status, unknown ones included.
    pub fn is_success(&self) -> bool {
        self.transaction_status
            .as_ref()
            .is_some_and(TransactionStatus::is_success)
    }
}

/// The result of [`Client::reconcile`](crate::Client::reconcile).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Reconciliation {
    /// Error 8001: the gateway has no such transaction. It was never created, so sending it
    /// again with the **same** `merchantTransactionId` is safe.
    NotFound,
    /// The transaction exists; its status is the real outcome of the ambiguous call.
    Found(Box<StatusResponse>),
}

/// `chargebackData`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ChargebackData {
    /// `originalUuid`: the charged-back transaction.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub original_uuid: Option<String>,
    /// `originalMerchantTransactionId`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub original_merchant_transaction_id: Option<String>,
    /// `amount` (sent as a string or a number).
    #[serde(default, deserialize_with = "opt_amount")]
    pub amount: Option<Amount>,
    /// `currency`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub currency: Option<String>,
    /// `reason`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub reason: Option<String>,
    /// `chargebackDateTime`.
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub chargeback_date_time: Option<Timestamp>,
}

/// `chargebackReversalData`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ChargebackReversalData {
    /// `originalUuid`: the transaction that was charged back.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub original_uuid: Option<String>,
    /// `originalMerchantTransactionId`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub original_merchant_transaction_id: Option<String>,
    /// `chargebackUuid`: the chargeback being reversed.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub chargeback_uuid: Option<String>,
    /// `amount` (sent as a string or a number).
    #[serde(default, deserialize_with = "opt_amount")]
    pub amount: Option<Amount>,
    /// `currency`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub currency: Option<String>,
    /// `reason`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub reason: Option<String>,
    /// `reversalDateTime`.
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub reversal_date_time: Option<Timestamp>,
}
