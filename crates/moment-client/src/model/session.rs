//! Payment sessions: `POST /collect/payment_sessions`, `GET /collect/payment_sessions/{id}`.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::Currency;
use super::common::{LastPaymentError, Metadata, Mode, Timestamp, lenient_u64, open_enum};
use crate::Error;

open_enum! {
    /// The kind of payment session (`type`).
    SessionType {
        /// `one_time`: a single payment (the default).
        OneTime => "one_time",
        /// `first_in_series`: the first payment of a series; saves the payment method under a
        /// mandate.
        FirstInSeries => "first_in_series",
        /// `next_in_series`: a later payment of a series, with the saved customer and payment
        /// method.
        NextInSeries => "next_in_series",
    }
}

open_enum! {
    /// Where the session is in its life (`status`).
    ///
    /// `Completed` does **not** mean paid: look at [`PaymentSession::outcome`].
    SessionStatus {
        /// `active`: in progress; a failed attempt keeps a session active so that the customer
        /// can retry.
        Active => "active",
        /// `completed`: finished; the outcome says whether it was paid.
        Completed => "completed",
        /// `expired`: timed out.
        Expired => "expired",
        /// `cancelled`: cancelled by the customer or the merchant.
        Cancelled => "cancelled",
    }
}

open_enum! {
    /// The result of a session for the merchant (`payment_outcome`).
    PaymentOutcome {
        /// `not_started`: no attempt yet.
        NotStarted => "not_started",
        /// `pending`: an attempt is in progress.
        Pending => "pending",
        /// `paid`: paid (final).
        Paid => "paid",
        /// `unpaid`: failed, expired or cancelled (final).
        Unpaid => "unpaid",
        /// `reserved`: the amount is authorised and waits for a capture (manual capture).
        Reserved => "reserved",
        /// `payment_method_verified`: an amount-0 session verified the payment method.
        PaymentMethodVerified => "payment_method_verified",
    }
}

open_enum! {
    /// The deprecated session `payment_status`, superseded by [`PaymentOutcome`].
    SessionPaymentStatus {
        /// `paid`.
        Paid => "paid",
        /// `unpaid`.
        Unpaid => "unpaid",
        /// `pending`.
        Pending => "pending",
    }
}

open_enum! {
    /// How the checkout is presented (`options.checkout_options.presentation_mode.mode`).
    CheckoutMode {
        /// `redirect`: the customer is sent to Moment's hosted checkout page.
        Redirect => "redirect",
        /// `embedded`: the value the Flutter SDK documentation sends.
        Embedded => "embedded",
        /// `embedded_modal`: checkout in a modal over the merchant's page.
        EmbeddedModal => "embedded_modal",
        /// `embedded_inline`: checkout inline in the merchant's page.
        EmbeddedInline => "embedded_inline",
    }
}

open_enum! {
    /// When a card payment is captured (`capture_method`).
    CaptureMethod {
        /// `automatic`: captured at once (the default).
        Automatic => "automatic",
        /// `manual`: only authorised; capture or void it later.
        Manual => "manual",
    }
}

open_enum! {
    /// The kind of mandate of a `first_in_series` session (`mandate_options.type`).
    MandateType {
        /// `on_demand`: charges when the merchant asks (the default when omitted).
        OnDemand => "on_demand",
        /// `scheduled`: charges on a schedule (Capitec Pay supports only this, with a
        /// `recurrence`).
        Scheduled => "scheduled",
        /// `installment`: a fixed number of instalments.
        Installment => "installment",
    }
}

/// The placeholder Moment replaces with the session id in a `success_url`.
pub const SESSION_ID_PLACEHOLDER: &str = "{SESSION_ID}";

/// The longest `external_reference`, in characters.
pub const MAX_EXTERNAL_REFERENCE_LEN: usize = 255;

/// How the checkout is presented (`presentation_mode`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PresentationMode {
    /// `mode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<CheckoutMode>,
    /// `display_pay_button`, an option of the embedded modes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_pay_button: Option<bool>,
}

impl PresentationMode {
    /// A presentation in the given mode.
    pub fn new(mode: CheckoutMode) -> Self {
        PresentationMode {
            mode: Some(mode),
            display_pay_button: None,
        }
    }
}

/// The checkout options of a session (`options.checkout_options`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CheckoutOptions {
    /// `presentation_mode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presentation_mode: Option<PresentationMode>,
    /// `success_url`: where the customer returns after a redirect-based authentication; may
    /// contain [`SESSION_ID_PLACEHOLDER`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// `return_url`: where the customer returns in redirect mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

