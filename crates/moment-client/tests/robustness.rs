//! Property tests of every inbound entry point: the response decoders of [`decode`] and the
//! webhook [`Verifier`].
//!
//! * arbitrary bytes (and arbitrary statuses and headers) never panic, and a `2xx` is either
//!   the object or a decode error, anything else a provider error;
//! * structure-aware mutations of the documented examples (`fixtures/moment/`) — fields
//!   dropped, duplicated, retyped, numbers turned into strings and back, unicode inserted,
//!   nesting deepened, bodies truncated — never panic, and each case takes under 250 ms;
//! * any change to a signed part of a webhook (`webhook-id`, `webhook-timestamp`, the body) is
//!   rejected.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderValue, StatusCode};
use moment_client::webhook::{self, Verifier};
use moment_client::{Error, SecretString, WebhookError, decode};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};

/// The bound on one case (decoding with every decoder, or signing and verifying).
const CASE_BUDGET: Duration = Duration::from_millis(250);

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
// The published Standard Webhooks vector.
const VECTOR_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const VECTOR_TIMESTAMP: i64 = 1_614_265_330;
const VECTOR_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const VECTOR_BODY: &[u8] = br#"{"test": 2432232314}"#;

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/moment/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The documented answers and events the mutations start from.
const ANSWERS: [&str; 4] = [
    "create-session-response",
    "payment-session",
    "payment-retrieve-response",
    "problem-not-found",
];
const EVENTS: [&str; 2] = [
    "webhook-payment-session-completed",
    "webhook-payment-failed",
];

fn secret() -> SecretString {
    SecretString::from(SECRET)
}

fn at(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).unwrap())
}

/// Runs every response decoder on one answer; checks the kind of the outcome and that the
/// error prints.
fn decode_all(status: StatusCode, headers: &HeaderMap, body: &[u8]) {
    let started = Instant::now();
    let outcomes: [Result<(), Error>; 5] = [
        decode::create_payment_session(status, headers, body).map(drop),
        decode::retrieve_payment_session(status, headers, body).map(drop),
        decode::retrieve_payment(status, headers, body).map(drop),
        decode::capture_payment(status, headers, body).map(drop),
        decode::void_payment(status, headers, body).map(drop),
    ];
    for outcome in outcomes {
        match outcome {
            Ok(()) => assert!(status.is_success(), "{status} decoded as a success"),
            Err(Error::Decode(e)) => {
                assert!(status.is_success(), "{status}: {e}");
                let _ = format!("{e} {e:?}");
            }
            Err(Error::Provider(e)) => {
                assert!(!status.is_success(), "{status}: {e}");
                assert_eq!(e.status(), status);
                let _ = format!("{e} {e:?}");
            }
            Err(other) => panic!("{status}: unexpected {other:?}"),
        }
    }
    assert!(
        started.elapsed() < CASE_BUDGET,
        "decoding took {:?}",
        started.elapsed()
    );
}

