//! Property tests of every inbound entry point: the response decoders (`decode::*`), webhook
//! and redirect verification (`webhook::Verifier`), and refund-webhook parsing.
//!
//! * arbitrary bytes (and arbitrary query strings) never panic;
//! * structure-aware mutations of the documented examples — fields dropped, duplicated or
//!   retyped, numbers turned into strings and back, out-of-range number texts, unicode inserted,
//!   nesting deepened, the text truncated — never panic, and each case takes well under 250 ms;
//! * any change to a signed field of a signed example makes verification fail.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::{Duration, Instant};

use http::{HeaderMap, StatusCode};
use portone_client::testing::{Operation, Reply};
use portone_client::webhook::{
    self, PAYMENT_LINK_WEBHOOK_SIGNED_FIELDS, PAYMENT_WEBHOOK_SIGNED_FIELDS,
    REDIRECT_SIGNED_FIELDS, Signer, Verifier,
};
use portone_client::{Error, SecretString, decode};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Map, Value, json};

const SECRET: &str = "robustness-test-secret";
const BUDGET: Duration = Duration::from_millis(250);

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

type Decoder = fn(StatusCode, &HeaderMap, &[u8]) -> Result<(), Error>;

/// Every response decoder, with the operation it belongs to.
fn decoders() -> Vec<(Operation, Decoder)> {
    macro_rules! table {
        ($($op:ident => $name:ident),+ $(,)?) => {
            vec![$((Operation::$op, (|s, h, b| decode::$name(s, h, b).map(drop)) as Decoder)),+]
        };
    }
    table!(
        AuthToken => auth_token,
        PaymentMethods => payment_methods,
        CreatePaymentLink => create_payment_link,
        InitiatePayment => initiate_payment,
        CardPublicKey => card_public_key,
        TokenizeCard => tokenize_card,
        SendOtp => send_otp,
        SavedCards => saved_cards,
        AddCustomer => add_customer,
        Customer => customer,
        AddCardForCustomer => add_card_for_customer,
        ListCards => list_cards,
        DeleteCard => delete_card,
        Capture => capture,
        Routes => routes,
        TransactionStatus => transaction_status,
        TransactionDetails => transaction_details,
        Refund => refund,
        Refunds => refunds,
        PaymentLinkStatus => payment_link_status,
        CancelPaymentLink => cancel_payment_link,
    )
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../../fixtures/portone/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The documented answers, each with the operation it answers: PortOne's examples from
/// `fixtures/portone/`, and the mock's answer for operations PortOne gives no example of.
fn seeds() -> Vec<(Operation, Value)> {
    use Operation as O;
    let mut seeds = vec![
        (O::AuthToken, fixture("auth-token-response")),
        (O::AuthToken, fixture("auth-token-error-merchant-not-found")),
        (O::AuthToken, fixture("auth-token-error-invalid-request")),
        (
            O::PaymentMethods,
            json!({ "CARD": [fixture("payment-methods-item-stripe")] }),
        ),
        (O::CreatePaymentLink, fixture("payment-link-response")),
        (
            O::CreatePaymentLink,
            fixture("payment-link-error-signature-required"),
        ),
        (O::InitiatePayment, fixture("initiate-payment-response")),
        (
            O::InitiatePayment,
            fixture("initiate-payment-error-initiated"),
        ),
        (
            O::InitiatePayment,
            fixture("initiate-payment-error-string-is-success"),
        ),
        (
            O::InitiatePayment,
            fixture("initiate-payment-error-signature-required"),
        ),
        (O::SavedCards, fixture("saved-cards-response")),
        (O::SavedCards, fixture("saved-cards-error")),
        (O::AddCardForCustomer, fixture("add-card-response")),
        (O::AddCardForCustomer, fixture("add-card-error-duplicate")),
        (O::ListCards, fixture("list-cards-response")),
        (O::ListCards, fixture("list-cards-error-customer-not-found")),
        (O::DeleteCard, fixture("delete-card-response")),
        (O::DeleteCard, fixture("delete-card-error")),
        (O::TransactionStatus, fixture("transaction-status-response")),
        (
            O::TransactionDetails,
            fixture("transaction-details-error-not-found"),
        ),
        (
            O::PaymentLinkStatus,
            fixture("payment-link-status-response"),
        ),
        (O::Capture, fixture("jwt-error-4054")),
        (O::Refunds, fixture("jwt-error-invalid-jwt-token")),
        (O::Routes, fixture("jwt-error-parsing")),
    ];
    for op in Operation::ALL {
        seeds.push((op, Reply::documented(op).0));
    }
    seeds
}

/// The documented payment webhook, signed with [`SECRET`] (its published signature was made
/// with an unpublished secret).
fn signed_payment_webhook() -> Value {
    let body = serde_json::to_vec(&fixture("payment-webhook")).unwrap();
    let signed = Signer::new(SecretString::from(SECRET))
        .sign_payment_webhook(&body)
        .unwrap();
    serde_json::from_slice(&signed).unwrap()
}

/// A payment-link webhook with the documented fields, signed with [`SECRET`].
fn signed_payment_link_webhook() -> Value {
    let body = json!({
        "link_ref": "2kxG67L5yd3d6spRv76uE1QWnR5",
        "link": "https://checkout.portone.cloud?ref=2kxG67L5yd3d6spRv76uE1QWnR5",
        "amount": 19010,
        "currency": "VND",
        "countryCode": "VN",
        "merchant_order_ref": "2212D256605F222",
        "status": "Success",
        "success_url": "https://shop.example/success",
        "portone_key": "MockPortOneKey01"
    });
    let signed = Signer::new(SecretString::from(SECRET))
        .sign_payment_link_webhook(&serde_json::to_vec(&body).unwrap())
        .unwrap();
    serde_json::from_slice(&signed).unwrap()
}

/// The published redirect vector (secret `PORTONE_SECRET`), as query pairs.
const REDIRECT_SECRET: &str = "PORTONE_SECRET";
const REDIRECT_QUERY: &str = "channel_order_ref=pi_3KyTl5Jrbhj1WB8Z017xJS9i&merchant_order_ref=MERCHANT1617366877238&order_ref=2937z05mrtN17ZYigwZhfKdqEGQ&status=Success&signature_hash=XhSOYiIW1aUFfVRi3zpYQOuVX3MNKlKY%2FRhy3rSlEHs%3D";

fn redirect_pairs() -> Vec<(String, String)> {
    url::form_urlencoded::parse(REDIRECT_QUERY.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn encode(pairs: &[(String, String)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let elapsed = started.elapsed();
    assert!(elapsed < BUDGET, "{what} took {elapsed:?}");
    out
}

// ---------------------------------------------------------------------------------------------
// Mutations

/// Number texts that do not fit a float, an integer or a decimal.
const RAW_NUMBERS: &[&str] = &[
    "1e999",
    "-1e-999",
    "1e400",
    "123456789012345678901234567890",
    "0.000000000000000000000000000000001",
    "-0",
    "1E+2",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1.7976931348623157e309",
    "79228162514264337593543950336",
    "1e28",
    "0.1e-28",
];

/// A marker for a raw number text, substituted after serialization.
const RAW: &str = "\u{0}RAW:";

#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the field or element at the node.
    Drop(usize),
    /// Replace the node with another value (any type).
    Retype(usize, Value),
    /// A number becomes its text, a string holding a number becomes the number.
    NumberString(usize),
    /// Insert text (any unicode) into a string, or replace a scalar with it.
    Unicode(usize, String),
    /// Wrap the node in `levels` arrays or objects.
    Deepen(usize, u8, bool),
    /// Put an out-of-range number text in place of the node.
    RawNumber(usize, usize),
    /// Add a second occurrence of an existing key (textually) at an object.
    Duplicate(usize, Value),
}

fn arb_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<String>().prop_map(Value::String),
        "[0-9]{1,30}(\\.[0-9]{1,30})?".prop_map(Value::String),
        "-?[0-9]{1,3}(\\.[0-9]{1,3})?[eE][+-]?[0-9]{1,12}".prop_map(Value::String),
        Just(Value::String(String::new())),
    ]
}

fn arb_value() -> impl Strategy<Value = Value> {
    arb_scalar().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    let node = any::<usize>();
    prop_oneof![
        node.prop_map(Mutation::Drop),
        (node, arb_value()).prop_map(|(n, v)| Mutation::Retype(n, v)),
        node.prop_map(Mutation::NumberString),
        (node, any::<String>()).prop_map(|(n, s)| Mutation::Unicode(n, s)),
        (node, 1u8..40, any::<bool>()).prop_map(|(n, l, o)| Mutation::Deepen(n, l, o)),
        (node, 0..RAW_NUMBERS.len()).prop_map(|(n, r)| Mutation::RawNumber(n, r)),
        (node, arb_value()).prop_map(|(n, v)| Mutation::Duplicate(n, v)),
    ]
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// JSON pointers of every node, in pre-order.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((ptr, v)) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    stack.push((format!("{ptr}/{}", escape_pointer(k)), child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    stack.push((format!("{ptr}/{i}"), child));
                }
            }
            _ => {}
        }
        out.push(ptr);
    }
    out
}

