//! Transaction requests (debit, preauthorize, capture, void, register, deregister, refund,
//! payout, incremental authorization) and the transaction answer.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::amount::Amount;
use super::common::{ExtraData, Sensitive, Timestamp, opt_timestamp};
use super::customer::{Customer, CustomerProfileData};
use super::enums::{RedirectType, ReturnType, RiskCheckResult, TokenType, TransactionIndicator};
use super::error_code::{ErrorCode, opt_error_code};
use super::items::{Item, L2L3Data};
use super::macros::setters;
use super::return_data::ReturnData;
use super::schedule::{Schedule, ScheduleData};
use super::three_d_secure::ThreeDSecureData;
use crate::error::Error;
use crate::operation::Operation;
use crate::validate;

/// A transaction request: its endpoint and its checks. Implemented by the request types of
/// this module only.
pub trait TransactionRequest: Serialize + sealed::Sealed {
    /// The operation (its name, method and path).
    const OPERATION: Operation;
    /// Checks every documented limit.
    fn validate(&self) -> Result<(), Error>;
    /// The request's `merchantTransactionId`.
    fn merchant_transaction_id(&self) -> &str;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::DebitRequest {}
    impl Sealed for super::PreauthorizeRequest {}
    impl Sealed for super::CaptureRequest {}
    impl Sealed for super::VoidRequest {}
    impl Sealed for super::RegisterRequest {}
    impl Sealed for super::DeregisterRequest {}
    impl Sealed for super::RefundRequest {}
    impl Sealed for super::PayoutRequest {}
    impl Sealed for super::IncrementalAuthorizationRequest {}
}

/// `payByLink`: send the customer a payment link instead of redirecting them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayByLink {
    /// Whether the gateway e-mails the link to the customer.
    pub send_by_email: bool,
    /// How long the link stays valid, in minutes (≥ 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_in_minute: Option<u32>,
}

impl PayByLink {
    /// A payment link; `send_by_email` says whether the gateway e-mails it.
    pub fn new(send_by_email: bool) -> Self {
        Self {
            send_by_email,
            expiration_in_minute: None,
        }
    }

    pub(crate) fn validate(&self, prefix: &str) -> Result<(), Error> {
        validate::range(
            validate::path(prefix, "expirationInMinute"),
            self.expiration_in_minute.map(u64::from),
            1,
            u64::from(u32::MAX),
        )
    }
}

setters!(PayByLink {
    /// Sets `expirationInMinute`.
    expiration_in_minute: u32,
});

/// A debit: a complete customer-to-merchant payment.
///
/// Required fields are the arguments of [`DebitRequest::new`]; optional ones have setters.
/// Sent with [`Client::debit`](crate::Client::debit).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DebitRequest {
    /// `merchantTransactionId`: your unique id of the transaction (1–50 characters); reusing one fails with error 3004.
    pub merchant_transaction_id: String,
    /// `referenceUuid`: the `uuid` of the referenced transaction (1–50 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_uuid: Option<String>,
    /// `additionalId1`: an additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id1: Option<String>,
    /// `additionalId2`: a second additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id2: Option<String>,
    /// `extraData`: string-to-string data for the adapter (≤ 64 entries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// `merchantMetaData`: your own data, echoed in notifications (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `amount`: the amount in major units.
    pub amount: Amount,
    /// `surchargeAmount`: a surcharge in major units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surcharge_amount: Option<Amount>,
    /// `currency`: 3-letter upper-case currency code.
    pub currency: String,
    /// `successUrl`: where the customer is sent back after success or pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// `cancelUrl`: where the customer is sent back after cancelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    /// `errorUrl`: where the customer is sent back after an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_url: Option<String>,
    /// `callbackUrl`: where the gateway sends status notifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// `transactionToken`: the token from payment.js (`ix::…`), redacted in `Debug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_token: Option<Sensitive>,
    /// `description`: a description (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `items`: the items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// `withRegister`: also store the payment instrument for later transactions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with_register: Option<bool>,
    /// `transactionIndicator`: why and how the transaction is initiated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_indicator: Option<TransactionIndicator>,
    /// `customer`: the customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// `schedule`: a schedule started with this transaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// `customerProfileData`: the customer profile to attach the instrument to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_profile_data: Option<CustomerProfileData>,
    /// `threeDSecureData`: 3-D Secure data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub three_d_secure_data: Option<ThreeDSecureData>,
    /// `l2l3Data`: level 2/3 data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l2l3_data: Option<L2L3Data>,
    /// `language`: 2-letter lower-case language of the payment pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `payByLink`: send a payment link instead of redirecting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_by_link: Option<PayByLink>,
}