/// Signs `body` as Moment would and verifies it: the signature always holds, so the outcome
/// is the event or a decode error, never a webhook error.
fn sign_and_verify(body: Vec<u8>) {
    let started = Instant::now();
    let request =
        webhook::sign_notification(&secret(), "msg_prop", at(VECTOR_TIMESTAMP), body).unwrap();
    let verifier = Verifier::new(&secret())
        .unwrap()
        .clock(|| at(VECTOR_TIMESTAMP));
    match verifier.verify(&request) {
        Ok(event) => assert_eq!(event.webhook_id, "msg_prop"),
        Err(Error::Decode(e)) => {
            assert_eq!(e.operation(), "webhook");
            let _ = format!("{e} {e:?}");
        }
        Err(other) => panic!("a correctly signed body was refused: {other:?}"),
    }
    assert!(
        started.elapsed() < CASE_BUDGET,
        "verifying took {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// Structure-aware mutations.

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Every path to a value of the document (the root is the empty path).
fn paths(value: &Value, prefix: &mut Vec<Segment>, out: &mut Vec<Vec<Segment>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Segment::Key(key.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(Segment::Index(i));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn at_path<'v>(value: &'v mut Value, path: &[Segment]) -> &'v mut Value {
    path.iter().fold(value, |v, segment| match segment {
        Segment::Key(key) => &mut v[key.as_str()],
        Segment::Index(i) => &mut v[*i],
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the member (or element); the root becomes an empty body.
    Drop,
    /// Repeat the member (a duplicate key in the text) or the element.
    Duplicate,
    /// Replace the value with one of another type.
    Retype(Value),
    /// A number becomes its text, a string becomes a number, a boolean its text.
    NumberString,
    /// Insert text (any unicode) into a string or a key.
    Unicode(String, Index),
    /// Wrap the value in this many arrays or objects.
    Deepen(usize, bool),
    /// Cut the serialized document at this byte.
    Truncate(Index),
}

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        prop::collection::vec(any::<char>(), 0..12)
            .prop_map(|chars| Value::String(chars.into_iter().collect())),
        Just(json!([])),
        Just(json!({})),
        Just(json!("-1")),
        Just(json!("1e400")),
        Just(json!(18_446_744_073_709_551_615_u64)),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Drop),
        Just(Mutation::Duplicate),
        any_value().prop_map(Mutation::Retype),
        Just(Mutation::NumberString),
        (
            prop::collection::vec(any::<char>(), 1..8).prop_map(|c| c.into_iter().collect()),
            any::<Index>()
        )
            .prop_map(|(text, at)| Mutation::Unicode(text, at)),
        (1_usize..400, any::<bool>()).prop_map(|(depth, arrays)| Mutation::Deepen(depth, arrays)),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

/// A unique placeholder for text-level edits.
const MARK: &str = "__mutation_mark_5f1c__";

/// Applies `mutation` at the path chosen by `target`; returns the mutated body.
fn mutate(document: &Value, target: Index, mutation: &Mutation) -> Vec<u8> {
    let mut all = Vec::new();
    paths(document, &mut Vec::new(), &mut all);
    let path = target.get(&all).clone();
    let mut doc = document.clone();
    match mutation {
        Mutation::Drop => {
            let Some((last, parent)) = path.split_last() else {
                return Vec::new();
            };
            match (at_path(&mut doc, parent), last) {
                (Value::Object(map), Segment::Key(key)) => {
                    map.remove(key);
                }
                (Value::Array(items), Segment::Index(i)) => {
                    items.remove(*i);
                }
                _ => unreachable!("paths follow the document"),
            }
        }
        Mutation::Duplicate => match path.split_last() {
            None => {
                // The whole document twice: trailing characters.
                let text = doc.to_string();
                return format!("{text}{text}").into_bytes();
            }
            Some((Segment::Index(i), parent)) => {
                if let Value::Array(items) = at_path(&mut doc, parent) {
                    let copy = items[*i].clone();
                    items.insert(*i, copy);
                }
            }
            Some((Segment::Key(key), _)) => {
                let value = std::mem::replace(at_path(&mut doc, &path), json!(MARK));
                let key = Value::String(key.clone()).to_string();
                let member = format!("{key}:{value}");
                return doc
                    .to_string()
                    .replacen(
                        &format!("{key}:\"{MARK}\""),
                        &format!("{member},{member}"),
                        1,
                    )
                    .into_bytes();
            }
        },
        Mutation::Retype(value) => *at_path(&mut doc, &path) = value.clone(),
        Mutation::NumberString => {
            let slot = at_path(&mut doc, &path);
            *slot = match slot.take() {
                Value::Number(n) => Value::String(n.to_string()),
                Value::String(s) => match serde_json::from_str::<serde_json::Number>(&s) {
                    Ok(n) => Value::Number(n),
                    Err(_) => json!(s.len()),
                },
                Value::Bool(b) => Value::String(b.to_string()),
                other => Value::String(other.to_string()),
            };
        }
        Mutation::Unicode(text, position) => {
            let slot = at_path(&mut doc, &path);
            match slot {
                Value::String(s) => {
                    let boundaries: Vec<usize> =
                        s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
                    s.insert_str(*position.get(&boundaries), text);
                }
                Value::Object(map) => {
                    let renamed: Map<String, Value> = std::mem::take(map)
                        .into_iter()
                        .map(|(k, v)| (format!("{k}{text}"), v))
                        .collect();
                    *map = renamed;
                }
                other => *other = Value::String(text.clone()),
            }
        }
        Mutation::Deepen(depth, arrays) => {
            let slot = at_path(&mut doc, &path);
            let mut value = slot.take();
            for _ in 0..*depth {
                value = if *arrays {
                    json!([value])
                } else {
                    json!({ "a": value })
                };
            }
            *slot = value;
            // Serialized without recursion limits: the result goes as text.
            return doc.to_string().into_bytes();
        }
        Mutation::Truncate(cut) => {
            let text = doc.to_string().into_bytes();
            let end = cut.index(text.len() + 1);
            return text[..end].to_vec();
        }
    }
    doc.to_string().into_bytes()
}

fn documents(names: &[&str]) -> Vec<Value> {
    names
        .iter()
        .map(|name| serde_json::from_str(&fixture(name)).unwrap())
        .collect()
}

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn arbitrary_answers_never_panic(
        status in 100_u16..600,
        body in prop::collection::vec(any::<u8>(), 0..1024),
        retry_after in prop::collection::vec(any::<u8>(), 0..40),
        replayed in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let status = StatusCode::from_u16(status).unwrap();
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_bytes(&retry_after) {
            headers.insert(http::header::RETRY_AFTER, value);
        }
        if let Ok(value) = HeaderValue::from_bytes(&replayed) {
            headers.insert("idempotent-replayed", value);
        }
        decode_all(status, &headers, &body);
    }

    #[test]
    fn arbitrary_json_like_text_never_panics(
        status in prop_oneof![Just(200_u16), Just(201), Just(400), Just(409), Just(503)],
        pieces in prop::collection::vec(
            prop_oneof![
                Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"),
                Just("\"id\""), Just("\"amount\""), Just("\"status\""), Just("\"metadata\""),
                Just("\"type\""), Just("\"data\""), Just("\"detail\""), Just("\"client_token\""),
                Just("\"payment_method_details\""), Just("\"card\""), Just("\"extra\""),
                Just("1"), Just("-1"), Just("\"1\""), Just("1.5"), Just("null"), Just("true"),
                Just("\"\\u00e9\""), Just("\"\\ud800\""), Just("\"sk_test_x\""), Just("\"é\""),
            ],
            0..64,
        ),
    ) {
        let body = pieces.concat();
        decode_all(StatusCode::from_u16(status).unwrap(), &HeaderMap::new(), body.as_bytes());
        sign_and_verify(body.into_bytes());
    }

    #[test]
    fn mutated_documented_answers_never_panic(
        document in prop::sample::select(documents(&ANSWERS)),
        target in any::<Index>(),
        mutation in mutation(),
        status in prop_oneof![Just(200_u16), Just(201), Just(404), Just(409), Just(429), Just(500)],
    ) {
        let body = mutate(&document, target, &mutation);
        decode_all(StatusCode::from_u16(status).unwrap(), &HeaderMap::new(), &body);
    }

    #[test]
    fn mutated_documented_events_never_panic(
        document in prop::sample::select(documents(&EVENTS)),
        target in any::<Index>(),
        mutation in mutation(),
    ) {
        sign_and_verify(mutate(&document, target, &mutation));
    }

    #[test]
    fn arbitrary_signed_bodies_never_panic(body in prop::collection::vec(any::<u8>(), 0..1024)) {
        sign_and_verify(body);
    }

    #[test]
    fn arbitrary_deliveries_are_rejected(
        id in prop::collection::vec(any::<u8>(), 0..40),
        timestamp in prop::collection::vec(any::<u8>(), 0..24),
        signature in prop::collection::vec(any::<u8>(), 0..120),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let started = Instant::now();
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("webhook-id", &id),
            ("webhook-timestamp", &timestamp),
            ("webhook-signature", &signature),
        ] {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                headers.insert(name, value);
            }
        }
        let verifier = Verifier::new(&secret()).unwrap();
        let outcome = verifier.verify_parts(&headers, &body);
        prop_assert!(matches!(outcome, Err(Error::Webhook(_))), "{outcome:?}");
        prop_assert!(started.elapsed() < CASE_BUDGET);
    }
}

