//! The payment call of each provider, as the benchmarks run it: the typed request (built once
//! and sent again and again, as the same documented payment), the canned documented answer the loopback server gives, and a client pointed
//! at that server.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use secrecy::SecretString;

use super::server::{Canned, LoopbackServer};

pub type BoxFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
pub type Call = Arc<dyn Fn() -> BoxFuture + Send + Sync>;

/// One provider's payment call, ready to run against its loopback server.
pub struct Case {
    pub provider: &'static str,
    pub operation: &'static str,
    pub server: LoopbackServer,
    /// The whole call through the crate: build the request, sign, send, read and decode.
    pub call: Call,
    /// The exact request the crate sends (from its `prepare_*`), for the raw reqwest baseline.
    pub prepared: http::Request<Vec<u8>>,
    /// The same call written by hand with reqwest: see [`handwritten`].
    pub handwritten: Call,
}

pub fn fixture(provider: &str, name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../fixtures/{provider}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The crate's call as a [`Call`]: `op` runs on a clone of `client` and the same typed
/// `request` (built once, like the hand-written call's bytes) for every call; the crate
/// validates, serializes and signs it anew each time.
fn call<C, R, F, Fut, T, E>(client: C, request: R, op: F) -> Call
where
    C: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
    F: Fn(C, Arc<R>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
    E: std::fmt::Display,
{
    let op = Arc::new(op);
    let request = Arc::new(request);
    Arc::new(move || {
        let future = op(client.clone(), Arc::clone(&request));
        Box::pin(async move { future.await.map(drop).map_err(|e| e.to_string()) })
    })
}

/// The per-call work of the hand-written call that the crate's `prepare_*` does for it:
/// authenticating the request with the bare primitive (it may set headers).
type Authenticate = Box<dyn Fn(&mut http::HeaderMap) + Send + Sync>;
/// What the hand-written call checks in the parsed answer (Flitt: its signature).
type Check = Box<dyn Fn(&serde_json::Value) -> bool + Send + Sync>;

/// The same payment call written by hand with reqwest, doing per call what no integration can
/// skip: authenticate the request with the bare primitive (over the identical bytes the crate
/// sends, taken from its `prepare_*`), build the request with reqwest's builder and a timeout
/// (a payment call without one can hang forever), send it on a pooled client, read the answer
/// and parse it as JSON (`serde_json::Value`), and run `check` on it. It builds, validates and
/// serializes no request and decodes into no types.
pub fn handwritten(
    prepared: &http::Request<Vec<u8>>,
    authenticate: Authenticate,
    check: Check,
) -> Call {
    let client = reqwest::Client::new();
    let method = prepared.method().clone();
    let url = prepared.uri().to_string();
    let headers = prepared.headers().clone();
    let body = Bytes::from(prepared.body().clone());
    let shared = Arc::new((client, method, url, headers, body, authenticate, check));
    Arc::new(move || {
        let shared = Arc::clone(&shared);
        Box::pin(async move {
            let (client, method, url, headers, body, authenticate, check) = &*shared;
            let mut headers = headers.clone();
            authenticate(&mut headers);
            let response = client
                .request(method.clone(), url.as_str())
                .headers(headers)
                .body(body.clone())
                .timeout(std::time::Duration::from_secs(30))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if !response.status().is_success() {
                return Err(format!("status {}", response.status()));
            }
            let bytes = response.bytes().await.map_err(|e| e.to_string())?;
            let value: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
            if check(&value) {
                Ok(())
            } else {
                Err("the answer's check failed".to_owned())
            }
        })
    })
}

fn no_auth() -> Authenticate {
    Box::new(|_| {})
}

fn no_check() -> Check {
    Box::new(|_| true)
}

/// The text of a request's header (empty when it is missing or not text).
pub fn header<'a, B>(request: &'a http::Request<B>, name: &str) -> &'a str {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The flat (key, text) pairs of a JSON object, as the Fondy signature takes them.
pub fn flat_fields(object: &serde_json::Map<String, serde_json::Value>) -> Vec<(String, String)> {
    object
        .iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k.clone(), s.clone())),
            serde_json::Value::Number(n) => Some((k.clone(), n.to_string())),
            _ => None,
        })
        .collect()
}

fn canned(method: &'static str, path: &str, status: u16, body: Vec<u8>) -> Canned {
    Canned {
        method,
        path_prefix: path.to_owned(),
        status,
        content_type: "application/json",
        body: Bytes::from(body),
    }
}

// ---------------------------------------------------------------------------------------------
// Cardflo: debit
// ---------------------------------------------------------------------------------------------

