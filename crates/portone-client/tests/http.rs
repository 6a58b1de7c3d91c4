//! End to end against the mock PortOne on loopback: every operation, checked for method, path,
//! headers, JWT and signature independently of the client's code; retries and their absence;
//! bad answers; and that no secret reaches `Debug`, errors or `tracing` output.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use portone_client::auth::HeaderStyle;
use portone_client::error::{Error, Rule};
use portone_client::model::card::{CardNumber, CardRecord, CardToken, Cvv, NewCard};
use portone_client::model::checkout::{
    Address, BillingDetails, CheckoutRequest, MerchantDetails, OrderItem, PaymentRequest,
    RedirectUrls, RoutingParams, Source, TransactionType,
};
use portone_client::model::customer::AddCustomerRequest;
use portone_client::model::refund::{RefundRequest, RefundStatus};
use portone_client::model::{StatusReason, TransactionStatus};
use portone_client::testing::{
    MOCK_OTP, MOCK_PORTONE_KEY, MOCK_SECRET_KEY, MockGateway, Operation, RecordedRequest, Reply,
};
use portone_client::{Credentials, Decimal, SavedCardsAccess};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

const FIXED_NOW: u64 = 1_724_302_051;

fn fixed_clock() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(FIXED_NOW)
}

/// A client on a fixed clock (and the mock checking expiry against the same time), so the
/// snapshots of its requests are stable.
fn fixed_client(mock: &MockGateway) -> portone_client::Client {
    mock.set_now(fixed_clock());
    mock.client_builder().clock(fixed_clock).build().unwrap()
}

/// The JWT claims of a recorded request, verified here with the mock secret (independently of
/// the client).
fn jwt_claims(request: &RecordedRequest) -> Value {
    let token = request
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .expect("a bearer token");
    let payload = payments_signing::portone::verify_jwt_hs256(MOCK_SECRET_KEY, token)
        .expect("the JWT verifies with the merchant secret");
    serde_json::from_slice(&payload).unwrap()
}

/// A request as a reviewable snapshot: the JWT replaced by its verified claims, the user agent's
/// version and the ciphertexts replaced by placeholders, the secret of the token API redacted.
fn snapshot_of(request: &RecordedRequest) -> Value {
    let mut headers = serde_json::Map::new();
    for name in [
        "authorization",
        "x-portone-client-key",
        "x-portone-submerchant-key",
        "x-chaipay-client-key",
        "content-type",
        "user-agent",
    ] {
        if let Some(value) = request.header(name) {
            let value = match name {
                "authorization" if value.starts_with("Bearer eyJ") => {
                    json!({"bearer_jwt_claims": jwt_claims(request)})
                }
                "user-agent" => {
                    Value::String(value.replace(env!("CARGO_PKG_VERSION"), "[version]"))
                }
                _ => Value::String(value.to_owned()),
            };
            headers.insert(name.to_owned(), value);
        }
    }
    let mut body = request.json().unwrap_or(Value::Null);
    if let Some(map) = body.as_object_mut() {
        for field in ["portone_secret"] {
            if map.contains_key(field) {
                map.insert(field.into(), json!("[secret]"));
            }
        }
        for field in ["card_number", "service_code"] {
            if map.contains_key(field) {
                map.insert(field.into(), json!("[RSA ciphertext]"));
            }
        }
    }
    json!({
        "method": request.method(),
        "path": request.path(),
        "query": request.query_pairs(),
        "headers": headers,
        "body": body,
    })
}

fn urls() -> RedirectUrls {
    RedirectUrls::new(
        "https://shop.example/success",
        "https://shop.example/failure",
    )
}

/// The seed's checkout example with the amount its items add up to.
fn seed_checkout() -> CheckoutRequest {
    let address = Address::new()
        .city("VND")
        .country_code("VN")
        .line_1("302,Green Street")
        .line_2("Town Hall")
        .locale("en")
        .postal_code("400202")
        .state("Taxes");
    CheckoutRequest::new(
        "5j9peJ349Z",
        Decimal::from(19010),
        "VND",
        "VN",
        MerchantDetails::new("Curo Sports")
            .back_url("https://demo.chaipay.io/checkout.html")
            .promo_discount(Decimal::from(10000))
            .shipping_charges(Decimal::from(10000)),
        RedirectUrls::new("https://www.google.com", "https://www.bing.com"),
    )
    .billing_details(
        BillingDetails::new()
            .name("Test mark")
            .email("markweins@gmail.com")
            .phone("+84912345678")
            .address(address),
    )
    .order_item(
        OrderItem::new("product_001", "Hand Gloves", Decimal::from(19010), 1)
            .image("https://cdn.moglix.com/p/0DcA3eidlukGq-xxlarge.jpg"),
    )
    .transaction_type(TransactionType::Preauth)
    .routing(RoutingParams::failover("Route_2P0qQgyROrPuzJDZebGSIsfYsX4"))
    .expiry_hours(24)
    .mobile_redirect_url("portonechai://checkout")
    .source(Source::Mobile)
}

