//! A typed async client for the **Cardflo Transaction API v3**.
//!
//! Cardflo (`https://gateway.cardflo.io/api/v3`) runs the IXOPAY payment platform: one JSON API
//! for card and alternative payments (debits, preauthorizations and captures, refunds,
//! payouts, stored instruments, recurring schedules), with signed asynchronous notifications
//! that are the source of truth for every payment. The same API serves IXOPAY's other
//! white-labels; point [`ClientBuilder::base_url`] at theirs.
//!
//! What this crate does for you:
//!
//! * **Authentication and signing.** HTTP Basic on every request and, when the connector has
//!   request signing enabled, the `X-Signature` HMAC-SHA512 over the exact bytes sent, with
//!   `Date`/`X-Date` from an injectable clock ([`auth`]).
//! * **Every operation, typed.** Requests validate the documented limits before anything is
//!   sent ([`Error::InvalidRequest`]); answers are read leniently (the gateway is inconsistent
//!   about strings and numbers) and decode errors name the failing field.
//! * **No double charges.** Payment calls are never retried. A timeout, a lost connection or a
//!   5xx after sending is [`Error::Ambiguous`]; [`Client::reconcile`] tells you what happened.
//!   Read-only calls retry with jittered backoff, honouring `Retry-After`.
//! * **Notifications.** [`webhook::Verifier`] checks signature and date over the raw request,
//!   then parses a typed [`model::Notification`].
//! * **Secrets stay secret.** Passwords and shared secrets are [`secrecy::SecretString`]; IBANs
//!   and tokens are [`model::Sensitive`]; errors carry scrubbed excerpts only.
//! * **The exact request, before sending.** Every operation has a `prepare_*` twin (e.g.
//!   [`Client::prepare_debit`]) returning the `http::Request<Vec<u8>>` it would send now —
//!   method, URL, every header, signature included, and the body bytes. The operation sends
//!   what this builds, so snapshot tests of `prepare_*` are snapshots of the wire.
//! * **Bounded reading.** Answers larger than [`ClientBuilder::max_response_bytes`] (default
//!   4 MiB) are refused without being buffered ([`Error::ResponseTooLarge`]); JSON nested deeper
//!   than 128 levels is a decode error, never a stack overflow.
//! * **Inbound parsers as functions.** What the client and the verifier run on raw bytes is
//!   public: [`model::TransactionResponse::from_response`] (and the same on
//!   [`model::StatusResponse`], [`model::ScheduleResponse`], [`model::OptionsResponse`]),
//!   [`webhook::Verifier::verify_parts`] and [`webhook::parse`]. They are property-tested and
//!   fuzzed.
//! * **Tests.** The `testing` feature has a mock gateway on loopback that records every request.
//!
//! # Quickstart
//!
//! ```no_run
//! use cardflo_client::{Amount, Client, Error, SecretString};
//! use cardflo_client::auth::{Connector, Credentials};
//! use cardflo_client::model::{DebitRequest, Reconciliation, TransactionOutcome};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::builder(
//!     Credentials::new("api-user", SecretString::from("api-password")),
//!     Connector::new("api-key").shared_secret(SecretString::from("shared-secret")),
//! )
//! .build()?;
//!
//! // A unique merchantTransactionId per attempt; reusing one is error 3004.
//! let debit = DebitRequest::new("order-1001-1", "9.99".parse::<Amount>()?, "EUR")
//!     .transaction_token("ix::tRaNsAcT1OnToK3N")
//!     .success_url("https://shop.example/success")
//!     .cancel_url("https://shop.example/cancel")
//!     .error_url("https://shop.example/error")
//!     .callback_url("https://shop.example/cardflo/notifications");
//!
//! match client.debit(&debit).await {
//!     Ok(response) => match response.outcome {
//!         TransactionOutcome::Finished => println!("paid: {:?}", response.uuid),
//!         TransactionOutcome::Redirect(redirect) => println!("send the customer to {}", redirect.url),
//!         TransactionOutcome::Pending => println!("wait for the notification"),
//!         TransactionOutcome::Error { errors } => println!("declined: {errors:?}"),
//!         other => println!("check the status: {other:?}"),
//!     },
//!     // Timeout, lost connection, 5xx: the payment may exist. Never just retry.
//!     Err(e) if e.may_have_been_processed() => match client.reconcile(&debit.merchant_transaction_id).await? {
//!         Reconciliation::NotFound => println!("never happened; safe to send again"),
//!         Reconciliation::Found(status) => println!("it happened: {:?}", status.transaction_status),
//!         _ => {}
//!     },
//!     Err(e) => return Err(e),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Module map
//!
//! | module | what it holds |
//! |---|---|
//! | [`Client`], [`ClientBuilder`] | configuration; one async method per operation and its `prepare_*` twin |
//! | [`Operation`] | the operations: name, method, read-only or state-changing |
//! | [`auth`] | [`auth::Credentials`], [`auth::Connector`] and how requests are signed |
//! | [`model`] | requests, answers (`from_response`), notifications, [`Amount`], [`model::ErrorCode`] |
//! | [`webhook`] | [`webhook::Verifier`], [`webhook::parse`], [`webhook::acknowledge`], [`webhook::sign_notification`] |
//! | [`error`] | [`Error`] and what each kind means for retrying and reconciling |
//! | [`secrecy`], [`SecretString`] | re-exported: the type of every secret |
//! | `testing` | (feature `testing`) `testing::MockGateway`, a mock gateway on loopback |
//!
//! # Operations
//!
//! Each method `x` has a twin `prepare_x` with the same arguments (for example
//! [`Client::prepare_debit`]) that builds the request without sending it.
//!
//! | operation | method | retried |
//! |---|---|---|
//! | `POST /transaction/{apiKey}/debit` | [`Client::debit`] | never |
//! | `POST /transaction/{apiKey}/preauthorize` | [`Client::preauthorize`] | never |
//! | `POST /transaction/{apiKey}/capture` | [`Client::capture`] | never |
//! | `POST /transaction/{apiKey}/void` | [`Client::void`] | never |
//! | `POST /transaction/{apiKey}/register` | [`Client::register`] | never |
//! | `POST /transaction/{apiKey}/deregister` | [`Client::deregister`] | never |
//! | `POST /transaction/{apiKey}/refund` | [`Client::refund`] | never |
//! | `POST /transaction/{apiKey}/payout` | [`Client::payout`] | never |
//! | `POST /transaction/{apiKey}/incrementalAuthorization` | [`Client::incremental_authorization`] | never |
//! | `GET /status/{apiKey}/getByUuid/{uuid}` | [`Client::status_by_uuid`] | yes |
//! | `GET /status/{apiKey}/getByMerchantTransactionId/{id}` | [`Client::status_by_merchant_transaction_id`], [`Client::reconcile`] | yes |
//! | `POST /schedule/{apiKey}/start` | [`Client::start_schedule`] | never |
//! | `POST /schedule/{apiKey}/{scheduleId}/update` | [`Client::update_schedule`] | never |
//! | `GET /schedule/{apiKey}/{scheduleId}/get` | [`Client::get_schedule`] | yes |
//! | `POST /schedule/{apiKey}/{scheduleId}/pause` | [`Client::pause_schedule`] | never |
//! | `POST /schedule/{apiKey}/{scheduleId}/continue` | [`Client::continue_schedule`] | never |
//! | `POST /schedule/{apiKey}/{scheduleId}/cancel` | [`Client::cancel_schedule`] | never |
//! | `POST /options/{apiKey}/{optionsName}` | [`Client::options`] | yes |
//!
//! # Features
//!
//! * `rustls` (default): TLS through rustls.
//! * `native-tls`: TLS through the platform's library.
//! * `testing`: the `testing` module.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod client;
mod de;
pub mod error;
pub mod model;
mod operation;
mod response;
mod scrub;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod validate;
pub mod webhook;

pub use client::{
    Client, ClientBuilder, Clock, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_RETRY_MAX_DELAY,
    DEFAULT_RETRY_MIN_DELAY, DEFAULT_TIMEOUT,
};
pub use error::Error;
pub use model::Amount;
pub use operation::Operation;
pub use secrecy;
pub use secrecy::SecretString;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
