//! A typed async client for [Flitt](https://flitt.com), the card-acquiring gateway that speaks
//! the Fondy (Cloudipsp) merchant protocol.
//!
//! Every Flitt call is an HTTPS `POST` of a flat parameter map signed with the merchant's key
//! (SHA-1 over the values in key order, or over base64 JSON for protocol 2.0). Amounts are
//! integers in minor units (`1020` GEL is 10 lari 20 tetri) and flags are `"Y"`/`"N"`. This
//! crate builds and signs those requests, validates the documented limits before sending,
//! **verifies the signature of every answer over all of its fields** before decoding it, and
//! tells you, when a call fails, whether the payment may nevertheless have happened.
//!
//! # Quickstart
//!
//! ```no_run
//! use flitt_client::{Client, Credentials, Currency};
//! use flitt_client::model::{checkout::CheckoutRequest, order::StatusRequest, recurring::RecurringRequest};
//!
//! # async fn run() -> Result<(), flitt_client::Error> {
//! // Flitt's public test merchant; use your merchant id and payment key in production.
//! let client = Client::builder(Credentials::test_merchant()).build()?;
//!
//! // 1. A hosted payment page that also saves the card.
//! let page = client
//!     .checkout_url(
//!         &CheckoutRequest::new("order-1001", "Coffee beans", 2500, Currency::GEL)
//!             .required_rectoken(true)
//!             .server_callback_url("https://shop.example/flitt/callback"),
//!     )
//!     .await?;
//! // redirect the customer to page.checkout_url; the callback carries a `rectoken`.
//!
//! // 2. Later, charge the saved card.
//! let charge = RecurringRequest::new("order-1002", "Refill", 2500, Currency::GEL, "<rectoken>");
//! match client.recurring(&charge).await {
//!     Ok(order) if order.is_approved() => { /* fulfil */ }
//!     Ok(order) => { let _why = order.decline(); }
//!     Err(e) if e.may_have_been_processed() => {
//!         // Never charge again blindly: ask Flitt what happened to this order_id.
//!         let _order = client.order_status(&StatusRequest::new(charge.order_id())).await?;
//!     }
//!     Err(e) => return Err(e),
//! }
//! # let _ = page;
//! # Ok(())
//! # }
//! ```
//!
//! # Modules
//!
//! | module | what it holds |
//! |---|---|
//! | [`client`] | [`Client`], [`ClientBuilder`]: one async method per operation, plus `prepare_*` and `decode_*_response` for each |
//! | [`model`] | requests (validated builders) and responses (typed, lenient), one file per area |
//! | [`auth`] | [`Credentials`], the request/response signature built on `payments-signing`, and [`auth::verify_response`] |
//! | [`webhook`] | verify, then parse, `server_callback_url` notifications; `acknowledge()`; `sign_notification` and other signing helpers for tests |
//! | [`error`] | [`Error`] with `may_have_been_processed()`, `is_retryable()`, `status()`, `provider_code()`, `error_code()`, `retry_after()` |
//! | `testing` | (feature `testing`) `MockGateway`, a mock Flitt on loopback for your tests, scripted per `Operation`, recording every request |
//!
//! # Operations
//!
//! | method | endpoint | retried automatically |
//! |---|---|---|
//! | [`Client::checkout_url`] / [`Client::checkout_token`] | `checkout/url`, `checkout/token` | never |
//! | [`Client::recurring`] | `recurring` | never |
//! | [`Client::order_status`] | `status/order_id` | yes |
//! | [`Client::reverse`] | `reverse/order_id` | yes, with the same `reverse_id` |
//! | [`Client::capture`] | `capture/order_id` | yes (same amount) |
//! | [`Client::p2p_credit`] | `p2pcredit` (credit key) | never |
//! | [`Client::three_ds_step1`] / [`Client::three_ds_step2`] | `3dsecure_step1`, `3dsecure_step2` | never |
//! | [`Client::subscription`] | `subscription` | yes |
//! | [`Client::transaction_list`] | `transaction_list` | yes |
//! | [`Client::settlement`] | `settlement` (protocol 2.0) | never |
//!
//! # Requests without the network
//!
//! Every operation has a `prepare_*` twin returning the exact [`http::Request`] it would send —
//! URL, headers and signed body, byte for byte, built by the code the operation sends with —
//! for snapshot tests and for measuring the client's own cost, and a `decode_*_response` twin
//! that interprets an answer you received yourself (status, headers, raw body) with the
//! operation's code.
//!
//! ```
//! use flitt_client::{Client, Credentials, Currency, model::recurring::RecurringRequest};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), flitt_client::Error> {
//! let client = Client::builder(Credentials::test_merchant()).build()?;
//! let charge = RecurringRequest::new("order-1002", "Refill", 2500, Currency::GEL, "<rectoken>");
//! let request = client.prepare_recurring(&charge).await?;
//! assert_eq!(request.uri(), "https://pay.flitt.com/api/recurring");
//! # Ok(())
//! # }
//! ```
//!
//! # Limits
//!
//! Answers are read up to [`ClientBuilder::max_response_bytes`] (4 MiB by default): a larger
//! body is refused as soon as its `Content-Length`, or the bytes read so far, pass the limit
//! ([`Error::ResponseTooLarge`]), without reading the rest. JSON nested deeper than
//! `serde_json`'s recursion limit is a decode error, never a stack overflow.
//!
//! # Security
//!
//! Keys are [`secrecy::SecretString`]s; card numbers and CVV2 live in
//! [`model::card`] types whose `Debug` is redacted. Errors keep only scrubbed excerpts of
//! bodies, and traces (one `tracing` span per call) carry the operation, order id and merchant
//! id — never keys, card data or bodies.
//!
//! # Features
//!
//! * `rustls` (default) / `native-tls`: the TLS implementation.
//! * `testing`: `testing::MockGateway`, a mock Flitt for your own tests.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod client;
pub mod error;
pub mod model;
mod params;
mod response;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
pub mod webhook;

pub use auth::Credentials;
pub use client::{Client, ClientBuilder};
pub use error::{Error, Result};
pub use model::{Currency, ErrorCode, OrderStatus, ProtocolVersion};
pub use secrecy;
pub use secrecy::SecretString;

/// The README's examples, compiled with the doc tests.
#[cfg(all(doctest, feature = "testing"))]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
