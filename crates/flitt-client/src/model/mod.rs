//! Wire types: requests (built with constructors and setters, validated before sending) and
//! responses (decoded leniently after their signature is verified).
//!
//! | file | API area |
//! |---|---|
//! | [`checkout`] | `checkout/url`, `checkout/token`, subscriptions' `recurring_data` |
//! | [`recurring`] | `recurring` — charge a saved card |
//! | [`order`] | the order object of responses and callbacks; `status/order_id` |
//! | [`manage`] | `reverse/order_id`, `capture/order_id` |
//! | [`payout`] | `p2pcredit` |
//! | [`three_ds`] | `3dsecure_step1`, `3dsecure_step2` (PCI-DSS merchants) |
//! | [`subscription`] | `subscription` (start/stop) |
//! | [`transactions`] | `transaction_list` |
//! | [`settlement`] | `settlement` (split payments, protocol 2.0) |
//! | [`card`] | card number and CVV2 holders with redacted `Debug` |

use std::fmt;

pub mod card;
pub mod checkout;
pub(crate) mod de;
mod error_code;
pub mod manage;
pub mod order;
pub mod payout;
pub mod recurring;
pub mod settlement;
pub mod subscription;
pub mod three_ds;
pub mod transactions;

pub use error_code::ErrorCode;

use crate::error::{Error, Result};

/// Defines an open enum: known wire values plus `Unknown(String)` keeping anything else.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as received.
            Unknown(String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(raw) => raw,
                }
            }
        }

        impl From<String> for $name {
            fn from(raw: String) -> Self {
                $( if raw.eq_ignore_ascii_case($wire) { return $name::$variant; } )+
                $name::Unknown(raw)
            }
        }

        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                $name::from(raw.to_owned())
            }
        }

        impl crate::model::de::FromWire for $name {
            fn from_wire(raw: ::std::borrow::Cow<'_, str>) -> Self {
                $( if raw.eq_ignore_ascii_case($wire) { return $name::$variant; } )+
                $name::Unknown(raw.into_owned())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                crate::model::de::enum_value(d)
            }
        }
    };
}
pub(crate) use open_enum;

open_enum! {
    /// The payment status of an order (`order_status`; also `reverse_status`).
    ///
    /// Only [`OrderStatus::Approved`] means the money moved; an unknown status is never success.
    OrderStatus {
        /// The order was created; the customer has not paid yet.
        Created => "created",
        /// A payment attempt is in progress (with `delayed=Y`: an attempt was declined but the
        /// order's lifetime has not expired).
        Processing => "processing",
        /// The payment was declined (see `response_code`).
        Declined => "declined",
        /// The payment was approved.
        Approved => "approved",
        /// The order's lifetime expired before it was paid.
        Expired => "expired",
        /// The payment was reversed (refunded).
        Reversed => "reversed",
    }
}

impl OrderStatus {
    /// `true` only for [`OrderStatus::Approved`].
    pub fn is_approved(&self) -> bool {
        matches!(self, OrderStatus::Approved)
    }

    /// Whether the status can no longer change by itself (declined, approved, expired,
    /// reversed). An approved order can still be reversed by you.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            OrderStatus::Declined
                | OrderStatus::Approved
                | OrderStatus::Expired
                | OrderStatus::Reversed
        )
    }
}

open_enum! {
    /// Whether the HTTP request itself succeeded (`response_status`) — not the payment status.
    ResponseStatus {
        /// The request was accepted.
        Success => "success",
        /// The request failed; see the error code.
        Failure => "failure",
    }
}

open_enum! {
    /// The kind of transaction (`tran_type`).
    TranType {
        /// A purchase.
        Purchase => "purchase",
        /// A payout to a card.
        P2pCredit => "p2p credit",
        /// A reversal (refund).
        Reverse => "reverse",
        /// A card verification.
        Verification => "verification",
    }
}

open_enum! {
    /// The card scheme (`card_type`).
    CardType {
        /// Visa.
        Visa => "VISA",
        /// MasterCard.
        MasterCard => "MasterCard",
        /// Maestro.
        Maestro => "Maestro",
        /// Humo (Uzbekistan).
        Humo => "Humo",
        /// UzCard (Uzbekistan).
        UzCard => "UzCard",
    }
}

open_enum! {
    /// The capture status of a pre-authorized order (`capture_status`).
    CaptureStatus {
        /// The amount is held on the card, not captured yet.
        Hold => "hold",
        /// The amount was captured.
        Captured => "captured",
    }
}