impl DebitRequest {
    /// A request with its required fields; see the setters for the optional ones.
    pub fn new(
        merchant_transaction_id: impl Into<String>,
        amount: impl Into<Amount>,
        currency: impl Into<String>,
    ) -> Self {
        Self {
            merchant_transaction_id: merchant_transaction_id.into(),
            reference_uuid: None,
            additional_id1: None,
            additional_id2: None,
            extra_data: Default::default(),
            merchant_meta_data: None,
            amount: amount.into(),
            surcharge_amount: None,
            currency: currency.into(),
            success_url: None,
            cancel_url: None,
            error_url: None,
            callback_url: None,
            transaction_token: None,
            description: None,
            items: Default::default(),
            with_register: None,
            transaction_indicator: None,
            customer: None,
            schedule: None,
            customer_profile_data: None,
            three_d_secure_data: None,
            l2l3_data: None,
            language: None,
            pay_by_link: None,
        }
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    /// Adds one entry to `items`.
    #[must_use]
    pub fn item(mut self, item: Item) -> Self {
        self.items.push(item);
        self
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length(
            "merchantTransactionId",
            &self.merchant_transaction_id,
            1,
            50,
        )?;
        validate::opt_length("referenceUuid", self.reference_uuid.as_deref(), 1, 50)?;
        validate::opt_length("additionalId1", self.additional_id1.as_deref(), 1, 50)?;
        validate::opt_length("additionalId2", self.additional_id2.as_deref(), 1, 50)?;
        validate::extra_data("extraData", &self.extra_data)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        validate::currency("currency", &self.currency)?;
        validate::url("successUrl", self.success_url.as_deref())?;
        validate::url("cancelUrl", self.cancel_url.as_deref())?;
        validate::url("errorUrl", self.error_url.as_deref())?;
        validate::url("callbackUrl", self.callback_url.as_deref())?;
        validate::opt_length("description", self.description.as_deref(), 0, 255)?;
        for (i, item) in self.items.iter().enumerate() {
            item.validate(&format!("items[{i}]"))?;
        }
        if let Some(v) = &self.transaction_indicator {
            validate::known("transactionIndicator", Some(v.as_str()), v.is_unknown())?;
        }
        if let Some(v) = &self.customer {
            v.validate("customer")?;
        }
        if let Some(v) = &self.schedule {
            v.validate("schedule")?;
        }
        if let Some(v) = &self.customer_profile_data {
            v.validate("customerProfileData")?;
        }
        if let Some(v) = &self.three_d_secure_data {
            v.validate("threeDSecureData")?;
        }
        if let Some(v) = &self.l2l3_data {
            v.validate("l2l3Data")?;
        }
        validate::language("language", self.language.as_deref())?;
        if let Some(v) = &self.pay_by_link {
            v.validate("payByLink")?;
        }
        Ok(())
    }
}

setters!(DebitRequest {
    /// Sets `referenceUuid`.
    reference_uuid: String,
    /// Sets `additionalId1`.
    additional_id1: String,
    /// Sets `additionalId2`.
    additional_id2: String,
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `surchargeAmount`.
    surcharge_amount: Amount,
    /// Sets `successUrl`.
    success_url: String,
    /// Sets `cancelUrl`.
    cancel_url: String,
    /// Sets `errorUrl`.
    error_url: String,
    /// Sets `callbackUrl`.
    callback_url: String,
    /// Sets `transactionToken`.
    transaction_token: Sensitive,
    /// Sets `description`.
    description: String,
    /// Sets `withRegister`.
    with_register: bool,
    /// Sets `transactionIndicator`.
    transaction_indicator: TransactionIndicator,
    /// Sets `customer`.
    customer: Customer,
    /// Sets `schedule`.
    schedule: Schedule,
    /// Sets `customerProfileData`.
    customer_profile_data: CustomerProfileData,
    /// Sets `threeDSecureData`.
    three_d_secure_data: ThreeDSecureData,
    /// Sets `l2l3Data`.
    l2l3_data: L2L3Data,
    /// Sets `language`.
    language: String,
    /// Sets `payByLink`.
    pay_by_link: PayByLink,
});

impl TransactionRequest for DebitRequest {
    const OPERATION: Operation = Operation::Debit;

    fn validate(&self) -> Result<(), Error> {
        DebitRequest::validate(self)
    }

    fn merchant_transaction_id(&self) -> &str {
        &self.merchant_transaction_id
    }
}

/// A preauthorization: reserves the amount on the customer's instrument (capture within about 7 days, depending on the payment method).
///
/// Required fields are the arguments of [`PreauthorizeRequest::new`]; optional ones have setters.
/// Sent with [`Client::preauthorize`](crate::Client::preauthorize).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PreauthorizeRequest {
    /// `merchantTransactionId`: your unique id of the transaction (1–50 characters); reusing one fails with error 3004.
    pub merchant_transaction_id: String,
    /// `referenceUuid`: the `uuid` of the referenced transaction (1–50 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_uuid: Option<String>,
    /// `additionalId1`: an additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id1: Option<String>,
    /// `additionalId2`: a second additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id2: Option<String>,
    /// `extraData`: string-to-string data for the adapter (≤ 64 entries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// `merchantMetaData`: your own data, echoed in notifications (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `amount`: the amount in major units.
    pub amount: Amount,
    /// `surchargeAmount`: a surcharge in major units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surcharge_amount: Option<Amount>,
    /// `currency`: 3-letter upper-case currency code.
    pub currency: String,
    /// `captureInMinutes`: capture automatically after this many whole minutes (≥ 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_in_minutes: Option<u32>,
    /// `successUrl`: where the customer is sent back after success or pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// `cancelUrl`: where the customer is sent back after cancelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    /// `errorUrl`: where the customer is sent back after an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_url: Option<String>,
    /// `callbackUrl`: where the gateway sends status notifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// `transactionToken`: the token from payment.js (`ix::…`), redacted in `Debug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_token: Option<Sensitive>,
    /// `description`: a description (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `items`: the items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// `withRegister`: also store the payment instrument for later transactions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with_register: Option<bool>,
    /// `transactionIndicator`: why and how the transaction is initiated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_indicator: Option<TransactionIndicator>,
    /// `customer`: the customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// `schedule`: a schedule started with this transaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// `customerProfileData`: the customer profile to attach the instrument to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_profile_data: Option<CustomerProfileData>,
    /// `threeDSecureData`: 3-D Secure data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub three_d_secure_data: Option<ThreeDSecureData>,
    /// `l2l3Data`: level 2/3 data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l2l3_data: Option<L2L3Data>,
    /// `language`: 2-letter lower-case language of the payment pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `payByLink`: send a payment link instead of redirecting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_by_link: Option<PayByLink>,
}

