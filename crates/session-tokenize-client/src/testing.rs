//! A mock Pivot gateway on loopback, for your own tests (feature `testing`).
//!
//! [`MockGateway`] runs an HTTP server (built on `httpmock`) that behaves like Pivot for the
//! calls this crate makes:
//!
//! * issues access tokens for its credentials ([`MockGateway::CLIENT_ID`] /
//!   [`MockGateway::CLIENT_SECRET`], or yours with [`MockGateway::start_with`]) and rejects
//!   calls without a valid, unexpired token (`401 credentials_invalid`);
//! * enforces `X-REQUEST-ID` on creates (16–36 alphanumerics) and idempotency: the same key
//!   with the same body replays the first answer, with a different body it is
//!   `409 idempotency_error`;
//! * answers API-mode card sessions with its own RSA `encryptionKey`, and on Confirm decrypts
//!   `encryptedCard` with the private key and checks the card JSON inside;
//! * keeps sessions, customers with stored cards (tokens), captures and refunds, so the four
//!   saved-card flows run end to end;
//! * answers in the shapes of Pivot's documented examples, and records every request
//!   ([`requests`](MockGateway::requests), [`hits`](MockGateway::hits)).
//!
//! Outcomes are scripted per [`Operation`] with [`script`](MockGateway::script) and an
//! [`Outcome`] (a documented error, or any status, headers and body);
//! [`expire_access_tokens`](MockGateway::expire_access_tokens) revokes tokens, and
//! [`complete_payment`](MockGateway::complete_payment) plays the shopper's side. Pivot's
//! documented decline test cards (e.g. `4440000334480001`) fail with their documented
//! `failureCode` when completed.
//!
//! ```
//! use session_tokenize_client::testing::{MockGateway, Operation, Outcome};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), session_tokenize_client::Error> {
//! let mock = MockGateway::start().await;
//! let client = mock.client();
//! let configs = client.get_payment_method_configs().await?;
//! assert_eq!(configs.card.and_then(|c| c.enabled), Some(true));
//! assert_eq!(mock.hits(Operation::AccessToken), 1);
//!
//! // The next read meets a 503 once; the client retries it.
//! mock.script(Operation::GetPaymentMethodConfigs, Outcome::error(503));
//! client.get_payment_method_configs().await?;
//! assert_eq!(mock.hits(Operation::GetPaymentMethodConfigs), 3);
//! # Ok(()) }
//! ```

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use payments_signing::digest::{base64_decode, base64_encode};
use rsa::pkcs8::EncodePublicKey;
use rsa::{Oaep, RsaPrivateKey};
use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha2::Sha256;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::webhook::EventType;
use crate::{Client, ClientBuilder, Credentials, scrub};

/// The mock's RSA key pair, generated once per process (RSA key generation is slow).
fn mock_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
            .unwrap_or_else(|e| unreachable!("generating a 2048-bit RSA key cannot fail: {e}"))
    })
}

/// An operation of the Pivot API, as the mock routes (and scripts, and counts) requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /v1/access-token`.
    AccessToken,
    /// `POST /v2/payments`.
    CreatePaymentSession,
    /// `POST /v2/payments/{id}/confirm`.
    ConfirmPaymentSession,
    /// `GET /v2/payments/{id}`.
    GetPaymentSession,
    /// `GET /v2/payments` (with or without `clientReferenceId`).
    ListPaymentSessions,
    /// `POST /v2/payments/{id}/cancel`.
    CancelPaymentSession,
    /// `POST /v2/payments/{id}/capture`.
    CapturePaymentSession,
    /// `GET /v2/charges`.
    ListCharges,
    /// `GET /v2/payment-method-configs`.
    GetPaymentMethodConfigs,
    /// `GET /v1/customers/{customerId}`.
    GetCustomer,
    /// `POST /v1/refunds`.
    CreateRefund,
    /// `GET /v1/refunds/{id}`.
    GetRefund,
    /// `GET /v1/refunds`.
    ListRefunds,
}

impl Operation {
    /// The operation a request with `method` and `path` (without the query) calls, if any.
    ///
    /// ```
    /// use session_tokenize_client::testing::Operation;
    ///
    /// assert_eq!(Operation::of("POST", "/v2/payments/abc/confirm"), Some(Operation::ConfirmPaymentSession));
    /// assert_eq!(Operation::of("GET", "/v2/payments"), Some(Operation::ListPaymentSessions));
    /// assert_eq!(Operation::of("DELETE", "/v2/payments"), None);
    /// ```
    pub fn of(method: &str, path: &str) -> Option<Self> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let method = method.to_ascii_uppercase();
        Some(match (method.as_str(), segments.as_slice()) {
            ("POST", ["v1", "access-token"]) => Self::AccessToken,
            ("POST", ["v2", "payments"]) => Self::CreatePaymentSession,
            ("GET", ["v2", "payments"]) => Self::ListPaymentSessions,
            ("GET", ["v2", "payments", _]) => Self::GetPaymentSession,
            ("POST", ["v2", "payments", _, "confirm"]) => Self::ConfirmPaymentSession,
            ("POST", ["v2", "payments", _, "cancel"]) => Self::CancelPaymentSession,
            ("POST", ["v2", "payments", _, "capture"]) => Self::CapturePaymentSession,
            ("GET", ["v2", "charges"]) => Self::ListCharges,
            ("GET", ["v2", "payment-method-configs"]) => Self::GetPaymentMethodConfigs,
            ("GET", ["v1", "customers", _]) => Self::GetCustomer,
            ("POST", ["v1", "refunds"]) => Self::CreateRefund,
            ("GET", ["v1", "refunds"]) => Self::ListRefunds,
            ("GET", ["v1", "refunds", _]) => Self::GetRefund,
            _ => return None,
        })
    }
}

/// A scripted answer for the next call(s) of an [`Operation`]; see [`MockGateway::script`].
///
/// ```
/// use session_tokenize_client::testing::Outcome;
///
/// // Pivot's documented 503 body, three times in a row.
/// let unavailable = Outcome::error(503).times(3);
/// // Anything at all: an HTML page from a proxy, with a Retry-After.
/// let page = Outcome::respond(502, "<html>bad gateway</html>").header("retry-after", "1");
/// # let _ = (unavailable, page);
/// ```
#[derive(Clone)]
pub struct Outcome {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    times: usize,
}

impl Outcome {
    /// `status` with Pivot's documented error body for it (`api_validation_error` for 400,
    /// `credentials_invalid` for 401, `frequency_above_limit` for 429, `service_unavailable`
    /// for 503, …), once.
    pub fn error(status: u16) -> Self {
        let (code, message, kind) = documented_error(status);
        Self::respond(
            status,
            error_body(code, message, kind, Vec::new()).to_string(),
        )
        .header("content-type", "application/json")
    }

