//! Wire types of the Pivot Payments API, one file per API area.
//!
//! | module | what it holds |
//! |---|---|
//! | [`session`] | Payment Session requests (create, confirm, cancel, capture, list) and the Payment Session, Charge and Capture objects |
//! | [`customer`] | the Customer object, shared by requests and responses, with stored payment methods (tokens) |
//! | [`refund`] | refund requests and the Refund object |
//! | [`config`] | the payment-method configuration of the merchant |
//!
//! Request types validate Pivot's documented limits before anything is sent; response types
//! accept every documented spelling and shape (numbers or strings, `null` lists, alias field
//! names) and keep unknown enum values in an `Unknown(String)` variant.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Error;

pub mod config;
pub mod customer;
pub mod refund;
pub mod session;

/// Defines a `#[non_exhaustive]` string enum that keeps unknown values, parses
/// case-insensitively and serializes to its wire value.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => $wire:literal $(| $alias:literal)*,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )*
            /// A value this version of the crate does not know, kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// The value as Pivot writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(raw) => raw,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            /// Parses a wire value, ignoring ASCII case; unknown values become `Unknown`.
            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                $(
                    if raw.eq_ignore_ascii_case($wire) $(|| raw.eq_ignore_ascii_case($alias))* {
                        return Ok(Self::$variant);
                    }
                )*
                Ok(Self::Unknown(raw.to_owned()))
            }
        }

        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                match <Self as ::std::str::FromStr>::from_str(raw) {
                    Ok(value) => value,
                    Err(never) => match never {},
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(raw.as_ref()))
            }
        }
    };
}
pub(crate) use wire_enum;

/// An amount in **major units** of its currency, as Pivot writes it:
/// `{"value": 10000, "currency": "IDR"}` is Rp 10,000 (IDR has no minor unit).
///
/// Payment objects send the value as a JSON number; refunds send it as a string. Both are read.
///
/// ```
/// use session_tokenize_client::model::Amount;
///
/// let amount = Amount::idr(10_000);
/// assert_eq!(serde_json::to_string(&amount)?, r#"{"value":10000,"currency":"IDR"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Amount {
    /// The value in major units.
    #[serde(
        serialize_with = "crate::de::ser_decimal_number",
        deserialize_with = "crate::de::decimal"
    )]
    pub value: Decimal,
    /// ISO 4217 currency code, e.g. `IDR`.
    pub currency: String,
}

impl Amount {
    /// An amount of `value` major units of `currency` (an ISO 4217 code such as `IDR`).
    pub fn new(value: impl Into<Decimal>, currency: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            currency: currency.into(),
        }
    }

    /// An amount in Indonesian rupiah (no minor unit): `Amount::idr(10_000)` is Rp 10,000.
    pub fn idr(value: i64) -> Self {
        Self::new(value, "IDR")
    }

    /// Checks the documented limits: a positive value of at most 18 digits that a JSON number
    /// carries exactly, and a three-letter upper-case currency code.
    pub(crate) fn validate(&self, field: impl fmt::Display) -> Result<(), Error> {
        validate_currency(&self.currency, format_args!("{field}.currency"))?;
        if self.value <= Decimal::ZERO {
            return Err(Error::invalid(
                format!("{field}.value"),
                "must be greater than zero",
            ));
        }
        let normalized = self.value.normalize();
        // Decimal digits of the mantissa (the value is positive, so the mantissa is not zero).
        let digits = normalized
            .mantissa()
            .unsigned_abs()
            .checked_ilog10()
            .map_or(1, |log| log + 1);
        if digits > 18 {
            return Err(Error::invalid(
                format!("{field}.value"),
                "has more than 18 digits",
            ));
        }
        if crate::de::decimal_as_json_number(self.value).is_none() {
            return Err(Error::invalid(
                format!("{field}.value"),
                "has more significant digits than a JSON number carries exactly",
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.currency)
    }
}

/// Field names are `Display` so that a path is only formatted when a check fails.
pub(crate) fn validate_currency(currency: &str, field: impl fmt::Display) -> Result<(), Error> {
    if currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::invalid(
            field.to_string(),
            "must be a three-letter upper-case ISO 4217 code such as IDR",
        ))
    }
}

/// Checks that `value` is between `min` and `max` characters long.
pub(crate) fn validate_len(
    value: &str,
    field: impl fmt::Display,
    min: usize,
    max: usize,
) -> Result<(), Error> {
    let len = value.chars().count();
    if len < min || len > max {
        let message = if min == 0 {
            format!("must be at most {max} characters (got {len})")
        } else if min == max {
            format!("must be {min} characters (got {len})")
        } else {
            format!("must be {min} to {max} characters (got {len})")
        };
        return Err(Error::invalid(field.to_string(), message));
    }
    Ok(())
}

pub(crate) fn validate_opt_len(
    value: Option<&str>,
    field: impl fmt::Display,
    min: usize,
    max: usize,
) -> Result<(), Error> {
    match value {
        Some(v) => validate_len(v, field, min, max),
        None => Ok(()),
    }
}

/// Page information of list responses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Pagination {
    /// The current page (1-based).
    #[serde(deserialize_with = "crate::de::opt_u64")]
    pub page: Option<u64>,
    /// Records per page.
    #[serde(deserialize_with = "crate::de::opt_u64")]
    pub per_page: Option<u64>,
    /// Records in all pages.
    #[serde(deserialize_with = "crate::de::opt_u64")]
    pub total_items: Option<u64>,
    /// Number of pages.
    #[serde(deserialize_with = "crate::de::opt_u64")]
    pub total_pages: Option<u64>,
}

