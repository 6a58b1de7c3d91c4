//! Payment Sessions: create, confirm, cancel, capture, retrieve and list, and the Payment
//! Session, Charge and Capture objects.
//!
//! A Payment Session is a window (15 minutes by default) in which the shopper pays an amount.
//! The four saved-card flows of Pivot's tokenization guide have their own constructors on
//! [`CreatePaymentSession`]:
//!
//! | flow | constructor | then |
//! |---|---|---|
//! | Redirect mode, save the card | [`CreatePaymentSession::redirect_save_card`] | send the shopper to `paymentUrl`, keep `customerId` |
//! | Redirect mode, use a saved card | [`CreatePaymentSession::redirect_saved_card`] | send the shopper to `paymentUrl` |
//! | API mode, save the card | [`CreatePaymentSession::api_save_card`] | encrypt the card with `encryptionKey`, [`ConfirmPaymentSession`], send the shopper to the 3DS `paymentUrl` |
//! | API mode, use a saved card | [`CreatePaymentSession::api_saved_card`] | send the shopper to the 3DS `paymentUrl` |

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;

use super::customer::Customer;
use super::{Amount, PaymentMethodType, validate_len, validate_opt_len, wire_enum};
use crate::Error;
use crate::auth::RequestId;
use crate::card::{Cvc, EncryptedCard, EncryptionKey};

wire_enum! {
    /// Where the shopper pays.
    pub enum PaymentMode {
        /// On Pivot's hosted payment page (`paymentUrl`). Pivot's default.
        Redirect => "REDIRECT",
        /// On the merchant's own page; card data is encrypted or tokenized.
        Api => "API",
    }
}

wire_enum! {
    /// How often a session can be paid.
    pub enum PaymentType {
        /// Paid once (the default).
        Single => "SINGLE",
        /// Paid many times; only QR and virtual accounts, API mode.
        Multiple => "MULTIPLE",
    }
}

wire_enum! {
    /// Whose rules decide the expiry.
    pub enum ExpirationMode {
        /// The processor's (the default).
        Loose => "LOOSE",
        /// The merchant's `expiryAt`. Cards and e-wallets only.
        Strict => "STRICT",
    }
}

wire_enum! {
    /// When an authorised card payment is captured. Pivot's table writes these in lower case.
    pub enum CaptureMethod {
        /// Captured at once.
        Automatic => "automatic",
        /// Authorised now, captured later with [`Client::capture_payment_session`](crate::Client::capture_payment_session).
        Manual => "manual",
    }
}

wire_enum! {
    /// Whether 3-D Secure runs.
    pub enum ThreeDsMethod {
        /// Pivot decides (the default).
        Automatic => "AUTOMATIC",
        /// No 3DS.
        Never => "NEVER",
        /// Always challenge the card holder.
        Challenge => "CHALLENGE",
    }
}

wire_enum! {
    /// Kind of product in the order.
    pub enum ProductType {
        /// Physical goods.
        Physical => "PHYSICAL",
        /// Digital goods.
        Digital => "DIGITAL",
        /// Services.
        Service => "SERVICE",
    }
}

wire_enum! {
    /// Shipping speed.
    pub enum ShippingMethod {
        /// Regular.
        Regular => "REGULAR",
        /// Next day.
        NextDay => "NEXTDAY",
        /// Same day.
        SameDay => "SAMEDAY",
        /// Instant.
        Instant => "INSTANT",
    }
}

wire_enum! {
    /// Status of a Payment Session.
    pub enum PaymentSessionStatus {
        /// Waiting for the shopper to choose a payment method. Cancellable.
        RequirePaymentMethod => "REQUIRE_PAYMENT_METHOD",
        /// A method is chosen; waiting for Confirm. Cancellable.
        RequireConfirmation => "REQUIRE_CONFIRMATION",
        /// A charge started; waiting for the shopper (payment page, 3DS).
        RequireAction => "REQUIRE_ACTION",
        /// A `MULTIPLE` session waiting for charges.
        Active => "ACTIVE",
        /// With the payment partner; wait for the callback.
        Processing => "PROCESSING",
        /// Final: cancelled.
        Cancelled => "CANCELLED",
        /// Final: expired.
        Expired => "EXPIRED",
        /// Final: a `MULTIPLE` session that no longer takes charges.
        Inactive => "INACTIVE",
        /// Final: paid. The only status that means the money arrived.
        Paid => "PAID",
    }
}

impl PaymentSessionStatus {
    /// Whether the session was paid. Only `PAID` is; unknown statuses never are.
    pub fn is_paid(&self) -> bool {
        *self == Self::Paid
    }

    /// Whether the status is final (`PAID`, `CANCELLED`, `EXPIRED`, `INACTIVE`).
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Paid | Self::Cancelled | Self::Expired | Self::Inactive
        )
    }

    /// Whether Pivot allows cancelling the session in this status.
    pub fn is_cancellable(&self) -> bool {
        matches!(self, Self::RequirePaymentMethod | Self::RequireConfirmation)
    }
}

wire_enum! {
    /// Status of a charge.
    pub enum ChargeStatus {
        /// Waiting for the shopper.
        WaitingForUserAction => "WAITING_FOR_USER_ACTION",
        /// Waiting for the partner to authenticate (OTP, PIN).
        WaitingForAuthentication => "WAITING_FOR_AUTHENTICATION",
        /// With the partner.
        Processing => "PROCESSING",
        /// Card authorised, not captured yet (manual capture).
        WaitingForCapture => "WAITING_FOR_CAPTURE",
        /// Final: failed (see `failureCode`).
        Failed => "FAILED",
        /// Final: expired.
        Expired => "EXPIRED",
        /// Final: successful.
        Success => "SUCCESS",
    }
}

impl ChargeStatus {
    /// Whether the charge succeeded. Only `SUCCESS` did; unknown statuses never did.
    pub fn is_success(&self) -> bool {
        *self == Self::Success
    }
}

wire_enum! {
    /// Status of a capture.
    pub enum CaptureStatus {
        /// Requested.
        Pending => "PENDING",
        /// Captured.
        Success => "SUCCESS",
        /// Failed.
        Failed => "FAILED",
    }
}

wire_enum! {
    /// Why a charge failed (`failureCode`).
    pub enum FailureCode {
        /// Declined by the issuer or channel (also expired card, invalid CVV).
        DeclinedByChannel => "DECLINED_BY_CHANNEL",
        /// The card or account is invalid.
        InvalidAccount => "INVALID_ACCOUNT",
        /// 3DS failed.
        AuthenticationFailed => "AUTHENTICATION_FAILED",
        /// Stolen card or suspected fraud.
        SuspectedFraud => "SUSPECTED_FRAUD",
        /// Not enough funds or limit.
        InsufficientFund => "INSUFFICIENT_FUND",
        /// The issuer or channel is unavailable.
        ChannelUnavailable => "CHANNEL_UNAVAILABLE",
        /// The shopper cancelled (3DS or app).
        CancelledByUser => "CANCELLED_BY_USER",
        /// The channel's time ran out.
        ChargeExpired => "CHARGE_EXPIRED",
        /// Declined by Pivot's fraud detection.
        BlockedByFds => "BLOCKED_BY_FDS",
        /// Deferred by Pivot's fraud detection for review.
        RequireReview => "REQUIRE_REVIEW",
    }
}

wire_enum! {
    /// Why a session was cancelled.
    pub enum CancellationReason {
        /// By the shopper.
        RequestedByCustomer => "REQUESTED_BY_CUSTOMER",
        /// A duplicate session.
        Duplicated => "DUPLICATED",
        /// By the merchant.
        VoidSession => "VOID_SESSION",
        /// The payment was rejected.
        ChargeFailed => "CHARGE_FAILED",
        /// Marked as fraud.
        Fraudulent => "FRAUDULENT",
    }
}

wire_enum! {
    /// Settlement Guarantee Program investigation status.
    pub enum InvestigationStatus {
        /// Being validated with the bank partner.
        InProcess => "INVESTIGATION_IN_PROCESS",
        /// The bank partner's final status is success.
        Success => "INVESTIGATION_SUCCESS",
        /// The bank partner's final status is failed.
        Failed => "INVESTIGATION_FAILED",
    }
}

wire_enum! {
    /// Funding type of a card.
    pub enum FundingType {
        /// Debit card.
        Debit => "DEBIT",
        /// Credit card.
        Credit => "CREDIT",
        /// Prepaid card.
        Prepaid => "PREPAID",
    }
}

wire_enum! {
    /// Result of Pivot's fraud screening.
    pub enum FdsStatus {
        /// Passed.
        Passed => "PASSED",
        /// Rejected.
        Rejected => "REJECTED",
    }
}

// ---------------------------------------------------------------------------------------------
// Request objects
// ---------------------------------------------------------------------------------------------

/// Where the hosted page sends the shopper back to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct RedirectUrl {
    /// After a successful payment (1–255).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub success_return_url: Option<String>,
    /// After a failed payment (1–255).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub failure_return_url: Option<String>,
    /// After the session expired (1–255).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub expiration_return_url: Option<String>,
}

