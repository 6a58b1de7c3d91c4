//! The order object of responses and callbacks, and `status/order_id`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;
use time::{Date, PrimitiveDateTime};

use crate::error::Result;
use crate::model::{
    CaptureStatus, CardType, Currency, ErrorCode, OrderStatus, PaymentSystem, ResponseStatus,
    TranType, de,
};
use crate::params::{Params, limits};
use crate::response::{FieldError, RawObject, decode_with_extra};

/// A Flitt order as returned by `recurring`, `status/order_id`, `3dsecure_step*`,
/// `p2pcredit`, and posted to `server_callback_url`. Its signature has been verified.
///
/// Only [`Order::is_approved`] means the money moved. A decline is an `Ok` order with
/// [`OrderStatus::Declined`] and a [`response_code`](Order::response_code); see
/// [`Order::decline`].
///
/// Empty strings on the wire are `None`; fields this version does not know are kept in
/// [`extra`](Order::extra).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// The merchant's order id.
    #[serde(deserialize_with = "de::text")]
    pub order_id: String,
    /// The payment status.
    #[serde(deserialize_with = "de::enum_value")]
    pub order_status: OrderStatus,
    /// The merchant id.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub merchant_id: Option<u64>,
    /// The order amount in minor units.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub amount: Option<u64>,
    /// The order currency.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub currency: Option<Currency>,
    /// Whether the request succeeded (`success` for any order, approved or declined).
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub response_status: Option<ResponseStatus>,
    /// The transaction type (`purchase`, `p2p credit`, …).
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub tran_type: Option<TranType>,
    /// Flitt's payment id.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub payment_id: Option<u64>,
    /// The decline code of a declined order (same number space as errors).
    #[serde(default, deserialize_with = "de::opt_code")]
    pub response_code: Option<ErrorCode>,
    /// The decline description.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub response_description: Option<String>,
    /// The masked card number, e.g. `444455XXXXXX1111`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub masked_card: Option<String>,
    /// The card's first six digits.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub card_bin: Option<u64>,
    /// The card scheme.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub card_type: Option<CardType>,
    /// The retrieval reference number.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub rrn: Option<String>,
    /// The authorization code.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub approval_code: Option<String>,
    /// The electronic commerce indicator (5 full 3-D Secure, 6 merchant-only, 7 none).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub eci: Option<String>,
    /// When the order was created (`DD.MM.YYYY hh:mm:ss`; Flitt states no time zone).
    #[serde(default, deserialize_with = "de::opt_date_time")]
    pub order_time: Option<PrimitiveDateTime>,
    /// The amount actually charged, in minor units of `actual_currency`.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub actual_amount: Option<u64>,
    /// The currency actually charged.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub actual_currency: Option<Currency>,
    /// The amount reversed so far, in minor units.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub reversal_amount: Option<u64>,
    /// The amount settled, in minor units of `settlement_currency`.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub settlement_amount: Option<u64>,
    /// The settlement currency.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub settlement_currency: Option<Currency>,
    /// The settlement date (`DD.MM.YYYY`).
    #[serde(default, deserialize_with = "de::opt_date")]
    pub settlement_date: Option<Date>,
    /// Flitt's fee, in minor units.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub fee: Option<u64>,
    /// How the order was paid (`card`, …).
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub payment_system: Option<PaymentSystem>,
    /// The customer's e-mail.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub sender_email: Option<String>,
    /// The customer's phone.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub sender_cell_phone: Option<String>,
    /// The customer's account.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub sender_account: Option<String>,
    /// The merchant's product id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub product_id: Option<String>,
    /// The merchant data sent with the order.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub merchant_data: Option<String>,
    /// The card verification status.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub verification_status: Option<String>,
    /// The card token for later [`recurring`](crate::Client::recurring) charges (when the
    /// order was created with `required_rectoken`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub rectoken: Option<String>,
    /// How long the card token is valid.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub rectoken_lifetime: Option<String>,
    /// The parent order of a derived order.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub parent_order_id: Option<String>,
    /// Flitt's fee field `fee_oplata`, in minor units.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub fee_oplata: Option<u64>,
    /// The capture status, when the answer carries it at the top level.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub capture_status: Option<CaptureStatus>,
    /// The captured amount, when the answer carries it at the top level.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub capture_amount: Option<u64>,
    /// `additional_info`, parsed from its JSON string.
    #[serde(skip_deserializing)]
    pub additional_info: Option<AdditionalInfo>,
    /// Fields this version does not know, as received (they took part in the signature).
    #[serde(skip_deserializing)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Whether [`Order`] reads the field (or it is a signature field, which is not kept).