// ---------------------------------------------------------------------------------------------
// Signed fields: every change is rejected.

/// A change to one signed part of a delivery.
#[derive(Debug, Clone)]
enum Tamper {
    /// Flip bits of one byte of the body.
    BodyByte(Index, u8),
    /// Insert a byte into the body.
    BodyInsert(Index, u8),
    /// Remove a byte of the body.
    BodyRemove(Index),
    /// Another `webhook-id` (any visible ASCII but the original).
    Id(String),
    /// Another timestamp within the tolerance: the signature, not the clock, refuses it.
    TimestampBy(i64),
    /// The same number written differently (`+…`, a leading zero).
    TimestampText(bool),
}

fn tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        (any::<Index>(), 1_u8..=255).prop_map(|(i, bits)| Tamper::BodyByte(i, bits)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Tamper::BodyInsert(i, b)),
        any::<Index>().prop_map(Tamper::BodyRemove),
        "[!-~]{1,40}".prop_map(Tamper::Id),
        (1_i64..=180, any::<bool>()).prop_map(|(delta, later)| Tamper::TimestampBy(if later {
            delta
        } else {
            -delta
        })),
        any::<bool>().prop_map(Tamper::TimestampText),
    ]
}

/// A delivery as three header values and a body.
struct Delivery {
    id: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

impl Delivery {
    fn request(&self) -> http::Request<Vec<u8>> {
        http::Request::builder()
            .method("POST")
            .uri("/webhooks/moment")
            .header("webhook-id", &self.id)
            .header("webhook-timestamp", &self.timestamp)
            .header("webhook-signature", &self.signature)
            .body(self.body.clone())
            .unwrap()
    }

