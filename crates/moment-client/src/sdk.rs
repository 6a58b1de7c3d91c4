//! The backend half of Moment's client SDKs (Flutter, JavaScript, React).
//!
//! The app holds only the publishable key. It asks your backend for two things:
//!
//! 1. **`fetchClientToken`**: create a session and return its `client_token`
//!    ([`Client::create_checkout_token`]);
//! 2. **`fetchSessionStatus(sessionId)`**: after a redirect-based authentication the customer
//!    returns through `success_url?session_id=…`; retrieve the session and tell the app whether it
//!    is `completed`, `failed`, `expired` or `cancelled` ([`Client::checkout_status`]).
//!
//! The status is derived from the session's outcome, never from `status` alone: a `completed`
//! session with an `unpaid` outcome failed, and an outcome this crate does not know is never a
//! success. A session that is still in progress is [`CheckoutOutcome::Pending`]: tell the app to
//! wait, and fulfil the order only on a verified webhook or a later retrieve.

use std::fmt;

use serde_json::{Value, json};

use crate::client::Idempotent;
use crate::model::{
    ClientToken, CreatePaymentSession, PaymentOutcome, PaymentSession, SessionStatus,
};
use crate::{Client, Error};

/// What the app's `fetchSessionStatus` should report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckoutOutcome {
    /// `completed`: paid (or, under manual capture, authorised; or, for an amount of 0, the
    /// payment method was verified).
    Completed,
    /// `failed`: the session ended unpaid.
    Failed,
    /// `expired`: the session timed out.
    Expired,
    /// `cancelled`: the customer or the merchant cancelled.
    Cancelled,
    /// Not final yet (or the outcome is unknown to this crate): not a success. The SDK knows
    /// only the four other values; tell the app to wait and check again.
    Pending,
}

impl CheckoutOutcome {
    /// Maps a session to the SDK's outcomes using `payment_outcome` (or the deprecated
    /// `payment_status`).
    ///
    /// ```
    /// # fn session(json: &str) -> moment_client::PaymentSession { serde_json::from_str(json).unwrap() }
    /// use moment_client::CheckoutOutcome;
    ///
    /// let paid = session(r#"{"id": "ps_1", "status": "completed", "payment_outcome": "paid"}"#);
    /// assert_eq!(CheckoutOutcome::from_session(&paid), CheckoutOutcome::Completed);
    ///
    /// // Completed but unpaid is a failure, not a success.
    /// let unpaid = session(r#"{"id": "ps_1", "status": "completed", "payment_outcome": "unpaid"}"#);
    /// assert_eq!(CheckoutOutcome::from_session(&unpaid), CheckoutOutcome::Failed);
    ///
    /// // An outcome this crate does not know is never a success.
    /// let odd = session(r#"{"id": "ps_1", "status": "completed", "payment_outcome": "settling"}"#);
    /// assert_eq!(CheckoutOutcome::from_session(&odd), CheckoutOutcome::Pending);
    /// ```
    pub fn from_session(session: &PaymentSession) -> Self {
        let status = session.status.as_ref();
        let ended_as = |otherwise: CheckoutOutcome| match status {
            Some(SessionStatus::Expired) => CheckoutOutcome::Expired,
            Some(SessionStatus::Cancelled) => CheckoutOutcome::Cancelled,
            _ => otherwise,
        };
        match session.outcome() {
            Some(
                PaymentOutcome::Paid
                | PaymentOutcome::Reserved
                | PaymentOutcome::PaymentMethodVerified,
            ) => match status {
                Some(SessionStatus::Completed) | None => CheckoutOutcome::Completed,
                // Paid but the session says otherwise: not final until Moment agrees.
                _ => CheckoutOutcome::Pending,
            },
            Some(PaymentOutcome::Unpaid) => ended_as(CheckoutOutcome::Failed),
            Some(
                PaymentOutcome::NotStarted | PaymentOutcome::Pending | PaymentOutcome::Unknown(_),
            )
            | None => ended_as(CheckoutOutcome::Pending),
        }
    }

