//! A mock PortOne on loopback for your own tests (feature `testing`).
//!
//! [`MockGateway`] runs an [`httpmock`] server that behaves like PortOne for every operation of
//! [`Client`]: it routes by method and path, checks **independently** what PortOne checks —
//! the JWT (HS256 with the merchant secret, `sub` = the PortOne key, not expired), the
//! client-key header, the PortOne key in the path, the environment, and the `signature_hash` of
//! payment requests (recomputed from the raw JSON number of `amount`) — and answers with
//! PortOne's documented examples. Failed checks get PortOne's documented error bodies.
//! Outcomes can be scripted per operation ([`MockGateway::script`]): errors, HTML pages,
//! truncated bodies, delays.
//!
//! Where PortOne documents no example (OTP, customers, routes, tokenization, capture, refunds,
//! transaction details), the mock answers a plausible body in PortOne's envelope; those answers
//! are marked in [`Reply::documented`].
//!
//! ```no_run
//! # async fn run() -> Result<(), portone_client::Error> {
//! use portone_client::testing::{MockGateway, Operation, Reply};
//!
//! let mock = MockGateway::start().await;
//! let client = mock.client();
//! mock.script(Operation::Capture, Reply::html(502));
//! let err = client.capture("2SDCUiBEv34oqeIdEDv1pftGeeY").await.unwrap_err();
//! assert!(err.may_have_been_processed());
//! assert_eq!(mock.hits(Operation::Capture), 1);
//! # Ok(()) }
//! ```

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Oaep, RsaPrivateKey};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::auth::Credentials;
use crate::client::{Client, ClientBuilder};
use crate::model::Environment;
use crate::webhook::{Signer, Verifier};

/// The PortOne key of a mock started with [`MockGateway::start`].
pub const MOCK_PORTONE_KEY: &str = "MockPortOneKey01";

/// The secret key of a mock started with [`MockGateway::start`] (a test value, worthless).
pub const MOCK_SECRET_KEY: &str = "mock-portone-secret-key-for-tests-only-0000";

/// The OTP the mock accepts for saved-card look-ups.
pub const MOCK_OTP: &str = "123456";

/// The token the mock returns and accepts for saved-card look-ups after the OTP one.
const MOCK_SAVED_CARDS_TOKEN: &str = "mock-saved-cards-access-token";

/// The mock's card-encryption key pair (1024-bit, generated for this mock only; it protects
/// nothing).
const MOCK_RSA_PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----\n\
MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBANRkKVo5U1fcZ4ZX\n\
k/6Bd+yA4MPUjNj2C1ZfTn1qBpJdGVOPGoOOPqnuYz4AZxZxUZnfHzH+bDbp9gKE\n\
naCmmUJPXwnhSGO2JUYkgucJgqckQUwIcg6Em2Ssb4M/RUdWA5B02AOBtRMt2aDR\n\
kUbJVt6+gIKQhJfuWChiuKGslU19AgMBAAECgYB4s/egU+Xej96xxYHQ6Mk7uj6C\n\
bIAjKSlmS8GympfjhE9JYpGB5EwOjPEPonDzmzDxzpDO+7WKO8pYwf9G9ocv0+MT\n\
AheaA15Y0UrxjLfKmK0XFGh18N85UYEiHeaxFFQ1AClSsII/NKqtRJN6OIOArInP\n\
7vNscqOAkrROQwOdAQJBAPL0fTRO8pKx5AmLn6ydfgj7v17FF8GqYJCp9xjtm5zo\n\
Nha6FXkB3hy7auZb5OThJtT0ZJqYBdTCHkODjjH94L0CQQDfy4+9daFCZ/OTmkvh\n\
iuyhjz9vyLrmEgAOFyo122gYciXqBdpyKLzUuqSV89pNAZkJY3NijIhhadzaK/LM\n\
7cvBAkEAyEGTzgDg2t98Kg4HMB2knDz9cV0dhskrzTH7dXWslXml07fQKSzL6nzk\n\
0TmfgrS+8Dr9jZuO+t6CWX3fP/+WNQJATIvDznm9fokvtvy/l5V8+oWUnRd7VdYy\n\
Tp99wI4bPMFOVo1J+mIUtG5ifSe7MzuorJ1nif2naCpdcAI4Of/cAQJBAKfw4/8B\n\
3z4AaEMkByTuHnganK8n0VPf5GO0YrglhX/LKGBCTCTrNVTqWrJTfaqAAmERmQmn\n\
xwnwycs8jJq5DbQ=\n\
-----END PRIVATE KEY-----";