    /// Applies the change; `false` when it happens to change nothing.
    fn tamper(&mut self, tamper: &Tamper) -> bool {
        match tamper {
            Tamper::BodyByte(i, bits) => {
                if self.body.is_empty() {
                    self.body.push(*bits);
                } else {
                    let i = i.index(self.body.len());
                    self.body[i] ^= bits;
                }
            }
            Tamper::BodyInsert(i, byte) => {
                let i = i.index(self.body.len() + 1);
                self.body.insert(i, *byte);
            }
            Tamper::BodyRemove(i) => {
                if self.body.is_empty() {
                    return false;
                }
                let i = i.index(self.body.len());
                self.body.remove(i);
            }
            Tamper::Id(id) => {
                if *id == self.id {
                    return false;
                }
                self.id.clone_from(id);
            }
            Tamper::TimestampBy(delta) => {
                let t: i64 = self.timestamp.parse().unwrap();
                self.timestamp = (t + delta).to_string();
            }
            Tamper::TimestampText(plus) => {
                self.timestamp = if *plus {
                    format!("+{}", self.timestamp)
                } else {
                    format!("0{}", self.timestamp)
                };
            }
        }
        true
    }
}

/// The published vector, and the documented events signed for this test.
fn signed_deliveries() -> Vec<(Delivery, i64)> {
    let mut out = vec![(
        Delivery {
            id: VECTOR_ID.to_owned(),
            timestamp: VECTOR_TIMESTAMP.to_string(),
            signature: VECTOR_SIGNATURE.to_owned(),
            body: VECTOR_BODY.to_vec(),
        },
        VECTOR_TIMESTAMP,
    )];
    for (n, name) in EVENTS.iter().enumerate() {
        let body = fixture(name).into_bytes();
        let signed_at = 1_700_000_000 + i64::try_from(n).unwrap();
        let id = format!("msg_fixture_{n}");
        let signature = webhook::sign(&secret(), &id, signed_at, &body).unwrap();
        out.push((
            Delivery {
                id,
                timestamp: signed_at.to_string(),
                signature,
                body,
            },
            signed_at,
        ));
    }
    out
}

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn any_change_to_a_signed_field_is_rejected(
        which in any::<Index>(),
        change in tamper(),
    ) {
        let mut deliveries = signed_deliveries();
        let (delivery, signed_at) = &mut deliveries[which.index(3)];
        let verifier = Verifier::new(&secret()).unwrap().clock({
            let now = at(*signed_at);
            move || now
        });
        // The untouched delivery verifies (its body may not be an event: the vector is not).
        prop_assert!(!matches!(verifier.verify(&delivery.request()), Err(Error::Webhook(_))));
        if delivery.tamper(&change) {
            let outcome = verifier.verify(&delivery.request());
            prop_assert!(
                matches!(outcome, Err(Error::Webhook(WebhookError::NoMatchingSignature))),
                "{change:?} was not rejected: {outcome:?}"
            );
        }
    }
}