impl RedirectUrl {
    /// The three return URLs.
    pub fn new(
        success: impl Into<String>,
        failure: impl Into<String>,
        expiration: impl Into<String>,
    ) -> Self {
        Self {
            success_return_url: Some(success.into()),
            failure_return_url: Some(failure.into()),
            expiration_return_url: Some(expiration.into()),
        }
    }

    fn validate(&self) -> Result<(), Error> {
        for (value, field) in [
            (&self.success_return_url, "redirectUrl.successReturnUrl"),
            (&self.failure_return_url, "redirectUrl.failureReturnUrl"),
            (
                &self.expiration_return_url,
                "redirectUrl.expirationReturnUrl",
            ),
        ] {
            if let Some(url) = value {
                validate_len(url, field, 1, 255)?;
                if url::Url::parse(url).is_err() {
                    return Err(Error::invalid(field, "is not an absolute URL"));
                }
            }
        }
        Ok(())
    }
}

/// One product of the order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProductDetail {
    /// `PHYSICAL`, `DIGITAL` or `SERVICE`.
    #[serde(rename = "type")]
    pub product_type: ProductType,
    /// Main category, e.g. `FASHION`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub category: Option<String>,
    /// Sub-category.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub sub_category: Option<String>,
    /// Product name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub name: Option<String>,
    /// Details such as size or colour.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub description: Option<String>,
    /// Number of units.
    #[serde(
        serialize_with = "crate::de::ser_decimal_number",
        deserialize_with = "crate::de::decimal"
    )]
    pub quantity: Decimal,
    /// Unit price.
    pub price: Amount,
}

impl ProductDetail {
    /// `quantity` units of a product at `price` each.
    pub fn new(product_type: ProductType, quantity: impl Into<Decimal>, price: Amount) -> Self {
        Self {
            product_type,
            category: None,
            sub_category: None,
            name: None,
            description: None,
            quantity: quantity.into(),
            price,
        }
    }

    /// Sets the category.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = Some(category.into());
        self
    }

    /// Sets the sub-category.
    pub fn sub_category(mut self, sub_category: impl Into<String>) -> Self {
        self.sub_category = Some(sub_category.into());
        self
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    fn validate(&self, path: impl fmt::Display) -> Result<(), Error> {
        validate_len(
            self.product_type.as_str(),
            format_args!("{path}.type"),
            1,
            255,
        )?;
        validate_opt_len(
            self.category.as_deref(),
            format_args!("{path}.category"),
            1,
            255,
        )?;
        validate_opt_len(
            self.sub_category.as_deref(),
            format_args!("{path}.subCategory"),
            1,
            255,
        )?;
        validate_opt_len(self.name.as_deref(), format_args!("{path}.name"), 1, 255)?;
        validate_opt_len(
            self.description.as_deref(),
            format_args!("{path}.description"),
            1,
            255,
        )?;
        if self.quantity <= Decimal::ZERO {
            return Err(Error::invalid(
                format!("{path}.quantity"),
                "must be greater than zero",
            ));
        }
        if crate::de::decimal_as_json_number(self.quantity).is_none() {
            return Err(Error::invalid(
                format!("{path}.quantity"),
                "has more significant digits than a JSON number carries exactly",
            ));
        }
        self.price.validate(format_args!("{path}.price"))
    }
}

/// Billing details; mandatory for foreign cards with address verification (AVS).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct BillingInfo {
    /// First name (1–255, mandatory).
    pub given_name: String,
    /// Last name (some examples spell it `sureName`; both are read).
    #[serde(
        alias = "sureName",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub surname: Option<String>,
    /// E-mail (mandatory).
    pub email: String,
    /// Phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<super::customer::PhoneNumber>,
    /// Street address (AVS).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub address_line1: Option<String>,
    /// Second address line.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub address_line2: Option<String>,
    /// City or regency (AVS).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub city: Option<String>,
    /// Province or state (AVS).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub province_state: Option<String>,
    /// Country code, e.g. `ID` (AVS).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub country: Option<String>,
    /// Postal code (AVS).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub postal_code: Option<String>,
}

impl BillingInfo {
    /// Billing details of `given_name` / `email`; add the address with [`BillingInfo::address`].
    pub fn new(given_name: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            given_name: given_name.into(),
            email: email.into(),
            ..Self::default()
        }
    }

    /// Sets the last name.
    pub fn surname(mut self, surname: impl Into<String>) -> Self {
        self.surname = Some(surname.into());
        self
    }

    /// Sets the phone number.
    pub fn phone_number(mut self, phone: super::customer::PhoneNumber) -> Self {
        self.phone_number = Some(phone);
        self
    }

    /// Sets the address (`address_line2` may be empty).
    pub fn address(mut self, address: Address) -> Self {
        self.address_line1 = Some(address.address_line1);
        self.address_line2 = address.address_line2;
        self.city = Some(address.city);
        self.province_state = Some(address.province_state);
        self.country = Some(address.country);
        self.postal_code = address.postal_code;
        self
    }

    fn validate(&self, path: impl fmt::Display) -> Result<(), Error> {
        validate_contact(
            &path,
            &self.given_name,
            self.surname.as_deref(),
            &self.email,
            self.phone_number.as_ref(),
        )?;
        validate_address_fields(
            path,
            [
                (&self.address_line1, "addressLine1", 1),
                (&self.address_line2, "addressLine2", 0),
                (&self.city, "city", 1),
                (&self.province_state, "provinceState", 1),
                (&self.country, "country", 1),
                (&self.postal_code, "postalCode", 0),
            ],
        )
    }
}

/// The name, e-mail and phone of a billing or shipping contact.
fn validate_contact(
    path: &impl fmt::Display,
    given_name: &str,
    surname: Option<&str>,
    email: &str,
    phone_number: Option<&super::customer::PhoneNumber>,
) -> Result<(), Error> {
    validate_len(given_name, format_args!("{path}.givenName"), 1, 255)?;
    validate_opt_len(surname, format_args!("{path}.surname"), 0, 255)?;
    super::customer::validate_email(email, format_args!("{path}.email"))?;
    if let Some(phone) = phone_number {
        phone.validate(format_args!("{path}.phoneNumber"))?;
    }
    Ok(())
}

fn validate_address_fields(
    path: impl fmt::Display,
    fields: [(&Option<String>, &str, usize); 6],
) -> Result<(), Error> {
    for (value, name, min) in fields {
        validate_opt_len(value.as_deref(), format_args!("{path}.{name}"), min, 255)?;
    }
    Ok(())
}

/// A postal address, for [`BillingInfo::address`] and [`ShippingInfo::new`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Address {
    /// Street address.
    pub address_line1: String,
    /// Second line.
    pub address_line2: Option<String>,
    /// City or regency.
    pub city: String,
    /// Province or state.
    pub province_state: String,
    /// Country code, e.g. `ID`.
    pub country: String,
    /// Postal code.
    pub postal_code: Option<String>,
}

impl Address {
    /// An address.
    pub fn new(
        address_line1: impl Into<String>,
        city: impl Into<String>,
        province_state: impl Into<String>,
        country: impl Into<String>,
    ) -> Self {
        Self {
            address_line1: address_line1.into(),
            address_line2: None,
            city: city.into(),
            province_state: province_state.into(),
            country: country.into(),
            postal_code: None,
        }
    }

    /// Sets the second line.
    pub fn address_line2(mut self, line: impl Into<String>) -> Self {
        self.address_line2 = Some(line.into());
        self
    }

    /// Sets the postal code.
    pub fn postal_code(mut self, code: impl Into<String>) -> Self {
        self.postal_code = Some(code.into());
        self
    }
}

/// Shipping details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ShippingInfo {
    /// First name (mandatory).
    #[serde(default)]
    pub given_name: String,
    /// Last name (`sureName` is read too).
    #[serde(
        default,
        alias = "sureName",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub surname: Option<String>,
    /// E-mail (mandatory).
    #[serde(default)]
    pub email: String,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<super::customer::PhoneNumber>,
    /// Street address (mandatory).
    #[serde(default)]
    pub address_line1: String,
    /// Second address line.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub address_line2: Option<String>,
    /// City or regency (mandatory).
    #[serde(default)]
    pub city: String,
    /// Province or state (mandatory).
    #[serde(default)]
    pub province_state: String,
    /// Country code, e.g. `ID` (mandatory).
    #[serde(default)]
    pub country: String,
    /// Postal code.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub postal_code: Option<String>,
    /// Shipping speed (mandatory).
    pub method: ShippingMethod,
    /// Shipping fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_fee: Option<Amount>,
}

impl ShippingInfo {
    /// Shipping to `given_name` at `address`.
    pub fn new(
        given_name: impl Into<String>,
        email: impl Into<String>,
        address: Address,
        method: ShippingMethod,
    ) -> Self {
        Self {
            given_name: given_name.into(),
            surname: None,
            email: email.into(),
            phone_number: None,
            address_line1: address.address_line1,
            address_line2: address.address_line2,
            city: address.city,
            province_state: address.province_state,
            country: address.country,
            postal_code: address.postal_code,
            method,
            shipping_fee: None,
        }
    }

