//! `settlement`: split a paid order between merchants (protocol 2.0 only).

use crate::error::{Error, Result};
use crate::model::Currency;
use crate::model::recurring::check_url;
use crate::params::{Params, check_text, limits};

/// One receiver of a split.
#[derive(Debug, Clone)]
pub struct SettlementReceiver {
    merchant_id: u64,
    amount: u64,
    settlement_description: Option<String>,
    fee_partner_amount: Option<u64>,
}

impl SettlementReceiver {
    /// `amount` minor units to merchant `merchant_id`.
    pub fn merchant(merchant_id: u64, amount: u64) -> Self {
        SettlementReceiver {
            merchant_id,
            amount,
            settlement_description: None,
            fee_partner_amount: None,
        }
    }

    /// A description shown in the receiver's settlement.
    pub fn settlement_description(mut self, text: impl Into<String>) -> Self {
        self.settlement_description = Some(text.into());
        self
    }

    /// The partner fee, in minor units.
    pub fn fee_partner_amount(mut self, amount: u64) -> Self {
        self.fee_partner_amount = Some(amount);
        self
    }

    fn to_json(&self) -> Result<serde_json::Value> {
        if self.amount == 0 || self.amount > limits::AMOUNT_MAX {
            return Err(Error::invalid(
                "receiver.requisites.amount",
                format!("must be between 1 and {}", limits::AMOUNT_MAX),
            ));
        }
        let mut requisites = serde_json::Map::new();
        requisites.insert("amount".into(), self.amount.into());
        requisites.insert("merchant_id".into(), self.merchant_id.into());
        if let Some(text) = &self.settlement_description {
            check_text("receiver.requisites.settlement_description", text)?;
            requisites.insert("settlement_description".into(), text.clone().into());
        }
        if let Some(fee) = self.fee_partner_amount {
            requisites.insert("fee_partner_amount".into(), fee.into());
        }
        Ok(serde_json::json!({ "type": "merchant", "requisites": requisites }))
    }
}

/// Splits a paid order (`operation_id`) between merchants (`POST /api/settlement`, always
/// protocol 2.0). The settlement is a new order with its own `order_id`.
///
/// ```
/// use flitt_client::{Currency, model::settlement::{SettlementReceiver, SettlementRequest}};
/// let split = SettlementRequest::new(
///     "settlement-1001",
///     "order-1001",
///     "Split of order-1001",
///     2500,
///     Currency::GEL,
///     vec![
///         SettlementReceiver::merchant(600001, 2000),
///         SettlementReceiver::merchant(700001, 500),
///     ],
/// );
/// # let _ = split;
/// ```
#[derive(Debug, Clone)]
pub struct SettlementRequest {
    order_id: String,
    operation_id: String,
    order_desc: String,
    amount: u64,
    currency: Currency,
    receivers: Vec<SettlementReceiver>,
    server_callback_url: Option<String>,
}

impl SettlementRequest {
    /// A settlement order `order_id` splitting `amount` minor units of the paid order
    /// `operation_id` between `receivers`.
    pub fn new(
        order_id: impl Into<String>,
        operation_id: impl Into<String>,
        order_desc: impl Into<String>,
        amount: u64,
        currency: Currency,
        receivers: Vec<SettlementReceiver>,
    ) -> Self {
        SettlementRequest {
            order_id: order_id.into(),
            operation_id: operation_id.into(),
            order_desc: order_desc.into(),
            amount,
            currency,
            receivers,
            server_callback_url: None,
        }
    }

    /// Where Flitt posts the settlement's callback.
    pub fn server_callback_url(mut self, url: impl Into<String>) -> Self {
        self.server_callback_url = Some(url.into());
        self
    }

    /// The settlement's order id.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub(crate) fn params(&self, merchant_id: u64) -> Result<Params<'_>> {
        let mut p = Params::new();
        p.force_v2();
        p.text("order_id", &self.order_id, limits::ORDER_ID)?;
        p.text("merchant_id", &merchant_id.to_string(), 12)?;
        p.text("operation_id", &self.operation_id, limits::ORDER_ID)?;
        p.text("order_desc", &self.order_desc, limits::ORDER_DESC)?;
        p.text("order_type", "settlement", 16)?;
        p.int("amount", self.amount, 1, limits::AMOUNT_MAX)?;
        p.text("currency", self.currency.as_str(), 3)?;
        if self.receivers.is_empty() {
            return Err(Error::invalid("receiver", "needs at least one receiver"));
        }
        let receivers = self
            .receivers
            .iter()
            .map(SettlementReceiver::to_json)
            .collect::<Result<Vec<_>>>()?;
        p.json("receiver", serde_json::Value::Array(receivers));
        check_url("server_callback_url", self.server_callback_url.as_deref())?;
        p.opt_text(
            "server_callback_url",
            self.server_callback_url.as_deref(),
            limits::URL,
        )?;
        Ok(p)
    }
}
