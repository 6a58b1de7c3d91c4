//! A typed async client for **Pivot Payment** payment sessions, with card encryption and
//! saved cards (tokenization).
//!
//! [Pivot Payment](https://pivot-payment.com) is an Indonesian payment gateway. Its Payments API
//! revolves around the **Payment Session**: you create one for an amount, the shopper pays it
//! by card, e-wallet, QRIS or virtual account — on Pivot's hosted page (`REDIRECT` mode) or on
//! your own page (`API` mode) — and Pivot reports the outcome by callback. Cards can be saved
//! as tokens under a customer and charged again later.
//!
//! This crate covers the four saved-card flows of Pivot's tokenization guide as first-class
//! operations, the rest of the Payment Session API (confirm, retrieve, list, cancel, capture,
//! charges, payment-method configuration), customers, refunds and callbacks:
//!
//! * the access token is fetched, cached, refreshed before it expires and after a `401`, once
//!   for any number of concurrent calls;
//! * every create and confirm carries an `X-REQUEST-ID` that automatic retries reuse, so a
//!   retried payment is never a second payment; other writes are never retried blindly, and
//!   [`Error::may_have_been_processed`] says when to reconcile;
//! * requests are validated against Pivot's documented limits before they are sent;
//! * responses accept every documented spelling and shape and keep unknown values; an answer
//!   larger than [`ClientBuilder::max_response_bytes`] (4 MiB by default) is refused without
//!   being buffered, and nested JSON deeper than 128 levels is a decode error;
//! * secrets, card numbers and CVCs never appear in `Debug`, errors or logs.
//!
//! Every operation `x` has a `prepare_x` twin ([`Client::prepare_create_payment_session`], …)
//! that returns the exact `http::Request` the operation would send now — method, URL, headers
//! and body bytes, built by the same code — for snapshot tests and benchmarks. In the other
//! direction, every response type decodes raw answers with the client's own decoder
//! ([`PaymentSession::from_response`](model::session::PaymentSession::from_response),
//! [`Page::from_response`](model::Page::from_response),
//! [`AccessToken::from_response`](auth::AccessToken::from_response), …).
//!
//! # Modules
//!
//! | module | what it holds |
//! |---|---|
//! | [`client`] | [`Client`], [`ClientBuilder`]: one async method per operation, and its `prepare_*` twin |
//! | [`auth`] | [`Credentials`], [`Environment`], [`RequestId`], [`auth::AccessToken`]; how the access token works |
//! | [`model`] | request and response types: [`model::session`], [`model::customer`], [`model::refund`], [`model::config`]; `from_response` decoders |
//! | [`card`] | card data in redacting types, and Pivot's RSA-OAEP + AES-GCM card encryption |
//! | [`webhook`] | callback verification (`X-API-Key`), typed events, [`webhook::Event::confirm`], [`webhook::acknowledge`], [`webhook::sign_notification`] |
//! | [`error`] | [`Error`], [`error::ProviderError`], [`error::DecodeError`], [`error::ErrorCode`] |
//! | `testing` | (feature `testing`) `MockGateway`, a mock Pivot gateway on loopback, scripted per `Operation` |
//!
//! # Quickstart: API mode, save the card, then charge the saved card
//!
//! ```no_run
//! use session_tokenize_client::card::{CardData, CardDetails, Cvc};
//! use session_tokenize_client::model::customer::Customer;
//! use session_tokenize_client::model::session::*;
//! use session_tokenize_client::model::Amount;
//! use session_tokenize_client::{Client, Credentials};
//!
//! # async fn demo() -> Result<(), session_tokenize_client::Error> {
//! let client = Client::builder(Credentials::sandbox("client-id", "client-secret")).build()?;
//! let order = || {
//!     OrderInformation::new([ProductDetail::new(ProductType::Physical, 1, Amount::idr(10_000))
//!         .name("Dress Kasual Warna Putih")])
//! };
//! let urls = RedirectUrl::new(
//!     "https://merchant.com/success",
//!     "https://merchant.com/failure",
//!     "https://merchant.com/expiration",
//! );
//!
//! // 1. Create the session in API mode: it returns an RSA encryption key.
//! let session = client
//!     .create_payment_session(&CreatePaymentSession::api_save_card(
//!         "ORDER-1",
//!         Amount::idr(10_000),
//!         Customer::new("reforza@pivot-payment.com").given_name("Reforza Jordan"),
//!         order(),
//!         urls.clone(),
//!     ))
//!     .await?;
//!
//! // 2. Encrypt the card with it and confirm; send the shopper to the 3DS page.
//! let card = CardDetails::new("4440 0001 1220 0001", 1, 29, "123", "Reforza Jordan")?;
//! let encrypted = session.encryption_key()?.encrypt(&CardData::new(card))?;
//! let options = PaymentMethodOptions::card(
//!     CardOptions::new()
//!         .capture_method(CaptureMethod::Automatic)
//!         .three_ds_method(ThreeDsMethod::Challenge),
//! );
//! let confirmed = client
//!     .confirm_payment_session(
//!         &session.id,
//!         &ConfirmPaymentSession::encrypted_card(encrypted, options),
//!     )
//!     .await?;
//! println!("3DS page: {:?}", confirmed.payment_url);
//!
//! // 3. Later: charge the stored card with the CVC the shopper types.
//! let customer_id = session.customer_id.clone().unwrap_or_default();
//! let customer = client.get_customer(&customer_id).await?;
//! if let Some(saved) = customer.active_cards().next() {
//!     let again = client
//!         .create_payment_session(
//!             &CreatePaymentSession::api_saved_card(
//!                 "ORDER-2",
//!                 Amount::idr(10_000),
//!                 &customer_id,
//!                 order(),
//!                 &saved.token,
//!                 Cvc::new("123")?,
//!             )
//!             .redirect_url(urls),
//!         )
//!         .await?;
//!     println!("3DS page: {:?}", again.payment_url);
//! }
//! # Ok(()) }
//! ```
//!
//! Before fulfilling an order, confirm the payment from the API, not from the callback body:
//! see [`webhook`].
//!
//! # Features
//!
//! * `rustls` (default): TLS through rustls.
//! * `native-tls`: TLS through the platform library.
//! * `testing`: `testing::MockGateway`, a mock Pivot gateway on loopback for your tests.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod card;
pub mod client;
mod de;
mod decode;
pub mod error;
pub mod model;
mod scrub;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
pub mod webhook;

pub use auth::{Credentials, Environment, RequestId};
pub use client::{Client, ClientBuilder};
pub use error::{DecodeError, Error, ProviderError};
pub use secrecy;
pub use secrecy::SecretString;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
