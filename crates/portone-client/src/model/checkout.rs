//! Checkout: the hosted payment link (`POST /api/paymentLink`) and the direct payment
//! (`POST /api/initiatePayment`), with their merchant, billing, shipping and order details.
//!
//! The client adds `portone_key`/`key`, `environment` and `signature_hash` itself; the request
//! types hold only what the merchant decides.

use std::fmt;

use rust_decimal::Decimal;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::card::CardToken;
use super::{ResultCode, StatusReason, TransactionStatus, amount};
use crate::error::{Error, Rule};
use crate::lenient;

/// Where the customer is sent after paying: required by both checkout flows and covered by the
/// `signature_hash`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedirectUrls {
    /// Where PortOne redirects after a successful payment.
    pub success_url: String,
    /// Where PortOne redirects after a failed payment.
    pub failure_url: String,
}

impl RedirectUrls {
    /// Both URLs (absolute `http`/`https` URLs).
    pub fn new(success_url: impl Into<String>, failure_url: impl Into<String>) -> Self {
        Self {
            success_url: success_url.into(),
            failure_url: failure_url.into(),
        }
    }

    fn validate(&self) -> Result<(), Error> {
        validate_url("success_url", &self.success_url)?;
        validate_url("failure_url", &self.failure_url)
    }
}

/// The merchant as shown on the checkout page, with the order-level charges that take part in
/// the amount rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MerchantDetails {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    back_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    promo_code: Option<String>,
    #[serde(serialize_with = "amount::serialize")]
    promo_discount: Decimal,
    #[serde(serialize_with = "amount::serialize")]
    shipping_charges: Decimal,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "amount::serialize_opt"
    )]
    tax_amount: Option<Decimal>,
}

impl MerchantDetails {
    /// Merchant details with the given display name; promo discount and shipping charges start
    /// at 0 (PortOne requires both, 0 accepted).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            logo: None,
            back_url: None,
            promo_code: None,
            promo_discount: Decimal::ZERO,
            shipping_charges: Decimal::ZERO,
            tax_amount: None,
        }
    }

    /// The merchant's logo URL.
    pub fn logo(mut self, url: impl Into<String>) -> Self {
        self.logo = Some(url.into());
        self
    }

    /// The URL of the merchant's site (the checkout page's back link).
    pub fn back_url(mut self, url: impl Into<String>) -> Self {
        self.back_url = Some(url.into());
        self
    }

    /// The promo code applied to the order.
    pub fn promo_code(mut self, code: impl Into<String>) -> Self {
        self.promo_code = Some(code.into());
        self
    }

    /// The promo discount (subtracted in the amount rule).
    pub fn promo_discount(mut self, discount: Decimal) -> Self {
        self.promo_discount = discount;
        self
    }

    /// The shipping charges (added in the amount rule).
    pub fn shipping_charges(mut self, charges: Decimal) -> Self {
        self.shipping_charges = charges;
        self
    }

    /// Tax on the order (added in the amount rule; sent as `tax_amount`).
    pub fn tax_amount(mut self, tax: Decimal) -> Self {
        self.tax_amount = Some(tax);
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid(
                Rule::Required,
                "merchant_details.name is empty",
            ));
        }
        amount::validate(
            "merchant_details.promo_discount",
            &self.promo_discount,
            true,
        )?;
        amount::validate(
            "merchant_details.shipping_charges",
            &self.shipping_charges,
            true,
        )?;
        if let Some(tax) = &self.tax_amount {
            amount::validate("merchant_details.tax_amount", tax, true)?;
        }
        Ok(())
    }
}

/// A postal address (billing or shipping).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Address {
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line_1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line_2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
}

impl Address {
    /// An empty address; fill it with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// City.
    pub fn city(mut self, v: impl Into<String>) -> Self {
        self.city = Some(v.into());
        self
    }

    /// 2-letter country code.
    pub fn country_code(mut self, v: impl Into<String>) -> Self {
        self.country_code = Some(v.into());
        self
    }

    /// Country name.
    pub fn country_name(mut self, v: impl Into<String>) -> Self {
        self.country_name = Some(v.into());
        self
    }

    /// Locale, e.g. `en`.
    pub fn locale(mut self, v: impl Into<String>) -> Self {
        self.locale = Some(v.into());
        self
    }

    /// First address line (`line_1`).
    pub fn line_1(mut self, v: impl Into<String>) -> Self {
        self.line_1 = Some(v.into());
        self
    }

    /// Second address line (`line_2`).
    pub fn line_2(mut self, v: impl Into<String>) -> Self {
        self.line_2 = Some(v.into());
        self
    }

    /// Postal code.
    pub fn postal_code(mut self, v: impl Into<String>) -> Self {
        self.postal_code = Some(v.into());
        self
    }

    /// State or province.
    pub fn state(mut self, v: impl Into<String>) -> Self {
        self.state = Some(v.into());
        self
    }

    fn validate(&self, field: &str) -> Result<(), Error> {
        if let Some(code) = &self.country_code {
            validate_country(format_args!("{field}.country_code"), code)?;
        }
        Ok(())
    }
}

/// The billing contact (`billing_details`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BillingDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_surname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_address: Option<Address>,
}

impl BillingDetails {
    /// Empty billing details; fill them with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// First and middle name (`billing_name`).
    pub fn name(mut self, v: impl Into<String>) -> Self {
        self.billing_name = Some(v.into());
        self
    }