    /// Exactly `status` and `body` (an HTML page, a truncated JSON, an empty body…), once.
    pub fn respond(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            times: 1,
        }
    }

    /// Adds a response header (e.g. `Retry-After`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers the next `times` calls this way instead of only the next one.
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }
}

impl fmt::Debug for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outcome")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &scrub::excerpt(&self.body))
            .field("times", &self.times)
            .finish()
    }
}

/// Header names whose values [`RecordedRequest`]'s `Debug` hides.
const SECRET_HEADERS: &[&str] = &["authorization", "x-merchant-secret", "x-api-key"];

/// A request the mock received, exactly as it arrived.
///
/// It holds the real credentials and bearer token and the body as sent (which can carry a
/// stored card's CVC): its `Debug` hides secret headers and masks card data in the body, but
/// the accessors return the raw values, for assertions.
#[derive(Clone)]
pub struct RecordedRequest {
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RecordedRequest {
    /// `GET`, `POST`, …
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path, e.g. `/v2/payments`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The raw query string without the `?`, e.g. `clientReferenceId=1750758552`, if any.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The operation the request called, if it is one the mock knows.
    pub fn operation(&self) -> Option<Operation> {
        Operation::of(&self.method, &self.path)
    }

    /// A header's value (name matched case-insensitively), as received.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every header as received, names in lower case, in order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The body bytes as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as JSON, if it is JSON. It may contain card data (a token's CVC): keep it out
    /// of logs and snapshots, use [`scrubbed_body`](Self::scrubbed_body) there.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body with card numbers, CVCs, tokens and secrets masked.
    pub fn scrubbed_body(&self) -> String {
        scrub::scrub(&self.body)
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let hidden = SECRET_HEADERS.contains(&k.as_str());
                (k.as_str(), if hidden { "[REDACTED]" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query.as_deref().map(scrub::mask_text))
            .field("headers", &headers)
            .field("body", &self.scrubbed_body())
            .finish()
    }
}

/// A card the mock decrypted from an `encryptedCard`: never the number or the CVC.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecryptedCard {
    /// The session it was confirmed for.
    pub session_id: String,
    /// First six digits.
    pub first6: String,
    /// Last four digits.
    pub last4: String,
    /// Two-digit expiry month.
    pub expiry_month: String,
    /// Two-digit expiry year.
    pub expiry_year: String,
    /// Name on the card.
    pub name_on_card: String,
    /// Number of CVC digits.
    pub cvc_len: usize,
    /// The `deviceInformations` object sent with the card.
    pub device_informations: Value,
}

struct Scripted {
    operation: Operation,
    outcome: Outcome,
}

#[derive(Clone)]
struct CardInfo {
    first6: String,
    first8: String,
    last4: String,
    exp_month: String,
    exp_year: String,
    name: String,
    brand: &'static str,
    outcome: Option<&'static str>,
}

struct SessionRecord {
    json: Value,
    save: bool,
    manual_capture: bool,
    card: Option<CardInfo>,
}

struct CustomerRecord {
    id: String,
    json: Value,
    stored: Vec<Value>,
}

struct State {
    client_id: String,
    client_secret: SecretString,
    tokens: HashMap<String, bool>,
    token_requests: usize,
    token_lifetime: u64,
    idempotency: HashMap<String, (Value, u16, Vec<u8>)>,
    sessions: Vec<SessionRecord>,
    customers: Vec<CustomerRecord>,
    refunds: Vec<Value>,
    scripted: VecDeque<Scripted>,
    requests: Vec<RecordedRequest>,
    decrypted: Vec<DecryptedCard>,
    counter: u64,
}

impl State {
    fn next_id(&mut self) -> String {
        self.counter += 1;
        uuid::Uuid::new_v4().to_string()
    }
}

/// A mock Pivot gateway on loopback. See the [module documentation](self).
pub struct MockGateway {
    server: MockServer,
    state: Arc<Mutex<State>>,
    credentials: Credentials,
    encryption_key: String,
}

impl fmt::Debug for MockGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockGateway")
            .field("base_url", &self.server.base_url())
            .finish_non_exhaustive()
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl MockGateway {
    /// The Client ID the mock accepts.
    pub const CLIENT_ID: &'static str = "mock-client-id";
    /// The Client Secret the mock accepts.
    pub const CLIENT_SECRET: &'static str = "mock-client-secret";
    /// The Callback API Key of the mock's notifications.
    pub const CALLBACK_API_KEY: &'static str = "mock-callback-api-key";

    /// Starts a mock gateway on a free loopback port that accepts [`CLIENT_ID`](Self::CLIENT_ID)
    /// and [`CLIENT_SECRET`](Self::CLIENT_SECRET).
    pub async fn start() -> Self {
        Self::start_with(Credentials::sandbox(Self::CLIENT_ID, Self::CLIENT_SECRET)).await
    }

    /// Starts a mock gateway that accepts `credentials` (any Client ID and secret you choose)
    /// instead of the built-in ones; [`credentials`](Self::credentials),
    /// [`client_builder`](Self::client_builder) and [`client`](Self::client) use them.
    ///
    /// ```
    /// use session_tokenize_client::Credentials;
    /// use session_tokenize_client::testing::MockGateway;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), session_tokenize_client::Error> {
    /// let mock = MockGateway::start_with(Credentials::sandbox("my-id", "my-secret")).await;
    /// mock.client().get_payment_method_configs().await?;
    /// # Ok(()) }
    /// ```
    pub async fn start_with(credentials: Credentials) -> Self {
        let server = MockServer::start_async().await;
        let key = mock_key();
        let encryption_key = key
            .to_public_key()
            .to_public_key_der()
            .map(|der| base64_encode(der.as_bytes()))
            .unwrap_or_default();
        let state = Arc::new(Mutex::new(State {
            client_id: credentials.client_id().to_owned(),
            client_secret: credentials.client_secret().clone(),
            tokens: HashMap::new(),
            token_requests: 0,
            token_lifetime: 900,
            idempotency: HashMap::new(),
            sessions: Vec::new(),
            customers: Vec::new(),
            refunds: Vec::new(),
            scripted: VecDeque::new(),
            requests: Vec::new(),
            decrypted: Vec::new(),
            counter: 0,
        }));
        let handler_state = Arc::clone(&state);
        let base_url = server.base_url();
        let public_key = encryption_key.clone();
        server
            .mock_async(move |when, then| {
                when.any_request();
                then.respond_with(move |req: &HttpMockRequest| {
                    handle(&handler_state, &base_url, &public_key, req)
                });
            })
            .await;
        Self {
            server,
            state,
            credentials,
            encryption_key,
        }
    }

    /// The mock's base URL, e.g. `http://127.0.0.1:49152`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The credentials the mock accepts.
    pub fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }

