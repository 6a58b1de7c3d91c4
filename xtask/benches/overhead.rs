//! Client-side cost, per provider, next to the bare cryptographic primitive it must run:
//!
//! * `<provider>-request/crate`: build the typed payment request, serialize it, authenticate and
//!   sign it, build the HTTP request (`prepare_*`, the code path the operation sends through);
//!   `<provider>-request/primitive`: the signing primitive alone over the same bytes (for
//!   providers that sign no request, serializing the same body).
//! * `<provider>-webhook/crate`: verify and parse the documented notification;
//!   `<provider>-webhook/primitive`: the verification primitive alone over the same bytes.
//!
//! `cargo xtask bench-report` prints the ratios.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    unreachable_pub
)]

#[allow(dead_code)]
#[path = "common/cases.rs"]
mod cases;
#[allow(dead_code)]
#[path = "common/server.rs"]
mod server;

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use payments_signing::{digest, fondy, ixopay, portone, standard_webhooks};
use secrecy::SecretString;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn bench_cardflo(c: &mut Criterion, rt: &tokio::runtime::Runtime) {
    use cardflo_client::webhook::{Verifier, sign_notification};
    let client = cases::cardflo::client("http://127.0.0.1:9/api/v3");
    let prepared = rt
        .block_on(client.prepare_debit(&cases::cardflo::request()))
        .expect("prepare");
    let mut group = c.benchmark_group("cardflo-request");
    group.bench_function("crate", |b| {
        b.to_async(rt).iter(|| async {
            black_box(client.prepare_debit(&cases::cardflo::request()).await).expect("prepare")
        })
    });
    let uri = prepared.uri().path().to_owned();
    group.bench_function("primitive", |b| {
        b.iter(|| {
            black_box(ixopay::sign(
                cases::cardflo::SHARED_SECRET,
                &ixopay::SignatureInput {
                    method: "POST",
                    body: prepared.body(),
                    content_type: cases::header(&prepared, "content-type"),
                    date: cases::header(&prepared, "date"),
                    request_uri: &uri,
                },
            ))
        })
    });
    group.finish();

    let now = SystemTime::now();
    let secret = SecretString::from(cases::cardflo::SHARED_SECRET);
    let body = cases::fixture("cardflo", "callback-success.json");
    let notification =
        sign_notification(&secret, "/callback?order=1", body.clone(), now).expect("sign");
    let verifier = Verifier::new(secret).clock(move || now);
    let mut group = c.benchmark_group("cardflo-webhook");
    group.bench_function("crate", |b| {
        b.iter(|| black_box(verifier.verify(&notification)).expect("verifies"))
    });
    group.bench_function("primitive", |b| {
        b.iter(|| {
            black_box(ixopay::verify(
                cases::cardflo::SHARED_SECRET,
                &ixopay::SignatureInput {
                    method: "POST",
                    body: &body,
                    content_type: cases::header(&notification, "content-type"),
                    date: cases::header(&notification, "date"),
                    request_uri: "/callback?order=1",
                },
                cases::header(&notification, "x-signature"),
                &[ixopay::BodyDigest::Sha512],
            ))
        })
    });
    group.finish();
}

fn bench_flitt(c: &mut Criterion, rt: &tokio::runtime::Runtime) {
    use flitt_client::webhook::{Verifier, sign_notification};
    let client = cases::flitt::client("http://127.0.0.1:9/api");
    let prepared = rt
        .block_on(client.prepare_recurring(&cases::flitt::request()))
        .expect("prepare");
    let body: serde_json::Value = serde_json::from_slice(prepared.body()).expect("json");
    let fields = cases::flat_fields(body["request"].as_object().expect("request object"));
    let mut group = c.benchmark_group("flitt-request");
    group.bench_function("crate", |b| {
        b.to_async(rt).iter(|| async {
            black_box(client.prepare_recurring(&cases::flitt::request()).await).expect("prepare")
        })
    });
    group.bench_function("primitive", |b| {
        b.iter(|| black_box(fondy::sign("test", fields.iter().map(|(k, v)| (k, v)))))
    });
    group.finish();

    let response: serde_json::Value = serde_json::from_slice(&cases::fixture(
        "flitt",
        "r1-recurring-response-fields.json",
    ))
    .expect("json");
    let fields = cases::flat_fields(response.as_object().expect("object"));
    let notification = sign_notification(&SecretString::from("test"), response).expect("sign");
    let verifier = Verifier::new(1_549_901, "test");
    let mut group = c.benchmark_group("flitt-webhook");
    group.bench_function("crate", |b| {
        b.iter(|| black_box(verifier.verify(&notification)).expect("verifies"))
    });
    group.bench_function("primitive", |b| {
        b.iter(|| {
            black_box(fondy::verify(
                "test",
                fields.iter().map(|(k, v)| (k, v)),
                "bb62bd1236695ba6f2252d1cec18ce04d2005559",
            ))
        })
    });
    group.finish();
}

