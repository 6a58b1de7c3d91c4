//! Asynchronous status notifications ("callbacks"), after verification by
//! [`webhook::Verifier`](crate::webhook::Verifier).

use serde::Deserialize;
use serde_json::Value;

use super::amount::{Amount, opt_amount};
use super::common::ExtraData;
use super::customer::{CustomerData, CustomerProfileData};
use super::enums::{
    CallbackResult, CardUpdateResult, NetworkTokenStatus, NetworkTokenUpdateResult,
    NotificationSource, TransactionType,
};
use super::error_code::{ErrorCode, opt_error_code};
use super::return_data::ReturnData;
use super::schedule::ScheduleData;
use super::status::{ChargebackData, ChargebackReversalData};
use super::transaction::TransactionError;

/// A notification from the gateway: the final (or pending) result of a transaction, a
/// chargeback, a chargeback reversal, an account-updater or a network-token update.
///
/// "This notification should be your source of trust." Classify it with
/// [`Notification::kind`]; read card updates with [`Notification::account_update`] and token
/// updates with [`Notification::network_token`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "NotificationWire")]
#[non_exhaustive]
pub struct Notification {
    /// `result`: `OK`, `PENDING` or `ERROR`.
    pub result: CallbackResult,
    /// `uuid` of the transaction.
    pub uuid: Option<String>,
    /// `merchantTransactionId` (`auto-…` for transactions the gateway created, e.g. chargebacks).
    pub merchant_transaction_id: Option<String>,
    /// `purchaseId`.
    pub purchase_id: Option<String>,
    /// `transactionType` (sent in either case).
    pub transaction_type: Option<TransactionType>,
    /// `paymentMethod`.
    pub payment_method: Option<String>,
    /// `amount` (a string, or a number in chargeback notifications).
    pub amount: Option<Amount>,
    /// `currency`.
    pub currency: Option<String>,
    /// `surchargeAmount`.
    pub surcharge_amount: Option<Amount>,
    /// `totalAmount`.
    pub total_amount: Option<Amount>,
    /// `scheduleData` (an object or a list).
    pub schedule_data: Vec<ScheduleData>,
    /// `notificationSource`: set when reconciliation or settlement changed the transaction.
    pub notification_source: Option<NotificationSource>,
    /// `originalAmount` before reconciliation changed it.
    pub original_amount: Option<Amount>,
    /// `originalCurrency` before reconciliation changed it.
    pub original_currency: Option<String>,
    /// `chargebackData`.
    pub chargeback_data: Option<ChargebackData>,
    /// `chargebackReversalData`.
    pub chargeback_reversal_data: Option<ChargebackReversalData>,
    /// `extraData`.
    pub extra_data: ExtraData,
    /// `merchantMetaData` you sent with the transaction.
    pub merchant_meta_data: Option<String>,
    /// `returnData`: the instrument used.
    pub return_data: Option<ReturnData>,
    /// `customer`.
    pub customer: Option<CustomerData>,
    /// `customerProfileData`.
    pub customer_profile_data: Option<CustomerProfileData>,
    /// The errors of a failed transaction: the top-level `message`/`code`/`adapterMessage`/
    /// `adapterCode` (or `errorMessage`/`errorCode`) and any `errors[]` entries.
    pub errors: Vec<TransactionError>,
}

/// What a notification is about. See [`Notification::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotificationKind {
    /// The transaction reached a final, successful state (`result: OK`). Check
    /// [`Notification::transaction_type`]: a `PREAUTHORIZE` or `INCREMENTAL-AUTHORIZATION` is
    /// not yet a payment, a `REGISTER` stored an instrument, a `REFUND` returned money.
    Success,
    /// The transaction is pending (`result: PENDING`); another notification follows.
    Pending,
    /// The transaction failed (`result: ERROR`); see [`Notification::errors`].
    Error,
    /// A chargeback (`transactionType: CHARGEBACK`); see [`Notification::chargeback_data`].
    Chargeback,
    /// A chargeback reversal; see [`Notification::chargeback_reversal_data`].
    ChargebackReversal,
    /// A `result` this crate does not know. Never a success: check the status.
    Unknown,
}