fn payment() -> PaymentRequest {
    PaymentRequest::new(
        "MERCHANT1617366877238",
        Decimal::from_str("19010.20").unwrap(),
        "USD",
        "STRIPE",
        "STRIPE_CARD",
        "Hand gloves",
        urls(),
    )
}

/// The expected `signature_hash` of a body, recomputed here from the JSON text with
/// `payments_signing` (amount from the sent number text).
fn expected_signature(body: &Value, key_field: &str) -> String {
    let amount_text = body["amount"].to_string();
    let amount = payments_signing::portone::canonical_amount(&amount_text).unwrap();
    let s = |k: &str| body[k].as_str().unwrap().to_owned();
    payments_signing::portone::signature_hash(
        MOCK_SECRET_KEY,
        [
            ("amount", amount),
            ("client_key", s(key_field)),
            ("currency", s("currency")),
            ("failure_url", s("failure_url")),
            ("merchant_order_id", s("merchant_order_id")),
            ("success_url", s("success_url")),
        ],
    )
}

#[tokio::test]
async fn hosted_checkout_sends_the_seed_example_signed_with_a_fresh_jwt() {
    let mock = MockGateway::start().await;
    mock.set_now(fixed_clock());
    let client = mock.client_builder().clock(fixed_clock).build().unwrap();
    let link = client.create_payment_link(&seed_checkout()).await.unwrap();
    assert_eq!(
        link.payment_link,
        "https://checkout.portone.cloud?ref=2BEemUknaImTq5ljmoNQQV2tSll"
    );
    let request = &mock.requests_of(Operation::CreatePaymentLink)[0];
    assert_eq!(request.method(), "POST");
    assert_eq!(request.path(), "/api/paymentLink");
    assert_eq!(
        request.header("x-portone-client-key"),
        Some(MOCK_PORTONE_KEY)
    );
    let claims = jwt_claims(request);
    assert_eq!(claims["sub"], MOCK_PORTONE_KEY);
    assert_eq!(claims["iss"], "PORTONE");
    assert_eq!(claims["iat"], FIXED_NOW);
    let body = request.json().unwrap();
    assert_eq!(body["environment"], "sandbox");
    assert_eq!(body["portone_key"], MOCK_PORTONE_KEY);
    assert_eq!(
        body["signature_hash"],
        expected_signature(&body, "portone_key")
    );
    assert_eq!(body["routing_enabled"], true);
    assert_eq!(body["routing_params"]["type"], "failover");
    assert_eq!(body["transaction_type"], "PREAUTH");
    insta::assert_json_snapshot!("create_payment_link_request", snapshot_of(request));
}

#[tokio::test]
async fn direct_payment_is_signed_over_the_amount_text_it_sends() {
    let mock = MockGateway::start().await;
    mock.set_now(fixed_clock());
    let client = mock.client_builder().clock(fixed_clock).build().unwrap();
    let request = payment()
        .merchant_details(MerchantDetails::new("Shop").shipping_charges(Decimal::new(1000, 2)))
        .order_item(OrderItem::new(
            "i1",
            "Gloves",
            Decimal::from_str("9500.10").unwrap(),
            2,
        ))
        .transaction_type(TransactionType::Purchase);
    let response = client.initiate_payment(&request).await.unwrap();
    assert_eq!(response.is_success, Some(true));
    assert_eq!(
        response.merchant_order_ref.as_deref(),
        Some("MERCHANT1617366877238")
    );
    assert_eq!(
        response.order_ref.as_deref(),
        Some("2937z05mrtN17ZYigwZhfKdqEGQ")
    );
    let recorded = &mock.requests_of(Operation::InitiatePayment)[0];
    assert_eq!(
        recorded.header("authorization"),
        None,
        "initiatePayment takes no JWT"
    );
    let body = recorded.json().unwrap();
    assert_eq!(body["amount"].to_string(), "19010.2");
    assert_eq!(body["key"], MOCK_PORTONE_KEY);
    assert_eq!(body["signature_hash"], expected_signature(&body, "key"));
    insta::assert_json_snapshot!("initiate_payment_request", snapshot_of(recorded));
}

#[tokio::test]
async fn a_wrong_secret_gets_the_documented_errors_with_their_hints() {
    let mock = MockGateway::start().await;
    let client = mock.client_builder().build().unwrap();
    let wrong = portone_client::Client::builder(Credentials::new(
        MOCK_PORTONE_KEY,
        SecretString::from("not-the-secret"),
    ))
    .base_url(mock.base_url())
    .environment(portone_client::Environment::Sandbox)
    .build()
    .unwrap();
    // The direct payment is refused on its signature…
    let err = wrong.initiate_payment(&payment()).await.unwrap_err();
    let provider = err.as_provider().unwrap();
    assert_eq!(provider.status, http::StatusCode::UNAUTHORIZED);
    assert_eq!(err.provider_code(), Some("4011"));
    assert_eq!(provider.reason, Some(StatusReason::InvalidSignature));
    assert!(err.hint().unwrap().contains("matches the payload"));
    assert!(!err.may_have_been_processed());
    assert!(!err.is_retryable());
    // …and JWT calls on the token.
    let err = wrong.transaction_status("order-1").await.unwrap_err();
    assert_eq!(err.provider_code(), Some("4054"));
    assert!(err.hint().unwrap().contains("Bearer"));
    assert_eq!(
        mock.hits(Operation::TransactionStatus),
        1,
        "a 401 is not retried"
    );
    // The right client still works.
    client.transaction_status("order-1").await.unwrap();
}

