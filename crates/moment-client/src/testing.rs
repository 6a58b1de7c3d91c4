//! A mock Moment on loopback, for your own tests (feature `testing`).
//!
//! [`MockGateway`] behaves like the parts of Moment this crate speaks to:
//!
//! * it checks `Authorization: Bearer <key>` (answering `401` otherwise) and requires an
//!   `Idempotency-Key` on every `POST` (`400` otherwise);
//! * it stores the answer to each keyed `POST` and **replays** it, with
//!   `Idempotent-Replayed: true`, when the same key comes again with the same request; the same
//!   key with a different request is a `409 Conflict`; `5xx` answers are not stored;
//! * it creates sessions (`ps_mock…`, with a `client_token`), retrieves sessions and payments,
//!   and captures and voids manual-capture payments, answering in the shapes of Moment's
//!   documented examples; the documented session `ps_kfAWZgfQIoeG0q` and payment
//!   `pay_rOaZNqKZMFxsRb2NBL1cj` are preloaded;
//! * errors are RFC 9457 problem details.
//!
//! Script what Moment would do: [`MockGateway::script`] (a `503`, a `429` with `Retry-After`,
//! an HTML error page, a slow answer, for the next call of an [`Operation`]),
//! [`MockGateway::complete_session`] (the customer paid, failed, or an authorisation was
//! reserved), [`MockGateway::set_session_state`], [`MockGateway::expire_authorisation`]; inspect
//! what your code sent with [`MockGateway::requests`] and [`MockGateway::hits`].
//! [`MockGateway::signed_event`] produces a webhook for your handler, signed with the mock's
//! webhook secret. [`MockGateway::start_with`] runs the mock with credentials of your choice.
//!
//! ```
//! use moment_client::testing::{MockGateway, Operation, Outcome};
//! use moment_client::{CheckoutOutcome, CreatePaymentSession, PaymentOutcome};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), moment_client::Error> {
//! let mock = MockGateway::start().await;
//! let client = mock.client();
//!
//! // The first attempt meets a 503; the client retries with the same Idempotency-Key.
//! mock.script(Operation::CreatePaymentSession, Outcome::status(503));
//! let request = CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}");
//! let token = client.create_checkout_token(&request).await?;
//! assert_eq!(mock.hits(Operation::CreatePaymentSession), 2);
//! let sent = mock.requests();
//! assert_eq!(sent[0].header("idempotency-key"), sent[1].header("idempotency-key"));
//!
//! mock.complete_session(&token.session_id, PaymentOutcome::Paid);
//! let status = client.checkout_status(&token.session_id).await?;
//! assert_eq!(status.outcome, CheckoutOutcome::Completed);
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

pub use crate::client::Operation;
use crate::model::{EventType, PaymentOutcome, SessionStatus};
use crate::{Client, ClientBuilder};

/// The secret key the mock accepts by default (a test-mode key).
pub const MOCK_SECRET_KEY: &str = "sk_test_mock_gateway_4eC39HqLyjWDarjtT1zdp7dc";

/// The secret the mock signs webhooks with by default.
pub const MOCK_WEBHOOK_SECRET: &str = "whsec_bW9tZW50LWNsaWVudCBtb2NrIGdhdGV3YXkgc2VjcmV0";

/// The timestamp the mock writes into `created_at`/`updated_at`, so that answers are
/// reproducible.
pub const MOCK_TIMESTAMP: &str = "2025-03-18T14:06:51.149Z";

/// The credentials of a [`MockGateway`]: the secret key it accepts (`Authorization: Bearer …`)
/// and the webhook secret it signs events with. `Debug` redacts both.
///
/// ```
/// use moment_client::testing::Credentials;
/// let credentials = Credentials::new("sk_test_my_recognisable_key", "whsec_c2VjcmV0");
/// assert!(!format!("{credentials:?}").contains("recognisable"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    secret_key: SecretString,
    webhook_secret: SecretString,
}

impl Credentials {
    /// A secret key (`sk_test_…` or `sk_…`, as the client requires) and a webhook secret
    /// (`whsec_` + base64).
    pub fn new(
        secret_key: impl Into<SecretString>,
        webhook_secret: impl Into<SecretString>,
    ) -> Self {
        Credentials {
            secret_key: secret_key.into(),
            webhook_secret: webhook_secret.into(),
        }
    }

    /// The secret key.
    pub fn secret_key(&self) -> &SecretString {
        &self.secret_key
    }