    /// A client builder already pointed at the mock, with its credentials and short retry
    /// delays; add your own settings (clock, retries) and build.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(self.credentials())
            .base_url(self.base_url())
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(10))
            .timeout(Duration::from_secs(10))
    }

    /// A client pointed at the mock.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the mock's base URL and credentials are valid")
    }

    /// The Base64 SPKI public key the mock hands out as `encryptionKey`.
    pub fn encryption_key(&self) -> &str {
        &self.encryption_key
    }

    /// The next call(s) of `operation` (as many as [`Outcome::times`], default one) get
    /// `outcome` before any other processing: no token check, no idempotency, no state change.
    /// Outcomes scripted for the same operation are used in order.
    pub fn script(&self, operation: Operation, outcome: Outcome) {
        if outcome.times == 0 {
            return;
        }
        lock(&self.state)
            .scripted
            .push_back(Scripted { operation, outcome });
    }

    /// Revokes every access token issued so far: the next call is answered `401`.
    pub fn expire_access_tokens(&self) {
        for valid in lock(&self.state).tokens.values_mut() {
            *valid = false;
        }
    }

    /// The `expiresIn` of tokens issued from now on (default 900 seconds).
    pub fn set_token_lifetime(&self, seconds: u64) {
        lock(&self.state).token_lifetime = seconds;
    }

    /// How many access tokens were requested (the same as
    /// `hits(Operation::AccessToken)`).
    pub fn token_requests(&self) -> usize {
        self.hits(Operation::AccessToken)
    }

    /// Every request received, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// How many calls of `operation` were received (scripted answers included).
    pub fn hits(&self, operation: Operation) -> usize {
        lock(&self.state)
            .requests
            .iter()
            .filter(|r| r.operation() == Some(operation))
            .count()
    }

    /// The cards decrypted from Confirm requests, oldest first.
    pub fn decrypted_cards(&self) -> Vec<DecryptedCard> {
        lock(&self.state).decrypted.clone()
    }

    /// Plays the shopper finishing the hosted page or 3DS: the session becomes `PAID` with a
    /// `SUCCESS` charge (or waits for capture with `captureMethod: manual`), and with
    /// `saveForFutureUse` the card is stored as a token under the customer. Pivot's decline
    /// test cards fail instead, with their documented `failureCode`. Returns `false` when no
    /// session with `session_id` waits for the shopper.
    pub fn complete_payment(&self, session_id: &str) -> bool {
        let mut state = lock(&self.state);
        let now = now_string();
        let Some(index) = state
            .sessions
            .iter()
            .position(|s| s.json["id"] == session_id && s.json["status"] == "REQUIRE_ACTION")
        else {
            return false;
        };
        let card = state.sessions[index].card.clone();
        let save = state.sessions[index].save;
        let manual = state.sessions[index].manual_capture;
        let customer_id = state.sessions[index].json["customerId"]
            .as_str()
            .map(str::to_owned);
        let token = state.next_id();
        let record = &mut state.sessions[index];
        let amount = record.json["amount"].clone();
        let failure = card.as_ref().and_then(|c| c.outcome);
        if let Some(charge) = record
            .json
            .get_mut("chargeDetails")
            .and_then(Value::as_array_mut)
            .and_then(|c| c.last_mut())
        {
            charge["updatedAt"] = json!(now);
            match failure {
                Some(code) => {
                    charge["status"] = json!("FAILED");
                    charge["failureCode"] = json!(code);
                    charge["failureMessage"] = json!("CARD payment failed.");
                }
                None if manual => {
                    charge["status"] = json!("WAITING_FOR_CAPTURE");
                    charge["authorizedAmount"] = amount.clone();
                }
                None => {
                    charge["status"] = json!("SUCCESS");
                    charge["authorizedAmount"] = amount.clone();
                    charge["capturedAmount"] = amount.clone();
                    charge["isCaptured"] = json!(true);
                    charge["paidAt"] = json!(now);
                }
            }
        }
        record.json["updatedAt"] = json!(now);
        match failure {
            Some(_) => {
                record.json["status"] = json!("CANCELLED");
                record.json["cancelledAt"] = json!(now);
                record.json["cancellationReason"] = json!("CHARGE_FAILED");
            }
            None if manual => record.json["status"] = json!("PROCESSING"),
            None => record.json["status"] = json!("PAID"),
        }
        if failure.is_none()
            && save
            && let (Some(card), Some(customer_id)) = (card, customer_id)
            && let Some(customer) = state.customers.iter_mut().find(|c| c.id == customer_id)
            && !customer.stored.iter().any(|m| {
                m["card"]["first8"] == card.first8.as_str()
                    && m["card"]["last4"] == card.last4.as_str()
            })
        {
            let (first, last) = split_name(&card.name);
            customer.stored.insert(
                0,
                json!({
                    "token": token,
                    "paymentMethod": "CARD",
                    "paymentChannel": card.brand,
                    "status": "ACTIVE",
                    "createdAt": now,
                    "card": {
                        "fingerprint": uuid::Uuid::new_v4().to_string(),
                        "network": card.brand,
                        "first6": card.first6,
                        "first8": card.first8,
                        "last4": card.last4,
                        "expMonth": card.exp_month,
                        "expYear": card.exp_year,
                        "cardHolderFirstName": first,
                        "cardHolderLastName": last,
                    }
                }),
            );
        }
        true
    }

    /// The current JSON of a session, as `GET /v2/payments/{id}` would answer it.
    pub fn session_json(&self, session_id: &str) -> Option<Value> {
        lock(&self.state)
            .sessions
            .iter()
            .find(|s| s.json["id"] == session_id)
            .map(|s| s.json.clone())
    }

    /// A callback for `session_id` as Pivot would deliver it (`X-API-Key` set to
    /// [`CALLBACK_API_KEY`](Self::CALLBACK_API_KEY)), for testing your handler.
    pub fn notification(
        &self,
        session_id: &str,
        event: EventType,
    ) -> Option<http::Request<Vec<u8>>> {
        let data = self.session_json(session_id)?;
        let body = json!({ "event": event.as_str(), "data": data });
        Some(crate::webhook::sign_notification(
            Self::CALLBACK_API_KEY,
            body.to_string().into_bytes(),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// The gateway
// ---------------------------------------------------------------------------------------------

type Reply = (u16, Value);

fn handle(
    state: &Mutex<State>,
    base_url: &str,
    public_key: &str,
    req: &HttpMockRequest,
) -> HttpMockResponse {
    let method = req.method().as_str().to_ascii_uppercase();
    let path = req.uri().path().to_owned();
    let query = req.query_params();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = req.body_vec();
    let mut state = lock(state);
    state.requests.push(RecordedRequest {
        method: method.clone(),
        path: path.clone(),
        query: req.uri().query().map(str::to_owned),
        headers,
        body: body.clone(),
    });

    let operation = Operation::of(&method, &path);
    if let Some(index) = state
        .scripted
        .iter()
        .position(|s| Some(s.operation) == operation)
    {
        let (reply, done) = {
            let outcome = &mut state.scripted[index].outcome;
            outcome.times = outcome.times.saturating_sub(1);
            (
                raw_response(outcome.status, &outcome.headers, outcome.body.clone()),
                outcome.times == 0,
            )
        };
        if done {
            state.scripted.remove(index);
        }
        return reply;
    }

    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();

    if method == "POST" && segments == ["v1", "access-token"] {
        let (status, value) = access_token(&mut state, &header, &body);
        return json_response(status, &value);
    }

    // Every other call needs a valid bearer token.
    let token_ok = header("authorization")
        .and_then(|h| h.strip_prefix("Bearer ").map(str::to_owned))
        .is_some_and(|t| state.tokens.get(&t).copied().unwrap_or(false));
    if !token_ok {
        return json_response(
            401,
            &error_body(
                "credentials_invalid",
                "Access token is invalid, please verify that the authentication is provided and valid",
                "API_ERROR",
                Vec::new(),
            ),
        );
    }

    let parsed = if body.is_empty() {
        Ok(Value::Null)
    } else {
        serde_json::from_slice::<Value>(&body)
    };
    let Ok(json_body) = parsed else {
        return json_response(400, &validation_error("", "the body is not valid JSON"));
    };

    let idempotent = method == "POST"
        && (segments == ["v2", "payments"]
            || (segments.len() == 4
                && segments[..2] == ["v2", "payments"]
                && segments[3] == "confirm"));
    let request_id = header("x-request-id");
    if idempotent {
        match &request_id {
            None if segments.len() == 2 => {
                return json_response(
                    400,
                    &validation_error("X-REQUEST-ID", "X-REQUEST-ID is required"),
                );
            }
            Some(id)
                if !(16..=36).contains(&id.len())
                    || !id.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                return json_response(
                    400,
                    &validation_error(
                        "X-REQUEST-ID",
                        "X-REQUEST-ID must be 16-36 alphanumeric characters",
                    ),
                );
            }
            Some(id) => {
                if let Some((seen_body, status, seen_reply)) = state.idempotency.get(id) {
                    if *seen_body == json_body {
                        return raw_response(
                            *status,
                            &[("content-type".to_owned(), "application/json".to_owned())],
                            seen_reply.clone(),
                        );
                    }
                    return json_response(
                        409,
                        &error_body(
                            "idempotency_error",
                            "The same Idempotency-key was provided with a different payload",
                            "API_ERROR",
                            Vec::new(),
                        ),
                    );
                }
            }
            None => {}
        }
    }

    let (status, value) = route(
        &mut state, base_url, public_key, &method, &segments, &query, &json_body,
    );
    let reply = value.to_string().into_bytes();
    if idempotent
        && status < 500
        && let Some(id) = request_id
    {
        state
            .idempotency
            .insert(id, (json_body, status, reply.clone()));
    }
    raw_response(
        status,
        &[("content-type".to_owned(), "application/json".to_owned())],
        reply,
    )
}

fn route(
    state: &mut State,
    base_url: &str,
    public_key: &str,
    method: &str,
    segments: &[&str],
    query: &[(String, String)],
    body: &Value,
) -> Reply {
    let q = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match (method, segments) {
        ("POST", ["v2", "payments"]) => create_session(state, base_url, public_key, body),
        ("GET", ["v2", "payments"]) => {
            let matching: Vec<Value> = state
                .sessions
                .iter()
                .filter(|s| q("clientReferenceId").is_none_or(|r| s.json["clientReferenceId"] == r))
                .map(|s| s.json.clone())
                .collect();
            paginate(matching, q("page"), q("perPage"))
        }
        ("GET", ["v2", "payments", id]) => match find_session(state, id) {
            Some(s) => ok(s.json.clone()),
            None => missing("Payment Session", id),
        },
        ("POST", ["v2", "payments", id, "confirm"]) => {
            confirm_session(state, base_url, public_key, id, body)
        }
        ("POST", ["v2", "payments", id, "cancel"]) => cancel_session(state, id, body),
        ("POST", ["v2", "payments", id, "capture"]) => capture_session(state, id, body),
        ("GET", ["v2", "charges"]) => {
            let charges: Vec<Value> = state
                .sessions
                .iter()
                .filter(|s| q("clientReferenceId").is_none_or(|r| s.json["clientReferenceId"] == r))
                .flat_map(|s| {
                    s.json["chargeDetails"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
            paginate(charges, q("page"), q("perPage"))
        }
        ("GET", ["v2", "payment-method-configs"]) => ok(payment_method_configs()),
        ("GET", ["v1", "customers", id]) => match state.customers.iter().find(|c| c.id == *id) {
            Some(c) => {
                let mut customer = c.json.clone();
                customer["storedPaymentMethods"] = Value::Array(c.stored.clone());
                ok(customer)
            }
            None => missing("Customer", id),
        },
        ("POST", ["v1", "refunds"]) => create_refund(state, body),
        ("GET", ["v1", "refunds"]) => {
            let matching: Vec<Value> = state
                .refunds
                .iter()
                .filter(|r| q("clientReferenceId").is_none_or(|c| r["clientReferenceId"] == c))
                .filter(|r| q("paymentSessionId").is_none_or(|c| r["paymentSessionId"] == c))
                .cloned()
                .collect();
            paginate(matching, q("page"), q("perPage"))
        }
        ("GET", ["v1", "refunds", id]) => match state.refunds.iter().find(|r| r["id"] == *id) {
            Some(r) => ok(r.clone()),
            None => missing("Refund", id),
        },
        _ => (
            404,
            error_body(
                "not_found",
                "The requested URL does not exist",
                "GATEWAY_ERROR",
                Vec::new(),
            ),
        ),
    }
}

fn access_token(state: &mut State, header: &dyn Fn(&str) -> Option<String>, body: &[u8]) -> Reply {
    state.token_requests += 1;
    let id_ok = header("x-merchant-id").as_deref() == Some(state.client_id.as_str());
    let secret_ok =
        header("x-merchant-secret").as_deref() == Some(state.client_secret.expose_secret());
    if !(id_ok && secret_ok) {
        return (
            401,
            error_body(
                "credentials_invalid",
                "Access token is invalid, please verify that the authentication is provided and valid",
                "API_ERROR",
                Vec::new(),
            ),
        );
    }
    let grant = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v["grantType"].as_str().map(str::to_owned));
    if grant.as_deref() != Some("client_credentials") {
        return (
            400,
            validation_error("grantType", "grantType must be client_credentials"),
        );
    }
    let token = format!("mock-token-{}", state.token_requests);
    state.tokens.insert(token.clone(), true);
    (
        200,
        json!({
            "code": "00",
            "message": "Success",
            "data": {
                "accessToken": token,
                "expiresIn": state.token_lifetime.to_string(),
                "tokenType": "Bearer"
            }
        }),
    )
}

fn create_session(state: &mut State, base_url: &str, public_key: &str, body: &Value) -> Reply {
    let Some(reference) = body["clientReferenceId"].as_str().filter(|r| !r.is_empty()) else {
        return (
            400,
            validation_error("clientReferenceId", "clientReferenceId is required"),
        );
    };
    if body["amount"]["value"].is_null() || body["amount"]["currency"].as_str().is_none() {
        return (400, validation_error("amount", "amount is required"));
    }
    if body["orderInformation"]["productDetails"]
        .as_array()
        .is_none_or(Vec::is_empty)
    {
        return (
            400,
            validation_error(
                "orderInformation.productDetails",
                "productDetails is required",
            ),
        );
    }
    let mode = body["mode"]
        .as_str()
        .unwrap_or("REDIRECT")
        .to_ascii_uppercase();
    let auto_confirm = body["autoConfirm"].as_bool().unwrap_or(true);
    let method_type = body["paymentMethod"]["type"]
        .as_str()
        .map(str::to_ascii_uppercase);
    let save = body["saveForFutureUse"]
        .as_bool()
        .or_else(|| body["saveForFuture"].as_bool())
        .unwrap_or(false);
    let show = body["showSavedPayment"]
        .as_bool()
        .or_else(|| body["showSavePayment"].as_bool())
        .unwrap_or(false);
    if mode == "REDIRECT" && body["redirectUrl"].is_null() {
        return (
            403,
            error_body(
                "resource_not_complete",
                "Please verify that the setup is complete",
                "API_ERROR",
                vec![("redirectUrl", "redirectUrl is required")],
            ),
        );
    }
    if body["paymentType"] == "MULTIPLE" && mode != "API" {
        return (
            400,
            validation_error(
                "",
                "paymentType 'MULTIPLE' is only allowed when mode is set to 'API'",
            ),
        );
    }

    // The customer: by id, or by e-mail (Pivot derives the id from the e-mail).
    let customer_id = if let Some(id) = body["customerId"].as_str() {
        if !state.customers.iter().any(|c| c.id == id) {
            state.customers.push(CustomerRecord {
                id: id.to_owned(),
                json: json!({}),
                stored: Vec::new(),
            });
        }
        Some(id.to_owned())
    } else if let Some(email) = body["customer"]["email"].as_str() {
        let existing = state
            .customers
            .iter()
            .position(|c| c.json["email"] == email);
        match existing {
            Some(i) => {
                state.customers[i].json = body["customer"].clone();
                Some(state.customers[i].id.clone())
            }
            None => {
                let id = state.next_id();
                state.customers.push(CustomerRecord {
                    id: id.clone(),
                    json: body["customer"].clone(),
                    stored: Vec::new(),
                });
                Some(id)
            }
        }
    } else {
        None
    };

    let card = &body["paymentMethod"]["card"];
    let mut card_info = None;
    if let Some(token) = card["token"].as_str() {
        let cvc_ok = card["cvc"]
            .as_str()
            .is_some_and(|c| (3..=4).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit()));
        if !cvc_ok {
            return (
                400,
                validation_error("paymentMethod.card.cvc", "cvc is required with a token"),
            );
        }
        let stored = customer_id
            .as_deref()
            .and_then(|id| state.customers.iter().find(|c| c.id == id))
            .and_then(|c| {
                c.stored
                    .iter()
                    .find(|m| m["token"] == token && m["status"] == "ACTIVE")
                    .cloned()
            });
        let Some(stored) = stored else {
            return (
                400,
                validation_error(
                    "paymentMethod.card.token",
                    "the token is not a stored payment method of this customer",
                ),
            );
        };
        let c = &stored["card"];
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        card_info = Some(CardInfo {
            first6: text(&c["first6"]),
            first8: text(&c["first8"]),
            last4: text(&c["last4"]),
            exp_month: text(&c["expMonth"]),
            exp_year: text(&c["expYear"]),
            name: format!(
                "{} {}",
                text(&c["cardHolderFirstName"]),
                text(&c["cardHolderLastName"])
            ),
            brand: brand_of(&text(&c["first6"])),
            outcome: None,
        });
    }

    let id = state.next_id();
    let now = now_string();
    let status;
    let mut payment_url = Value::Null;
    let mut encryption_key = Value::Null;
    let mut charges = Value::Null;
    let payment_method = if body["paymentMethod"].is_null() {
        Value::Null
    } else {
        let mut pm = json!({ "type": method_type.clone().unwrap_or_default() });
        if card.is_object() {
            pm["card"] = json!({
                "token": card["token"].as_str().unwrap_or(""),
                "encryptedCard": "",
                "cvc": ""
            });
        }
        pm
    };
    let charge = |state: &mut State, card: Option<&CardInfo>| {
        let mut charge = json!({
            "id": state.next_id(),
            "paymentSessionId": id,
            "paymentSessionClientReferenceId": reference,
            "amount": body["amount"],
            "statementDescriptor": body["statementDescriptor"].as_str().unwrap_or("Mock Merchant"),
            "status": "WAITING_FOR_USER_ACTION",
            "authorizedAmount": null,
            "capturedAmount": null,
            "isCaptured": false,
            "createdAt": now,
            "updatedAt": now,
            "paidAt": null
        });
        if let Some(card) = card {
            charge["card"] = card_json(card);
        }
        charge
    };
    if mode == "API" && method_type.as_deref() == Some("CARD") && !auto_confirm {
        status = "REQUIRE_CONFIRMATION";
        encryption_key = json!(public_key);
    } else if mode == "API" && card_info.is_some() {
        status = "REQUIRE_ACTION";
        payment_url = json!(format!("{base_url}/mock/3ds/{id}"));
        charges = json!([charge(state, card_info.as_ref())]);
    } else if !auto_confirm {
        status = "REQUIRE_CONFIRMATION";
    } else {
        status = "REQUIRE_ACTION";
        payment_url = json!(format!("{base_url}/mock/pay/{id}"));
        charges = json!([charge(state, None)]);
    }
    let customer = customer_id.as_deref().and_then(|cid| {
        state.customers.iter().find(|c| c.id == cid).map(|c| {
            let mut customer = c.json.clone();
            if !c.stored.is_empty() {
                customer["storedPaymentMethods"] = Value::Array(c.stored.clone());
            }
            customer
        })
    });
    let expiry = body["expiryAt"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| {
            (OffsetDateTime::now_utc() + time::Duration::minutes(15))
                .format(&Rfc3339)
                .unwrap_or_default()
        });
    let session = json!({
        "id": id,
        "clientReferenceId": reference,
        "amount": body["amount"],
        "autoConfirm": auto_confirm,
        "mode": mode,
        "redirectUrl": body["redirectUrl"],
        "paymentType": body["paymentType"].as_str().unwrap_or("SINGLE"),
        "paymentMethod": payment_method,
        "statementDescriptor": body["statementDescriptor"].as_str().unwrap_or("Mock Merchant"),
        "saveForFutureUse": save,
        "showSavedPayment": show,
        "expirationMode": body["expirationMode"].as_str().unwrap_or("LOOSE"),
        "status": status,
        "investigationStatus": null,
        "createdAt": now,
        "updatedAt": now,
        "expiryAt": expiry,
        "paymentUrl": payment_url,
        "encryptionKey": encryption_key,
        "chargeDetails": charges,
        "customerId": customer_id,
        "customer": customer,
        "orderInformation": body["orderInformation"],
        "metadata": body["metadata"],
        "bypassStatusPage": body["bypassStatusPage"].as_bool().unwrap_or(false)
    });
    state.sessions.push(SessionRecord {
        json: session.clone(),
        save,
        manual_capture: capture_is_manual(body),
        card: card_info,
    });
    ok(session)
}

fn capture_is_manual(body: &Value) -> bool {
    let options = if body["paymentMethodOptions"].is_object() {
        &body["paymentMethodOptions"]
    } else {
        &body["paymentMethod"]["paymentMethodOptions"]
    };
    options["card"]["captureMethod"]
        .as_str()
        .is_some_and(|m| m.eq_ignore_ascii_case("manual"))
}

fn confirm_session(
    state: &mut State,
    base_url: &str,
    public_key: &str,
    id: &str,
    body: &Value,
) -> Reply {
    let Some(index) = state.sessions.iter().position(|s| s.json["id"] == id) else {
        return missing("Payment Session", id);
    };
    if state.sessions[index].json["status"] != "REQUIRE_CONFIRMATION" {
        return (
            400,
            validation_error(
                "",
                "Payment Session can only be confirmed while REQUIRE_CONFIRMATION",
            ),
        );
    }
    if !body["paymentMethod"].is_object() {
        return (
            400,
            validation_error("paymentMethod", "paymentMethod is required"),
        );
    }
    let Some(encrypted) = body["paymentMethod"]["card"]["encryptedCard"].as_str() else {
        return (
            400,
            validation_error(
                "paymentMethod.card.encryptedCard",
                "encryptedCard is required",
            ),
        );
    };
    let decrypted = match decrypt_card(encrypted) {
        Ok(card) => card,
        Err(message) => {
            return (
                400,
                validation_error("paymentMethod.card.encryptedCard", &message),
            );
        }
    };
    let (card_info, record) = decrypted;
    let now = now_string();
    let charge_id = state.next_id();
    let manual = capture_is_manual(body);
    let session = &mut state.sessions[index];
    session.manual_capture = session.manual_capture || manual;
    session.card = Some(card_info.clone());
    let json = &mut session.json;
    json["status"] = json!("REQUIRE_ACTION");
    json["updatedAt"] = json!(now);
    json["paymentUrl"] = json!(format!("{base_url}/mock/3ds/{id}"));
    json["encryptionKey"] = json!(public_key);
    json["paymentMethod"] = json!({
        "type": "CARD",
        "card": { "token": "", "encryptedCard": encrypted, "cvc": "" }
    });
    let mut charge = json!({
        "id": charge_id,
        "paymentSessionId": id,
        "paymentSessionClientReferenceId": json["clientReferenceId"],
        "amount": json["amount"],
        "statementDescriptor": json["statementDescriptor"],
        "status": "WAITING_FOR_USER_ACTION",
        "authorizedAmount": null,
        "capturedAmount": null,
        "isCaptured": false,
        "createdAt": now,
        "updatedAt": now,
        "paidAt": null,
        "card": card_json(&card_info)
    });
    charge["card"]["authenticationResult"] = json!({
        "threeDsVersion": "3DS2", "threeDsResult": "", "threeDsMethod": "", "eciCode": ""
    });
    json["chargeDetails"] = json!([charge]);
    let reply = json.clone();
    state.decrypted.push(DecryptedCard {
        session_id: id.to_owned(),
        ..record
    });
    ok(reply)
}

/// Decrypts an `encryptedCard` with the mock's private key and checks the card inside.
fn decrypt_card(encrypted: &str) -> Result<(CardInfo, DecryptedCard), String> {
    let outer = base64_decode(encrypted).ok_or("encryptedCard is not Base64")?;
    let envelope: crate::card::Envelope = serde_json::from_slice(&outer)
        .map_err(|e| format!("encryptedCard is not a JSON envelope: {e}"))?;
    let wrapped_key = base64_decode(&envelope.encrypted_key).ok_or("encryptedKey is not Base64")?;
    let nonce = base64_decode(&envelope.nonce).ok_or("nonce is not Base64")?;
    let ciphertext = base64_decode(&envelope.ciphertext).ok_or("ciphertext is not Base64")?;
    let aes_key = mock_key()
        .decrypt(Oaep::new::<Sha256>(), &wrapped_key)
        .map_err(|_| "encryptedKey does not decrypt with the session's key (RSA-OAEP SHA-256)")?;
    let plaintext = crate::card::open(&aes_key, &nonce, &ciphertext).map_err(|e| e.to_string())?;
    let card: Value =
        serde_json::from_slice(&plaintext).map_err(|_| "the decrypted card is not JSON")?;
    let field = |name: &str| card["card"][name].as_str().unwrap_or_default().to_owned();
    let number = field("number");
    let (month, year, cvc, name) = (
        field("expiryMonth"),
        field("expiryYear"),
        field("cvc"),
        field("nameOnCard"),
    );
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(&number, 12..=19) {
        return Err("card.number must be 12-19 digits".into());
    }
    if !digits(&month, 2..=2) || !(1..=12).contains(&month.parse::<u8>().unwrap_or(0)) {
        return Err("card.expiryMonth must be two digits 01-12".into());
    }
    if !digits(&year, 2..=2) {
        return Err("card.expiryYear must be two digits".into());
    }
    if !digits(&cvc, 3..=4) {
        return Err("card.cvc must be 3 or 4 digits".into());
    }
    if name.trim().is_empty() {
        return Err("card.nameOnCard is required".into());
    }
    let info = CardInfo {
        first6: number[..6].to_owned(),
        first8: number[..8].to_owned(),
        last4: number[number.len() - 4..].to_owned(),
        exp_month: month.clone(),
        exp_year: year.clone(),
        name: name.clone(),
        brand: brand_of(&number),
        outcome: test_card_outcome(&number),
    };
    let record = DecryptedCard {
        session_id: String::new(),
        first6: info.first6.clone(),
        last4: info.last4.clone(),
        expiry_month: month,
        expiry_year: year,
        name_on_card: name,
        cvc_len: cvc.len(),
        device_informations: card["deviceInformations"].clone(),
    };
    Ok((info, record))
}

/// Pivot's documented decline test cards (Visa, Mastercard, JCB) and their failure codes.
fn test_card_outcome(number: &str) -> Option<&'static str> {
    const TABLE: &[(&str, [&str; 3])] = &[
        (
            "DECLINED_BY_CHANNEL",
            ["4440000334480001", "5550000334410001", "3550000334460001"],
        ),
        (
            "DECLINED_BY_CHANNEL",
            ["4440000334470002", "5550000334400002", "3550000334450002"],
        ),
        (
            "DECLINED_BY_CHANNEL",
            ["4440000334460003", "5550000334490003", "3550000334440003"],
        ),
        (
            "INVALID_ACCOUNT",
            ["4440000334450004", "5550000334480004", "3550000334430004"],
        ),
        (
            "AUTHENTICATION_FAILED",
            ["4440000334440005", "5550000334470005", "3550000334420005"],
        ),
        (
            "SUSPECTED_FRAUD",
            ["4440000334430006", "5550000334460006", "3550000334410006"],
        ),
        (
            "SUSPECTED_FRAUD",
            ["4440000334420007", "5550000334450007", "3550000334400007"],
        ),
        (
            "BLOCKED_BY_FDS",
            ["4440000334410008", "5550000334440008", "3550000334490008"],
        ),
        (
            "REQUIRE_REVIEW",
            ["4440000334400009", "5550000334430009", "3550000334480009"],
        ),
        (
            "INSUFFICIENT_FUND",
            ["4440000334470010", "5550000334400010", "3550000334450010"],
        ),
        (
            "CHANNEL_UNAVAILABLE",
            ["4440000334460011", "5550000334490011", "3550000334440011"],
        ),
        (
            "CANCELLED_BY_USER",
            ["4440000334450012", "5550000334480012", "3550000334430012"],
        ),
    ];
    TABLE
        .iter()
        .find(|(_, cards)| cards.contains(&number))
        .map(|(code, _)| *code)
}

fn brand_of(number: &str) -> &'static str {
    match number.as_bytes().first() {
        Some(b'4') => "VISA",
        Some(b'5' | b'2') => "MASTERCARD",
        Some(b'3') if number.starts_with("35") => "JCB",
        Some(b'3') => "AMEX",
        _ => "UNKNOWN",
    }
}

fn card_json(card: &CardInfo) -> Value {
    json!({
        "first6": card.first6,
        "first8": card.first8,
        "last4": card.last4,
        "expMonth": card.exp_month,
        "expYear": card.exp_year,
        "binInformations": { "type": "CREDIT", "issuingBank": "MOCK BANK", "brand": card.brand, "country": "ID" },
        "authenticationResult": null,
        "authorizationResult": null
    })
}

fn split_name(name: &str) -> (String, String) {
    match name.trim().rsplit_once(' ') {
        Some((first, last)) => (first.to_owned(), last.to_owned()),
        None => (name.trim().to_owned(), String::new()),
    }
}

fn cancel_session(state: &mut State, id: &str, body: &Value) -> Reply {
    let Some(session) = state.sessions.iter_mut().find(|s| s.json["id"] == id) else {
        return missing("Payment Session", id);
    };
    let Some(reason) = body["cancellationReason"].as_str() else {
        return (
            400,
            validation_error("cancellationReason", "cancellationReason is required"),
        );
    };
    let status = session.json["status"].as_str().unwrap_or_default();
    if status != "REQUIRE_CONFIRMATION" && status != "REQUIRE_PAYMENT_METHOD" {
        return (
            400,
            validation_error(
                "",
                "Payment Session can only be cancelled while REQUIRE_CONFIRMATION or REQUIRE_PAYMENT_METHOD",
            ),
        );
    }
    let now = now_string();
    session.json["status"] = json!("CANCELLED");
    session.json["updatedAt"] = json!(now);
    session.json["cancelledAt"] = json!(now);
    session.json["cancellationReason"] = json!(reason);
    ok(session.json.clone())
}

fn capture_session(state: &mut State, id: &str, body: &Value) -> Reply {
    let capture_id = state.next_id();
    let Some(session) = state.sessions.iter_mut().find(|s| s.json["id"] == id) else {
        return missing("Payment Session", id);
    };
    let Some(release) = body["releaseRemainingAmount"].as_bool() else {
        return (
            400,
            validation_error(
                "releaseRemainingAmount",
                "releaseRemainingAmount is required",
            ),
        );
    };
    let now = now_string();
    let session_amount = session.json["amount"].clone();
    let reference = session.json["clientReferenceId"].clone();
    let Some(charge) = session.json["chargeDetails"]
        .as_array_mut()
        .and_then(|c| c.iter_mut().find(|c| c["status"] == "WAITING_FOR_CAPTURE"))
    else {
        return (
            400,
            validation_error("", "no charge of this session waits for capture"),
        );
    };
    let amount = if body["amount"].is_object() {
        body["amount"].clone()
    } else {
        session_amount.clone()
    };
    if decimal(&amount["value"]) > decimal(&session_amount["value"]) {
        return (
            400,
            validation_error("amount", "amount exceeds the authorized amount"),
        );
    }
    charge["status"] = json!("SUCCESS");
    charge["capturedAmount"] = amount.clone();
    charge["isCaptured"] = json!(true);
    charge["paidAt"] = json!(now);
    charge["updatedAt"] = json!(now);
    charge["captureHistories"] = json!([{
        "captureId": capture_id,
        "currency": amount["currency"],
        "capturedAmount": amount["value"],
        "status": "SUCCESS",
        "createdAt": now
    }]);
    session.json["status"] = json!("PAID");
    session.json["updatedAt"] = json!(now);
    ok(json!({
        "id": capture_id,
        "paymentSessionId": id,
        "paymentSessionClientReferenceId": reference,
        "releaseRemainingAmount": release,
        "amount": amount,
        "status": "SUCCESS",
        "createdAt": now,
        "updatedAt": now
    }))
}

fn create_refund(state: &mut State, body: &Value) -> Reply {
    let Some(reference) = body["clientReferenceId"].as_str() else {
        return (
            400,
            validation_error("clientReferenceId", "clientReferenceId is required"),
        );
    };
    let session_id = body["paymentSessionId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let Some(session) = state
        .sessions
        .iter()
        .find(|s| s.json["id"] == session_id.as_str())
    else {
        return missing("Payment Session", &session_id);
    };
    if session.json["status"] != "PAID" {
        return (
            400,
            validation_error("paymentSessionId", "only paid sessions can be refunded"),
        );
    }
    let captured = decimal(&session.json["amount"]["value"]);
    let currency = session.json["amount"]["currency"].clone();
    let charge_id = session.json["chargeDetails"][0]["id"].clone();
    let full = body["isFullAmount"].as_bool().unwrap_or(false);
    let amount = if full {
        captured
    } else {
        decimal(&body["amount"]["value"])
    };
    if amount <= Decimal::ZERO || amount > captured {
        return (
            400,
            validation_error(
                "amount",
                "the amount must be positive and at most the captured amount",
            ),
        );
    }
    let now = now_string();
    let refund = json!({
        "id": state.next_id(),
        "clientReferenceId": reference,
        "paymentSessionId": session_id,
        "chargeId": charge_id,
        "capturedAmount": { "currency": currency, "value": format!("{captured:.2}") },
        "isFullAmount": full,
        "amount": { "currency": currency, "value": format!("{amount:.2}") },
        "status": "PENDING",
        "reason": body["reason"],
        "description": body["description"],
        "method": body["method"].as_str().unwrap_or("AUTO"),
        "transferDestination": body["transferDestination"],
        "metadata": body["metadata"],
        "createdAt": now,
        "updatedAt": now
    });
    state.refunds.push(refund.clone());
    ok(refund)
}

fn decimal(value: &Value) -> Decimal {
    match value {
        Value::Number(n) => Decimal::from_str(&n.to_string()).unwrap_or_default(),
        Value::String(s) => Decimal::from_str(s).unwrap_or_default(),
        _ => Decimal::ZERO,
    }
}

fn payment_method_configs() -> Value {
    json!({
        "card": {
            "enabled": true,
            "acceptedChannels": ["VISA", "MASTERCARD", "JCB"],
            "minimumAmount": { "value": 10000, "currency": "IDR" },
            "maximumAmount": { "value": 9999999999_u64, "currency": "IDR" },
            "maximumExpiry": "30 DAYS",
            "installmentConfig": null
        },
        "virtualAccount": {
            "enabled": true,
            "acceptedChannels": ["DANAMON", "BNI", "MANDIRI", "BSI", "BCA", "BNC", "CIMB", "BRI", "PERMATA"],
            "minimumAmount": { "value": 10000, "currency": "IDR" },
            "maximumAmount": { "value": 9999999999_u64, "currency": "IDR" },
            "maximumExpiry": "30 DAYS"
        },
        "qr": {
            "enabled": true,
            "minimumAmount": { "value": 1000, "currency": "IDR" },
            "maximumAmount": { "value": 9999999, "currency": "IDR" },
            "maximumExpiry": "60 MINUTES"
        },
        "ewallet": {
            "enabled": true,
            "acceptedChannels": ["DANA", "SHOPEEPAY"],
            "minimumAmount": { "value": 10000, "currency": "IDR" },
            "maximumAmount": { "value": 9999999, "currency": "IDR" },
            "maximumExpiry": "30 MINUTES"
        },
        "installment": { "enabled": false, "acceptedChannels": {} }
    })
}

fn find_session<'a>(state: &'a State, id: &str) -> Option<&'a SessionRecord> {
    state.sessions.iter().find(|s| s.json["id"] == id)
}

