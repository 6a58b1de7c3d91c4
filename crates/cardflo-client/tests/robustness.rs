//! Property tests of every inbound entry point: the four answer decoders
//! (`TransactionResponse`, `StatusResponse`, `ScheduleResponse`, `OptionsResponse`
//! `::from_response`) and the notification verifier (`Verifier::verify`, which parses only
//! after verifying).
//!
//! * arbitrary bytes never panic, and each case is bounded in time;
//! * structure-aware mutations of the documented examples (`fixtures/cardflo/`: fields
//!   dropped, duplicated or retyped, numbers turned into strings and back, unicode inserted,
//!   nesting deepened, text truncated) never panic, are bounded in time, and give either a
//!   value or a typed error;
//! * any change to a signed part of a signed documented notification (method, body,
//!   content type, date, request path, query) is rejected.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cardflo_client::error::WebhookError;
use cardflo_client::model::{
    OptionsResponse, ScheduleResponse, StatusResponse, TransactionResponse,
};
use cardflo_client::webhook::{Verifier, sign_notification};
use cardflo_client::{Error, Operation, SecretString};
use http::{HeaderMap, HeaderValue, StatusCode};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};

/// The time budget of one case (debug build, shared machine).
const CASE_BUDGET: Duration = Duration::from_millis(250);

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn fixture_names(filter: impl Fn(&str) -> bool) -> Vec<String> {
    let dir = format!("{}/../../fixtures/cardflo", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .filter(|n| filter(n))
        .collect();
    names.sort();
    names
}

/// Every documented answer (transaction, status, schedule, options), as bytes.
fn documented_answers() -> Vec<Vec<u8>> {
    let answers = fixture_names(|n| {
        n.contains("-response-")
            || n.starts_with("status-")
            || n.starts_with("transaction-response-")
            || n == "error-signature-invalid"
    });
    assert!(answers.len() >= 40, "the documented answers: {answers:?}");
    answers
        .iter()
        .map(|n| common::fixture(n).into_bytes())
        .collect()
}

/// Every documented notification, as bytes.
fn documented_notifications() -> Vec<Vec<u8>> {
    let names = fixture_names(|n| n.starts_with("callback-"));
    assert_eq!(names.len(), 7, "{names:?}");
    names
        .iter()
        .map(|n| common::fixture(n).into_bytes())
        .collect()
}

/// Runs every answer decoder on one answer; each must return a value or a typed error.
fn decode_everything(status: StatusCode, headers: &HeaderMap, body: &[u8]) {
    let results = [
        TransactionResponse::from_response(Operation::Debit, status, headers, body).map(drop),
        TransactionResponse::from_response(Operation::Refund, status, headers, body).map(drop),
        StatusResponse::from_response(Operation::StatusByUuid, status, headers, body).map(drop),
        ScheduleResponse::from_response(Operation::StartSchedule, status, headers, body).map(drop),
        ScheduleResponse::from_response(Operation::GetSchedule, status, headers, body).map(drop),
        OptionsResponse::from_response(Operation::Options, status, headers, body).map(drop),
    ];
    for result in results {
        match result {
            Ok(()) | Err(Error::Decode(_)) | Err(Error::Provider(_)) | Err(Error::Ambiguous(_)) => {
            }
            Err(other) => panic!("unexpected error kind: {other:?}"),
        }
    }
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let elapsed = started.elapsed();
    assert!(elapsed < CASE_BUDGET, "{what} took {elapsed:?}");
    out
}

fn statuses() -> impl Strategy<Value = StatusCode> {
    prop_oneof![
        4 => Just(StatusCode::OK),
        1 => (100u16..600).prop_map(|s| StatusCode::from_u16(s).unwrap()),
    ]
}

fn retry_after() -> impl Strategy<Value = HeaderMap> {
    prop_oneof![
        Just(HeaderMap::new()),
        any::<u64>().prop_map(|s| {
            let mut h = HeaderMap::new();
            h.insert(
                "retry-after",
                HeaderValue::from_str(&s.to_string()).unwrap(),
            );
            h
        }),
        any::<Vec<u8>>().prop_map(|raw| {
            let mut h = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_bytes(&raw) {
                h.insert("retry-after", v);
            }
            h
        }),
    ]
}

// ---------------------------------------------------------------------------------------
// Structure-aware mutations.

/// One change to a JSON document.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the selected field or element.
    Drop(usize),
    /// Write the selected object's first key twice (the second time with another value).
    Duplicate(usize, usize),
    /// Replace the selected value by a value of another type.
    Retype(usize, usize),
    /// A number becomes its string, a string becomes a number.
    NumberString(usize, usize),
    /// Insert an unusual character into the selected string (or replace the value by one).
    Unicode(usize, usize, usize),
    /// Wrap the selected value in arrays or objects, up to 300 levels.
    Deepen(usize, usize, bool),
    /// Cut the final text at a byte (possibly inside a UTF-8 sequence).
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Drop),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Retype(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::NumberString(a, b)),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(a, b, c)| Mutation::Unicode(a, b, c)),
        (any::<usize>(), 1usize..300, any::<bool>())
            .prop_map(|(a, b, c)| Mutation::Deepen(a, b, c)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn replacement(choice: usize) -> Value {
    let values = [
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1.5e308),
        json!(18_446_744_073_709_551_615u64),
        json!(-9.999),
        json!(""),
        json!("9.99"),
        json!("not a number"),
        json!("FINISHED"),
        json!("false"),
        json!([]),
        json!({}),
        json!([{"errorCode": "x"}]),
        json!({"_TYPE": "cardData"}),
    ];
    values[choice % values.len()].clone()
}