impl PreauthorizeRequest {
    /// A request with its required fields; see the setters for the optional ones.
    pub fn new(
        merchant_transaction_id: impl Into<String>,
        amount: impl Into<Amount>,
        currency: impl Into<String>,
    ) -> Self {
        Self {
            merchant_transaction_id: merchant_transaction_id.into(),
            reference_uuid: None,
            additional_id1: None,
            additional_id2: None,
            extra_data: Default::default(),
            merchant_meta_data: None,
            amount: amount.into(),
            surcharge_amount: None,
            currency: currency.into(),
            capture_in_minutes: None,
            success_url: None,
            cancel_url: None,
            error_url: None,
            callback_url: None,
            transaction_token: None,
            description: None,
            items: Default::default(),
            with_register: None,
            transaction_indicator: None,
            customer: None,
            schedule: None,
            customer_profile_data: None,
            three_d_secure_data: None,
            l2l3_data: None,
            language: None,
            pay_by_link: None,
        }
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    /// Adds one entry to `items`.
    #[must_use]
    pub fn item(mut self, item: Item) -> Self {
        self.items.push(item);
        self
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length(
            "merchantTransactionId",
            &self.merchant_transaction_id,
            1,
            50,
        )?;
        validate::opt_length("referenceUuid", self.reference_uuid.as_deref(), 1, 50)?;
        validate::opt_length("additionalId1", self.additional_id1.as_deref(), 1, 50)?;
        validate::opt_length("additionalId2", self.additional_id2.as_deref(), 1, 50)?;
        validate::extra_data("extraData", &self.extra_data)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        validate::currency("currency", &self.currency)?;
        validate::range(
            "captureInMinutes",
            self.capture_in_minutes.map(u64::from),
            1,
            u64::from(u32::MAX),
        )?;
        validate::url("successUrl", self.success_url.as_deref())?;
        validate::url("cancelUrl", self.cancel_url.as_deref())?;
        validate::url("errorUrl", self.error_url.as_deref())?;
        validate::url("callbackUrl", self.callback_url.as_deref())?;
        validate::opt_length("description", self.description.as_deref(), 0, 255)?;
        for (i, item) in self.items.iter().enumerate() {
            item.validate(&format!("items[{i}]"))?;
        }
        if let Some(v) = &self.transaction_indicator {
            validate::known("transactionIndicator", Some(v.as_str()), v.is_unknown())?;
        }
        if let Some(v) = &self.customer {
            v.validate("customer")?;
        }
        if let Some(v) = &self.schedule {
            v.validate("schedule")?;
        }
        if let Some(v) = &self.customer_profile_data {
            v.validate("customerProfileData")?;
        }
        if let Some(v) = &self.three_d_secure_data {
            v.validate("threeDSecureData")?;
        }
        if let Some(v) = &self.l2l3_data {
            v.validate("l2l3Data")?;
        }
        validate::language("language", self.language.as_deref())?;
        if let Some(v) = &self.pay_by_link {
            v.validate("payByLink")?;
        }
        Ok(())
    }
}

setters!(PreauthorizeRequest {
    /// Sets `referenceUuid`.
    reference_uuid: String,
    /// Sets `additionalId1`.
    additional_id1: String,
    /// Sets `additionalId2`.
    additional_id2: String,
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `surchargeAmount`.
    surcharge_amount: Amount,
    /// Sets `captureInMinutes`.
    capture_in_minutes: u32,
    /// Sets `successUrl`.
    success_url: String,
    /// Sets `cancelUrl`.
    cancel_url: String,
    /// Sets `errorUrl`.
    error_url: String,
    /// Sets `callbackUrl`.
    callback_url: String,
    /// Sets `transactionToken`.
    transaction_token: Sensitive,
    /// Sets `description`.
    description: String,
    /// Sets `withRegister`.
    with_register: bool,
    /// Sets `transactionIndicator`.
    transaction_indicator: TransactionIndicator,
    /// Sets `customer`.
    customer: Customer,
    /// Sets `schedule`.
    schedule: Schedule,
    /// Sets `customerProfileData`.
    customer_profile_data: CustomerProfileData,
    /// Sets `threeDSecureData`.
    three_d_secure_data: ThreeDSecureData,
    /// Sets `l2l3Data`.
    l2l3_data: L2L3Data,
    /// Sets `language`.
    language: String,
    /// Sets `payByLink`.
    pay_by_link: PayByLink,
});

impl TransactionRequest for PreauthorizeRequest {
    const OPERATION: Operation = Operation::Preauthorize;

    fn validate(&self) -> Result<(), Error> {
        PreauthorizeRequest::validate(self)
    }

    fn merchant_transaction_id(&self) -> &str {
        &self.merchant_transaction_id
    }
}

/// A capture of a preauthorization (partial captures depend on the payment method).
///
/// Required fields are the arguments of [`CaptureRequest::new`]; optional ones have setters.
/// Sent with [`Client::capture`](crate::Client::capture).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CaptureRequest {
    /// `merchantTransactionId`: your unique id of the transaction (1–50 characters); reusing one fails with error 3004.
    pub merchant_transaction_id: String,
    /// `referenceUuid`: the `uuid` of the referenced transaction (1–50 characters).
    pub reference_uuid: String,
    /// `additionalId1`: an additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id1: Option<String>,
    /// `additionalId2`: a second additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id2: Option<String>,
    /// `extraData`: string-to-string data for the adapter (≤ 64 entries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// `merchantMetaData`: your own data, echoed in notifications (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `amount`: the amount in major units.
    pub amount: Amount,
    /// `currency`: 3-letter upper-case currency code.
    pub currency: String,
    /// `description`: a description (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `items`: the items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// `l2l3Data`: level 2/3 data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l2l3_data: Option<L2L3Data>,
}

impl CaptureRequest {
    /// A request with its required fields; see the setters for the optional ones.
    pub fn new(
        merchant_transaction_id: impl Into<String>,
        reference_uuid: impl Into<String>,
        amount: impl Into<Amount>,
        currency: impl Into<String>,
    ) -> Self {
        Self {
            merchant_transaction_id: merchant_transaction_id.into(),
            reference_uuid: reference_uuid.into(),
            additional_id1: None,
            additional_id2: None,
            extra_data: Default::default(),
            merchant_meta_data: None,
            amount: amount.into(),
            currency: currency.into(),
            description: None,
            items: Default::default(),
            l2l3_data: None,
        }
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    /// Adds one entry to `items`.
    #[must_use]
    pub fn item(mut self, item: Item) -> Self {
        self.items.push(item);
        self
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length(
            "merchantTransactionId",
            &self.merchant_transaction_id,
            1,
            50,
        )?;
        validate::length("referenceUuid", &self.reference_uuid, 1, 50)?;
        validate::opt_length("additionalId1", self.additional_id1.as_deref(), 1, 50)?;
        validate::opt_length("additionalId2", self.additional_id2.as_deref(), 1, 50)?;
        validate::extra_data("extraData", &self.extra_data)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        validate::currency("currency", &self.currency)?;
        validate::opt_length("description", self.description.as_deref(), 0, 255)?;
        for (i, item) in self.items.iter().enumerate() {
            item.validate(&format!("items[{i}]"))?;
        }
        if let Some(v) = &self.l2l3_data {
            v.validate("l2l3Data")?;
        }
        Ok(())
    }
}

setters!(CaptureRequest {
    /// Sets `additionalId1`.
    additional_id1: String,
    /// Sets `additionalId2`.
    additional_id2: String,
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `description`.
    description: String,
    /// Sets `l2l3Data`.
    l2l3_data: L2L3Data,
});

impl TransactionRequest for CaptureRequest {
    const OPERATION: Operation = Operation::Capture;

    fn validate(&self) -> Result<(), Error> {
        CaptureRequest::validate(self)
    }

