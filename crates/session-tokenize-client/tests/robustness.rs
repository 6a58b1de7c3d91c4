//! Property tests for every inbound entry point: the response decoders of each response type,
//! the access-token decoder, callback verify-then-parse and callback parsing.
//!
//! * arbitrary bytes and arbitrary JSON never panic;
//! * structure-aware mutations of the documented examples (`fixtures/pivot/`) — fields dropped,
//!   duplicated or retyped, numbers turned into strings and back, truncation, inserted unicode,
//!   deeper nesting — never panic, and each decode finishes within a time bound;
//! * any change to what authenticates a callback is rejected. Pivot signs nothing in a callback:
//!   the `X-API-Key` header (the Callback API Key) is its only authenticated field, so every
//!   change to that header (and a missing header or another method) must fail verification,
//!   whatever the body.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::{Duration, Instant};

use http::StatusCode;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Map, Value, json};
use session_tokenize_client::Error;
use session_tokenize_client::auth::AccessToken;
use session_tokenize_client::error::WebhookError;
use session_tokenize_client::model::Page;
use session_tokenize_client::model::config::PaymentMethodConfigs;
use session_tokenize_client::model::customer::Customer;
use session_tokenize_client::model::refund::Refund;
use session_tokenize_client::model::session::{Capture, Charge, PaymentSession};
use session_tokenize_client::webhook::{Event, Verifier, sign_notification};

const KEY: &str = "callback-api-key-from-the-dashboard";

/// The most one decode of one (small) body may take, in a debug build on a loaded machine.
const BOUND: Duration = Duration::from_millis(250);

const STATUSES: &[u16] = &[200, 201, 400, 401, 403, 404, 409, 429, 500, 502, 503];

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs `f`, asserting it returns within [`BOUND`].
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = f();
    let elapsed = started.elapsed();
    assert!(elapsed < BOUND, "{what} took {elapsed:?}");
    result
}

/// Every response decoder on `(status, body)`. None may panic; errors are fine.
fn decode_all(status: StatusCode, body: &[u8]) {
    let _ = timed("PaymentSession", || {
        PaymentSession::from_response(status, body)
    });
    let _ = timed("Page<PaymentSession>", || {
        Page::<PaymentSession>::from_response(status, body)
    });
    let _ = timed("Capture", || Capture::from_response(status, body));
    let _ = timed("Page<Charge>", || {
        Page::<Charge>::from_response(status, body)
    });
    let _ = timed("PaymentMethodConfigs", || {
        PaymentMethodConfigs::from_response(status, body)
    });
    let _ = timed("Customer", || Customer::from_response(status, body));
    let _ = timed("Refund", || Refund::from_response(status, body));
    let _ = timed("Page<Refund>", || {
        Page::<Refund>::from_response(status, body)
    });
    let _ = timed("AccessToken", || AccessToken::from_response(status, body));
}

/// Callback parsing, with and without verification, on `body`.
fn callback_all(verifier: &Verifier, body: &[u8]) {
    let verified = timed("Verifier::verify", || {
        verifier.verify(&sign_notification(KEY, body.to_vec()))
    });
    let parsed = timed("Event::parse", || Event::parse(body));
    // With the right key, verification is exactly parsing.
    assert_eq!(verified.is_ok(), parsed.is_ok());
    if let (Ok(a), Ok(b)) = (&verified, &parsed) {
        assert_eq!(a, b);
    }
}

fn every_entry_point(verifier: &Verifier, status: StatusCode, body: &[u8]) {
    decode_all(status, body);
    callback_all(verifier, body);
}

/// Every documented example of `fixtures/pivot/` (requests too: they are also bodies an
/// attacker could send).
fn fixtures() -> Vec<(String, String)> {
    let dir = format!("{}/../../fixtures/pivot", env!("CARGO_MANIFEST_DIR"));
    let mut all: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect();
    all.sort();
    assert!(all.len() > 20, "the documented examples are in {dir}");
    all
}