    /// Last name (`billing_surname`).
    pub fn surname(mut self, v: impl Into<String>) -> Self {
        self.billing_surname = Some(v.into());
        self
    }

    /// Email address (`billing_email`).
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.billing_email = Some(v.into());
        self
    }

    /// Phone number (`billing_phone`).
    pub fn phone(mut self, v: impl Into<String>) -> Self {
        self.billing_phone = Some(v.into());
        self
    }

    /// Address (`billing_address`).
    pub fn address(mut self, v: Address) -> Self {
        self.billing_address = Some(v);
        self
    }
}

/// The shipping contact (`shipping_details`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ShippingDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_surname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_address: Option<Address>,
}

impl ShippingDetails {
    /// Empty shipping details; fill them with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// First and middle name (`shipping_name`).
    pub fn name(mut self, v: impl Into<String>) -> Self {
        self.shipping_name = Some(v.into());
        self
    }

    /// Last name (`shipping_surname`).
    pub fn surname(mut self, v: impl Into<String>) -> Self {
        self.shipping_surname = Some(v.into());
        self
    }

    /// Email address (`shipping_email`).
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.shipping_email = Some(v.into());
        self
    }

    /// Phone number (`shipping_phone`).
    pub fn phone(mut self, v: impl Into<String>) -> Self {
        self.shipping_phone = Some(v.into());
        self
    }

    /// Address (`shipping_address`).
    pub fn address(mut self, v: Address) -> Self {
        self.shipping_address = Some(v);
        self
    }
}

/// One line of the order (`order_details[]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderItem {
    id: String,
    name: String,
    #[serde(serialize_with = "amount::serialize")]
    price: Decimal,
    quantity: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_details: Option<serde_json::Map<String, serde_json::Value>>,
}

impl OrderItem {
    /// An item: its id, name, unit price and quantity.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        price: Decimal,
        quantity: u32,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            price,
            quantity,
            image: None,
            additional_details: None,
        }
    }

    /// The product image URL.
    pub fn image(mut self, url: impl Into<String>) -> Self {
        self.image = Some(url.into());
        self
    }

    /// Free-form additional details.
    pub fn additional_details(
        mut self,
        details: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        self.additional_details = Some(details);
        self
    }

    /// `price × quantity`.
    pub fn total(&self) -> Decimal {
        self.price * Decimal::from(self.quantity)
    }
}

/// The customer shown on a payment link (`customer_details`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CustomerDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
}

impl CustomerDetails {
    /// Empty customer details; fill them with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Name.
    pub fn name(mut self, v: impl Into<String>) -> Self {
        self.name = Some(v.into());
        self
    }

    /// Email address.
    pub fn email_address(mut self, v: impl Into<String>) -> Self {
        self.email_address = Some(v.into());
        self
    }

    /// Phone number.
    pub fn phone_number(mut self, v: impl Into<String>) -> Self {
        self.phone_number = Some(v.into());
        self
    }
}

/// `PREAUTH` (authorise now, capture later) or `PURCHASE` (capture immediately).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TransactionType {
    /// Authorise only; capture later with [`Client::capture`](crate::Client::capture). Credit
    /// cards only.
    #[serde(rename = "PREAUTH")]
    Preauth,
    /// Authorise and capture.
    #[serde(rename = "PURCHASE")]
    Purchase,
}

/// Where the payment comes from (`source`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// `"default"`.
    Default,
    /// `"api"`: a server integration (the default of this crate).
    Api,
    /// `"checkout"`.
    Checkout,
    /// `"mobile"`: what the mobile SDKs send.
    Mobile,
    /// Any other value.
    Other(String),
}

impl Source {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Default => "default",
            Self::Api => "api",
            Self::Checkout => "checkout",
            Self::Mobile => "mobile",
            Self::Other(v) => v,
        }
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One ranked channel of a routing rule given inline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteRank {
    /// Payment channel key, e.g. `STRIPE`.
    pub channel_key: String,
    /// Payment method key, e.g. `STRIPE_CARD`.
    pub method_key: String,
    /// Rank: 1 is tried first.
    pub rank: u32,
}

/// Failover routing (`routing_params`): a route configured in the PortOne portal, or ranked
/// channels given inline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoutingParams {
    #[serde(rename = "type")]
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    routing_ref: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    data: Vec<RouteRank>,
}

impl RoutingParams {
    /// Failover along a route configured in the portal (its reference, e.g.
    /// `Route_2P0qQgyROrPuzJDZebGSIsfYsX4`, as listed by [`Client::routes`](crate::Client::routes)).
    pub fn failover(routing_ref: impl Into<String>) -> Self {
        Self {
            kind: "failover".to_owned(),
            routing_ref: Some(routing_ref.into()),
            data: Vec::new(),
        }
    }

    /// Failover across channels ranked inline.
    pub fn failover_ranked(ranks: Vec<RouteRank>) -> Self {
        Self {
            kind: "failover".to_owned(),
            routing_ref: None,
            data: ranks,
        }
    }

    fn validate(&self) -> Result<(), Error> {
        if self
            .routing_ref
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
            && self.data.is_empty()
        {
            return Err(Error::invalid(
                Rule::Required,
                "routing_params needs a routing_ref or ranked channels",
            ));
        }
        Ok(())
    }
}

/// A card token to pay with (`token_params`), from [`Client::tokenize_card`](crate::Client::tokenize_card)
/// or a saved card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenParams {
    token: CardToken,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_card_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiry_month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiry_year: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    card_type: Option<String>,
    save_card: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_channel_token: Option<bool>,
}