    fn merchant_transaction_id(&self) -> &str {
        &self.merchant_transaction_id
    }
}

/// A void: cancels a preauthorization (a partial void when an amount is given and the adapter supports it).
///
/// Required fields are the arguments of [`VoidRequest::new`]; optional ones have setters.
/// Sent with [`Client::void`](crate::Client::void).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VoidRequest {
    /// `merchantTransactionId`: your unique id of the transaction (1–50 characters); reusing one fails with error 3004.
    pub merchant_transaction_id: String,
    /// `referenceUuid`: the `uuid` of the referenced transaction (1–50 characters).
    pub reference_uuid: String,
    /// `additionalId1`: an additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id1: Option<String>,
    /// `additionalId2`: a second additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id2: Option<String>,
    /// `extraData`: string-to-string data for the adapter (≤ 64 entries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// `merchantMetaData`: your own data, echoed in notifications (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `amount`: the amount in major units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// `currency`: 3-letter upper-case currency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl VoidRequest {
    /// A request with its required fields; see the setters for the optional ones.
    pub fn new(
        merchant_transaction_id: impl Into<String>,
        reference_uuid: impl Into<String>,
    ) -> Self {
        Self {
            merchant_transaction_id: merchant_transaction_id.into(),
            reference_uuid: reference_uuid.into(),
            additional_id1: None,
            additional_id2: None,
            extra_data: Default::default(),
            merchant_meta_data: None,
            amount: None,
            currency: None,
        }
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length(
            "merchantTransactionId",
            &self.merchant_transaction_id,
            1,
            50,
        )?;
        validate::length("referenceUuid", &self.reference_uuid, 1, 50)?;
        validate::opt_length("additionalId1", self.additional_id1.as_deref(), 1, 50)?;
        validate::opt_length("additionalId2", self.additional_id2.as_deref(), 1, 50)?;
        validate::extra_data("extraData", &self.extra_data)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        validate::opt_currency("currency", self.currency.as_deref())?;
        if self.amount.is_some() && self.currency.is_none() {
            return Err(Error::invalid_request(
                "currency",
                "is required with an amount",
            ));
        }
        Ok(())
    }
}

setters!(VoidRequest {
    /// Sets `additionalId1`.
    additional_id1: String,
    /// Sets `additionalId2`.
    additional_id2: String,
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `amount`.
    amount: Amount,
    /// Sets `currency`.
    currency: String,
});

impl TransactionRequest for VoidRequest {
    const OPERATION: Operation = Operation::Void;

    fn validate(&self) -> Result<(), Error> {
        VoidRequest::validate(self)
    }

    fn merchant_transaction_id(&self) -> &str {
        &self.merchant_transaction_id
    }
}

/// A register: stores the customer's payment instrument for later debits or preauthorizations.
///
/// Required fields are the arguments of [`RegisterRequest::new`]; optional ones have setters.
/// Sent with [`Client::register`](crate::Client::register).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RegisterRequest {
    /// `merchantTransactionId`: your unique id of the transaction (1–50 characters); reusing one fails with error 3004.
    pub merchant_transaction_id: String,
    /// `additionalId1`: an additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id1: Option<String>,
    /// `additionalId2`: a second additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id2: Option<String>,
    /// `extraData`: string-to-string data for the adapter (≤ 64 entries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// `merchantMetaData`: your own data, echoed in notifications (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `successUrl`: where the customer is sent back after success or pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// `cancelUrl`: where the customer is sent back after cancelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    /// `errorUrl`: where the customer is sent back after an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_url: Option<String>,
    /// `callbackUrl`: where the gateway sends status notifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// `transactionToken`: the token from payment.js (`ix::…`), redacted in `Debug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_token: Option<Sensitive>,
    /// `description`: a description (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `customer`: the customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// `schedule`: a schedule started with this transaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// `customerProfileData`: the customer profile to attach the instrument to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_profile_data: Option<CustomerProfileData>,
    /// `threeDSecureData`: 3-D Secure data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub three_d_secure_data: Option<ThreeDSecureData>,
    /// `l2l3Data`: level 2/3 data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l2l3_data: Option<L2L3Data>,
    /// `language`: 2-letter lower-case language of the payment pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl RegisterRequest {
    /// A request with its required fields; see the setters for the optional ones.
    pub fn new(merchant_transaction_id: impl Into<String>) -> Self {
        Self {
            merchant_transaction_id: merchant_transaction_id.into(),
            additional_id1: None,
            additional_id2: None,
            extra_data: Default::default(),
            merchant_meta_data: None,
            success_url: None,
            cancel_url: None,
            error_url: None,
            callback_url: None,
            transaction_token: None,
            description: None,
            customer: None,
            schedule: None,
            customer_profile_data: None,
            three_d_secure_data: None,
            l2l3_data: None,
            language: None,
        }
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length(
            "merchantTransactionId",
            &self.merchant_transaction_id,
            1,
            50,
        )?;
        validate::opt_length("additionalId1", self.additional_id1.as_deref(), 1, 50)?;
        validate::opt_length("additionalId2", self.additional_id2.as_deref(), 1, 50)?;
        validate::extra_data("extraData", &self.extra_data)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        validate::url("successUrl", self.success_url.as_deref())?;
        validate::url("cancelUrl", self.cancel_url.as_deref())?;
        validate::url("errorUrl", self.error_url.as_deref())?;
        validate::url("callbackUrl", self.callback_url.as_deref())?;
        validate::opt_length("description", self.description.as_deref(), 0, 255)?;
        if let Some(v) = &self.customer {
            v.validate("customer")?;
        }
        if let Some(v) = &self.schedule {
            v.validate("schedule")?;
        }
        if let Some(v) = &self.customer_profile_data {
            v.validate("customerProfileData")?;
        }
        if let Some(v) = &self.three_d_secure_data {
            v.validate("threeDSecureData")?;
        }
        if let Some(v) = &self.l2l3_data {
            v.validate("l2l3Data")?;
        }
        validate::language("language", self.language.as_deref())?;
        Ok(())
    }
}

setters!(RegisterRequest {
    /// Sets `additionalId1`.
    additional_id1: String,
    /// Sets `additionalId2`.
    additional_id2: String,
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `successUrl`.
    success_url: String,
    /// Sets `cancelUrl`.
    cancel_url: String,
    /// Sets `errorUrl`.
    error_url: String,
    /// Sets `callbackUrl`.
    callback_url: String,
    /// Sets `transactionToken`.
    transaction_token: Sensitive,
    /// Sets `description`.
    description: String,
    /// Sets `customer`.
    customer: Customer,
    /// Sets `schedule`.
    schedule: Schedule,
    /// Sets `customerProfileData`.
    customer_profile_data: CustomerProfileData,
    /// Sets `threeDSecureData`.
    three_d_secure_data: ThreeDSecureData,
    /// Sets `l2l3Data`.
    l2l3_data: L2L3Data,
    /// Sets `language`.
    language: String,
});

impl TransactionRequest for RegisterRequest {
    const OPERATION: Operation = Operation::Register;

    fn validate(&self) -> Result<(), Error> {
        RegisterRequest::validate(self)
    }

