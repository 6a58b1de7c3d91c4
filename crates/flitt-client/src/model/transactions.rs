//! `transaction_list`: the transactions (purchase, reversals, captures…) of one order.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::Result;
use crate::model::{CardType, Currency, ErrorCode, OrderStatus, TranType, de};
use crate::params::{Params, limits};
use crate::response::{FieldError, RawObject};

/// Lists the transactions of an order (`POST /api/transaction_list`).
///
/// ```
/// use flitt_client::model::transactions::TransactionListRequest;
/// let request = TransactionListRequest::new("order-1001");
/// # let _ = request;
/// ```
#[derive(Debug, Clone)]
pub struct TransactionListRequest {
    order_id: String,
}

impl TransactionListRequest {
    /// The order whose transactions to list.
    pub fn new(order_id: impl Into<String>) -> Self {
        TransactionListRequest {
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

/// One transaction of an order. Flitt answers this call with a JSON array and does not
/// document every field, so the common ones are typed and the rest are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// The transaction type.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub tran_type: Option<TranType>,
    /// The transaction's status.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub transaction_status: Option<OrderStatus>,
    /// The amount, in minor units.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub amount: Option<u64>,
    /// The currency.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub currency: Option<Currency>,
    /// Flitt's payment id.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub payment_id: Option<u64>,
    /// Flitt's transaction id.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub transaction_id: Option<u64>,
    /// The masked card number.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub masked_card: Option<String>,
    /// The card scheme.
    #[serde(default, deserialize_with = "de::opt_enum")]
    pub card_type: Option<CardType>,
    /// The decline code, if declined.
    #[serde(default, deserialize_with = "de::opt_code")]
    pub response_code: Option<ErrorCode>,
    /// The decline description.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub response_description: Option<String>,
    /// Other fields, as received.
    #[serde(skip_deserializing)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Transaction {
    pub(crate) fn from_raw(object: &RawObject<'_>) -> Result<Self, FieldError> {
        let mut out: Transaction = object.decode()?;
        out.extra = object.extra(&[
            "tran_type",
            "transaction_status",
            "amount",
            "currency",
            "payment_id",
            "transaction_id",
            "masked_card",
            "card_type",
            "response_code",
            "response_description",
            "signature",
        ]);
        Ok(out)
    }
}
