//! The operations of the Transaction API.

use std::fmt;

/// An operation of the Transaction API: what [`Client`](crate::Client) calls, what a decoded
/// answer belongs to ([`TransactionResponse::from_response`](crate::model::TransactionResponse::from_response)),
/// and what the mock gateway scripts and counts (`testing::Operation` is this type).
///
/// ```
/// use cardflo_client::Operation;
/// assert_eq!(Operation::Debit.name(), "debit");
/// assert!(!Operation::Debit.is_read_only());
/// assert!(Operation::StatusByUuid.is_read_only());
/// assert_eq!(Operation::IncrementalAuthorization.method(), http::Method::POST);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /transaction/{apiKey}/debit`
    Debit,
    /// `POST /transaction/{apiKey}/preauthorize`
    Preauthorize,
    /// `POST /transaction/{apiKey}/capture`
    Capture,
    /// `POST /transaction/{apiKey}/void`
    Void,
    /// `POST /transaction/{apiKey}/register`
    Register,
    /// `POST /transaction/{apiKey}/deregister`
    Deregister,
    /// `POST /transaction/{apiKey}/refund`
    Refund,
    /// `POST /transaction/{apiKey}/payout`
    Payout,
    /// `POST /transaction/{apiKey}/incrementalAuthorization`
    IncrementalAuthorization,
    /// `GET /status/{apiKey}/getByUuid/{uuid}`
    StatusByUuid,
    /// `GET /status/{apiKey}/getByMerchantTransactionId/{merchantTransactionId}`
    StatusByMerchantTransactionId,
    /// `POST /schedule/{apiKey}/start`
    StartSchedule,
    /// `POST /schedule/{apiKey}/{scheduleId}/update`
    UpdateSchedule,
    /// `GET /schedule/{apiKey}/{scheduleId}/get`
    GetSchedule,
    /// `POST /schedule/{apiKey}/{scheduleId}/pause`
    PauseSchedule,
    /// `POST /schedule/{apiKey}/{scheduleId}/continue`
    ContinueSchedule,
    /// `POST /schedule/{apiKey}/{scheduleId}/cancel`
    CancelSchedule,
    /// `POST /options/{apiKey}/{optionsName}`
    Options,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 18] = [
        Operation::Debit,
        Operation::Preauthorize,
        Operation::Capture,
        Operation::Void,
        Operation::Register,
        Operation::Deregister,
        Operation::Refund,
        Operation::Payout,
        Operation::IncrementalAuthorization,
        Operation::StatusByUuid,
        Operation::StatusByMerchantTransactionId,
        Operation::StartSchedule,
        Operation::UpdateSchedule,
        Operation::GetSchedule,
        Operation::PauseSchedule,
        Operation::ContinueSchedule,
        Operation::CancelSchedule,
        Operation::Options,
    ];

    /// The operation's name, as errors and traces report it (`debit`, `status_by_uuid`): the
    /// name of its [`Client`](crate::Client) method.
    pub const fn name(self) -> &'static str {
        match self {
            Operation::Debit => "debit",
            Operation::Preauthorize => "preauthorize",
            Operation::Capture => "capture",
            Operation::Void => "void",
            Operation::Register => "register",
            Operation::Deregister => "deregister",
            Operation::Refund => "refund",
            Operation::Payout => "payout",
            Operation::IncrementalAuthorization => "incremental_authorization",
            Operation::StatusByUuid => "status_by_uuid",
            Operation::StatusByMerchantTransactionId => "status_by_merchant_transaction_id",
            Operation::StartSchedule => "start_schedule",
            Operation::UpdateSchedule => "update_schedule",
            Operation::GetSchedule => "get_schedule",
            Operation::PauseSchedule => "pause_schedule",
            Operation::ContinueSchedule => "continue_schedule",
            Operation::CancelSchedule => "cancel_schedule",
            Operation::Options => "options",
        }
    }

    /// The HTTP method.
    pub fn method(self) -> http::Method {
        match self {
            Operation::StatusByUuid
            | Operation::StatusByMerchantTransactionId
            | Operation::GetSchedule => http::Method::GET,
            _ => http::Method::POST,
        }
    }

    /// Whether the operation only reads (status, schedule get, options): such calls are
    /// retried, and their failures never mean that something was processed. Every other
    /// operation changes state at the gateway and is never retried.
    pub const fn is_read_only(self) -> bool {
        matches!(
            self,
            Operation::StatusByUuid
                | Operation::StatusByMerchantTransactionId
                | Operation::GetSchedule
                | Operation::Options
        )
    }

    /// The last path segment of a transaction operation (`debit`, `incrementalAuthorization`);
    /// `None` for the others.
    pub const fn transaction_path(self) -> Option<&'static str> {
        Some(match self {
            Operation::Debit => "debit",
            Operation::Preauthorize => "preauthorize",
            Operation::Capture => "capture",
            Operation::Void => "void",
            Operation::Register => "register",
            Operation::Deregister => "deregister",
            Operation::Refund => "refund",
            Operation::Payout => "payout",
            Operation::IncrementalAuthorization => "incrementalAuthorization",
            _ => return None,
        })
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