#[tokio::test]
async fn an_expired_jwt_is_refused_by_the_mock() {
    let mock = MockGateway::start().await;
    let client = mock.client_builder().clock(fixed_clock).build().unwrap();
    // The mock's clock is the real one: a token minted in 2024 is long expired.
    let err = client
        .capture("2SDCUiBEv34oqeIdEDv1pftGeeY")
        .await
        .unwrap_err();
    assert_eq!(err.provider_code(), Some("4054"));
    assert_eq!(
        err.as_provider().unwrap().reason,
        Some(StatusReason::InvalidJwt)
    );
}

#[tokio::test]
async fn whitelisted_merchants_send_no_signature_hash() {
    let mock = MockGateway::start().await;
    let client = mock.client_builder().whitelisted(true).build().unwrap();
    // Not whitelisted at PortOne: the documented 401 comes back.
    let err = client
        .create_payment_link(&seed_checkout())
        .await
        .unwrap_err();
    assert_eq!(
        err.as_provider().unwrap().message.as_deref(),
        Some("signature_hash is a required field")
    );
    mock.set_whitelisted(true);
    client.create_payment_link(&seed_checkout()).await.unwrap();
    for request in mock.requests_of(Operation::CreatePaymentLink) {
        assert!(request.json().unwrap().get("signature_hash").is_none());
    }
}

#[tokio::test]
async fn invalid_requests_are_refused_before_sending() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let unbalanced = CheckoutRequest::new(
        "o1",
        Decimal::from(50010),
        "VND",
        "VN",
        MerchantDetails::new("Curo Sports")
            .promo_discount(Decimal::from(10000))
            .shipping_charges(Decimal::from(10000)),
        urls(),
    )
    .order_item(OrderItem::new(
        "product_001",
        "Hand Gloves",
        Decimal::from(19010),
        1,
    ));
    let err = client.create_payment_link(&unbalanced).await.unwrap_err();
    assert_eq!(err.rule(), Some(Rule::OrderAmountSum));
    let err = client
        .initiate_payment(&PaymentRequest::new(
            "o",
            Decimal::new(1001, 3),
            "USD",
            "C",
            "M",
            "d",
            urls(),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.rule(), Some(Rule::AmountPrecision));
    assert_eq!(
        client.send_otp("12345").await.unwrap_err().rule(),
        Some(Rule::Phone)
    );
    assert_eq!(
        client.capture("../x").await.unwrap_err().rule(),
        Some(Rule::Reference)
    );
    assert_eq!(
        client
            .saved_cards(
                "+84912345678",
                SavedCardsAccess::Otp(SecretString::from("12"))
            )
            .await
            .unwrap_err()
            .rule(),
        Some(Rule::Otp)
    );
    assert!(mock.requests().is_empty(), "nothing was sent");
    // No environment: refused when the client is built.
    let err = portone_client::Client::builder(mock.credentials())
        .build()
        .unwrap_err();
    assert_eq!(err.rule(), Some(Rule::Environment));
    assert!(err.hint().unwrap().contains("sandbox"));
}

#[tokio::test]
async fn payment_posts_are_never_retried_and_report_ambiguity() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    mock.script(Operation::InitiatePayment, Reply::html(502));
    let err = client.initiate_payment(&payment()).await.unwrap_err();
    assert!(matches!(err, Error::Ambiguous { .. }), "{err:?}");
    assert!(err.may_have_been_processed());
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(http::StatusCode::BAD_GATEWAY));
    assert!(err.to_string().contains("may have been processed"));
    assert_eq!(mock.hits(Operation::InitiatePayment), 1);

    mock.script(
        Operation::CreatePaymentLink,
        Reply::error(500, "5000", "PAYMENT_SYSTEM_ERROR", "Internal error"),
    );
    let err = client
        .create_payment_link(&seed_checkout())
        .await
        .unwrap_err();
    assert!(err.may_have_been_processed());
    assert_eq!(err.provider_code(), Some("5000"));
    assert_eq!(mock.hits(Operation::CreatePaymentLink), 1);

    mock.script(Operation::Refund, Reply::html(503));
    let err = client
        .refund(
            "2YGZp22ExeOu0As61wa7i0JyMJn",
            &RefundRequest::full(Decimal::from(500)),
        )
        .await
        .unwrap_err();
    assert!(err.may_have_been_processed());
    assert_eq!(mock.hits(Operation::Refund), 1);

    // The reconciliation call answers.
    let status = client
        .transaction_status("MERCHANT1617366877238")
        .await
        .unwrap();
    assert_eq!(status.status, Some(TransactionStatus::Expired));
}

