//! A typed async client for **PortOne** (`api.portone.cloud`, formerly Chaipay), the
//! South-East-Asian payment orchestration platform behind the PortOne Flutter, Android, iOS and
//! React Native SDKs: one API in front of card acquirers, wallets, bank transfers, QR and BNPL
//! channels. This crate does from a merchant backend what the SDKs' methods do.
//!
//! (This is not the Korean PortOne API at `api.portone.io`, which only shares the name.)
//!
//! * **Authentication** is built in: every call that needs it carries a fresh HS256 JWT minted
//!   from the client's clock and the `X-Portone-Client-Key` header; payment requests carry a
//!   `signature_hash` computed by the client ([`auth`]).
//! * **Money** is [`rust_decimal::Decimal`] in major units, sent as a JSON number and signed in
//!   the shortest decimal form of exactly the number sent.
//! * **Safety**: payment, capture and refund calls are never retried; a failure that may have
//!   reached PortOne is [`Error::Ambiguous`] ([`Error::may_have_been_processed`]) and
//!   [`Client::transaction_status`] is the reconciliation call. Secrets, tokens and card data
//!   never appear in `Debug`, errors or logs; card numbers leave the process only encrypted.
//! * **Inbound messages** — redirects and webhooks — are verified in constant time before they
//!   are parsed ([`webhook`]).
//! * **Exact requests**: every operation has a `prepare_*` twin returning the
//!   `http::Request<Vec<u8>>` it would send (same code path), for snapshot tests and
//!   benchmarks; every answer has its public decoder in [`decode`].
//! * **Bounded input**: answers larger than [`ClientBuilder::max_response_bytes`] (default
//!   4 MiB) are refused without being buffered ([`Error::ResponseTooLarge`]); JSON nested
//!   deeper than 128 levels is refused before it is parsed.
//!
//! # Module map
//!
//! | module | what it holds |
//! |---|---|
//! | [`Client`], [`ClientBuilder`] | one async method per operation |
//! | [`auth`] | credentials, JWT minting, the payment `signature_hash` |
//! | [`model`] | requests and responses, one module per API area |
//! | [`decode`] | the decoder of each operation's answer, from status, headers and body |
//! | [`webhook`] | redirect and webhook verification, signing helpers for tests |
//! | [`error`] | [`Error`] and what each kind means for retrying |
//! | `testing` (feature `testing`) | a mock PortOne on loopback for your tests |
//!
//! # Operations
//!
//! | method | endpoint |
//! |---|---|
//! | [`Client::auth_token`] | `POST /api/merchant/auth-token` |
//! | [`Client::payment_methods`] | `GET /merchants/{key}/paymethodsbyKey` |
//! | [`Client::create_payment_link`] | `POST /api/paymentLink` (hosted checkout) |
//! | [`Client::initiate_payment`] | `POST /api/initiatePayment` (direct payment) |
//! | [`Client::card_public_key`], [`Client::tokenize_card`], [`Client::checkout_with_new_card`] | `/api/tokenization/…`, then `initiatePayment` |
//! | [`Client::send_otp`], [`Client::saved_cards`] | `POST /api/verification/generateOTP/{phone}`, `GET /api/user/{phone}/savedCard` |
//! | [`Client::add_customer`], [`Client::customer`] | `/api/merchant/{key}/customer` |
//! | [`Client::add_card_for_customer`], [`Client::list_cards`], [`Client::delete_card`] | `/api/customer/{key}/{uuid}/…` |
//! | [`Client::capture`] | `POST /api/transaction/{order_ref}/capture` |
//! | [`Client::routes`] | `GET /api/txn-router/{key}/routes` |
//! | [`Client::transaction_status`] | `GET /api/transaction/{merchant_order_ref}/status` |
//! | [`Client::transaction_details`] | `POST /api/{key}/transaction-details` |
//! | [`Client::refund`], [`Client::refunds`] | `POST`/`GET /api/refund/{order_ref}` |
//! | [`Client::payment_link_status`], [`Client::cancel_payment_link`] | `/api/paymentLink/{ref}/…` |
//!
//! # Quickstart
//!
//! ```no_run
//! use portone_client::model::checkout::{CheckoutRequest, MerchantDetails, OrderItem, RedirectUrls};
//! use portone_client::webhook::{Event, Verifier};
//! use portone_client::{Client, Credentials, Decimal, Environment};
//! use secrecy::SecretString;
//!
//! # async fn run() -> Result<(), portone_client::Error> {
//! let secret = SecretString::from(std::env::var("PORTONE_SECRET_KEY").unwrap_or_default());
//! let client = Client::builder(Credentials::new("your PortOne key", secret.clone()))
//!     .environment(Environment::Sandbox)
//!     .build()?;
//!
//! // A hosted checkout: items 19010 + shipping 10000 − discount 10000 = 19010.
//! let request = CheckoutRequest::new(
//!     "order-0001",
//!     Decimal::new(19010, 0),
//!     "VND",
//!     "VN",
//!     MerchantDetails::new("Curo Sports")
//!         .shipping_charges(Decimal::new(10000, 0))
//!         .promo_discount(Decimal::new(10000, 0)),
//!     RedirectUrls::new("https://shop.example/success", "https://shop.example/failure"),
//! )
//! .order_item(OrderItem::new("product_001", "Hand Gloves", Decimal::new(19010, 0), 1));
//!
//! match client.create_payment_link(&request).await {
//!     Ok(link) => println!("send the customer to {}", link.payment_link),
//!     Err(e) if e.may_have_been_processed() => {
//!         // Do not create another link blindly: look the order up first.
//!         let status = client.transaction_status("order-0001").await?;
//!         println!("status after an ambiguous failure: {:?}", status.status);
//!     }
//!     Err(e) => return Err(e),
//! }
//!
//! // Later, when the customer comes back to the success URL:
//! # let incoming: http::Request<Vec<u8>> = http::Request::default();
//! if let Event::Redirect(redirect) = Verifier::new(secret).verify(&incoming)? {
//!     println!("order {} is {}", redirect.merchant_order_ref, redirect.status);
//! }
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! * `rustls` (default) / `native-tls`: the TLS backend.
//! * `testing`: [`testing::MockGateway`](crate::testing), a mock PortOne for your tests.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod client;
pub mod decode;
pub mod error;
mod lenient;
pub mod model;
mod scrub;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod transport;
pub mod webhook;

pub use auth::Credentials;
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES, DEFAULT_RETRY_MAX_DELAY, DEFAULT_RETRY_MIN_DELAY, DEFAULT_TIMEOUT,
    SavedCardsAccess,
};
pub use error::Error;
pub use model::Environment;
pub use rust_decimal::Decimal;
pub use secrecy;
pub use secrecy::SecretString;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
