//! The payment call of each provider, as the benchmarks run it: the typed request (built anew
//! for every call), the canned documented answer the loopback server gives, and a client pointed
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
}

pub fn fixture(provider: &str, name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../fixtures/{provider}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The crate's call as a [`Call`]: `op` runs on a clone of `client` for every request.
fn call<C, F, Fut, T, E>(client: C, op: F) -> Call
where
    C: Clone + Send + Sync + 'static,
    F: Fn(C) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
    E: std::fmt::Display,
{
    let op = Arc::new(op);
    Arc::new(move || {
        let future = op(client.clone());
        Box::pin(async move { future.await.map(drop).map_err(|e| e.to_string()) })
    })
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
        let call = call(
            client,
            |client| async move { client.debit(&request()).await },
        );
        Case {
            provider: "cardflo",
            operation: "debit",
            server,
            call,
            prepared,
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
        let call = call(client, |client| async move {
            client.recurring(&request()).await
        });
        Case {
            provider: "flitt",
            operation: "recurring",
            server,
            call,
            prepared,
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
        let call = call(client, |client| async move {
            client.create_payment_session(&request()).await
        });
        Case {
            provider: "moment",
            operation: "create_payment_session",
            server,
            call,
            prepared,
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
        let call = call(client, |client| async move {
            client.create_payment_link(&request()).await
        });
        Case {
            provider: "portone",
            operation: "create_payment_link",
            server,
            call,
            prepared,
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
        let call = call(client, |client| async move {
            client.create_payment_session(&request()).await
        });
        Case {
            provider: "pivot",
            operation: "create_payment_session (stored card)",
            server,
            call,
            prepared,
        }
    }
}

/// Every provider's case, in the order of the report.
pub async fn all() -> Vec<Case> {
    vec![
        cardflo::case().await,
        flitt::case().await,
        moment::case().await,
        portone::case().await,
        pivot::case().await,
    ]
}