    /// The webhook secret.
    pub fn webhook_secret(&self) -> &SecretString {
        &self.webhook_secret
    }
}

impl Default for Credentials {
    /// [`MOCK_SECRET_KEY`] and [`MOCK_WEBHOOK_SECRET`].
    fn default() -> Self {
        Credentials::new(MOCK_SECRET_KEY, MOCK_WEBHOOK_SECRET)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_key", &"[REDACTED]")
            .field("webhook_secret", &"[REDACTED]")
            .finish()
    }
}

/// What the mock answers to the next call of an operation, instead of (or, for a delay,
/// before) its normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// A problem-details answer with this status, and an optional `Retry-After` value. A
    /// scripted failure is not processed: nothing changes in the mock.
    Problem {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header, if any.
        retry_after: Option<String>,
    },
    /// Exactly this answer (nothing is processed).
    Raw {
        /// The HTTP status.
        status: u16,
        /// The `Content-Type`, if any.
        content_type: Option<String>,
        /// The body.
        body: String,
    },
    /// Wait this long before handling the request normally (the request is processed, only
    /// late: to provoke client timeouts). The mock serves one request at a time meanwhile.
    Delay(Duration),
}

impl Outcome {
    /// A problem answer with `status`, e.g. `503`.
    pub fn status(status: u16) -> Self {
        Outcome::Problem {
            status,
            retry_after: None,
        }
    }

    /// `429 Too Many Requests` with `Retry-After: <retry_after>`.
    pub fn rate_limited(retry_after: impl Into<String>) -> Self {
        Outcome::Problem {
            status: 429,
            retry_after: Some(retry_after.into()),
        }
    }

    /// Exactly this answer, e.g. a truncated body or an HTML error page.
    pub fn raw(status: u16, content_type: Option<&str>, body: impl Into<String>) -> Self {
        Outcome::Raw {
            status,
            content_type: content_type.map(str::to_owned),
            body: body.into(),
        }
    }

    /// A load balancer's HTML `502 Bad Gateway` page.
    pub fn html_bad_gateway() -> Self {
        Outcome::raw(
            502,
            Some("text/html"),
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
        )
    }

    /// Handle the request after `delay`.
    pub fn delay(delay: Duration) -> Self {
        Outcome::Delay(delay)
    }
}

/// A request as the mock received it. Its `Debug` redacts the `Authorization` header and any
/// key or token in the body.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    method: String,
    path: String,
    query: Option<String>,
    operation: Option<Operation>,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl RecordedRequest {
    /// The method, e.g. `POST`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path, e.g. `/collect/payment_sessions`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query string, without `?`, if there was one.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The operation the request addressed, when it addressed one.
    pub fn operation(&self) -> Option<Operation> {
        self.operation
    }

    /// A header's value as received (names are case-insensitive). `authorization` holds the
    /// real key: compare it, do not print it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// Every header, names in lower case.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The `Idempotency-Key`.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.header("idempotency-key")
    }

    /// The body, byte for byte.
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
        let headers: BTreeMap<&str, String> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if name == "authorization" {
                    "Bearer [REDACTED]".to_owned()
                } else {
                    crate::scrub::scrub(value)
                };
                (name.as_str(), value)
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("operation", &self.operation)
            .field("headers", &headers)
            .field(
                "body",
                &crate::scrub::scrub(&String::from_utf8_lossy(&self.body)),
            )
            .finish()
    }
}

/// A mock Moment on loopback. See the [module documentation](self).
pub struct MockGateway {
    server: MockServer,
    state: Arc<Mutex<State>>,
    credentials: Credentials,
}

impl fmt::Debug for MockGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockGateway")
            .field("base_url", &self.server.base_url())
            .finish_non_exhaustive()
    }
}

struct Stored {
    fingerprint: (String, String, Vec<u8>),
    status: u16,
    body: String,
}

struct MockSession {
    json: Value,
    capture_method: String,
}

#[derive(Default)]
struct State {
    sessions: BTreeMap<String, MockSession>,
    payments: BTreeMap<String, Value>,
    expired_authorisations: HashSet<String>,
    idempotency: HashMap<String, Stored>,
    scripted: VecDeque<(Operation, Outcome)>,
    requests: Vec<RecordedRequest>,
    next_id: u64,
}

impl State {
    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

struct Reply {
    status: u16,
    body: Value,
}

impl Reply {
    fn ok(status: u16, body: Value) -> Self {
        Reply { status, body }
    }

