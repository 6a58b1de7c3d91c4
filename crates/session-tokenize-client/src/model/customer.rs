//! The Customer object and its stored payment methods (tokens).
//!
//! Pivot identifies a customer by e-mail and returns a `customerId` with every Payment Session.
//! When a session with `saveForFutureUse` is paid by card or e-wallet, the payment method is
//! stored under that customer as a token, which [`Client::get_customer`](crate::Client::get_customer)
//! lists and a later session can charge.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{PaymentMethodType, validate_len, validate_opt_len, wire_enum};
use crate::Error;

/// A customer: sent with a Payment Session, returned by it and by `GET /v1/customers/{id}`.
///
/// ```
/// use session_tokenize_client::model::customer::{Customer, PhoneNumber};
///
/// let customer = Customer::new("reforza@pivot-payment.com")
///     .given_name("Reforza Jordan")
///     .surname("Geotama")
///     .phone_number(PhoneNumber::new("+62", "89699990001"));
/// assert_eq!(customer.email, "reforza@pivot-payment.com");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Customer {
    /// First name (1–255).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub given_name: Option<String>,
    /// Last name (0–255). Some Pivot examples spell it `sureName`; both are read.
    #[serde(
        alias = "sureName",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub surname: Option<String>,
    /// E-mail, Pivot's unique identifier of the customer (1–255, mandatory).
    pub email: String,
    /// Phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<PhoneNumber>,
    /// How refunds reach this customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_preference: Option<RefundPreference>,
    /// Saved cards and e-wallets (responses only; `storePaymentMethods` is read too).
    #[serde(
        alias = "storePaymentMethods",
        skip_serializing,
        deserialize_with = "crate::de::null_as_empty"
    )]
    pub stored_payment_methods: Vec<StoredPaymentMethod>,
}

impl Customer {
    /// Decodes a customer answer (`GET /v1/customers/{customerId}`) from its HTTP status and body with the decoder the
    /// [`Client`](crate::Client) uses: an error answer (a non-2xx status, or a `code` other
    /// than `"00"`) is [`Error::Provider`], a body that does not decode
    /// is [`Error::Decode`] naming the failing field.
    pub fn from_response(status: http::StatusCode, body: &[u8]) -> Result<Self, crate::Error> {
        crate::decode::standalone::<Self>(status, body, false).map(|(data, _)| data)
    }
}

impl Customer {
    /// A customer identified by `email`.
    pub fn new(email: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            ..Self::default()
        }
    }

    /// Sets the first name.
    pub fn given_name(mut self, given_name: impl Into<String>) -> Self {
        self.given_name = Some(given_name.into());
        self
    }

    /// Sets the last name.
    pub fn surname(mut self, surname: impl Into<String>) -> Self {
        self.surname = Some(surname.into());
        self
    }

    /// Sets the phone number.
    pub fn phone_number(mut self, phone_number: PhoneNumber) -> Self {
        self.phone_number = Some(phone_number);
        self
    }

    /// Sets the refund preference.
    pub fn refund_preference(mut self, refund_preference: RefundPreference) -> Self {
        self.refund_preference = Some(refund_preference);
        self
    }

    /// The stored cards that are `ACTIVE`, newest first as Pivot lists them.
    pub fn active_cards(&self) -> impl Iterator<Item = &StoredPaymentMethod> {
        self.stored_payment_methods.iter().filter(|m| {
            m.payment_method == Some(PaymentMethodType::Card)
                && m.status == Some(StoredPaymentMethodStatus::Active)
        })
    }

    pub(crate) fn validate(&self, path: impl fmt::Display) -> Result<(), Error> {
        validate_opt_len(
            self.given_name.as_deref(),
            format_args!("{path}.givenName"),
            1,
            255,
        )?;
        validate_opt_len(
            self.surname.as_deref(),
            format_args!("{path}.surname"),
            0,
            255,
        )?;
        validate_email(&self.email, format_args!("{path}.email"))?;
        if let Some(phone) = &self.phone_number {
            phone.validate(format_args!("{path}.phoneNumber"))?;
        }
        if let Some(pref) = &self.refund_preference {
            pref.validate(format_args!("{path}.refundPreference"))?;
        }
        Ok(())
    }
}