const ODD_TEXT: [&str; 8] = [
    "é",
    "\u{0}",
    "\u{FFFF}",
    "😀",
    "\u{202E}",
    "\u{a0}",
    "\\",
    "\u{10FFFF}",
];

/// JSON pointers of every node, in document order (iteratively).
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (k, v) in map.iter().rev() {
                    let escaped = k.replace('~', "~0").replace('/', "~1");
                    stack.push((format!("{pointer}/{escaped}"), v));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate().rev() {
                    stack.push((format!("{pointer}/{i}"), v));
                }
            }
            _ => {}
        }
        out.push(pointer);
    }
    out
}

fn select(value: &Value, selector: usize) -> String {
    let all = pointers(value);
    all[selector % all.len()].clone()
}

fn parent_and_key(pointer: &str) -> Option<(&str, String)> {
    let (parent, key) = pointer.rsplit_once('/')?;
    Some((parent, key.replace("~1", "/").replace("~0", "~")))
}

/// Serializes like serde_json, but writes the first key of the object at `duplicate` twice.
fn to_text(value: &Value, pointer: &str, duplicate: Option<(&str, &Value)>) -> String {
    match value {
        Value::Object(map) => {
            let mut parts = Vec::new();
            for (k, v) in map {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                parts.push(format!(
                    "{}:{}",
                    Value::String(k.clone()),
                    to_text(v, &format!("{pointer}/{escaped}"), duplicate)
                ));
            }
            if let (Some((at, second)), Some((k, _))) = (duplicate, map.iter().next())
                && at == pointer
            {
                parts.push(format!("{}:{}", Value::String(k.clone()), second));
            }
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, v)| to_text(v, &format!("{pointer}/{i}"), duplicate))
                .collect();
            format!("[{}]", parts.join(","))
        }
        leaf => leaf.to_string(),
    }
}

