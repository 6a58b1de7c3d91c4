//! The gateway's error codes.

use std::fmt;

use serde::{Deserialize, Deserializer};

macro_rules! error_codes {
    ( $( $(#[$m:meta])* $variant:ident = $code:literal, $text:literal; )+ ) => {
        /// An error code of the gateway ("always depend on the error code rather than the error
        /// message"). Codes arrive as numbers or numeric strings; a code this version of the
        /// crate does not know is kept verbatim in [`ErrorCode::Unknown`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$m])* #[doc = concat!("`", stringify!($code), "` ", $text)] $variant, )+
            /// A code this version of the crate does not know (or a non-numeric one), verbatim.
            Unknown(String),
        }

        impl ErrorCode {
            /// The numeric code, when it is numeric.
            pub fn code(&self) -> Option<u32> {
                match self {
                    $( Self::$variant => Some($code), )+
                    Self::Unknown(raw) => raw.trim().parse().ok(),
                }
            }

            /// The documented meaning of the code (`None` for unknown codes).
            pub fn description(&self) -> Option<&'static str> {
                match self {
                    $( Self::$variant => Some($text), )+
                    Self::Unknown(_) => None,
                }
            }

            /// The code for a number.
            pub fn from_code(code: u32) -> Self {
                match code {
                    $( $code => Self::$variant, )+
                    other => Self::Unknown(other.to_string()),
                }
            }

            /// Parses a code as sent on the wire (`"2016"`, `" 8001 "`).
            pub fn parse(raw: &str) -> Self {
                match raw.trim().parse::<u32>() {
                    Ok(code) => Self::from_code(code),
                    Err(_) => Self::Unknown(raw.to_owned()),
                }
            }
        }
    };
}

error_codes! {
    RequestFailed = 1000, "Request failed: fundamental error in the request.";
    InvalidResponse = 1001, "Invalid response: the upstream system answered with an unknown response.";
    InvalidRequestData = 1002, "Invalid request data: malformed or missing data.";
    ProcessingError = 1003, "Processing error: the request could not be processed.";
    InvalidSignature = 1004, "Invalid signature: the request signature is wrong.";
    InvalidRequestBody = 1005, "Invalid request body: the body is malformed.";
    LogicalError = 1006, "Logical error: preconditions failed (e.g. capture of a failed authorization).";
    InvalidConfiguration = 1007, "Invalid configuration of the connector.";
    UnexpectedSystemError = 1008, "Unexpected system error.";
    TooManyRequests = 1009, "Too many requests: rate limit exceeded.";
    SystemMaintenance = 1010, "System maintenance: try again later.";
    UnknownError = 9999, "Unknown error, not yet mapped by the gateway.";
    AccountClosedExternally = 2001, "Account closed externally.";
    UserCancelled = 2002, "The user cancelled the transaction.";
    TransactionDeclined = 2003, "Transaction declined.";
    QuotaRegulation = 2004, "Quota regulation: some limit was reached.";
    TransactionExpired = 2005, "Transaction expired.";
    InsufficientFunds = 2006, "Insufficient funds.";
    IncorrectPaymentInfo = 2007, "Incorrect payment information.";
    InvalidCard = 2008, "Invalid card.";
    ExpiredCard = 2009, "Expired card.";
    FraudulentCard = 2010, "Fraudulent card.";
    UnsupportedCard = 2011, "Unsupported card.";
    TransactionCancelled = 2012, "Transaction cancelled.";
    RiskCheckBlock = 2013, "Blocked by the risk check.";
    PickupCard = 2014, "Pickup card.";
    LostCard = 2015, "Lost card.";
    StolenCard = 2016, "Stolen card.";
    IbanInvalid = 2017, "Invalid IBAN.";
    BicInvalid = 2018, "Invalid BIC.";
    CustomerDataInvalid = 2019, "Invalid customer data.";
    CvvRequired = 2020, "CVV required.";
    ThreeDSecureVerificationFailed = 2021, "3-D Secure verification failed.";
    ThreeDSecureSoftDeclined = 2022, "3-D Secure soft decline: retry with authentication.";
    Timeout = 3001, "Timeout of the upstream system.";
    NotAllowed = 3002, "Not allowed (e.g. card scheme not available for this connector).";
    TemporarilyUnavailable = 3003, "Temporarily unavailable.";
    DuplicateTransactionId = 3004, "Duplicate transaction ID: the merchantTransactionId was already used.";
    CommunicationError = 3005, "Communication error with the upstream system.";
    ChargebackReverted = 4001, "Chargeback reverted.";
    PaymentDispute = 4002, "Payment dispute.";
    ScheduleRequestInvalid = 7001, "The schedule request is invalid.";
    ScheduleRequestFailed = 7002, "The schedule request failed.";
    ScheduleNotEnabled = 7003, "Schedules are not enabled for the connector.";
    ScheduleActionInvalid = 7005, "The scheduleAction is not valid.";
    RegistrationIdRequired = 7010, "The registrationId is required.";
    RegistrationIdInvalid = 7020, "The registrationId is not valid.";
    ReferenceNotRegister = 7030, "The referenced transaction is not a register.";
    InitialTransactionNotRegister = 7035, "The initial transaction is not a register.";
    InvalidInitialPeriod = 7036, "Invalid initial period: more than 24 hours are needed between the initial and the second transaction.";
    ReferenceDeregistered = 7037, "The referenced transaction was already de-registered.";
    ScheduleIdInvalid = 7040, "The scheduleId is not valid or does not match the connector.";
    StartDateTimeInvalid = 7050, "The startDateTime is invalid or older than 24 hours.";
    ContinueDateTimeInvalid = 7060, "The continueDateTime is invalid or older than 24 hours.";
    ScheduleStatusInvalid = 7070, "The status of the schedule is not valid for the requested operation.";
    ScheduleAmountInvalid = 7080, "The schedule amount must be greater than 0.";
    PeriodLengthInvalid = 7090, "The period length must be greater than 0 and less than 365.";
    TransactionNotFound = 8001, "Transaction not found for this connector.";
}