impl TokenParams {
    /// Pays with `token`.
    pub fn new(token: CardToken) -> Self {
        Self {
            token,
            partial_card_number: None,
            expiry_month: None,
            expiry_year: None,
            card_type: None,
            save_card: false,
            is_channel_token: None,
        }
    }

    /// The masked card number, e.g. `424242******4242`.
    pub fn partial_card_number(mut self, v: impl Into<String>) -> Self {
        self.partial_card_number = Some(v.into());
        self
    }

    /// Expiry month `MM` and year `YYYY`.
    pub fn expiry(mut self, month: impl Into<String>, year: impl Into<String>) -> Self {
        self.expiry_month = Some(month.into());
        self.expiry_year = Some(year.into());
        self
    }

    /// Card brand, e.g. `visa`.
    pub fn card_type(mut self, v: impl Into<String>) -> Self {
        self.card_type = Some(v.into());
        self
    }

    /// Save the card for later payments (`save_card`).
    pub fn save_card(mut self, save: bool) -> Self {
        self.save_card = save;
        self
    }

    /// The token is a payment-channel token ("non-seamless card", `is_channel_token`).
    pub fn channel_token(mut self, is_channel_token: bool) -> Self {
        self.is_channel_token = Some(is_channel_token);
        self
    }

    /// The card token.
    pub fn token(&self) -> &CardToken {
        &self.token
    }
}

/// The fields both checkout flows share. Serialized by [`Common::serialize_entries`], in this
/// order, as entries of the request's own map.
#[derive(Debug, Clone, PartialEq)]
struct Common {
    merchant_order_id: String,
    amount: Decimal,
    currency: String,
    urls: RedirectUrls,
    pending_url: Option<String>,
    description: Option<String>,
    merchant_details: Option<MerchantDetails>,
    billing_details: Option<BillingDetails>,
    shipping_details: Option<ShippingDetails>,
    order_details: Vec<OrderItem>,
    transaction_type: Option<TransactionType>,
    routing_enabled: Option<bool>,
    routing_params: Option<RoutingParams>,
    source: Source,
    user_configured_field1: Option<String>,
    user_configured_field2: Option<String>,
    user_configured_field3: Option<String>,
    user_configured_field4: Option<String>,
    user_configured_field5: Option<String>,
}

/// An amount as [`amount::serialize`] writes it.
struct Amount<'a>(&'a Decimal);

impl Serialize for Amount<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        amount::serialize(self.0, s)
    }
}

/// Writes `key: value` unless `value` is `None` (the derive's `skip_serializing_if`).
fn opt_entry<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    if value.is_some() {
        map.serialize_entry(key, value)?;
    }
    Ok(())
}

impl Common {
    fn new(
        merchant_order_id: String,
        amount: Decimal,
        currency: String,
        urls: RedirectUrls,
    ) -> Self {
        Self {
            merchant_order_id,
            amount,
            currency,
            urls,
            pending_url: None,
            description: None,
            merchant_details: None,
            billing_details: None,
            shipping_details: None,
            order_details: Vec::new(),
            transaction_type: None,
            routing_enabled: None,
            routing_params: None,
            source: Source::Api,
            user_configured_field1: None,
            user_configured_field2: None,
            user_configured_field3: None,
            user_configured_field4: None,
            user_configured_field5: None,
        }
    }

    fn set_user_field(&mut self, n: u8, value: String) -> Result<(), Error> {
        let slot = match n {
            1 => &mut self.user_configured_field1,
            2 => &mut self.user_configured_field2,
            3 => &mut self.user_configured_field3,
            4 => &mut self.user_configured_field4,
            5 => &mut self.user_configured_field5,
            _ => {
                return Err(Error::invalid(
                    Rule::Range,
                    format!("user_configured_field{n}: only fields 1 to 5 exist"),
                ));
            }
        };
        *slot = Some(value);
        Ok(())
    }

    fn validate(&self) -> Result<(), Error> {
        require("merchant_order_id", &self.merchant_order_id)?;
        amount::validate("amount", &self.amount, false)?;
        validate_currency(&self.currency)?;
        self.urls.validate()?;
        if let Some(url) = &self.pending_url {
            validate_url("pending_url", url)?;
        }
        if let Some(m) = &self.merchant_details {
            m.validate()?;
        }
        if let Some(address) = self
            .billing_details
            .as_ref()
            .and_then(|b| b.billing_address.as_ref())
        {
            address.validate("billing_details.billing_address")?;
        }
        if let Some(address) = self
            .shipping_details
            .as_ref()
            .and_then(|s| s.shipping_address.as_ref())
        {
            address.validate("shipping_details.shipping_address")?;
        }
        if let Some(routing) = &self.routing_params {
            routing.validate()?;
        }
        validate_order_sum(
            &self.amount,
            self.merchant_details.as_ref(),
            &self.order_details,
        )
    }

