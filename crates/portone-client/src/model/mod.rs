//! Wire types, one file per API area, and the types every area shares.
//!
//! Requests are built with constructors (required fields) and setters (optional fields) and are
//! validated before anything is sent. Responses are lenient: unknown fields are ignored (or kept
//! in an `extra` map where a signature covers them), numbers sent as strings and booleans sent as
//! `"true"` decode either way, and every enum keeps values it does not know in `Unknown(String)`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lenient;

pub mod card;
pub mod checkout;
pub mod customer;
pub mod payment_link;
pub mod payment_methods;
pub mod refund;
pub mod routing;
pub mod token;
pub mod transaction;

pub(crate) mod amount;

/// Declares an open string enum: known variants (matched case-insensitively, with aliases),
/// `Unknown(String)` keeping any other raw value, `as_str`, `Display`, `Serialize` and
/// `Deserialize`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => $wire:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value this version of the crate does not know, kept as received.
            Unknown(String),
        }

        impl $name {
            /// Parses a wire value (case-insensitively); unknown values are kept in `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                let v = value.trim();
                $(
                    if v.eq_ignore_ascii_case($wire) $(|| v.eq_ignore_ascii_case($alias))* {
                        return Self::$variant;
                    }
                )+
                Self::Unknown(value.to_owned())
            }

            /// The wire value (the documented spelling for known variants).
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(raw) => raw,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <String as ::serde::Deserialize>::deserialize(d)?;
                Ok(Self::from_wire(&raw))
            }
        }
    };
}
pub(crate) use open_enum;

/// Sandbox or live: PortOne serves both from the same host and the same account; each request
/// says which one it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Environment {
    /// Test mode (`"sandbox"`).
    Sandbox,
    /// Production (`"live"`).
    Live,
}

impl Environment {
    /// The wire value: `"sandbox"` or `"live"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Live => "live",
        }
    }

    /// Parses `"sandbox"` or `"live"` (case-insensitively).
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            v if v.eq_ignore_ascii_case("sandbox") => Some(Self::Sandbox),
            v if v.eq_ignore_ascii_case("live") => Some(Self::Live),
            _ => None,
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Environment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Environment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).ok_or_else(|| {
            serde::de::Error::invalid_value(serde::de::Unexpected::Str(&raw), &"sandbox or live")
        })
    }
}

open_enum! {
    /// The status of a transaction (`status` of payments, redirects and webhooks).
    ///
    /// Only [`TransactionStatus::Success`] means the money moved; an unknown status is never a
    /// success.
    pub enum TransactionStatus {
        /// The payment succeeded.
        Success => "Success",
        /// The payment failed.
        Failed => "Failed",
        /// The payment is waiting for the customer or the channel.
        Pending => "Pending",
        /// The payment was created and not yet completed.
        Initiated => "Initiated",
        /// The payment expired before completion.
        Expired => "Expired",
    }
}

impl TransactionStatus {
    /// `true` only for [`TransactionStatus::Success`].
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Success)
    }

    /// `true` for the statuses after which nothing changes any more (success, failure, expiry).
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Success | Self::Failed | Self::Expired)
    }
}

