//! `checkout/url` and `checkout/token`: create an order paid on Flitt's hosted page (or in its
//! embedded checkout), optionally saving the card, verifying it, or starting a subscription.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;

use crate::error::{Error, Result};
use crate::model::recurring::{check_email, check_url};
use crate::model::{Currency, de};
use crate::params::{Params, canonical_json, check_text, limits};
use crate::response::{FieldError, RawObject};

/// How a card verification order checks the card (`verification_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerificationType {
    /// The amount is held and released automatically.
    Amount,
    /// The customer enters a code.
    Code,
}

impl VerificationType {
    fn as_str(self) -> &'static str {
        match self {
            VerificationType::Amount => "amount",
            VerificationType::Code => "code",
        }
    }
}

/// The period unit of a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Period {
    /// Every `every` days.
    Day,
    /// Every `every` weeks.
    Week,
    /// Every `every` months.
    Month,
}

impl Period {
    fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

/// The schedule of a subscription (`recurring_data`). Sending it makes the request protocol 2.0.
///
/// ```
/// use flitt_client::model::checkout::{Period, RecurringData};
/// use time::macros::date;
/// let monthly = RecurringData::new(1, Period::Month, 1000, date!(2025 - 01 - 01))
///     .end_time(date!(2025 - 12 - 31));
/// # let _ = monthly;
/// ```
#[derive(Debug, Clone)]
pub struct RecurringData {
    every: u32,
    period: Period,
    amount: u64,
    start_time: Date,
    end_time: Option<Date>,
    quantity: Option<u32>,
    trial_period: Option<Period>,
    trial_quantity: Option<u32>,
    state: Option<String>,
    readonly: Option<String>,
}

impl RecurringData {
    /// Charge `amount` minor units every `every` `period`s from `start_time`.
    pub fn new(every: u32, period: Period, amount: u64, start_time: Date) -> Self {
        RecurringData {
            every,
            period,
            amount,
            start_time,
            end_time: None,
            quantity: None,
            trial_period: None,
            trial_quantity: None,
            state: None,
            readonly: None,
        }
    }

    /// The last day of the subscription.
    pub fn end_time(mut self, date: Date) -> Self {
        self.end_time = Some(date);
        self
    }

    /// The number of payments.
    pub fn quantity(mut self, count: u32) -> Self {
        self.quantity = Some(count);
        self
    }

    /// A trial of `quantity` `period`s before the first payment.
    pub fn trial(mut self, period: Period, quantity: u32) -> Self {
        self.trial_period = Some(period);
        self.trial_quantity = Some(quantity);
        self
    }

    /// How the checkout page shows the subscription controls (`state`), passed as given.
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }

    /// Whether the customer may change the schedule on the checkout page (`readonly`), passed
    /// as given.
    pub fn readonly(mut self, readonly: impl Into<String>) -> Self {
        self.readonly = Some(readonly.into());
        self
    }

    fn to_json(&self) -> Result<serde_json::Value> {
        if self.every == 0 {
            return Err(Error::invalid("recurring_data.every", "must be at least 1"));
        }
        if self.amount == 0 || self.amount > limits::AMOUNT_MAX {
            return Err(Error::invalid(
                "recurring_data.amount",
                format!("must be between 1 and {}", limits::AMOUNT_MAX),
            ));
        }
        if let Some(end) = self.end_time
            && end < self.start_time
        {
            return Err(Error::invalid(
                "recurring_data.end_time",
                "must not be before start_time",
            ));
        }
        let mut map = serde_json::Map::new();
        map.insert("every".into(), self.every.into());
        map.insert("period".into(), self.period.as_str().into());
        map.insert("amount".into(), self.amount.into());
        map.insert("start_time".into(), iso_date(self.start_time).into());
        if let Some(end) = self.end_time {
            map.insert("end_time".into(), iso_date(end).into());
        }
        if let Some(q) = self.quantity {
            map.insert("quantity".into(), q.into());
        }
        if let Some(p) = self.trial_period {
            map.insert("trial_period".into(), p.as_str().into());
        }
        if let Some(q) = self.trial_quantity {
            map.insert("trial_quantity".into(), q.into());
        }
        if let Some(s) = &self.state {
            check_text("recurring_data.state", s)?;
            map.insert("state".into(), s.clone().into());
        }
        if let Some(r) = &self.readonly {
            check_text("recurring_data.readonly", r)?;
            map.insert("readonly".into(), r.clone().into());
        }
        Ok(serde_json::Value::Object(map))
    }
}

fn iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// An order paid on Flitt's checkout: `checkout/url` (a payment page link) or `checkout/token`
/// (a token for the embedded checkout and mobile SDKs).
///
/// ```
/// use flitt_client::{Currency, model::checkout::CheckoutRequest};
/// let request = CheckoutRequest::new("order-1001", "Coffee beans", 2500, Currency::GEL)
///     .response_url("https://shop.example/return")
///     .server_callback_url("https://shop.example/flitt/callback")
///     .required_rectoken(true); // save the card for later `recurring` charges
/// # let _ = request;
/// ```
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    order_id: String,
    order_desc: String,
    amount: u64,
    currency: Currency,
    response_url: Option<String>,
    server_callback_url: Option<String>,
    lifetime: Option<u64>,
    merchant_data: Option<String>,
    preauth: Option<bool>,
    sender_email: Option<String>,
    delayed: Option<bool>,
    lang: Option<String>,
    product_id: Option<String>,
    required_rectoken: Option<bool>,
    verification: Option<VerificationType>,
    design_id: Option<String>,
    subscription: Option<RecurringData>,
    subscription_callback_url: Option<String>,
    reservation_data: Option<serde_json::Value>,
    payment_systems: Option<String>,
}

