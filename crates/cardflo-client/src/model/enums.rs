//! The gateway's enumerations. All are open: a value this crate does not know is kept in
//! `Unknown(String)`, and an unknown status is never treated as success.

use super::macros::open_enum;

open_enum! {
    /// `transactionIndicator`: why and how the transaction is initiated.
    pub enum TransactionIndicator {
        /// A one-off transaction.
        Single = "SINGLE",
        /// The first of a series of recurring transactions.
        Initial = "INITIAL",
        /// A recurring transaction of a series.
        Recurring = "RECURRING",
        /// The first customer-initiated transaction with a stored card.
        FirstCardOnFile = "FIRST-CARDONFILE",
        /// A customer-initiated transaction with a stored card.
        CardOnFile = "CARDONFILE",
        /// A merchant-initiated transaction with a stored card.
        CardOnFileMerchantInitiated = "CARDONFILE-MERCHANT-INITIATED",
        /// A mail or telephone order.
        Moto = "MOTO",
    }
}

open_enum! {
    /// `periodUnit` of a schedule.
    pub enum PeriodUnit {
        /// Days.
        Day = "DAY",
        /// Weeks.
        Week = "WEEK",
        /// Months.
        Month = "MONTH",
        /// Years.
        Year = "YEAR",
    }
}

open_enum! {
    /// `threeDSecureData.3dsecure`: whether 3-D Secure authentication is triggered.
    pub enum ThreeDSecureMode {
        /// No 3-D Secure.
        Off = "OFF",
        /// 3-D Secure if the card supports it.
        Optional = "OPTIONAL",
        /// 3-D Secure is required.
        Mandatory = "MANDATORY",
    }
}

open_enum! {
    /// `tokenType` of a deregister: which stored tokens to delete.
    pub enum TokenType {
        /// All tokens (the default).
        All = "ALL",
        /// The stored card number only.
        Pan = "PAN",
        /// The network token only.
        NetworkToken = "NT",
    }
}

open_enum! {
    /// `customer.gender`.
    pub enum Gender {
        /// Male.
        Male = "M",
        /// Female.
        Female = "F",
    }
}

open_enum! {
    /// `redirectType` of a redirect answer: how to show `redirectUrl`.
    pub enum RedirectType {
        /// In an iframe.
        Iframe = "iframe",
        /// As a full-page redirect.
        FullPage = "fullpage",
        /// As a 3-D Secure challenge.
        ThreeDs = "3ds",
    }
}

open_enum! {
    /// `returnType` of a transaction answer (see [`TransactionOutcome`](crate::model::TransactionOutcome)).
    pub enum ReturnType {
        /// Completed successfully.
        Finished = "FINISHED",
        /// Redirect the customer.
        Redirect = "REDIRECT",
        /// Render HTML content.
        Html = "HTML",
        /// Accepted, not final.
        Pending = "PENDING",
        /// Failed or declined.
        Error = "ERROR",
    }
}

open_enum! {
    /// `transactionStatus` of a status answer.
    pub enum TransactionStatus {
        /// The transaction succeeded.
        Success = "SUCCESS",
        /// The transaction is not final yet.
        Pending = "PENDING",
        /// The customer has been redirected and has not come back yet.
        Redirect = "REDIRECT",
        /// The transaction was cancelled.
        Cancelled = "CANCELLED",
        /// The transaction failed or was declined.
        Error = "ERROR",
    }
}

impl TransactionStatus {
    /// Whether the transaction succeeded. `false` for every other value, unknown ones included.
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Success)
    }

    /// Whether the status is final (`SUCCESS`, `CANCELLED` or `ERROR`).
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Success | Self::Cancelled | Self::Error)
    }
}

open_enum! {
    /// `transactionType` of a status answer or a notification (sent in either case).
    pub enum TransactionType {
        /// A debit.
        Debit = "DEBIT",
        /// A capture.
        Capture = "CAPTURE",
        /// A deregister.
        Deregister = "DEREGISTER",
        /// A preauthorization.
        Preauthorize = "PREAUTHORIZE",
        /// A refund.
        Refund = "REFUND",
        /// A register.
        Register = "REGISTER",
        /// A void.
        Void = "VOID",
        /// A chargeback.
        Chargeback = "CHARGEBACK",
        /// A chargeback reversal.
        ChargebackReversal = "CHARGEBACK-REVERSAL",
        /// A payout.
        Payout = "PAYOUT",
        /// An incremental authorization.
        IncrementalAuthorization = "INCREMENTAL-AUTHORIZATION",
    }
}