open_enum! {
    /// PortOne's `status_reason`: the name of a result code.
    ///
    /// Both spellings PortOne uses (`UNAUTHORISED` and `UNAUTHORIZED`) map to the same variant;
    /// decisions should still be keyed on the numeric [`ResultCode`] first.
    pub enum StatusReason {
        /// `SUCCESS` (2000).
        Success => "SUCCESS",
        /// `INVALID_REQUEST_DATA` / `INVALID_REQUEST` (4001).
        InvalidRequest => "INVALID_REQUEST_DATA" | "INVALID_REQUEST",
        /// `INVALID_PAYMENT_REQUEST` (4001).
        InvalidPaymentRequest => "INVALID_PAYMENT_REQUEST",
        /// `INVALID_TRANSACTION_ERROR` (4000).
        InvalidTransaction => "INVALID_TRANSACTION_ERROR",
        /// `DUPLICATE_TRANSACTION_ERROR` (4002): the merchant order id was already used.
        DuplicateTransaction => "DUPLICATE_TRANSACTION_ERROR",
        /// `INVALID_UNAUTHORISED_TRANSACTION_IAMPORTKEY_ERROR` (4010), also spelled `…UNAUTHORIZED…`.
        InvalidIamportKey => "INVALID_UNAUTHORISED_TRANSACTION_IAMPORTKEY_ERROR"
            | "INVALID_UNAUTHORIZED_TRANSACTION_IAMPORTKEY_ERROR",
        /// `INVALID_UNAUTHORISED_TRANSACTION_SIGNATURE_ERROR` (4011), also spelled `…UNAUTHORIZED…`.
        InvalidSignature => "INVALID_UNAUTHORISED_TRANSACTION_SIGNATURE_ERROR"
            | "INVALID_UNAUTHORIZED_TRANSACTION_SIGNATURE_ERROR",
        /// `INVALID_UNAUTHORISED_TRANSACTION_ERROR` (4012; also 4010 for a JWT that does not parse).
        InvalidUnauthorisedTransaction => "INVALID_UNAUTHORISED_TRANSACTION_ERROR"
            | "INVALID_UNAUTHORIZED_TRANSACTION_ERROR",
        /// `INVALID_JWT_TOKEN` (4010).
        InvalidJwtToken => "INVALID_JWT_TOKEN",
        /// `INVALID_UNAUTHORIZED_JWT_TOKEN_ERROR` (4054), also spelled `…UNAUTHORISED…`.
        InvalidJwt => "INVALID_UNAUTHORIZED_JWT_TOKEN_ERROR"
            | "INVALID_UNAUTHORISED_JWT_TOKEN_ERROR",
        /// `MERCHANT_NOT_FOUND` (4016; also used for an unknown customer or card).
        MerchantNotFound => "MERCHANT_NOT_FOUND",
        /// `INVALID_ENVIRONMENT` (4034).
        InvalidEnvironment => "INVALID_ENVIRONMENT",
        /// `INVALID_AMOUNT` (4041).
        InvalidAmount => "INVALID_AMOUNT",
        /// `INVALID_PAYMENT_CHANNEL_KEY` (4046).
        InvalidPaymentChannelKey => "INVALID_PAYMENT_CHANNEL_KEY",
        /// `OTP_EXPIRED` (4056).
        OtpExpired => "OTP_EXPIRED",
        /// `INVALID_PAYMENT_METHOD` (4057).
        InvalidPaymentMethod => "INVALID_PAYMENT_METHOD",
        /// `OTP_VERIFICATION_ERROR` (4073).
        OtpVerification => "OTP_VERIFICATION_ERROR",
        /// `PARTIAL_REFUND_NOT_ALLOWED` (4081).
        PartialRefundNotAllowed => "PARTIAL_REFUND_NOT_ALLOWED",
        /// `ROLE_NOT_ALLOWED` (4081).
        RoleNotAllowed => "ROLE_NOT_ALLOWED",
        /// `INVALID_UNAUTHORISED_PORTONEKEY_ERROR` (4084), also spelled `…UNAUTHORIZED…`.
        InvalidPortoneKey => "INVALID_UNAUTHORISED_PORTONEKEY_ERROR"
            | "INVALID_UNAUTHORIZED_PORTONEKEY_ERROR",
        /// `INVALID_TOTAL_ADDITIONAL_COST` (4090).
        InvalidTotalAdditionalCost => "INVALID_TOTAL_ADDITIONAL_COST",
        /// `INVALID_REFERENCE` (4096): no transaction with that reference.
        InvalidReference => "INVALID_REFERENCE",
        /// `INVALID_UNAUTHORISED_PORTONE_SECRET_ERROR` (4099), also spelled `…UNAUTHORIZED…`.
        InvalidPortoneSecret => "INVALID_UNAUTHORISED_PORTONE_SECRET_ERROR"
            | "INVALID_UNAUTHORIZED_PORTONE_SECRET_ERROR",
        /// `PAYMENT_SYSTEM_ERROR` (5000).
        PaymentSystemError => "PAYMENT_SYSTEM_ERROR",
        /// `INVALID_PAYMENT_CHANNEL` (5023): the channel is not enabled for the merchant.
        InvalidPaymentChannel => "INVALID_PAYMENT_CHANNEL",
        /// "Summation of order value, tax, duties, shipping, and discount should equal the total
        /// amount": the order items do not add up to the amount.
        OrderAmountMismatch => "Summation of order value, tax, duties, shipping, and discount should equal the total amount",
    }
}