    fn signature_fields<'a>(
        &'a self,
        client_key: &'a str,
    ) -> crate::auth::PaymentSignatureFields<'a> {
        crate::auth::PaymentSignatureFields {
            amount: &self.amount,
            client_key,
            currency: &self.currency,
            failure_url: &self.urls.failure_url,
            merchant_order_id: &self.merchant_order_id,
            success_url: &self.urls.success_url,
        }
    }

    /// The entries the derived `Serialize` wrote for these fields when they were flattened into
    /// a request (same keys, values, order and skipped fields), straight into `map`.
    fn serialize_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("merchant_order_id", &self.merchant_order_id)?;
        map.serialize_entry("amount", &Amount(&self.amount))?;
        map.serialize_entry("currency", &self.currency)?;
        map.serialize_entry("success_url", &self.urls.success_url)?;
        map.serialize_entry("failure_url", &self.urls.failure_url)?;
        opt_entry(map, "pending_url", &self.pending_url)?;
        opt_entry(map, "description", &self.description)?;
        opt_entry(map, "merchant_details", &self.merchant_details)?;
        opt_entry(map, "billing_details", &self.billing_details)?;
        opt_entry(map, "shipping_details", &self.shipping_details)?;
        if !self.order_details.is_empty() {
            map.serialize_entry("order_details", &self.order_details)?;
        }
        opt_entry(map, "transaction_type", &self.transaction_type)?;
        opt_entry(map, "routing_enabled", &self.routing_enabled)?;
        opt_entry(map, "routing_params", &self.routing_params)?;
        map.serialize_entry("source", &self.source)?;
        opt_entry(map, "user_configured_field1", &self.user_configured_field1)?;
        opt_entry(map, "user_configured_field2", &self.user_configured_field2)?;
        opt_entry(map, "user_configured_field3", &self.user_configured_field3)?;
        opt_entry(map, "user_configured_field4", &self.user_configured_field4)?;
        opt_entry(map, "user_configured_field5", &self.user_configured_field5)
    }
}

/// Checks PortOne's amount rule: with order items,
/// `sum(price × quantity) + shipping_charges (+ tax_amount) − promo_discount == amount`, and the
/// merchant details carrying the charges must be present.
fn validate_order_sum(
    amount: &Decimal,
    merchant: Option<&MerchantDetails>,
    items: &[OrderItem],
) -> Result<(), Error> {
    if items.is_empty() {
        return Ok(());
    }
    let Some(merchant) = merchant else {
        return Err(Error::invalid(
            Rule::OrderAmountSum,
            "order items are given, so merchant_details with promo_discount and \
             shipping_charges (0 accepted) are mandatory",
        ));
    };
    for (i, item) in items.iter().enumerate() {
        if item.quantity == 0 {
            return Err(Error::invalid(
                Rule::OrderItem,
                format!("order_details[{i}].quantity must be at least 1"),
            ));
        }
        amount::validate(format_args!("order_details[{i}].price"), &item.price, true)?;
    }
    let items_total: Decimal = items.iter().map(OrderItem::total).sum();
    let tax = merchant.tax_amount.unwrap_or(Decimal::ZERO);
    let expected = items_total + merchant.shipping_charges + tax - merchant.promo_discount;
    if expected != *amount {
        let tax_text = if tax.is_zero() {
            String::new()
        } else {
            format!(" + tax_amount {}", tax.normalize())
        };
        return Err(Error::invalid(
            Rule::OrderAmountSum,
            format!(
                "summation of order value, tax, duties, shipping, and discount should equal the \
                 total amount: items {} + shipping_charges {}{tax_text} − promo_discount {} = {}, \
                 but amount is {}",
                items_total.normalize(),
                merchant.shipping_charges.normalize(),
                merchant.promo_discount.normalize(),
                expected.normalize(),
                amount.normalize()
            ),
        ));
    }
    Ok(())
}

macro_rules! common_setters {
    () => {
        /// Where PortOne redirects while the payment is pending (`pending_url`).
        pub fn pending_url(mut self, url: impl Into<String>) -> Self {
            self.common.pending_url = Some(url.into());
            self
        }

        /// The order description.
        pub fn description(mut self, description: impl Into<String>) -> Self {
            self.common.description = Some(description.into());
            self
        }

        /// The billing contact.
        pub fn billing_details(mut self, details: BillingDetails) -> Self {
            self.common.billing_details = Some(details);
            self
        }

        /// The shipping contact.
        pub fn shipping_details(mut self, details: ShippingDetails) -> Self {
            self.common.shipping_details = Some(details);
            self
        }

        /// Adds an order item. With items, the amount rule applies (see [`Rule::OrderAmountSum`]).
        pub fn order_item(mut self, item: OrderItem) -> Self {
            self.common.order_details.push(item);
            self
        }

        /// Replaces the order items.
        pub fn order_details(mut self, items: Vec<OrderItem>) -> Self {
            self.common.order_details = items;
            self
        }

        /// `PREAUTH` (capture later) or `PURCHASE`.
        pub fn transaction_type(mut self, kind: TransactionType) -> Self {
            self.common.transaction_type = Some(kind);
            self
        }

        /// Enables failover routing (`routing_enabled: true` with these `routing_params`).
        pub fn routing(mut self, params: RoutingParams) -> Self {
            self.common.routing_enabled = Some(true);
            self.common.routing_params = Some(params);
            self
        }

        /// The `source` (this crate sends `api` unless told otherwise).
        pub fn source(mut self, source: Source) -> Self {
            self.common.source = source;
            self
        }

        /// Sets `user_configured_field1` … `user_configured_field5` (`n` in 1..=5; other values
        /// are refused when the request is validated).
        pub fn user_configured_field(mut self, n: u8, value: impl Into<String>) -> Self {
            if self.common.set_user_field(n, value.into()).is_err() {
                self.invalid_user_field = Some(n);
            }
            self
        }

        /// The merchant order id.
        pub fn merchant_order_id(&self) -> &str {
            &self.common.merchant_order_id
        }

        /// The amount.
        pub fn amount(&self) -> Decimal {
            self.common.amount
        }

        /// The currency.
        pub fn currency(&self) -> &str {
            &self.common.currency
        }

        /// The `signature_hash` this request carries when signed with `secret` for the PortOne
        /// key `client_key`.
        pub fn signature_hash(
            &self,
            client_key: &str,
            secret: &secrecy::SecretString,
        ) -> Result<String, Error> {
            self.common
                .signature_fields(client_key)
                .signature_hash(secret)
        }

        fn check_user_field(&self) -> Result<(), Error> {
            match self.invalid_user_field {
                Some(n) => Err(Error::invalid(
                    Rule::Range,
                    format!("user_configured_field{n}: only fields 1 to 5 exist"),
                )),
                None => Ok(()),
            }
        }
    };
}