    /// The value for the SDK: `completed`, `failed`, `expired`, `cancelled` (or `pending`).
    pub fn as_str(self) -> &'static str {
        match self {
            CheckoutOutcome::Completed => "completed",
            CheckoutOutcome::Failed => "failed",
            CheckoutOutcome::Expired => "expired",
            CheckoutOutcome::Cancelled => "cancelled",
            CheckoutOutcome::Pending => "pending",
        }
    }

    /// Whether this is a success the app may celebrate. (Fulfil orders on a verified webhook or
    /// a server-side retrieve.)
    pub fn is_success(self) -> bool {
        self == CheckoutOutcome::Completed
    }
}

impl fmt::Display for CheckoutOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A session created for a client SDK: what `fetchClientToken` returns to the app.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CheckoutToken {
    /// The token the app opens the checkout with (redacted in `Debug`).
    pub client_token: ClientToken,
    /// The session's id; store it with your order.
    pub session_id: String,
    /// The created session, with the `Idempotency-Key` used.
    pub session: Idempotent<PaymentSession>,
}

impl CheckoutToken {
    /// The JSON body for the app: `{"client_token": "…"}`.
    pub fn sdk_response(&self) -> Value {
        json!({ "client_token": self.client_token.expose_secret() })
    }
}

/// A session resolved for the app's `fetchSessionStatus`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CheckoutStatus {
    /// The outcome for the SDK.
    pub outcome: CheckoutOutcome,
    /// The session as retrieved.
    pub session: PaymentSession,
}

impl CheckoutStatus {
    /// The JSON body for the app: `status` (the SDK value), `session_id`, and the session's
    /// `payment_outcome`, `payment_id` and `last_payment_error` message when known.
    pub fn sdk_response(&self) -> Value {
        let mut body = json!({
            "status": self.outcome.as_str(),
            "session_id": self.session.id,
        });
        if let Some(map) = body.as_object_mut() {
            if let Some(outcome) = self.session.outcome() {
                map.insert("payment_outcome".into(), outcome.as_str().into());
            }
            if let Some(payment_id) = &self.session.payment_id {
                map.insert("payment_id".into(), payment_id.as_str().into());
            }
            if let Some(message) = self
                .session
                .last_payment_error
                .as_ref()
                .and_then(|e| e.message.as_deref())
            {
                map.insert("message".into(), message.into());
            }
        }
        body
    }
}

impl Client {
    /// `fetchClientToken`: creates the session a client SDK needs and returns its
    /// `client_token`.
    ///
    /// ```no_run
    /// # async fn run(client: moment_client::Client) -> Result<(), moment_client::Error> {
    /// use moment_client::CreatePaymentSession;
    ///
    /// let request = CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}")
    ///     .external_reference("order_12345");
    /// let token = client.create_checkout_token(&request).await?;
    /// // Store token.session_id with the order, answer the app:
    /// let body = token.sdk_response();
    /// # let _ = body;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Client::create_payment_session`]; and [`Error::Decode`] (at `client_token`) when
    /// Moment created the session but sent no token. The session exists then: the error says
    /// [`Error::may_have_been_processed`].
    pub async fn create_checkout_token(
        &self,
        request: &CreatePaymentSession,
    ) -> Result<CheckoutToken, Error> {
        let session = self.create_payment_session(request).await?;
        let Some(client_token) = session.client_token.clone() else {
            let mut error = crate::error::DecodeError::new(
                "create_checkout_token",
                "client_token".to_owned(),
                "the created session has no client_token",
                b"",
            );
            error.status = Some(session.status());
            error.idempotency_key = Some(session.idempotency_key().to_owned());
            error.may_have_been_processed = true;
            return Err(Error::Decode(Box::new(error)));
        };
        Ok(CheckoutToken {
            client_token,
            session_id: session.id.clone(),
            session,
        })
    }