/// Card options (`options.payment_method_options.card`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CardOptions {
    /// `capture_method`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_method: Option<CaptureMethod>,
}

/// Payment-method options (`options.payment_method_options`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PaymentMethodOptions {
    /// `card`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<CardOptions>,
}

/// The customer of a session (`options.customer`), e.g. for a `first_in_series` session.
///
/// ```
/// let customer = moment_client::Customer::new().name("Alex").email("alex@example.com");
/// # let _ = customer;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Customer {
    /// `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Members this version of the crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Customer {
    /// A customer with no details yet.
    pub fn new() -> Self {
        Customer::default()
    }

    /// Sets `name`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets `email`.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Sets any other member.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }
}

/// The mandate of a `first_in_series` session (`options.mandate_options`).
///
/// Moment documents the mandate `type` and names its constraints (`recurrence`,
/// `day_of_month`, `day_of_week`, `day_of_year`, `nth_day_of_month`, period limits, fixed or
/// variable amounts) without publishing their shapes; set those with [`MandateOptions::field`].
///
/// ```
/// use moment_client::{MandateOptions, MandateType};
/// let mandate = MandateOptions::new(MandateType::Scheduled).field("day_of_month", 1);
/// # let _ = mandate;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MandateOptions {
    /// `type`.
    #[serde(rename = "type")]
    pub mandate_type: MandateType,
    /// The other members, as given.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl MandateOptions {
    /// A mandate of the given type.
    pub fn new(mandate_type: MandateType) -> Self {
        MandateOptions {
            mandate_type,
            fields: Map::new(),
        }
    }

    /// Sets a member of the mandate, e.g. `recurrence` or `day_of_month`.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(name.into(), value.into());
        self
    }
}

/// The `options` of a session. Most callers set them through the setters of
/// [`CreatePaymentSession`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SessionOptions {
    /// `checkout_options`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkout_options: Option<CheckoutOptions>,
    /// `payment_method_options`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_method_options: Option<PaymentMethodOptions>,
    /// `customer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// `mandate_options` (for `first_in_series`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mandate_options: Option<MandateOptions>,
    /// `customer_id` of the saved customer (for `next_in_series`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// `payment_method_id` of the saved payment method (for `next_in_series`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_method_id: Option<String>,
    /// Any other option, as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SessionOptions {
    fn is_empty(&self) -> bool {
        *self == SessionOptions::default()
    }

    fn checkout(&mut self) -> &mut CheckoutOptions {
        self.checkout_options.get_or_insert_with(Default::default)
    }
}

/// A request to create a payment session (`POST /collect/payment_sessions`).
///
/// `amount` (minor units) and `currency` are required; everything else is optional and set
/// builder-style. The request is checked against Moment's documented limits before it is sent.
///
/// ```
/// use moment_client::{CheckoutMode, CreatePaymentSession, SessionType};
///
/// // The request of the Flutter SDK's backend: R100.00, embedded checkout, deep link back.
/// let request = CreatePaymentSession::new(10_000, "ZAR")
///     .session_type(SessionType::OneTime)
///     .presentation_mode(CheckoutMode::Embedded)
///     .success_url("yourapp://checkout?session_id={SESSION_ID}")
///     .external_reference("order_12345")
///     .metadata("order_id", "ord_789012");
/// assert!(request.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CreatePaymentSession {
    /// `amount`, in minor units (`10000` is R100.00); `0` verifies a payment method.
    pub amount: u64,
    /// `currency`, ISO 4217.
    pub currency: Currency,
    /// `type`; Moment's default is `one_time`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub session_type: Option<SessionType>,
    /// `options`.
    #[serde(skip_serializing_if = "SessionOptions::is_empty")]
    pub options: SessionOptions,
    /// `metadata`.
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// `external_reference`: your reference, at most 255 of `a-z A-Z 0-9 _ -`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
    /// The `Idempotency-Key` to send; generated by the client when `None`.
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

impl CreatePaymentSession {
    /// A session for `amount` minor units of `currency`.
    pub fn new(amount: u64, currency: impl Into<Currency>) -> Self {
        CreatePaymentSession {
            amount,
            currency: currency.into(),
            session_type: None,
            options: SessionOptions::default(),
            metadata: Metadata::new(),
            external_reference: None,
            idempotency_key: None,
        }
    }