impl ErrorCode {
    /// Whether the code reports a temporary condition of the gateway (rate limit, maintenance,
    /// temporary unavailability) after which the same request may be sent again.
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            Self::TooManyRequests | Self::SystemMaintenance | Self::TemporarilyUnavailable
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(raw) => f.write_str(raw),
            known => write!(f, "{}", known.code().unwrap_or_default()),
        }
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    /// A number or a string (`1000`, `"2016"`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match crate::de::opt_string(deserializer)? {
            Some(raw) => Ok(Self::parse(&raw)),
            None => Err(serde::de::Error::custom(
                "expected an error code, found null",
            )),
        }
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.code() {
            Some(code) => serializer.serialize_u32(code),
            None => serializer.serialize_str(&self.to_string()),
        }
    }
}

/// `Option<ErrorCode>` where `null` and `""` mean "no code".
pub(crate) fn opt_error_code<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ErrorCode>, D::Error> {
    Ok(crate::de::opt_string(deserializer)?
        .filter(|raw| !raw.trim().is_empty() && raw.trim() != "0")
        .map(|raw| ErrorCode::parse(&raw)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_numbers_and_strings() {
        assert_eq!(
            serde_json::from_str::<ErrorCode>("8001").unwrap(),
            ErrorCode::TransactionNotFound
        );
        assert_eq!(
            serde_json::from_str::<ErrorCode>(r#""2016""#).unwrap(),
            ErrorCode::StolenCard
        );
        let unknown = serde_json::from_str::<ErrorCode>(r#""1234""#).unwrap();
        assert_eq!(unknown, ErrorCode::Unknown("1234".into()));
        assert_eq!(unknown.code(), Some(1234));
        assert_eq!(unknown.to_string(), "1234");
        let text = ErrorCode::parse("E42");
        assert_eq!(text.code(), None);
        assert_eq!(text.to_string(), "E42");
        assert!(serde_json::from_str::<ErrorCode>("[]").is_err());
    }

    #[test]
    fn every_known_code_round_trips() {
        for code in [
            1000, 1004, 1009, 2016, 2022, 3004, 4002, 7003, 7090, 8001, 9999,
        ] {
            let parsed = ErrorCode::from_code(code);
            assert!(
                !matches!(parsed, ErrorCode::Unknown(_)),
                "{code} is documented"
            );
            assert_eq!(parsed.code(), Some(code));
            assert_eq!(parsed.to_string(), code.to_string());
            assert!(parsed.description().is_some());
        }
        assert_eq!(
            ErrorCode::from_code(3004),
            ErrorCode::DuplicateTransactionId
        );
        assert!(ErrorCode::TooManyRequests.is_temporary());
        assert!(!ErrorCode::StolenCard.is_temporary());
    }
}