    /// Sets the last name.
    pub fn surname(mut self, surname: impl Into<String>) -> Self {
        self.surname = Some(surname.into());
        self
    }

    /// Sets the phone number.
    pub fn phone_number(mut self, phone: super::customer::PhoneNumber) -> Self {
        self.phone_number = Some(phone);
        self
    }

    /// Sets the shipping fee.
    pub fn shipping_fee(mut self, fee: Amount) -> Self {
        self.shipping_fee = Some(fee);
        self
    }

    fn validate(&self, path: impl fmt::Display) -> Result<(), Error> {
        validate_contact(
            &path,
            &self.given_name,
            self.surname.as_deref(),
            &self.email,
            self.phone_number.as_ref(),
        )?;
        validate_len(
            &self.address_line1,
            format_args!("{path}.addressLine1"),
            1,
            255,
        )?;
        validate_opt_len(
            self.address_line2.as_deref(),
            format_args!("{path}.addressLine2"),
            0,
            255,
        )?;
        validate_len(&self.city, format_args!("{path}.city"), 1, 255)?;
        validate_len(
            &self.province_state,
            format_args!("{path}.provinceState"),
            1,
            255,
        )?;
        validate_len(&self.country, format_args!("{path}.country"), 1, 255)?;
        validate_opt_len(
            self.postal_code.as_deref(),
            format_args!("{path}.postalCode"),
            0,
            255,
        )?;
        if let Some(fee) = &self.shipping_fee {
            fee.validate(format_args!("{path}.shippingFee"))?;
        }
        Ok(())
    }
}

/// The order: products, and billing and shipping details.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct OrderInformation {
    /// The products (at least one).
    #[serde(deserialize_with = "crate::de::null_as_empty")]
    pub product_details: Vec<ProductDetail>,
    /// Billing details (mandatory for foreign cards with AVS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_info: Option<BillingInfo>,
    /// Shipping details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_info: Option<ShippingInfo>,
}

impl OrderInformation {
    /// An order of `products`.
    pub fn new(products: impl IntoIterator<Item = ProductDetail>) -> Self {
        Self {
            product_details: products.into_iter().collect(),
            billing_info: None,
            shipping_info: None,
        }
    }

    /// Sets the billing details.
    pub fn billing_info(mut self, billing: BillingInfo) -> Self {
        self.billing_info = Some(billing);
        self
    }

    /// Sets the shipping details.
    pub fn shipping_info(mut self, shipping: ShippingInfo) -> Self {
        self.shipping_info = Some(shipping);
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if self.product_details.is_empty() {
            return Err(Error::invalid(
                "orderInformation.productDetails",
                "needs at least one product",
            ));
        }
        for (i, product) in self.product_details.iter().enumerate() {
            product.validate(format_args!("orderInformation.productDetails[{i}]"))?;
        }
        if let Some(billing) = &self.billing_info {
            billing.validate("orderInformation.billingInfo")?;
        }
        if let Some(shipping) = &self.shipping_info {
            shipping.validate("orderInformation.shippingInfo")?;
        }
        Ok(())
    }
}

/// The card part of a request's payment method: a stored token with its CVC, an encrypted
/// card, or (PCI-DSS SAQ-D merchants only) the raw card.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CardPayment {
    #[serde(skip_serializing_if = "Option::is_none")]
    encrypted_card: Option<EncryptedCard>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "expose_card_number"
    )]
    number: Option<crate::card::CardNumber>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp_month: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp_year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose_cvc")]
    cvc: Option<Cvc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_holder_first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_holder_last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_holder_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_holder_phone: Option<String>,
}

fn expose_cvc<S: Serializer>(cvc: &Option<Cvc>, serializer: S) -> Result<S::Ok, S::Error> {
    match cvc {
        Some(cvc) => serializer.serialize_str(cvc.expose()),
        None => serializer.serialize_none(),
    }
}

fn expose_card_number<S: Serializer>(
    number: &Option<crate::card::CardNumber>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match number {
        Some(number) => serializer.serialize_str(number.expose()),
        None => serializer.serialize_none(),
    }
}

impl CardPayment {
    fn empty() -> Self {
        Self {
            encrypted_card: None,
            token: None,
            number: None,
            exp_month: None,
            exp_year: None,
            cvc: None,
            card_holder_first_name: None,
            card_holder_last_name: None,
            card_holder_email: None,
            card_holder_phone: None,
        }
    }

    /// A stored card (`storedPaymentMethods[].token`) and the CVC the shopper typed. The CVC
    /// travels in plain text in this flow, as Pivot documents it.
    pub fn saved(token: impl Into<String>, cvc: Cvc) -> Self {
        Self {
            token: Some(token.into()),
            cvc: Some(cvc),
            ..Self::empty()
        }
    }

    /// A card encrypted with the session's `encryptionKey`.
    pub fn encrypted(card: EncryptedCard) -> Self {
        Self {
            encrypted_card: Some(card),
            ..Self::empty()
        }
    }

    /// The raw card. Only for PCI-DSS SAQ-D merchants; everyone else encrypts or tokenizes.
    pub fn raw(details: &crate::card::CardDetails) -> Self {
        Self {
            number: Some(details.number().clone()),
            exp_month: details.expiry_month().parse().ok(),
            exp_year: details.expiry_year().parse().ok(),
            cvc: Some(details.cvc().clone()),
            ..Self::empty()
        }
    }

    /// Sets the card holder's names, e-mail and phone.
    pub fn card_holder(
        mut self,
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        email: impl Into<String>,
        phone: impl Into<String>,
    ) -> Self {
        self.card_holder_first_name = Some(first_name.into());
        self.card_holder_last_name = Some(last_name.into());
        self.card_holder_email = Some(email.into());
        self.card_holder_phone = Some(phone.into());
        self
    }

    /// The stored-card token, if this is a saved card.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    fn kind(&self) -> CardKind {
        if self.encrypted_card.is_some() {
            CardKind::Encrypted
        } else if self.token.is_some() {
            CardKind::Token
        } else {
            CardKind::Raw
        }
    }

    fn validate(&self) -> Result<(), Error> {
        let set = [
            self.encrypted_card.is_some(),
            self.token.is_some(),
            self.number.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if set != 1 {
            return Err(Error::invalid(
                "paymentMethod.card",
                "needs exactly one of encryptedCard, token or number",
            ));
        }
        if let Some(card) = &self.encrypted_card
            && card.as_str().is_empty()
        {
            return Err(Error::invalid(
                "paymentMethod.card.encryptedCard",
                "is empty",
            ));
        }
        if let Some(token) = &self.token {
            validate_len(token, "paymentMethod.card.token", 1, 100)?;
            if self.cvc.is_none() {
                return Err(Error::invalid(
                    "paymentMethod.card.cvc",
                    "is required with a stored card token",
                ));
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CardKind {
    Encrypted,
    Token,
    Raw,
}

/// Virtual-account details of a request's payment method (API mode).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct VirtualAccount {
    /// Bank, e.g. `PERMATA`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub channel: Option<String>,
    /// The account number the shopper pays to.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub virtual_account_number: Option<String>,
    /// The name shown to the shopper.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::de::opt_string"
    )]
    pub virtual_account_name: Option<String>,
    /// When the account expires (`None` for Pivot's zero time).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::de::ser_opt_timestamp",
        deserialize_with = "crate::de::opt_timestamp"
    )]
    pub expiry_at: Option<OffsetDateTime>,
}

/// The payment method of a create or confirm request.
///
/// ```
/// use session_tokenize_client::card::Cvc;
/// use session_tokenize_client::model::session::PaymentMethod;
///
/// let saved = PaymentMethod::saved_card("020027de-134e-45ed-8f0d-7ae0506a7133", Cvc::new("123")?);
/// let json = serde_json::to_value(&saved)?;
/// assert_eq!(json["card"]["token"], "020027de-134e-45ed-8f0d-7ae0506a7133");
/// assert!(!format!("{saved:?}").contains("123"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaymentMethod {
    #[serde(rename = "type")]
    method_type: PaymentMethodType,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<CardPayment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    virtual_account: Option<VirtualAccount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ewallet: Option<EwalletAccount>,
}

/// The e-wallet account of a request's payment method.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct EwalletAccount {
    /// The mobile number registered with the wallet.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub account_identifier: Option<String>,
}

impl PaymentMethod {
    /// A payment method of `method_type` without details (the shopper or the hosted page
    /// supplies them).
    pub fn of_type(method_type: PaymentMethodType) -> Self {
        Self {
            method_type,
            card: None,
            virtual_account: None,
            ewallet: None,
        }
    }

    /// `{"type": "CARD"}`.
    pub fn card() -> Self {
        Self::of_type(PaymentMethodType::Card)
    }

    /// A card with details.
    pub fn card_with(card: CardPayment) -> Self {
        Self {
            card: Some(card),
            ..Self::card()
        }
    }

    /// A stored card token and its CVC.
    pub fn saved_card(token: impl Into<String>, cvc: Cvc) -> Self {
        Self::card_with(CardPayment::saved(token, cvc))
    }

    /// An encrypted card.
    pub fn encrypted_card(card: EncryptedCard) -> Self {
        Self::card_with(CardPayment::encrypted(card))
    }