#[tokio::test]
async fn a_capture_that_times_out_is_ambiguous_and_sent_once() {
    let mock = MockGateway::start().await;
    let client = mock
        .client_builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    mock.script(
        Operation::Capture,
        Reply::json(
            200,
            json!({"message":"ok","status_code":"2000","status_reason":"SUCCESS"}),
        )
        .delayed(Duration::from_millis(1200)),
    );
    let err = client
        .capture("2SDCUiBEv34oqeIdEDv1pftGeeY")
        .await
        .unwrap_err();
    match &err {
        Error::Ambiguous { reason, status, .. } => {
            assert_eq!(reason, "timed out");
            assert_eq!(*status, None);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.may_have_been_processed());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(mock.hits(Operation::Capture), 1);
}

/// A server that accepts connections, reads the request and closes without answering.
async fn hang_up_server() -> (String, Arc<AtomicUsize>) {
    use tokio::io::AsyncReadExt as _;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = vec![0u8; 65_536];
            let mut seen = Vec::new();
            // Read until the request has fully arrived (headers plus declared body).
            while let Ok(Ok(n)) =
                tokio::time::timeout(Duration::from_millis(200), socket.read(&mut buffer)).await
            {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buffer[..n]);
                let text = String::from_utf8_lossy(&seen).to_lowercase();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if seen.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            drop(socket);
        }
    });
    (format!("http://{address}"), accepted)
}

#[tokio::test]
async fn a_payment_post_whose_connection_drops_is_sent_exactly_once() {
    let (url, accepted) = hang_up_server().await;
    let client = portone_client::Client::builder(Credentials::new(
        MOCK_PORTONE_KEY,
        SecretString::from(MOCK_SECRET_KEY),
    ))
    .base_url(url)
    .environment(portone_client::Environment::Sandbox)
    .retry_backoff(Duration::from_millis(5), Duration::from_millis(50))
    .build()
    .unwrap();
    let err = client.initiate_payment(&payment()).await.unwrap_err();
    assert!(matches!(err, Error::Ambiguous { .. }), "{err:?}");
    assert!(err.may_have_been_processed());
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
    // A read on the same server is retried (1 + 2 retries).
    let err = client.transaction_status("order-1").await.unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(accepted.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_that_was_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = portone_client::Client::builder(Credentials::new(
        MOCK_PORTONE_KEY,
        SecretString::from(MOCK_SECRET_KEY),
    ))
    .base_url(format!("http://{address}"))
    .environment(portone_client::Environment::Live)
    .max_retries(0)
    .build()
    .unwrap();
    let err = client.initiate_payment(&payment()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.may_have_been_processed());
    assert!(err.is_retryable());
    assert!(
        !err.to_string().contains(&address.port().to_string()),
        "no URL in the error: {err}"
    );
}

#[tokio::test]
async fn reads_are_retried_on_5xx_and_429_up_to_the_limit() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    mock.script(Operation::TransactionStatus, Reply::html(503));
    mock.script(
        Operation::TransactionStatus,
        Reply::error(429, "4290", "TOO_MANY_REQUESTS", "slow down").header("Retry-After", "0"),
    );
    let status = client
        .transaction_status("MERCHANT1617366877238")
        .await
        .unwrap();
    assert_eq!(
        status.order_ref.as_deref(),
        Some("2YGZp22ExeOu0As61wa7i0JyMJn")
    );
    assert_eq!(mock.hits(Operation::TransactionStatus), 3);

    for _ in 0..3 {
        mock.script(Operation::Refunds, Reply::html(502));
    }
    let err = client
        .refunds("2YGZp22ExeOu0As61wa7i0JyMJn")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::BAD_GATEWAY));
    assert!(err.is_retryable());
    assert!(!err.may_have_been_processed());
    assert_eq!(mock.hits(Operation::Refunds), 3);

    // A Retry-After beyond 30 s ends the retries at once.
    mock.script(
        Operation::Routes,
        Reply::html(503).header("Retry-After", "3600"),
    );
    let err = client.routes().await.unwrap_err();
    assert_eq!(
        err.as_provider().unwrap().retry_after,
        Some(Duration::from_secs(3600))
    );
    assert_eq!(mock.hits(Operation::Routes), 1);

    // An HTTP-date Retry-After is read against the client's clock.
    let clocked = fixed_client(&mock);
    mock.script(
        Operation::Refunds,
        Reply::html(503).header("Retry-After", "Thu, 22 Aug 2024 05:47:31 GMT"),
    );
    let err = clocked
        .refunds("2YGZp22ExeOu0As61wa7i0JyMJn")
        .await
        .unwrap_err();
    assert_eq!(
        err.as_provider().unwrap().retry_after,
        Some(Duration::from_secs(3600))
    );
    assert_eq!(
        mock.hits(Operation::Refunds),
        4,
        "a 1-hour Retry-After is not waited for"
    );
}

