//! Property tests of every inbound entry point: the response decoding of each operation
//! (`Client::decode_*_response`), response signature verification (`auth::verify_response`),
//! and callback verification (`webhook::Verifier::verify` / `verify_body`: JSON, form-encoded,
//! protocol 2.0, and the `GET` query of a browser return).
//!
//! * arbitrary bytes and JSON-like text never panic;
//! * structure-aware mutations of the documented examples (`fixtures/flitt/`) — fields dropped,
//!   duplicated, renamed or retyped, numbers turned into strings and back, unicode inserted,
//!   nesting deepened, text truncated — never panic, and each entry point answers within a
//!   bounded time;
//! * any change to a signed field of a signed example is rejected by the verifiers.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{MERCHANT_ID, SECRET, fixture, fixture_json};
use flitt_client::auth::verify_response;
use flitt_client::error::WebhookError;
use flitt_client::model::card::{Card, CardNumber, Cvv2, Expiry};
use flitt_client::model::checkout::CheckoutRequest;
use flitt_client::model::manage::{CaptureRequest, ReverseRequest};
use flitt_client::model::order::StatusRequest;
use flitt_client::model::payout::{P2pCreditRequest, PayoutReceiver};
use flitt_client::model::recurring::RecurringRequest;
use flitt_client::model::settlement::{SettlementReceiver, SettlementRequest};
use flitt_client::model::subscription::SubscriptionRequest;
use flitt_client::model::three_ds::{ThreeDsStep1Request, ThreeDsStep2Request};
use flitt_client::model::transactions::TransactionListRequest;
use flitt_client::webhook::Verifier;
use flitt_client::{Client, Credentials, Currency, Error, SecretString};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// The longest any entry point may take on one input (debug build, shared machine).
const BOUND: Duration = Duration::from_millis(250);

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// One client for every case (building one sets up TLS, which is not what is measured).
fn client() -> &'static Client {
    static CLIENT: std::sync::OnceLock<Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::builder(Credentials::new(MERCHANT_ID, SECRET).with_credit_key(common::CREDIT_KEY))
            .build()
            .unwrap()
    })
}

fn verifier() -> Verifier {
    Verifier::new(MERCHANT_ID, SECRET).with_credit_key(common::CREDIT_KEY)
}

fn key() -> SecretString {
    SecretString::from(SECRET)
}

/// Runs `f` and asserts it returns within [`BOUND`].
fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let elapsed = started.elapsed();
    assert!(elapsed < BOUND, "{name} took {elapsed:?}");
    out
}

/// Every response decoder, on one answer. Returns how many accepted it.
fn decode_everything(order_id: &str, status: u16, retry_after: Option<&str>, body: &[u8]) -> usize {
    let client = client();
    let mut builder = http::Response::builder().status(status);
    if let Some(value) = retry_after {
        builder = builder.header("retry-after", value);
    }
    let answer = builder.body(body.to_vec()).unwrap();
    let card = Card::new(
        CardNumber::new("4444555511116666").unwrap(),
        Expiry::new(12, 2030).unwrap(),
        Cvv2::new("123").unwrap(),
    );
    let checkout = CheckoutRequest::new(order_id, "d", 100, Currency::GEL);
    let results = [
        timed("checkout_url", || {
            client
                .decode_checkout_url_response(&checkout, &answer)
                .is_ok()
        }),
        timed("checkout_token", || {
            client
                .decode_checkout_token_response(&checkout, &answer)
                .is_ok()
        }),
        timed("recurring", || {
            client
                .decode_recurring_response(
                    &RecurringRequest::new(order_id, "d", 100, Currency::GEL, "t"),
                    &answer,
                )
                .is_ok()
        }),
        timed("order_status", || {
            client
                .decode_order_status_response(&StatusRequest::new(order_id), &answer)
                .is_ok()
        }),
        timed("reverse", || {
            client
                .decode_reverse_response(
                    &ReverseRequest::new(order_id, 100, Currency::GEL),
                    &answer,
                )
                .is_ok()
        }),
        timed("capture", || {
            client
                .decode_capture_response(
                    &CaptureRequest::new(order_id, 100, Currency::GEL),
                    &answer,
                )
                .is_ok()
        }),
        timed("p2p_credit", || {
            client
                .decode_p2p_credit_response(
                    &P2pCreditRequest::new(
                        order_id,
                        "d",
                        100,
                        Currency::GEL,
                        PayoutReceiver::Rectoken("t".into()),
                    ),
                    &answer,
                )
                .is_ok()
        }),
        timed("three_ds_step1", || {
            client
                .decode_three_ds_step1_response(
                    &ThreeDsStep1Request::new(order_id, "d", 100, Currency::GEL, card),
                    &answer,
                )
                .is_ok()
        }),
        timed("three_ds_step2", || {
            client
                .decode_three_ds_step2_response(
                    &ThreeDsStep2Request::new(order_id, "pares", "md"),
                    &answer,
                )
                .is_ok()
        }),
        timed("subscription", || {
            client
                .decode_subscription_response(&SubscriptionRequest::stop(order_id), &answer)
                .is_ok()
        }),
        timed("transaction_list", || {
            client
                .decode_transaction_list_response(&TransactionListRequest::new(order_id), &answer)
                .is_ok()
        }),
        timed("settlement", || {
            client
                .decode_settlement_response(
                    &SettlementRequest::new(
                        order_id,
                        "parent",
                        "d",
                        100,
                        Currency::GEL,
                        vec![SettlementReceiver::merchant(600001, 100)],
                    ),
                    &answer,
                )
                .is_ok()
        }),
        timed("verify_response", || {
            verify_response(&key(), answer.status(), body).is_ok()
        }),
    ];
    results.iter().filter(|ok| **ok).count()
}