    fn problem(status: u16, slug: &str, title: &str, detail: &str, instance: &str) -> Self {
        Reply {
            status,
            body: json!({
                "type": format!("https://api.momentco.io/docs/errors#{slug}"),
                "title": title,
                "status": status,
                "detail": detail,
                "instance": instance,
            }),
        }
    }
}

impl MockGateway {
    /// Starts a mock on a free loopback port, with the default [`Credentials`]
    /// ([`MOCK_SECRET_KEY`], [`MOCK_WEBHOOK_SECRET`]).
    pub async fn start() -> Self {
        MockGateway::start_with(Credentials::default()).await
    }

    /// Starts a mock that accepts only `credentials.secret_key()` and signs events with
    /// `credentials.webhook_secret()`.
    ///
    /// ```
    /// use moment_client::testing::{Credentials, MockGateway};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), moment_client::Error> {
    /// let mock = MockGateway::start_with(Credentials::new("sk_test_mine", "whsec_c2VjcmV0")).await;
    /// let session = mock.client().retrieve_payment_session("ps_kfAWZgfQIoeG0q").await?;
    /// assert_eq!(session.id, "ps_kfAWZgfQIoeG0q");
    /// # Ok(()) }
    /// ```
    pub async fn start_with(credentials: Credentials) -> Self {
        let server = MockServer::start_async().await;
        let mut state = State::default();
        preload_documented_examples(&mut state);
        let state = Arc::new(Mutex::new(state));
        let handler_state = Arc::clone(&state);
        let authorization = format!("Bearer {}", credentials.secret_key.expose_secret());
        server
            .mock_async(move |_when, then| {
                then.respond_with(move |request: &HttpMockRequest| {
                    handle(&handler_state, &authorization, request)
                });
            })
            .await;
        MockGateway {
            server,
            state,
            credentials,
        }
    }

    /// The mock's base URL, e.g. `http://127.0.0.1:34567`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The mock's credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The secret key the mock accepts.
    pub fn secret_key(&self) -> SecretString {
        self.credentials.secret_key.clone()
    }

    /// The secret the mock signs webhooks with.
    pub fn webhook_secret(&self) -> SecretString {
        self.credentials.webhook_secret.clone()
    }