/// The public half of the mock's card-encryption key pair, served by `GET /api/tokenization/public-key`.
pub const MOCK_RSA_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----\n\
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDUZClaOVNX3GeGV5P+gXfsgODD\n\
1IzY9gtWX059agaSXRlTjxqDjj6p7mM+AGcWcVGZ3x8x/mw26fYChJ2gpplCT18J\n\
4UhjtiVGJILnCYKnJEFMCHIOhJtkrG+DP0VHVgOQdNgDgbUTLdmg0ZFGyVbevoCC\n\
kISX7lgoYrihrJVNfQIDAQAB\n\
-----END PUBLIC KEY-----";

/// The PortOne operations the mock serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /api/merchant/auth-token`
    AuthToken,
    /// `GET /merchants/{key}/paymethodsbyKey`
    PaymentMethods,
    /// `POST /api/paymentLink`
    CreatePaymentLink,
    /// `POST /api/initiatePayment`
    InitiatePayment,
    /// `GET /api/tokenization/public-key`
    CardPublicKey,
    /// `POST /api/tokenization/tokenize-card`
    TokenizeCard,
    /// `POST /api/verification/generateOTP/{phone}`
    SendOtp,
    /// `GET /api/user/{phone}/savedCard`
    SavedCards,
    /// `POST /api/merchant/{key}/customer`
    AddCustomer,
    /// `GET /api/merchant/{key}/customer/{id}`
    Customer,
    /// `POST /api/customer/{key}/{uuid}/add-card`
    AddCardForCustomer,
    /// `GET /api/customer/{key}/{uuid}/list-cards`
    ListCards,
    /// `DELETE /api/customer/{key}/{uuid}/delete-card`
    DeleteCard,
    /// `POST /api/transaction/{order_ref}/capture`
    Capture,
    /// `GET /api/txn-router/{key}/routes`
    Routes,
    /// `GET /api/transaction/{merchant_order_ref}/status`
    TransactionStatus,
    /// `POST /api/{key}/transaction-details`
    TransactionDetails,
    /// `POST /api/refund/{order_ref}`
    Refund,
    /// `GET /api/refund/{order_ref}`
    Refunds,
    /// `GET /api/paymentLink/{ref}/fetch-status`
    PaymentLinkStatus,
    /// `PUT /api/paymentLink/{ref}/status/cancelled`
    CancelPaymentLink,
}

/// What the mock requires of a request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    Nothing,
    ClientKey,
    Jwt,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 21] = [
        Self::AuthToken,
        Self::PaymentMethods,
        Self::CreatePaymentLink,
        Self::InitiatePayment,
        Self::CardPublicKey,
        Self::TokenizeCard,
        Self::SendOtp,
        Self::SavedCards,
        Self::AddCustomer,
        Self::Customer,
        Self::AddCardForCustomer,
        Self::ListCards,
        Self::DeleteCard,
        Self::Capture,
        Self::Routes,
        Self::TransactionStatus,
        Self::TransactionDetails,
        Self::Refund,
        Self::Refunds,
        Self::PaymentLinkStatus,
        Self::CancelPaymentLink,
    ];

    fn needs(self) -> Needs {
        match self {
            Self::AuthToken | Self::SendOtp => Needs::Nothing,
            Self::PaymentMethods | Self::InitiatePayment | Self::SavedCards => Needs::ClientKey,
            _ => Needs::Jwt,
        }
    }

    /// Routes a request; also returns the PortOne key found in the path, if the path has one.
    fn route<'a>(method: &str, segments: &[&'a str]) -> Option<(Self, Option<&'a str>)> {
        use Operation as O;
        Some(match (method, segments) {
            ("POST", ["api", "merchant", "auth-token"]) => (O::AuthToken, None),
            ("GET", ["merchants", key, "paymethodsbyKey"]) => (O::PaymentMethods, Some(*key)),
            ("POST", ["api", "paymentLink"]) => (O::CreatePaymentLink, None),
            ("POST", ["api", "initiatePayment"]) => (O::InitiatePayment, None),
            ("GET", ["api", "tokenization", "public-key"]) => (O::CardPublicKey, None),
            ("POST", ["api", "tokenization", "tokenize-card"]) => (O::TokenizeCard, None),
            ("POST", ["api", "verification", "generateOTP", _]) => (O::SendOtp, None),
            ("GET", ["api", "user", _, "savedCard"]) => (O::SavedCards, None),
            ("POST", ["api", "merchant", key, "customer"]) => (O::AddCustomer, Some(*key)),
            ("GET", ["api", "merchant", key, "customer", _]) => (O::Customer, Some(*key)),
            ("POST", ["api", "customer", key, _, "add-card"]) => {
                (O::AddCardForCustomer, Some(*key))
            }
            ("GET", ["api", "customer", key, _, "list-cards"]) => (O::ListCards, Some(*key)),
            ("DELETE", ["api", "customer", key, _, "delete-card"]) => (O::DeleteCard, Some(*key)),
            ("POST", ["api", "transaction", _, "capture"]) => (O::Capture, None),
            ("GET", ["api", "txn-router", key, "routes"]) => (O::Routes, Some(*key)),
            ("GET", ["api", "transaction", _, "status"]) => (O::TransactionStatus, None),
            ("POST", ["api", key, "transaction-details"]) => (O::TransactionDetails, Some(*key)),
            ("POST", ["api", "refund", _]) => (O::Refund, None),
            ("GET", ["api", "refund", _]) => (O::Refunds, None),
            ("GET", ["api", "paymentLink", _, "fetch-status"]) => (O::PaymentLinkStatus, None),
            ("PUT", ["api", "paymentLink", _, "status", "cancelled"]) => {
                (O::CancelPaymentLink, None)
            }
            _ => return None,
        })
    }
}