    fn merchant_transaction_id(&self) -> &str {
        &self.merchant_transaction_id
    }
}

/// A deregister: deletes a stored payment instrument.
///
/// Required fields are the arguments of [`DeregisterRequest::new`]; optional ones have setters.
/// Sent with [`Client::deregister`](crate::Client::deregister).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeregisterRequest {
    /// `merchantTransactionId`: your unique id of the transaction (1–50 characters); reusing one fails with error 3004.
    pub merchant_transaction_id: String,
    /// `referenceUuid`: the `uuid` of the referenced transaction (1–50 characters).
    pub reference_uuid: String,
    /// `additionalId1`: an additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id1: Option<String>,
    /// `additionalId2`: a second additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id2: Option<String>,
    /// `extraData`: string-to-string data for the adapter (≤ 64 entries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// `merchantMetaData`: your own data, echoed in notifications (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `tokenType`: which tokens to delete (default `ALL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<TokenType>,
}

impl DeregisterRequest {
    /// A request with its required fields; see the setters for the optional ones.
    pub fn new(
        merchant_transaction_id: impl Into<String>,
        reference_uuid: impl Into<String>,
    ) -> Self {
        Self {
            merchant_transaction_id: merchant_transaction_id.into(),
            reference_uuid: reference_uuid.into(),
            additional_id1: None,
            additional_id2: None,
            extra_data: Default::default(),
            merchant_meta_data: None,
            token_type: None,
        }
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length(
            "merchantTransactionId",
            &self.merchant_transaction_id,
            1,
            50,
        )?;
        validate::length("referenceUuid", &self.reference_uuid, 1, 50)?;
        validate::opt_length("additionalId1", self.additional_id1.as_deref(), 1, 50)?;
        validate::opt_length("additionalId2", self.additional_id2.as_deref(), 1, 50)?;
        validate::extra_data("extraData", &self.extra_data)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        if let Some(v) = &self.token_type {
            validate::known("tokenType", Some(v.as_str()), v.is_unknown())?;
        }
        Ok(())
    }
}

setters!(DeregisterRequest {
    /// Sets `additionalId1`.
    additional_id1: String,
    /// Sets `additionalId2`.
    additional_id2: String,
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `tokenType`.
    token_type: TokenType,
});

impl TransactionRequest for DeregisterRequest {
    const OPERATION: Operation = Operation::Deregister;

    fn validate(&self) -> Result<(), Error> {
        DeregisterRequest::validate(self)
    }

    fn merchant_transaction_id(&self) -> &str {
        &self.merchant_transaction_id
    }
}

/// A refund of a debit or capture (partial refunds depend on the payment method).
///
/// Required fields are the arguments of [`RefundRequest::new`]; optional ones have setters.
/// Sent with [`Client::refund`](crate::Client::refund).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RefundRequest {
    /// `merchantTransactionId`: your unique id of the transaction (1–50 characters); reusing one fails with error 3004.
    pub merchant_transaction_id: String,
    /// `referenceUuid`: the `uuid` of the referenced transaction (1–50 characters).
    pub reference_uuid: String,
    /// `additionalId1`: an additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id1: Option<String>,
    /// `additionalId2`: a second additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id2: Option<String>,
    /// `extraData`: string-to-string data for the adapter (≤ 64 entries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// `merchantMetaData`: your own data, echoed in notifications (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `amount`: the amount in major units.
    pub amount: Amount,
    /// `currency`: 3-letter upper-case currency code.
    pub currency: String,
    /// `callbackUrl`: where the gateway sends status notifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// `transactionToken`: the token from payment.js (`ix::…`), redacted in `Debug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_token: Option<Sensitive>,
    /// `description`: a description (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `items`: the items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
}

impl RefundRequest {
    /// A request with its required fields; see the setters for the optional ones.
    pub fn new(
        merchant_transaction_id: impl Into<String>,
        reference_uuid: impl Into<String>,
        amount: impl Into<Amount>,
        currency: impl Into<String>,
    ) -> Self {
        Self {
            merchant_transaction_id: merchant_transaction_id.into(),
            reference_uuid: reference_uuid.into(),
            additional_id1: None,
            additional_id2: None,
            extra_data: Default::default(),
            merchant_meta_data: None,
            amount: amount.into(),
            currency: currency.into(),
            callback_url: None,
            transaction_token: None,
            description: None,
            items: Default::default(),
        }
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    /// Adds one entry to `items`.
    #[must_use]
    pub fn item(mut self, item: Item) -> Self {
        self.items.push(item);
        self
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length(
            "merchantTransactionId",
            &self.merchant_transaction_id,
            1,
            50,
        )?;
        validate::length("referenceUuid", &self.reference_uuid, 1, 50)?;
        validate::opt_length("additionalId1", self.additional_id1.as_deref(), 1, 50)?;
        validate::opt_length("additionalId2", self.additional_id2.as_deref(), 1, 50)?;
        validate::extra_data("extraData", &self.extra_data)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        validate::currency("currency", &self.currency)?;
        validate::url("callbackUrl", self.callback_url.as_deref())?;
        validate::opt_length("description", self.description.as_deref(), 0, 255)?;
        for (i, item) in self.items.iter().enumerate() {
            item.validate(&format!("items[{i}]"))?;
        }
        Ok(())
    }
}

setters!(RefundRequest {
    /// Sets `additionalId1`.
    additional_id1: String,
    /// Sets `additionalId2`.
    additional_id2: String,
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `callbackUrl`.
    callback_url: String,
    /// Sets `transactionToken`.
    transaction_token: Sensitive,
    /// Sets `description`.
    description: String,
});

impl TransactionRequest for RefundRequest {
    const OPERATION: Operation = Operation::Refund;

    fn validate(&self) -> Result<(), Error> {
        RefundRequest::validate(self)
    }