/// One page of a list response.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The records of this page.
    pub items: Vec<T>,
    /// Page information, when Pivot sent it.
    pub pagination: Option<Pagination>,
}

impl<T: serde::de::DeserializeOwned> Page<T> {
    /// Decodes a list answer (sessions, charges or refunds) from its HTTP status and body with
    /// the decoder the [`Client`](crate::Client) uses; a missing or `null` `data` is an empty
    /// page. Errors as in [`PaymentSession::from_response`](session::PaymentSession::from_response).
    ///
    /// ```
    /// use http::StatusCode;
    /// use session_tokenize_client::model::Page;
    /// use session_tokenize_client::model::refund::Refund;
    ///
    /// let body = br#"{"code":"00","data":null,"pagination":{"page":1,"perPage":20,"totalItems":0,"totalPages":0}}"#;
    /// let page = Page::<Refund>::from_response(StatusCode::OK, body)?;
    /// assert!(page.items.is_empty() && !page.has_more());
    /// # Ok::<(), session_tokenize_client::Error>(())
    /// ```
    pub fn from_response(status: http::StatusCode, body: &[u8]) -> Result<Self, Error> {
        crate::decode::standalone::<Vec<T>>(status, body, true)
            .map(|(items, pagination)| Page { items, pagination })
    }
}

impl<T> Page<T> {
    /// Whether a later page exists, according to the pagination Pivot sent.
    pub fn has_more(&self) -> bool {
        match &self.pagination {
            Some(Pagination {
                page: Some(page),
                total_pages: Some(total),
                ..
            }) => page < total,
            _ => false,
        }
    }
}

/// `page` / `perPage` query parameters shared by list operations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageRequest {
    page: Option<u32>,
    per_page: Option<u32>,
}

impl PageRequest {
    /// The first page with Pivot's default size (20).
    pub fn new() -> Self {
        Self::default()
    }

    /// The 1-based page to fetch.
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Records per page, 1 to 100.
    pub fn per_page(mut self, per_page: u32) -> Self {
        self.per_page = Some(per_page);
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.page == Some(0) {
            return Err(Error::invalid("page", "pages start at 1"));
        }
        if let Some(n) = self.per_page
            && !(1..=100).contains(&n)
        {
            return Err(Error::invalid("perPage", "must be 1 to 100"));
        }
        Ok(())
    }

    pub(crate) fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(page) = self.page {
            query.push(("page", page.to_string()));
        }
        if let Some(per_page) = self.per_page {
            query.push(("perPage", per_page.to_string()));
        }
        query
    }
}

wire_enum! {
    /// The type of a payment method.
    pub enum PaymentMethodType {
        /// Bank virtual account.
        VirtualAccount => "VIRTUAL_ACCOUNT",
        /// QRIS.
        Qr => "QR",
        /// Card.
        Card => "CARD",
        /// E-wallet (DANA, ShopeePay, OVO).
        Ewallet => "EWALLET",
    }
}

/// The `{code, message, data, error, pagination}` envelope of every Pivot response.
#[derive(Debug, Deserialize)]
/// `code` and `message` are borrowed from the body when they can be.
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub(crate) struct Envelope<'a, T> {
    #[serde(borrow, default, deserialize_with = "crate::de::opt_str")]
    pub(crate) code: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "crate::de::opt_str")]
    pub(crate) message: Option<std::borrow::Cow<'a, str>>,
    #[serde(default = "Option::default")]
    pub(crate) data: Option<T>,
    #[serde(default)]
    pub(crate) error: Option<crate::error::WireError>,
    #[serde(default)]
    pub(crate) pagination: Option<Pagination>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::str::FromStr;

    #[test]
    fn amounts_outside_the_documented_limits_are_refused() {
        assert!(Amount::idr(10_000).validate("amount").is_ok());
        assert!(Amount::idr(0).validate("amount").is_err());
        assert!(Amount::idr(-5).validate("amount").is_err());
        assert!(Amount::new(10_000, "idr").validate("amount").is_err());
        assert!(Amount::new(10_000, "RUPIAH").validate("amount").is_err());
        let nineteen = Decimal::from_str("1234567890123456789").unwrap();
        assert!(Amount::new(nineteen, "IDR").validate("amount").is_err());
        let err = Amount::idr(0).validate("amount").unwrap_err();
        assert!(err.to_string().contains("amount.value"), "{err}");
    }

    #[test]
    fn page_requests_respect_the_documented_maximum() {
        assert!(PageRequest::new().per_page(100).validate().is_ok());
        assert!(PageRequest::new().per_page(101).validate().is_err());
        assert!(PageRequest::new().page(0).validate().is_err());
        assert_eq!(
            PageRequest::new().page(2).per_page(50).query(),
            vec![("page", "2".to_owned()), ("perPage", "50".to_owned())]
        );
    }

    #[test]
    fn enums_parse_case_insensitively_and_keep_unknown_values() {
        assert_eq!(
            PaymentMethodType::from("ewallet"),
            PaymentMethodType::Ewallet
        );
        assert_eq!(PaymentMethodType::from("CARD"), PaymentMethodType::Card);
        let unknown = PaymentMethodType::from("PAYLATER");
        assert_eq!(unknown, PaymentMethodType::Unknown("PAYLATER".into()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""PAYLATER""#);
    }
}