impl StatusReason {
    /// The documented result code of this reason, where the error-code table gives one.
    pub fn documented_code(&self) -> Option<&'static str> {
        Some(match self {
            Self::Success => "2000",
            Self::InvalidRequest | Self::InvalidPaymentRequest => "4001",
            Self::InvalidTransaction => "4000",
            Self::DuplicateTransaction => "4002",
            Self::InvalidIamportKey | Self::InvalidJwtToken => "4010",
            Self::InvalidSignature => "4011",
            Self::InvalidUnauthorisedTransaction => "4012",
            Self::MerchantNotFound => "4016",
            Self::InvalidEnvironment => "4034",
            Self::InvalidAmount => "4041",
            Self::InvalidPaymentChannelKey => "4046",
            Self::InvalidJwt => "4054",
            Self::OtpExpired => "4056",
            Self::InvalidPaymentMethod => "4057",
            Self::OtpVerification => "4073",
            Self::PartialRefundNotAllowed | Self::RoleNotAllowed => "4081",
            Self::InvalidPortoneKey => "4084",
            Self::InvalidTotalAdditionalCost => "4090",
            Self::InvalidReference => "4096",
            Self::InvalidPortoneSecret => "4099",
            Self::PaymentSystemError => "5000",
            Self::InvalidPaymentChannel => "5023",
            Self::OrderAmountMismatch | Self::Unknown(_) => return None,
        })
    }

    /// What PortOne's documentation advises when this error comes back.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            Self::InvalidJwt | Self::InvalidJwtToken | Self::InvalidUnauthorisedTransaction => {
                "check that the PortOne key and the secret key belong to the same account and the \
                 secret is unaltered, that the token is sent as `Bearer <token>` with a space, and \
                 that the token has not expired (compare this host's clock with real time)"
            }
            Self::InvalidSignature => {
                "check that every signed parameter (amount, client_key, currency, failure_url, \
                 merchant_order_id, success_url) matches the payload, and that the PortOne key \
                 matches the payload and the account"
            }
            Self::InvalidIamportKey | Self::InvalidPortoneKey => {
                "check that the PortOne key matches the payload and the account"
            }
            Self::InvalidPortoneSecret => {
                "check that the secret key belongs to the PortOne key's account"
            }
            Self::InvalidPaymentChannel
            | Self::InvalidPaymentChannelKey
            | Self::InvalidPaymentMethod => {
                "check that the payment channels and methods in the payload are enabled in the \
                 PortOne portal"
            }
            Self::InvalidEnvironment => "specify the environment: `sandbox` or `live`",
            Self::OrderAmountMismatch | Self::InvalidTotalAdditionalCost => AMOUNT_RULE_HINT,
            Self::DuplicateTransaction => {
                "the merchant order id was used before: look the order up with \
                 `transaction_status` before paying again, and use a new id for a new payment"
            }
            Self::OtpExpired | Self::OtpVerification => {
                "request a new OTP with `send_otp` and retry with the code the customer receives"
            }
            _ => return None,
        })
    }
}

/// The advice for the order-amount rule.
pub(crate) const AMOUNT_RULE_HINT: &str = "if order items are given, sum(price × quantity) + \
    shipping_charges (+ tax_amount) − promo_discount must equal amount; price, promo_discount \
    (0 accepted) and shipping_charges (0 accepted) are mandatory";

/// The class of a PortOne `status_code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeClass {
    /// `1xxx`: pending.
    Pending,
    /// `2000`: success.
    Success,
    /// `4xxx`: the request was invalid or unauthorised.
    Validation,
    /// `5xxx`: PortOne or payment-channel system error.
    System,
    /// `6xxx`: declined by the bank or card issuer.
    BankOrCard,
    /// `7000`: customer creation error.
    Customer,
    /// `8xxx`: other payment-channel error.
    Channel,
    /// Anything else.
    Unknown,
}

/// PortOne's 4-digit `status_code` (sent as a string, sometimes as a number).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResultCode(String);

impl ResultCode {
    /// Wraps a code.
    pub fn new(code: impl Into<String>) -> Self {
        Self(code.into())
    }

    /// The code as received, e.g. `"2000"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The documented class of the code.
    pub fn class(&self) -> CodeClass {
        Self::class_of(&self.0)
    }

    /// The documented class of the code `code` (as received).
    pub(crate) fn class_of(code: &str) -> CodeClass {
        let code = code.trim();
        if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return CodeClass::Unknown;
        }
        match code.as_bytes()[0] {
            b'1' => CodeClass::Pending,
            b'2' if code == "2000" => CodeClass::Success,
            b'4' => CodeClass::Validation,
            b'5' => CodeClass::System,
            b'6' => CodeClass::BankOrCard,
            b'7' => CodeClass::Customer,
            b'8' => CodeClass::Channel,
            _ => CodeClass::Unknown,
        }
    }

    /// `true` for `2000`.
    pub fn is_success(&self) -> bool {
        self.class() == CodeClass::Success
    }
}

impl fmt::Display for ResultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ResultCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ResultCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::opt_string(d)?
            .map(ResultCode)
            .ok_or_else(|| serde::de::Error::custom("status_code is null"))
    }
}

/// The result fields every PortOne envelope carries next to its `content`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ResponseStatus {
    /// Human-readable message.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    /// The 4-digit result code.
    #[serde(default)]
    pub status_code: Option<ResultCode>,
    /// The result code's name (`status_reason`; some responses call it `status_message`).
    #[serde(default, alias = "status_message")]
    pub status_reason: Option<StatusReason>,
}

/// An answer that carries no data: the call was accepted (capture, card deletion, link
/// cancellation, OTP).
pub type Acknowledgement = ResponseStatus;