    fn merchant_transaction_id(&self) -> &str {
        &self.merchant_transaction_id
    }
}

/// A payout: credits the customer. Depending on the connector, a `referenceUuid` or a `transactionToken` is required.
///
/// Required fields are the arguments of [`PayoutRequest::new`]; optional ones have setters.
/// Sent with [`Client::payout`](crate::Client::payout).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayoutRequest {
    /// `merchantTransactionId`: your unique id of the transaction (1–50 characters); reusing one fails with error 3004.
    pub merchant_transaction_id: String,
    /// `referenceUuid`: the `uuid` of the referenced transaction (1–50 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_uuid: Option<String>,
    /// `additionalId1`: an additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id1: Option<String>,
    /// `additionalId2`: a second additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id2: Option<String>,
    /// `extraData`: string-to-string data for the adapter (≤ 64 entries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// `merchantMetaData`: your own data, echoed in notifications (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `amount`: the amount in major units.
    pub amount: Amount,
    /// `currency`: 3-letter upper-case currency code.
    pub currency: String,
    /// `successUrl`: where the customer is sent back after success or pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// `cancelUrl`: where the customer is sent back after cancelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    /// `errorUrl`: where the customer is sent back after an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_url: Option<String>,
    /// `callbackUrl`: where the gateway sends status notifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// `transactionToken`: the token from payment.js (`ix::…`), redacted in `Debug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_token: Option<Sensitive>,
    /// `description`: a description (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `items`: the items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// `customer`: the customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// `language`: 2-letter lower-case language of the payment pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl PayoutRequest {
    /// A request with its required fields; see the setters for the optional ones.
    pub fn new(
        merchant_transaction_id: impl Into<String>,
        amount: impl Into<Amount>,
        currency: impl Into<String>,
    ) -> Self {
        Self {
            merchant_transaction_id: merchant_transaction_id.into(),
            reference_uuid: None,
            additional_id1: None,
            additional_id2: None,
            extra_data: Default::default(),
            merchant_meta_data: None,
            amount: amount.into(),
            currency: currency.into(),
            success_url: None,
            cancel_url: None,
            error_url: None,
            callback_url: None,
            transaction_token: None,
            description: None,
            items: Default::default(),
            customer: None,
            language: None,
        }
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    /// Adds one entry to `items`.
    #[must_use]
    pub fn item(mut self, item: Item) -> Self {
        self.items.push(item);
        self
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length(
            "merchantTransactionId",
            &self.merchant_transaction_id,
            1,
            50,
        )?;
        validate::opt_length("referenceUuid", self.reference_uuid.as_deref(), 1, 50)?;
        validate::opt_length("additionalId1", self.additional_id1.as_deref(), 1, 50)?;
        validate::opt_length("additionalId2", self.additional_id2.as_deref(), 1, 50)?;
        validate::extra_data("extraData", &self.extra_data)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        validate::currency("currency", &self.currency)?;
        validate::url("successUrl", self.success_url.as_deref())?;
        validate::url("cancelUrl", self.cancel_url.as_deref())?;
        validate::url("errorUrl", self.error_url.as_deref())?;
        validate::url("callbackUrl", self.callback_url.as_deref())?;
        validate::opt_length("description", self.description.as_deref(), 0, 255)?;
        for (i, item) in self.items.iter().enumerate() {
            item.validate(&format!("items[{i}]"))?;
        }
        if let Some(v) = &self.customer {
            v.validate("customer")?;
        }
        validate::language("language", self.language.as_deref())?;
        Ok(())
    }
}

setters!(PayoutRequest {
    /// Sets `referenceUuid`.
    reference_uuid: String,
    /// Sets `additionalId1`.
    additional_id1: String,
    /// Sets `additionalId2`.
    additional_id2: String,
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `successUrl`.
    success_url: String,
    /// Sets `cancelUrl`.
    cancel_url: String,
    /// Sets `errorUrl`.
    error_url: String,
    /// Sets `callbackUrl`.
    callback_url: String,
    /// Sets `transactionToken`.
    transaction_token: Sensitive,
    /// Sets `description`.
    description: String,
    /// Sets `customer`.
    customer: Customer,
    /// Sets `language`.
    language: String,
});

impl TransactionRequest for PayoutRequest {
    const OPERATION: Operation = Operation::Payout;

    fn validate(&self) -> Result<(), Error> {
        PayoutRequest::validate(self)
    }

    fn merchant_transaction_id(&self) -> &str {
        &self.merchant_transaction_id
    }
}

/// An incremental authorization: increases the amount of a preauthorization (few adapters). A later capture must refer to the **initial** preauthorization.
///
/// Required fields are the arguments of [`IncrementalAuthorizationRequest::new`]; optional ones have setters.
/// Sent with [`Client::incremental_authorization`](crate::Client::incremental_authorization).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IncrementalAuthorizationRequest {
    /// `merchantTransactionId`: your unique id of the transaction (1–50 characters); reusing one fails with error 3004.
    pub merchant_transaction_id: String,
    /// `referenceUuid`: the `uuid` of the referenced transaction (1–50 characters).
    pub reference_uuid: String,
    /// `additionalId1`: an additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id1: Option<String>,
    /// `additionalId2`: a second additional id, if the adapter requires one (1–50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_id2: Option<String>,
    /// `extraData`: string-to-string data for the adapter (≤ 64 entries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_data: BTreeMap<String, String>,
    /// `merchantMetaData`: your own data, echoed in notifications (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `amount`: the amount in major units.
    pub amount: Amount,
    /// `currency`: 3-letter upper-case currency code.
    pub currency: String,
    /// `successUrl`: where the customer is sent back after success or pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// `cancelUrl`: where the customer is sent back after cancelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    /// `errorUrl`: where the customer is sent back after an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_url: Option<String>,
    /// `callbackUrl`: where the gateway sends status notifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// `transactionToken`: the token from payment.js (`ix::…`), redacted in `Debug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_token: Option<Sensitive>,
    /// `description`: a description (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `items`: the items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// `l2l3Data`: level 2/3 data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l2l3_data: Option<L2L3Data>,
    /// `language`: 2-letter lower-case language of the payment pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl IncrementalAuthorizationRequest {
    /// A request with its required fields; see the setters for the optional ones.
    pub fn new(
        merchant_transaction_id: impl Into<String>,
        reference_uuid: impl Into<String>,
        amount: impl Into<Amount>,
        currency: impl Into<String>,
    ) -> Self {
        Self {
            merchant_transaction_id: merchant_transaction_id.into(),
            reference_uuid: reference_uuid.into(),
            additional_id1: None,
            additional_id2: None,
            extra_data: Default::default(),
            merchant_meta_data: None,
            amount: amount.into(),
            currency: currency.into(),
            success_url: None,
            cancel_url: None,
            error_url: None,
            callback_url: None,
            transaction_token: None,
            description: None,
            items: Default::default(),
            l2l3_data: None,
            language: None,
        }
    }