fn bench_moment(c: &mut Criterion, rt: &tokio::runtime::Runtime) {
    use moment_client::webhook::{Verifier, sign_notification};
    let client = cases::moment::client("http://127.0.0.1:9");
    let prepared = rt
        .block_on(client.prepare_create_payment_session(&cases::moment::request()))
        .expect("prepare");
    let body: serde_json::Value = serde_json::from_slice(prepared.body()).expect("json");
    let mut group = c.benchmark_group("moment-request");
    group.bench_function("crate", |b| {
        b.to_async(rt).iter(|| async {
            black_box(
                client
                    .prepare_create_payment_session(&cases::moment::request())
                    .await,
            )
            .expect("prepare")
        })
    });
    // Moment authenticates with the bearer key and signs nothing: the floor is serializing
    // the same body.
    group.bench_function("primitive", |b| {
        b.iter(|| black_box(serde_json::to_vec(&body)).expect("serializes"))
    });
    group.finish();

    let secret = SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let now = SystemTime::now();
    let body = cases::fixture("moment", "webhook-payment-session-completed.json");
    let notification =
        sign_notification(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", now, body.clone())
            .expect("sign");
    let verifier = Verifier::new(&secret).expect("key").clock(move || now);
    let key = standard_webhooks::WebhookKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .expect("key");
    let timestamp = cases::header(&notification, "webhook-timestamp").to_owned();
    let signature = cases::header(&notification, "webhook-signature").to_owned();
    let mut group = c.benchmark_group("moment-webhook");
    group.bench_function("crate", |b| {
        b.iter(|| black_box(verifier.verify(&notification)).expect("verifies"))
    });
    group.bench_function("primitive", |b| {
        b.iter(|| {
            black_box(standard_webhooks::verify(
                &key,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                &timestamp,
                &body,
                &signature,
                now,
                Duration::from_secs(180),
            ))
        })
    });
    group.finish();
}

fn bench_portone(c: &mut Criterion, rt: &tokio::runtime::Runtime) {
    use portone_client::webhook::{Verifier, sign_notification};
    let client = cases::portone::client("http://127.0.0.1:9");
    let mut group = c.benchmark_group("portone-request");
    group.bench_function("crate", |b| {
        b.to_async(rt).iter(|| async {
            black_box(
                client
                    .prepare_create_payment_link(&cases::portone::request())
                    .await,
            )
            .expect("prepare")
        })
    });
    // Per request: an HS256 JWT and the signature_hash, both HMAC-SHA256.
    let iat = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    group.bench_function("primitive", |b| {
        b.iter(|| {
            let jwt = portone::jwt_hs256(
                cases::portone::SECRET,
                &portone::JwtClaims {
                    iss: "PORTONE",
                    sub: cases::portone::PORTONE_KEY,
                    iat,
                    exp: iat + 300,
                },
            );
            let hash = portone::signature_hash(
                cases::portone::SECRET,
                [
                    ("amount", "19010"),
                    ("client_key", cases::portone::PORTONE_KEY),
                    ("currency", "VND"),
                    ("failure_url", "https://checkout.portone.cloud/failure.html"),
                    ("merchant_order_id", "MERCHANT1617366877238"),
                    ("success_url", "https://checkout.portone.cloud/success.html"),
                ],
            );
            black_box((jwt, hash))
        })
    });
    group.finish();

    let secret = SecretString::from(cases::portone::SECRET);
    let body = cases::fixture("portone", "payment-webhook.json");
    let notification = sign_notification(&secret, body.clone()).expect("sign");
    let signed: serde_json::Value =
        serde_json::from_slice(notification.body()).expect("signed json");
    let text = |k: &str| match &signed[k] {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let fields: Vec<(&str, String)> = [
        ("amount", text("amount")),
        ("channel_key", text("channel_key")),
        ("channel_order_ref", text("channel_order_ref")),
        ("country_code", text("country_code")),
        ("currency", text("currency")),
        ("merchant_order_ref", text("merchant_order_ref")),
        ("method_name", text("method_name")),
        ("order_ref", text("order_ref")),
        ("status", text("status")),
    ]
    .to_vec();
    let hash = text("signature_hash");
    let verifier = Verifier::new(secret);
    let mut group = c.benchmark_group("portone-webhook");
    group.bench_function("crate", |b| {
        b.iter(|| black_box(verifier.verify(&notification)).expect("verifies"))
    });
    group.bench_function("primitive", |b| {
        b.iter(|| {
            black_box(portone::verify_signature_hash(
                cases::portone::SECRET,
                fields.iter().map(|(k, v)| (*k, v.as_str())),
                &hash,
            ))
        })
    });
    group.finish();
}

fn bench_pivot(c: &mut Criterion, rt: &tokio::runtime::Runtime) {
    use session_tokenize_client::webhook::{Verifier, sign_notification};
    // The access token comes from a loopback server once, then from the cache.
    let server = rt.block_on(server::LoopbackServer::start(vec![server::Canned {
        method: "POST",
        path_prefix: "/v1/access-token".to_owned(),
        status: 200,
        content_type: "application/json",
        body: bytes::Bytes::from(cases::fixture("pivot", "access-token-response.json")),
    }]));
    let client = cases::pivot::client(&server.origin());
    let prepared = rt
        .block_on(client.prepare_create_payment_session(&cases::pivot::request()))
        .expect("prepare");
    let body: serde_json::Value = serde_json::from_slice(prepared.body()).expect("json");
    let mut group = c.benchmark_group("pivot-request");
    group.bench_function("crate", |b| {
        b.to_async(rt).iter(|| async {
            black_box(
                client
                    .prepare_create_payment_session(&cases::pivot::request())
                    .await,
            )
            .expect("prepare")
        })
    });
    // A cached bearer token and no request signature: the floor is serializing the same body.
    group.bench_function("primitive", |b| {
        b.iter(|| black_box(serde_json::to_vec(&body)).expect("serializes"))
    });
    group.finish();

    let key = "bench-callback-api-key";
    let body = cases::fixture("pivot", "callback-payment-paid.json");
    let notification = sign_notification(key, body);
    let verifier = Verifier::new(key);
    let expected = digest::sha512_hex(key.as_bytes());
    let mut group = c.benchmark_group("pivot-webhook");
    group.bench_function("crate", |b| {
        b.iter(|| black_box(verifier.verify(&notification)).expect("verifies"))
    });
    // The callback is authenticated by its X-API-Key alone: a digest and a constant-time
    // comparison.
    group.bench_function("primitive", |b| {
        b.iter(|| {
            let received = digest::sha512_hex(cases::header(&notification, "x-api-key").as_bytes());
            black_box(digest::constant_time_eq(
                received.as_bytes(),
                expected.as_bytes(),
            ))
        })
    });
    group.finish();
    drop(server);
}

fn benches(c: &mut Criterion) {
    let rt = runtime();
    bench_cardflo(c, &rt);
    bench_flitt(c, &rt);
    bench_moment(c, &rt);
    bench_portone(c, &rt);
    bench_pivot(c, &rt);
}

criterion_group! {
    name = overhead;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(40);
    targets = benches
}
criterion_main!(overhead);