    /// The session a mobile or web SDK checkout needs: `one_time`, presented `embedded`, with
    /// the deep link the customer returns through after a redirect-based authentication.
    ///
    /// ```
    /// let request = moment_client::CreatePaymentSession::for_sdk(
    ///     10_000,
    ///     "ZAR",
    ///     "yourapp://checkout?session_id={SESSION_ID}",
    /// );
    /// # let _ = request;
    /// ```
    pub fn for_sdk(amount: u64, currency: impl Into<Currency>, success_url: &str) -> Self {
        CreatePaymentSession::new(amount, currency)
            .session_type(SessionType::OneTime)
            .presentation_mode(CheckoutMode::Embedded)
            .success_url(success_url)
    }

    /// Sets `type`.
    pub fn session_type(mut self, session_type: SessionType) -> Self {
        self.session_type = Some(session_type);
        self
    }

    /// Replaces all `options`.
    pub fn options(mut self, options: SessionOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets `options.checkout_options.presentation_mode.mode`.
    pub fn presentation_mode(mut self, mode: CheckoutMode) -> Self {
        self.presentation().mode = Some(mode);
        self
    }

    /// Sets `options.checkout_options.presentation_mode.display_pay_button`, an option of the
    /// embedded modes.
    pub fn display_pay_button(mut self, display: bool) -> Self {
        self.presentation().display_pay_button = Some(display);
        self
    }

    fn presentation(&mut self) -> &mut PresentationMode {
        self.options
            .checkout()
            .presentation_mode
            .get_or_insert(PresentationMode {
                mode: None,
                display_pay_button: None,
            })
    }

    /// Sets `options.checkout_options.success_url` (use [`SESSION_ID_PLACEHOLDER`] where the
    /// session id belongs).
    pub fn success_url(mut self, url: impl Into<String>) -> Self {
        self.options.checkout().success_url = Some(url.into());
        self
    }

    /// Sets `options.checkout_options.return_url`.
    pub fn return_url(mut self, url: impl Into<String>) -> Self {
        self.options.checkout().return_url = Some(url.into());
        self
    }

    /// Sets `options.payment_method_options.card.capture_method`.
    pub fn capture_method(mut self, method: CaptureMethod) -> Self {
        self.options
            .payment_method_options
            .get_or_insert_with(Default::default)
            .card
            .get_or_insert_with(Default::default)
            .capture_method = Some(method);
        self
    }

    /// Sets `options.customer`.
    pub fn customer(mut self, customer: Customer) -> Self {
        self.options.customer = Some(customer);
        self
    }

    /// Sets `options.mandate_options` (for `first_in_series`).
    pub fn mandate_options(mut self, mandate: MandateOptions) -> Self {
        self.options.mandate_options = Some(mandate);
        self
    }

    /// Sets the saved customer and payment method a `next_in_series` session charges.
    pub fn saved_payment_method(
        mut self,
        customer_id: impl Into<String>,
        payment_method_id: impl Into<String>,
    ) -> Self {
        self.options.customer_id = Some(customer_id.into());
        self.options.payment_method_id = Some(payment_method_id.into());
        self
    }

    /// Adds a `metadata` pair.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key, value);
        self
    }

    /// Sets `external_reference`.
    pub fn external_reference(mut self, reference: impl Into<String>) -> Self {
        self.external_reference = Some(reference.into());
        self
    }

    /// Sends this `Idempotency-Key` instead of a generated one (1 to 255 visible ASCII
    /// characters). Use a key derived from your order to make a create safe across restarts.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Checks the request against Moment's documented limits.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] naming the first field that is out of bounds.
    pub fn validate(&self) -> Result<(), Error> {
        if !self.currency.is_valid() {
            return Err(Error::invalid(format!(
                "currency: `{}` is not an ISO 4217 code of three letters",
                self.currency
            )));
        }
        self.metadata.validate("metadata")?;
        if let Some(reference) = &self.external_reference {
            validate_external_reference(reference)?;
        }
        if let Some(checkout) = &self.options.checkout_options {
            for (name, url) in [
                ("success_url", &checkout.success_url),
                ("return_url", &checkout.return_url),
            ] {
                if url.as_ref().is_some_and(|u| u.trim().is_empty()) {
                    return Err(Error::invalid(format!(
                        "options.checkout_options.{name}: must not be empty"
                    )));
                }
            }
        }
        if self.session_type == Some(SessionType::NextInSeries)
            && (self.options.customer_id.is_none() || self.options.payment_method_id.is_none())
        {
            return Err(Error::invalid(
                "a next_in_series session needs the saved customer_id and payment_method_id \
                 (CreatePaymentSession::saved_payment_method)",
            ));
        }
        if let Some(key) = &self.idempotency_key {
            crate::client::validate_idempotency_key(key)?;
        }
        Ok(())
    }
}

