//! The customer: request object, payment data, customer profile, and the customer data
//! echoed in answers and notifications.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::common::{ExtraData, Sensitive, date_format};
use super::enums::Gender;
use super::macros::setters;
use crate::error::Error;
use crate::validate;

/// `customer`: who pays. All fields are optional; send as many as you have (they feed the risk
/// checks and 3-D Secure).
///
/// ```
/// use cardflo_client::model::{Customer, IbanData, PaymentData};
/// let customer = Customer::new()
///     .first_name("John")
///     .last_name("Doe")
///     .billing_country("CA")
///     .email("john@example.com")
///     .payment_data(PaymentData::Iban(IbanData::new().iban("AT123456789012345678")));
/// assert_eq!(customer.first_name.as_deref(), Some("John"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Customer {
    /// Your id of the customer (≤ 36 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identification: Option<String>,
    /// First name (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Date of birth, sent as `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none", with = "date_format::option")]
    pub birth_date: Option<Date>,
    /// `M` or `F`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Billing address line 1 (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_address1: Option<String>,
    /// Billing address line 2 (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_address2: Option<String>,
    /// Billing city (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_city: Option<String>,
    /// Billing postcode (≤ 16).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_postcode: Option<String>,
    /// Billing state (≤ 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_state: Option<String>,
    /// Billing country, 2-letter upper-case code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_country: Option<String>,
    /// Billing phone (≤ 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_phone: Option<String>,
    /// Shipping first name (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_first_name: Option<String>,
    /// Shipping last name (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_last_name: Option<String>,
    /// Shipping company (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_company: Option<String>,
    /// Shipping address line 1 (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_address1: Option<String>,
    /// Shipping address line 2 (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_address2: Option<String>,
    /// Shipping city (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_city: Option<String>,
    /// Shipping postcode (≤ 16).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_postcode: Option<String>,
    /// Shipping state (≤ 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_state: Option<String>,
    /// Shipping country, 2-letter upper-case code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_country: Option<String>,
    /// Shipping phone (≤ 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_phone: Option<String>,
    /// Company (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// A valid e-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether you verified the e-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// The customer's IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// National id (≤ 14), redacted in `Debug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_id: Option<Sensitive>,
    /// String-to-string data for the adapter or the risk check (e.g. the `FORTER_…` keys).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// The payment instrument, when it is not collected by payment.js.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_data: Option<PaymentData>,
}

impl Customer {
    /// An empty customer; add fields with the setters.
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
        let fifty = [
            ("firstName", &self.first_name),
            ("lastName", &self.last_name),
            ("billingAddress1", &self.billing_address1),
            ("billingAddress2", &self.billing_address2),
            ("billingCity", &self.billing_city),
            ("shippingFirstName", &self.shipping_first_name),
            ("shippingLastName", &self.shipping_last_name),
            ("shippingCompany", &self.shipping_company),
            ("shippingAddress1", &self.shipping_address1),
            ("shippingAddress2", &self.shipping_address2),
            ("shippingCity", &self.shipping_city),
            ("company", &self.company),
            ("ipAddress", &self.ip_address),
        ];
        for (name, value) in fifty {
            validate::opt_length(p(name), value.as_deref(), 0, 50)?;
        }
        validate::opt_length(p("identification"), self.identification.as_deref(), 0, 36)?;
        validate::opt_length(
            p("billingPostcode"),
            self.billing_postcode.as_deref(),
            0,
            16,
        )?;
        validate::opt_length(
            p("shippingPostcode"),
            self.shipping_postcode.as_deref(),
            0,
            16,
        )?;
        validate::opt_length(p("billingState"), self.billing_state.as_deref(), 0, 30)?;
        validate::opt_length(p("shippingState"), self.shipping_state.as_deref(), 0, 30)?;
        validate::opt_length(p("billingPhone"), self.billing_phone.as_deref(), 0, 20)?;
        validate::opt_length(p("shippingPhone"), self.shipping_phone.as_deref(), 0, 20)?;
        validate::country(p("billingCountry"), self.billing_country.as_deref())?;
        validate::country(p("shippingCountry"), self.shipping_country.as_deref())?;
        validate::email(p("email"), self.email.as_deref())?;
        if let Some(id) = &self.national_id
            && id.len() > 14
        {
            return Err(Error::invalid_request(
                p("nationalId"),
                "must have at most 14 characters",
            ));
        }
        validate::known(
            p("gender"),
            self.gender.as_ref().map(Gender::as_str),
            self.gender.as_ref().is_some_and(Gender::is_unknown),
        )?;
        validate::extra_data(p("extraData"), &self.extra_data)?;
        if let Some(payment_data) = &self.payment_data {
            payment_data.validate(&String::from(p("paymentData")))?;
        }
        Ok(())
    }
}