fn callback_fixtures() -> Vec<(String, String)> {
    fixtures()
        .into_iter()
        .filter(|(name, _)| name.starts_with("callback-"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Structure-aware mutations
// ---------------------------------------------------------------------------------------------

/// One mutation, with the random numbers that pick where it applies.
#[derive(Clone, Debug)]
enum Mutation {
    DropField(usize),
    DuplicateField(usize),
    Retype(usize, u8),
    NumberStringSwap(usize),
    InsertUnicode(usize, String),
    Deepen(usize, usize, bool),
    Truncate(usize),
    InsertText(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DropField),
        any::<usize>().prop_map(Mutation::DuplicateField),
        (any::<usize>(), any::<u8>()).prop_map(|(at, kind)| Mutation::Retype(at, kind)),
        any::<usize>().prop_map(Mutation::NumberStringSwap),
        (any::<usize>(), "\\PC{1,8}").prop_map(|(at, s)| Mutation::InsertUnicode(at, s)),
        (any::<usize>(), 1_usize..300, any::<bool>())
            .prop_map(|(at, depth, arrays)| Mutation::Deepen(at, depth, arrays)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), "[\\[\\]{}\",:0-9a-z\\\\ é😀\u{0}]{1,6}")
            .prop_map(|(at, s)| Mutation::InsertText(at, s)),
    ]
}

/// Pointers (`/a/0/b`) to every node of `value`, root first.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (k, v) in map {
                    let escaped = k.replace('~', "~0").replace('/', "~1");
                    stack.push((format!("{pointer}/{escaped}"), v));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), v));
                }
            }
            _ => {}
        }
        out.push(pointer);
    }
    out
}

/// Pointers to object members (the fields that can be dropped or duplicated).
fn members(value: &Value) -> Vec<String> {
    pointers(value)
        .into_iter()
        .filter(|p| {
            let Some((parent, _)) = p.rsplit_once('/') else {
                return false;
            };
            value.pointer(parent).is_some_and(Value::is_object)
        })
        .collect()
}