#[tokio::test]
async fn bad_answers_give_typed_errors_naming_the_field() {
    let mock = MockGateway::start().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();
    let cases: Vec<(Reply, &str, &str)> = vec![
        (Reply::html(200), ".", "not JSON"),
        (Reply::raw(200, "application/json", ""), ".", "empty"),
        (
            Reply::raw(200, "application/json", r#"{"content":{"order_ref":"2YG"#),
            "content.order_ref",
            "truncated",
        ),
        (
            Reply::json(200, json!({"content":{"status": 7},"status_code":"2000"})),
            "content.status",
            "invalid type",
        ),
        (
            Reply::json(
                200,
                json!({"content":{"amount": {"x": 1}},"status_code":"2000"}),
            ),
            "content.amount",
            "decimal",
        ),
        (
            Reply::json(200, json!({"status_code":"2000"})),
            ".",
            "content",
        ),
    ];
    for (reply, path, fragment) in cases {
        mock.script(Operation::TransactionStatus, reply);
        let err = client.transaction_status("order-1").await.unwrap_err();
        let decode = err.as_decode().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(decode.path, path, "{err}");
        assert!(decode.message.contains(fragment), "{fragment}: {err}");
        assert!(err.may_have_been_processed(), "a 2xx went through");
    }
    // An HTML error page on a read is a provider error with the status, not a panic.
    mock.script(Operation::Customer, Reply::html(404));
    let err = client
        .customer("8e52c57d-9bda-437e-973d-fb4f9756d15f")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND));
    assert!(err.as_provider().unwrap().body.contains("<html>"));
}

#[tokio::test]
async fn unknown_values_and_string_booleans_decode_safely() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    mock.script(
        Operation::TransactionStatus,
        Reply::json(200, json!({"content":{"order_ref":"o","status":"Settled-ish","status_reason":"BRAND_NEW"},"status_code":"2000","status_reason":"SOMETHING_NEW"})),
    );
    let status = client.transaction_status("order-1").await.unwrap();
    assert_eq!(
        status.status,
        Some(TransactionStatus::Unknown("Settled-ish".into()))
    );
    assert!(!status.is_paid());
    assert_eq!(
        status.status_reason,
        Some(StatusReason::Unknown("BRAND_NEW".into()))
    );

    // Numbers sent as strings and strings sent as numbers decode either way.
    mock.script(
        Operation::TransactionStatus,
        Reply::json(200, json!({"content":{"order_ref":"o","status":"Success","amount":"19010.20","status_code":2000},"status_code":2000})),
    );
    let status = client.transaction_status("order-1").await.unwrap();
    assert_eq!(status.amount, Some(Decimal::from_str("19010.2").unwrap()));
    assert!(status.is_paid());
    assert_eq!(status.status_code.unwrap().as_str(), "2000");

    mock.script(
        Operation::InitiatePayment,
        Reply::json(
            200,
            json!({"is_success":"true","order_ref":"o1","expiry_in_minutes":"20"}),
        ),
    );
    let ok = client.initiate_payment(&payment()).await.unwrap();
    assert_eq!(ok.is_success, Some(true));
    assert_eq!(ok.expiry_in_minutes, Some(20));

    // The rn-embed error sample: `is_success` as the string "false" in a 200 answer.
    mock.script(
        Operation::InitiatePayment,
        Reply::json(200, json!({"is_success":"false","message":"Received error from Baokim Server: ...","status_code":"5000","status_reason":"PAYMENT_SYSTEM_ERROR"})),
    );
    let err = client.initiate_payment(&payment()).await.unwrap_err();
    assert_eq!(err.provider_code(), Some("5000"));
    assert_eq!(
        err.as_provider().unwrap().reason,
        Some(StatusReason::PaymentSystemError)
    );

    // Both spellings of a reason are one variant.
    mock.script(
        Operation::CreatePaymentLink,
        Reply::error(
            401,
            "4011",
            "INVALID_UNAUTHORIZED_TRANSACTION_SIGNATURE_ERROR",
            "bad signature",
        ),
    );
    let err = client
        .create_payment_link(&seed_checkout())
        .await
        .unwrap_err();
    assert_eq!(
        err.as_provider().unwrap().reason,
        Some(StatusReason::InvalidSignature)
    );
    // The amount-sum message from PortOne carries the documented hint.
    mock.script(
        Operation::CreatePaymentLink,
        Reply::error(400, "4001", "INVALID_REQUEST", "Summation of order value, tax, duties, shipping, and discount should equal the total amount"),
    );
    let err = client
        .create_payment_link(&seed_checkout())
        .await
        .unwrap_err();
    assert!(err.hint().unwrap().contains("sum(price × quantity)"));
}

#[tokio::test]
async fn the_token_api_answers_a_token_for_our_key() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let token = client.auth_token().await.unwrap();
    assert_eq!(token.expires_in, Some(Duration::from_secs(21_600)));
    let claims =
        portone_client::auth::verify_jwt(MOCK_SECRET_KEY, token.token.expose_secret()).unwrap();
    assert_eq!(claims.sub, MOCK_PORTONE_KEY);
    let request = &mock.requests_of(Operation::AuthToken)[0];
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.json().unwrap()["portone_secret"], MOCK_SECRET_KEY);
    assert!(!format!("{token:?}").contains(token.token.expose_secret()));
    insta::assert_json_snapshot!("auth_token_request", snapshot_of(request));
}