impl Notification {
    /// Classifies the notification. Chargebacks and reversals are recognised by their
    /// `transactionType` before `result` is looked at, so a chargeback is never a success;
    /// an unknown `result` is [`NotificationKind::Unknown`].
    pub fn kind(&self) -> NotificationKind {
        match (&self.transaction_type, &self.result) {
            (Some(TransactionType::Chargeback), _) => NotificationKind::Chargeback,
            (Some(TransactionType::ChargebackReversal), _) => NotificationKind::ChargebackReversal,
            (_, CallbackResult::Ok) => NotificationKind::Success,
            (_, CallbackResult::Pending) => NotificationKind::Pending,
            (_, CallbackResult::Error) => NotificationKind::Error,
            (_, CallbackResult::Unknown(_)) => NotificationKind::Unknown,
        }
    }

    /// The account-updater information (`extraData.lastCardUpdateResult`/`…Date`), present
    /// when a stored card was updated; the updated card is in [`Notification::return_data`].
    pub fn account_update(&self) -> Option<AccountUpdate> {
        let result = self.extra_data.get_str("lastCardUpdateResult")?;
        Some(AccountUpdate {
            result: CardUpdateResult::parse(result),
            date: self
                .extra_data
                .get_str("lastCardUpdateDate")
                .map(str::to_owned),
        })
    }

    /// The network-token information (`extraData.networkToken…`), present when the
    /// notification reports on a network token. It can accompany a transaction result (the
    /// documented example is a `DEBIT` with `result: OK`), so check [`Notification::kind`] too.
    pub fn network_token(&self) -> Option<NetworkTokenUpdate> {
        let status = self
            .extra_data
            .get_str("networkTokenStatus")
            .map(NetworkTokenStatus::parse);
        let last_update_result = self
            .extra_data
            .get_str("lastNetworkTokenUpdateResult")
            .map(NetworkTokenUpdateResult::parse);
        let metadata_value = self.extra_data.get("networkTokenMetadata");
        if status.is_none() && last_update_result.is_none() && metadata_value.is_none() {
            return None;
        }
        let metadata = match metadata_value {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| {
                    serde_json::from_value::<NetworkTokenMetadata>(item.clone()).ok()
                })
                .collect(),
            _ => Vec::new(),
        };
        Some(NetworkTokenUpdate {
            status,
            metadata,
            last_update_date: self
                .extra_data
                .get_str("lastNetworkTokenUpdateDate")
                .map(str::to_owned),
            last_update_result,
        })
    }
}

/// An account-updater report: a stored card changed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccountUpdate {
    /// `lastCardUpdateResult`.
    pub result: CardUpdateResult,
    /// `lastCardUpdateDate` (e.g. `2022-08-19`).
    pub date: Option<String>,
}

/// A network-token report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NetworkTokenUpdate {
    /// `networkTokenStatus`; only [`NetworkTokenStatus::Active`] tokens should be used.
    pub status: Option<NetworkTokenStatus>,
    /// `networkTokenMetadata`: card art and similar (entries that do not decode are skipped).
    pub metadata: Vec<NetworkTokenMetadata>,
    /// `lastNetworkTokenUpdateDate`.
    pub last_update_date: Option<String>,
    /// `lastNetworkTokenUpdateResult`.
    pub last_update_result: Option<NetworkTokenUpdateResult>,
}