fn paginate(items: Vec<Value>, page: Option<&str>, per_page: Option<&str>) -> Reply {
    let page = page
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let per_page = per_page
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(20)
        .clamp(1, 100);
    let total = items.len();
    let pages = total.div_ceil(per_page);
    let slice: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    (
        200,
        json!({
            "code": "00",
            "message": "Success",
            "data": slice,
            "pagination": { "page": page, "perPage": per_page, "totalItems": total, "totalPages": pages }
        }),
    )
}

fn ok(data: Value) -> Reply {
    (
        200,
        json!({ "code": "00", "message": "Success", "data": data }),
    )
}

fn missing(resource: &str, id: &str) -> Reply {
    (
        404,
        error_body(
            "resource_missing",
            &format!("The {resource} with ID {id} cannot be found"),
            "GATEWAY_ERROR",
            Vec::new(),
        ),
    )
}

fn validation_error(field: &str, message: &str) -> Value {
    error_body(
        "api_validation_error",
        "The request was invalid, or an error occurred in downstream provider",
        "API_ERROR",
        vec![(field, message)],
    )
}

fn error_body(code: &str, message: &str, kind: &str, details: Vec<(&str, &str)>) -> Value {
    let details: Vec<Value> = details
        .into_iter()
        .map(|(field, message)| json!({ "field": field, "message": message }))
        .collect();
    json!({
        "code": code,
        "message": message,
        "error": {
            "type": kind,
            "details": details,
            "traceId": uuid::Uuid::new_v4().simple().to_string()
        }
    })
}