    /// Adds one `extraData` entry.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_data.insert(key.into(), value.into());
        self
    }

    /// Adds one entry to `items`.
    #[must_use]
    pub fn item(mut self, item: Item) -> Self {
        self.items.push(item);
        self
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length(
            "merchantTransactionId",
            &self.merchant_transaction_id,
            1,
            50,
        )?;
        validate::length("referenceUuid", &self.reference_uuid, 1, 50)?;
        validate::opt_length("additionalId1", self.additional_id1.as_deref(), 1, 50)?;
        validate::opt_length("additionalId2", self.additional_id2.as_deref(), 1, 50)?;
        validate::extra_data("extraData", &self.extra_data)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        validate::currency("currency", &self.currency)?;
        validate::url("successUrl", self.success_url.as_deref())?;
        validate::url("cancelUrl", self.cancel_url.as_deref())?;
        validate::url("errorUrl", self.error_url.as_deref())?;
        validate::url("callbackUrl", self.callback_url.as_deref())?;
        validate::opt_length("description", self.description.as_deref(), 0, 255)?;
        for (i, item) in self.items.iter().enumerate() {
            item.validate(&format!("items[{i}]"))?;
        }
        if let Some(v) = &self.l2l3_data {
            v.validate("l2l3Data")?;
        }
        validate::language("language", self.language.as_deref())?;
        Ok(())
    }
}

setters!(IncrementalAuthorizationRequest {
    /// Sets `additionalId1`.
    additional_id1: String,
    /// Sets `additionalId2`.
    additional_id2: String,
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `successUrl`.
    success_url: String,
    /// Sets `cancelUrl`.
    cancel_url: String,
    /// Sets `errorUrl`.
    error_url: String,
    /// Sets `callbackUrl`.
    callback_url: String,
    /// Sets `transactionToken`.
    transaction_token: Sensitive,
    /// Sets `description`.
    description: String,
    /// Sets `l2l3Data`.
    l2l3_data: L2L3Data,
    /// Sets `language`.
    language: String,
});

impl TransactionRequest for IncrementalAuthorizationRequest {
    const OPERATION: Operation = Operation::IncrementalAuthorization;

    fn validate(&self) -> Result<(), Error> {
        IncrementalAuthorizationRequest::validate(self)
    }

    fn merchant_transaction_id(&self) -> &str {
        &self.merchant_transaction_id
    }
}

/// The answer to every transaction request.
///
/// Match on [`outcome`](Self::outcome) to learn what to do next. A declined payment is
/// [`TransactionOutcome::Error`], not an `Err`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "TransactionResponseWire")]
#[non_exhaustive]
pub struct TransactionResponse {
    /// `success`: whether the request was processed without error.
    pub success: bool,
    /// `uuid`: the gateway's id of the transaction (use it as `referenceUuid` later).
    pub uuid: Option<String>,
    /// `purchaseId`.
    pub purchase_id: Option<String>,
    /// What happened: finished, redirect, HTML, pending, error.
    pub outcome: TransactionOutcome,
    /// `paymentDescriptor`.
    pub payment_descriptor: Option<String>,
    /// `paymentMethod`, when already determined (e.g. `Creditcard`).
    pub payment_method: Option<String>,
    /// `returnData`: the instrument used.
    pub return_data: Option<ReturnData>,
    /// `scheduleData`: the schedule started with the transaction (an object or a list).
    pub schedule_data: Vec<ScheduleData>,
    /// `customerProfileData`.
    pub customer_profile_data: Option<CustomerProfileData>,
    /// `riskCheckData`.
    pub risk_check_data: Option<RiskCheckData>,
    /// `extraData` (e.g. `remainingAmount`).
    pub extra_data: ExtraData,
    /// `payByLinkData`.
    pub pay_by_link_data: Option<PayByLinkData>,
    /// `expiresAt` (deprecated in favour of `payByLinkData`).
    pub expires_at: Option<Timestamp>,
}

/// What a transaction request resulted in (`returnType`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TransactionOutcome {
    /// `FINISHED`: completed successfully; deliver the goods.
    Finished,
    /// `REDIRECT`: send the customer to the URL. The final result arrives as a notification.
    Redirect(Redirect),
    /// `HTML`: render this HTML to the customer.
    Html {
        /// `htmlContent`.
        content: String,
    },
    /// `PENDING`: accepted but not final; a notification follows (seconds to days).
    Pending,
    /// `ERROR`: failed or declined; see the errors.
    Error {
        /// `errors`: the gateway's and the adapter's codes and messages.
        errors: Vec<TransactionError>,
    },
    /// A `returnType` this crate does not know (never a success; check the status).
    Unknown {
        /// The value as sent.
        return_type: String,
    },
}

impl TransactionOutcome {
    /// Whether the transaction completed successfully (`FINISHED`).
    pub fn is_finished(&self) -> bool {
        matches!(self, Self::Finished)
    }
}

/// Where and how to redirect the customer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Redirect {
    /// `redirectUrl`.
    pub url: String,
    /// `redirectType`: iframe, full page or 3-D Secure.
    pub redirect_type: Option<RedirectType>,
    /// `redirectQRCode`: a QR code of the URL, base64-encoded.
    pub qr_code: Option<String>,
}

/// An error of a transaction: `errors[]` of a transaction or status answer, or the error
/// fields of a notification. Both documented key styles are read (`errorMessage`/`errorCode`
/// and `message`/`code`), and codes arrive as numbers or strings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "TransactionErrorWire")]
#[non_exhaustive]
pub struct TransactionError {
    /// The gateway's message.
    pub message: Option<String>,
    /// The gateway's code.
    pub code: Option<ErrorCode>,
    /// The adapter's (acquirer's) message, verbatim.
    pub adapter_message: Option<String>,
    /// The adapter's (acquirer's) code, verbatim.
    pub adapter_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransactionErrorWire {
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    error_message: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    message: Option<String>,
    #[serde(default, deserialize_with = "opt_error_code")]
    error_code: Option<ErrorCode>,
    #[serde(default, deserialize_with = "opt_error_code")]
    code: Option<ErrorCode>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    adapter_message: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    adapter_code: Option<String>,
}

impl From<TransactionErrorWire> for TransactionError {
    fn from(w: TransactionErrorWire) -> Self {
        Self {
            message: w.error_message.or(w.message),
            code: w.error_code.or(w.code),
            adapter_message: w.adapter_message,
            adapter_code: w.adapter_code,
        }
    }
}

/// `riskCheckData`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RiskCheckData {
    /// `riskCheckResult`: approved, declined or review.
    #[serde(default)]
    pub risk_check_result: Option<RiskCheckResult>,
    /// `riskScore`.
    #[serde(default, deserialize_with = "crate::de::opt_decimal")]
    pub risk_score: Option<Decimal>,
    /// `threeDSecureRequired`.
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub three_d_secure_required: Option<bool>,
}