/// A scripted answer.
#[derive(Clone)]
pub struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
    delay: Option<Duration>,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("delay", &self.delay)
            .finish_non_exhaustive()
    }
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: Value) -> Self {
        Self::raw(status, "application/json", body.to_string())
    }

    /// Any answer, byte for byte (e.g. a truncated JSON document or an empty body).
    pub fn raw(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
            delay: None,
        }
    }

    /// A PortOne error body `{message, status_code, status_reason}`.
    pub fn error(status: u16, code: &str, reason: &str, message: &str) -> Self {
        Self::json(
            status,
            json!({"message": message, "status_code": code, "status_reason": reason}),
        )
    }

    /// An HTML error page, as a load balancer in front of PortOne would send.
    pub fn html(status: u16) -> Self {
        Self::raw(
            status,
            "text/html",
            format!(
                "<html><head><title>{status} Bad Gateway</title></head><body><center><h1>{status} Bad Gateway</h1></center></body></html>"
            ),
        )
    }

    /// Adds a response header (e.g. `Retry-After`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the answer only after `delay` (to provoke client timeouts).
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The mock's default answer to `operation`: PortOne's documented example where there is
    /// one (`true` in the second element), otherwise a plausible body in PortOne's envelope.
    pub fn documented(operation: Operation) -> (Value, bool) {
        use Operation as O;
        match operation {
            O::AuthToken => (
                json!({"content":{"expires_in":21600,"token":"eyJ…"},"message":"Auth Token generated successfully!","status_code":"2000","status_reason":"SUCCESS"}),
                true,
            ),
            O::PaymentMethods => (
                json!({"CARD":[{"payment_channel_key":"STRIPE","payment_method_key":"STRIPE_CARD","sub_type":"INT_CREDIT_CARD","logo":"https://chaiport-pg-icons-latest-nov.s3.ap-southeast-1.amazonaws.com/card.png","display_name":"Stripe","is_default":true,"is_enabled":true,"is_merchant_sponsored":false,"collect_payslip":false,"tokenization_possible":true,"name":"Stripe CreditCard","country":"GLOBAL","currency":"USD,VND,SGD,THB,INR,PHP,IDR,MYR,AUD,EUR,HKD"}]}),
                true,
            ),
            O::CreatePaymentLink => (
                json!({"payment_link_ref":"2BEemUknaImTq5ljmoNQQV2tSll","payment_link":"https://checkout.portone.cloud?ref=2BEemUknaImTq5ljmoNQQV2tSll"}),
                true,
            ),
            O::InitiatePayment => (
                json!({"is_success":true,"redirect_url":"https://pm-redirects.stripe.com/...","channel_order_ref":"pi_3KyTl5Jrbhj1WB8Z017xJS9i","merchant_order_ref":"Merchant1652330173615","order_ref":"2937z05mrtN17ZYigwZhfKdqEGQ","message":"","deep_link":"","additional_data":null,"qrcode_url":"https://image.portone.ip/3647863746876478-qrcode.jpreg","expiry_in_minutes":"20"}),
                true,
            ),
            O::CardPublicKey => (
                json!({"content":{"public_key":MOCK_RSA_PUBLIC_KEY},"message":"Public key fetched successfully","status_code":"2000","status_reason":"SUCCESS"}),
                false,
            ),
            O::TokenizeCard => (
                json!({"content":{"card_token":"d7a1e0c4b2f94a0f8f3c6e5b1a2d3c4e","card_number":"424242******4242","expiration_month":"05","expiration_year":"2030","card_type":"visa"},"message":"Card tokenized successfully","status_code":"2000","status_reason":"SUCCESS"}),
                false,
            ),
            O::SendOtp => (
                json!({"message":"OTP sent successfully","status_code":"2000","status_reason":"SUCCESS"}),
                false,
            ),
            O::SavedCards => (
                json!({"content":[{"token":"97daee740bb84a6d907dfe46fca1139e","partial_card_number":"4242 4242 4242 4242","expiry_month":"09","expiry_year":"2034","type":"visa","payment_channel_token":{"OMISE_CUSTOMER_TOKEN":"cust_test_5va5euv4r4cf68gwcmm","STRIPE_CHANNEL_TOKEN":"pm_1Mqyk7CzOuxzGzz2njn9bFFE","STRIPE_CUSTOMER_TOKEN":"cus_NcDA43aAVrjiMp"}}],"status_code":"2000","status_reason":"SUCCESS"}),
                true,
            ),
            O::AddCustomer | O::Customer => (
                json!({"content":{"customer_uuid":"8e52c57d-9bda-437e-973d-fb4f9756d15f","name":"Test mark","customer_ref":"cust-0001","email_address":"markweins@gmail.com","phone_number":"+84912345678"},"message":"Customer fetched successfully","status_code":"2000","status_reason":"SUCCESS"}),
                false,
            ),
            O::AddCardForCustomer => (
                json!({"content":{"token":"cdec91449d3a4b4bae9144d586a2b972","partial_card_number":"424242******4242","expiry_month":"07","expiry_year":"2031","type":"visa","payment_channel_token":{}},"message":"Card record added successfully for customer!","status_code":"2000","status_reason":"SUCCESS"}),
                true,
            ),
            O::ListCards => (
                json!({"content":{"data":[{"token":"a6a868835098431b83fc05edf16a2d81","partial_card_number":"424242******4242","expiry_month":"09","expiry_year":"2043","type":"visa","payment_channel_token":{}}]},"message":"List of cards for Customer with UUID: 8e52c57d-9bda-437e-973d-fb4f9756d15f fetched successfully.","status_code":"2000","status_reason":"SUCCESS"}),
                true,
            ),
            O::DeleteCard => (
                json!({"message":"Card record deleted successfully for the customer!","status_code":"2000","status_reason":"SUCCESS"}),
                true,
            ),
            O::Capture => (
                json!({"message":"Transaction captured successfully","status_code":"2000","status_reason":"SUCCESS"}),
                false,
            ),
            O::Routes => (
                json!({"content":[{"routing_ref":"Route_2P0qQgyROrPuzJDZebGSIsfYsX4","name":"Cards failover","type":"failover"}],"message":"Routes fetched successfully","status_code":"2000","status_reason":"SUCCESS"}),
                false,
            ),
            O::TransactionStatus => (
                json!({"content":{"channel_order_ref":"6G457114F4645741R","order_ref":"2YGZp22ExeOu0As61wa7i0JyMJn","status":"Expired"},"status_code":"2000","status_reason":"SUCCESS"}),
                true,
            ),
            O::TransactionDetails => (
                json!({"content":{"currency":"USD","amount":500,"order_ref":"2YGZp22ExeOu0As61wa7i0JyMJn","channel_order_ref":"6G457114F4645741R","merchant_order_ref":"MERCHANT1617366877238","country_code":"US","status":"Success","status_code":"2000","status_reason":"SUCCESS","channel_key":"STRIPE","method_key":"STRIPE_CARD","method_name":"Stripe Card","date":"2024-09-26 10:55:14.573735 +0000 UTC","is_refund_allowed":true,"is_multi_refund_allowed":true,"order_details":{"data":[{"item_id":"product_001","product_name":"Hand Gloves","price":500,"quantity":1}]}},"message":"Transaction details fetched successfully","status_code":"2000","status_reason":"SUCCESS"}),
                false,
            ),
            O::Refund | O::Refunds => (
                json!({"amountToRefund":60000,"refundDetails":[{"refund_date":"2024-09-26T10:47:22.372093Z","refund_id":"2mbbRf0000000000000000001","psp_refund_id":"re_3KyTl5Jrbhj1WB8Z0000000","amount":60000,"currency":"VND","refund_status":"SUCCESS","refund_type":"partial","refund_reason":"customer request","merchant_id":"1234"}]}),
                false,
            ),
            O::PaymentLinkStatus => (
                json!({"content":{"merchantOrderRef":"2212D256605F222","paymentLinkRef":"2kxG67L5yd3d6spRv76uE1QWnR5","status":"Success","transactionsList":[{"channelOrderRef":"0","createdAt":"2022-06-14T09:30:45.152761Z","merchantOrderRef":"…","status":"Success","statusCode":"2000","statusReason":"Success"}]},"status_code":"2000","status_reason":"SUCCESS"}),
                true,
            ),
            O::CancelPaymentLink => (
                json!({"message":"Payment link status updated successfully to cancelled","status_code":"2000","status_reason":"SUCCESS"}),
                false,
            ),
        }
    }
}