/// One entry of `networkTokenMetadata`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NetworkTokenMetadata {
    /// `mimeType` (e.g. `image/png`).
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub mime_type: Option<String>,
    /// `data`: the content, possibly base64-encoded.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub data: Option<String>,
    /// `width` in pixels (sent as a string, possibly empty).
    #[serde(default, deserialize_with = "crate::de::opt_u32")]
    pub width: Option<u32>,
    /// `height` in pixels (sent as a string, possibly empty).
    #[serde(default, deserialize_with = "crate::de::opt_u32")]
    pub height: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NotificationWire {
    result: CallbackResult,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    uuid: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    merchant_transaction_id: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    purchase_id: Option<String>,
    #[serde(default)]
    transaction_type: Option<TransactionType>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    payment_method: Option<String>,
    #[serde(default, deserialize_with = "opt_amount")]
    amount: Option<Amount>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    currency: Option<String>,
    #[serde(default, deserialize_with = "opt_amount")]
    surcharge_amount: Option<Amount>,
    #[serde(default, deserialize_with = "opt_amount")]
    total_amount: Option<Amount>,
    #[serde(default, deserialize_with = "crate::de::one_or_many")]
    schedule_data: Vec<ScheduleData>,
    #[serde(default)]
    notification_source: Option<NotificationSource>,
    #[serde(default, deserialize_with = "opt_amount")]
    original_amount: Option<Amount>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    original_currency: Option<String>,
    #[serde(default)]
    chargeback_data: Option<ChargebackData>,
    #[serde(default)]
    chargeback_reversal_data: Option<ChargebackReversalData>,
    #[serde(default)]
    extra_data: ExtraData,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    merchant_meta_data: Option<String>,
    #[serde(default)]
    return_data: Option<ReturnData>,
    #[serde(default)]
    customer: Option<CustomerData>,
    #[serde(default)]
    customer_profile_data: Option<CustomerProfileData>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    message: Option<String>,
    #[serde(default, deserialize_with = "opt_error_code")]
    code: Option<ErrorCode>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    error_message: Option<String>,
    #[serde(default, deserialize_with = "opt_error_code")]
    error_code: Option<ErrorCode>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    adapter_message: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    adapter_code: Option<String>,
    #[serde(default, deserialize_with = "crate::de::null_as_empty")]
    errors: Vec<TransactionError>,
}

impl From<NotificationWire> for Notification {
    fn from(w: NotificationWire) -> Self {
        let mut errors = Vec::new();
        let message = w.error_message.or(w.message);
        let code = w.error_code.or(w.code);
        if message.is_some()
            || code.is_some()
            || w.adapter_message.is_some()
            || w.adapter_code.is_some()
        {
            errors.push(TransactionError {
                message,
                code,
                adapter_message: w.adapter_message,
                adapter_code: w.adapter_code,
            });
        }
        errors.extend(w.errors);
        Self {
            result: w.result,
            uuid: w.uuid,
            merchant_transaction_id: w.merchant_transaction_id,
            purchase_id: w.purchase_id,
            transaction_type: w.transaction_type,
            payment_method: w.payment_method,
            amount: w.amount,
            currency: w.currency,
            surcharge_amount: w.surcharge_amount,
            total_amount: w.total_amount,
            schedule_data: w.schedule_data,
            notification_source: w.notification_source,
            original_amount: w.original_amount,
            original_currency: w.original_currency,
            chargeback_data: w.chargeback_data,
            chargeback_reversal_data: w.chargeback_reversal_data,
            extra_data: w.extra_data,
            merchant_meta_data: w.merchant_meta_data,
            return_data: w.return_data,
            customer: w.customer,
            customer_profile_data: w.customer_profile_data,
            errors,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Notification {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn chargebacks_are_never_successes_and_unknown_results_are_unknown() {
        let cb = parse(r#"{"result":"OK","transactionType":"CHARGEBACK"}"#);
        assert_eq!(cb.kind(), NotificationKind::Chargeback);
        let rev = parse(r#"{"result":"OK","transactionType":"chargeback-reversal"}"#);
        assert_eq!(rev.kind(), NotificationKind::ChargebackReversal);
        let odd = parse(r#"{"result":"INVALID_REQUEST","transactionType":"DEBIT"}"#);
        assert_eq!(odd.kind(), NotificationKind::Unknown);
        assert!(serde_json::from_str::<Notification>(r#"{"uuid":"x"}"#).is_err());
    }

    #[test]
    fn both_error_styles_and_error_arrays_are_collected() {
        let n = parse(
            r#"{"result":"ERROR","errorMessage":"Declined","errorCode":2003,"errors":[{"message":"m","code":"2016"}]}"#,
        );
        assert_eq!(n.errors.len(), 2);
        assert_eq!(n.errors[0].code, Some(ErrorCode::TransactionDeclined));
        assert_eq!(n.errors[1].code, Some(ErrorCode::StolenCard));
        let schedules = parse(
            r#"{"result":"OK","scheduleData":[{"scheduleId":"SC-1","scheduleStatus":"active"}]}"#,
        );
        assert_eq!(schedules.schedule_data.len(), 1);
    }
}