/// Every callback entry point, on one body.
fn verify_everything(body: &[u8]) {
    let verifier = verifier();
    for content_type in [
        Some("application/json"),
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
        None,
    ] {
        timed("verify_body", || {
            let _ = verifier.verify_body(content_type, body);
        });
        let mut request = http::Request::post("/flitt/callback");
        if let Some(value) = content_type {
            request = request.header("content-type", value);
        }
        let request = request.body(body.to_vec()).unwrap();
        timed("verify", || {
            let _ = verifier.verify(&request);
        });
    }
    // The same bytes as the query of a browser return (percent-encoded as a browser would).
    let query: String = body
        .iter()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"=&-_.~".contains(b) {
                (*b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let request = http::Request::get(format!("/flitt/return?{query}"))
        .body(Vec::<u8>::new())
        .unwrap();
    timed("verify (GET)", || {
        let _ = verifier.verify(&request);
    });
}

fn exercise(body: &[u8]) {
    for status in [200, 502] {
        decode_everything("test_recurring_payment123", status, None, body);
    }
    verify_everything(body);
}

// ---------------------------------------------------------------------------------------------
// Arbitrary input.

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        exercise(&body);
    }

    #[test]
    fn json_like_text_never_panics(
        body in r#"[\[\]{}":,0-9a-z_ .\-\\|=&]{0,600}"#,
        retry_after in proptest::option::of("[0-9A-Za-z ,:]{0,40}"),
        status in prop_oneof![Just(200u16), Just(400), Just(429), Just(500), Just(503)],
    ) {
        decode_everything("o", status, retry_after.as_deref(), body.as_bytes());
        verify_everything(body.as_bytes());
    }

    #[test]
    fn arbitrary_text_in_the_envelope_never_panics(
        inner in r#"[\[\]{}":,0-9a-z_ .\-]{0,400}"#,
    ) {
        exercise(format!(r#"{{"response": {inner}}}"#).as_bytes());
        exercise(format!(r#"{{"response": {{"version": "2.0", "data": "{inner}", "signature": "x"}}}}"#).as_bytes());
    }
}

// ---------------------------------------------------------------------------------------------
// Structure-aware mutations of the documented examples.

/// A documented example as (name, raw JSON text) fields, in order (duplicates allowed).
type Fields = Vec<(String, String)>;

fn fields_of(value: &serde_json::Value) -> Fields {
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect()
}

fn object_text(fields: &Fields) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}: {v}", serde_json::Value::String(k.clone())))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// The documented examples whose fields are mutated.
fn examples() -> Vec<Fields> {
    vec![
        fields_of(&fixture_json("r1-recurring-response-fields")),
        fields_of(&fixture_json("recurring-response")["response"]),
        fields_of(&fixture_json("recurring-error-response")["response"]),
        fields_of(&fixture_json("recurring-request")["request"]),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Drop(usize),
    Duplicate(usize),
    Rename(usize, String),
    Retype(usize, String),
    NumberString(usize),
    InsertUnicode(usize, usize, String),
    Deepen(usize, usize, bool),
}

fn scalar_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("\"\"".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("-0".to_owned()),
        Just("1e400".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("-9223372036854775809".to_owned()),
        Just("0.0".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| f.to_string()),
        ".{0,24}".prop_map(|s| serde_json::Value::String(s).to_string()),
        "[0-9]{1,25}".prop_map(|s| format!("\"{s}\"")),
        "[0-9 .:]{0,20}".prop_map(|s| format!("\"{s}\"")),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let index = 0..64usize;
    prop_oneof![
        index.clone().prop_map(Mutation::Drop),
        index.clone().prop_map(Mutation::Duplicate),
        (index.clone(), "[a-z_]{0,20}|.{0,8}").prop_map(|(i, k)| Mutation::Rename(i, k)),
        (index.clone(), scalar_text()).prop_map(|(i, v)| Mutation::Retype(i, v)),
        index.clone().prop_map(Mutation::NumberString),
        (index.clone(), 0..64usize, "[\\u{80}-\\u{10FFFF}]{1,4}")
            .prop_map(|(i, at, s)| Mutation::InsertUnicode(i, at, s)),
        (index, 1..400usize, any::<bool>()).prop_map(|(i, d, a)| Mutation::Deepen(i, d, a)),
    ]
}

fn apply(fields: &mut Fields, mutation: &Mutation) {
    if fields.is_empty() {
        return;
    }
    let len = fields.len();
    let at = |i: usize| i % len;
    match mutation {
        Mutation::Drop(i) => {
            fields.remove(at(*i));
        }
        Mutation::Duplicate(i) => {
            let field = fields[at(*i)].clone();
            fields.push(field);
        }
        Mutation::Rename(i, name) => fields[at(*i)].0 = name.clone(),
        Mutation::Retype(i, text) => fields[at(*i)].1 = text.clone(),
        Mutation::NumberString(i) => {
            let value = &mut fields[at(*i)].1;
            match serde_json::from_str::<serde_json::Value>(value) {
                Ok(serde_json::Value::Number(n)) => *value = format!("\"{n}\""),
                Ok(serde_json::Value::String(s))
                    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    *value = s
                }
                Ok(serde_json::Value::String(s)) => *value = format!("{}0", s.len()),
                _ => {}
            }
        }
        Mutation::InsertUnicode(i, pos, insert) => {
            let value = &mut fields[at(*i)].1;
            if let Ok(serde_json::Value::String(s)) = serde_json::from_str(value) {
                let chars: Vec<char> = s.chars().collect();
                let pos = (*pos).min(chars.len());
                let changed: String = chars[..pos]
                    .iter()
                    .chain(insert.chars().collect::<Vec<_>>().iter())
                    .chain(chars[pos..].iter())
                    .collect();
                *value = serde_json::Value::String(changed).to_string();
            }
        }
        Mutation::Deepen(i, depth, arrays) => {
            let value = &mut fields[at(*i)].1;
            *value = if *arrays {
                format!("{}{value}{}", "[".repeat(*depth), "]".repeat(*depth))
            } else {
                format!("{}{value}{}", "{\"a\": ".repeat(*depth), "}".repeat(*depth))
            };
        }
    }
}

/// How a mutated object is presented.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// `{"response": {…}}`, as the API answers.
    Envelope,
    /// The bare object, as callbacks are posted.
    Bare,
    /// `[{…}]`, as `transaction_list` answers.
    Array,
    /// Protocol 2.0: `{"response": {"version": "2.0", "data": base64({"order": {…}}), "signature"}}`.
    V2,
    /// Form-encoded, every value as its text.
    Form,
}

fn render(fields: &Fields, shape: Shape) -> String {
    let object = object_text(fields);
    match shape {
        Shape::Envelope => format!("{{\"response\": {object}}}"),
        Shape::Bare => object,
        Shape::Array => format!("[{object}]"),
        Shape::V2 => {
            let data = payments_signing::fondy::encode_v2_data(
                format!("{{\"order\": {object}}}").as_bytes(),
            );
            let signature = payments_signing::fondy::sign_v2(SECRET, &data);
            format!(
                "{{\"response\": {{\"version\": \"2.0\", \"data\": \"{data}\", \"signature\": \"{signature}\"}}}}"
            )
        }
        Shape::Form => {
            let pairs: Vec<(String, String)> = fields
                .iter()
                .map(
                    |(k, v)| match serde_json::from_str::<serde_json::Value>(v) {
                        Ok(serde_json::Value::String(s)) => (k.clone(), s),
                        _ => (k.clone(), v.clone()),
                    },
                )
                .collect();
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        }
    }
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Envelope),
        Just(Shape::Bare),
        Just(Shape::Array),
        Just(Shape::V2),
        Just(Shape::Form),
    ]
}

proptest! {
    #![proptest_config(config(640))]

    #[test]
    fn mutated_documented_examples_never_panic(
        example in 0..4usize,
        mutations in proptest::collection::vec(mutation(), 1..6),
        shape in shape(),
        truncate in proptest::option::weighted(0.2, any::<prop::sample::Index>()),
    ) {
        let mut fields = examples().swap_remove(example);
        for m in &mutations {
            apply(&mut fields, m);
        }
        let mut body = render(&fields, shape).into_bytes();
        if let Some(cut) = truncate {
            body.truncate(cut.index(body.len().max(1)));
        }
        exercise(&body);
    }
}

// ---------------------------------------------------------------------------------------------
// Any change to a signed field is rejected.

/// The published R1 answer: signed by Flitt with the test merchant's key over every field.
fn r1() -> Fields {
    fields_of(&fixture_json("r1-recurring-response-fields"))
}

/// The fields that take part in the signature: every field with a non-empty text.
fn signed_indices(fields: &Fields) -> Vec<usize> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, (k, v))| {
            k != "signature"
                && k != "response_signature_string"
                && !matches!(v.as_str(), "\"\"" | "null")
        })
        .map(|(i, _)| i)
        .collect()
}