/// A request the mock received. Its `Debug` redacts credentials, tokens, OTPs and card data.
#[derive(Clone)]
pub struct RecordedRequest {
    operation: Option<Operation>,
    method: String,
    path: String,
    query: Option<String>,
    query_pairs: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RecordedRequest {
    /// The operation it was routed to (`None`: no such route).
    pub fn operation(&self) -> Option<Operation> {
        self.operation
    }

    /// The HTTP method, e.g. `POST`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path as sent (percent-encoded), e.g. `/api/paymentLink`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query string as sent, without `?`.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The decoded query parameters, in order.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query_pairs
    }

    /// The first value of query parameter `name` (decoded).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query_pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every header, names lower-cased, in the order received.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let sensitive = k.eq_ignore_ascii_case("authorization")
                    || k.to_ascii_lowercase().ends_with("-key");
                if sensitive {
                    (k.as_str(), "[redacted]")
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &crate::scrub::scrub_text(&self.path, &[]))
            .field(
                "query",
                &self
                    .query
                    .as_deref()
                    .map(|q| crate::scrub::excerpt(q.as_bytes(), &[])),
            )
            .field("headers", &headers)
            .field("body", &crate::scrub::excerpt(&self.body, &[]))
            .finish_non_exhaustive()
    }
}

struct Scripted {
    id: u64,
    reply: Reply,
}