impl CheckoutRequest {
    /// An order of `amount` minor units under the merchant's unique `order_id`.
    pub fn new(
        order_id: impl Into<String>,
        order_desc: impl Into<String>,
        amount: u64,
        currency: Currency,
    ) -> Self {
        CheckoutRequest {
            order_id: order_id.into(),
            order_desc: order_desc.into(),
            amount,
            currency,
            response_url: None,
            server_callback_url: None,
            lifetime: None,
            merchant_data: None,
            preauth: None,
            sender_email: None,
            delayed: None,
            lang: None,
            product_id: None,
            required_rectoken: None,
            verification: None,
            design_id: None,
            subscription: None,
            subscription_callback_url: None,
            reservation_data: None,
            payment_systems: None,
        }
    }

    /// Where the customer's browser returns after paying.
    pub fn response_url(mut self, url: impl Into<String>) -> Self {
        self.response_url = Some(url.into());
        self
    }

    /// Where Flitt posts the host-to-host callback.
    pub fn server_callback_url(mut self, url: impl Into<String>) -> Self {
        self.server_callback_url = Some(url.into());
        self
    }

    /// Seconds before an unpaid order expires (default 36000, at most 69120000).
    pub fn lifetime(mut self, seconds: u64) -> Self {
        self.lifetime = Some(seconds);
        self
    }

    /// Data returned to you in responses, callbacks and reports (≤ 2048 characters).
    pub fn merchant_data(mut self, data: impl Into<String>) -> Self {
        self.merchant_data = Some(data.into());
        self
    }

    /// `true`: hold the amount until a capture (`preauth=Y`).
    pub fn preauth(mut self, hold: bool) -> Self {
        self.preauth = Some(hold);
        self
    }

    /// The customer's e-mail.
    pub fn sender_email(mut self, email: impl Into<String>) -> Self {
        self.sender_email = Some(email.into());
        self
    }

    /// `true` (Flitt's default): the customer may retry a declined payment until the order's
    /// lifetime ends, and each attempt produces a callback.
    pub fn delayed(mut self, delayed: bool) -> Self {
        self.delayed = Some(delayed);
        self
    }

    /// The checkout page language, e.g. `en`, `ka`, `uk`.
    pub fn lang(mut self, lang: impl Into<String>) -> Self {
        self.lang = Some(lang.into());
        self
    }

    /// Your product or service id.
    pub fn product_id(mut self, id: impl Into<String>) -> Self {
        self.product_id = Some(id.into());
        self
    }

    /// `true`: save the card; the order's callback and status carry a `rectoken` for later
    /// [`recurring`](crate::Client::recurring) charges.
    pub fn required_rectoken(mut self, required: bool) -> Self {
        self.required_rectoken = Some(required);
        self
    }

    /// Make this a card verification order (`verification=Y`), reversed automatically.
    pub fn verification(mut self, kind: VerificationType) -> Self {
        self.verification = Some(kind);
        self
    }

    /// A custom checkout design.
    pub fn design_id(mut self, id: impl Into<String>) -> Self {
        self.design_id = Some(id.into());
        self
    }

    /// Start a subscription (`subscription=Y` with `recurring_data`); the request is sent with
    /// protocol 2.0.
    pub fn subscription(mut self, schedule: RecurringData) -> Self {
        self.subscription = Some(schedule);
        self
    }

    /// Where Flitt posts the subscription's callbacks.
    pub fn subscription_callback_url(mut self, url: impl Into<String>) -> Self {
        self.subscription_callback_url = Some(url.into());
        self
    }

    /// Customer and order data for antifraud and the acquirer (`reservation_data`), a JSON
    /// object; it is sent base64-encoded as Flitt requires.
    pub fn reservation_data(mut self, data: serde_json::Value) -> Self {
        self.reservation_data = Some(data);
        self
    }

    /// Restrict the checkout to these payment systems (comma-separated, e.g. `card,opb`).
    pub fn payment_systems(mut self, systems: impl Into<String>) -> Self {
        self.payment_systems = Some(systems.into());
        self
    }

