//! Items and level 2/3 data.
//!
//! The documentation types item prices and level 2/3 amounts as JSON **numbers** (unlike the
//! transaction amount, a string). They are `Decimal` here and sent as numbers; each is
//! validated like an amount (non-negative, ≤ 10 integer digits, ≤ 3 decimals).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::macros::setters;
use crate::error::Error;
use crate::validate;

/// One entry of `items`.
///
/// ```
/// use cardflo_client::model::Item;
/// use rust_decimal::Decimal;
/// let item = Item::new()
///     .identification("sku-1")
///     .name("Maple syrup")
///     .quantity(2u32)
///     .price(Decimal::new(499, 2))
///     .currency("EUR");
/// assert_eq!(
///     serde_json::to_value(&item)?,
///     serde_json::json!({"identification": "sku-1", "name": "Maple syrup", "quantity": 2, "price": 4.99, "currency": "EUR"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Item {
    /// Your id of the item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identification: Option<String>,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// Price in major units, sent as a JSON number.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub price: Option<Decimal>,
    /// 3-letter currency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// String-to-string data (e.g. the `FORTER_ITEM_…` keys).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// Item-level level 2/3 data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l2l3_data: Option<ItemL2L3Data>,
}

impl Item {
    /// An empty item; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    pub(crate) fn validate(&self, prefix: &str) -> Result<(), Error> {
        let p = |f: &'static str| validate::path(prefix, f);
        validate::decimal_amount(p("price"), self.price)?;
        validate::opt_currency(p("currency"), self.currency.as_deref())?;
        validate::extra_data(p("extraData"), &self.extra_data)?;
        if let Some(l2l3) = &self.l2l3_data {
            l2l3.validate(&String::from(p("l2l3Data")))?;
        }
        Ok(())
    }
}

setters!(Item {
    /// Sets `identification`.
    identification: String,
    /// Sets `name`.
    name: String,
    /// Sets `description`.
    description: String,
    /// Sets `quantity`.
    quantity: u32,
    /// Sets `price` (major units).
    price: Decimal,
    /// Sets `currency`.
    currency: String,
    /// Sets the item-level `l2l3Data`.
    l2l3_data: ItemL2L3Data,
});

/// One entry of `taxDetails` (order or item level).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaxDetail {
    /// Tax type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Tax amount (number).
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub amount: Option<Decimal>,
    /// Tax rate (number).
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub rate: Option<Decimal>,
    /// Tax code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Whether/how the tax was applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
    /// Exemption code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemption_code: Option<String>,
}

impl TaxDetail {
    /// An empty tax detail; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    fn validate(&self, prefix: &str) -> Result<(), Error> {
        validate::decimal_amount(validate::path(prefix, "amount"), self.amount)?;
        validate::decimal_amount(validate::path(prefix, "rate"), self.rate)
    }
}

setters!(TaxDetail {
    /// Sets `type`.
    kind: String,
    /// Sets `amount`.
    amount: Decimal,
    /// Sets `rate`.
    rate: Decimal,
    /// Sets `code`.
    code: String,
    /// Sets `applied`.
    applied: String,
    /// Sets `exemptionCode`.
    exemption_code: String,
});

/// Order-level `l2l3Data` (level 2/3 card data for commercial cards).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct L2L3Data {
    /// Tax amount.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub tax_amount: Option<Decimal>,
    /// VAT registration number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vat_registration_number: Option<String>,
    /// Whether national tax is included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_tax_included: Option<String>,
    /// Discount amount.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub discount_amount: Option<Decimal>,
    /// Commodity code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commodity_code: Option<String>,
    /// Freight amount.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub freight_amount: Option<Decimal>,
    /// Freight tax amount.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub freight_tax_amount: Option<Decimal>,
    /// Duty amount.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub duty_amount: Option<Decimal>,
    /// Tax details.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tax_details: Vec<TaxDetail>,
}

impl L2L3Data {
    /// Empty level 2/3 data; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one entry to `taxDetails`.
    #[must_use]
    pub fn tax_detail(mut self, detail: TaxDetail) -> Self {
        self.tax_details.push(detail);
        self
    }

    pub(crate) fn validate(&self, prefix: &str) -> Result<(), Error> {
        let p = |f: &'static str| validate::path(prefix, f);
        for (name, value) in [
            ("taxAmount", self.tax_amount),
            ("discountAmount", self.discount_amount),
            ("freightAmount", self.freight_amount),
            ("freightTaxAmount", self.freight_tax_amount),
            ("dutyAmount", self.duty_amount),
        ] {
            validate::decimal_amount(p(name), value)?;
        }
        for (i, detail) in self.tax_details.iter().enumerate() {
            detail.validate(&String::from(validate::path(
                prefix,
                &format!("taxDetails[{i}]"),
            )))?;
        }
        Ok(())
    }
}

setters!(L2L3Data {
    /// Sets `taxAmount`.
    tax_amount: Decimal,
    /// Sets `vatRegistrationNumber`.
    vat_registration_number: String,
    /// Sets `nationalTaxIncluded`.
    national_tax_included: String,
    /// Sets `discountAmount`.
    discount_amount: Decimal,
    /// Sets `commodityCode`.
    commodity_code: String,
    /// Sets `freightAmount`.
    freight_amount: Decimal,
    /// Sets `freightTaxAmount`.
    freight_tax_amount: Decimal,
    /// Sets `dutyAmount`.
    duty_amount: Decimal,
});

/// Item-level `items[].l2l3Data`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ItemL2L3Data {
    /// Item type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Commodity code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commodity_code: Option<String>,
    /// Unit of measure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Unit price.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub unit_price: Option<Decimal>,
    /// Discount.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub discount: Option<Decimal>,
    /// Shipping amount.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub shipping_amount: Option<Decimal>,
    /// Tax amount.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub tax_amount: Option<Decimal>,
    /// Tax rate.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::float_option"
    )]
    pub tax_rate: Option<Decimal>,
    /// Tax details.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tax_details: Vec<TaxDetail>,
}

impl ItemL2L3Data {
    /// Empty item-level data; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one entry to `taxDetails`.
    #[must_use]
    pub fn tax_detail(mut self, detail: TaxDetail) -> Self {
        self.tax_details.push(detail);
        self
    }

    fn validate(&self, prefix: &str) -> Result<(), Error> {
        let p = |f: &'static str| validate::path(prefix, f);
        for (name, value) in [
            ("unitPrice", self.unit_price),
            ("discount", self.discount),
            ("shippingAmount", self.shipping_amount),
            ("taxAmount", self.tax_amount),
            ("taxRate", self.tax_rate),
        ] {
            validate::decimal_amount(p(name), value)?;
        }
        for (i, detail) in self.tax_details.iter().enumerate() {
            detail.validate(&String::from(validate::path(
                prefix,
                &format!("taxDetails[{i}]"),
            )))?;
        }
        Ok(())
    }
}

setters!(ItemL2L3Data {
    /// Sets `type`.
    kind: String,
    /// Sets `commodityCode`.
    commodity_code: String,
    /// Sets `unit`.
    unit: String,
    /// Sets `unitPrice`.
    unit_price: Decimal,
    /// Sets `discount`.
    discount: Decimal,
    /// Sets `shippingAmount`.
    shipping_amount: Decimal,
    /// Sets `taxAmount`.
    tax_amount: Decimal,
    /// Sets `taxRate`.
    tax_rate: Decimal,
});