    /// `{"type": "QR"}` (QRIS).
    pub fn qr() -> Self {
        Self::of_type(PaymentMethodType::Qr)
    }

    /// A virtual account.
    pub fn virtual_account(details: VirtualAccount) -> Self {
        Self {
            virtual_account: Some(details),
            ..Self::of_type(PaymentMethodType::VirtualAccount)
        }
    }

    /// An e-wallet, optionally with the shopper's registered mobile number.
    pub fn ewallet(account_identifier: Option<String>) -> Self {
        Self {
            ewallet: account_identifier.map(|id| EwalletAccount {
                account_identifier: Some(id),
            }),
            ..Self::of_type(PaymentMethodType::Ewallet)
        }
    }

    /// The method type.
    pub fn method_type(&self) -> &PaymentMethodType {
        &self.method_type
    }

    /// The card part, if any.
    pub fn card_details(&self) -> Option<&CardPayment> {
        self.card.as_ref()
    }
}

/// Card options of a session.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CardOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    capture_method: Option<CaptureMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    three_ds_method: Option<ThreeDsMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    processing_config: Option<ProcessingConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    installment: Option<serde_json::Value>,
}

impl CardOptions {
    /// No options (Pivot's defaults: automatic capture, automatic 3DS).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the capture method (`automatic` or `manual`).
    pub fn capture_method(mut self, method: CaptureMethod) -> Self {
        self.capture_method = Some(method);
        self
    }

    /// Sets the 3DS method.
    pub fn three_ds_method(mut self, method: ThreeDsMethod) -> Self {
        self.three_ds_method = Some(method);
        self
    }

    /// Routes the transaction to a bank MID (payment facilitators only).
    pub fn processing_config(mut self, config: ProcessingConfig) -> Self {
        self.processing_config = Some(config);
        self
    }

    /// Sets the installment object, as Pivot's Installment Object describes it
    /// (`{"enabled", "availablePlans", "plan"}`).
    pub fn installment(mut self, installment: serde_json::Value) -> Self {
        self.installment = Some(installment);
        self
    }
}

/// Bank MID routing for payment facilitators.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProcessingConfig {
    /// Bank merchant id (0–50).
    pub bank_merchant_id: Option<String>,
    /// Merchant id tag (0–50).
    pub merchant_id_tag: Option<String>,
}

impl ProcessingConfig {
    /// A routing configuration.
    pub fn new(bank_merchant_id: Option<String>, merchant_id_tag: Option<String>) -> Self {
        Self {
            bank_merchant_id,
            merchant_id_tag,
        }
    }
}

/// Virtual-account options of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VirtualAccountOptions {
    /// Bank, e.g. `PERMATA`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Custom account name, where the bank allows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_account_name: Option<String>,
    /// Custom (static) account number within the configured range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_account_number: Option<String>,
    /// When the account expires.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::de::ser_opt_timestamp"
    )]
    pub expiry_at: Option<OffsetDateTime>,
}

/// E-wallet options of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EwalletOptions {
    /// `DANA`, `SHOPEEPAY` or `OVO`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// When the payment expires.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::de::ser_opt_timestamp"
    )]
    pub expiry_at: Option<OffsetDateTime>,
}

/// QRIS options of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QrOptions {
    /// When the QR code expires.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::de::ser_opt_timestamp"
    )]
    pub expiry_at: Option<OffsetDateTime>,
}

/// `paymentMethodOptions`.
///
/// ```
/// use session_tokenize_client::model::session::{CaptureMethod, CardOptions, PaymentMethodOptions, ThreeDsMethod};
///
/// let options = PaymentMethodOptions::card(
///     CardOptions::new().capture_method(CaptureMethod::Automatic).three_ds_method(ThreeDsMethod::Challenge),
/// );
/// assert_eq!(
///     serde_json::to_string(&options)?,
///     r#"{"card":{"captureMethod":"automatic","threeDsMethod":"CHALLENGE"}}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaymentMethodOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<CardOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    virtual_account: Option<VirtualAccountOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ewallet: Option<EwalletOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    qr: Option<QrOptions>,
}

impl PaymentMethodOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Card options only.
    pub fn card(card: CardOptions) -> Self {
        Self {
            card: Some(card),
            ..Self::default()
        }
    }

    /// Sets the id of stored preset options.
    pub fn preset_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the card options.
    pub fn with_card(mut self, card: CardOptions) -> Self {
        self.card = Some(card);
        self
    }

    /// Sets the virtual-account options.
    pub fn with_virtual_account(mut self, options: VirtualAccountOptions) -> Self {
        self.virtual_account = Some(options);
        self
    }

    /// Sets the e-wallet options.
    pub fn with_ewallet(mut self, options: EwalletOptions) -> Self {
        self.ewallet = Some(options);
        self
    }

    /// Sets the QRIS options.
    pub fn with_qr(mut self, options: QrOptions) -> Self {
        self.qr = Some(options);
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if let Some(CardOptions {
            processing_config: Some(config),
            ..
        }) = &self.card
        {
            validate_opt_len(
                config.bank_merchant_id.as_deref(),
                "paymentMethodOptions.card.processingConfig.bankMerchantId",
                0,
                50,
            )?;
            validate_opt_len(
                config.merchant_id_tag.as_deref(),
                "paymentMethodOptions.card.processingConfig.merchantIdTag",
                0,
                50,
            )?;
        }
        if let Some(va) = &self.virtual_account {
            validate_opt_len(
                va.channel.as_deref(),
                "paymentMethodOptions.virtualAccount.channel",
                1,
                100,
            )?;
            validate_opt_len(
                va.virtual_account_name.as_deref(),
                "paymentMethodOptions.virtualAccount.virtualAccountName",
                0,
                100,
            )?;
            validate_opt_len(
                va.virtual_account_number.as_deref(),
                "paymentMethodOptions.virtualAccount.virtualAccountNumber",
                0,
                100,
            )?;
        }
        Ok(())
    }
}

/// `POST /v2/payments`: create a Payment Session.
///
/// Required fields are constructor arguments; everything else is a setter. The client validates
/// Pivot's documented limits (reference and descriptor lengths, amounts, customer and order
/// fields, the options that only one mode allows) before sending, and sends an `X-REQUEST-ID`
/// — yours ([`request_id`](Self::request_id)) or a generated one — that every automatic retry
/// reuses.
///
/// ```
/// use session_tokenize_client::model::{Amount, customer::Customer};
/// use session_tokenize_client::model::session::{
///     CreatePaymentSession, OrderInformation, ProductDetail, ProductType, RedirectUrl,
/// };
///
/// let order = OrderInformation::new([ProductDetail::new(ProductType::Physical, 1, Amount::idr(10_000))
///     .name("Dress Kasual Warna Putih")]);
/// let request = CreatePaymentSession::redirect_save_card(
///     "1751610085",
///     Amount::idr(10_000),
///     Customer::new("reforza@pivot-payment.com").given_name("Reforza Jordan"),
///     order,
///     RedirectUrl::new(
///         "https://merchant.com/success",
///         "https://merchant.com/failure",
///         "https://merchant.com/expiration",
///     ),
/// )
/// .statement_descriptor("Reforza Pivot");
/// assert!(request.validate().is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatePaymentSession {
    client_reference_id: String,
    amount: Amount,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_type: Option<PaymentType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_method: Option<PaymentMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_method_options: Option<PaymentMethodOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    save_for_future_use: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    show_saved_payment: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<PaymentMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bypass_status_page: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_url: Option<RedirectUrl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<Customer>,
    order_information: OrderInformation,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_confirm: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statement_descriptor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_mode: Option<ExpirationMode>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::de::ser_opt_timestamp"
    )]
    expiry_at: Option<OffsetDateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip)]
    request_id: Option<RequestId>,
}

impl CreatePaymentSession {
    /// A session for `amount` under your unique `client_reference_id` (1–100 characters).
    /// Pivot's defaults apply to everything not set: `SINGLE`, `REDIRECT`, `autoConfirm: true`,
    /// 15 minutes.
    pub fn new(
        client_reference_id: impl Into<String>,
        amount: Amount,
        order_information: OrderInformation,
    ) -> Self {
        Self {
            client_reference_id: client_reference_id.into(),
            amount,
            payment_type: None,
            payment_method: None,
            payment_method_options: None,
            save_for_future_use: None,
            show_saved_payment: None,
            mode: None,
            bypass_status_page: None,
            redirect_url: None,
            customer_id: None,
            customer: None,
            order_information,
            auto_confirm: None,
            statement_descriptor: None,
            expiration_mode: None,
            expiry_at: None,
            metadata: None,
            request_id: None,
        }
    }

    /// **Redirect mode, save the card**: a `SINGLE` card session on Pivot's hosted page with
    /// `saveForFutureUse`, auto-confirmed. Redirect the shopper to the response's `paymentUrl`
    /// and keep its `customerId`: once the charge succeeds, the card is stored under it.
    pub fn redirect_save_card(
        client_reference_id: impl Into<String>,
        amount: Amount,
        customer: Customer,
        order_information: OrderInformation,
        redirect_url: RedirectUrl,
    ) -> Self {
        Self::new(client_reference_id, amount, order_information)
            .payment_type(PaymentType::Single)
            .payment_method(PaymentMethod::card())
            .save_for_future_use(true)
            .mode(PaymentMode::Redirect)
            .redirect_url(redirect_url)
            .customer(customer)
            .auto_confirm(true)
    }