/// The text a raw JSON value is signed as (independently of the crate): strings as they are,
/// numbers as their JSON text, booleans as Flitt renders them; `None` when it takes no part.
fn signed_text(raw: &str) -> Option<String> {
    match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(serde_json::Value::String(s)) if !s.is_empty() => Some(s),
        Ok(serde_json::Value::Number(_)) => Some(raw.trim().to_owned()),
        Ok(serde_json::Value::Bool(true)) => Some("True".to_owned()),
        Ok(serde_json::Value::Bool(false)) => Some("False".to_owned()),
        _ => None,
    }
}

/// A change of one signed field: a new value (whose signed text differs), or its removal.
#[derive(Debug, Clone)]
enum Change {
    Value(String),
    Remove,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => scalar_text().prop_map(Change::Value),
        1 => Just(Change::Remove),
        1 => (1..200usize).prop_map(|d| Change::Value(format!("{}1{}", "[".repeat(d), "]".repeat(d)))),
    ]
}

/// Applies the change to field `index`; `false` when it would not change what is signed
/// (e.g. `4600` → `"4600"`, the same text).
fn change_field(fields: &mut Fields, index: usize, change: &Change) -> bool {
    match change {
        Change::Remove => {
            fields.remove(index);
            true
        }
        Change::Value(text) => {
            let before = signed_text(&fields[index].1);
            if signed_text(text) == before {
                return false;
            }
            fields[index].1 = text.clone();
            true
        }
    }
}

