//! A typed async client for the [Moment](https://momentco.io) payments API.
//!
//! Moment is a payments provider centred on South Africa (cards, Capitec Pay, Instant EFT,
//! Zapper, MTN MoMo). Merchants create a **payment session** for an amount in minor units; the
//! customer pays on Moment's hosted or embedded checkout (or in a mobile app through Moment's
//! Flutter SDK); the merchant learns the result from a signed **webhook** or by retrieving the
//! session. Card payments can be authorised only and **captured** or **voided** later.
//!
//! This crate covers:
//!
//! * every documented operation — create and retrieve payment sessions; retrieve, capture and
//!   void payments — as one `async fn` each on [`Client`];
//! * the backend of Moment's client SDKs: [`Client::create_checkout_token`] for the app's
//!   `fetchClientToken`, [`Client::checkout_status`] for its `fetchSessionStatus`;
//! * safe retries: every `POST` carries an `Idempotency-Key` that is reused on each retry, so a
//!   retried create never makes two sessions; failures say whether the request
//!   [may have been processed](Error::may_have_been_processed);
//! * the exact request of each operation without sending it — `prepare_*` (e.g.
//!   [`Client::prepare_create_payment_session`]) returns the `http::Request` the operation
//!   sends, headers and body bytes, for snapshot tests;
//! * bounded inbound parsing: answers over
//!   [`max_response_bytes`](ClientBuilder::max_response_bytes) (4 MiB by default) are refused
//!   without being buffered, deeply nested JSON is a typed error, and every parser is public
//!   ([`decode`], [`webhook::Verifier::verify_parts`]);
//! * webhook verification (Standard Webhooks) and typed events, in [`webhook`];
//! * a mock Moment for your tests, in `testing` (feature `testing`).
//!
//! # Quickstart
//!
//! ```no_run
//! use moment_client::{Client, CreatePaymentSession, CheckoutOutcome};
//!
//! # async fn run() -> Result<(), moment_client::Error> {
//! let client = Client::builder(std::env::var("MOMENT_SECRET_KEY").unwrap_or_default()).build()?;
//!
//! // fetchClientToken: create the session the app's checkout needs.
//! let request = CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}")
//!     .external_reference("order_12345");
//! let token = client.create_checkout_token(&request).await?;
//! let reply_to_app = token.sdk_response(); // {"client_token": "…"}
//!
//! // fetchSessionStatus: the app comes back with ?session_id=…
//! let status = client.checkout_status(&token.session_id).await?;
//! if status.outcome == CheckoutOutcome::Completed {
//!     // Paid. Fulfil on the verified webhook (or this server-side retrieve).
//! }
//! let reply_to_app = status.sdk_response(); // {"status": "completed", …}
//! # let _ = reply_to_app;
//! # Ok(()) }
//! ```
//!
//! Snapshot-test what your code sends, without a network:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), moment_client::Error> {
//! use moment_client::{Client, CreatePaymentSession};
//!
//! let client = Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc")
//!     .idempotency_key_generator(|| "order_12345-create".to_owned())
//!     .build()?;
//! let request = CreatePaymentSession::new(10_000, "ZAR").external_reference("order_12345");
//! let wire = client.prepare_create_payment_session(&request).await?;
//! assert_eq!(wire.headers()["idempotency-key"], "order_12345-create");
//! assert_eq!(
//!     wire.body(),
//!     br#"{"amount":10000,"currency":"ZAR","external_reference":"order_12345"}"#
//! );
//! # Ok(()) }
//! ```
//!
//! Errors tell a retry apart from a reconciliation:
//!
//! ```no_run
//! # async fn run(client: moment_client::Client, request: moment_client::CreatePaymentSession) {
//! match client.create_payment_session(&request).await {
//!     Ok(session) => { /* store session.id */ }
//!     Err(e) if e.may_have_been_processed() => {
//!         // Retry later with the same key: Moment replays the stored answer for 24 hours.
//!         let key = e.idempotency_key();
//!         # let _ = key;
//!     }
//!     Err(e) => { /* nothing happened at Moment: fix or report */ }
//! }
//! # }
//! ```
//!
//! # Module map
//!
//! | module | what it holds |
//! |---|---|
//! | [`client`] | [`Client`], [`ClientBuilder`], [`Operation`], [`Idempotent`] answers, defaults |
//! | [`decode`] | Moment's answers decoded from their raw parts (status, headers, body) |
//! | [`auth`] | secret keys, test/live [`KeyMode`] |
//! | [`model`] | wire types: sessions, payments, events, metadata, currency |
//! | [`sdk`] | the backend of the client SDKs: [`CheckoutOutcome`], [`CheckoutToken`], [`CheckoutStatus`] |
//! | [`webhook`] | [`webhook::Verifier`], [`webhook::sign_notification`] for tests, [`webhook::acknowledge`] |
//! | [`error`] | [`Error`], [`ProviderError`], [`DecodeError`], [`WebhookError`] |
//! | `testing` | `MockGateway`, a mock Moment on loopback, `Operation`/`Outcome` scripting (feature `testing`) |
//!
//! [`secrecy`] is re-exported, so that [`SecretString`] and `ExposeSecret` need no dependency
//! of your own.
//!
//! # Features
//!
//! * `rustls` (default) / `native-tls`: the TLS implementation of `reqwest`.
//! * `testing`: the `testing` module.
//!
//! # Secrets
//!
//! The secret key and webhook secret are [`SecretString`]s; they never appear in `Debug`, errors
//! or logs, and neither does a `client_token` ([`ClientToken`]). Moment's checkout handles card
//! data; this API never carries a card number (only BIN and last four digits).
//!
//! # Tracing
//!
//! Each operation runs in a `moment` span (operation, method, path, idempotency key, mode);
//! retries are `WARN` events; bodies are logged, scrubbed, at `TRACE` only.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod client;
pub mod decode;
pub mod error;
pub mod model;
mod scrub;
pub mod sdk;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
pub mod webhook;

pub use auth::KeyMode;
pub use client::{Client, ClientBuilder, Idempotent, Operation};
pub use error::{DecodeError, Error, Problem, ProviderError, ProviderErrorKind, WebhookError};
pub use model::{
    CaptureMethod, CapturePayment, CardDetails, CardOptions, CheckoutMode, CheckoutOptions,
    ClientToken, CreatePaymentSession, Currency, Customer, Event, EventData, EventType,
    LastPaymentError, MandateOptions, MandateType, Metadata, Mode, Payment, PaymentIntent,
    PaymentMethodDetails, PaymentMethodOptions, PaymentMethodType, PaymentOutcome, PaymentSession,
    PaymentStatus, PresentationMode, SESSION_ID_PLACEHOLDER, SessionOptions, SessionPaymentStatus,
    SessionStatus, SessionType, Timestamp, VoidPayment,
};
pub use sdk::{CheckoutOutcome, CheckoutStatus, CheckoutToken};
pub use secrecy;
pub use secrecy::SecretString;

// The README's examples are compiled (and run) as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