    /// **Redirect mode, use a saved card**: the hosted page shows the cards stored under
    /// `customer_id` (`showSavedPayment`); the shopper picks one and types the CVC.
    pub fn redirect_saved_card(
        client_reference_id: impl Into<String>,
        amount: Amount,
        customer_id: impl Into<String>,
        order_information: OrderInformation,
        redirect_url: RedirectUrl,
    ) -> Self {
        Self::new(client_reference_id, amount, order_information)
            .payment_type(PaymentType::Single)
            .payment_method(PaymentMethod::card())
            .show_saved_payment(true)
            .mode(PaymentMode::Redirect)
            .redirect_url(redirect_url)
            .customer_id(customer_id)
            .auto_confirm(true)
    }

    /// **API mode, save the card**: a card session on your own page, not auto-confirmed, so the
    /// response carries an `encryptionKey`. Encrypt the card with it
    /// ([`PaymentSession::encryption_key`]) and send it with [`ConfirmPaymentSession`].
    pub fn api_save_card(
        client_reference_id: impl Into<String>,
        amount: Amount,
        customer: Customer,
        order_information: OrderInformation,
        redirect_url: RedirectUrl,
    ) -> Self {
        Self::new(client_reference_id, amount, order_information)
            .payment_type(PaymentType::Single)
            .payment_method(PaymentMethod::card())
            .save_for_future_use(true)
            .mode(PaymentMode::Api)
            .redirect_url(redirect_url)
            .customer(customer)
            .auto_confirm(false)
    }

    /// **API mode, use a saved card**: charge a stored token of `customer_id` (from
    /// [`Client::get_customer`](crate::Client::get_customer)) with the CVC the shopper typed;
    /// auto-confirmed. Redirect the shopper to the 3DS `paymentUrl` of the response.
    /// Pivot's example omits `redirectUrl` here; setting it is recommended.
    pub fn api_saved_card(
        client_reference_id: impl Into<String>,
        amount: Amount,
        customer_id: impl Into<String>,
        order_information: OrderInformation,
        token: impl Into<String>,
        cvc: Cvc,
    ) -> Self {
        Self::new(client_reference_id, amount, order_information)
            .payment_type(PaymentType::Single)
            .payment_method(PaymentMethod::saved_card(token, cvc))
            .mode(PaymentMode::Api)
            .customer_id(customer_id)
            .auto_confirm(true)
    }

    /// `SINGLE` or `MULTIPLE`.
    pub fn payment_type(mut self, payment_type: PaymentType) -> Self {
        self.payment_type = Some(payment_type);
        self
    }

    /// The payment method.
    pub fn payment_method(mut self, method: PaymentMethod) -> Self {
        self.payment_method = Some(method);
        self
    }

    /// `paymentMethodOptions`.
    pub fn payment_method_options(mut self, options: PaymentMethodOptions) -> Self {
        self.payment_method_options = Some(options);
        self
    }

    /// Store the card or e-wallet as a token under the customer when the charge succeeds
    /// (sent as `saveForFutureUse`).
    pub fn save_for_future_use(mut self, save: bool) -> Self {
        self.save_for_future_use = Some(save);
        self
    }

    /// Show the customer's stored methods on the hosted page (REDIRECT mode only).
    pub fn show_saved_payment(mut self, show: bool) -> Self {
        self.show_saved_payment = Some(show);
        self
    }

    /// `REDIRECT` or `API`.
    pub fn mode(mut self, mode: PaymentMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Skip Pivot's status page after payment (REDIRECT mode only).
    pub fn bypass_status_page(mut self, bypass: bool) -> Self {
        self.bypass_status_page = Some(bypass);
        self
    }

    /// The return URLs.
    pub fn redirect_url(mut self, redirect_url: RedirectUrl) -> Self {
        self.redirect_url = Some(redirect_url);
        self
    }

    /// An existing customer, by the `customerId` Pivot returned earlier (instead of
    /// [`customer`](Self::customer)).
    pub fn customer_id(mut self, customer_id: impl Into<String>) -> Self {
        self.customer_id = Some(customer_id.into());
        self
    }

    /// The customer (instead of [`customer_id`](Self::customer_id)).
    pub fn customer(mut self, customer: Customer) -> Self {
        self.customer = Some(customer);
        self
    }

    /// Whether Pivot confirms the session itself (`true`, the default) or waits for
    /// [`ConfirmPaymentSession`] (`false`).
    pub fn auto_confirm(mut self, auto_confirm: bool) -> Self {
        self.auto_confirm = Some(auto_confirm);
        self
    }

    /// Text on the shopper's statement (at most 20 characters).
    pub fn statement_descriptor(mut self, descriptor: impl Into<String>) -> Self {
        self.statement_descriptor = Some(descriptor.into());
        self
    }

    /// `LOOSE` or `STRICT` (cards and e-wallets only).
    pub fn expiration_mode(mut self, mode: ExpirationMode) -> Self {
        self.expiration_mode = Some(mode);
        self
    }

    /// When the session expires; sent as `YYYY-MM-DDTHH:MM:SSZ` in UTC (fractions of a second
    /// are dropped).
    pub fn expiry_at(mut self, expiry_at: OffsetDateTime) -> Self {
        self.expiry_at = Some(expiry_at);
        self
    }

    /// Free metadata.
    pub fn metadata(mut self, metadata: serde_json::Map<String, serde_json::Value>) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// The `X-REQUEST-ID` to send (otherwise one is generated). Reuse the same id to retry the
    /// same create safely for 24 hours.
    pub fn request_id(mut self, request_id: RequestId) -> Self {
        self.request_id = Some(request_id);
        self
    }

    /// Your reference.
    pub fn client_reference_id_value(&self) -> &str {
        &self.client_reference_id
    }

    /// The idempotency key set with [`request_id`](Self::request_id), if any.
    pub fn request_id_value(&self) -> Option<&RequestId> {
        self.request_id.as_ref()
    }

    /// Checks Pivot's documented limits and the combinations each mode allows.
    pub fn validate(&self) -> Result<(), Error> {
        validate_len(&self.client_reference_id, "clientReferenceId", 1, 100)?;
        self.amount.validate("amount")?;
        let mode = self.mode.clone().unwrap_or(PaymentMode::Redirect);
        let auto_confirm = self.auto_confirm.unwrap_or(true);
        let method_type = self.payment_method.as_ref().map(|m| &m.method_type);

        if mode != PaymentMode::Redirect {
            if self.show_saved_payment == Some(true) {
                return Err(Error::invalid(
                    "showSavedPayment",
                    "is only allowed in REDIRECT mode",
                ));
            }
            if self.bypass_status_page == Some(true) {
                return Err(Error::invalid(
                    "bypassStatusPage",
                    "is only allowed in REDIRECT mode",
                ));
            }
        }
        if mode == PaymentMode::Redirect && self.redirect_url.is_none() {
            return Err(Error::invalid(
                "redirectUrl",
                "is required in REDIRECT mode",
            ));
        }
        if let Some(redirect) = &self.redirect_url {
            redirect.validate()?;
        }
        if self.payment_type == Some(PaymentType::Multiple) {
            if mode != PaymentMode::Api {
                return Err(Error::invalid(
                    "paymentType",
                    "MULTIPLE is only allowed when mode is API",
                ));
            }
            if !matches!(
                method_type,
                Some(PaymentMethodType::Qr | PaymentMethodType::VirtualAccount)
            ) {
                return Err(Error::invalid(
                    "paymentType",
                    "MULTIPLE is only allowed for QR and VIRTUAL_ACCOUNT payment methods",
                ));
            }
        }
        let card_or_ewallet = |t: &PaymentMethodType| {
            matches!(t, PaymentMethodType::Card | PaymentMethodType::Ewallet)
        };
        if let Some(t) = method_type {
            if self.expiration_mode.is_some() && !card_or_ewallet(t) {
                return Err(Error::invalid(
                    "expirationMode",
                    "applies only to CARD and EWALLET payment methods",
                ));
            }
            if self.save_for_future_use == Some(true) && !card_or_ewallet(t) {
                return Err(Error::invalid(
                    "saveForFutureUse",
                    "applies only to CARD and EWALLET payment methods",
                ));
            }
            if self.show_saved_payment == Some(true) && !card_or_ewallet(t) {
                return Err(Error::invalid(
                    "showSavedPayment",
                    "applies only to CARD and EWALLET payment methods",
                ));
            }
        }
        if let Some(card) = self.payment_method.as_ref().and_then(|m| m.card.as_ref()) {
            card.validate()?;
            if mode != PaymentMode::Api {
                return Err(Error::invalid(
                    "paymentMethod.card",
                    "card details are only sent in API mode; the hosted page collects them in REDIRECT mode",
                ));
            }
            match card.kind() {
                CardKind::Encrypted if auto_confirm => {
                    return Err(Error::invalid(
                        "paymentMethod.card.encryptedCard",
                        "is only allowed with autoConfirm false",
                    ));
                }
                CardKind::Token if self.customer_id.is_none() && self.customer.is_none() => {
                    return Err(Error::invalid(
                        "customerId",
                        "is required to charge a stored card token",
                    ));
                }
                _ => {}
            }
        } else if mode == PaymentMode::Api
            && auto_confirm
            && method_type == Some(&PaymentMethodType::Card)
        {
            return Err(Error::invalid(
                "paymentMethod.card",
                "an auto-confirmed card session in API mode needs a stored token (or card details); \
                 set autoConfirm to false to receive an encryptionKey instead",
            ));
        }
        if self.customer.is_some() && self.customer_id.is_some() {
            return Err(Error::invalid(
                "customerId",
                "send either customerId or customer, not both",
            ));
        }
        if self.show_saved_payment == Some(true) && self.customer_id.is_none() {
            return Err(Error::invalid(
                "customerId",
                "is required to show the customer's saved payment methods",
            ));
        }
        if let Some(id) = &self.customer_id {
            validate_len(id, "customerId", 1, 255)?;
        }
        if let Some(customer) = &self.customer {
            customer.validate("customer")?;
        }
        self.order_information.validate()?;
        if let Some(descriptor) = &self.statement_descriptor {
            validate_len(descriptor, "statementDescriptor", 0, 20)?;
        }
        if let Some(options) = &self.payment_method_options {
            options.validate()?;
            if options.card.is_some() && method_type.is_some_and(|t| *t != PaymentMethodType::Card)
            {
                return Err(Error::invalid(
                    "paymentMethodOptions.card",
                    "applies only to the CARD payment method",
                ));
            }
        }
        Ok(())
    }
}

/// Where Confirm puts `paymentMethodOptions`.
///
/// Pivot's parameter table lists `paymentMethod` and `paymentMethodOptions` as two top-level
/// parameters, while its request example nests the options inside `paymentMethod`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfirmOptionsPlacement {
    /// `{"paymentMethod": {…}, "paymentMethodOptions": {…}}`, as the parameter table says.
    #[default]
    TopLevel,
    /// `{"paymentMethod": {…, "paymentMethodOptions": {…}}}`, as the request example shows.
    InsidePaymentMethod,
}