fn pick(value: &Value, n: usize) -> String {
    let all = pointers(value);
    all[n % all.len()].clone()
}

/// Applies `mutation`; returns a textual duplicate to insert after serialization, if any.
fn apply(value: &mut Value, mutation: &Mutation) -> Option<(String, Value)> {
    match mutation {
        Mutation::Drop(n) => {
            let ptr = pick(value, *n);
            let Some((parent, last)) = ptr.rsplit_once('/') else {
                *value = Value::Null;
                return None;
            };
            let key = last.replace("~1", "/").replace("~0", "~");
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
        Mutation::Retype(n, v) => {
            let ptr = pick(value, *n);
            if let Some(node) = value.pointer_mut(&ptr) {
                *node = v.clone();
            }
        }
        Mutation::NumberString(n) => {
            let ptr = pick(value, *n);
            if let Some(node) = value.pointer_mut(&ptr) {
                *node = match node.take() {
                    Value::Number(num) => Value::String(num.to_string()),
                    Value::String(s) => serde_json::from_str::<serde_json::Number>(s.trim())
                        .map_or(Value::String(s), Value::Number),
                    Value::Bool(b) => Value::String(b.to_string()),
                    other => other,
                };
            }
        }
        Mutation::Unicode(n, text) => {
            let ptr = pick(value, *n);
            if let Some(node) = value.pointer_mut(&ptr) {
                *node = match node.take() {
                    Value::String(mut s) => {
                        let at = s
                            .char_indices()
                            .map(|(i, _)| i)
                            .nth(text.len() % (s.chars().count() + 1))
                            .unwrap_or(s.len());
                        s.insert_str(at, text);
                        Value::String(s)
                    }
                    Value::Object(map) => Value::Object(map),
                    Value::Array(items) => Value::Array(items),
                    _ => Value::String(text.clone()),
                };
            }
        }
        Mutation::Deepen(n, levels, objects) => {
            let ptr = pick(value, *n);
            if let Some(node) = value.pointer_mut(&ptr) {
                let mut inner = node.take();
                for _ in 0..*levels {
                    inner = if *objects {
                        let mut map = Map::new();
                        map.insert("a".into(), inner);
                        Value::Object(map)
                    } else {
                        Value::Array(vec![inner])
                    };
                }
                *node = inner;
            }
        }
        Mutation::RawNumber(n, r) => {
            let ptr = pick(value, *n);
            if let Some(node) = value.pointer_mut(&ptr) {
                *node = Value::String(format!("{RAW}{}", RAW_NUMBERS[*r]));
            }
        }
        Mutation::Duplicate(n, v) => {
            // A key of the object at (or around) the node.
            let ptr = pick(value, *n);
            let object = value
                .pointer(&ptr)
                .filter(|v| v.is_object())
                .or_else(|| value.as_object().map(|_| &*value));
            if let Some(key) = object
                .and_then(Value::as_object)
                .and_then(|m| m.keys().nth(*n % m.len().max(1)))
            {
                return Some((key.clone(), v.clone()));
            }
        }
    }
    None
}

/// Serializes `value` with the raw-number markers replaced and the duplicates inserted after
/// the first `{`.
fn render(value: &Value, duplicates: &[(String, Value)]) -> Vec<u8> {
    let mut text = serde_json::to_string(value).unwrap();
    for raw in RAW_NUMBERS {
        let marker = serde_json::to_string(&format!("{RAW}{raw}")).unwrap();
        text = text.replace(&marker, raw);
    }
    if let Some(open) = text.find('{') {
        for (key, v) in duplicates {
            let pair = format!("{}:{},", serde_json::to_string(key).unwrap(), v);
            text.insert_str(open + 1, &pair);
        }
    }
    text.into_bytes()
}

/// A mutated document: the mutations applied in order, then optionally truncated.
fn mutate(seed: &Value, mutations: &[Mutation], truncate: Option<usize>) -> Vec<u8> {
    let mut value = seed.clone();
    let mut duplicates = Vec::new();
    for m in mutations {
        if let Some(d) = apply(&mut value, m) {
            duplicates.push(d);
        }
    }
    let mut bytes = render(&value, &duplicates);
    if let Some(at) = truncate {
        bytes.truncate(at % (bytes.len() + 1));
    }
    bytes
}

const STATUSES: &[u16] = &[200, 201, 204, 400, 401, 404, 409, 429, 500, 502, 503];

fn arb_status() -> impl Strategy<Value = StatusCode> {
    prop::sample::select(STATUSES).prop_map(|s| StatusCode::from_u16(s).unwrap())
}

fn arb_headers() -> impl Strategy<Value = HeaderMap> {
    prop::option::of(prop_oneof![
        "[0-9]{1,25}",
        ".{0,40}",
        Just("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
    ])
    .prop_map(|retry_after| {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after.and_then(|v| http::HeaderValue::from_str(&v).ok()) {
            headers.insert(http::header::RETRY_AFTER, value);
        }
        headers
    })
}

fn truncation() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![3 => Just(None), 1 => any::<usize>().prop_map(Some)]
}

// ---------------------------------------------------------------------------------------------
// Response decoding

proptest! {
    #![proptest_config(config(700))]

    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(
        which in any::<usize>(),
        status in arb_status(),
        headers in arb_headers(),
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let decoders = decoders();
        let (op, decoder) = decoders[which % decoders.len()];
        let _ = timed(&format!("{op:?}"), || decoder(status, &headers, &body));
    }
}

proptest! {
    #![proptest_config(config(900))]

    #[test]
    fn decoders_never_panic_on_mutated_documented_answers(
        which in any::<usize>(),
        status in arb_status(),
        headers in arb_headers(),
        mutations in prop::collection::vec(arb_mutation(), 1..5),
        truncate in truncation(),
    ) {
        let seeds = seeds();
        let (op, seed) = &seeds[which % seeds.len()];
        let body = mutate(seed, &mutations, truncate);
        let decoder = decoders().into_iter().find(|(o, _)| o == op).unwrap().1;
        let result = timed(&format!("{op:?}"), || decoder(status, &headers, &body));
        // A refused answer is never a success.
        if !status.is_success() {
            prop_assert!(result.is_err());
        }
        if let Err(err) = result {
            // Errors render, and carry no more than an excerpt of the body.
            prop_assert!(err.to_string().len() < 4096);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Webhooks and redirects

fn verifier() -> Verifier {
    Verifier::new(SecretString::from(SECRET))
}

fn webhook_request(
    body: Vec<u8>,
    content_type: Option<&str>,
    query: &str,
) -> http::Request<Vec<u8>> {
    let uri = if query.is_empty() {
        "https://shop.example/hook".to_owned()
    } else {
        format!("https://shop.example/hook?{query}")
    };
    let mut builder = http::Request::post(uri.as_str());
    if let Some(ct) = content_type {
        builder = builder.header(http::header::CONTENT_TYPE, ct);
    }
    builder
        .body(body.clone())
        .or_else(|_| http::Request::post("https://shop.example/hook").body(body))
        .unwrap()
}

fn arb_content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(
        &[
            None,
            Some("application/json"),
            Some("application/x-www-form-urlencoded"),
            Some("text/plain"),
        ][..],
    )
}

fn arb_query() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_=&%0-9A-F+]{0,80}",
        any::<String>().prop_map(|s| url::form_urlencoded::byte_serialize(s.as_bytes()).collect()),
        prop::collection::vec(
            (
                prop::sample::select(&REDIRECT_SIGNED_FIELDS[..]),
                any::<String>()
            ),
            0..6
        )
        .prop_map(|pairs| {
            let mut out = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in pairs {
                out.append_pair(k, &v);
            }
            out.append_pair("signature_hash", "AAAA");
            out.finish()
        }),
    ]
}

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn webhook_entry_points_never_panic_on_arbitrary_input(
        body in prop::collection::vec(any::<u8>(), 0..512),
        content_type in arb_content_type(),
        query in arb_query(),
    ) {
        let verifier = verifier();
        let request = webhook_request(body.clone(), content_type, &query);
        prop_assert!(timed("verify", || verifier.verify(&request)).is_err());
        prop_assert!(timed("verify_redirect", || verifier.verify_redirect(&query)).is_err());
        let text = String::from_utf8_lossy(&body).into_owned();
        prop_assert!(timed("verify_redirect(body)", || verifier.verify_redirect(&text)).is_err());
        prop_assert!(timed("payment", || verifier.verify_payment_webhook(&body)).is_err());
        prop_assert!(timed("payment link", || verifier.verify_payment_link_webhook(&body)).is_err());
        let _ = timed("refund", || webhook::parse_refund_webhook(&body));
    }
}

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn webhook_entry_points_never_panic_on_mutated_examples(
        which in 0usize..3,
        mutations in prop::collection::vec(arb_mutation(), 1..5),
        truncate in truncation(),
        resign in any::<bool>(),
    ) {
        let seed = match which {
            0 => signed_payment_webhook(),
            1 => signed_payment_link_webhook(),
            _ => json!({"order_ref":"2YGZp22ExeOu0As61wa7i0JyMJn","refund_id":"2mbbRf0000000000000000001","amount":60000,"currency":"VND","refund_status":"SUCCESS"}),
        };
        let mut body = mutate(&seed, &mutations, truncate);
        // Re-signed, the mutated body reaches the typed parser behind the signature check.
        if resign {
            let signer = Signer::new(SecretString::from(SECRET));
            let signed = if which == 1 {
                signer.sign_payment_link_webhook(&body)
            } else {
                signer.sign_payment_webhook(&body)
            };
            if let Ok(signed) = signed {
                body = signed;
            }
        }
        let verifier = verifier();
        let request = webhook_request(body.clone(), Some("application/json"), "");
        let _ = timed("verify", || verifier.verify(&request));
        let _ = timed("payment", || verifier.verify_payment_webhook(&body));
        let _ = timed("payment link", || verifier.verify_payment_link_webhook(&body));
        let _ = timed("refund", || webhook::parse_refund_webhook(&body));
    }
}