pub(crate) fn validate_email(email: &str, field: impl fmt::Display) -> Result<(), Error> {
    validate_len(email, &field, 1, 255)?;
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    }) && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(())
    } else {
        Err(Error::invalid(
            field.to_string(),
            "is not an e-mail address",
        ))
    }
}

/// A phone number: country code (`+62`) and national number starting with `8`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct PhoneNumber {
    /// Country calling code with `+`, e.g. `+62` (1–4 characters).
    #[serde(alias = "CountryCode")]
    pub country_code: String,
    /// The number without the country code, starting with `8` (1–15 digits).
    pub number: String,
}

impl PhoneNumber {
    /// A phone number such as `PhoneNumber::new("+62", "89699990001")`.
    pub fn new(country_code: impl Into<String>, number: impl Into<String>) -> Self {
        Self {
            country_code: country_code.into(),
            number: number.into(),
        }
    }

    pub(crate) fn validate(&self, path: impl fmt::Display) -> Result<(), Error> {
        let cc = &self.country_code;
        validate_len(cc, format_args!("{path}.countryCode"), 2, 4)?;
        if !(cc.starts_with('+') && cc[1..].bytes().all(|b| b.is_ascii_digit())) {
            return Err(Error::invalid(
                format!("{path}.countryCode"),
                "must be `+` followed by digits, e.g. +62",
            ));
        }
        validate_len(&self.number, format_args!("{path}.number"), 1, 15)?;
        if !self.number.bytes().all(|b| b.is_ascii_digit()) || !self.number.starts_with('8') {
            return Err(Error::invalid(
                format!("{path}.number"),
                "must be digits starting with 8 (without the country code or a leading 0)",
            ));
        }
        Ok(())
    }
}

wire_enum! {
    /// How a refund is paid out.
    pub enum RefundMethod {
        /// Back through the payment channel, falling back to a bank transfer (the default).
        Auto => "AUTO",
        /// Only by bank transfer, to the given `transferDestination`.
        TransferOnly => "TRANSFER_ONLY",
    }
}

/// The customer's refund preference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RefundPreference {
    /// `AUTO` or `TRANSFER_ONLY`.
    pub method: RefundMethod,
    /// The account for bank transfers (required with `TRANSFER_ONLY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_destination: Option<TransferDestination>,
}

impl RefundPreference {
    /// Refund through the payment channel, falling back to a transfer.
    pub fn auto() -> Self {
        Self {
            method: RefundMethod::Auto,
            transfer_destination: None,
        }
    }

    /// Refund through the channel, falling back to a transfer to `destination`.
    pub fn auto_with_fallback(destination: TransferDestination) -> Self {
        Self {
            method: RefundMethod::Auto,
            transfer_destination: Some(destination),
        }
    }

    /// Refund only by bank transfer to `destination`.
    pub fn transfer_only(destination: TransferDestination) -> Self {
        Self {
            method: RefundMethod::TransferOnly,
            transfer_destination: Some(destination),
        }
    }

    pub(crate) fn validate(&self, path: impl fmt::Display) -> Result<(), Error> {
        match &self.transfer_destination {
            Some(dest) => dest.validate(format_args!("{path}.transferDestination")),
            None if self.method == RefundMethod::TransferOnly => Err(Error::invalid(
                format!("{path}.transferDestination"),
                "is required when the method is TRANSFER_ONLY",
            )),
            None => Ok(()),
        }
    }
}

/// A bank (or e-wallet) account that receives a transfer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct TransferDestination {
    /// Channel (bank) code, e.g. `014` or `BCA` (1–20).
    pub channel_code: String,
    /// The account.
    pub channel_information: ChannelInformation,
    /// Text shown on the beneficiary's statement (refunds only; at most 20 letters, digits and
    /// spaces).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub description: Option<String>,
}

impl TransferDestination {
    /// An account at `channel_code`.
    pub fn new(
        channel_code: impl Into<String>,
        account_number: impl Into<String>,
        account_name: impl Into<String>,
    ) -> Self {
        Self {
            channel_code: channel_code.into(),
            channel_information: ChannelInformation {
                account_number: account_number.into(),
                account_name: account_name.into(),
            },
            description: None,
        }
    }