setters!(Customer {
    /// Sets `identification` (≤ 36 characters).
    identification: String,
    /// Sets `firstName` (≤ 50).
    first_name: String,
    /// Sets `lastName` (≤ 50).
    last_name: String,
    /// Sets `birthDate`.
    birth_date: Date,
    /// Sets `gender`.
    gender: Gender,
    /// Sets `billingAddress1` (≤ 50).
    billing_address1: String,
    /// Sets `billingAddress2` (≤ 50).
    billing_address2: String,
    /// Sets `billingCity` (≤ 50).
    billing_city: String,
    /// Sets `billingPostcode` (≤ 16).
    billing_postcode: String,
    /// Sets `billingState` (≤ 30).
    billing_state: String,
    /// Sets `billingCountry` (2 upper-case letters).
    billing_country: String,
    /// Sets `billingPhone` (≤ 20).
    billing_phone: String,
    /// Sets `shippingFirstName` (≤ 50).
    shipping_first_name: String,
    /// Sets `shippingLastName` (≤ 50).
    shipping_last_name: String,
    /// Sets `shippingCompany` (≤ 50).
    shipping_company: String,
    /// Sets `shippingAddress1` (≤ 50).
    shipping_address1: String,
    /// Sets `shippingAddress2` (≤ 50).
    shipping_address2: String,
    /// Sets `shippingCity` (≤ 50).
    shipping_city: String,
    /// Sets `shippingPostcode` (≤ 16).
    shipping_postcode: String,
    /// Sets `shippingState` (≤ 30).
    shipping_state: String,
    /// Sets `shippingCountry` (2 upper-case letters).
    shipping_country: String,
    /// Sets `shippingPhone` (≤ 20).
    shipping_phone: String,
    /// Sets `company` (≤ 50).
    company: String,
    /// Sets `email`.
    email: String,
    /// Sets `emailVerified`.
    email_verified: bool,
    /// Sets `ipAddress`.
    ip_address: String,
    /// Sets `nationalId` (≤ 14).
    national_id: Sensitive,
    /// Sets `paymentData`.
    payment_data: PaymentData,
});

/// `customer.paymentData`: one payment instrument.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub enum PaymentData {
    /// A bank account (SEPA direct debit).
    #[serde(rename = "ibanData")]
    Iban(IbanData),
    /// A wallet.
    #[serde(rename = "walletData")]
    Wallet(WalletData),
}

impl PaymentData {
    fn validate(&self, prefix: &str) -> Result<(), Error> {
        match self {
            PaymentData::Iban(iban) => {
                if let Some(value) = &iban.iban
                    && !(15..=34).contains(&value.len())
                {
                    let p = String::from(validate::path(prefix, "ibanData"));
                    return Err(Error::invalid_request(
                        validate::path(&p, "iban"),
                        "must have 15 to 34 characters",
                    ));
                }
                Ok(())
            }
            PaymentData::Wallet(_) => Ok(()),
        }
    }
}