// ---------------------------------------------------------------------------------------------
// Signed fields

/// The text a signed field is signed as (numbers as their shortest decimal form for `amount`).
fn signed_text(field: &str, value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) if field == "amount" => {
            payments_signing::portone::canonical_amount(s).unwrap_or_else(|| format!("\u{0}{s}"))
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) if field == "amount" => {
            payments_signing::portone::canonical_amount(&other.to_string())
                .unwrap_or_else(|| format!("\u{0}{other}"))
        }
        Some(other) => other.to_string(),
    }
}

#[derive(Debug, Clone)]
enum Change {
    Set(Value),
    Remove,
    /// A second occurrence of the key, before the original.
    DuplicateBefore(Value),
    /// A second occurrence of the key, after the original.
    DuplicateAfter(Value),
}

fn arb_change() -> impl Strategy<Value = Change> {
    let replacement = prop_oneof![
        any::<String>().prop_map(Value::String),
        "[A-Za-z0-9 _.+-]{0,24}".prop_map(Value::String),
        any::<i64>().prop_map(Value::from),
        (0u32..100_000, 0u32..3)
            .prop_map(|(n, s)| Value::from(f64::from(n) / 10f64.powi(s as i32))),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        Just(json!([])),
        Just(json!({})),
    ];
    prop_oneof![
        3 => replacement.clone().prop_map(Change::Set),
        1 => Just(Change::Remove),
        1 => replacement.clone().prop_map(Change::DuplicateBefore),
        1 => replacement.prop_map(Change::DuplicateAfter),
    ]
}