    /// The order id.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub(crate) fn params(&self, merchant_id: u64) -> Result<Params<'_>> {
        let mut p = Params::new();
        p.text("order_id", &self.order_id, limits::ORDER_ID)?;
        p.text("merchant_id", &merchant_id.to_string(), 12)?;
        p.text("order_desc", &self.order_desc, limits::ORDER_DESC)?;
        p.int("amount", self.amount, 0, limits::AMOUNT_MAX)?;
        if self.amount == 0 && self.verification.is_none() {
            return Err(Error::invalid(
                "amount",
                "must be at least 1 (only verification orders may be 0)",
            ));
        }
        p.text("currency", self.currency.as_str(), 3)?;
        check_url("response_url", self.response_url.as_deref())?;
        p.opt_text("response_url", self.response_url.as_deref(), limits::URL)?;
        check_url("server_callback_url", self.server_callback_url.as_deref())?;
        p.opt_text(
            "server_callback_url",
            self.server_callback_url.as_deref(),
            limits::URL,
        )?;
        p.opt_int("lifetime", self.lifetime, 1, limits::LIFETIME_MAX)?;
        p.opt_text(
            "merchant_data",
            self.merchant_data.as_deref(),
            limits::MERCHANT_DATA,
        )?;
        p.flag("preauth", self.preauth);
        check_email("sender_email", self.sender_email.as_deref())?;
        p.opt_text("sender_email", self.sender_email.as_deref(), limits::EMAIL)?;
        p.flag("delayed", self.delayed);
        if let Some(lang) = &self.lang
            && !lang.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
        {
            return Err(Error::invalid(
                "lang",
                "must be a language code such as `en`",
            ));
        }
        p.opt_text("lang", self.lang.as_deref(), limits::LANG)?;
        p.opt_text("product_id", self.product_id.as_deref(), limits::PRODUCT_ID)?;
        p.flag("required_rectoken", self.required_rectoken);
        if let Some(kind) = self.verification {
            p.flag("verification", Some(true));
            p.text("verification_type", kind.as_str(), 10)?;
        }
        p.opt_text("design_id", self.design_id.as_deref(), 64)?;
        if let Some(schedule) = &self.subscription {
            p.flag("subscription", Some(true));
            p.json("recurring_data", schedule.to_json()?);
        }
        check_url(
            "subscription_callback_url",
            self.subscription_callback_url.as_deref(),
        )?;
        p.opt_text(
            "subscription_callback_url",
            self.subscription_callback_url.as_deref(),
            limits::URL,
        )?;
        if let Some(data) = &self.reservation_data {
            if !data.is_object() {
                return Err(Error::invalid("reservation_data", "must be a JSON object"));
            }
            let encoded = payments_signing::digest::base64_encode(canonical_json(data).as_bytes());
            p.text("reservation_data", &encoded, 65_536)?;
        }
        p.opt_text("payment_systems", self.payment_systems.as_deref(), 256)?;
        Ok(p)
    }
}

/// The answer of `checkout/url`: the payment page to send the customer to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CheckoutUrl {
    /// The hosted payment page.
    #[serde(deserialize_with = "de::text")]
    pub checkout_url: String,
    /// Flitt's payment id.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub payment_id: Option<u64>,
    /// Other fields, as received.
    #[serde(skip_deserializing)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl CheckoutUrl {
    pub(crate) fn from_raw(object: &RawObject<'_>) -> Result<Self, FieldError> {
        let mut out: CheckoutUrl = object.decode()?;
        out.extra = object.extra(&["checkout_url", "payment_id", "signature", "response_status"]);
        Ok(out)
    }
}

/// The answer of `checkout/token`: a token for the embedded checkout or a mobile SDK.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CheckoutToken {
    /// The checkout token.
    #[serde(deserialize_with = "de::text")]
    pub token: String,
    /// Other fields, as received.
    #[serde(skip_deserializing)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl CheckoutToken {
    pub(crate) fn from_raw(object: &RawObject<'_>) -> Result<Self, FieldError> {
        let mut out: CheckoutToken = object.decode()?;
        out.extra = object.extra(&["token", "signature", "response_status"]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn subscription_makes_the_request_protocol_2() {
        let request = CheckoutRequest::new("o", "d", 100, Currency::GEL).subscription(
            RecurringData::new(1, Period::Month, 100, date!(2025 - 01 - 01)),
        );
        let p = request.params(1).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(p.needs_v2());
        assert_eq!(p.get_text("subscription"), Some("Y"));
        let plain = CheckoutRequest::new("o", "d", 100, Currency::GEL).required_rectoken(true);
        let p = plain.params(1).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(!p.needs_v2());
        assert_eq!(p.get_text("required_rectoken"), Some("Y"));
    }

    #[test]
    fn reservation_data_is_base64_json() {
        let request = CheckoutRequest::new("o", "d", 100, Currency::GEL)
            .reservation_data(serde_json::json!({"phonemobile": "995555000000"}));
        let p = request.params(1).unwrap_or_else(|e| unreachable!("{e}"));
        let encoded = p.get_text("reservation_data").unwrap_or_default();
        assert_eq!(
            payments_signing::digest::base64_decode(encoded).as_deref(),
            Some(&br#"{"phonemobile":"995555000000"}"#[..])
        );
    }

    #[test]
    fn zero_amount_only_for_verification() {
        assert!(
            CheckoutRequest::new("o", "d", 0, Currency::GEL)
                .params(1)
                .is_err()
        );
        assert!(
            CheckoutRequest::new("o", "d", 0, Currency::GEL)
                .verification(VerificationType::Amount)
                .params(1)
                .is_ok()
        );
    }
}
