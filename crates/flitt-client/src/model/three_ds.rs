//! `3dsecure_step1` and `3dsecure_step2`: direct card payments for PCI-DSS merchants.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::error::Result;
use crate::model::card::Card;
use crate::model::order::Order;
use crate::model::recurring::{check_email, check_ip, check_url};
use crate::model::{Currency, de};
use crate::params::{Params, limits};
use crate::response::{FieldError, RawObject};

/// A direct card payment (`POST /api/3dsecure_step1`). The answer is either the final order
/// (no 3-D Secure needed) or a challenge to send the customer through
/// ([`ThreeDsStep1Response::Challenge`]), completed with [`ThreeDsStep2Request`].
///
/// ```
/// use flitt_client::Currency;
/// use flitt_client::model::card::{Card, CardNumber, Cvv2, Expiry};
/// use flitt_client::model::three_ds::ThreeDsStep1Request;
/// # fn main() -> Result<(), flitt_client::Error> {
/// let card = Card::new(CardNumber::new("4444555511116666")?, Expiry::new(12, 2030)?, Cvv2::new("123")?);
/// let request = ThreeDsStep1Request::new("order-9", "Tickets", 4200, Currency::GEL, card)
///     .client_ip("203.0.113.7");
/// # let _ = request;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ThreeDsStep1Request {
    order_id: String,
    order_desc: String,
    amount: u64,
    currency: Currency,
    card: Card,
    client_ip: Option<String>,
    server_callback_url: Option<String>,
    response_url: Option<String>,
    preauth: Option<bool>,
    required_rectoken: Option<bool>,
    lifetime: Option<u64>,
    merchant_data: Option<String>,
    sender_email: Option<String>,
    product_id: Option<String>,
}

impl ThreeDsStep1Request {
    /// A payment of `amount` minor units with the given card.
    pub fn new(
        order_id: impl Into<String>,
        order_desc: impl Into<String>,
        amount: u64,
        currency: Currency,
        card: Card,
    ) -> Self {
        ThreeDsStep1Request {
            order_id: order_id.into(),
            order_desc: order_desc.into(),
            amount,
            currency,
            card,
            client_ip: None,
            server_callback_url: None,
            response_url: None,
            preauth: None,
            required_rectoken: None,
            lifetime: None,
            merchant_data: None,
            sender_email: None,
            product_id: None,
        }
    }

    /// The customer's IP address.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.client_ip = Some(ip.into());
        self
    }

    /// Where Flitt posts the host-to-host callback.
    pub fn server_callback_url(mut self, url: impl Into<String>) -> Self {
        self.server_callback_url = Some(url.into());
        self
    }

    /// Where the customer returns after the 3-D Secure challenge.
    pub fn response_url(mut self, url: impl Into<String>) -> Self {
        self.response_url = Some(url.into());
        self
    }

    /// `true`: hold the amount until a capture.
    pub fn preauth(mut self, hold: bool) -> Self {
        self.preauth = Some(hold);
        self
    }

    /// `true`: save the card and return a `rectoken`.
    pub fn required_rectoken(mut self, required: bool) -> Self {
        self.required_rectoken = Some(required);
        self
    }

    /// Seconds before an unpaid order expires (at most 69120000).
    pub fn lifetime(mut self, seconds: u64) -> Self {
        self.lifetime = Some(seconds);
        self
    }

    /// Data returned to you in responses, callbacks and reports (≤ 2048 characters).
    pub fn merchant_data(mut self, data: impl Into<String>) -> Self {
        self.merchant_data = Some(data.into());
        self
    }

    /// The customer's e-mail.
    pub fn sender_email(mut self, email: impl Into<String>) -> Self {
        self.sender_email = Some(email.into());
        self
    }

    /// Your product or service id.
    pub fn product_id(mut self, id: impl Into<String>) -> Self {
        self.product_id = Some(id.into());
        self
    }

    /// The order id.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub(crate) fn sensitive_values(&self) -> Vec<String> {
        vec![
            self.card.number.expose().to_owned(),
            self.card.cvv2.expose().to_owned(),
        ]
    }

    pub(crate) fn params(&self, merchant_id: u64) -> Result<Params<'_>> {
        let mut p = Params::new();
        p.text("order_id", &self.order_id, limits::ORDER_ID)?;
        p.text("merchant_id", &merchant_id.to_string(), 12)?;
        p.text("order_desc", &self.order_desc, limits::ORDER_DESC)?;
        p.int("amount", self.amount, 1, limits::AMOUNT_MAX)?;
        p.text("currency", self.currency.as_str(), 3)?;
        p.text("card_number", self.card.number.expose(), 19)?;
        p.text("expiry_date", &self.card.expiry.to_string(), 4)?;
        p.text("cvv2", self.card.cvv2.expose(), 4)?;
        check_ip("client_ip", self.client_ip.as_deref())?;
        p.opt_text("client_ip", self.client_ip.as_deref(), limits::CLIENT_IP)?;
        check_url("server_callback_url", self.server_callback_url.as_deref())?;
        p.opt_text(
            "server_callback_url",
            self.server_callback_url.as_deref(),
            limits::URL,
        )?;
        check_url("response_url", self.response_url.as_deref())?;
        p.opt_text("response_url", self.response_url.as_deref(), limits::URL)?;
        p.flag("preauth", self.preauth);
        p.flag("required_rectoken", self.required_rectoken);
        p.opt_int("lifetime", self.lifetime, 1, limits::LIFETIME_MAX)?;
        p.opt_text(
            "merchant_data",
            self.merchant_data.as_deref(),
            limits::MERCHANT_DATA,
        )?;
        check_email("sender_email", self.sender_email.as_deref())?;
        p.opt_text("sender_email", self.sender_email.as_deref(), limits::EMAIL)?;
        p.opt_text("product_id", self.product_id.as_deref(), limits::PRODUCT_ID)?;
        Ok(p)
    }
}