#[test]
fn the_unchanged_signed_examples_verify() {
    // The controls for the properties below: each presentation of R1 is accepted as it is.
    let fields = r1();
    verify_response(
        &key(),
        http::StatusCode::OK,
        render(&fields, Shape::Envelope).as_bytes(),
    )
    .unwrap();
    verify_response(
        &key(),
        http::StatusCode::OK,
        render(&fields, Shape::V2).as_bytes(),
    )
    .unwrap();
    for shape in [Shape::Bare, Shape::Envelope, Shape::Form, Shape::V2] {
        let body = render(&fields, shape);
        let content_type = if matches!(shape, Shape::Form) {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        let order = verifier()
            .verify_body(Some(content_type), body.as_bytes())
            .unwrap_or_else(|e| panic!("{shape:?}: {e:?}"));
        assert_eq!(order.order_id, "test_recurring_payment123");
    }
    // The form rendering carries the published signature, recomputed from the texts.
    assert!(
        render(&fields, Shape::Form).contains("signature=bb62bd1236695ba6f2252d1cec18ce04d2005559")
    );
    // As many signed fields as values in Flitt's own signature string (key first).
    let published = fixture_json("r1-recurring-response-fields");
    let string = published["response_signature_string"].as_str().unwrap();
    assert_eq!(signed_indices(&fields).len(), string.split('|').count() - 1);
    // And through the client's decoder.
    let answer = http::Response::builder()
        .status(200)
        .body(fixture("r1-recurring-response-fields"))
        .unwrap();
    let wrapped = answer.map(|b| format!("{{\"response\": {b}}}"));
    assert!(
        client()
            .decode_recurring_response(
                &RecurringRequest::new("test_recurring_payment123", "d", 4600, Currency::GEL, "t"),
                &wrapped,
            )
            .unwrap()
            .is_approved()
    );
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn a_changed_signed_field_fails_response_verification(
        pick in any::<prop::sample::Index>(),
        change in change(),
    ) {
        let mut fields = r1();
        let index = pick.get(&signed_indices(&fields)).to_owned();
        prop_assume!(change_field(&mut fields, index, &change));
        let body = render(&fields, Shape::Envelope);
        let err = verify_response(&key(), http::StatusCode::OK, body.as_bytes()).unwrap_err();
        prop_assert!(
            matches!(err, Error::Signature { problem: "does not match", .. }),
            "{:?}", err
        );
        // The client's decoder rejects it the same way: never an order.
        let decoded = client().decode_recurring_response(
            &RecurringRequest::new("test_recurring_payment123", "d", 4600, Currency::GEL, "t"),
            &http::Response::builder().status(200).body(body).unwrap(),
        );
        prop_assert!(matches!(decoded, Err(Error::Signature { .. })), "{:?}", decoded);
    }

    #[test]
    fn a_changed_signed_field_fails_callback_verification(
        pick in any::<prop::sample::Index>(),
        change in change(),
        form in any::<bool>(),
    ) {
        let mut fields = r1();
        let index = pick.get(&signed_indices(&fields)).to_owned();
        prop_assume!(change_field(&mut fields, index, &change));
        let (shape, content_type) = if form {
            (Shape::Form, "application/x-www-form-urlencoded")
        } else {
            (Shape::Bare, "application/json")
        };
        // Keep the published signature: render the form without re-signing.
        let body = render(&fields, shape);
        let result = verifier().verify_body(Some(content_type), body.as_bytes());
        prop_assert!(
            matches!(result, Err(Error::Webhook(WebhookError::BadSignature))),
            "{:?}", result
        );
    }

    #[test]
    fn a_changed_protocol_2_data_fails_verification(
        at in any::<prop::sample::Index>(),
        replacement in "[A-Za-z0-9+/=]",
    ) {
        let body = render(&r1(), Shape::V2);
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        let data = value["response"]["data"].as_str().unwrap().to_owned();
        let i = at.index(data.len());
        prop_assume!(data[i..=i] != replacement);
        let changed = format!("{}{replacement}{}", &data[..i], &data[i + 1..]);
        let tampered = body.replace(&data, &changed);
        let err = verify_response(&key(), http::StatusCode::OK, tampered.as_bytes()).unwrap_err();
        prop_assert!(matches!(err, Error::Signature { .. }), "{:?}", err);
        let inner = value["response"].to_string().replace(&data, &changed);
        let result = verifier().verify_body(Some("application/json"), inner.as_bytes());
        prop_assert!(
            matches!(result, Err(Error::Webhook(WebhookError::BadSignature))),
            "{:?}", result
        );
    }
}