#[tokio::test]
async fn payment_methods_are_read_for_a_currency_and_environment() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let methods = client.payment_methods("USD").await.unwrap();
    assert_eq!(
        methods.of_type("CARD")[0].payment_method_key.as_deref(),
        Some("STRIPE_CARD")
    );
    let request = &mock.requests_of(Operation::PaymentMethods)[0];
    assert_eq!(
        request.path(),
        format!("/merchants/{MOCK_PORTONE_KEY}/paymethodsbyKey")
    );
    assert_eq!(request.query_param("currency"), Some("USD"));
    assert_eq!(request.query_param("environment"), Some("sandbox"));
    assert_eq!(request.header("authorization"), None);
    // Wrapped in `content` works too.
    mock.script(
        Operation::PaymentMethods,
        Reply::json(200, json!({"content":{"WALLET":[{"payment_channel_key":"MOMOPAY","is_enabled":"true"}]},"status_code":"2000"})),
    );
    let methods = client.payment_methods("VND").await.unwrap();
    assert!(methods.of_type("WALLET")[0].enabled());
}

#[tokio::test]
async fn checkout_with_a_new_card_encrypts_the_card_and_pays_with_its_token() {
    let mock = MockGateway::start().await;
    let client = fixed_client(&mock);
    let card = NewCard::new(
        CardNumber::new("4242424242424242").unwrap(),
        Cvv::new("123").unwrap(),
        "NGUYEN VAN A",
        "05",
        "2030",
    )
    .unwrap()
    .card_type("Visa")
    .save_card(true);
    let response = client
        .checkout_with_new_card(payment(), &card)
        .await
        .unwrap();
    assert_eq!(response.is_success, Some(true));
    let tokenize = &mock.requests_of(Operation::TokenizeCard)[0];
    let body = tokenize.json().unwrap();
    assert_eq!(body["cardholder_name"], "NGUYEN VAN A");
    assert_eq!(body["expiration_month"], "05");
    assert_eq!(body["save_card"], true);
    assert_eq!(body["environment"], "sandbox");
    assert!(jwt_claims(tokenize)["sub"] == MOCK_PORTONE_KEY);
    let raw = String::from_utf8_lossy(tokenize.body());
    assert!(
        !raw.contains("4242424242424242") && !raw.contains("\"123\""),
        "{raw}"
    );
    let pay = mock.requests_of(Operation::InitiatePayment)[0]
        .json()
        .unwrap();
    assert_eq!(
        pay["token_params"]["partial_card_number"],
        "424242******4242"
    );
    assert_eq!(pay["token_params"]["save_card"], true);
    assert!(pay["token_params"]["token"].as_str().unwrap().len() >= 16);
    assert_eq!(mock.hits(Operation::CardPublicKey), 1);
    insta::assert_json_snapshot!("tokenize_card_request", snapshot_of(tokenize));
}

#[tokio::test]
async fn saved_cards_by_phone_with_otp_then_with_the_returned_token() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    client.send_otp("+84912345678").await.unwrap();
    let otp = &mock.requests_of(Operation::SendOtp)[0];
    assert_eq!(otp.path(), "/api/verification/generateOTP/+84912345678");
    assert!(otp.body().is_empty());

    let err = client
        .saved_cards(
            "+84912345678",
            SavedCardsAccess::Otp(SecretString::from("000000")),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.as_provider().unwrap().reason,
        Some(StatusReason::OtpVerification)
    );
    assert!(err.hint().is_some());
    assert!(!err.to_string().contains("000000"), "{err}");

    let saved = client
        .saved_cards(
            "+84912345678",
            SavedCardsAccess::Otp(SecretString::from(MOCK_OTP)),
        )
        .await
        .unwrap();
    assert_eq!(saved.cards.len(), 1);
    assert_eq!(saved.cards[0].expiry_year.as_deref(), Some("2034"));
    let token = saved.token.clone().expect("a token for later look-ups");
    assert!(!format!("{saved:?}").contains(token.secret().expose_secret()));
    let again = client
        .saved_cards("+84912345678", SavedCardsAccess::Token(token))
        .await
        .unwrap();
    assert_eq!(again.cards.len(), 1);
    let requests = mock.requests_of(Operation::SavedCards);
    let first = &requests[1];
    assert_eq!(first.query_param("otp"), Some(MOCK_OTP));
    assert_eq!(first.query_param("environment"), Some("sandbox"));
    let later = &requests[2];
    assert_eq!(later.query_param("otp"), None);
    assert!(
        later
            .header("authorization")
            .unwrap()
            .starts_with("Bearer ")
    );
    // A saved card pays through token_params.
    let params = saved.cards[0].token_params();
    client
        .initiate_payment(&payment().token_params(params))
        .await
        .unwrap();
    let body = mock.requests_of(Operation::InitiatePayment)[0]
        .json()
        .unwrap();
    assert_eq!(
        body["token_params"]["token"],
        "97daee740bb84a6d907dfe46fca1139e"
    );
}