struct State {
    credentials: Credentials,
    private_key: Option<RsaPrivateKey>,
    now: Mutex<Option<SystemTime>>,
    whitelisted: Mutex<bool>,
    scripts: Mutex<HashMap<Operation, VecDeque<Scripted>>>,
    requests: Mutex<Vec<RecordedRequest>>,
    prepared: Mutex<HashMap<u64, HttpMockResponse>>,
    next_id: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl State {
    fn now(&self) -> SystemTime {
        lock(&self.now).unwrap_or_else(SystemTime::now)
    }

    fn front_delay_id(&self, operation: Operation) -> Option<u64> {
        lock(&self.scripts)
            .get(&operation)
            .and_then(VecDeque::front)
            .filter(|s| s.reply.delay.is_some())
            .map(|s| s.id)
    }
}

/// A mock PortOne on loopback. See the [module docs](self).
pub struct MockGateway {
    server: MockServer,
    state: Arc<State>,
}

impl fmt::Debug for MockGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockGateway")
            .field("base_url", &self.server.base_url())
            .finish_non_exhaustive()
    }
}

impl MockGateway {
    /// Starts a mock with [`MOCK_PORTONE_KEY`] and [`MOCK_SECRET_KEY`].
    pub async fn start() -> Self {
        Self::start_with(Credentials::new(
            MOCK_PORTONE_KEY,
            SecretString::from(MOCK_SECRET_KEY),
        ))
        .await
    }

    /// Starts a mock that accepts `credentials`.
    pub async fn start_with(credentials: Credentials) -> Self {
        let server = MockServer::start_async().await;
        let state = Arc::new(State {
            credentials,
            private_key: RsaPrivateKey::from_pkcs8_pem(MOCK_RSA_PRIVATE_KEY).ok(),
            now: Mutex::new(None),
            whitelisted: Mutex::new(false),
            scripts: Mutex::new(HashMap::new()),
            requests: Mutex::new(Vec::new()),
            prepared: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        });
        let matcher_state = Arc::clone(&state);
        let handler_state = Arc::clone(&state);
        server
            .mock_async(move |when, then| {
                when.is_true(move |req: &HttpMockRequest| match route_of(req) {
                    Some((op, _)) => matcher_state.front_delay_id(op).is_none(),
                    None => true,
                });
                then.respond_with(move |req: &HttpMockRequest| handle(&handler_state, req));
            })
            .await;
        Self { server, state }
    }

    /// The mock's base URL, for [`ClientBuilder::base_url`].
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The credentials the mock accepts.
    pub fn credentials(&self) -> Credentials {
        self.state.credentials.clone()
    }

