//! Decoding PortOne's answers from their raw parts: one function per operation, the same code
//! the [`Client`](crate::Client) runs on every answer it receives.
//!
//! Each function takes the HTTP status, the headers and the body bytes and returns what the
//! operation returns — or the [`Error`] the client would have returned: a non-2xx answer
//! becomes [`Error::Provider`] (or [`Error::Ambiguous`] for a 5xx answer to a call that is not
//! idempotent), a 2xx answer that reports a failure in its body becomes [`Error::Provider`], and
//! a body that does not decode becomes [`Error::Decode`] naming the failing field. Use them for
//! answers obtained another way (a recorded response, an outbound proxy, a queue), and in tests.
//!
//! A body nested more than 128 levels deep is refused before it is parsed (a decode error,
//! never a stack overflow). Errors carry scrubbed excerpts only (credential-shaped fields,
//! JWTs and card-number-like digit runs removed); the client additionally removes its own
//! credentials and tokens by value.
//!
//! ```
//! use http::{HeaderMap, StatusCode};
//! use portone_client::decode;
//!
//! // The documented answer to a hosted checkout.
//! let body = br#"{"payment_link_ref":"2BEemUknaImTq5ljmoNQQV2tSll","payment_link":"https://checkout.portone.cloud?ref=2BEemUknaImTq5ljmoNQQV2tSll"}"#;
//! let link = decode::create_payment_link(StatusCode::OK, &HeaderMap::new(), body)?;
//! assert_eq!(link.payment_link_ref, "2BEemUknaImTq5ljmoNQQV2tSll");
//!
//! // A 502 page from a load balancer in front of PortOne, answering a payment request.
//! let err = decode::initiate_payment(StatusCode::BAD_GATEWAY, &HeaderMap::new(), b"<html>502</html>")
//!     .unwrap_err();
//! assert!(err.may_have_been_processed());
//!
//! // A body that is not what PortOne documents.
//! let err = decode::transaction_status(StatusCode::OK, &HeaderMap::new(), b"{\"content\":[").unwrap_err();
//! assert!(err.as_decode().is_some());
//! # Ok::<(), portone_client::Error>(())
//! ```

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, ProviderError};
use crate::lenient;
use crate::model::card::{
    CardList, PublicKey, PublicKeyContent, SavedCard, SavedCards, SavedCardsContent,
    SavedCardsWire, SecretToken, TokenizedCard,
};
use crate::model::checkout::{PaymentLink, PaymentResponse};
use crate::model::customer::Customer;
use crate::model::payment_link::PaymentLinkState;
use crate::model::payment_methods::{PaymentMethod, PaymentMethods};
use crate::model::refund::Refunds;
use crate::model::routing::{Route, RoutesContent};
use crate::model::token::{AuthToken, AuthTokenWire};
use crate::model::transaction::{OrderStatus, Transaction};
use crate::model::{Acknowledgement, CodeClass, Envelope, ResultCode, StatusReason};
use crate::scrub;
use crate::transport::Known;

/// An operation's name and whether it may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Op {
    /// The method name on `Client`.
    pub(crate) name: &'static str,
    /// Reads: retried on connection errors, 429 and 5xx. Payments, captures, refunds and
    /// writes are sent once; their ambiguous failures are reported.
    pub(crate) idempotent: bool,
}

/// Every operation.
pub(crate) mod op {
    use super::Op;

    const fn read(name: &'static str) -> Op {
        Op {
            name,
            idempotent: true,
        }
    }

    const fn once(name: &'static str) -> Op {
        Op {
            name,
            idempotent: false,
        }
    }