    /// The exact request [`Client::create_checkout_token`] would send now, without sending it:
    /// the create of [`Client::prepare_create_payment_session`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), moment_client::Error> {
    /// use moment_client::CreatePaymentSession;
    /// let client = moment_client::Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc").build()?;
    /// let request = CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}");
    /// let prepared = client.prepare_create_checkout_token(&request).await?;
    /// assert_eq!(prepared.uri().path(), "/collect/payment_sessions");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Client::prepare_create_payment_session`].
    pub async fn prepare_create_checkout_token(
        &self,
        request: &CreatePaymentSession,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare_create_payment_session(request).await
    }

    /// The exact request [`Client::checkout_status`] would send now, without sending it: the
    /// retrieve of [`Client::prepare_retrieve_payment_session`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), moment_client::Error> {
    /// let client = moment_client::Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc").build()?;
    /// let prepared = client.prepare_checkout_status("ps_kfAWZgfQIoeG0q").await?;
    /// assert_eq!(prepared.method(), http::Method::GET);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Client::prepare_retrieve_payment_session`].
    pub async fn prepare_checkout_status(
        &self,
        session_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare_retrieve_payment_session(session_id).await
    }

    /// `fetchSessionStatus(sessionId)`: retrieves the session named by the `session_id` of the
    /// deep link and maps it to the SDK's outcomes (see [`CheckoutOutcome::from_session`]).
    ///
    /// ```no_run
    /// # async fn run(client: moment_client::Client) -> Result<(), moment_client::Error> {
    /// let status = client.checkout_status("ps_kfAWZgfQIoeG0q").await?;
    /// let body = status.sdk_response(); // {"status": "completed", "session_id": …}
    /// # let _ = body;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Client::retrieve_payment_session`].
    pub async fn checkout_status(&self, session_id: &str) -> Result<CheckoutStatus, Error> {
        let session = self.retrieve_payment_session(session_id).await?;
        Ok(CheckoutStatus {
            outcome: CheckoutOutcome::from_session(&session),
            session,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn outcome(
        status: Option<&str>,
        outcome: Option<&str>,
        legacy: Option<&str>,
    ) -> CheckoutOutcome {
        let mut json = json!({ "id": "ps_1" });
        for (name, value) in [
            ("status", status),
            ("payment_outcome", outcome),
            ("payment_status", legacy),
        ] {
            if let Some(value) = value {
                json[name] = value.into();
            }
        }
        CheckoutOutcome::from_session(&serde_json::from_value(json).unwrap())
    }

    #[test]
    fn only_paid_outcomes_complete() {
        use CheckoutOutcome::*;
        let s = Some;
        let cases = [
            (s("completed"), s("paid"), None, Completed),
            (s("completed"), s("reserved"), None, Completed),
            (
                s("completed"),
                s("payment_method_verified"),
                None,
                Completed,
            ),
            (s("completed"), s("unpaid"), None, Failed),
            (s("active"), s("unpaid"), None, Failed),
            (s("expired"), s("unpaid"), None, Expired),
            (s("cancelled"), s("unpaid"), None, Cancelled),
            (s("expired"), s("not_started"), None, Expired),
            (s("cancelled"), None, None, Cancelled),
            (s("active"), s("pending"), None, Pending),
            (s("active"), s("not_started"), None, Pending),
            (s("active"), s("paid"), None, Pending),
            (s("expired"), s("paid"), None, Pending),
            (s("completed"), s("settled_maybe"), None, Pending),
            (s("completed"), None, None, Pending),
            (s("completed"), None, s("paid"), Completed),
            (s("completed"), None, s("unpaid"), Failed),
            (s("completed"), None, s("pending"), Pending),
            (s("completed"), None, s("partially_paid"), Pending),
            // The new field wins over the deprecated one.
            (s("completed"), s("unpaid"), s("paid"), Failed),
            (s("archived"), s("unpaid"), None, Failed),
            (None, s("paid"), None, Completed),
        ];
        for (status, new, legacy, expected) in cases {
            assert_eq!(
                outcome(status, new, legacy),
                expected,
                "{status:?} {new:?} {legacy:?}"
            );
        }
    }
}
