//! Request signing and webhook verification primitives shared by the payment-gateway
//! client crates of this workspace.
//!
//! Every function here is **pure**: it takes all of its inputs — secrets, bodies, URIs and the
//! current time — as arguments and never reads the clock, the environment or the network. That
//! makes signatures reproducible in tests and snapshots, and keeps this crate small enough to
//! audit. No function panics on any input.
//!
//! # Module map
//!
//! | module | what it holds |
//! |---|---|
//! | [`digest`] | SHA-512 / SHA-1 / MD5 hex digests, HMAC-SHA512 / HMAC-SHA256 (raw and base64), constant-time comparison |
//! | [`http`] | `Authorization: Basic` values, RFC 7231 date formatting, lenient inbound date parsing, timestamp tolerance |
//! | [`ixopay`] | the IXOPAY-platform `X-Signature` request signature (Cardflo) |
//! | [`fondy`] | the Fondy-protocol `sha1(secret\|v1\|v2…)` signature and its protocol 2.0 variant (Flitt) |
//! | [`portone`] | HS256 JWTs and the Go-`url.Values` canonical form + HMAC-SHA256 `signature_hash` (PortOne) |
//! | [`standard_webhooks`] | Standard Webhooks v1 signing and verification (Moment) |
//!
//! Secrets are handled with the [`secrecy`] crate, re-exported here so that provider crates and
//! their users name one version of it.
//!
//! # Example
//!
//! ```
//! use payments_signing::ixopay::{self, SignatureInput};
//!
//! let body = br#"{"merchantTransactionId":"2019-09-02-0004","amount":"9.99","currency":"EUR"}"#;
//! let input = SignatureInput {
//!     method: "POST",
//!     body,
//!     content_type: "application/json; charset=utf-8",
//!     date: "Tue, 21 Jul 2020 13:15:03 UTC",
//!     request_uri: "/api/v3/transaction/my-api-key/debit",
//! };
//! assert_eq!(
//!     ixopay::sign("my-shared-secret", &input),
//!     "nL+8FBKWx4/pahYScKs/dRYPBEWjiBalRaWKHGtxLpELmLrgJ/+dSWjt6dZNuu6oF18NyWEU8tXLEVm2mtEapg=="
//! );
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod digest;
pub mod fondy;
pub mod http;
pub mod ixopay;
pub mod portone;
pub mod standard_webhooks;

pub use secrecy;