pub(crate) fn validate_external_reference(reference: &str) -> Result<(), Error> {
    let len = reference.chars().count();
    if len == 0 || len > MAX_EXTERNAL_REFERENCE_LEN {
        return Err(Error::invalid(format!(
            "external_reference: {len} characters, Moment accepts 1 to {MAX_EXTERNAL_REFERENCE_LEN}"
        )));
    }
    if let Some(bad) = reference
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(Error::invalid(format!(
            "external_reference: `{bad}` is not allowed, only a-z, A-Z, 0-9, `_` and `-`"
        )));
    }
    Ok(())
}

/// The token a client SDK (Flutter, JavaScript, React) opens the checkout with
/// (`client_token`). Hand it to the app; its `Debug` output is redacted.
#[derive(Clone)]
pub struct ClientToken(SecretString);

impl ClientToken {
    /// The token, for the response to the app.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ClientToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientToken([REDACTED])")
    }
}

impl<'de> Deserialize<'de> for ClientToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| ClientToken(SecretString::from(s)))
    }
}

/// A payment session, as returned by create and retrieve and carried by `payment_session.*`
/// webhooks.
///
/// Every member but `id` is optional: Moment's examples omit many of them. Members this version
/// of the crate does not model are kept in `extra`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct PaymentSession {
    /// `id`, e.g. `ps_kfAWZgfQIoeG0q`.
    pub id: String,
    /// `type`.
    #[serde(rename = "type", default)]
    pub session_type: Option<SessionType>,
    /// `amount`, in minor units.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub amount: Option<u64>,
    /// `currency`.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// `status`.
    #[serde(default)]
    pub status: Option<SessionStatus>,
    /// `payment_outcome`; prefer [`PaymentSession::outcome`], which falls back to the
    /// deprecated `payment_status`.
    #[serde(default)]
    pub payment_outcome: Option<PaymentOutcome>,
    /// `payment_status` (deprecated by Moment in favour of `payment_outcome`).
    #[serde(default)]
    pub payment_status: Option<SessionPaymentStatus>,
    /// `client_token`, for the client SDKs (redacted in `Debug`).
    #[serde(default)]
    pub client_token: Option<ClientToken>,
    /// `customer_id`.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// `payment_method_id` (saved by `first_in_series` sessions).
    #[serde(default)]
    pub payment_method_id: Option<String>,
    /// `checkout_session_id`.
    #[serde(default)]
    pub checkout_session_id: Option<String>,
    /// `payment_id` of the session's payment.
    #[serde(default)]
    pub payment_id: Option<String>,
    /// `session_url`: the hosted checkout.
    #[serde(default)]
    pub session_url: Option<String>,
    /// `return_url`.
    #[serde(default)]
    pub return_url: Option<String>,
    /// `last_payment_error`: why the last attempt failed.
    #[serde(default)]
    pub last_payment_error: Option<LastPaymentError>,
    /// `mode`.
    #[serde(default)]
    pub mode: Option<Mode>,
    /// `external_reference`.
    #[serde(default)]
    pub external_reference: Option<String>,
    /// `metadata`.
    #[serde(default)]
    pub metadata: Metadata,
    /// `created_at`.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// `updated_at`.
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// Members this version of the crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PaymentSession {
    /// The outcome: `payment_outcome`, or the deprecated `payment_status` translated when only
    /// that is present.
    pub fn outcome(&self) -> Option<PaymentOutcome> {
        if let Some(outcome) = &self.payment_outcome {
            return Some(outcome.clone());
        }
        self.payment_status.as_ref().map(|status| match status {
            SessionPaymentStatus::Paid => PaymentOutcome::Paid,
            SessionPaymentStatus::Unpaid => PaymentOutcome::Unpaid,
            SessionPaymentStatus::Pending => PaymentOutcome::Pending,
            SessionPaymentStatus::Unknown(raw) => PaymentOutcome::Unknown(raw.clone()),
        })
    }

    /// Whether the money was collected: the outcome is `paid`. A `completed` status alone is not
    /// enough, and an unknown outcome is never paid. (An authorised manual-capture session is
    /// `reserved`, not paid.)
    pub fn is_paid(&self) -> bool {
        self.outcome() == Some(PaymentOutcome::Paid)
    }
}