    /// A builder for a client pointed at the mock with its credentials, in the sandbox, with
    /// short retry delays; adjust it before building.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(self.credentials())
            .base_url(self.base_url())
            .environment(Environment::Sandbox)
            .retry_backoff(Duration::from_millis(5), Duration::from_millis(50))
    }

    /// A client pointed at the mock with its credentials, in the sandbox.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the mock's client configuration is valid")
    }

    /// A webhook verifier with the mock's secret.
    pub fn verifier(&self) -> Verifier {
        Verifier::new(self.state.credentials.secret_key().clone())
    }

    /// A signer with the mock's secret, to produce inbound messages for your handlers.
    pub fn signer(&self) -> Signer {
        Signer::new(self.state.credentials.secret_key().clone())
    }

    /// The time the mock checks JWT expiry against (default: the system clock). Set it when
    /// the client runs on a fixed clock.
    pub fn set_now(&self, now: SystemTime) {
        *lock(&self.state.now) = Some(now);
    }

    /// Accept payment requests without `signature_hash` (a whitelisted merchant).
    pub fn set_whitelisted(&self, whitelisted: bool) {
        *lock(&self.state.whitelisted) = whitelisted;
    }

    /// Answers the next request of `operation` that passes the mock's checks with `reply`
    /// (replies queue up per operation).
    pub fn script(&self, operation: Operation, reply: Reply) {
        let id = self.state.next_id.fetch_add(1, Ordering::Relaxed);
        let delay = reply.delay;
        lock(&self.state.scripts)
            .entry(operation)
            .or_default()
            .push_back(Scripted { id, reply });
        if let Some(delay) = delay {
            let matcher_state = Arc::clone(&self.state);
            let handler_state = Arc::clone(&self.state);
            // A delay is part of an httpmock mock's definition, so a delayed reply gets its
            // own mock that matches only while it is next in line.
            // The answer is prepared (request recorded, script consumed) when the request
            // matches, so a client that gives up during the delay still counts as a hit.
            let _mock = self.server.mock(move |when, then| {
                when.is_true(move |req: &HttpMockRequest| {
                    let mine = route_of(req).is_some_and(|(op, _)| {
                        op == operation && matcher_state.front_delay_id(op) == Some(id)
                    });
                    if mine {
                        let response = handle(&matcher_state, req);
                        lock(&matcher_state.prepared).insert(id, response);
                    }
                    mine
                });
                then.delay(delay)
                    .respond_with(move |_req: &HttpMockRequest| {
                        lock(&handler_state.prepared)
                            .remove(&id)
                            .unwrap_or_else(|| {
                                error(
                                    500,
                                    "5000",
                                    "PAYMENT_SYSTEM_ERROR",
                                    "mock: no prepared answer",
                                )
                            })
                    });
            });
        }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// The requests of one operation.
    pub fn requests_of(&self, operation: Operation) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation() == Some(operation))
            .collect()
    }

    /// How many requests of `operation` the mock received.
    pub fn hits(&self, operation: Operation) -> usize {
        self.requests_of(operation).len()
    }
}

