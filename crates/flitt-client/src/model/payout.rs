//! `p2pcredit`: a payout to a card, signed with the merchant's credit key.

use crate::error::Result;
use crate::model::Currency;
use crate::model::card::CardNumber;
use crate::model::recurring::check_url;
use crate::params::{Params, limits};

/// Where a payout goes.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PayoutReceiver {
    /// A card saved earlier (`receiver_rectoken`).
    Rectoken(String),
    /// A card number (`receiver_card_number`; PCI-DSS merchants only).
    CardNumber(CardNumber),
    /// A token issued by the acquirer (`external_rectoken`).
    ExternalRectoken(String),
}

/// A payout to a card (`POST /api/p2pcredit`). It is signed with the **credit key**: building
/// the client without one makes this call an [`Error::InvalidRequest`](crate::Error) that is
/// never sent.
///
/// ```
/// use flitt_client::{Currency, model::payout::{P2pCreditRequest, PayoutReceiver}};
/// let payout = P2pCreditRequest::new(
///     "payout-77",
///     "Winnings",
///     15000,
///     Currency::GEL,
///     PayoutReceiver::Rectoken("I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG".into()),
/// );
/// # let _ = payout;
/// ```
#[derive(Debug, Clone)]
pub struct P2pCreditRequest {
    order_id: String,
    order_desc: String,
    amount: u64,
    currency: Currency,
    receiver: PayoutReceiver,
    server_callback_url: Option<String>,
    merchant_data: Option<String>,
}

impl P2pCreditRequest {
    /// A payout of `amount` minor units to `receiver`, under the merchant's unique `order_id`.
    pub fn new(
        order_id: impl Into<String>,
        order_desc: impl Into<String>,
        amount: u64,
        currency: Currency,
        receiver: PayoutReceiver,
    ) -> Self {
        P2pCreditRequest {
            order_id: order_id.into(),
            order_desc: order_desc.into(),
            amount,
            currency,
            receiver,
            server_callback_url: None,
            merchant_data: None,
        }
    }

    /// Where Flitt posts the host-to-host callback.
    pub fn server_callback_url(mut self, url: impl Into<String>) -> Self {
        self.server_callback_url = Some(url.into());
        self
    }

    /// Data returned to you in responses, callbacks and reports (≤ 2048 characters).
    pub fn merchant_data(mut self, data: impl Into<String>) -> Self {
        self.merchant_data = Some(data.into());
        self
    }

    /// The order id.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub(crate) fn sensitive_values(&self) -> Vec<String> {
        match &self.receiver {
            PayoutReceiver::CardNumber(card) => vec![card.expose().to_owned()],
            _ => Vec::new(),
        }
    }

    pub(crate) fn params(&self, merchant_id: u64) -> Result<Params<'_>> {
        let mut p = Params::new();
        p.text("order_id", &self.order_id, limits::ORDER_ID)?;
        p.text("merchant_id", &merchant_id.to_string(), 12)?;
        p.text("order_desc", &self.order_desc, limits::ORDER_DESC)?;
        p.int("amount", self.amount, 1, limits::AMOUNT_MAX)?;
        p.text("currency", self.currency.as_str(), 3)?;
        match &self.receiver {
            PayoutReceiver::Rectoken(token) => {
                p.text("receiver_rectoken", token, limits::RECTOKEN)?;
            }
            PayoutReceiver::CardNumber(card) => {
                p.text("receiver_card_number", card.expose(), 19)?;
            }
            PayoutReceiver::ExternalRectoken(token) => {
                p.text("external_rectoken", token, limits::RECTOKEN)?;
            }
        }
        check_url("server_callback_url", self.server_callback_url.as_deref())?;
        p.opt_text(
            "server_callback_url",
            self.server_callback_url.as_deref(),
            limits::URL,
        )?;
        p.opt_text(
            "merchant_data",
            self.merchant_data.as_deref(),
            limits::MERCHANT_DATA,
        )?;
        Ok(p)
    }
}