#[tokio::test]
async fn the_card_vault_round_trip() {
    let mock = MockGateway::start().await;
    let client = fixed_client(&mock);
    let customer = client
        .add_customer(&AddCustomerRequest::new(
            "Test mark",
            "cust-0001",
            "markweins@gmail.com",
            "+84912345678",
        ))
        .await
        .unwrap();
    let uuid = customer.customer_uuid.clone().unwrap();
    let add = &mock.requests_of(Operation::AddCustomer)[0];
    assert_eq!(
        add.path(),
        format!("/api/merchant/{MOCK_PORTONE_KEY}/customer")
    );
    assert_eq!(add.json().unwrap()["customer_ref"], "cust-0001");
    jwt_claims(add);

    let fetched = client.customer(&uuid).await.unwrap();
    assert_eq!(fetched.customer_uuid.as_deref(), Some(uuid.as_str()));
    assert_eq!(
        mock.requests_of(Operation::Customer)[0].path(),
        format!("/api/merchant/{MOCK_PORTONE_KEY}/customer/{uuid}")
    );

    let record = CardRecord::new(CardToken::new("cdec91449d3a4b4bae9144d586a2b972"))
        .partial_card_number("424242******4242")
        .expiry("07", "2031")
        .card_type("visa");
    let saved = client.add_card_for_customer(&uuid, &record).await.unwrap();
    assert_eq!(saved.expiry_month.as_deref(), Some("07"));
    let add_card = &mock.requests_of(Operation::AddCardForCustomer)[0];
    assert_eq!(
        add_card.path(),
        format!("/api/customer/{MOCK_PORTONE_KEY}/{uuid}/add-card")
    );
    assert_eq!(
        add_card.json().unwrap()["token"],
        "cdec91449d3a4b4bae9144d586a2b972"
    );

    let cards = client.list_cards(&uuid).await.unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(
        mock.requests_of(Operation::ListCards)[0].path(),
        format!("/api/customer/{MOCK_PORTONE_KEY}/{uuid}/list-cards")
    );

    let ack = client.delete_card(&uuid, &cards[0].token).await.unwrap();
    assert_eq!(ack.status_reason, Some(StatusReason::Success));
    let delete = &mock.requests_of(Operation::DeleteCard)[0];
    assert_eq!(delete.method(), "DELETE");
    assert_eq!(delete.header("content-type"), Some("application/json"));
    assert_eq!(
        delete.json().unwrap(),
        json!({"token": "a6a868835098431b83fc05edf16a2d81"})
    );
    insta::assert_json_snapshot!("delete_card_request", snapshot_of(delete));

    mock.script(
        Operation::ListCards,
        Reply::json(400, json!({"message":"Customer not found with customerUUID: 8e52c57d-…","status_code":"4016","status_reason":"MERCHANT_NOT_FOUND"})),
    );
    let err = client.list_cards(&uuid).await.unwrap_err();
    assert_eq!(
        err.as_provider().unwrap().reason,
        Some(StatusReason::MerchantNotFound)
    );
}

#[tokio::test]
async fn capture_routes_details_refunds_and_links() {
    let mock = MockGateway::start().await;
    let client = fixed_client(&mock);
    let ack = client.capture("2SDCUiBEv34oqeIdEDv1pftGeeY").await.unwrap();
    assert_eq!(ack.status_code.unwrap().as_str(), "2000");
    let capture = &mock.requests_of(Operation::Capture)[0];
    assert_eq!(
        (capture.method(), capture.path()),
        (
            "POST",
            "/api/transaction/2SDCUiBEv34oqeIdEDv1pftGeeY/capture"
        )
    );
    jwt_claims(capture);

    let routes = client.routes().await.unwrap();
    assert_eq!(
        routes[0].routing_ref.as_deref(),
        Some("Route_2P0qQgyROrPuzJDZebGSIsfYsX4")
    );
    let routes_request = &mock.requests_of(Operation::Routes)[0];
    assert_eq!(
        routes_request.path(),
        format!("/api/txn-router/{MOCK_PORTONE_KEY}/routes")
    );
    assert_eq!(routes_request.query_param("environment"), Some("sandbox"));

    let details = client
        .transaction_details("2YGZp22ExeOu0As61wa7i0JyMJn")
        .await
        .unwrap();
    assert_eq!(details.amount, Some(Decimal::from(500)));
    assert_eq!(details.order_details.unwrap().data.len(), 1);
    let details_request = &mock.requests_of(Operation::TransactionDetails)[0];
    assert_eq!(
        details_request.path(),
        format!("/api/{MOCK_PORTONE_KEY}/transaction-details")
    );
    assert_eq!(
        details_request.json().unwrap(),
        json!({"order_ref": "2YGZp22ExeOu0As61wa7i0JyMJn"})
    );

    let refunds = client
        .refund(
            "2YGZp22ExeOu0As61wa7i0JyMJn",
            &RefundRequest::partial(Decimal::from_str("250.50").unwrap()).reason("damaged"),
        )
        .await
        .unwrap();
    assert_eq!(
        refunds.amount_to_refund,
        Some(Decimal::from_str("250.5").unwrap())
    );
    assert_eq!(
        refunds.refund_details[0].refund_status,
        Some(RefundStatus::Success)
    );
    let refund = &mock.requests_of(Operation::Refund)[0];
    assert_eq!(
        refund.json().unwrap(),
        json!({"amount": 250.5, "refund_type": "partial", "refund_reason": "damaged", "environment": "sandbox"})
    );
    insta::assert_json_snapshot!("refund_request", snapshot_of(refund));
    let listed = client.refunds("2YGZp22ExeOu0As61wa7i0JyMJn").await.unwrap();
    assert_eq!(listed.refund_details.len(), 1);
    assert_eq!(mock.requests_of(Operation::Refunds)[0].method(), "GET");

    let state = client
        .payment_link_status("2kxG67L5yd3d6spRv76uE1QWnR5")
        .await
        .unwrap();
    assert_eq!(state.merchant_order_ref.as_deref(), Some("2212D256605F222"));
    assert_eq!(
        state.transactions_list[0]
            .status_code
            .as_ref()
            .unwrap()
            .as_str(),
        "2000"
    );
    let ack = client
        .cancel_payment_link("2kxG67L5yd3d6spRv76uE1QWnR5")
        .await
        .unwrap();
    assert!(ack.message.unwrap().contains("cancelled"));
    let cancel = &mock.requests_of(Operation::CancelPaymentLink)[0];
    assert_eq!(
        (cancel.method(), cancel.path()),
        (
            "PUT",
            "/api/paymentLink/2kxG67L5yd3d6spRv76uE1QWnR5/status/cancelled"
        )
    );
}