fn is_order_field(key: &str) -> bool {
    matches!(
        key,
        "order_id"
            | "order_status"
            | "merchant_id"
            | "amount"
            | "currency"
            | "response_status"
            | "tran_type"
            | "payment_id"
            | "response_code"
            | "response_description"
            | "masked_card"
            | "card_bin"
            | "card_type"
            | "rrn"
            | "approval_code"
            | "eci"
            | "order_time"
            | "actual_amount"
            | "actual_currency"
            | "reversal_amount"
            | "settlement_amount"
            | "settlement_currency"
            | "settlement_date"
            | "fee"
            | "payment_system"
            | "sender_email"
            | "sender_cell_phone"
            | "sender_account"
            | "product_id"
            | "merchant_data"
            | "verification_status"
            | "rectoken"
            | "rectoken_lifetime"
            | "parent_order_id"
            | "fee_oplata"
            | "capture_status"
            | "capture_amount"
            | "additional_info"
            | "signature"
            | "response_signature_string"
    )
}

/// Why an order was declined.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Decline {
    /// The decline code (`response_code`), e.g. 1000 "General decline".
    pub code: Option<ErrorCode>,
    /// The decline description (`response_description`).
    pub description: Option<String>,
}

impl Order {
    /// `true` only when the payment was approved.
    pub fn is_approved(&self) -> bool {
        self.order_status.is_approved()
    }

    /// The decline reason when the order is declined (or expired after failed attempts).
    pub fn decline(&self) -> Option<Decline> {
        match self.order_status {
            OrderStatus::Declined | OrderStatus::Expired => Some(Decline {
                code: self.response_code,
                description: self.response_description.clone(),
            }),
            _ => None,
        }
    }

    pub(crate) fn from_raw(object: &RawObject<'_>) -> Result<Order, FieldError> {
        let mut order: Order = object.decode()?;
        order.additional_info = match object.get("additional_info") {
            Some(raw) => AdditionalInfo::parse(raw.get(), object.text_of("additional_info"))
                .map_err(|e| e.within("additional_info"))?,
            None => None,
        };
        order.extra = object.extra_by(is_order_field);
        Ok(order)
    }
}

/// `additional_info`: details Flitt sends as a JSON document inside a string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AdditionalInfo {
    /// The capture status of a pre-authorized order.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub capture_status: Option<CaptureStatus>,
    /// The captured amount, in minor units.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub capture_amount: Option<u64>,
    /// The reservation data sent with the order (Flitt sends `null` or a JSON text).
    #[serde(default, deserialize_with = "de::opt_json")]
    pub reservation_data: Option<serde_json::Value>,
    /// Flitt's transaction id.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub transaction_id: Option<u64>,
    /// The acquirer's response code.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub bank_response_code: Option<String>,
    /// The acquirer's response description.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub bank_response_description: Option<String>,
    /// The fee charged to the client (as sent by Flitt).
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub client_fee: Option<Decimal>,
    /// The settlement fee (as sent by Flitt).
    #[serde(default, deserialize_with = "de::opt_decimal")]
    pub settlement_fee: Option<Decimal>,
    /// The issuing bank.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub bank_name: Option<String>,
    /// The issuing bank's country.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub bank_country: Option<String>,
    /// The card scheme.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub card_type: Option<CardType>,
    /// The card product, e.g. `empty_visa`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub card_product: Option<String>,
    /// The card category.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub card_category: Option<String>,
    /// When processing ended (`DD.MM.YYYY hh:mm:ss`).
    #[serde(default, deserialize_with = "de::opt_date_time")]
    pub timeend: Option<PrimitiveDateTime>,
    /// The customer's IPv4 address.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub ipaddress_v4: Option<String>,
    /// The payment method, e.g. `card`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub payment_method: Option<String>,
    /// The 3-D Secure version used.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub version_3ds: Option<u64>,
    /// Whether the order was made in test mode.
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub is_test: Option<bool>,
    /// The scheme's transaction id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub schemeid: Option<String>,
    /// Fields this version does not know, as received.
    #[serde(skip_deserializing)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Whether [`AdditionalInfo`] reads the field.