open_enum! {
    /// `result` of a notification.
    pub enum CallbackResult {
        /// The transaction reached a final, successful state.
        Ok = "OK",
        /// The transaction is pending.
        Pending = "PENDING",
        /// The transaction failed.
        Error = "ERROR",
    }
}

open_enum! {
    /// `scheduleStatus`, `oldStatus` and `newStatus` of a schedule.
    pub enum ScheduleStatus {
        /// Charges are made.
        Active = "ACTIVE",
        /// Paused; continue it to resume.
        Paused = "PAUSED",
        /// Cancelled for good.
        Cancelled = "CANCELLED",
        /// A charge failed.
        Error = "ERROR",
        /// Being created.
        CreatePending = "CREATE-PENDING",
        /// Did not exist before the request (`oldStatus` of a start).
        NonExisting = "NON-EXISTING",
    }
}

open_enum! {
    /// `riskCheckData.riskCheckResult`.
    pub enum RiskCheckResult {
        /// Approved by the risk check.
        Approved = "APPROVED",
        /// Declined by the risk check.
        Declined = "DECLINED",
        /// Needs a manual review.
        Review = "REVIEW",
    }
}

open_enum! {
    /// `notificationSource`: why a notification reports a changed status, amount or currency.
    pub enum NotificationSource {
        /// Changed by reconciliation.
        Reconciliation = "reconciliation",
        /// Changed by settlement.
        Settlement = "settlement",
    }
}

open_enum! {
    /// `extraData.networkTokenStatus` of a network-token notification.
    pub enum NetworkTokenStatus {
        /// The token is active and can be used.
        Active = "active",
        /// The token is not yet active.
        Inactive = "inactive",
        /// The token is suspended and cannot be used at the moment.
        Suspended = "suspended",
        /// The token is disabled for good.
        Deactivated = "deactivated",
        /// Tokenization is in progress.
        Pending = "pending",
        /// Tokenization failed.
        Error = "error",
    }
}

impl NetworkTokenStatus {
    /// Whether the token may be used for processing (only `active`; the gateway advises against
    /// using inactive, suspended or deactivated tokens).
    pub fn is_usable(&self) -> bool {
        matches!(self, Self::Active)
    }
}

open_enum! {
    /// `extraData.lastNetworkTokenUpdateResult` of a network-token notification.
    pub enum NetworkTokenUpdateResult {
        /// The card number changed.
        PanChanged = "pan_changed",
        /// The card's expiry changed.
        PanExpiryChanged = "pan_expiry_changed",
        /// The token's expiry changed.
        TokenExpiryChanged = "token_expiry_changed",
        /// The token is active.
        Active = "active",
        /// The token is not yet active.
        Inactive = "inactive",
        /// The token is suspended.
        Suspended = "suspended",
        /// The token is deactivated.
        Deactivated = "deactivated",
        /// An error occurred.
        Error = "error",
    }
}

open_enum! {
    /// `extraData.lastCardUpdateResult` of an account-updater notification.
    pub enum CardUpdateResult {
        /// Card number and expiry date were updated.
        Updated = "updated",
        /// The card is closed and not valid anymore.
        Closed = "closed",
        /// The expiry date was updated.
        NewExpiry = "new_expiry",
        /// Contact the cardholder for updated information.
        Contact = "contact",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn parsing_ignores_case_and_keeps_unknown_values() {
        assert_eq!(TransactionType::parse("debit"), TransactionType::Debit);
        assert_eq!(TransactionType::parse("DEBIT"), TransactionType::Debit);
        assert_eq!(
            TransactionType::parse("chargeback-reversal"),
            TransactionType::ChargebackReversal
        );
        let unknown = TransactionType::parse("DISPUTE");
        assert_eq!(unknown, TransactionType::Unknown("DISPUTE".into()));
        assert_eq!(unknown.as_str(), "DISPUTE");
        assert!(!TransactionStatus::parse("SETTLED").is_success());
        assert!(TransactionStatus::parse("success").is_success());
    }

    #[test]
    fn serialization_uses_the_documented_spelling() {
        let json =
            serde_json::to_string(&TransactionIndicator::CardOnFileMerchantInitiated).unwrap();
        assert_eq!(json, r#""CARDONFILE-MERCHANT-INITIATED""#);
        assert_eq!(
            serde_json::to_string(&ThreeDSecureMode::Mandatory).unwrap(),
            r#""MANDATORY""#
        );
        let parsed: PeriodUnit = serde_json::from_str(r#""month""#).unwrap();
        assert_eq!(parsed, PeriodUnit::Month);
        assert!(serde_json::from_str::<PeriodUnit>("3").is_err());
    }
}