fn segments_of(path: &str) -> Vec<String> {
    path.trim_matches('/')
        .split('/')
        .map(percent_decode)
        .collect()
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn route_of(req: &HttpMockRequest) -> Option<(Operation, Option<String>)> {
    let uri = req.uri();
    let segments = segments_of(uri.path());
    let refs: Vec<&str> = segments.iter().map(String::as_str).collect();
    Operation::route(req.method().as_str(), &refs).map(|(op, key)| (op, key.map(str::to_owned)))
}

fn reply(status: u16, body: &Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
}

fn error(status: u16, code: &str, reason: &str, message: &str) -> HttpMockResponse {
    reply(
        status,
        &json!({"message": message, "status_code": code, "status_reason": reason}),
    )
}

fn handle(state: &State, req: &HttpMockRequest) -> HttpMockResponse {
    let uri = req.uri();
    let query_pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let routed = route_of(req);
    let recorded = RecordedRequest {
        operation: routed.as_ref().map(|(op, _)| *op),
        method: req.method().as_str().to_owned(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        query_pairs,
        headers: req
            .headers_vec()
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect(),
        body: req.body_ref().to_vec(),
    };
    lock(&state.requests).push(recorded.clone());
    let Some((operation, path_key)) = routed else {
        return error(404, "4004", "NOT_FOUND", "no such PortOne route");
    };
    if let Err(response) = check(state, operation, path_key.as_deref(), &recorded) {
        return response;
    }
    let scripted = lock(&state.scripts)
        .get_mut(&operation)
        .and_then(VecDeque::pop_front);
    if let Some(Scripted { reply: r, .. }) = scripted {
        let mut builder = HttpMockResponse::builder()
            .status(r.status)
            .header("content-type", r.content_type);
        for (k, v) in &r.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        return builder.body(r.body).build();
    }
    default_reply(state, operation, &recorded)
}

/// PortOne's checks, done independently of the client's code.
fn check(
    state: &State,
    operation: Operation,
    path_key: Option<&str>,
    req: &RecordedRequest,
) -> Result<(), HttpMockResponse> {
    let key = state.credentials.portone_key();
    let secret = state.credentials.secret_key().expose_secret();
    let needs = operation.needs();
    if needs != Needs::Nothing {
        let sent = req
            .header("x-portone-client-key")
            .or_else(|| req.header("x-chaipay-client-key"));
        if sent != Some(key) {
            return Err(reply(
                401,
                &json!({"is_success":false,"message":"Invalid client key","status_code":"4010","status_reason":"INVALID_UNAUTHORISED_TRANSACTION_IAMPORTKEY_ERROR"}),
            ));
        }
        if let Some(sub) = state.credentials.sub_merchant_key() {
            let sent = req
                .header("x-portone-submerchant-key")
                .or_else(|| req.header("x-chaipay-submerchant-key"));
            if sent != Some(sub) {
                return Err(error(
                    401,
                    "4084",
                    "INVALID_UNAUTHORISED_PORTONEKEY_ERROR",
                    "Invalid sub-merchant key",
                ));
            }
        }
    }
    let jwt_error = || {
        error(
            401,
            "4054",
            "INVALID_UNAUTHORIZED_JWT_TOKEN_ERROR",
            "The JWT Token or header is invalid or expired!",
        )
    };
    if needs == Needs::Jwt {
        let token = req
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(jwt_error)?;
        let claims = payments_signing::portone::verify_jwt_hs256(secret, token)
            .and_then(|payload| serde_json::from_slice::<Value>(&payload).ok())
            .ok_or_else(jwt_error)?;
        let now = state
            .now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
        let iat = claims
            .get("iat")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        let iss = claims
            .get("iss")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if sub != key || !matches!(iss, "PORTONE" | "CHAIPAY") || exp < now || iat > now + 60 {
            return Err(jwt_error());
        }
    }
    if let Some(path_key) = path_key
        && path_key != key
    {
        return Err(error(
            400,
            "4016",
            "MERCHANT_NOT_FOUND",
            &format!("Merchant not found for this key : {path_key}"),
        ));
    }
    let body = req.json();
    let environment_error = || error(400, "4034", "INVALID_ENVIRONMENT", "Invalid environment");
    let valid_env = |v: Option<&str>| matches!(v, Some("sandbox" | "live"));
    let query_env = matches!(
        operation,
        Operation::PaymentMethods | Operation::SavedCards | Operation::Routes
    );
    let body_env = matches!(
        operation,
        Operation::CreatePaymentLink
            | Operation::InitiatePayment
            | Operation::TokenizeCard
            | Operation::Refund
    );
    if query_env && !valid_env(req.query_param("environment")) {
        return Err(environment_error());
    }
    if body_env {
        let env = body
            .as_ref()
            .and_then(|b| b.get("environment"))
            .and_then(Value::as_str);
        if !valid_env(env) {
            return Err(environment_error());
        }
    }
    match operation {
        Operation::AuthToken => {
            let b = body.unwrap_or(Value::Null);
            let sent_key = b
                .get("portone_key")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let sent_secret = b
                .get("portone_secret")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if sent_key.is_empty() {
                return Err(error(
                    400,
                    "4001",
                    "INVALID_REQUEST",
                    "Invalid Request, err : portone_key is a required field",
                ));
            }
            if sent_key != key || sent_secret != secret {
                return Err(error(
                    400,
                    "4016",
                    "MERCHANT_NOT_FOUND",
                    &format!("Merchant not found for this key : {sent_key}"),
                ));
            }
        }
        Operation::CreatePaymentLink | Operation::InitiatePayment => {
            check_payment_signature(state, operation, &req.body)?;
        }
        Operation::SavedCards => {
            let bearer = req
                .header("authorization")
                .and_then(|h| h.strip_prefix("Bearer "));
            let otp_ok = req.query_param("otp") == Some(MOCK_OTP);
            if !otp_ok && bearer != Some(MOCK_SAVED_CARDS_TOKEN) {
                return Err(error(
                    400,
                    "4073",
                    "OTP_VERIFICATION_ERROR",
                    "OTP verification failed",
                ));
            }
        }
        Operation::DeleteCard => {
            let token = body
                .as_ref()
                .and_then(|b| b.get("token"))
                .and_then(Value::as_str);
            if token.is_none_or(str::is_empty) {
                return Err(error(
                    400,
                    "4001",
                    "INVALID_REQUEST",
                    "Invalid Request, err : token is a required field",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Recomputes a payment request's `signature_hash` from its raw JSON (the amount from the raw
/// number text) and compares.
fn check_payment_signature(
    state: &State,
    operation: Operation,
    body: &[u8],
) -> Result<(), HttpMockResponse> {
    let invalid = |code: &str, reason: &str, message: &str| {
        let mut v = json!({"is_success": false, "message": message, "status_code": code, "status_reason": reason});
        if operation == Operation::CreatePaymentLink {
            v.as_object_mut().map(|m| m.remove("is_success"));
        }
        reply(401, &v)
    };
    #[derive(serde::Deserialize)]
    struct Raw<'a> {
        #[serde(borrow)]
        amount: Option<&'a serde_json::value::RawValue>,
    }
    let Ok(map) = serde_json::from_slice::<serde_json::Map<String, Value>>(body) else {
        return Err(invalid(
            "4001",
            "INVALID_PAYMENT_REQUEST",
            "Invalid Request, err : body is not JSON",
        ));
    };
    let key_field = if operation == Operation::InitiatePayment {
        "key"
    } else {
        "portone_key"
    };
    let text = |name: &str| {
        map.get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if text(key_field) != state.credentials.portone_key() {
        return Err(invalid(
            "4010",
            "INVALID_UNAUTHORISED_TRANSACTION_IAMPORTKEY_ERROR",
            "The PortOne key does not match",
        ));
    }
    let Some(sent) = map.get("signature_hash").and_then(Value::as_str) else {
        if *lock(&state.whitelisted) {
            return Ok(());
        }
        return Err(if operation == Operation::CreatePaymentLink {
            reply(
                401,
                &json!({"is_success":false,"message":"signature_hash is a required field","status_code":"4010","status_reason":"INVALID_UNAUTHORISED_TRANSACTION_IAMPORTKEY_ERROR"}),
            )
        } else {
            reply(
                401,
                &json!({"is_success":false,"message":"signature_hash is a required field","status_code":"4001","status_reason":"INVALID_PAYMENT_REQUEST"}),
            )
        });
    };
    let amount = serde_json::from_slice::<Raw<'_>>(body)
        .ok()
        .and_then(|r| r.amount)
        .and_then(|raw| payments_signing::portone::canonical_amount(raw.get()));
    let Some(amount) = amount else {
        return Err(invalid("4041", "INVALID_AMOUNT", "amount must be a number"));
    };
    let fields = [
        ("amount", amount),
        ("client_key", text(key_field)),
        ("currency", text("currency")),
        ("failure_url", text("failure_url")),
        ("merchant_order_id", text("merchant_order_id")),
        ("success_url", text("success_url")),
    ];
    if !payments_signing::portone::verify_signature_hash(
        state.credentials.secret_key().expose_secret(),
        fields,
        sent,
    ) {
        return Err(invalid(
            "4011",
            "INVALID_UNAUTHORISED_TRANSACTION_SIGNATURE_ERROR",
            "Signature hash does not match",
        ));
    }
    Ok(())
}

fn default_reply(state: &State, operation: Operation, req: &RecordedRequest) -> HttpMockResponse {
    let (mut body, _) = Reply::documented(operation);
    let request = req.json().unwrap_or(Value::Null);
    match operation {
        Operation::AuthToken => {
            let now = state.now();
            let token = crate::auth::mint_jwt(
                &state.credentials,
                "PORTONE",
                now,
                Duration::from_secs(21_600),
            );
            body["content"]["token"] = Value::String(token.expose_secret().to_owned());
        }
        Operation::InitiatePayment => {
            if let Some(id) = request.get("merchant_order_id") {
                body["merchant_order_ref"] = id.clone();
            }
        }
        Operation::SavedCards => {
            body["token"] = Value::String(MOCK_SAVED_CARDS_TOKEN.to_owned());
        }
        Operation::AddCustomer => {
            for field in ["name", "customer_ref", "email_address", "phone_number"] {
                if let Some(v) = request.get(field) {
                    body["content"][field] = v.clone();
                }
            }
            body["message"] = Value::String("Customer added successfully".into());
        }
        Operation::TokenizeCard => match tokenize(state, &request) {
            Ok(content) => body["content"] = content,
            Err(response) => return response,
        },
        Operation::Refund => {
            if let Some(amount) = request.get("amount") {
                body["amountToRefund"] = amount.clone();
                body["refundDetails"][0]["amount"] = amount.clone();
            }
            if let Some(kind) = request.get("refund_type") {
                body["refundDetails"][0]["refund_type"] = kind.clone();
            }
        }
        _ => {}
    }
    reply(200, &body)
}

/// Decrypts the card number and CVV with the mock's private key, checks them, and issues a
/// token. The clear values never leave this function.
fn tokenize(state: &State, request: &Value) -> Result<Value, HttpMockResponse> {
    use base64::Engine as _;
    let bad = |message: &str| error(400, "4001", "INVALID_REQUEST", message);
    let key = state
        .private_key
        .as_ref()
        .ok_or_else(|| bad("mock key unavailable"))?;
    let decrypt = |field: &str| -> Option<String> {
        let text = request.get(field)?.as_str()?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .ok()?;
        let clear = key
            .decrypt(Oaep::new::<sha1::Sha1>(), &bytes)
            .or_else(|_| key.decrypt(Oaep::new::<sha2::Sha256>(), &bytes))
            .or_else(|_| key.decrypt(rsa::Pkcs1v15Encrypt, &bytes))
            .ok()?;
        String::from_utf8(clear).ok()
    };
    let number = decrypt("card_number")
        .ok_or_else(|| bad("card_number is not encrypted with the public key"))?;
    let cvv = decrypt("service_code")
        .ok_or_else(|| bad("service_code is not encrypted with the public key"))?;
    if !(12..=19).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("card_number is not a card number"));
    }
    if !(3..=4).contains(&cvv.len()) || !cvv.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("service_code is not a CVV"));
    }
    let masked = format!("{}******{}", &number[..6], &number[number.len() - 4..]);
    let card_type = if number.starts_with('4') {
        "visa"
    } else {
        "card"
    };
    let token = format!(
        "{:032x}",
        state.next_id.fetch_add(1, Ordering::Relaxed) + 0xd7a1_e0c4
    );
    Ok(json!({
        "card_token": token,
        "card_number": masked,
        "expiration_month": request.get("expiration_month").cloned().unwrap_or(Value::Null),
        "expiration_year": request.get("expiration_year").cloned().unwrap_or(Value::Null),
        "card_type": card_type,
    }))
}