    /// A builder already pointed at the mock with its key, and short retry delays (1 to 20 ms);
    /// add your own options before `build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(self.secret_key())
            .base_url(self.base_url())
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(20))
    }

    /// A client pointed at the mock (see [`MockGateway::client_builder`]).
    ///
    /// # Panics
    ///
    /// When the mock was started with a secret key the client refuses (not `sk_…`).
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the mock's key is a secret key (sk_…) and its loopback URL is valid")
    }

    /// Answers the next call of `operation` with `outcome`. Scripted outcomes queue up in
    /// order, per operation: script a `503` twice to fail the first two attempts.
    pub fn script(&self, operation: Operation, outcome: Outcome) {
        self.lock().scripted.push_back((operation, outcome));
    }

    /// Every request received so far, in order (also those that addressed no operation).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// How many requests addressed `operation` (each retry counts).
    pub fn hits(&self, operation: Operation) -> usize {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.operation == Some(operation))
            .count()
    }

    /// How many sessions the mock has created (the preloaded example not counted).
    pub fn sessions_created(&self) -> usize {
        self.lock()
            .sessions
            .keys()
            .filter(|id| id.starts_with("ps_mock"))
            .count()
    }

    /// The stored JSON of a session.
    pub fn session(&self, session_id: &str) -> Option<Value> {
        self.lock().sessions.get(session_id).map(|s| s.json.clone())
    }

    /// The stored JSON of a payment.
    pub fn payment(&self, payment_id: &str) -> Option<Value> {
        self.lock().payments.get(payment_id).cloned()
    }

    /// Adds (or replaces) a session exactly as given, e.g. with unusual values; it needs a string
    /// `id`. Returns the id.
    pub fn insert_session(&self, session: Value) -> Option<String> {
        let id = session.get("id")?.as_str()?.to_owned();
        self.lock().sessions.insert(
            id.clone(),
            MockSession {
                json: session,
                capture_method: "automatic".to_owned(),
            },
        );
        Some(id)
    }

    /// Adds (or replaces) a payment exactly as given; it needs a string `id`. Returns the id.
    pub fn insert_payment(&self, payment: Value) -> Option<String> {
        let id = payment.get("id")?.as_str()?.to_owned();
        self.lock().payments.insert(id.clone(), payment);
        Some(id)
    }

    /// Finishes a session as the customer's checkout would, and creates its payment:
    ///
    /// * `Paid`: session `completed`/`paid`; payment `succeeded` (captured, or only authorised
    ///   with `paid_amount` 0 if the session asked for manual capture);
    /// * `Reserved`: session `completed`/`reserved`; payment `succeeded` and authorised, waiting
    ///   for a capture;
    /// * `Unpaid`: session `completed`/`unpaid`; payment `failed` with the documented
    ///   `card_declined`/`insufficient_funds` error;
    /// * any other outcome: only the session's outcome changes, no payment is created.
    ///
    /// Returns the new payment's id; `None` for an unknown session or when no payment was
    /// created.
    pub fn complete_session(&self, session_id: &str, outcome: PaymentOutcome) -> Option<String> {
        let mut state = self.lock();
        let payment_id = format!("pay_mock{:06}", state.next_id());
        let session = state.sessions.get_mut(session_id)?;
        let amount = session.json.get("amount").cloned().unwrap_or(json!(0));
        let currency = session
            .json
            .get("currency")
            .cloned()
            .unwrap_or(json!("ZAR"));
        let manual = session.capture_method == "manual" || outcome == PaymentOutcome::Reserved;
        let outcome_text = match (&outcome, manual) {
            (PaymentOutcome::Paid, true) => "reserved",
            (other, _) => other.as_str(),
        }
        .to_owned();
        set(&mut session.json, "payment_outcome", json!(outcome_text));
        let legacy = match outcome_text.as_str() {
            "paid" | "reserved" => "paid",
            "unpaid" => "unpaid",
            _ => "pending",
        };
        set(&mut session.json, "payment_status", json!(legacy));
        let payment_status = match outcome_text.as_str() {
            "paid" | "reserved" => "succeeded",
            "unpaid" => "failed",
            _ => return None,
        };
        set(&mut session.json, "status", json!("completed"));
        set(&mut session.json, "payment_id", json!(payment_id));
        let external_reference = session.json.get("external_reference").cloned();
        let metadata = session.json.get("metadata").cloned();
        let paid_amount = if payment_status == "succeeded" && !manual {
            amount.clone()
        } else {
            json!(0)
        };
        let mut payment = json!({
            "id": payment_id,
            "status": payment_status,
            "amount": amount,
            "currency": currency,
            "country": "ZA",
            "intent": "payment",
            "capture_method": if manual { "manual" } else { "automatic" },
            "authorised_amount": if payment_status == "succeeded" { amount.clone() } else { json!(0) },
            "paid_amount": paid_amount,
            "voided_amount": 0,
            "payment_method_details": {
                "type": "card",
                "card": { "type": "CREDIT", "scheme": "MASTERCARD", "bin": "527346", "last4": "3333" }
            },
            "mode": "test",
            "created_at": MOCK_TIMESTAMP,
            "updated_at": MOCK_TIMESTAMP,
        });
        if payment_status == "failed" {
            let error = json!({
                "error_code": "card_declined",
                "decline_code": "insufficient_funds",
                "message": "The card was declined due to insufficient funds.",
                "timestamp": MOCK_TIMESTAMP,
            });
            set(&mut session.json, "last_payment_error", error.clone());
            set(&mut payment, "last_payment_error", error);
        }
        if let Some(reference) = external_reference {
            set(&mut payment, "external_reference", reference);
        }
        if let Some(metadata) = metadata {
            set(&mut payment, "metadata", metadata);
        }
        state.payments.insert(payment_id.clone(), payment);
        Some(payment_id)
    }

    /// Sets a session's `status` and `payment_outcome` as given (any value, including ones this
    /// crate does not know). Returns `false` for an unknown session.
    pub fn set_session_state(
        &self,
        session_id: &str,
        status: SessionStatus,
        outcome: Option<PaymentOutcome>,
    ) -> bool {
        let mut state = self.lock();
        let Some(session) = state.sessions.get_mut(session_id) else {
            return false;
        };
        set(&mut session.json, "status", json!(status.as_str()));
        match outcome {
            Some(outcome) => set(
                &mut session.json,
                "payment_outcome",
                json!(outcome.as_str()),
            ),
            None => {
                if let Some(map) = session.json.as_object_mut() {
                    map.remove("payment_outcome");
                }
            }
        }
        true
    }

    /// Makes a payment's authorisation expired: captures are answered `409 Conflict`.
    pub fn expire_authorisation(&self, payment_id: &str) {
        self.lock()
            .expired_authorisations
            .insert(payment_id.to_owned());
    }

    /// A signed webhook delivery about a stored session (`payment_session.*` types) or payment
    /// (other types), as Moment would `POST` it, signed at `at` with
    /// [`MockGateway::webhook_secret`]. `None` when the object is unknown (or the webhook
    /// secret is not base64).
    pub fn signed_event(
        &self,
        event_type: EventType,
        object_id: &str,
        at: SystemTime,
    ) -> Option<http::Request<Vec<u8>>> {
        let (data, n) = {
            let mut state = self.lock();
            let n = state.next_id();
            let data = if event_type.as_str().starts_with("payment_session.") {
                state.sessions.get(object_id).map(|s| s.json.clone())
            } else {
                state.payments.get(object_id).cloned()
            }?;
            (data, n)
        };
        let body = json!({
            "id": format!("evt_mock{n:020}"),
            "type": event_type.as_str(),
            "data": data,
        });
        let body = serde_json::to_vec(&body).ok()?;
        crate::webhook::sign_notification(
            &self.credentials.webhook_secret,
            &format!("msg_mock{n:06}"),
            at,
            body,
        )
        .ok()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn set(object: &mut Value, key: &str, value: Value) {
    if let Some(map) = object.as_object_mut() {
        map.insert(key.to_owned(), value);
    }
}

fn preload_documented_examples(state: &mut State) {
    // The Payment Session object and the payment of Moment's API reference.
    let session = json!({ "id": "ps_kfAWZgfQIoeG0q", "type": "one_time", "amount": 1000, "currency": "ZAR", "status": "active", "payment_status": "paid", "customer_id": "<string>", "payment_method_id": "<string>", "checkout_session_id": "chk_456789abc123def", "payment_id": "pl_6phg74i4jG9wbzZbFDUQB", "session_url": "https://moment.dev.momentpay.io/checkout/cktNnkWtk7p5GJd85", "return_url": "https://callback.merchant-shop.com", "last_payment_error": { "error_code": "<string>", "decline_code": "<string>", "message": "General Error", "timestamp": "2023-11-07T05:31:56Z" }, "mode": "live", "external_reference": "INV-2024-001", "metadata": { "customer_id": "cust_123456", "order_id": "ord_789012" }, "created_at": "2025-06-16T10:30:00Z", "updated_at": "2025-06-16T10:30:00Z" });
    let payment = json!({ "id": "pay_rOaZNqKZMFxsRb2NBL1cj", "status": "succeeded", "amount": 100001, "currency": "ZAR", "country": "ZA", "payment_method_details": { "type": "card", "card": { "type": "CREDIT", "scheme": "MASTERCARD", "bin": "527346", "last4": "3333" } }, "external_reference": "order_12345", "created_at": "2026-02-12T09:00:44.224Z", "updated_at": "2026-02-12T09:02:23.153Z", "metadata": { "customer_id": "cust_123456", "order_id": "ord_789012" }, "mode": "live" });
    state.sessions.insert(
        "ps_kfAWZgfQIoeG0q".to_owned(),
        MockSession {
            json: session,
            capture_method: "automatic".to_owned(),
        },
    );
    state
        .payments
        .insert("pay_rOaZNqKZMFxsRb2NBL1cj".to_owned(), payment);
}

/// Which operation a method and path address, and the id in the path.
fn operation_of(method: &str, path: &str) -> (Option<Operation>, Option<String>) {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (operation, id) = match (method, segments.as_slice()) {
        ("POST", ["collect", "payment_sessions"]) => (Operation::CreatePaymentSession, None),
        ("GET", ["collect", "payment_sessions", id]) => {
            (Operation::RetrievePaymentSession, Some(*id))
        }
        ("GET", ["collect", "payments", id]) => (Operation::RetrievePayment, Some(*id)),
        ("POST", ["collect", "payments", id, "captures"]) => (Operation::CapturePayment, Some(*id)),
        ("POST", ["collect", "payments", id, "voids"]) => (Operation::VoidPayment, Some(*id)),
        _ => return (None, None),
    };
    (Some(operation), id.map(str::to_owned))
}

fn handle(
    state: &Mutex<State>,
    authorization: &str,
    request: &HttpMockRequest,
) -> HttpMockResponse {
    let method = request.method().as_str().to_owned();
    let uri = request.uri();
    let path = uri.path().to_owned();
    let query = uri.query().map(str::to_owned);
    let body = request.body_ref().to_vec();
    let headers: BTreeMap<String, String> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let authorized = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        == Some(authorization);
    let (operation, id) = operation_of(&method, &path);

    let scripted = {
        let mut state = lock(state);
        state.requests.push(RecordedRequest {
            method: method.clone(),
            path: path.clone(),
            query,
            operation,
            headers: headers.clone(),
            body: body.clone(),
        });
        let position = state
            .scripted
            .iter()
            .position(|(o, _)| Some(*o) == operation);
        position
            .and_then(|p| state.scripted.remove(p))
            .map(|(_, outcome)| outcome)
    };
    match scripted {
        Some(Outcome::Delay(delay)) => std::thread::sleep(delay),
        Some(Outcome::Raw {
            status,
            content_type,
            body,
        }) => {
            let mut response = HttpMockResponse::builder().status(status);
            if let Some(content_type) = content_type {
                response = response.header("content-type", content_type);
            }
            return response.body(body).build();
        }
        Some(Outcome::Problem {
            status,
            retry_after,
        }) => {
            let reply = Reply::problem(
                status,
                "scripted",
                "Scripted failure",
                "The mock gateway was told to fail this request",
                &path,
            );
            return respond(&reply, false, retry_after.as_deref());
        }
        None => {}
    }

    if !authorized {
        let reply = Reply::problem(
            401,
            "unauthorized",
            "Unauthorized",
            "No valid API key provided",
            &path,
        );
        return respond(&reply, false, None);
    }

    let mut state = lock(state);
    let key = headers.get("idempotency-key").cloned();
    if method == "POST" {
        let Some(key) = &key else {
            let reply = Reply::problem(
                400,
                "bad-request",
                "Bad Request",
                "The Idempotency-Key header is required",
                &path,
            );
            return respond(&reply, false, None);
        };
        let fingerprint = (method.clone(), path.clone(), body.clone());
        if let Some(stored) = state.idempotency.get(key) {
            if stored.fingerprint == fingerprint {
                let reply = Reply {
                    status: stored.status,
                    body: serde_json::from_str(&stored.body).unwrap_or(Value::Null),
                };
                return respond(&reply, true, None);
            }
            let reply = Reply::problem(
                409,
                "conflict",
                "Conflict",
                "The Idempotency-Key was already used for a different request",
                &path,
            );
            return respond(&reply, false, None);
        }
    }

    let reply = match (operation, id) {
        (Some(Operation::CreatePaymentSession), _) => create_session(&mut state, &body, &path),
        (Some(Operation::RetrievePaymentSession), Some(id)) => match state.sessions.get(&id) {
            Some(session) => Reply::ok(200, session.json.clone()),
            None => not_found(&path),
        },
        (Some(Operation::RetrievePayment), Some(id)) => match state.payments.get(&id) {
            Some(payment) => Reply::ok(200, payment.clone()),
            None => not_found(&path),
        },
        (Some(Operation::CapturePayment), Some(id)) => capture(&mut state, &id, &body, &path),
        (Some(Operation::VoidPayment), Some(id)) => void(&mut state, &id, &path),
        _ => not_found(&path),
    };
    if let (Some(key), true) = (key, method == "POST" && reply.status < 500) {
        let stored = Stored {
            fingerprint: (method, path, body),
            status: reply.status,
            body: reply.body.to_string(),
        };
        state.idempotency.insert(key, stored);
    }
    respond(&reply, false, None)
}

fn respond(reply: &Reply, replayed: bool, retry_after: Option<&str>) -> HttpMockResponse {
    let content_type = if reply.status >= 400 {
        "application/problem+json"
    } else {
        "application/json"
    };
    let mut response = HttpMockResponse::builder()
        .status(reply.status)
        .header("content-type", content_type);
    if replayed {
        response = response.header("idempotent-replayed", "true");
    }
    if let Some(retry_after) = retry_after {
        response = response.header("retry-after", retry_after);
    }
    response.body(reply.body.to_string()).build()
}

fn not_found(path: &str) -> Reply {
    Reply::problem(
        404,
        "not-found",
        "The requested resource was not found",
        "The requested resources doesn't exist",
        path,
    )
}

fn bad_request(path: &str, detail: &str) -> Reply {
    Reply::problem(400, "bad-request", "Bad Request", detail, path)
}

fn create_session(state: &mut State, body: &[u8], path: &str) -> Reply {
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return bad_request(path, "The body is not JSON");
    };
    let Some(amount) = request.get("amount").and_then(Value::as_u64) else {
        return bad_request(path, "amount: an integer of minor units is required");
    };
    let Some(currency) = request.get("currency").and_then(Value::as_str) else {
        return bad_request(path, "currency: required");
    };
    let n = state.next_id();
    let id = format!("ps_mock{n:06}");
    let checkout = format!("ckt_mock{n:06}");
    let options = request.get("options").cloned().unwrap_or(Value::Null);
    let return_url = options
        .pointer("/checkout_options/return_url")
        .cloned()
        .unwrap_or(Value::Null);
    let capture_method = options
        .pointer("/payment_method_options/card/capture_method")
        .and_then(Value::as_str)
        .unwrap_or("automatic")
        .to_owned();
    let mut session = json!({
        "id": id,
        "type": request.get("type").cloned().unwrap_or(json!("one_time")),
        "amount": amount,
        "currency": currency,
        "status": "active",
        "payment_status": "unpaid",
        "payment_outcome": "not_started",
        "checkout_session_id": checkout,
        "session_url": format!("https://moment.dev.momentpay.io/checkout/{checkout}"),
        "return_url": return_url,
        "client_token": format!("ct_mock_{n:06}_client_token"),
        "mode": "test",
        "created_at": MOCK_TIMESTAMP,
        "updated_at": MOCK_TIMESTAMP,
    });
    for member in ["external_reference", "metadata"] {
        if let Some(value) = request.get(member) {
            set(&mut session, member, value.clone());
        }
    }
    state.sessions.insert(
        id,
        MockSession {
            json: session.clone(),
            capture_method,
        },
    );
    Reply::ok(201, session)
}