/// Applies the mutations to a documented example; the result is raw bytes.
fn mutate(original: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<Value>(original) else {
        // A documented example that is not JSON (kept verbatim): mutate its bytes.
        let mut bytes = original.to_vec();
        for m in mutations {
            if let Mutation::Truncate(at) = m {
                bytes.truncate(at % (bytes.len() + 1));
            }
        }
        return bytes;
    };
    let mut duplicate: Option<(String, Value)> = None;
    let mut truncate = None;
    for m in mutations {
        match m {
            Mutation::Drop(sel) => {
                let pointer = select(&value, *sel);
                if let Some((parent, key)) = parent_and_key(&pointer) {
                    match value.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.remove(&key);
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(i) = key.parse::<usize>()
                                && i < items.len()
                            {
                                items.remove(i);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Duplicate(sel, choice) => {
                let objects: Vec<String> = pointers(&value)
                    .into_iter()
                    .filter(|p| {
                        value
                            .pointer(p)
                            .is_some_and(|v| matches!(v, Value::Object(m) if !m.is_empty()))
                    })
                    .collect();
                if !objects.is_empty() {
                    duplicate = Some((objects[sel % objects.len()].clone(), replacement(*choice)));
                }
            }
            Mutation::Retype(sel, choice) => {
                let pointer = select(&value, *sel);
                if let Some(node) = value.pointer_mut(&pointer) {
                    *node = replacement(*choice);
                }
            }
            Mutation::NumberString(sel, choice) => {
                let pointer = select(&value, *sel);
                if let Some(node) = value.pointer_mut(&pointer) {
                    *node = match &*node {
                        Value::Number(n) => Value::String(n.to_string()),
                        Value::String(s) => serde_json::from_str::<serde_json::Number>(s.trim())
                            .map(Value::Number)
                            .unwrap_or_else(|_| json!(*choice as u64)),
                        other => other.clone(),
                    };
                }
            }
            Mutation::Unicode(sel, at, which) => {
                let pointer = select(&value, *sel);
                let odd = ODD_TEXT[which % ODD_TEXT.len()];
                if let Some(node) = value.pointer_mut(&pointer) {
                    *node = match &*node {
                        Value::String(s) => {
                            let chars: Vec<char> = s.chars().collect();
                            let at = at % (chars.len() + 1);
                            let mut out: String = chars[..at].iter().collect();
                            out.push_str(odd);
                            out.extend(&chars[at..]);
                            Value::String(out)
                        }
                        _ => Value::String(odd.repeat(1 + at % 4)),
                    };
                }
            }
            Mutation::Deepen(sel, levels, objects) => {
                let pointer = select(&value, *sel);
                if let Some(node) = value.pointer_mut(&pointer) {
                    let mut wrapped = node.take();
                    for _ in 0..*levels {
                        wrapped = if *objects {
                            json!({ "a": wrapped })
                        } else {
                            json!([wrapped])
                        };
                    }
                    *node = wrapped;
                }
            }
            Mutation::Truncate(at) => truncate = Some(*at),
        }
    }
    let mut text =
        to_text(&value, "", duplicate.as_ref().map(|(p, v)| (p.as_str(), v))).into_bytes();
    if let Some(at) = truncate {
        text.truncate(at % (text.len() + 1));
    }
    // Deeply nested values are dropped iteratively to keep this test's own stack small.
    drop_iteratively(value);
    text
}

fn drop_iteratively(value: Value) {
    let mut stack = vec![value];
    while let Some(mut v) = stack.pop() {
        match &mut v {
            Value::Array(items) => stack.append(items),
            Value::Object(map) => stack.extend(std::mem::take(map).into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Notifications.

const SECRET: &str = common::SHARED_SECRET;
const CALLBACK_URI: &str = "/cardflo/notifications?order=1001&shop=7";

/// 2020-07-21T13:15:03Z.
fn signed_at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_595_337_303)
}

fn verifier() -> Verifier {
    Verifier::new(SecretString::from(SECRET)).clock(signed_at)
}

fn sign(body: Vec<u8>) -> http::Request<Vec<u8>> {
    sign_notification(&SecretString::from(SECRET), CALLBACK_URI, body, signed_at()).unwrap()
}

/// A change to one signed part of a notification.
#[derive(Debug, Clone)]
enum SignedChange {
    Method(usize),
    BodyByte(usize, u8),
    BodyAppend(usize),
    BodyField(usize, usize),
    ContentType(usize, u8),
    Date(i64),
    Path(usize),
    Query(usize),
}

fn signed_change() -> impl Strategy<Value = SignedChange> {
    prop_oneof![
        any::<usize>().prop_map(SignedChange::Method),
        (any::<usize>(), 1u8..=255).prop_map(|(a, b)| SignedChange::BodyByte(a, b)),
        any::<usize>().prop_map(SignedChange::BodyAppend),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| SignedChange::BodyField(a, b)),
        (any::<usize>(), 0x20u8..0x7f).prop_map(|(a, b)| SignedChange::ContentType(a, b)),
        prop_oneof![-10_000_000i64..=-1, 1i64..=10_000_000].prop_map(SignedChange::Date),
        any::<usize>().prop_map(SignedChange::Path),
        any::<usize>().prop_map(SignedChange::Query),
    ]
}

/// Applies the change; `None` when it happens to change nothing.
fn change(
    request: &http::Request<Vec<u8>>,
    change: &SignedChange,
) -> Option<http::Request<Vec<u8>>> {
    let mut changed = request.clone();
    match change {
        SignedChange::Method(i) => {
            let methods = ["GET", "PUT", "PATCH", "DELETE", "OPTIONS", "post", "HEAD"];
            let method = methods[i % methods.len()];
            *changed.method_mut() = http::Method::from_bytes(method.as_bytes()).ok()?;
        }
        SignedChange::BodyByte(i, xor) => {
            let body = changed.body_mut();
            let at = i % body.len();
            body[at] ^= xor;
        }
        SignedChange::BodyAppend(i) => {
            let tails: [&[u8]; 4] = [b" ", b"\n", b"{}", b"\0"];
            changed.body_mut().extend_from_slice(tails[i % tails.len()]);
        }
        SignedChange::BodyField(sel, choice) => {
            let mut value: Value = serde_json::from_slice(request.body()).ok()?;
            let all = pointers(&value);
            let pointer = all[1 + sel % (all.len() - 1)].clone();
            let node = value.pointer_mut(&pointer)?;
            let new = match node {
                Value::String(s) => Value::String(format!("{s}{}", choice % 10)),
                Value::Number(_) => json!(choice % 1000),
                _ => replacement(*choice),
            };
            if *node == new {
                return None;
            }
            *node = new;
            *changed.body_mut() = serde_json::to_vec(&value).ok()?;
        }
        SignedChange::ContentType(i, byte) => {
            let current = request.headers()["content-type"].as_bytes().to_vec();
            let mut new = current.clone();
            let at = i % new.len();
            new[at] = *byte;
            if new == current {
                return None;
            }
            changed
                .headers_mut()
                .insert("content-type", HeaderValue::from_bytes(&new).ok()?);
        }
        SignedChange::Date(shift) => {
            let at = if *shift > 0 {
                signed_at() + Duration::from_secs(shift.unsigned_abs())
            } else {
                signed_at() - Duration::from_secs(shift.unsigned_abs())
            };
            let date = payments_signing::http::format_http_date(at);
            let value = HeaderValue::from_str(&date).ok()?;
            // The signed date, wherever the gateway puts it.
            changed.headers_mut().insert("date", value.clone());
            changed.headers_mut().insert("x-date", value);
        }
        SignedChange::Path(i) => {
            let paths = [
                "/cardflo/notification?order=1001&shop=7",
                "/cardflo/notifications/?order=1001&shop=7",
                "/Cardflo/notifications?order=1001&shop=7",
                "/other/cardflo/notifications?order=1001&shop=7",
                "/cardflo%2Fnotifications?order=1001&shop=7",
            ];
            *changed.uri_mut() = paths[i % paths.len()].parse().ok()?;
        }
        SignedChange::Query(i) => {
            let queries = [
                "/cardflo/notifications?order=1002&shop=7",
                "/cardflo/notifications?order=1001&shop=7&x=1",
                "/cardflo/notifications?shop=7&order=1001",
                "/cardflo/notifications?order=1001",
                "/cardflo/notifications",
                "/cardflo/notifications?",
                "/cardflo/notifications?order=1001&shop=8",
            ];
            *changed.uri_mut() = queries[i % queries.len()].parse().ok()?;
        }
    }
    Some(changed)
}

// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_answers_never_panic(
        status in statuses(),
        headers in retry_after(),
        body in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        timed("decoding arbitrary bytes", || decode_everything(status, &headers, &body));
    }

    #[test]
    fn arbitrary_notifications_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        signature in proptest::collection::vec(any::<u8>(), 0..120),
        date in proptest::collection::vec(any::<u8>(), 0..40),
        uri_tail in "[a-zA-Z0-9/?&=%._-]{0,40}",
        sign_it in any::<bool>(),
    ) {
        let uri = format!("/{uri_tail}");
        let request = if sign_it {
            // Validly signed arbitrary bytes: the parser behind the verifier runs.
            sign_notification(&SecretString::from(SECRET), &uri, body, signed_at()).ok()
        } else {
            let mut builder = http::Request::post(uri.as_str());
            if let Ok(v) = HeaderValue::from_bytes(&signature) {
                builder = builder.header("x-signature", v);
            }
            if let Ok(v) = HeaderValue::from_bytes(&date) {
                builder = builder.header("date", v);
            }
            builder.body(body).ok()
        };
        if let Some(request) = request {
            let result = timed("verifying arbitrary bytes", || verifier().verify(&request));
            match result {
                Ok(_) => prop_assert!(sign_it),
                Err(Error::Webhook(e)) => {
                    if sign_it {
                        let is_payload = matches!(*e, WebhookError::Payload { .. });
                        prop_assert!(is_payload, "{:?}", e);
                    }
                }
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
        }
    }
}

proptest! {
    #![proptest_config(config(768))]

    #[test]
    fn mutated_documented_answers_never_panic(
        index in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..5),
        status in statuses(),
    ) {
        let answers = documented_answers();
        let original = &answers[index % answers.len()];
        let body = mutate(original, &mutations);
        timed("decoding a mutated answer", || decode_everything(status, &HeaderMap::new(), &body));
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn mutated_documented_notifications_are_verified_then_parsed_without_panic(
        index in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..5),
    ) {
        let notifications = documented_notifications();
        let original = &notifications[index % notifications.len()];
        let request = sign(mutate(original, &mutations));
        match timed("verifying a mutated notification", || verifier().verify(&request)) {
            Ok(_) => {}
            Err(Error::Webhook(e)) => {
                let is_payload = matches!(*e, WebhookError::Payload { .. });
                prop_assert!(is_payload, "signed correctly, so only the body may fail: {:?}", e);
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    #[test]
    fn any_change_to_a_signed_part_is_rejected(
        index in any::<usize>(),
        what in signed_change(),
    ) {
        let notifications = documented_notifications();
        let original = sign(notifications[index % notifications.len()].clone());
        prop_assert!(verifier().verify(&original).is_ok(), "the signed original verifies");
        let Some(changed) = change(&original, &what) else {
            return Ok(());
        };
        let result = timed("verifying a changed notification", || verifier().verify(&changed));
        let rejected = matches!(
            &result,
            Err(Error::Webhook(e)) if **e == WebhookError::InvalidSignature
        );
        prop_assert!(rejected, "{:?} was accepted or misreported: {:?}", what, result.map(|_| ()));
    }
}

/// Each signed part, changed once, deterministically (the property above samples them).
#[test]
fn each_signed_part_of_each_documented_notification_is_covered() {
    for body in documented_notifications() {
        let original = sign(body);
        verifier().verify(&original).unwrap();
        for what in [
            SignedChange::Method(0),
            SignedChange::BodyByte(10, 1),
            SignedChange::BodyAppend(0),
            SignedChange::BodyField(0, 1),
            SignedChange::ContentType(0, b'A'),
            SignedChange::Date(1),
            SignedChange::Date(-1),
            SignedChange::Path(0),
            SignedChange::Query(0),
            SignedChange::Query(4),
        ] {
            let changed = change(&original, &what).unwrap();
            assert!(
                matches!(verifier().verify(&changed), Err(Error::Webhook(e)) if *e == WebhookError::InvalidSignature),
                "{what:?}"
            );
        }
    }
}