    pub(crate) const AUTH_TOKEN: Op = read("auth_token");
    pub(crate) const PAYMENT_METHODS: Op = read("payment_methods");
    pub(crate) const CREATE_PAYMENT_LINK: Op = once("create_payment_link");
    pub(crate) const INITIATE_PAYMENT: Op = once("initiate_payment");
    pub(crate) const CARD_PUBLIC_KEY: Op = read("card_public_key");
    pub(crate) const TOKENIZE_CARD: Op = once("tokenize_card");
    pub(crate) const SEND_OTP: Op = once("send_otp");
    pub(crate) const SAVED_CARDS: Op = read("saved_cards");
    pub(crate) const ADD_CUSTOMER: Op = once("add_customer");
    pub(crate) const CUSTOMER: Op = read("customer");
    pub(crate) const ADD_CARD_FOR_CUSTOMER: Op = once("add_card_for_customer");
    pub(crate) const LIST_CARDS: Op = read("list_cards");
    pub(crate) const DELETE_CARD: Op = once("delete_card");
    pub(crate) const CAPTURE: Op = once("capture");
    pub(crate) const ROUTES: Op = read("routes");
    pub(crate) const TRANSACTION_STATUS: Op = read("transaction_status");
    pub(crate) const TRANSACTION_DETAILS: Op = read("transaction_details");
    pub(crate) const REFUND: Op = once("refund");
    pub(crate) const REFUNDS: Op = read("refunds");
    pub(crate) const PAYMENT_LINK_STATUS: Op = read("payment_link_status");
    pub(crate) const CANCEL_PAYMENT_LINK: Op = once("cancel_payment_link");
}

/// What decoding needs besides the answer: the exact strings to scrub from excerpts (the
/// client's credentials and the token it sent) and the time to read a `Retry-After` date
/// against.
pub(crate) struct Context<'a> {
    pub(crate) known: Known<'a>,
    /// The client's clock (`None`: the system clock), read only when an answer needs it.
    clock: Option<&'a (dyn Fn() -> SystemTime + Send + Sync)>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        known: Known<'a>,
        clock: Option<&'a (dyn Fn() -> SystemTime + Send + Sync)>,
    ) -> Self {
        Self { known, clock }
    }

    /// The time now, by the client's clock.
    fn now(&self) -> SystemTime {
        match self.clock {
            Some(clock) => clock(),
            None => SystemTime::now(),
        }
    }
}

impl Context<'static> {
    /// Outside a client: nothing known to scrub by value, the system clock.
    fn standalone() -> Self {
        Self {
            known: Known::none(),
            clock: None,
        }
    }
}

/// The raw parts of an answer.
#[derive(Clone, Copy)]
pub(crate) struct Raw<'a> {
    pub(crate) status: StatusCode,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// The error fields of any PortOne body.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    message: Option<String>,
    #[serde(default)]
    status_code: Option<ResultCode>,
    #[serde(default, alias = "status_message")]
    status_reason: Option<StatusReason>,
    /// Read through [`ErrorProbe`]; kept so that `ErrorBody` decodes exactly the bodies it did.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    #[allow(dead_code)]
    is_success: Option<bool>,
}

/// The error for a non-2xx answer; `Ok` for a 2xx one.
pub(crate) fn error_for_status(op: Op, ctx: &Context<'_>, raw: Raw<'_>) -> Result<(), Error> {
    if raw.status.is_success() {
        return Ok(());
    }
    let parsed: ErrorBody = serde_json::from_slice(raw.body).unwrap_or_default();
    if raw.status.is_server_error() && !op.idempotent {
        return Err(Error::Ambiguous {
            operation: op.name,
            reason: format!("HTTP {}", raw.status),
            status: Some(raw.status),
            provider_code: parsed.status_code,
            idempotent: op.idempotent,
            source: None,
        });
    }
    Err(provider_error(op, ctx, raw, parsed))
}

fn provider_error(op: Op, ctx: &Context<'_>, raw: Raw<'_>, parsed: ErrorBody) -> Error {
    // Seconds, or an HTTP date (compared with the client's clock).
    let retry_after = raw
        .headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let now = ctx.now();
            let v = v.trim();
            v.parse::<u64>().ok().map(Duration::from_secs).or_else(|| {
                httpdate::parse_http_date(v)
                    .ok()
                    .map(|at| at.duration_since(now).unwrap_or(Duration::ZERO))
            })
        });
    Error::Provider(Box::new(ProviderError {
        operation: op.name,
        status: raw.status,
        code: parsed.status_code,
        reason: parsed.status_reason,
        message: parsed.message.map(|m| scrub::scrub_text(&m, &ctx.known)),
        body: scrub::excerpt(raw.body, &ctx.known),
        retry_after,
        idempotent: op.idempotent,
    }))
}