fn amount_of(payment: &Value, member: &str) -> u64 {
    payment.get(member).and_then(Value::as_u64).unwrap_or(0)
}

fn capture(state: &mut State, id: &str, body: &[u8], path: &str) -> Reply {
    let requested = if body.is_empty() {
        None
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => value.get("amount").and_then(Value::as_u64),
            Err(_) => return bad_request(path, "The body is not JSON"),
        }
    };
    let expired = state.expired_authorisations.contains(id);
    let Some(payment) = state.payments.get_mut(id) else {
        return not_found(path);
    };
    let manual = payment.get("capture_method").and_then(Value::as_str) == Some("manual");
    let succeeded = payment.get("status").and_then(Value::as_str) == Some("succeeded");
    if !manual || !succeeded {
        return bad_request(path, "The payment is not an authorisation awaiting capture");
    }
    if expired {
        return Reply::problem(
            409,
            "conflict",
            "Conflict",
            "The authorisation has expired and can no longer be captured",
            path,
        );
    }
    let remaining = amount_of(payment, "authorised_amount")
        .saturating_sub(amount_of(payment, "paid_amount"))
        .saturating_sub(amount_of(payment, "voided_amount"));
    let amount = requested.unwrap_or(remaining);
    if amount == 0 || amount > remaining {
        return bad_request(
            path,
            &format!("amount: {amount} cannot be captured, {remaining} remains authorised"),
        );
    }
    let paid = amount_of(payment, "paid_amount") + amount;
    set(payment, "paid_amount", json!(paid));
    Reply::ok(200, payment.clone())
}

fn void(state: &mut State, id: &str, path: &str) -> Reply {
    let Some(payment) = state.payments.get_mut(id) else {
        return not_found(path);
    };
    let manual = payment.get("capture_method").and_then(Value::as_str) == Some("manual");
    let succeeded = payment.get("status").and_then(Value::as_str) == Some("succeeded");
    let paid = amount_of(payment, "paid_amount");
    let remaining = amount_of(payment, "authorised_amount")
        .saturating_sub(paid)
        .saturating_sub(amount_of(payment, "voided_amount"));
    if !manual || !succeeded || remaining == 0 {
        return bad_request(path, "Nothing remains authorised on this payment");
    }
    set(
        payment,
        "voided_amount",
        json!(amount_of(payment, "voided_amount") + remaining),
    );
    if paid == 0 {
        set(payment, "status", json!("cancelled"));
    }
    Reply::ok(200, payment.clone())
}