/// The answer of `3dsecure_step1`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ThreeDsStep1Response {
    /// No challenge was needed: the final order (check its status).
    Completed(Box<Order>),
    /// The card needs 3-D Secure: post `PaReq`, `MD` and your `TermUrl` to `acs_url` from the
    /// customer's browser, then finish with [`ThreeDsStep2Request`].
    Challenge(AcsChallenge),
}

/// A 3-D Secure challenge.
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AcsChallenge {
    /// The issuer's access control server.
    #[serde(deserialize_with = "de::text")]
    pub acs_url: String,
    /// The payer authentication request, for the ACS form's `PaReq` field.
    #[serde(deserialize_with = "de::text")]
    pub pareq: String,
    /// The merchant data, for the ACS form's `MD` field and for step 2.
    #[serde(deserialize_with = "de::text")]
    pub md: String,
    /// Other fields, as received.
    #[serde(skip_deserializing)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl fmt::Debug for AcsChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcsChallenge")
            .field("acs_url", &self.acs_url)
            .field("pareq", &format_args!("[{} bytes]", self.pareq.len()))
            .field("md", &self.md)
            .field("extra", &self.extra)
            .finish()
    }
}

impl ThreeDsStep1Response {
    pub(crate) fn from_raw(object: &RawObject<'_>) -> Result<Self, FieldError> {
        if object.get("acs_url").is_some() {
            let mut challenge: AcsChallenge = object.decode()?;
            challenge.extra =
                object.extra(&["acs_url", "pareq", "md", "signature", "response_status"]);
            Ok(ThreeDsStep1Response::Challenge(challenge))
        } else {
            Ok(ThreeDsStep1Response::Completed(Box::new(Order::from_raw(
                object,
            )?)))
        }
    }
}

/// Completes a 3-D Secure payment with the issuer's answer (`POST /api/3dsecure_step2`).
///
/// ```
/// use flitt_client::model::three_ds::ThreeDsStep2Request;
/// let request = ThreeDsStep2Request::new("order-9", "<PaRes from the ACS>", "<MD>");
/// # let _ = request;
/// ```
#[derive(Clone)]
pub struct ThreeDsStep2Request {
    order_id: String,
    pares: String,
    md: String,
}

impl fmt::Debug for ThreeDsStep2Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreeDsStep2Request")
            .field("order_id", &self.order_id)
            .field("pares", &format_args!("[{} bytes]", self.pares.len()))
            .field("md", &self.md)
            .finish()
    }
}

impl ThreeDsStep2Request {
    /// The order, the `PaRes` the ACS posted back, and the `MD` of step 1.
    pub fn new(
        order_id: impl Into<String>,
        pares: impl Into<String>,
        md: impl Into<String>,
    ) -> Self {
        ThreeDsStep2Request {
            order_id: order_id.into(),
            pares: pares.into(),
            md: md.into(),
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
        p.text("pares", &self.pares, 65_536)?;
        p.text("md", &self.md, 4096)?;
        Ok(p)
    }
}