/// The `{content, message, status_code, status_reason}` envelope.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope<T> {
    pub(crate) content: T,
    #[serde(flatten)]
    #[allow(dead_code)]
    pub(crate) status: ResponseStatus,
}

/// A timestamp as PortOne sends it: Go's `time.Time.String()` form
/// (`2024-09-26 10:55:14.573735 +0000 UTC`) or RFC 3339 (`2024-09-26T10:47:22.372093Z`).
/// The raw text is kept; [`Timestamp::parse`] interprets both forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub String);

impl Timestamp {
    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses RFC 3339 or Go's default format; `None` when neither matches.
    pub fn parse(&self) -> Option<time::OffsetDateTime> {
        use time::format_description::well_known::Rfc3339;
        let raw = self.0.trim();
        if let Ok(t) = time::OffsetDateTime::parse(raw, &Rfc3339) {
            return Some(t);
        }
        // Go: "2006-01-02 15:04:05.999999999 -0700 MST" (fraction optional, zone name ignored).
        let mut parts = raw.split(' ');
        let (date, clock, offset) = (parts.next()?, parts.next()?, parts.next()?);
        let rfc = format!(
            "{date}T{clock}{}{}:{}",
            offset.get(..1)?,
            offset.get(1..3)?,
            offset.get(3..5)?
        );
        time::OffsetDateTime::parse(&rfc, &Rfc3339).ok()
    }
}

/// A phone number with country code: `+` then 8–15 digits.
pub(crate) fn validate_phone(phone: &str) -> Result<(), crate::Error> {
    let digits = phone.strip_prefix('+').unwrap_or_default();
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(crate::Error::invalid(
            crate::error::Rule::Phone,
            "phone number must be + and 8 to 15 digits, with the country code",
        ));
    }
    Ok(())
}

/// A reference placed in a URL path: non-empty, letters, digits, `-`, `_`, `.` only.
pub(crate) fn validate_reference(field: &str, value: &str) -> Result<(), crate::Error> {
    let ok = !value.is_empty()
        && value.len() <= 128
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && value != "."
        && value != "..";
    if !ok {
        return Err(crate::Error::invalid(
            crate::error::Rule::Reference,
            format!("{field} must be letters, digits, '-', '_' or '.' (got {value:?})"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_map_to_one_variant_and_unknown_keeps_raw() {
        assert_eq!(
            StatusReason::from_wire("INVALID_UNAUTHORIZED_TRANSACTION_SIGNATURE_ERROR"),
            StatusReason::InvalidSignature
        );
        assert_eq!(
            StatusReason::from_wire("INVALID_UNAUTHORISED_TRANSACTION_SIGNATURE_ERROR"),
            StatusReason::InvalidSignature
        );
        assert_eq!(
            StatusReason::from_wire("INVALID_UNAUTHORISED_JWT_TOKEN_ERROR"),
            StatusReason::InvalidJwt
        );
        let unknown = StatusReason::from_wire("SOMETHING_NEW");
        assert_eq!(unknown, StatusReason::Unknown("SOMETHING_NEW".into()));
        assert_eq!(unknown.as_str(), "SOMETHING_NEW");
        assert!(unknown.hint().is_none());
    }

    #[test]
    fn unknown_transaction_status_is_not_success() {
        for raw in ["Succeeded", "SUCCESS_PENDING", "", "Authorised"] {
            assert!(!TransactionStatus::from_wire(raw).is_success(), "{raw}");
        }
        assert!(TransactionStatus::from_wire("success").is_success());
    }

    #[test]
    fn result_code_classes_follow_the_table() {
        assert_eq!(ResultCode::new("2000").class(), CodeClass::Success);
        assert_eq!(ResultCode::new("1001").class(), CodeClass::Pending);
        assert_eq!(ResultCode::new("4054").class(), CodeClass::Validation);
        assert_eq!(ResultCode::new("5000").class(), CodeClass::System);
        assert_eq!(ResultCode::new("6001").class(), CodeClass::BankOrCard);
        assert_eq!(ResultCode::new("7000").class(), CodeClass::Customer);
        assert_eq!(ResultCode::new("8001").class(), CodeClass::Channel);
        assert_eq!(ResultCode::new("2001").class(), CodeClass::Unknown);
        assert_eq!(ResultCode::new("abc").class(), CodeClass::Unknown);
    }

    #[test]
    fn both_timestamp_forms_parse_to_the_same_instant_kind() {
        let go = Timestamp("2024-09-26 10:55:14.573735 +0000 UTC".into());
        let rfc = Timestamp("2024-09-26T10:55:14.573735Z".into());
        assert_eq!(go.parse(), rfc.parse());
        assert!(go.parse().is_some());
        assert!(Timestamp("yesterday".into()).parse().is_none());
    }
}