/// A hosted checkout (`POST /api/paymentLink`): PortOne returns a link to its checkout page,
/// where the customer picks any enabled payment method.
///
/// ```
/// use portone_client::model::checkout::{CheckoutRequest, MerchantDetails, OrderItem, RedirectUrls};
/// use rust_decimal::Decimal;
///
/// let request = CheckoutRequest::new(
///     "order-0001",
///     Decimal::new(19010, 0),
///     "VND",
///     "VN",
///     MerchantDetails::new("Curo Sports")
///         .shipping_charges(Decimal::new(10000, 0))
///         .promo_discount(Decimal::new(10000, 0)),
///     RedirectUrls::new("https://shop.example/success", "https://shop.example/failure"),
/// )
/// .order_item(OrderItem::new("product_001", "Hand Gloves", Decimal::new(19010, 0), 1))
/// .expiry_hours(24);
/// assert!(request.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CheckoutRequest {
    common: Common,
    country_code: String,
    expiry_hours: Option<u32>,
    expiry_date: Option<String>,
    mobile_redirect_url: Option<String>,
    customer_details: Option<CustomerDetails>,
    show_shipping_details: Option<bool>,
    show_back_button: Option<bool>,
    show_items: Option<bool>,
    default_guest_checkout: Option<bool>,
    is_checkout_embed: Option<bool>,
    notify_by_email: Option<bool>,
    notify_by_phone: Option<bool>,
    custom_txn_webhook_urls: Vec<String>,
    invalid_user_field: Option<u8>,
}

/// A map of the request's fields (the common ones first), without the `serde(flatten)`
/// machinery: the same serializer calls the derive made.
impl Serialize for CheckoutRequest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.serialize_entries(&mut map)?;
        map.end()
    }
}

impl CheckoutRequest {
    /// The request's entries, written into `map` (a request body adds its own around them).
    pub(crate) fn serialize_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.common.serialize_entries(map)?;
        map.serialize_entry("country_code", &self.country_code)?;
        opt_entry(map, "expiry_hours", &self.expiry_hours)?;
        opt_entry(map, "expiry_date", &self.expiry_date)?;
        opt_entry(map, "mobile_redirect_url", &self.mobile_redirect_url)?;
        opt_entry(map, "customer_details", &self.customer_details)?;
        opt_entry(map, "show_shipping_details", &self.show_shipping_details)?;
        opt_entry(map, "show_back_button", &self.show_back_button)?;
        opt_entry(map, "show_items", &self.show_items)?;
        opt_entry(map, "default_guest_checkout", &self.default_guest_checkout)?;
        opt_entry(map, "is_checkout_embed", &self.is_checkout_embed)?;
        opt_entry(map, "notify_by_email", &self.notify_by_email)?;
        opt_entry(map, "notify_by_phone", &self.notify_by_phone)?;
        if !self.custom_txn_webhook_urls.is_empty() {
            map.serialize_entry("custom_txn_webhook_urls", &self.custom_txn_webhook_urls)?;
        }
        Ok(())
    }
}

impl CheckoutRequest {
    /// A hosted checkout for `amount` (major units) in `currency`, for a customer in
    /// `country_code`, shown as `merchant_details`.
    pub fn new(
        merchant_order_id: impl Into<String>,
        amount: Decimal,
        currency: impl Into<String>,
        country_code: impl Into<String>,
        merchant_details: MerchantDetails,
        urls: RedirectUrls,
    ) -> Self {
        let mut common = Common::new(merchant_order_id.into(), amount, currency.into(), urls);
        common.merchant_details = Some(merchant_details);
        Self {
            common,
            country_code: country_code.into(),
            expiry_hours: None,
            expiry_date: None,
            mobile_redirect_url: None,
            customer_details: None,
            show_shipping_details: None,
            show_back_button: None,
            show_items: None,
            default_guest_checkout: None,
            is_checkout_embed: None,
            notify_by_email: None,
            notify_by_phone: None,
            custom_txn_webhook_urls: Vec::new(),
            invalid_user_field: None,
        }
    }

    common_setters!();

    /// How long the checkout link stays valid, in hours (`expiry_hours`).
    pub fn expiry_hours(mut self, hours: u32) -> Self {
        self.expiry_hours = Some(hours);
        self
    }

    /// An absolute expiry (`expiry_date`, UTC ISO 8601).
    pub fn expiry_date(mut self, date: time::OffsetDateTime) -> Self {
        self.expiry_date = date
            .to_offset(time::UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .ok();
        self
    }

    /// The app deep link the checkout returns to (`mobile_redirect_url`; the SDKs' `redirectUrl`,
    /// e.g. `portone://checkout`).
    pub fn mobile_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.mobile_redirect_url = Some(url.into());
        self
    }