pub mod cardflo {
    use super::*;
    use cardflo_client::auth::{Connector, Credentials};
    use cardflo_client::model::{Customer, DebitRequest};
    use cardflo_client::{Amount, Client};

    pub const SHARED_SECRET: &str = "my-shared-secret";

    /// The seed's debit example (its core fields).
    pub fn request() -> DebitRequest {
        let amount: Amount = "9.99".parse().expect("amount");
        DebitRequest::new("2019-09-02-0001", amount, "EUR")
            .additional_id1("x0001")
            .additional_id2("y0001")
            .extra("someKey", "someValue")
            .extra("otherKey", "otherValue")
            .merchant_meta_data("merchantRelevantData")
            .success_url("https://example.com/success")
            .cancel_url("https://example.com/cancel")
            .error_url("https://example.com/error")
            .callback_url("https://example.com/callback")
            .transaction_token("ix::tRaNsAcT1OnToK3N")
            .description("Example Product")
            .customer(
                Customer::new()
                    .identification("c0001")
                    .first_name("John")
                    .last_name("Doe")
                    .billing_address1("Maple Street 1")
                    .billing_city("Victoria")
                    .billing_postcode("V8W")
                    .billing_country("CA")
                    .email("john@example.com")
                    .ip_address("127.0.0.1"),
            )
    }

    pub fn client(base_url: &str) -> Client {
        Client::builder(
            Credentials::new("anyApiUser", SecretString::from("myPassword")),
            Connector::new("my-api-key").shared_secret(SecretString::from(SHARED_SECRET)),
        )
        .base_url(base_url)
        .build()
        .expect("client")
    }