    /// Sets the statement text (refunds).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub(crate) fn validate(&self, path: impl fmt::Display) -> Result<(), Error> {
        validate_len(
            &self.channel_code,
            format_args!("{path}.channelCode"),
            1,
            20,
        )?;
        validate_len(
            &self.channel_information.account_number,
            format_args!("{path}.channelInformation.accountNumber"),
            1,
            30,
        )?;
        validate_len(
            &self.channel_information.account_name,
            format_args!("{path}.channelInformation.accountName"),
            1,
            50,
        )?;
        if let Some(description) = &self.description {
            validate_len(description, format_args!("{path}.description"), 0, 20)?;
            if !description
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ')
            {
                return Err(Error::invalid(
                    format!("{path}.description"),
                    "may contain only letters, digits and spaces",
                ));
            }
        }
        Ok(())
    }
}

/// Account number and holder name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ChannelInformation {
    /// Account number (1–30).
    pub account_number: String,
    /// Account holder name (1–50).
    pub account_name: String,
}

wire_enum! {
    /// Status of a stored payment method.
    pub enum StoredPaymentMethodStatus {
        /// Usable.
        Active => "ACTIVE",
        /// No longer usable.
        Inactive => "INACTIVE",
    }
}

/// A saved card or e-wallet of a customer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct StoredPaymentMethod {
    /// The token to charge (`paymentMethod.card.token` of a later session).
    pub token: String,
    /// `CARD` or `EWALLET` (read case-insensitively: Pivot also writes `ewallet`).
    #[serde(deserialize_with = "crate::de::opt_enum")]
    pub payment_method: Option<PaymentMethodType>,
    /// The network or wallet, e.g. `VISA` or `dana`, as sent.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub payment_channel: Option<String>,
    /// `ACTIVE` or `INACTIVE`.
    #[serde(deserialize_with = "crate::de::opt_enum")]
    pub status: Option<StoredPaymentMethodStatus>,
    /// When the method was stored.
    #[serde(deserialize_with = "crate::de::opt_timestamp")]
    pub created_at: Option<OffsetDateTime>,
    /// Card details (cards only).
    pub card: Option<StoredCard>,
}

/// The non-sensitive details of a stored card.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct StoredCard {
    /// Pivot's unique card identification.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub fingerprint: Option<String>,
    /// Card network, e.g. `VISA`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub network: Option<String>,
    /// First six digits of the card number.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub first6: Option<String>,
    /// First eight digits of the card number.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub first8: Option<String>,
    /// Last four digits of the card number.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub last4: Option<String>,
    /// Expiry month, two digits (`"01"`).
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub exp_month: Option<String>,
    /// Expiry year, two digits (`"39"`).
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub exp_year: Option<String>,
    /// Card holder first name.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub card_holder_first_name: Option<String>,
    /// Card holder last name.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub card_holder_last_name: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn customers_outside_the_documented_limits_are_refused() {
        let ok = Customer::new("reforza@pivot-payment.com")
            .phone_number(PhoneNumber::new("+62", "89699990001"));
        assert!(ok.validate("customer").is_ok());
        assert!(Customer::new("not-an-email").validate("customer").is_err());
        assert!(Customer::new("").validate("customer").is_err());
        let leading_zero = Customer::new("a@b.co").phone_number(PhoneNumber::new("+62", "0896"));
        let err = leading_zero.validate("customer").unwrap_err();
        assert!(
            err.to_string().contains("customer.phoneNumber.number"),
            "{err}"
        );
        let no_plus = Customer::new("a@b.co").phone_number(PhoneNumber::new("62", "896"));
        assert!(no_plus.validate("customer").is_err());
    }

    #[test]
    fn transfer_only_refunds_need_a_destination() {
        let mut pref = RefundPreference::auto();
        assert!(pref.validate("p").is_ok());
        pref.method = RefundMethod::TransferOnly;
        assert!(pref.validate("p").is_err());
        let dest = TransferDestination::new("014", "17677665415", "Reforza Jordan Geotama");
        assert!(
            RefundPreference::transfer_only(dest.clone())
                .validate("p")
                .is_ok()
        );
        let long_name = TransferDestination::new("014", "1", "x".repeat(51));
        assert!(
            RefundPreference::transfer_only(long_name)
                .validate("p")
                .is_err()
        );
        assert!(
            dest.clone()
                .description("Refund Pivot")
                .validate("d")
                .is_ok()
        );
        assert!(dest.description("Refund-Pivot").validate("d").is_err());
    }
}