/// The body with `change` applied to `key`; `None` when the change leaves the signed text of
/// the field as it was (not a change of what is signed).
fn changed_body(seed: &Value, key: &str, signed_as: &str, change: &Change) -> Option<Vec<u8>> {
    let map = seed.as_object().unwrap();
    let original = signed_text(signed_as, map.get(key));
    match change {
        Change::Set(v) => {
            if signed_text(signed_as, Some(v)) == original {
                return None;
            }
            let mut m = map.clone();
            m.insert(key.to_owned(), v.clone());
            Some(serde_json::to_vec(&m).unwrap())
        }
        Change::Remove => {
            if original.is_empty() {
                return None;
            }
            let mut m = map.clone();
            m.remove(key);
            Some(serde_json::to_vec(&m).unwrap())
        }
        Change::DuplicateBefore(v) | Change::DuplicateAfter(v) => {
            if signed_text(signed_as, Some(v)) == original {
                return None;
            }
            let text = serde_json::to_string(map).unwrap();
            let pair = format!("{}:{}", serde_json::to_string(key).unwrap(), v);
            let text = if matches!(change, Change::DuplicateBefore(_)) {
                format!("{{{pair},{}", &text[1..])
            } else {
                format!("{},{pair}}}", &text[..text.len() - 1])
            };
            Some(text.into_bytes())
        }
    }
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn any_change_to_a_signed_payment_webhook_field_is_rejected(
        field in prop::sample::select(&PAYMENT_WEBHOOK_SIGNED_FIELDS[..]),
        change in arb_change(),
    ) {
        let seed = signed_payment_webhook();
        // The untouched example verifies.
        prop_assert!(verifier().verify_payment_webhook(&serde_json::to_vec(&seed).unwrap()).is_ok());
        if let Some(body) = changed_body(&seed, field, field, &change) {
            prop_assert!(verifier().verify_payment_webhook(&body).is_err());
            let request = webhook_request(body, Some("application/json"), "");
            prop_assert!(verifier().verify(&request).is_err());
        }
    }

    #[test]
    fn any_change_to_a_signed_payment_link_webhook_field_is_rejected(
        field in prop::sample::select(&PAYMENT_LINK_WEBHOOK_SIGNED_FIELDS[..]),
        change in arb_change(),
    ) {
        let seed = signed_payment_link_webhook();
        prop_assert!(verifier().verify_payment_link_webhook(&serde_json::to_vec(&seed).unwrap()).is_ok());
        // `country_code` is signed from the payload's `countryCode`.
        let key = if field == "country_code" { "countryCode" } else { field };
        if let Some(body) = changed_body(&seed, key, field, &change) {
            prop_assert!(verifier().verify_payment_link_webhook(&body).is_err());
            let request = webhook_request(body, Some("application/json"), "");
            prop_assert!(verifier().verify(&request).is_err());
        }
    }

    #[test]
    fn any_change_to_a_signed_redirect_field_is_rejected(
        field in prop::sample::select(&REDIRECT_SIGNED_FIELDS[..]),
        value in prop_oneof![any::<String>(), "[A-Za-z0-9_ .+-]{0,24}"],
        kind in 0u8..3,
    ) {
        let verifier = Verifier::new(SecretString::from(REDIRECT_SECRET));
        prop_assert!(verifier.verify_redirect(REDIRECT_QUERY).is_ok());
        let mut pairs = redirect_pairs();
        let at = pairs.iter().position(|(k, _)| k == field).unwrap();
        match kind {
            0 => {
                prop_assume!(value != pairs[at].1);
                pairs[at].1 = value;
            }
            1 => {
                pairs.remove(at);
            }
            _ => pairs.insert(0, (field.to_owned(), value)),
        }
        let query = encode(&pairs);
        prop_assert!(verifier.verify_redirect(&query).is_err());
        let request = http::Request::get(format!("https://shop.example/success?{query}"))
            .body(Vec::<u8>::new())
            .unwrap();
        prop_assert!(verifier.verify(&request).is_err());
    }

    #[test]
    fn any_change_to_a_signature_is_rejected(
        which in 0usize..3,
        signature in prop_oneof![any::<String>(), "[A-Za-z0-9+/=]{0,60}"],
    ) {
        match which {
            0 | 1 => {
                let mut seed = if which == 0 { signed_payment_webhook() } else { signed_payment_link_webhook() };
                let original = seed["signature_hash"].clone();
                // Surrounding whitespace is not part of a signature.
                prop_assume!(original != Value::String(signature.trim().to_owned()));
                seed["signature_hash"] = Value::String(signature);
                let request = webhook_request(serde_json::to_vec(&seed).unwrap(), Some("application/json"), "");
                prop_assert!(verifier().verify(&request).is_err());
            }
            _ => {
                let mut pairs = redirect_pairs();
                let at = pairs.iter().position(|(k, _)| k == "signature_hash").unwrap();
                prop_assume!(pairs[at].1 != signature.trim());
                pairs[at].1 = signature;
                let verifier = Verifier::new(SecretString::from(REDIRECT_SECRET));
                prop_assert!(verifier.verify_redirect(&encode(&pairs)).is_err());
            }
        }
    }
}