    pub async fn case() -> Case {
        let server = LoopbackServer::start(vec![canned(
            "POST",
            "/api/v3/transaction/",
            200,
            fixture("cardflo", "debit-response-finished.json"),
        )])
        .await;
        let client = client(&format!("{}/api/v3", server.origin()));
        let prepared = client.prepare_debit(&request()).await.expect("prepare");
        let call = call(client, request(), |client, request| async move {
            client.debit(&request).await
        });
        // By hand: the current date, and the X-Signature over it (HMAC-SHA512 over the body's
        // SHA-512 and the headers).
        let content_type = header(&prepared, "content-type").to_owned();
        let (path, body) = (prepared.uri().path().to_owned(), prepared.body().clone());
        let sign = move |date: &str| {
            payments_signing::ixopay::sign(
                SHARED_SECRET,
                &payments_signing::ixopay::SignatureInput {
                    method: "POST",
                    body: &body,
                    content_type: &content_type,
                    date,
                    request_uri: &path,
                },
            )
        };
        assert_eq!(
            sign(header(&prepared, "date")),
            header(&prepared, "x-signature"),
            "the hand-written signature is the crate's"
        );
        let authenticate: Authenticate = Box::new(move |headers| {
            let date = payments_signing::http::format_http_date(std::time::SystemTime::now());
            let signature = sign(&date);
            let date = http::HeaderValue::from_str(&date).expect("header");
            headers.insert("date", date.clone());
            headers.insert("x-date", date);
            headers.insert(
                "x-signature",
                http::HeaderValue::from_str(&signature).expect("header"),
            );
        });
        let handwritten = handwritten(&prepared, authenticate, no_check());
        Case {
            provider: "cardflo",
            operation: "debit",
            server,
            call,
            prepared,
            handwritten,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Flitt: recurring
// ---------------------------------------------------------------------------------------------

pub mod flitt {
    use super::*;
    use flitt_client::model::recurring::RecurringRequest;
    use flitt_client::{Client, Credentials, Currency};

    /// The published R1 recurring request (test merchant 1549901, secret `test`).
    pub fn request() -> RecurringRequest {
        RecurringRequest::new(
            "test_recurring_payment123",
            "Debit by token transaction",
            4600,
            Currency::GEL,
            "I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG",
        )
    }

    pub fn client(base_url: &str) -> Client {
        Client::builder(Credentials::new(1_549_901, "test"))
            .base_url(base_url)
            .build()
            .expect("client")
    }

    /// The published R1 response, signed by Flitt with `test`, in its envelope.
    pub fn response() -> Vec<u8> {
        let fields = fixture("flitt", "r1-recurring-response-fields.json");
        let mut body = b"{\"response\": ".to_vec();
        body.extend_from_slice(fields.trim_ascii());
        body.push(b'}');
        body
    }

    pub async fn case() -> Case {
        let server =
            LoopbackServer::start(vec![canned("POST", "/api/recurring", 200, response())]).await;
        let client = client(&format!("{}/api", server.origin()));
        let prepared = client.prepare_recurring(&request()).await.expect("prepare");
        let call = call(client, request(), |client, request| async move {
            client.recurring(&request).await
        });
        // By hand: the request's SHA-1 signature over its fields (the body carries it), and the
        // answer's signature checked the same way.
        let body: serde_json::Value = serde_json::from_slice(prepared.body()).expect("json");
        let fields = flat_fields(body["request"].as_object().expect("request object"));
        let sign =
            move || payments_signing::fondy::sign("test", fields.iter().map(|(k, v)| (k, v)));
        assert_eq!(
            body["request"]["signature"].as_str(),
            Some(sign().as_str()),
            "the hand-written signature is the crate's"
        );
        let authenticate: Authenticate = Box::new(move |_| {
            std::hint::black_box(sign());
        });
        let check: Check = Box::new(|answer| {
            let Some(fields) = answer["response"].as_object() else {
                return false;
            };
            let signature = fields
                .get("signature")
                .and_then(|s| s.as_str())
                .unwrap_or_default();
            let pairs = flat_fields(fields);
            payments_signing::fondy::verify("test", pairs.iter().map(|(k, v)| (k, v)), signature)
        });
        let handwritten = handwritten(&prepared, authenticate, check);
        Case {
            provider: "flitt",
            operation: "recurring",
            server,
            call,
            prepared,
            handwritten,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Moment: create a payment session
// ---------------------------------------------------------------------------------------------

pub mod moment {
    use super::*;
    use moment_client::{Client, CreatePaymentSession};

    pub const SECRET_KEY: &str = "sk_test_bench_4eC39HqLyjWDarjtT1zdp7dc";

    /// The seed's create-session request for the SDK.
    pub fn request() -> CreatePaymentSession {
        CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}")
    }

    pub fn client(base_url: &str) -> Client {
        Client::builder(SecretString::from(SECRET_KEY))
            .base_url(base_url)
            .build()
            .expect("client")
    }

    pub async fn case() -> Case {
        let server = LoopbackServer::start(vec![canned(
            "POST",
            "/collect/payment_sessions",
            201,
            fixture("moment", "create-session-response.json"),
        )])
        .await;
        let client = client(&server.origin());
        let prepared = client
            .prepare_create_payment_session(&request())
            .await
            .expect("prepare");
        let call = call(client, request(), |client, request| async move {
            client.create_payment_session(&request).await
        });
        // By hand: a static bearer key; nothing to compute per call.
        let handwritten = handwritten(&prepared, no_auth(), no_check());
        Case {
            provider: "moment",
            operation: "create_payment_session",
            server,
            call,
            prepared,
            handwritten,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PortOne: hosted checkout link
// ---------------------------------------------------------------------------------------------

pub mod portone {
    use super::*;
    use portone_client::model::checkout::{
        BillingDetails, CheckoutRequest, MerchantDetails, OrderItem, RedirectUrls, TransactionType,
    };
    use portone_client::{Client, Credentials, Decimal, Environment};

    pub const PORTONE_KEY: &str = "PORTONE_KEY";
    pub const SECRET: &str = "PORTONE_SECRET";

    /// A hosted checkout shaped like the SDK's documented `CheckoutRequest`.
    pub fn request() -> CheckoutRequest {
        CheckoutRequest::new(
            "MERCHANT1617366877238",
            Decimal::new(19010, 0),
            "VND",
            "VN",
            MerchantDetails::new("Curo Sports")
                .back_url("https://shop.example")
                .promo_code("WELCOME")
                .promo_discount(Decimal::new(10000, 0))
                .shipping_charges(Decimal::new(10000, 0)),
            RedirectUrls::new(
                "https://checkout.portone.cloud/success.html",
                "https://checkout.portone.cloud/failure.html",
            ),
        )
        .description("Hand Gloves")
        .billing_details(
            BillingDetails::new()
                .name("Test mark")
                .email("markweins@example.com"),
        )
        .order_item(OrderItem::new(
            "product_001",
            "Hand Gloves",
            Decimal::new(19010, 0),
            1,
        ))
        .transaction_type(TransactionType::Purchase)
    }

    pub fn client(base_url: &str) -> Client {
        Client::builder(Credentials::new(PORTONE_KEY, SecretString::from(SECRET)))
            .environment(Environment::Sandbox)
            .base_url(base_url)
            .build()
            .expect("client")
    }

    pub async fn case() -> Case {
        let server = LoopbackServer::start(vec![canned(
            "POST",
            "/api/paymentLink",
            200,
            fixture("portone", "payment-link-response.json"),
        )])
        .await;
        let client = client(&server.origin());
        let prepared = client
            .prepare_create_payment_link(&request())
            .await
            .expect("prepare");
        let call = call(client, request(), |client, request| async move {
            client.create_payment_link(&request).await
        });
        // By hand: a fresh HS256 JWT per call, and the body's signature_hash (HMAC-SHA256 of the
        // form-encoded fields; the body carries it).
        let body: serde_json::Value = serde_json::from_slice(prepared.body()).expect("json");
        let signature_hash = move || {
            payments_signing::portone::signature_hash(
                SECRET,
                [
                    ("amount", "19010"),
                    ("client_key", PORTONE_KEY),
                    ("currency", "VND"),
                    ("failure_url", "https://checkout.portone.cloud/failure.html"),
                    ("merchant_order_id", "MERCHANT1617366877238"),
                    ("success_url", "https://checkout.portone.cloud/success.html"),
                ],
            )
        };
        assert_eq!(
            body["signature_hash"].as_str(),
            Some(signature_hash().as_str()),
            "the hand-written signature_hash is the crate's"
        );
        let authenticate: Authenticate = Box::new(move |headers| {
            let iat = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default();
            let jwt = payments_signing::portone::jwt_hs256(
                SECRET,
                &payments_signing::portone::JwtClaims {
                    iss: "PORTONE",
                    sub: PORTONE_KEY,
                    iat,
                    exp: iat + 300,
                },
            );
            std::hint::black_box(signature_hash());
            headers.insert(
                http::header::AUTHORIZATION,
                http::HeaderValue::from_str(&format!("Bearer {jwt}")).expect("header"),
            );
        });
        let handwritten = handwritten(&prepared, authenticate, no_check());
        Case {
            provider: "portone",
            operation: "create_payment_link",
            server,
            call,
            prepared,
            handwritten,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pivot: charge a stored card (API mode)
// ---------------------------------------------------------------------------------------------

pub mod pivot {
    use super::*;
    use session_tokenize_client::card::Cvc;
    use session_tokenize_client::model::Amount;
    use session_tokenize_client::model::session::{
        CaptureMethod, CardOptions, CreatePaymentSession, OrderInformation, PaymentMethodOptions,
        ProductDetail, ProductType, ThreeDsMethod,
    };
    use session_tokenize_client::{Client, Credentials};

    /// The documented "API mode, use a saved card" request (its core fields).
    pub fn request() -> CreatePaymentSession {
        CreatePaymentSession::api_saved_card(
            "1751620870",
            Amount::idr(10_000),
            "01975d90-bb55-76f6-b423-691c7868e85d",
            OrderInformation::new([ProductDetail::new(
                ProductType::Physical,
                1,
                Amount::idr(100_000),
            )
            .name("Dress Kasual Warna Putih")]),
            "020027de-134e-45ed-8f0d-7ae0506a7133",
            Cvc::new("123").expect("cvc"),
        )
        .payment_method_options(PaymentMethodOptions::card(
            CardOptions::new()
                .capture_method(CaptureMethod::Automatic)
                .three_ds_method(ThreeDsMethod::Challenge),
        ))
        .statement_descriptor("Reforza Pivot")
    }

    pub fn client(base_url: &str) -> Client {
        Client::builder(Credentials::sandbox(
            "bench-client-id",
            SecretString::from("bench-client-secret"),
        ))
        .base_url(base_url)
        .build()
        .expect("client")
    }

    pub async fn case() -> Case {
        let server = LoopbackServer::start(vec![
            canned(
                "POST",
                "/v1/access-token",
                200,
                fixture("pivot", "access-token-response.json"),
            ),
            canned(
                "POST",
                "/v2/payments",
                200,
                fixture("pivot", "create-api-saved-card-response.json"),
            ),
        ])
        .await;
        let client = client(&server.origin());
        // The first call fetches the access token; it is cached for the rest of the run.
        let prepared = client
            .prepare_create_payment_session(&request())
            .await
            .expect("prepare");
        let call = call(client, request(), |client, request| async move {
            client.create_payment_session(&request).await
        });
        // By hand: the cached bearer token; nothing to compute per call.
        let handwritten = handwritten(&prepared, no_auth(), no_check());
        Case {
            provider: "pivot",
            operation: "create_payment_session (stored card)",
            server,
            call,
            prepared,
            handwritten,
        }
    }
}

/// The providers, in the order of the report.
pub const PROVIDERS: [&str; 5] = ["cardflo", "flitt", "moment", "portone", "pivot"];

/// One provider's case, its loopback server started on the current runtime.
pub async fn case(provider: &str) -> Case {
    match provider {
        "cardflo" => cardflo::case().await,
        "flitt" => flitt::case().await,
        "moment" => moment::case().await,
        "portone" => portone::case().await,
        "pivot" => pivot::case().await,
        other => panic!("no benchmark case for {other}"),
    }
}