/// What [`check_success`] reads of a body: the fields of [`ErrorBody`], with the same names,
/// alias, defaults and leniency (so it decodes exactly the bodies `ErrorBody` decodes), borrowed
/// from the body instead of copied.
#[derive(Deserialize)]
struct ErrorProbe<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::opt_text")]
    #[allow(dead_code)]
    message: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::opt_text")]
    status_code: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        alias = "status_message",
        deserialize_with = "lenient::opt_str"
    )]
    #[allow(dead_code)]
    status_reason: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    is_success: Option<bool>,
}

/// A 2xx answer whose body reports a failure (`is_success: false`, or a 4xxx–8xxx
/// `status_code`) becomes a provider error.
fn check_success(op: Op, ctx: &Context<'_>, raw: Raw<'_>) -> Result<(), Error> {
    let Ok(probe) = serde_json::from_slice::<ErrorProbe<'_>>(raw.body) else {
        return Ok(());
    };
    let failed_code = probe.status_code.as_deref().is_some_and(|c| {
        !matches!(
            ResultCode::class_of(c),
            CodeClass::Success | CodeClass::Pending | CodeClass::Unknown
        )
    });
    if probe.is_success == Some(false) || failed_code {
        // The probe decoded, so `ErrorBody` does too, with the same values.
        let parsed: ErrorBody = serde_json::from_slice(raw.body).unwrap_or_default();
        let raw = Raw {
            headers: &HeaderMap::new(),
            ..raw
        };
        return Err(provider_error(op, ctx, raw, parsed));
    }
    Ok(())
}

fn decode_error(op: Op, ctx: &Context<'_>, raw: Raw<'_>, path: String, message: String) -> Error {
    Error::Decode(Box::new(DecodeError {
        operation: op.name,
        status: raw.status,
        path,
        message: scrub::scrub_text(&message, &ctx.known),
        excerpt: scrub::excerpt(raw.body, &ctx.known),
    }))
}