fn is_additional_info_field(key: &str) -> bool {
    matches!(
        key,
        "capture_status"
            | "capture_amount"
            | "reservation_data"
            | "transaction_id"
            | "bank_response_code"
            | "bank_response_description"
            | "client_fee"
            | "settlement_fee"
            | "bank_name"
            | "bank_country"
            | "card_type"
            | "card_product"
            | "card_category"
            | "timeend"
            | "ipaddress_v4"
            | "payment_method"
            | "version_3ds"
            | "is_test"
            | "schemeid"
    )
}

impl AdditionalInfo {
    /// Parses the raw `additional_info` field: a string holding JSON (or, leniently, an object).
    /// `text` is the field's text form (for a string, its value), when already known.
    fn parse(raw: &str, text: Option<Cow<'_, str>>) -> Result<Option<AdditionalInfo>, FieldError> {
        // The raw value was checked as JSON when its object was parsed, so `null` and strings
        // are read directly; anything else takes the general route.
        match raw.as_bytes().first() {
            Some(b'n') if raw == "null" => Ok(None),
            Some(b'"') => {
                let Some(text) = text.or_else(|| crate::auth::json_string(raw)) else {
                    return Self::parse_value(raw);
                };
                if text.trim().is_empty() {
                    return Ok(None);
                }
                Self::parse_document(&text).map(Some)
            }
            _ => Self::parse_value(raw),
        }
    }

    /// Any raw value: `null`, a string holding JSON, an object, or an error naming what it is.
    fn parse_value(raw: &str) -> Result<Option<AdditionalInfo>, FieldError> {
        let value: serde_json::Value =
            serde_json::from_str(raw).map_err(|e| FieldError::new("", e.to_string()))?;
        let text = match value {
            serde_json::Value::Null => return Ok(None),
            serde_json::Value::String(s) if s.trim().is_empty() => return Ok(None),
            serde_json::Value::String(s) => s,
            serde_json::Value::Object(_) => raw.to_owned(),
            other => {
                return Err(FieldError::new(
                    "",
                    format!("expected a JSON document in a string, got {other}"),
                ));
            }
        };
        Self::parse_document(&text).map(Some)
    }

    /// The JSON document: an object, decoded, with the fields this version does not know.
    fn parse_document(text: &str) -> Result<AdditionalInfo, FieldError> {
        let (mut info, extra): (AdditionalInfo, _) =
            decode_with_extra(text, is_additional_info_field)?;
        info.extra = extra;
        Ok(info)
    }
}

/// `status/order_id`: the current state of an order — the reconciliation call after an
/// ambiguous failure.
///
/// ```
/// use flitt_client::model::order::StatusRequest;
/// let request = StatusRequest::new("order-42");
/// # let _ = request;
/// ```
#[derive(Debug, Clone)]
pub struct StatusRequest {
    order_id: String,
}

impl StatusRequest {
    /// The order to query.
    pub fn new(order_id: impl Into<String>) -> Self {
        StatusRequest {
            order_id: order_id.into(),
        }
    }

    /// The order id.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub(crate) fn params(&self, merchant_id: u64) -> Result<Params<'_>> {
        let mut p = Params::new();
        p.text("order_id", &self.order_id, limits::ORDER_ID)?;
        p.text("merchant_id", &merchant_id.to_string(), 12)?;
        Ok(p)
    }
}