/// `POST /v2/payments/{id}/confirm`: finish a session created with `autoConfirm: false`.
///
/// ```
/// use session_tokenize_client::card::EncryptedCard;
/// use session_tokenize_client::model::session::{
///     CaptureMethod, CardOptions, ConfirmPaymentSession, PaymentMethodOptions, ThreeDsMethod,
/// };
///
/// let confirm = ConfirmPaymentSession::encrypted_card(
///     EncryptedCard::from_string("eyJlbmNyeXB0ZWRLZXkiOi..."),
///     PaymentMethodOptions::card(
///         CardOptions::new().capture_method(CaptureMethod::Automatic).three_ds_method(ThreeDsMethod::Challenge),
///     ),
/// );
/// let json = serde_json::to_value(&confirm)?;
/// assert_eq!(json["paymentMethod"]["type"], "CARD");
/// assert_eq!(json["paymentMethodOptions"]["card"]["threeDsMethod"], "CHALLENGE");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ConfirmPaymentSession {
    payment_method: PaymentMethod,
    payment_method_options: PaymentMethodOptions,
    placement: ConfirmOptionsPlacement,
    request_id: Option<RequestId>,
}

impl ConfirmPaymentSession {
    /// Confirm with any payment method.
    pub fn new(payment_method: PaymentMethod, options: PaymentMethodOptions) -> Self {
        Self {
            payment_method,
            payment_method_options: options,
            placement: ConfirmOptionsPlacement::default(),
            request_id: None,
        }
    }

    /// Confirm a card session with the card encrypted by the session's `encryptionKey`.
    pub fn encrypted_card(card: EncryptedCard, options: PaymentMethodOptions) -> Self {
        Self::new(PaymentMethod::encrypted_card(card), options)
    }

    /// Where to put `paymentMethodOptions` (top level by default).
    pub fn options_placement(mut self, placement: ConfirmOptionsPlacement) -> Self {
        self.placement = placement;
        self
    }

    /// The `X-REQUEST-ID` to send (otherwise one is generated).
    pub fn request_id(mut self, request_id: RequestId) -> Self {
        self.request_id = Some(request_id);
        self
    }

    /// The idempotency key set with [`request_id`](Self::request_id), if any.
    pub fn request_id_value(&self) -> Option<&RequestId> {
        self.request_id.as_ref()
    }

    /// Checks the request.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(card) = &self.payment_method.card {
            card.validate()?;
        }
        self.payment_method_options.validate()
    }
}

impl Serialize for ConfirmPaymentSession {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Nested<'a> {
            #[serde(flatten)]
            method: &'a PaymentMethod,
            payment_method_options: &'a PaymentMethodOptions,
        }
        let mut map = serializer.serialize_map(None)?;
        match self.placement {
            ConfirmOptionsPlacement::TopLevel => {
                map.serialize_entry("paymentMethod", &self.payment_method)?;
                map.serialize_entry("paymentMethodOptions", &self.payment_method_options)?;
            }
            ConfirmOptionsPlacement::InsidePaymentMethod => {
                map.serialize_entry(
                    "paymentMethod",
                    &Nested {
                        method: &self.payment_method,
                        payment_method_options: &self.payment_method_options,
                    },
                )?;
            }
        }
        map.end()
    }
}

/// `POST /v2/payments/{id}/cancel` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CancelBody<'a> {
    pub(crate) cancellation_reason: &'a CancellationReason,
}

/// `POST /v2/payments/{id}/capture`: capture an authorised card charge (manual capture).
///
/// ```
/// use session_tokenize_client::model::Amount;
/// use session_tokenize_client::model::session::CapturePaymentSession;
///
/// let capture = CapturePaymentSession::new(true).amount(Amount::idr(12_000));
/// assert_eq!(
///     serde_json::to_value(&capture)?,
///     serde_json::json!({"releaseRemainingAmount": true, "amount": {"value": 12000, "currency": "IDR"}})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapturePaymentSession {
    release_remaining_amount: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<Amount>,
}

impl CapturePaymentSession {
    /// Capture the authorised amount; `release_remaining_amount` voids whatever is not captured.
    pub fn new(release_remaining_amount: bool) -> Self {
        Self {
            release_remaining_amount,
            amount: None,
        }
    }

    /// Capture only `amount`.
    pub fn amount(mut self, amount: Amount) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Checks the amount.
    pub fn validate(&self) -> Result<(), Error> {
        match &self.amount {
            Some(amount) => amount.validate("amount"),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Response objects
// ---------------------------------------------------------------------------------------------

/// The Payment Session object.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaymentSession {
    /// Pivot's id of the session.
    pub id: String,
    /// Your reference.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub client_reference_id: Option<String>,
    /// The amount.
    #[serde(default)]
    pub amount: Option<Amount>,
    /// Whether the session confirms itself.
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub auto_confirm: Option<bool>,
    /// `REDIRECT` or `API`.
    #[serde(default, deserialize_with = "crate::de::opt_enum")]
    pub mode: Option<PaymentMode>,
    /// Whether the status page is skipped.
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub bypass_status_page: Option<bool>,
    /// The return URLs.
    #[serde(default)]
    pub redirect_url: Option<RedirectUrl>,
    /// `SINGLE` or `MULTIPLE`.
    #[serde(default, deserialize_with = "crate::de::opt_enum")]
    pub payment_type: Option<PaymentType>,
    /// The payment method, when chosen.
    #[serde(default)]
    pub payment_method: Option<PaymentMethodDetails>,
    /// Statement text.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub statement_descriptor: Option<String>,
    /// Whether the payment method is stored after a successful charge (`saveForFuture` is
    /// read too).
    #[serde(
        default,
        alias = "saveForFuture",
        deserialize_with = "crate::de::opt_bool"
    )]
    pub save_for_future_use: Option<bool>,
    /// Whether the hosted page shows stored methods (`showSavePayment` is read too).
    #[serde(
        default,
        alias = "showSavePayment",
        deserialize_with = "crate::de::opt_bool"
    )]
    pub show_saved_payment: Option<bool>,
    /// `LOOSE` or `STRICT`.
    #[serde(default, deserialize_with = "crate::de::opt_enum")]
    pub expiration_mode: Option<ExpirationMode>,
    /// The status. Only [`PaymentSessionStatus::Paid`] means paid.
    pub status: PaymentSessionStatus,
    /// Settlement Guarantee Program status.
    #[serde(default, deserialize_with = "crate::de::opt_enum")]
    pub investigation_status: Option<InvestigationStatus>,
    /// Created.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub created_at: Option<OffsetDateTime>,
    /// Last updated.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub updated_at: Option<OffsetDateTime>,
    /// Expires (none for `MULTIPLE` sessions).
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub expiry_at: Option<OffsetDateTime>,
    /// The RSA key for card encryption (API mode, card, `autoConfirm: false`). See
    /// [`PaymentSession::encryption_key`].
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub encryption_key: Option<String>,
    /// Where to send the shopper: the hosted page (REDIRECT) or the 3DS page (API).
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub payment_url: Option<String>,
    /// The charges.
    #[serde(default, deserialize_with = "crate::de::null_as_empty")]
    pub charge_details: Vec<Charge>,
    /// The customer's id: keep it to reuse stored payment methods.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub customer_id: Option<String>,
    /// The customer.
    #[serde(default)]
    pub customer: Option<Customer>,
    /// The order.
    #[serde(default)]
    pub order_information: Option<OrderInformation>,
    /// When it was cancelled.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub cancelled_at: Option<OffsetDateTime>,
    /// Why it was cancelled.
    #[serde(default, deserialize_with = "crate::de::opt_enum")]
    pub cancellation_reason: Option<CancellationReason>,
    /// Your metadata.
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
}