fn pick(list: &[String], at: usize) -> Option<String> {
    (!list.is_empty()).then(|| list[at % list.len()].clone())
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Applies `mutation` to the document `text` (JSON or not), returning the new text.
fn mutate(text: &str, mutation: &Mutation) -> String {
    let parsed = serde_json::from_str::<Value>(text).ok();
    let mut value = parsed.clone().unwrap_or(Value::Null);
    let structural = parsed.is_some();
    match mutation {
        Mutation::DropField(at) if structural => {
            if let Some(p) = pick(&members(&value), *at) {
                let (parent, key) = p.rsplit_once('/').unwrap();
                if let Some(Value::Object(map)) = value.pointer_mut(parent) {
                    map.remove(&unescape(key));
                }
            }
            value.to_string()
        }
        Mutation::DuplicateField(at) if structural => {
            // JSON text with the member written twice (serde sees a duplicate key).
            match pick(&members(&value), *at) {
                Some(p) => {
                    let (parent, key) = p.rsplit_once('/').unwrap();
                    let key = unescape(key);
                    let member = value.pointer(&p).cloned().unwrap_or(Value::Null);
                    let marker = "\u{1}DUPLICATE\u{1}";
                    if let Some(Value::Object(map)) = value.pointer_mut(parent) {
                        map.insert(marker.to_owned(), Value::Null);
                    }
                    let duplicate = format!("{}:{}", Value::String(key), member);
                    value
                        .to_string()
                        .replace(&format!("{}:null", Value::from(marker)), &duplicate)
                }
                None => value.to_string(),
            }
        }
        Mutation::Retype(at, kind) if structural => {
            if let Some(p) = pick(&pointers(&value), *at)
                && let Some(node) = value.pointer_mut(&p)
            {
                *node = match kind % 8 {
                    0 => Value::Null,
                    1 => Value::Bool(true),
                    2 => json!(-1),
                    3 => json!(1.5e300),
                    4 => json!("true"),
                    5 => json!([]),
                    6 => json!({}),
                    _ => json!(""),
                };
            }
            value.to_string()
        }
        Mutation::NumberStringSwap(at) if structural => {
            let leaves: Vec<String> = pointers(&value)
                .into_iter()
                .filter(|p| {
                    value
                        .pointer(p)
                        .is_some_and(|v| v.is_number() || v.is_string())
                })
                .collect();
            if let Some(p) = pick(&leaves, *at)
                && let Some(node) = value.pointer_mut(&p)
            {
                *node = match node.take() {
                    Value::Number(n) => Value::String(n.to_string()),
                    Value::String(s) => match serde_json::from_str::<serde_json::Number>(&s) {
                        Ok(n) => Value::Number(n),
                        Err(_) => Value::String(format!("{s}0")),
                    },
                    other => other,
                };
            }
            value.to_string()
        }
        Mutation::InsertUnicode(at, s) if structural => {
            let strings: Vec<String> = pointers(&value)
                .into_iter()
                .filter(|p| value.pointer(p).is_some_and(Value::is_string))
                .collect();
            if let Some(p) = pick(&strings, *at)
                && let Some(Value::String(node)) = value.pointer_mut(&p)
            {
                let cut = node
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(at % (node.chars().count() + 1))
                    .unwrap_or(node.len());
                node.insert_str(cut, s);
            }
            value.to_string()
        }
        Mutation::Deepen(at, depth, arrays) if structural => {
            if let Some(p) = pick(&pointers(&value), *at)
                && let Some(node) = value.pointer_mut(&p)
            {
                let mut inner = node.take();
                for _ in 0..*depth {
                    inner = if *arrays {
                        Value::Array(vec![inner])
                    } else {
                        let mut map = Map::new();
                        map.insert("value".to_owned(), inner);
                        Value::Object(map)
                    };
                }
                *node = inner;
            }
            // serde_json's own writer recurses; its depth here stays far below the stack limit.
            value.to_string()
        }
        Mutation::Truncate(at) => {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            match boundaries.len() {
                0 => String::new(),
                n => text[..boundaries[at % n]].to_owned(),
            }
        }
        Mutation::InsertText(at, s) | Mutation::InsertUnicode(at, s) => {
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let cut = boundaries[at % boundaries.len()];
            format!("{}{s}{}", &text[..cut], &text[cut..])
        }
        // Structural mutations of a document that is not JSON: cut it instead.
        Mutation::DropField(at)
        | Mutation::DuplicateField(at)
        | Mutation::Retype(at, _)
        | Mutation::NumberStringSwap(at)
        | Mutation::Deepen(at, _, _) => mutate(text, &Mutation::Truncate(*at)),
    }
}

// ---------------------------------------------------------------------------------------------
// Arbitrary JSON
// ---------------------------------------------------------------------------------------------

/// Field names Pivot uses, so arbitrary objects reach the typed fields.
const KEYS: &[&str] = &[
    "code",
    "message",
    "data",
    "error",
    "details",
    "pagination",
    "page",
    "totalPages",
    "event",
    "id",
    "status",
    "amount",
    "value",
    "currency",
    "chargeDetails",
    "card",
    "customer",
    "customerId",
    "storedPaymentMethods",
    "token",
    "accessToken",
    "expiresIn",
    "createdAt",
    "paymentMethod",
    "type",
    "isFullAmount",
    "capturedAmount",
    "captureHistories",
    "enabled",
    "acceptedChannels",
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "PAID",
            "SUCCESS",
            "IDR",
            "",
            "0001-01-01T00:00:00Z",
            "2025-06-24T09:08:13.123456789Z",
            "10000.00",
            "true",
            "PAYMENT.PAID",
            "REFUND.SUCCESS",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    let key = prop_oneof![
        3 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => "\\PC{0,6}",
    ];
    leaf.prop_recursive(6, 96, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn arbitrary_bytes_never_panic(
        status in prop::sample::select(STATUSES),
        body in prop::collection::vec(any::<u8>(), 0..1024),
    ) {
        let verifier = Verifier::new(KEY);
        every_entry_point(&verifier, StatusCode::from_u16(status).unwrap(), &body);
    }
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn arbitrary_json_never_panics(
        status in prop::sample::select(STATUSES),
        data in arb_json(),
        wrap in any::<bool>(),
    ) {
        let verifier = Verifier::new(KEY);
        let body = if wrap {
            json!({"code": "00", "event": "PAYMENT.PAID", "data": data}).to_string()
        } else {
            data.to_string()
        };
        every_entry_point(&verifier, StatusCode::from_u16(status).unwrap(), body.as_bytes());
    }
}

proptest! {
    #![proptest_config(config(1200))]

    #[test]
    fn mutated_documented_examples_never_panic_and_finish_in_time(
        index in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
        status in prop::sample::select(STATUSES),
    ) {
        let all = fixtures();
        let (_, original) = &all[index % all.len()];
        let mut text = original.clone();
        for m in &mutations {
            text = mutate(&text, m);
        }
        let verifier = Verifier::new(KEY);
        every_entry_point(&verifier, StatusCode::from_u16(status).unwrap(), text.as_bytes());
    }
}

/// A different value for the header: every byte position changed, cut, extended, re-cased.
#[derive(Clone, Debug)]
enum KeyChange {
    Replace(usize, u8),
    Truncate(usize),
    Append(String),
    Prepend(String),
    FlipCase(usize),
}

fn key_change() -> impl Strategy<Value = KeyChange> {
    prop_oneof![
        (any::<usize>(), 0x21_u8..0x7f).prop_map(|(at, b)| KeyChange::Replace(at, b)),
        any::<usize>().prop_map(KeyChange::Truncate),
        "[!-~]{1,4}".prop_map(KeyChange::Append),
        "[!-~]{1,4}".prop_map(KeyChange::Prepend),
        any::<usize>().prop_map(KeyChange::FlipCase),
    ]
}

fn changed_key(change: &KeyChange) -> Option<String> {
    let mut key = KEY.as_bytes().to_vec();
    match change {
        KeyChange::Replace(at, b) => {
            let at = at % key.len();
            if key[at] == *b {
                return None;
            }
            key[at] = *b;
        }
        KeyChange::Truncate(at) => key.truncate(at % key.len()),
        KeyChange::Append(s) => key.extend_from_slice(s.as_bytes()),
        KeyChange::Prepend(s) => key.splice(0..0, s.bytes()).for_each(drop),
        KeyChange::FlipCase(at) => {
            let at = at % key.len();
            if !key[at].is_ascii_alphabetic() {
                return None;
            }
            key[at] ^= 0x20;
        }
    }
    Some(String::from_utf8(key).unwrap())
}

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn any_change_to_the_callback_api_key_is_rejected(
        index in any::<usize>(),
        change in key_change(),
        body_mutations in prop::collection::vec(mutation(), 0..2),
    ) {
        let callbacks = callback_fixtures();
        let (_, original) = &callbacks[index % callbacks.len()];
        let mut body = original.clone();
        for m in &body_mutations {
            body = mutate(&body, m);
        }
        let verifier = Verifier::new(KEY);
        let Some(key) = changed_key(&change) else {
            return Ok(());
        };
        let forged = sign_notification(&key, body.into_bytes());
        let result = timed("Verifier::verify", || verifier.verify(&forged));
        let rejected = matches!(
            result,
            Err(Error::Webhook(WebhookError::ApiKeyMismatch | WebhookError::MissingApiKey))
        );
        prop_assert!(rejected, "{key:?} was accepted: {result:?}");
    }
}

#[test]
fn the_documented_callbacks_verify_with_the_right_key_only() {
    let verifier = Verifier::new(KEY);
    let callbacks = callback_fixtures();
    assert_eq!(callbacks.len(), 2);
    for (name, body) in callbacks {
        let request = sign_notification(KEY, body.clone().into_bytes());
        assert!(verifier.verify(&request).is_ok(), "{name}");

        // Every single byte of the key changed, one at a time, to every other visible
        // character: rejected.
        for at in 0..KEY.len() {
            for b in 0x21_u8..0x7f {
                let Some(key) = changed_key(&KeyChange::Replace(at, b)) else {
                    continue;
                };
                let forged = sign_notification(&key, body.clone().into_bytes());
                assert!(
                    matches!(
                        verifier.verify(&forged),
                        Err(Error::Webhook(WebhookError::ApiKeyMismatch))
                    ),
                    "{name}: {key}"
                );
            }
        }
        // No key, or another method.
        let mut missing = request.clone();
        missing.headers_mut().remove("x-api-key");
        assert!(matches!(
            verifier.verify(&missing),
            Err(Error::Webhook(WebhookError::MissingApiKey))
        ));
        let mut get = request.clone();
        *get.method_mut() = http::Method::GET;
        assert!(matches!(
            verifier.verify(&get),
            Err(Error::Webhook(WebhookError::Method(_)))
        ));
    }
}

#[test]
fn every_documented_example_goes_through_every_entry_point() {
    let verifier = Verifier::new(KEY);
    for (_, text) in fixtures() {
        for status in STATUSES {
            every_entry_point(
                &verifier,
                StatusCode::from_u16(*status).unwrap(),
                text.as_bytes(),
            );
        }
    }
    // And the documented answers decode into their types.
    let read = |name: &str| {
        fixtures()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| text)
            .unwrap()
    };
    let ok = StatusCode::OK;
    assert!(AccessToken::from_response(ok, read("access-token-response.json").as_bytes()).is_ok());
    assert!(
        PaymentSession::from_response(ok, read("get-payment-response.json").as_bytes()).is_ok()
    );
    assert!(Capture::from_response(ok, read("capture-response.json").as_bytes()).is_ok());
    assert!(
        Page::<Charge>::from_response(ok, read("charges-by-reference-response.json").as_bytes())
            .is_ok()
    );
    assert!(
        Page::<PaymentSession>::from_response(ok, read("list-payments-response.json").as_bytes())
            .is_ok()
    );
    assert!(
        Customer::from_response(ok, read("retrieve-customer-response.json").as_bytes()).is_ok()
    );
    assert!(Refund::from_response(ok, read("refund-get-response.json").as_bytes()).is_ok());
    assert!(
        Page::<Refund>::from_response(ok, read("refund-list-response.json").as_bytes()).is_ok()
    );
}