    /// The customer shown on the link.
    pub fn customer_details(mut self, details: CustomerDetails) -> Self {
        self.customer_details = Some(details);
        self
    }

    /// Show the shipping details on the checkout page.
    pub fn show_shipping_details(mut self, show: bool) -> Self {
        self.show_shipping_details = Some(show);
        self
    }

    /// Show a back button on the checkout page.
    pub fn show_back_button(mut self, show: bool) -> Self {
        self.show_back_button = Some(show);
        self
    }

    /// Show the order items on the checkout page.
    pub fn show_items(mut self, show: bool) -> Self {
        self.show_items = Some(show);
        self
    }

    /// Let the customer pay as a guest.
    pub fn default_guest_checkout(mut self, guest: bool) -> Self {
        self.default_guest_checkout = Some(guest);
        self
    }

    /// The checkout page is embedded (`is_checkout_embed`).
    pub fn checkout_embed(mut self, embed: bool) -> Self {
        self.is_checkout_embed = Some(embed);
        self
    }

    /// PortOne sends the link by email (`notify_by_email`).
    pub fn notify_by_email(mut self, notify: bool) -> Self {
        self.notify_by_email = Some(notify);
        self
    }

    /// PortOne sends the link by SMS (`notify_by_phone`).
    pub fn notify_by_phone(mut self, notify: bool) -> Self {
        self.notify_by_phone = Some(notify);
        self
    }

    /// Webhook URLs for this payment only (`custom_txn_webhook_urls`).
    pub fn custom_webhook_url(mut self, url: impl Into<String>) -> Self {
        self.custom_txn_webhook_urls.push(url.into());
        self
    }

    /// Checks the request the way PortOne would, without sending it: required fields, amounts,
    /// currency and country codes, URLs, and the order-amount rule.
    pub fn validate(&self) -> Result<(), Error> {
        self.check_user_field()?;
        self.common.validate()?;
        validate_country("country_code", &self.country_code)?;
        if self.expiry_hours == Some(0) {
            return Err(Error::invalid(
                Rule::Range,
                "expiry_hours must be at least 1",
            ));
        }
        for (i, url) in self.custom_txn_webhook_urls.iter().enumerate() {
            validate_url(format_args!("custom_txn_webhook_urls[{i}]"), url)?;
        }
        Ok(())
    }
}

/// A direct payment with a chosen channel and method (`POST /api/initiatePayment`); PortOne
/// answers with where to send the customer (redirect URL, deep link or QR code).
///
/// ```
/// use portone_client::model::checkout::{PaymentRequest, RedirectUrls, TransactionType};
/// use rust_decimal::Decimal;
///
/// let request = PaymentRequest::new(
///     "order-0002",
///     Decimal::new(1999, 2),
///     "USD",
///     "STRIPE",
///     "STRIPE_CARD",
///     "Two tickets",
///     RedirectUrls::new("https://shop.example/success", "https://shop.example/failure"),
/// )
/// .transaction_type(TransactionType::Preauth);
/// assert!(request.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRequest {
    common: Common,
    pmt_channel: String,
    pmt_method: String,
    token_params: Option<TokenParams>,
    redirect_url: Option<String>,
    country_code: Option<String>,
    response_type: Option<String>,
    override_auto_redirect: Option<bool>,
    invalid_user_field: Option<u8>,
}

/// A map of the request's fields (the common ones first), without the `serde(flatten)`
/// machinery: the same serializer calls the derive made.
impl Serialize for PaymentRequest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.serialize_entries(&mut map)?;
        map.end()
    }
}

impl PaymentRequest {
    /// The request's entries, written into `map` (a request body adds its own around them).
    pub(crate) fn serialize_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.common.serialize_entries(map)?;
        map.serialize_entry("pmt_channel", &self.pmt_channel)?;
        map.serialize_entry("pmt_method", &self.pmt_method)?;
        opt_entry(map, "token_params", &self.token_params)?;
        opt_entry(map, "redirect_url", &self.redirect_url)?;
        opt_entry(map, "country_code", &self.country_code)?;
        opt_entry(map, "response_type", &self.response_type)?;
        opt_entry(map, "override_auto_redirect", &self.override_auto_redirect)
    }
}

impl PaymentRequest {
    /// A payment of `amount` (major units) in `currency` through `channel` (`pmt_channel`, e.g.
    /// `STRIPE`) and `method` (`pmt_method`, e.g. `STRIPE_CARD`).
    pub fn new(
        merchant_order_id: impl Into<String>,
        amount: Decimal,
        currency: impl Into<String>,
        channel: impl Into<String>,
        method: impl Into<String>,
        description: impl Into<String>,
        urls: RedirectUrls,
    ) -> Self {
        let mut common = Common::new(merchant_order_id.into(), amount, currency.into(), urls);
        common.description = Some(description.into());
        Self {
            common,
            pmt_channel: channel.into(),
            pmt_method: method.into(),
            token_params: None,
            redirect_url: None,
            country_code: None,
            response_type: None,
            override_auto_redirect: None,
            invalid_user_field: None,
        }
    }

    common_setters!();

    /// The merchant details (required with order items: they carry shipping charges and promo
    /// discount).
    pub fn merchant_details(mut self, details: MerchantDetails) -> Self {
        self.common.merchant_details = Some(details);
        self
    }

    /// Pays with a card token (`token_params`).
    pub fn token_params(mut self, params: TokenParams) -> Self {
        self.token_params = Some(params);
        self
    }