impl PaymentSession {
    /// Decodes a Payment Session answer (create, confirm, retrieve, cancel) from its HTTP status and body with the decoder the
    /// [`Client`](crate::Client) uses: an error answer (a non-2xx status, or a `code` other
    /// than `"00"`) is [`Error::Provider`], a body that does not decode
    /// is [`Error::Decode`] naming the failing field.
    ///
    /// ```
    /// use http::StatusCode;
    /// use session_tokenize_client::model::session::{PaymentSession, PaymentSessionStatus};
    ///
    /// let body = br#"{"code":"00","message":"Success","data":{"id":"bca0b57a-391e-4f6f-bfef-8cd37492ee5b","status":"PAID"}}"#;
    /// let session = PaymentSession::from_response(StatusCode::OK, body)?;
    /// assert_eq!(session.status, PaymentSessionStatus::Paid);
    ///
    /// let error = PaymentSession::from_response(StatusCode::NOT_FOUND, br#"{"code":"resource_missing"}"#)
    ///     .unwrap_err();
    /// assert_eq!(error.provider_code(), Some("resource_missing"));
    /// # Ok::<(), session_tokenize_client::Error>(())
    /// ```
    pub fn from_response(status: http::StatusCode, body: &[u8]) -> Result<Self, crate::Error> {
        crate::decode::standalone::<Self>(status, body, false).map(|(data, _)| data)
    }
}

impl PaymentSession {
    /// Whether the session is paid (status `PAID`).
    pub fn is_paid(&self) -> bool {
        self.status.is_paid()
    }

    /// The session's `encryptionKey`, parsed. An [`Error::Encryption`] when the session has
    /// none (it is returned only for card sessions in API mode with `autoConfirm: false`) or
    /// when it is not a Base64 RSA SubjectPublicKeyInfo.
    pub fn encryption_key(&self) -> Result<EncryptionKey, Error> {
        match self.encryption_key.as_deref() {
            Some(key) => EncryptionKey::from_base64(key),
            None => Err(Error::encryption(
                "the session has no encryptionKey (only CARD sessions in API mode with autoConfirm false have one)",
            )),
        }
    }

    /// The most recently created charge.
    pub fn latest_charge(&self) -> Option<&Charge> {
        self.charge_details
            .iter()
            .max_by_key(|c| c.created_at.map(OffsetDateTime::unix_timestamp_nanos))
    }
}

/// The payment method of a session, as Pivot echoes it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaymentMethodDetails {
    /// The method type.
    #[serde(rename = "type")]
    pub method_type: PaymentMethodType,
    /// The card part (Pivot echoes `token`, `encryptedCard` and an empty `cvc`).
    #[serde(default)]
    pub card: Option<CardEcho>,
    /// The virtual account.
    #[serde(default)]
    pub virtual_account: Option<VirtualAccount>,
    /// The e-wallet account.
    #[serde(default)]
    pub ewallet: Option<EwalletAccount>,
}

/// The card part of an echoed payment method. Any card number or CVC is kept redacted.
#[derive(Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CardEcho {
    /// The stored-card token used, if any.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub token: Option<String>,
    /// The encrypted card sent, if any.
    #[serde(default, deserialize_with = "opt_encrypted")]
    pub encrypted_card: Option<EncryptedCard>,
    #[serde(default, rename = "cvc", deserialize_with = "opt_cvc")]
    cvc: Option<Cvc>,
    #[serde(default, rename = "number", deserialize_with = "opt_number")]
    number: Option<String>,
}

impl fmt::Debug for CardEcho {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardEcho")
            .field("token", &self.token)
            .field("encrypted_card", &self.encrypted_card)
            .field("cvc", &self.cvc.as_ref().map(|_| "[REDACTED]"))
            .field("number", &self.number.as_ref().map(|_| "[REDACTED]"))
            .finish()
    }
}

fn opt_encrypted<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<EncryptedCard>, D::Error> {
    Ok(crate::de::opt_string(d)?.map(EncryptedCard::from_string))
}

fn opt_cvc<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Cvc>, D::Error> {
    Ok(crate::de::opt_string(d)?.map(Cvc::from_echo))
}

fn opt_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    // Never keep an echoed PAN: only its presence.
    Ok(crate::de::opt_string(d)?.map(|_| String::from("[REDACTED]")))
}

/// A charge: one attempt to collect the session's money.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Charge {
    /// Pivot's id of the charge.
    #[serde(default)]
    pub id: String,
    /// The session.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub payment_session_id: Option<String>,
    /// The session's reference.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub payment_session_client_reference_id: Option<String>,
    /// The amount.
    #[serde(default)]
    pub amount: Option<Amount>,
    /// Statement text.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub statement_descriptor: Option<String>,
    /// The status. Only [`ChargeStatus::Success`] means success.
    pub status: ChargeStatus,
    /// Authorised amount.
    #[serde(default)]
    pub authorized_amount: Option<Amount>,
    /// Captured amount.
    #[serde(default)]
    pub captured_amount: Option<Amount>,
    /// Whether it was captured.
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub is_captured: Option<bool>,
    /// Created.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub created_at: Option<OffsetDateTime>,
    /// Last updated.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub updated_at: Option<OffsetDateTime>,
    /// When it succeeded.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub paid_at: Option<OffsetDateTime>,
    /// Fraud screening result.
    #[serde(default)]
    pub fds_risk_assessment: Option<FdsRiskAssessment>,
    /// Card details.
    #[serde(default)]
    pub card: Option<ChargeCard>,
    /// Captures (manual capture).
    #[serde(default, deserialize_with = "crate::de::null_as_empty")]
    pub capture_histories: Vec<CaptureHistory>,
    /// Virtual-account details.
    #[serde(default)]
    pub virtual_account: Option<VirtualAccount>,
    /// QRIS details.
    #[serde(default)]
    pub qr: Option<QrCharge>,
    /// E-wallet details.
    #[serde(default)]
    pub ewallet: Option<EwalletCharge>,
    /// Why it failed.
    #[serde(default, deserialize_with = "crate::de::opt_enum")]
    pub failure_code: Option<FailureCode>,
    /// Failure explanation.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub failure_message: Option<String>,
    /// What the shopper can do next.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub recommendation: Option<String>,
}

/// Fraud-screening result of a charge.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct FdsRiskAssessment {
    /// Risk score, as sent (a string such as `"0"`).
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub score: Option<String>,
    /// Risk level, e.g. `very low`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub level: Option<String>,
    /// `Approve` or `Reject`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub recommendation: Option<String>,
    /// `PASSED` or `REJECTED`.
    #[serde(deserialize_with = "crate::de::opt_enum")]
    pub status: Option<FdsStatus>,
    /// When it was evaluated.
    #[serde(deserialize_with = "crate::de::opt_timestamp")]
    pub evaluated_at: Option<OffsetDateTime>,
}

/// The card of a charge (never the full number).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ChargeCard {
    /// First six digits.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub first6: Option<String>,
    /// First eight digits.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub first8: Option<String>,
    /// Last four digits.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub last4: Option<String>,
    /// Expiry month, two digits.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub exp_month: Option<String>,
    /// Expiry year, two digits.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub exp_year: Option<String>,
    /// Pivot's unique card identification.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub fingerprint: Option<String>,
    /// Issuer and network.
    pub bin_informations: Option<BinInformation>,
    /// 3-D Secure result.
    pub authentication_result: Option<AuthenticationResult>,
    /// Authorisation result.
    pub authorization_result: Option<AuthorizationResult>,
}

/// Issuer and network of a card.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct BinInformation {
    /// `DEBIT`, `CREDIT` or `PREPAID`.
    #[serde(rename = "type", deserialize_with = "crate::de::opt_enum")]
    pub funding_type: Option<FundingType>,
    /// Issuing bank.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub issuing_bank: Option<String>,
    /// Network, e.g. `VISA`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub brand: Option<String>,
    /// Issuing country (ISO 3166-1 alpha-2).
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub country: Option<String>,
}