#[test]
fn the_mutations_do_what_they_say() {
    let doc = r#"{"a":{"b":1,"c":"2"}}"#;
    let dropped: Value = serde_json::from_str(&mutate(doc, &Mutation::DropField(0))).unwrap();
    assert_ne!(dropped, serde_json::from_str::<Value>(doc).unwrap());

    let duplicated = mutate(doc, &Mutation::DuplicateField(1));
    let keys = ["\"a\":", "\"b\":", "\"c\":"];
    assert!(
        keys.iter().any(|k| duplicated.matches(k).count() == 2),
        "{duplicated}"
    );
    assert!(
        serde_json::from_str::<Value>(&duplicated).is_ok(),
        "still JSON text: {duplicated}"
    );

    let swapped: Vec<Value> = (0..4)
        .map(|at| serde_json::from_str(&mutate(doc, &Mutation::NumberStringSwap(at))).unwrap())
        .collect();
    assert!(swapped.iter().any(|v| v["a"]["b"] == json!("1")));
    assert!(swapped.iter().any(|v| v["a"]["c"] == json!(2)));

    let deep = mutate(doc, &Mutation::Deepen(0, 200, true));
    assert!(deep.starts_with(&"[".repeat(200)));
    assert!(
        serde_json::from_str::<Value>(&deep).is_err(),
        "past serde_json's limit"
    );

    assert_eq!(mutate(doc, &Mutation::Truncate(5)), r#"{"a":"#);
    let unicode = mutate(doc, &Mutation::InsertUnicode(0, "😀".into()));
    assert!(unicode.contains('😀'));
    let retyped: Value = serde_json::from_str(&mutate(doc, &Mutation::Retype(1, 5))).unwrap();
    assert!(retyped.to_string().contains("[]"), "{retyped}");
}