#[tokio::test]
async fn sub_merchant_and_legacy_headers_are_sent() {
    let credentials = Credentials::new(MOCK_PORTONE_KEY, SecretString::from(MOCK_SECRET_KEY))
        .with_sub_merchant_key("SubMerchant01");
    let mock = MockGateway::start_with(credentials.clone()).await;
    let client = mock
        .client_builder()
        .header_style(HeaderStyle::Chaipay)
        .user_agent_suffix("shop/2.1")
        .build()
        .unwrap();
    client.transaction_status("order-1").await.unwrap();
    let request = &mock.requests()[0];
    assert_eq!(
        request.header("x-chaipay-client-key"),
        Some(MOCK_PORTONE_KEY)
    );
    assert_eq!(
        request.header("x-chaipay-submerchant-key"),
        Some("SubMerchant01")
    );
    assert_eq!(
        request.header("user-agent"),
        Some(format!("portone-client/{} shop/2.1", env!("CARGO_PKG_VERSION")).as_str())
    );
}

/// Collects every field of every span and event.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Visitor(Arc<Mutex<String>>);

impl tracing::field::Visit for Visitor {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let mut out = self.0.lock().unwrap();
        out.push_str(&format!("{}={:?}\n", field.name(), value));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut Visitor(Arc::clone(&self.0)));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Visitor(Arc::clone(&self.0)));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Visitor(Arc::clone(&self.0)));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_token_or_card_appears_in_logs_debug_or_errors() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let mock = MockGateway::start().await;
    let client = mock.client();
    let card = NewCard::new(
        CardNumber::new("4242424242424242").unwrap(),
        Cvv::new("987").unwrap(),
        "NGUYEN VAN A",
        "05",
        "2030",
    )
    .unwrap();
    client
        .checkout_with_new_card(payment(), &card)
        .await
        .unwrap();
    client.auth_token().await.unwrap();
    client
        .saved_cards(
            "+84900000001",
            SavedCardsAccess::Otp(SecretString::from(MOCK_OTP)),
        )
        .await
        .unwrap();
    mock.script(
        Operation::TransactionStatus,
        Reply::raw(200, "application/json", format!(r#"{{"content":{{"status":1}},"echo":"{MOCK_SECRET_KEY}","card":"4242424242424242"}}"#)),
    );
    let decode_error = client.transaction_status("order-1").await.unwrap_err();
    mock.script(
        Operation::AuthToken,
        Reply::error(
            400,
            "4016",
            "MERCHANT_NOT_FOUND",
            &format!(
                "Merchant not found for this key : {MOCK_PORTONE_KEY} secret {MOCK_SECRET_KEY}"
            ),
        ),
    );
    let provider_error = client.auth_token().await.unwrap_err();

    let jwt = client.mint_jwt();
    let mut visible = capture.0.lock().unwrap().clone();
    assert!(
        visible.contains("operation"),
        "spans were captured: {visible}"
    );
    visible.push_str(&format!("{client:?}\n{card:?}\n{decode_error}\n{decode_error:?}\n{provider_error}\n{provider_error:?}\n"));
    visible.push_str(&format!("{:?}\n{:?}", mock.requests(), mock.credentials()));
    for secret in [
        MOCK_SECRET_KEY,
        "4242424242424242",
        "\"987\"",
        MOCK_OTP,
        &jwt.expose_secret()[..40],
        "mock-saved-cards-access-token",
    ] {
        assert!(!visible.contains(secret), "{secret} leaked:\n{visible}");
    }
    assert!(
        !visible.contains(MOCK_PORTONE_KEY),
        "the PortOne key leaked:\n{visible}"
    );
}

#[test]
fn the_client_is_cheap_to_clone_and_shareable_across_tasks() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<portone_client::Client>();
    assert_traits::<portone_client::webhook::Verifier>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
}