/// `payByLinkData`: the payment link's expiry and cancel endpoint.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayByLinkData {
    /// `expiresAt` (e.g. `2023-08-21 14:13:02 UTC`).
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub expires_at: Option<Timestamp>,
    /// `cancelUrl`: call it to cancel the link.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub cancel_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransactionResponseWire {
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    success: Option<bool>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    uuid: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    purchase_id: Option<String>,
    #[serde(default)]
    return_type: Option<ReturnType>,
    #[serde(default)]
    redirect_type: Option<RedirectType>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    redirect_url: Option<String>,
    #[serde(
        rename = "redirectQRCode",
        default,
        deserialize_with = "crate::de::opt_string"
    )]
    redirect_qr_code: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    html_content: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    payment_descriptor: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    payment_method: Option<String>,
    #[serde(default)]
    return_data: Option<ReturnData>,
    #[serde(default, deserialize_with = "crate::de::one_or_many")]
    schedule_data: Vec<ScheduleData>,
    #[serde(default)]
    customer_profile_data: Option<CustomerProfileData>,
    #[serde(default)]
    risk_check_data: Option<RiskCheckData>,
    #[serde(default)]
    extra_data: ExtraData,
    #[serde(default, deserialize_with = "crate::de::null_as_empty")]
    errors: Vec<TransactionError>,
    #[serde(default, deserialize_with = "opt_timestamp")]
    expires_at: Option<Timestamp>,
    #[serde(default)]
    pay_by_link_data: Option<PayByLinkData>,
}

impl TryFrom<TransactionResponseWire> for TransactionResponse {
    type Error = String;

    fn try_from(w: TransactionResponseWire) -> Result<Self, Self::Error> {
        let outcome = match w.return_type {
            Some(ReturnType::Finished) => TransactionOutcome::Finished,
            Some(ReturnType::Pending) => TransactionOutcome::Pending,
            Some(ReturnType::Redirect) => TransactionOutcome::Redirect(Redirect {
                url: w
                    .redirect_url
                    .filter(|u| !u.is_empty())
                    .ok_or("`redirectUrl` is missing from a REDIRECT answer")?,
                redirect_type: w.redirect_type,
                qr_code: w.redirect_qr_code,
            }),
            Some(ReturnType::Html) => TransactionOutcome::Html {
                content: w
                    .html_content
                    .ok_or("`htmlContent` is missing from an HTML answer")?,
            },
            Some(ReturnType::Error) => TransactionOutcome::Error { errors: w.errors },
            Some(ReturnType::Unknown(raw)) => TransactionOutcome::Unknown { return_type: raw },
            None => return Err("`returnType` is missing: not a transaction answer".to_owned()),
        };
        Ok(Self {
            success: w.success.unwrap_or(false),
            uuid: w.uuid,
            purchase_id: w.purchase_id,
            outcome,
            payment_descriptor: w.payment_descriptor,
            payment_method: w.payment_method,
            return_data: w.return_data,
            schedule_data: w.schedule_data,
            customer_profile_data: w.customer_profile_data,
            risk_check_data: w.risk_check_data,
            extra_data: w.extra_data,
            pay_by_link_data: w.pay_by_link_data,
            expires_at: w.expires_at,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn debit() -> DebitRequest {
        DebitRequest::new("2019-09-02-0004", "9.99".parse::<Amount>().unwrap(), "EUR")
    }

    #[test]
    fn minimal_debit_serializes_in_documented_order() {
        // The body of the documented signature vector.
        assert_eq!(
            serde_json::to_string(&debit()).unwrap(),
            r#"{"merchantTransactionId":"2019-09-02-0004","amount":"9.99","currency":"EUR"}"#
        );
    }

    #[test]
    fn limits_are_validated() {
        let field = |r: Result<(), Error>| match r {
            Err(Error::InvalidRequest { field, .. }) => field,
            other => panic!("expected InvalidRequest, got {other:?}"),
        };
        assert!(debit().validate().is_ok());
        let long_id = DebitRequest::new("x".repeat(51), "1".parse::<Amount>().unwrap(), "EUR");
        assert_eq!(field(long_id.validate()), "merchantTransactionId");
        assert_eq!(
            field(DebitRequest::new("a", "1".parse::<Amount>().unwrap(), "eur").validate()),
            "currency"
        );
        assert_eq!(field(debit().language("EN").validate()), "language");
        assert_eq!(
            field(debit().merchant_meta_data("m".repeat(256)).validate()),
            "merchantMetaData"
        );
        assert_eq!(
            field(debit().description("d".repeat(256)).validate()),
            "description"
        );
        assert_eq!(
            field(debit().callback_url("not a url").validate()),
            "callbackUrl"
        );
        assert_eq!(
            field(
                debit()
                    .transaction_indicator(TransactionIndicator::parse("SOMETIMES"))
                    .validate()
            ),
            "transactionIndicator"
        );
        assert_eq!(
            field(
                debit()
                    .customer(Customer::new().billing_country("Canada"))
                    .validate()
            ),
            "customer.billingCountry"
        );
        assert_eq!(
            field(
                debit()
                    .three_d_secure_data(ThreeDSecureData::new().challenge_indicator("10"))
                    .validate()
            ),
            "threeDSecureData.challengeIndicator"
        );
        assert_eq!(
            field(
                debit()
                    .item(Item::new().price(Decimal::new(-1, 0)))
                    .validate()
            ),
            "items[0].price"
        );
        assert_eq!(
            field(
                PreauthorizeRequest::new("a", "1".parse::<Amount>().unwrap(), "EUR")
                    .capture_in_minutes(0u32)
                    .validate()
            ),
            "captureInMinutes"
        );
        assert_eq!(
            field(
                VoidRequest::new("a", "b")
                    .amount("1".parse::<Amount>().unwrap())
                    .validate()
            ),
            "currency"
        );
    }

    #[test]
    fn outcomes_require_their_fields() {
        let redirect = serde_json::from_str::<TransactionResponse>(
            r#"{"success":true,"returnType":"REDIRECT"}"#,
        );
        assert!(redirect.unwrap_err().to_string().contains("redirectUrl"));
        let html =
            serde_json::from_str::<TransactionResponse>(r#"{"success":true,"returnType":"HTML"}"#);
        assert!(html.unwrap_err().to_string().contains("htmlContent"));
        let odd: TransactionResponse =
            serde_json::from_str(r#"{"success":true,"returnType":"SUCCESS"}"#).unwrap();
        assert_eq!(
            odd.outcome,
            TransactionOutcome::Unknown {
                return_type: "SUCCESS".into()
            }
        );
        assert!(!odd.outcome.is_finished());
    }
}