/// Pivot's documented generic error for a status.
fn documented_error(status: u16) -> (&'static str, &'static str, &'static str) {
    const INTERNAL: &str = "An internal error was encountered. Please Try again later";
    match status {
        400 => (
            "api_validation_error",
            "The request was invalid, or an error occurred in downstream provider",
            "API_ERROR",
        ),
        401 => (
            "credentials_invalid",
            "Access token is invalid, please verify that the authentication is provided and valid",
            "API_ERROR",
        ),
        403 => (
            "forbidden_access",
            "Provided API Key does not have the correct permissions to perform the operation",
            "API_ERROR",
        ),
        404 => (
            "resource_missing",
            "The resource cannot be found",
            "GATEWAY_ERROR",
        ),
        409 => (
            "duplicate_error",
            "There's already existing record with the provided details",
            "GATEWAY_ERROR",
        ),
        429 => (
            "frequency_above_limit",
            "The frequency limit of payments is reached for operation create",
            "API_ERROR",
        ),
        502 => ("bad_gateway", INTERNAL, "GATEWAY_ERROR"),
        503 => ("service_unavailable", INTERNAL, "GATEWAY_ERROR"),
        504 => ("gateway_timeout", INTERNAL, "GATEWAY_ERROR"),
        _ => ("internal_error", INTERNAL, "GATEWAY_ERROR"),
    }
}

fn json_response(status: u16, value: &Value) -> HttpMockResponse {
    raw_response(
        status,
        &[("content-type".to_owned(), "application/json".to_owned())],
        value.to_string().into_bytes(),
    )
}

fn raw_response(status: u16, headers: &[(String, String)], body: Vec<u8>) -> HttpMockResponse {
    let mut builder = HttpMockResponse::builder().status(status);
    for (k, v) in headers {
        builder = builder.header(k.clone(), v.clone());
    }
    builder.body(body).build()
}

fn now_string() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}