    /// The app deep link to return to (`redirect_url`).
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }

    /// The customer's country (`country_code`).
    pub fn country_code(mut self, code: impl Into<String>) -> Self {
        self.country_code = Some(code.into());
        self
    }

    /// `response_type`, e.g. `redirect_url_only`.
    pub fn response_type(mut self, kind: impl Into<String>) -> Self {
        self.response_type = Some(kind.into());
        self
    }

    /// `override_auto_redirect`.
    pub fn override_auto_redirect(mut self, value: bool) -> Self {
        self.override_auto_redirect = Some(value);
        self
    }

    /// The payment channel (`pmt_channel`).
    pub fn channel(&self) -> &str {
        &self.pmt_channel
    }

    /// Checks the request the way PortOne would, without sending it.
    pub fn validate(&self) -> Result<(), Error> {
        self.check_user_field()?;
        self.common.validate()?;
        require("pmt_channel", &self.pmt_channel)?;
        require("pmt_method", &self.pmt_method)?;
        require(
            "description",
            self.common.description.as_deref().unwrap_or_default(),
        )?;
        if let Some(code) = &self.country_code {
            validate_country("country_code", code)?;
        }
        if let Some(token) = &self.token_params
            && token.token.expose().trim().is_empty()
        {
            return Err(Error::invalid(
                Rule::Required,
                "token_params.token is empty",
            ));
        }
        Ok(())
    }
}

/// The answer to a hosted checkout: the link to send the customer to.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PaymentLink {
    /// PortOne's reference of the link (for [`Client::payment_link_status`](crate::Client::payment_link_status)).
    pub payment_link_ref: String,
    /// The hosted checkout URL, e.g. `https://checkout.portone.cloud?ref=…`.
    pub payment_link: String,
}

impl fmt::Debug for PaymentLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaymentLink")
            .field("payment_link_ref", &self.payment_link_ref)
            .field("payment_link", &self.payment_link)
            .finish()
    }
}

/// The answer to a direct payment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PaymentResponse {
    /// `is_success` (sent as a boolean or as `"true"`/`"false"`).
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub is_success: Option<bool>,
    /// Where to send the customer next.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub redirect_url: Option<String>,
    /// The payment channel's reference.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub channel_order_ref: Option<String>,
    /// The merchant order id.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub merchant_order_ref: Option<String>,
    /// PortOne's order reference (legacy name `chaipay_order_ref`): capture and refunds use it.
    #[serde(
        default,
        alias = "chaipay_order_ref",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub order_ref: Option<String>,
    /// Message.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub message: Option<String>,
    /// An app deep link to open (wallets).
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub deep_link: Option<String>,
    /// A QR code image to show.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub qrcode_url: Option<String>,
    /// How long the customer has, in minutes (sent as a string).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub expiry_in_minutes: Option<u64>,
    /// Channel-specific data.
    #[serde(default)]
    pub additional_data: Option<serde_json::Value>,
    /// The transaction status, when the answer carries one.
    #[serde(default)]
    pub status: Option<TransactionStatus>,
    /// The result code, when the answer carries one.
    #[serde(default)]
    pub status_code: Option<ResultCode>,
    /// The result code's name, when the answer carries one.
    #[serde(default, alias = "status_message")]
    pub status_reason: Option<StatusReason>,
}

fn require(field: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid(Rule::Required, format!("{field} is empty")));
    }
    Ok(())
}

pub(crate) fn validate_currency(currency: &str) -> Result<(), Error> {
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::invalid(
            Rule::Currency,
            format!("currency must be a 3-letter upper-case ISO 4217 code (got {currency:?})"),
        ));
    }
    Ok(())
}

fn validate_country(field: impl fmt::Display, code: &str) -> Result<(), Error> {
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::invalid(
            Rule::CountryCode,
            format!("{field} must be a 2-letter ISO 3166 code (got {code:?})"),
        ));
    }
    Ok(())
}

fn validate_url(field: impl fmt::Display, value: &str) -> Result<(), Error> {
    if plainly_http_url(value) {
        return Ok(());
    }
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => Ok(()),
        _ => Err(Error::invalid(
            Rule::Url,
            format!("{field} must be an absolute http(s) URL (got {value:?})"),
        )),
    }
}