/// Decodes a whole body, naming the failing field.
fn document<T: DeserializeOwned>(op: Op, ctx: &Context<'_>, raw: Raw<'_>) -> Result<T, Error> {
    if lenient::nested_deeper_than(raw.body, lenient::MAX_JSON_DEPTH) {
        let message = format!(
            "the body is nested deeper than {} levels",
            lenient::MAX_JSON_DEPTH
        );
        return Err(decode_error(op, ctx, raw, ".".into(), message));
    }
    // Plain serde_json first; only a body that fails is decoded again, with path tracking, for
    // the error (decoding is deterministic: it fails at the same place, with the same error).
    let mut de = serde_json::Deserializer::from_slice(raw.body);
    if let Ok(value) = T::deserialize(&mut de)
        && de.end().is_ok()
    {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(raw.body);
    let result = serde_path_to_error::deserialize::<_, T>(&mut de)
        .map_err(|err| (err.path().to_string(), err.into_inner()))
        .and_then(|value| de.end().map(|()| value).map_err(|e| (".".to_owned(), e)));
    result.map_err(|(path, inner)| {
        let message = if raw.body.iter().all(u8::is_ascii_whitespace) {
            "the body is empty".to_owned()
        } else if inner.is_eof() {
            format!("the body is truncated ({inner})")
        } else if inner.is_syntax() {
            format!("the body is not JSON ({inner})")
        } else {
            inner.to_string()
        };
        decode_error(op, ctx, raw, path, message)
    })
}

/// A flat answer (`{is_success, …}`, `{payment_link, …}`, `{refundDetails, …}`).
fn flat<T: DeserializeOwned>(op: Op, ctx: &Context<'_>, raw: Raw<'_>) -> Result<T, Error> {
    error_for_status(op, ctx, raw)?;
    check_success(op, ctx, raw)?;
    document(op, ctx, raw)
}

/// An answer in the `{content, message, status_code, status_reason}` envelope.
fn envelope<T: DeserializeOwned>(op: Op, ctx: &Context<'_>, raw: Raw<'_>) -> Result<T, Error> {
    error_for_status(op, ctx, raw)?;
    check_success(op, ctx, raw)?;
    document::<Envelope<T>>(op, ctx, raw).map(|e| e.content)
}

pub(crate) fn auth_token_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<AuthToken, Error> {
    let op = op::AUTH_TOKEN;
    let wire: AuthTokenWire = envelope(op, ctx, raw)?;
    let token = wire.token.ok_or_else(|| {
        decode_error(
            op,
            ctx,
            raw,
            "content.token".into(),
            "the token is null".into(),
        )
    })?;
    Ok(AuthToken {
        token,
        expires_in: wire.expires_in.map(Duration::from_secs),
    })
}

pub(crate) fn payment_methods_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<PaymentMethods, Error> {
    let op = op::PAYMENT_METHODS;
    // Documented without an envelope ({"CARD":[…], …}); accepted inside `content` too.
    let value: serde_json::Value = flat(op, ctx, raw)?;
    let groups = match value {
        serde_json::Value::Object(mut map) => match map.remove("content") {
            Some(serde_json::Value::Object(content)) => content,
            Some(other) => {
                map.insert("content".into(), other);
                map
            }
            None => map,
        },
        _ => {
            return Err(decode_error(
                op,
                ctx,
                raw,
                ".".into(),
                "the body is not a JSON object".into(),
            ));
        }
    };
    let mut methods = PaymentMethods::default();
    for (kind, items) in groups {
        if !items.is_array() {
            continue;
        }
        let list = match Vec::<PaymentMethod>::deserialize(&items) {
            Ok(list) => list,
            Err(_) => serde_path_to_error::deserialize(items).map_err(|e| {
                let path = format!("{kind}{}", e.path());
                decode_error(op, ctx, raw, path, e.inner().to_string())
            })?,
        };
        methods.by_type.insert(kind, list);
    }
    Ok(methods)
}

pub(crate) fn create_payment_link_in(
    ctx: &Context<'_>,
    raw: Raw<'_>,
) -> Result<PaymentLink, Error> {
    flat(op::CREATE_PAYMENT_LINK, ctx, raw)
}

pub(crate) fn initiate_payment_in(
    ctx: &Context<'_>,
    raw: Raw<'_>,
) -> Result<PaymentResponse, Error> {
    flat(op::INITIATE_PAYMENT, ctx, raw)
}

pub(crate) fn card_public_key_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<PublicKey, Error> {
    let op = op::CARD_PUBLIC_KEY;
    let content: PublicKeyContent = envelope(op, ctx, raw)?;
    PublicKey::parse(&content.public_key).map_err(|_| {
        decode_error(
            op,
            ctx,
            raw,
            "content.public_key".into(),
            "not a PEM or base64 DER RSA public key".into(),
        )
    })
}

pub(crate) fn tokenize_card_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<TokenizedCard, Error> {
    envelope(op::TOKENIZE_CARD, ctx, raw)
}

pub(crate) fn send_otp_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<Acknowledgement, Error> {
    flat(op::SEND_OTP, ctx, raw)
}

pub(crate) fn saved_cards_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<SavedCards, Error> {
    let wire: SavedCardsWire = flat(op::SAVED_CARDS, ctx, raw)?;
    let (cards, inner_token) = match wire.content {
        Some(SavedCardsContent::List(cards)) => (cards, None),
        Some(SavedCardsContent::Object { data, token }) => (data, token),
        None => (Vec::new(), None),
    };
    Ok(SavedCards {
        cards,
        token: wire.token.or(inner_token).map(SecretToken),
    })
}

pub(crate) fn add_customer_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<Customer, Error> {
    envelope(op::ADD_CUSTOMER, ctx, raw)
}

pub(crate) fn customer_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<Customer, Error> {
    envelope(op::CUSTOMER, ctx, raw)
}

pub(crate) fn add_card_for_customer_in(
    ctx: &Context<'_>,
    raw: Raw<'_>,
) -> Result<SavedCard, Error> {
    envelope(op::ADD_CARD_FOR_CUSTOMER, ctx, raw)
}

pub(crate) fn list_cards_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<Vec<SavedCard>, Error> {
    envelope::<CardList>(op::LIST_CARDS, ctx, raw).map(|list| list.data)
}

pub(crate) fn delete_card_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<Acknowledgement, Error> {
    flat(op::DELETE_CARD, ctx, raw)
}

pub(crate) fn capture_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<Acknowledgement, Error> {
    flat(op::CAPTURE, ctx, raw)
}

pub(crate) fn routes_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<Vec<Route>, Error> {
    envelope::<RoutesContent>(op::ROUTES, ctx, raw).map(RoutesContent::into_routes)
}

pub(crate) fn transaction_status_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<OrderStatus, Error> {
    envelope(op::TRANSACTION_STATUS, ctx, raw)
}

pub(crate) fn transaction_details_in(
    ctx: &Context<'_>,
    raw: Raw<'_>,
) -> Result<Transaction, Error> {
    envelope(op::TRANSACTION_DETAILS, ctx, raw)
}

pub(crate) fn refund_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<Refunds, Error> {
    flat(op::REFUND, ctx, raw)
}

pub(crate) fn refunds_in(ctx: &Context<'_>, raw: Raw<'_>) -> Result<Refunds, Error> {
    flat(op::REFUNDS, ctx, raw)
}

pub(crate) fn payment_link_status_in(
    ctx: &Context<'_>,
    raw: Raw<'_>,
) -> Result<PaymentLinkState, Error> {
    envelope(op::PAYMENT_LINK_STATUS, ctx, raw)
}

pub(crate) fn cancel_payment_link_in(
    ctx: &Context<'_>,
    raw: Raw<'_>,
) -> Result<Acknowledgement, Error> {
    flat(op::CANCEL_PAYMENT_LINK, ctx, raw)
}

/// Declares the public decoders, each calling its `_in` twin with a standalone context.
macro_rules! public_decoders {
    ($(
        $(#[$doc:meta])*
        $name:ident => $inner:ident -> $ty:ty;
    )+) => {
        $(
            $(#[$doc])*
            ///
            /// # Errors
            ///
            /// [`Error::Provider`] or [`Error::Ambiguous`] for an answer that reports a failure
            /// (see the [module docs](self)), [`Error::Decode`] for a body that does not decode.
            pub fn $name(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<$ty, Error> {
                $inner(&Context::standalone(), Raw { status, headers, body })
            }
        )+
    };
}

public_decoders! {
    /// The answer to [`Client::auth_token`](crate::Client::auth_token).
    auth_token => auth_token_in -> AuthToken;
    /// The answer to [`Client::payment_methods`](crate::Client::payment_methods) (with or
    /// without the `content` envelope).
    payment_methods => payment_methods_in -> PaymentMethods;
    /// The answer to [`Client::create_payment_link`](crate::Client::create_payment_link).
    create_payment_link => create_payment_link_in -> PaymentLink;
    /// The answer to [`Client::initiate_payment`](crate::Client::initiate_payment) (and the
    /// payment step of [`Client::checkout_with_new_card`](crate::Client::checkout_with_new_card)).
    initiate_payment => initiate_payment_in -> PaymentResponse;
    /// The answer to [`Client::card_public_key`](crate::Client::card_public_key).
    card_public_key => card_public_key_in -> PublicKey;
    /// The answer to [`Client::tokenize_card`](crate::Client::tokenize_card).
    tokenize_card => tokenize_card_in -> TokenizedCard;
    /// The answer to [`Client::send_otp`](crate::Client::send_otp).
    send_otp => send_otp_in -> Acknowledgement;
    /// The answer to [`Client::saved_cards`](crate::Client::saved_cards).
    saved_cards => saved_cards_in -> SavedCards;
    /// The answer to [`Client::add_customer`](crate::Client::add_customer).
    add_customer => add_customer_in -> Customer;
    /// The answer to [`Client::customer`](crate::Client::customer).
    customer => customer_in -> Customer;
    /// The answer to [`Client::add_card_for_customer`](crate::Client::add_card_for_customer).
    add_card_for_customer => add_card_for_customer_in -> SavedCard;
    /// The answer to [`Client::list_cards`](crate::Client::list_cards).
    list_cards => list_cards_in -> Vec<SavedCard>;
    /// The answer to [`Client::delete_card`](crate::Client::delete_card).
    delete_card => delete_card_in -> Acknowledgement;
    /// The answer to [`Client::capture`](crate::Client::capture).
    capture => capture_in -> Acknowledgement;
    /// The answer to [`Client::routes`](crate::Client::routes).
    routes => routes_in -> Vec<Route>;
    /// The answer to [`Client::transaction_status`](crate::Client::transaction_status).
    transaction_status => transaction_status_in -> OrderStatus;
    /// The answer to [`Client::transaction_details`](crate::Client::transaction_details).
    transaction_details => transaction_details_in -> Transaction;
    /// The answer to [`Client::refund`](crate::Client::refund).
    refund => refund_in -> Refunds;
    /// The answer to [`Client::refunds`](crate::Client::refunds).
    refunds => refunds_in -> Refunds;
    /// The answer to [`Client::payment_link_status`](crate::Client::payment_link_status).
    payment_link_status => payment_link_status_in -> PaymentLinkState;
    /// The answer to [`Client::cancel_payment_link`](crate::Client::cancel_payment_link).
    cancel_payment_link => cancel_payment_link_in -> Acknowledgement;
}

#[cfg(test)]
mod tests {
    use super::{ErrorBody, ErrorProbe};

    #[test]
    fn the_probe_decodes_exactly_what_the_error_body_decodes() {
        let bodies: &[&str] = &[
            r#"{"payment_link_ref":"r","payment_link":"https://x"}"#,
            r#"{"message":"m","status_code":"4001","status_reason":"INVALID_REQUEST","is_success":false}"#,
            r#"{"message":"a\"b","status_code":4001,"status_message":"X","is_success":"false"}"#,
            r#"{"message":12.5,"status_code":4000.0,"is_success":0}"#,
            r#"{"message":true,"status_code":-4000,"is_success":"1"}"#,
            r#"{"message":null,"status_code":null,"status_reason":null,"is_success":null}"#,
            r#"{"status_code":"2000","is_success":" TRUE "}"#,
            r#"{"status_code":"\u0034001"}"#,
            r#"{"status_code":true}"#,
            r#"{"status_code":[]}"#,
            r#"{"status_code":{}}"#,
            r#"{"message":[1]}"#,
            r#"{"status_reason":5}"#,
            r#"{"status_reason":"A","status_message":"B"}"#,
            r#"{"status_code":"1","status_code":"2"}"#,
            r#"{"is_success":"maybe"}"#,
            r#"{"is_success":2}"#,
            r#"[]"#,
            r#"[null,"4001"]"#,
            r#"["m","4001","R",false]"#,
            r#"["m","4001","R",false,1]"#,
            r#"[1,2,3]"#,
            r#"{} x"#,
            r#""text""#,
            r#"null"#,
            r#"{"a":[[[[[[]]]]]],"is_success":false}"#,
            "",
        ];
        for body in bodies {
            let probe = serde_json::from_slice::<ErrorProbe<'_>>(body.as_bytes());
            let full = serde_json::from_slice::<ErrorBody>(body.as_bytes());
            assert_eq!(probe.is_ok(), full.is_ok(), "{body}");
            if let (Ok(probe), Ok(full)) = (probe, full) {
                assert_eq!(probe.is_success, full.is_success, "{body}");
                assert_eq!(
                    probe.status_code.as_deref(),
                    full.status_code
                        .as_ref()
                        .map(crate::model::ResultCode::as_str),
                    "{body}"
                );
                assert_eq!(probe.message.as_deref(), full.message.as_deref(), "{body}");
                assert_eq!(
                    probe.status_reason.is_some(),
                    full.status_reason.is_some(),
                    "{body}"
                );
            }
        }
    }
}