/// 3-D Secure result of a card charge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AuthenticationResult {
    /// 3DS version, e.g. `2.2.0`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub three_ds_version: Option<String>,
    /// Result, e.g. `AUTHENTICATION_SUCCESSFUL`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub three_ds_result: Option<String>,
    /// `BYPASSED`, `CHALLENGE` or `FRICTIONLESS`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub three_ds_method: Option<String>,
    /// ECI code, e.g. `02`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub eci_code: Option<String>,
}

/// Authorisation result of a card charge.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AuthorizationResult {
    /// Acquirer reference number.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub acquirer_reference_number: Option<String>,
    /// Retrieval reference number.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub retrieval_reference_number: Option<String>,
    /// System trace audit number.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub stan: Option<String>,
    /// Address verification result.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub avs_result: Option<String>,
    /// CVV check result.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub cvv_result: Option<String>,
    /// Authorised amount.
    pub authorized_amount: Option<Amount>,
    /// Issuer's authorisation (response) code.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub issuer_authorization_code: Option<String>,
}

/// One capture of a charge.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CaptureHistory {
    /// Capture id.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub capture_id: Option<String>,
    /// Currency.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub currency: Option<String>,
    /// Captured amount (`captureAmount` in the table, `capturedAmount` in the examples).
    #[serde(alias = "captureAmount", deserialize_with = "crate::de::opt_decimal")]
    pub captured_amount: Option<Decimal>,
    /// `PENDING`, `SUCCESS` or `FAILED`.
    #[serde(deserialize_with = "crate::de::opt_enum")]
    pub status: Option<CaptureStatus>,
    /// Created.
    #[serde(deserialize_with = "crate::de::opt_timestamp")]
    pub created_at: Option<OffsetDateTime>,
}

/// QRIS details of a charge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct QrCharge {
    /// Acquirer, e.g. `BRI`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub acquirer: Option<String>,
    /// The QR string to render.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub qr_content: Option<String>,
    /// QR image URL.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub qr_url: Option<String>,
    /// `DYNAMIC` or `STATIC`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub qr_type: Option<String>,
    /// Issuer RRN after payment.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub retrieval_reference_number: Option<String>,
    /// Issuer name after payment.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub issuer_name: Option<String>,
    /// Expiry.
    #[serde(deserialize_with = "crate::de::opt_timestamp")]
    pub expiry_at: Option<OffsetDateTime>,
    /// QR descriptor.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub merchant_name: Option<String>,
}

/// E-wallet details of a charge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct EwalletCharge {
    /// `DANA`, `OVO` or `SHOPEEPAY`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub channel: Option<String>,
    /// The shopper's wallet account.
    pub account_informations: Option<EwalletAccountInformation>,
}

/// The shopper's wallet account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct EwalletAccountInformation {
    /// Mobile number (E.164).
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub mobile_number: Option<String>,
    /// Account name.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub name: Option<String>,
}

/// The answer to a capture request.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Capture {
    /// Capture id.
    pub id: String,
    /// The session.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub payment_session_id: Option<String>,
    /// The session's reference.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub payment_session_client_reference_id: Option<String>,
    /// Whether the rest of the authorisation was released.
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub release_remaining_amount: Option<bool>,
    /// Captured amount.
    #[serde(default)]
    pub amount: Option<Amount>,
    /// `PENDING`, `SUCCESS` or `FAILED`.
    pub status: CaptureStatus,
    /// Created.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub created_at: Option<OffsetDateTime>,
    /// Last updated.
    #[serde(default, deserialize_with = "crate::de::opt_timestamp")]
    pub updated_at: Option<OffsetDateTime>,
}

impl Capture {
    /// Decodes a capture answer (`POST /v2/payments/{id}/capture`) from its HTTP status and body with the decoder the
    /// [`Client`](crate::Client) uses: an error answer (a non-2xx status, or a `code` other
    /// than `"00"`) is [`Error::Provider`], a body that does not decode
    /// is [`Error::Decode`] naming the failing field.
    pub fn from_response(status: http::StatusCode, body: &[u8]) -> Result<Self, crate::Error> {
        crate::decode::standalone::<Self>(status, body, false).map(|(data, _)| data)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::customer::Customer;

    fn order() -> OrderInformation {
        OrderInformation::new([ProductDetail::new(
            ProductType::Physical,
            1,
            Amount::idr(10_000),
        )])
    }

    fn urls() -> RedirectUrl {
        RedirectUrl::new(
            "https://merchant.com/success",
            "https://merchant.com/failure",
            "https://merchant.com/expiration",
        )
    }

    fn field_of(result: Result<(), Error>) -> String {
        match result {
            Err(Error::InvalidRequest { field, .. }) => field,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn every_flow_constructor_builds_a_valid_request() {
        let customer = Customer::new("reforza@pivot-payment.com");
        let cvc = Cvc::new("123").unwrap();
        for request in [
            CreatePaymentSession::redirect_save_card(
                "r1",
                Amount::idr(10_000),
                customer.clone(),
                order(),
                urls(),
            ),
            CreatePaymentSession::redirect_saved_card(
                "r2",
                Amount::idr(10_000),
                "cust",
                order(),
                urls(),
            ),
            CreatePaymentSession::api_save_card(
                "r3",
                Amount::idr(10_000),
                customer,
                order(),
                urls(),
            ),
            CreatePaymentSession::api_saved_card(
                "r4",
                Amount::idr(10_000),
                "cust",
                order(),
                "tok",
                cvc,
            ),
        ] {
            assert!(request.validate().is_ok(), "{request:?}");
        }
    }

    #[test]
    fn options_only_one_mode_allows_are_refused_in_the_other() {
        let api = CreatePaymentSession::api_save_card(
            "r",
            Amount::idr(10_000),
            Customer::new("a@b.co"),
            order(),
            urls(),
        );
        assert_eq!(
            field_of(api.clone().show_saved_payment(true).validate()),
            "showSavedPayment"
        );
        assert_eq!(
            field_of(api.clone().bypass_status_page(true).validate()),
            "bypassStatusPage"
        );
        let redirect = CreatePaymentSession::new("r", Amount::idr(10_000), order());
        assert_eq!(field_of(redirect.validate()), "redirectUrl");
        let multiple_redirect = CreatePaymentSession::new("r", Amount::idr(10_000), order())
            .redirect_url(urls())
            .payment_method(PaymentMethod::qr())
            .payment_type(PaymentType::Multiple);
        assert_eq!(field_of(multiple_redirect.validate()), "paymentType");
        let multiple_card = CreatePaymentSession::new("r", Amount::idr(10_000), order())
            .mode(PaymentMode::Api)
            .payment_method(PaymentMethod::card())
            .auto_confirm(false)
            .payment_type(PaymentType::Multiple);
        assert_eq!(field_of(multiple_card.validate()), "paymentType");
        let strict_qr = CreatePaymentSession::new("r", Amount::idr(10_000), order())
            .redirect_url(urls())
            .payment_method(PaymentMethod::qr())
            .expiration_mode(ExpirationMode::Strict);
        assert_eq!(field_of(strict_qr.validate()), "expirationMode");
        let auto_confirmed_api_card = api.auto_confirm(true);
        assert_eq!(
            field_of(auto_confirmed_api_card.validate()),
            "paymentMethod.card"
        );
    }

    #[test]
    fn documented_limits_are_checked_before_sending() {
        let base = || {
            CreatePaymentSession::redirect_save_card(
                "r",
                Amount::idr(10_000),
                Customer::new("a@b.co"),
                order(),
                urls(),
            )
        };
        assert_eq!(
            field_of(base().statement_descriptor("x".repeat(21)).validate()),
            "statementDescriptor"
        );
        assert!(
            base()
                .statement_descriptor("x".repeat(20))
                .validate()
                .is_ok()
        );
        let long_ref = CreatePaymentSession::redirect_save_card(
            "1".repeat(101),
            Amount::idr(10_000),
            Customer::new("a@b.co"),
            order(),
            urls(),
        );
        assert_eq!(field_of(long_ref.validate()), "clientReferenceId");
        let empty_order = CreatePaymentSession::redirect_save_card(
            "r",
            Amount::idr(10_000),
            Customer::new("a@b.co"),
            OrderInformation::new([]),
            urls(),
        );
        assert_eq!(
            field_of(empty_order.validate()),
            "orderInformation.productDetails"
        );
        assert_eq!(field_of(base().customer_id("c").validate()), "customerId");
        let bad_url =
            base().redirect_url(RedirectUrl::new("/relative", "https://a.b", "https://a.b"));
        assert_eq!(field_of(bad_url.validate()), "redirectUrl.successReturnUrl");
    }

    #[test]
    fn expiry_is_sent_in_the_documented_format() {
        let at = OffsetDateTime::from_unix_timestamp(1_767_139_140).unwrap()
            + time::Duration::milliseconds(250);
        let request = CreatePaymentSession::new("r", Amount::idr(1), order()).expiry_at(at);
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["expiryAt"], "2025-12-30T23:59:00Z");
    }

    #[test]
    fn unknown_statuses_are_never_success() {
        assert!(!PaymentSessionStatus::from("SETTLED").is_paid());
        assert!(!ChargeStatus::from("SETTLED").is_success());
        assert!(PaymentSessionStatus::from("paid").is_paid());
    }
}