/// `true` for URLs that [`url::Url::parse`] certainly accepts as absolute `http(s)` URLs with a
/// host, recognised without parsing: `http://` or `https://`, then a host of dot-separated
/// letter-digit-hyphen labels (the last starting with a letter, so never an IP address; no
/// `xn--`-style labels), then the end or `/`, `?` or `#` and anything (a path, query or fragment
/// never fails to parse). Every other URL is parsed, so the rule stays exactly `Url::parse`'s.
fn plainly_http_url(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    if value.len() > 4096 {
        return false;
    }
    let host_end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let host = &rest[..host_end];
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    let mut last_starts_with_letter = false;
    for label in host.split('.') {
        let bytes = label.as_bytes();
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
            return false;
        };
        if bytes.len() > 63
            || !bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            || first == b'-'
            || last == b'-'
            || bytes.get(2..4) == Some(b"--")
        {
            return false;
        }
        last_starts_with_letter = first.is_ascii_alphabetic();
    }
    last_starts_with_letter
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> RedirectUrls {
        RedirectUrls::new("https://a.example/ok", "https://a.example/ko")
    }

    #[test]
    fn items_without_merchant_details_break_the_amount_rule() {
        let request = PaymentRequest::new(
            "o1",
            Decimal::from(10),
            "USD",
            "STRIPE",
            "STRIPE_CARD",
            "d",
            urls(),
        )
        .order_item(OrderItem::new("i", "n", Decimal::from(10), 1));
        assert_eq!(
            request.validate().expect_err("rule").rule(),
            Some(Rule::OrderAmountSum)
        );
        let request = request.merchant_details(MerchantDetails::new("m"));
        assert!(request.validate().is_ok());
    }

    #[test]
    fn tax_takes_part_in_the_sum_and_zero_quantity_is_refused() {
        let merchant = MerchantDetails::new("m").tax_amount(Decimal::new(150, 2));
        let request =
            PaymentRequest::new("o1", Decimal::new(1150, 2), "USD", "C", "M", "d", urls())
                .merchant_details(merchant.clone())
                .order_item(OrderItem::new("i", "n", Decimal::new(500, 2), 2));
        assert!(request.validate().is_ok());
        let zero = PaymentRequest::new("o1", Decimal::from(0), "USD", "C", "M", "d", urls())
            .merchant_details(merchant)
            .order_item(OrderItem::new("i", "n", Decimal::from(5), 0));
        assert!(zero.validate().is_err());
    }

    /// What `validate_url` did before its shortcut.
    fn parsed_http_url(value: &str) -> bool {
        url::Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
    }

    #[test]
    fn the_url_shortcut_only_accepts_what_url_parse_accepts() {
        let accepted = [
            "https://checkout.portone.cloud/success.html",
            "http://shop.example",
            "https://a.example/ok",
            "https://A-1.b2.Example?x=1#y",
            "https://shop.example/p a t h/?q=\u{e9}&%zz#\u{1F600}",
            "https://x.example#",
            "https://x.example/\\..\\",
        ];
        for url in accepted {
            assert!(plainly_http_url(url), "{url}");
            assert!(parsed_http_url(url), "{url}");
        }
        // Left to the parser (some accepted by it, some not): the answer is the parser's.
        let parsed = [
            "/relative",
            "https://a.example",
            "HTTPS://a.example/",
            "https://1.2.3.4/",
            "https://999.1.1.1/",
            "https://a.0x1f/",
            "https://a.example:443/",
            "https://a.example:99999/",
            "https://user@a.example/",
            "https://a..example/",
            "https://a.example./",
            "https://-a.example/",
            "https://xn--nxasmq6b.example/",
            "https://xn--a.example/",
            "https://ex ample.com/",
            "https://ex\tample.com/",
            "https://exa%41mple.com/",
            "https://b\u{fc}cher.example/",
            "https:///a.example",
            "https:a.example",
            " https://a.example/",
            "https://[::1]/",
            "https://a_b.example/",
            "ftp://a.example/",
            "",
        ];
        for url in parsed.iter().chain(&accepted) {
            let shortcut = plainly_http_url(url);
            assert!(!shortcut || parsed_http_url(url), "{url}");
            let via_validate = validate_url("f", url).is_ok();
            assert_eq!(via_validate, parsed_http_url(url), "{url}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_url_shortcut_agrees_with_url_parse(
            scheme in "(https?|HTTP|ftp)://",
            host in "[a-zA-Z0-9.\\-]{0,20}|[a-z0-9.:@%_\\[\\] -]{0,12}",
            tail in "([/?#][ -~\\t]{0,20})?",
        ) {
            let url = format!("{scheme}{host}{tail}");
            if plainly_http_url(&url) {
                proptest::prop_assert!(parsed_http_url(&url), "{}", url);
            }
            proptest::prop_assert_eq!(validate_url("f", &url).is_ok(), parsed_http_url(&url));
        }
    }

    #[test]
    fn fields_are_checked_with_named_rules() {
        let base = || {
            CheckoutRequest::new(
                "o1",
                Decimal::from(5),
                "USD",
                "US",
                MerchantDetails::new("m"),
                urls(),
            )
        };
        assert!(base().validate().is_ok());
        let cases: Vec<(CheckoutRequest, Rule)> = vec![
            (
                CheckoutRequest::new(
                    "",
                    Decimal::from(5),
                    "USD",
                    "US",
                    MerchantDetails::new("m"),
                    urls(),
                ),
                Rule::Required,
            ),
            (
                CheckoutRequest::new(
                    "o1",
                    Decimal::from(5),
                    "usd",
                    "US",
                    MerchantDetails::new("m"),
                    urls(),
                ),
                Rule::Currency,
            ),
            (
                CheckoutRequest::new(
                    "o1",
                    Decimal::from(5),
                    "USD",
                    "USA",
                    MerchantDetails::new("m"),
                    urls(),
                ),
                Rule::CountryCode,
            ),
            (
                CheckoutRequest::new(
                    "o1",
                    Decimal::from(5),
                    "USD",
                    "US",
                    MerchantDetails::new("m"),
                    RedirectUrls::new("/relative", "https://a.example"),
                ),
                Rule::Url,
            ),
            (base().expiry_hours(0), Rule::Range),
            (base().user_configured_field(6, "x"), Rule::Range),
            (
                CheckoutRequest::new(
                    "o1",
                    Decimal::from(5),
                    "USD",
                    "US",
                    MerchantDetails::new(" "),
                    urls(),
                ),
                Rule::Required,
            ),
        ];
        for (request, rule) in cases {
            assert_eq!(request.validate().expect_err("invalid").rule(), Some(rule));
        }
    }
}