/// `paymentData.ibanData`: a bank account and its SEPA mandate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IbanData {
    /// The IBAN (redacted in `Debug`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iban: Option<Sensitive>,
    /// The BIC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
    /// The mandate id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mandate_id: Option<String>,
    /// The mandate's date, sent as `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none", with = "date_format::option")]
    pub mandate_date: Option<Date>,
}

impl IbanData {
    /// Empty bank data; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }
}

setters!(IbanData {
    /// Sets `iban`.
    iban: Sensitive,
    /// Sets `bic`.
    bic: String,
    /// Sets `mandateId`.
    mandate_id: String,
    /// Sets `mandateDate`.
    mandate_date: Date,
});

/// `paymentData.walletData`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WalletData {
    /// The type of wallet (e.g. `paypal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_type: Option<String>,
    /// The owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_owner: Option<String>,
    /// The wallet's reference id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_reference_id: Option<String>,
}

impl WalletData {
    /// Empty wallet data; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }
}

setters!(WalletData {
    /// Sets `walletType`.
    wallet_type: String,
    /// Sets `walletOwner`.
    wallet_owner: String,
    /// Sets `walletReferenceId`.
    wallet_reference_id: String,
});

/// `customerProfileData`: attach the payment instrument to a customer profile. Identify the
/// profile by `profileGuid` or by `customerIdentification`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomerProfileData {
    /// The profile's GUID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub profile_guid: Option<String>,
    /// Your identification of the customer (≤ 36).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub customer_identification: Option<String>,
    /// Mark the payment instrument as the preferred one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_bool"
    )]
    pub mark_as_preferred: Option<bool>,
}

impl CustomerProfileData {
    /// Empty profile data; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn validate(&self, prefix: &str) -> Result<(), Error> {
        validate::opt_length(
            validate::path(prefix, "customerIdentification"),
            self.customer_identification.as_deref(),
            0,
            36,
        )
    }
}

setters!(CustomerProfileData {
    /// Sets `profileGuid`.
    profile_guid: String,
    /// Sets `customerIdentification`.
    customer_identification: String,
    /// Sets `markAsPreferred`.
    mark_as_preferred: bool,
});

/// The customer as echoed in a status answer or a notification. Read leniently:
/// `emailVerified` arrives as `true` or as `"false"`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomerData {
    /// Your id of the customer.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub identification: Option<String>,
    /// First name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub last_name: Option<String>,
    /// Date of birth as sent.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub birth_date: Option<String>,
    /// Gender.
    #[serde(default)]
    pub gender: Option<Gender>,
    /// Billing address line 1.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub billing_address1: Option<String>,
    /// Billing address line 2.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub billing_address2: Option<String>,
    /// Billing city.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub billing_city: Option<String>,
    /// Billing postcode.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub billing_postcode: Option<String>,
    /// Billing state.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub billing_state: Option<String>,
    /// Billing country.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub billing_country: Option<String>,
    /// Billing phone.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub billing_phone: Option<String>,
    /// Shipping first name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_first_name: Option<String>,
    /// Shipping last name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_last_name: Option<String>,
    /// Shipping company.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_company: Option<String>,
    /// Shipping address line 1.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_address1: Option<String>,
    /// Shipping address line 2.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_address2: Option<String>,
    /// Shipping city.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_city: Option<String>,
    /// Shipping postcode.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_postcode: Option<String>,
    /// Shipping state.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_state: Option<String>,
    /// Shipping country.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_country: Option<String>,
    /// Shipping phone.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub shipping_phone: Option<String>,
    /// Company.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub company: Option<String>,
    /// E-mail address.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub email: Option<String>,
    /// Whether the e-mail address was verified (`true`, `"false"`, …).
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub email_verified: Option<bool>,
    /// IP address.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub ip_address: Option<String>,
    /// National id (redacted in `Debug`).
    #[serde(default)]
    pub national_id: Option<Sensitive>,
    /// Extra data.
    #[serde(default)]
    pub extra_data: ExtraData,
}