open_enum! {
    /// How the order was paid (`payment_system`).
    PaymentSystem {
        /// A card.
        Card => "card",
    }
}

/// The protocol `version` a request may state explicitly (Flitt assumes `1.0.1` when it is
/// absent). Protocol 2.0 is chosen by the client itself where the API needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtocolVersion {
    /// `1.0.1`, the default.
    V1_0_1,
    /// `1.0`, deprecated by Flitt.
    V1_0,
}

impl ProtocolVersion {
    /// The value sent.
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolVersion::V1_0_1 => "1.0.1",
            ProtocolVersion::V1_0 => "1.0",
        }
    }
}

/// An ISO 4217 currency code, three upper-case letters (e.g. `GEL`).
///
/// ```
/// use flitt_client::Currency;
/// assert_eq!(Currency::new("GEL").unwrap(), Currency::GEL);
/// assert!(Currency::new("lari").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Currency(std::borrow::Cow<'static, str>);

impl Currency {
    /// Georgian lari.
    pub const GEL: Currency = Currency(std::borrow::Cow::Borrowed("GEL"));
    /// Euro.
    pub const EUR: Currency = Currency(std::borrow::Cow::Borrowed("EUR"));
    /// US dollar.
    pub const USD: Currency = Currency(std::borrow::Cow::Borrowed("USD"));
    /// Pound sterling.
    pub const GBP: Currency = Currency(std::borrow::Cow::Borrowed("GBP"));
    /// Czech koruna.
    pub const CZK: Currency = Currency(std::borrow::Cow::Borrowed("CZK"));
    /// Uzbekistan sum.
    pub const UZS: Currency = Currency(std::borrow::Cow::Borrowed("UZS"));
    /// Ukrainian hryvnia.
    pub const UAH: Currency = Currency(std::borrow::Cow::Borrowed("UAH"));

    /// A currency from its three-letter code; lower case is accepted and upper-cased.
    pub fn new(code: &str) -> Result<Self> {
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Currency(std::borrow::Cow::Owned(code.to_ascii_uppercase())))
        } else {
            Err(Error::invalid(
                "currency",
                format!("must be a three-letter ISO 4217 code, got {code:?}"),
            ))
        }
    }

    /// The code, e.g. `"GEL"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Currency::new(s)
    }
}

impl From<String> for Currency {
    /// Responses are taken as received (not validated).
    fn from(raw: String) -> Self {
        Currency(std::borrow::Cow::Owned(raw))
    }
}

impl de::FromWire for Currency {
    fn from_wire(raw: std::borrow::Cow<'_, str>) -> Self {
        // The codes it names are kept without a copy (the same value either way).
        for known in [
            Currency::GEL,
            Currency::EUR,
            Currency::USD,
            Currency::GBP,
            Currency::CZK,
            Currency::UZS,
            Currency::UAH,
        ] {
            if known.as_str() == raw {
                return known;
            }
        }
        Currency(std::borrow::Cow::Owned(raw.into_owned()))
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        de::enum_value(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_status_is_kept_and_never_approved() {
        let status = OrderStatus::from("on_hold");
        assert_eq!(status, OrderStatus::Unknown("on_hold".into()));
        assert!(!status.is_approved());
        assert_eq!(status.as_str(), "on_hold");
        assert_eq!(OrderStatus::from("approved"), OrderStatus::Approved);
        assert_eq!(CardType::from("VISA"), CardType::Visa);
        assert_eq!(TranType::from("p2p credit"), TranType::P2pCredit);
    }

    #[test]
    fn wire_values_read_as_from_string_reads_them() {
        use crate::model::de::FromWire;
        for raw in ["GEL", "gel", "UAH", "XYZ", ""] {
            let read = Currency::from_wire(raw.into());
            assert_eq!(read, Currency::from(raw.to_owned()));
            assert_eq!(read.as_str(), raw);
        }
        for raw in ["approved", "APPROVED", "on_hold"] {
            assert_eq!(
                OrderStatus::from_wire(raw.into()),
                OrderStatus::from(raw.to_owned())
            );
        }
    }

    #[test]
    fn currency_is_validated_for_requests() {
        assert_eq!(Currency::new("gel").unwrap_or(Currency::USD), Currency::GEL);
        assert!(Currency::new("GE").is_err());
        assert!(Currency::new("GE1").is_err());
    }
}
