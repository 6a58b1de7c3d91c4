//! A mock Flitt on loopback for your tests (feature `testing`).
//!
//! [`MockGateway`] serves every operation of the [`Client`] under `/api`, as Flitt does:
//!
//! * it **verifies each request's signature** with the merchant's key (the credit key for
//!   `p2pcredit`; protocol 2.0 over `data`) and answers error 1014 "Invalid signature" otherwise,
//!   checks the `merchant_id` (1016) and the required parameters (1011);
//! * it keeps the orders it created, so `status/order_id`, `reverse/order_id`,
//!   `capture/order_id`, `subscription` and `transaction_list` see them (unknown orders: 1018);
//! * it answers with orders shaped like Flitt's documented example, **signed** with the
//!   merchant's key (and a test-mode `response_signature_string`);
//! * outcomes are scripted per [`Operation`]: approve, decline, a request error, a timeout
//!   (the request is processed but the answer never arrives in time), a tampered answer, or any
//!   raw HTTP answer;
//! * it records every request it receives ([`MockGateway::requests`]), in order.
//!
//! Without a script, charges approve — or decline for Flitt's documented declining test cards
//! in `3dsecure_step1` — and checkout orders become `approved` when queried.
//!
//! ```
//! use flitt_client::testing::{MockGateway, Operation, Outcome};
//! use flitt_client::{Currency, ErrorCode, model::recurring::RecurringRequest};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), flitt_client::Error> {
//! let gateway = MockGateway::start().await;
//! let client = gateway.client();
//!
//! gateway.script(Operation::Recurring, Outcome::Decline(ErrorCode::InsufficientFunds));
//! let order = client
//!     .recurring(&RecurringRequest::new("o-1", "Plan", 1000, Currency::GEL, "tok"))
//!     .await?;
//! assert_eq!(order.decline().and_then(|d| d.code), Some(ErrorCode::InsufficientFunds));
//! assert_eq!(gateway.hits(Operation::Recurring), 1);
//! assert_eq!(gateway.requests()[0].path(), "/api/recurring");
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use payments_signing::fondy;
use secrecy::ExposeSecret;
use serde_json::{Map, Value, json};

use crate::auth::{Credentials, KeyKind};
use crate::client::{Client, ClientBuilder};
use crate::error::scrub;
use crate::model::ErrorCode;
use crate::webhook::Verifier;

/// The operations of the [`Client`], as the mock routes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operation {
    /// `checkout/url` ([`Client::checkout_url`]).
    CheckoutUrl,
    /// `checkout/token` ([`Client::checkout_token`]).
    CheckoutToken,
    /// `recurring` ([`Client::recurring`]).
    Recurring,
    /// `status/order_id` ([`Client::order_status`]).
    OrderStatus,
    /// `reverse/order_id` ([`Client::reverse`]).
    Reverse,
    /// `capture/order_id` ([`Client::capture`]).
    Capture,
    /// `p2pcredit` ([`Client::p2p_credit`]).
    P2pCredit,
    /// `3dsecure_step1` ([`Client::three_ds_step1`]).
    ThreeDsStep1,
    /// `3dsecure_step2` ([`Client::three_ds_step2`]).
    ThreeDsStep2,
    /// `subscription` ([`Client::subscription`]).
    Subscription,
    /// `transaction_list` ([`Client::transaction_list`]).
    TransactionList,
    /// `settlement` ([`Client::settlement`]).
    Settlement,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 12] = [
        Operation::CheckoutUrl,
        Operation::CheckoutToken,
        Operation::Recurring,
        Operation::OrderStatus,
        Operation::Reverse,
        Operation::Capture,
        Operation::P2pCredit,
        Operation::ThreeDsStep1,
        Operation::ThreeDsStep2,
        Operation::Subscription,
        Operation::TransactionList,
        Operation::Settlement,
    ];

    /// The endpoint, relative to the API base URL (e.g. `status/order_id`).
    pub fn path(self) -> &'static str {
        match self {
            Operation::CheckoutUrl => "checkout/url",
            Operation::CheckoutToken => "checkout/token",
            Operation::Recurring => "recurring",
            Operation::OrderStatus => "status/order_id",
            Operation::Reverse => "reverse/order_id",
            Operation::Capture => "capture/order_id",
            Operation::P2pCredit => "p2pcredit",
            Operation::ThreeDsStep1 => "3dsecure_step1",
            Operation::ThreeDsStep2 => "3dsecure_step2",
            Operation::Subscription => "subscription",
            Operation::TransactionList => "transaction_list",
            Operation::Settlement => "settlement",
        }
    }

    /// The operation served at `path` (`/api/recurring`, `recurring/`, …), if any.
    pub fn from_path(path: &str) -> Option<Operation> {
        let path = path.trim_matches('/');
        let path = path.strip_prefix("api/").unwrap_or(path);
        Operation::ALL.into_iter().find(|op| op.path() == path)
    }

    /// Whether the operation creates or charges an order ([`Outcome::Approve`] and
    /// [`Outcome::Decline`] decide its payment).
    pub fn creates_order(self) -> bool {
        matches!(
            self,
            Operation::CheckoutUrl
                | Operation::CheckoutToken
                | Operation::Recurring
                | Operation::P2pCredit
                | Operation::ThreeDsStep1
                | Operation::ThreeDsStep2
                | Operation::Settlement
        )
    }
}

/// A request the mock received.
///
/// `Debug` masks card numbers, CVV2, expiry dates and 3-D Secure payloads in the body.
#[derive(Clone)]
pub struct RecordedRequest {
    operation: Option<Operation>,
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RecordedRequest {
    fn from_mock(req: &HttpMockRequest) -> Self {
        let uri = req.uri();
        RecordedRequest {
            operation: Operation::from_path(uri.path()),
            method: req.method().to_string(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            headers: req
                .headers_vec()
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .collect(),
            body: req.body_ref().to_vec(),
        }
    }

    /// The operation it was routed to (`None` for a path the mock does not serve).
    pub fn operation(&self) -> Option<Operation> {
        self.operation
    }

    /// The HTTP method, e.g. `POST`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path, e.g. `/api/recurring`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query string, without `?`.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every header, names in lower case, in the order received.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The body, byte for byte.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field(
                "query",
                &self.query.as_deref().map(|q| scrub(q.as_bytes(), &[])),
            )
            .field("headers", &self.headers)
            .field("body", &scrub(&self.body, &[]))
            .finish()
    }
}

/// How long a scripted [`Outcome::Timeout`] holds the answer back.
pub const TIMEOUT_HOLD: Duration = Duration::from_secs(30);

/// The timeout of the client returned by [`MockGateway::client`].
pub const MOCK_CLIENT_TIMEOUT: Duration = Duration::from_secs(3);

/// What the mock does with the next call of an operation ([`MockGateway::script`]).
///
/// [`Approve`](Outcome::Approve) and [`Decline`](Outcome::Decline) decide the payment of the
/// operations that create or charge an order ([`Operation::creates_order`]); any other
/// operation answers as usual with them. The other outcomes apply to every operation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Outcome {
    /// Approve the payment (for checkout: the order is approved when the customer "pays").
    Approve,
    /// Decline the payment with this code (a valid, signed order with `order_status: declined`).
    Decline(ErrorCode),
    /// Refuse the request with a Flitt error (`response_status: failure`).
    Error {
        /// The `error_code`.
        code: ErrorCode,
        /// The `error_message`.
        message: String,
    },
    /// Process the request (an order it creates exists afterwards) but hold the answer for
    /// [`TIMEOUT_HOLD`], so the client times out.
    Timeout,
    /// Answer with this status and body, without processing the request.
    Raw {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: String,
    },
    /// Answer as usual (approving a payment), but alter the signed answer after signing it (a
    /// tampered response).
    Tampered,
}

#[derive(Debug, Clone)]
struct MockOrder {
    order_id: String,
    amount: u64,
    currency: String,
    status: String,
    response_code: Option<u32>,
    tran_type: String,
    payment_id: u64,
    preauth: bool,
    capture: Option<(String, u64)>,
    reversed: u64,
    reverse_ids: BTreeMap<String, u64>,
    rectoken: Option<String>,
    masked_card: String,
    merchant_data: Option<String>,
    sender_email: Option<String>,
    subscription: Option<String>,
    awaiting_3ds: Option<(String, bool)>,
    transactions: Vec<Value>,
    signed_with_credit: bool,
}

struct State {
    merchant_id: u64,
    secret: String,
    credit: Option<String>,
    base_url: String,
    orders: BTreeMap<String, MockOrder>,
    scripts: BTreeMap<Operation, VecDeque<Outcome>>,
    held: VecDeque<HttpMockResponse>,
    hits: BTreeMap<Operation, usize>,
    requests: Vec<RecordedRequest>,
    next_payment_id: u64,
    next_request_id: u64,
}

/// A mock Flitt gateway on `127.0.0.1`: by default for Flitt's test merchant `1549901` with
/// payment key `test` and credit key `testcredit`, or for any credentials
/// ([`start_with`](Self::start_with)).
pub struct MockGateway {
    server: MockServer,
    state: Arc<Mutex<State>>,
    credentials: Credentials,
}

impl std::fmt::Debug for MockGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockGateway")
            .field("base_url", &self.base_url())
            .field("merchant_id", &self.credentials.merchant_id())
            .finish()
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl MockGateway {
    /// Starts a mock gateway for Flitt's test merchant (`1549901`, keys `test` and
    /// `testcredit`).
    pub async fn start() -> Self {
        Self::start_with(Credentials::test_merchant()).await
    }

    /// Starts a mock gateway for any merchant id and keys: it verifies requests and signs its
    /// answers with them. Without a credit key it refuses payouts (error 1014).
    ///
    /// ```
    /// use flitt_client::{Credentials, testing::MockGateway};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let gateway = MockGateway::start_with(
    ///     Credentials::new(1700001, "my-test-key").with_credit_key("my-credit-key"),
    /// )
    /// .await;
    /// assert_eq!(gateway.credentials().merchant_id(), 1700001);
    /// # }
    /// ```
    pub async fn start_with(credentials: Credentials) -> Self {
        let server = MockServer::start_async().await;
        let base_url = server.url("/api");
        let secret = credentials
            .key(KeyKind::Payment)
            .map(|k| k.expose_secret().to_owned())
            .unwrap_or_default();
        let credit = credentials
            .key(KeyKind::Credit)
            .ok()
            .map(|k| k.expose_secret().to_owned());
        let state = Arc::new(Mutex::new(State {
            merchant_id: credentials.merchant_id(),
            secret,
            credit,
            base_url: base_url.clone(),
            orders: BTreeMap::new(),
            scripts: BTreeMap::new(),
            held: VecDeque::new(),
            hits: BTreeMap::new(),
            requests: Vec::new(),
            next_payment_id: 805_243_692,
            next_request_id: 1,
        }));
        // First (so first matched): a scripted timeout takes the next call of its operation,
        // processes it at once, and answers late.
        let matcher_state = Arc::clone(&state);
        let responder_state = Arc::clone(&state);
        server
            .mock_async(move |when, then| {
                when.is_true(move |req: &HttpMockRequest| {
                    let mut state = lock(&matcher_state);
                    let Some(operation) = Operation::from_path(req.uri().path()) else {
                        return false;
                    };
                    let queue = state.scripts.entry(operation).or_default();
                    if !matches!(queue.front(), Some(Outcome::Timeout)) {
                        return false;
                    }
                    queue.pop_front();
                    let response = state.handle(req, Some(Outcome::Approve));
                    state.held.push_back(response);
                    true
                });
                then.delay(TIMEOUT_HOLD)
                    .respond_with(move |_req: &HttpMockRequest| {
                        lock(&responder_state)
                            .held
                            .pop_front()
                            .unwrap_or_else(|| text_response(500, "nothing held"))
                    });
            })
            .await;
        let main_state = Arc::clone(&state);
        server
            .mock_async(move |when, then| {
                when.any_request();
                then.respond_with(move |req: &HttpMockRequest| {
                    let mut state = lock(&main_state);
                    let scripted = Operation::from_path(req.uri().path())
                        .and_then(|op| state.scripts.get_mut(&op))
                        .and_then(VecDeque::pop_front);
                    state.handle(req, scripted)
                });
            })
            .await;
        MockGateway {
            server,
            state,
            credentials,
        }
    }

    /// The base URL to give [`ClientBuilder::base_url`], e.g. `http://127.0.0.1:PORT/api`.
    pub fn base_url(&self) -> String {
        self.server.url("/api")
    }

    /// The mock's merchant credentials.
    pub fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }

    /// A client builder pointed at the mock with its credentials, to adjust (timeouts,
    /// retries) before building.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(self.credentials())
            .base_url(self.base_url())
            .timeout(MOCK_CLIENT_TIMEOUT)
    }

    /// A client pointed at the mock with its credentials (timeout [`MOCK_CLIENT_TIMEOUT`]).
    pub fn client(&self) -> Client {
        match self.client_builder().build() {
            Ok(client) => client,
            // The mock's URL and settings are always valid.
            Err(e) => unreachable!("the mock's client configuration is valid: {e}"),
        }
    }

    /// A callback verifier for the mock's merchant.
    pub fn verifier(&self) -> Verifier {
        Verifier::from_credentials(&self.credentials)
    }

    /// Queues the outcome of the next call of `operation`; several calls queue several
    /// outcomes, used in order. Unscripted calls are answered as usual.
    pub fn script(&self, operation: Operation, outcome: Outcome) {
        lock(&self.state)
            .scripts
            .entry(operation)
            .or_default()
            .push_back(outcome);
    }

    /// How many requests reached `operation`, whatever their outcome.
    pub fn hits(&self, operation: Operation) -> usize {
        lock(&self.state).hits.get(&operation).copied().unwrap_or(0)
    }

    /// Every request the mock received, in order (including any to a path it does not
    /// serve).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// Adds an order the mock will know, as if it had been paid earlier: `status` is e.g.
    /// `"approved"`; `preauth` makes it a held pre-authorization awaiting capture.
    pub fn add_order(
        &self,
        order_id: &str,
        amount: u64,
        currency: &str,
        status: &str,
        preauth: bool,
    ) {
        let mut state = lock(&self.state);
        let payment_id = state.take_payment_id();
        let mut order = MockOrder::new(order_id, amount, currency, payment_id);
        order.status = status.to_owned();
        order.preauth = preauth;
        if preauth {
            order.capture = Some(("hold".into(), 0));
        }
        order
            .transactions
            .push(transaction(&order, "purchase", amount, status));
        state.orders.insert(order_id.to_owned(), order);
    }

    /// A signed callback body (flat JSON, as Flitt posts it) for a known order's current
    /// state, or `None` for an unknown order.
    pub fn callback_body(&self, order_id: &str) -> Option<Vec<u8>> {
        let state = lock(&self.state);
        let order = state.orders.get(order_id)?;
        let object = state.order_object(order);
        let (signed, _) = state.sign(object, order.signed_with_credit);
        serde_json::to_vec(&signed).ok()
    }
}

fn text_response(status: u16, body: &str) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "text/plain")
        .body(body.to_owned())
        .build()
}

fn json_response(value: &Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json; charset=utf-8")
        .body(value.to_string())
        .build()
}

/// A request parameter's text, as the gateway signs it (independently of the client).
fn wire_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("True".into()),
        Value::Bool(false) => Some("False".into()),
        _ => None,
    }
}

fn text(params: &Map<String, Value>, key: &str) -> Option<String> {
    params
        .get(key)
        .and_then(wire_text)
        .filter(|s| !s.is_empty())
}

fn amount_of(params: &Map<String, Value>) -> Option<u64> {
    text(params, "amount").and_then(|s| s.parse().ok())
}

fn transaction(order: &MockOrder, tran_type: &str, amount: u64, status: &str) -> Value {
    json!({
        "tran_type": tran_type,
        "transaction_status": status,
        "amount": amount.to_string(),
        "currency": order.currency,
        "payment_id": order.payment_id,
        "masked_card": order.masked_card,
        "card_type": "VISA",
        "response_code": "",
        "response_description": "",
    })
}

fn now_text() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:02}.{:02}.{:04} {:02}:{:02}:{:02}",
        now.day(),
        u8::from(now.month()),
        now.year(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

impl MockOrder {
    fn new(order_id: &str, amount: u64, currency: &str, payment_id: u64) -> Self {
        MockOrder {
            order_id: order_id.to_owned(),
            amount,
            currency: currency.to_owned(),
            status: "approved".into(),
            response_code: None,
            tran_type: "purchase".into(),
            payment_id,
            preauth: false,
            capture: None,
            reversed: 0,
            reverse_ids: BTreeMap::new(),
            rectoken: None,
            masked_card: "444455XXXXXX1111".into(),
            merchant_data: None,
            sender_email: None,
            subscription: None,
            awaiting_3ds: None,
            transactions: Vec::new(),
            signed_with_credit: false,
        }
    }

    fn apply(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Decline(code) => {
                self.status = "declined".into();
                self.response_code = Some(code.code());
            }
            _ => {
                self.status = "approved".into();
                self.response_code = None;
            }
        }
    }
}

impl State {
    fn take_payment_id(&mut self) -> u64 {
        self.next_payment_id += 1;
        self.next_payment_id
    }

    fn error(&mut self, code: u32, message: &str) -> HttpMockResponse {
        self.next_request_id += 1;
        json_response(&json!({"response": {
            "error_code": code,
            "error_message": message,
            "request_id": format!("mock{:08}", self.next_request_id),
            "response_status": "failure",
        }}))
    }

    /// Signs a flat object like Flitt: every scalar field, and a test-mode
    /// `response_signature_string` with the key masked. Returns the object and its signature.
    fn sign(&self, mut object: Map<String, Value>, credit: bool) -> (Map<String, Value>, String) {
        let key = match (&self.credit, credit) {
            (Some(credit), true) => credit,
            _ => &self.secret,
        };
        let pairs: Vec<(String, String)> = object
            .iter()
            .filter_map(|(k, v)| wire_text(v).map(|t| (k.clone(), t)))
            .collect();
        let signature = fondy::sign(key, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let string =
            fondy::signature_string(key, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        object.insert(
            "response_signature_string".into(),
            string.replace(key.as_str(), "**********").into(),
        );
        object.insert("signature".into(), signature.clone().into());
        (object, signature)
    }

    fn signed_response(&self, object: Map<String, Value>, credit: bool) -> HttpMockResponse {
        let (signed, _) = self.sign(object, credit);
        json_response(&json!({ "response": signed }))
    }

    /// The order object, shaped like Flitt's documented recurring response.
    fn order_object(&self, order: &MockOrder) -> Map<String, Value> {
        let info = json!({
            "capture_status": order.capture.as_ref().map(|c| c.0.clone()),
            "capture_amount": order.capture.as_ref().map(|c| c.1),
            "reservation_data": null,
            "transaction_id": order.payment_id * 2 + 1,
            "bank_response_code": null,
            "bank_response_description": null,
            "client_fee": 0.0,
            "settlement_fee": 0.0,
            "bank_name": null,
            "bank_country": null,
            "card_type": "VISA",
            "card_product": "empty_visa",
            "card_category": null,
            "timeend": now_text(),
            "ipaddress_v4": "127.0.0.1",
            "payment_method": "card",
            "is_test": true,
        });
        let code = order.response_code;
        let description = code
            .map(|c| {
                ErrorCode::from(c)
                    .description()
                    .unwrap_or("Declined")
                    .to_owned()
            })
            .unwrap_or_default();
        let mut object = Map::new();
        let approved = order.status == "approved" || order.status == "reversed";
        let mut put = |k: &str, v: Value| {
            object.insert(k.to_owned(), v);
        };
        put(
            "rrn",
            if approved {
                "111111111111".into()
            } else {
                "".into()
            },
        );
        put("masked_card", order.masked_card.clone().into());
        put("sender_cell_phone", "".into());
        put("sender_account", "".into());
        put("currency", order.currency.clone().into());
        put("fee", "".into());
        put("reversal_amount", order.reversed.to_string().into());
        put("settlement_amount", "0".into());
        put("actual_amount", order.amount.to_string().into());
        put("response_description", description.into());
        put(
            "sender_email",
            order.sender_email.clone().unwrap_or_default().into(),
        );
        put("order_status", order.status.clone().into());
        put("response_status", "success".into());
        put("order_time", now_text().into());
        put("actual_currency", order.currency.clone().into());
        put("order_id", order.order_id.clone().into());
        put("tran_type", order.tran_type.clone().into());
        put("eci", "7".into());
        put("settlement_date", "".into());
        put("payment_system", "card".into());
        put(
            "approval_code",
            if approved { "123456".into() } else { "".into() },
        );
        put("merchant_id", self.merchant_id.into());
        put("settlement_currency", "".into());
        put("payment_id", order.payment_id.into());
        put("card_bin", 444455.into());
        put(
            "response_code",
            code.map(Value::from).unwrap_or_else(|| "".into()),
        );
        put("card_type", "VISA".into());
        put("amount", order.amount.to_string().into());
        put("product_id", "".into());
        put(
            "merchant_data",
            order.merchant_data.clone().unwrap_or_default().into(),
        );
        put(
            "rectoken",
            order.rectoken.clone().unwrap_or_default().into(),
        );
        put("rectoken_lifetime", "".into());
        put("verification_status", "".into());
        put("parent_order_id", "".into());
        put("fee_oplata", "0".into());
        put("additional_info", info.to_string().into());
        object
    }

    /// Parses and authenticates a request; `Err` is the answer to send.
    fn authenticate(
        &mut self,
        operation: Operation,
        body: &[u8],
    ) -> Result<Map<String, Value>, HttpMockResponse> {
        let Ok(Value::Object(mut envelope)) = serde_json::from_slice::<Value>(body) else {
            return Err(self.error(1010, "Request is empty"));
        };
        let Some(Value::Object(request)) = envelope.remove("request") else {
            return Err(self.error(1010, "Request is empty"));
        };
        let key = if operation == Operation::P2pCredit {
            match self.credit.clone() {
                Some(credit) => credit,
                None => return Err(self.error(1014, "Invalid signature")),
            }
        } else {
            self.secret.clone()
        };
        let signature = text(&request, "signature").unwrap_or_default();
        let params = if text(&request, "version").as_deref() == Some("2.0")
            && request.contains_key("data")
        {
            let data = text(&request, "data").unwrap_or_default();
            if !fondy::verify_v2(&key, &data, &signature) {
                return Err(self.error(1014, "Invalid signature"));
            }
            let decoded = payments_signing::digest::base64_decode(&data)
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
            match decoded {
                Some(Value::Object(mut outer)) => match outer.remove("order") {
                    Some(Value::Object(order)) => order,
                    _ => return Err(self.error(1005, "Invalid format")),
                },
                _ => return Err(self.error(1005, "Invalid format")),
            }
        } else {
            if request.values().any(|v| v.is_object() || v.is_array()) {
                return Err(self.error(1005, "Invalid format"));
            }
            let pairs: Vec<(String, String)> = request
                .iter()
                .filter_map(|(k, v)| wire_text(v).map(|t| (k.clone(), t)))
                .collect();
            if !fondy::verify(
                &key,
                pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                &signature,
            ) {
                let string = fondy::signature_string(
                    &key,
                    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                );
                let masked = string.replace(key.as_str(), "**********");
                return Err(self.error(
                    1014,
                    &format!("Invalid signature signature: {signature}; response_signature_string: {masked}"),
                ));
            }
            request
        };
        if params
            .values()
            .filter_map(wire_text)
            .any(|v| v.contains('|'))
        {
            return Err(self.error(1034, "Please do not use symbol `|` in parameters"));
        }
        if text(&params, "merchant_id") != Some(self.merchant_id.to_string()) {
            let id = text(&params, "merchant_id").unwrap_or_default();
            return Err(self.error(1016, &format!("Merchant `{id}` not found")));
        }
        Ok(params)
    }

    fn require(
        &mut self,
        params: &Map<String, Value>,
        keys: &[&str],
    ) -> Result<(), HttpMockResponse> {
        for key in keys {
            if text(params, key).is_none() {
                return Err(self.error(1011, &format!("Parameter `{key}` is missing")));
            }
        }
        Ok(())
    }

    fn handle(&mut self, req: &HttpMockRequest, scripted: Option<Outcome>) -> HttpMockResponse {
        let recorded = RecordedRequest::from_mock(req);
        let operation = recorded.operation;
        self.requests.push(recorded);
        let Some(operation) = operation else {
            return text_response(404, "Not Found");
        };
        *self.hits.entry(operation).or_default() += 1;
        let body = req.body_ref();
        match &scripted {
            Some(Outcome::Raw { status, body }) => {
                return HttpMockResponse::builder()
                    .status(*status)
                    .body(body.clone())
                    .build();
            }
            Some(Outcome::Error { code, message }) => {
                let (code, message) = (code.code(), message.clone());
                return self.error(code, &message);
            }
            _ => {}
        }
        let params = match self.authenticate(operation, body) {
            Ok(p) => p,
            Err(response) => return response,
        };
        let result = match operation {
            Operation::CheckoutUrl | Operation::CheckoutToken => {
                self.checkout(operation, &params, scripted.as_ref())
            }
            Operation::Recurring => self.charge(&params, scripted.as_ref(), false),
            Operation::P2pCredit => self.charge(&params, scripted.as_ref(), true),
            Operation::ThreeDsStep1 => self.three_ds_step1(&params, scripted.as_ref()),
            Operation::ThreeDsStep2 => self.three_ds_step2(&params, scripted.as_ref()),
            Operation::OrderStatus => self.status(&params),
            Operation::Reverse => self.reverse(&params),
            Operation::Capture => self.capture(&params),
            Operation::Subscription => self.subscription(&params),
            Operation::TransactionList => self.transaction_list(&params),
            Operation::Settlement => self.settlement(&params, scripted.as_ref()),
        };
        let response = result.unwrap_or_else(|r| r);
        if matches!(scripted, Some(Outcome::Tampered)) {
            return tamper(response);
        }
        response
    }

    fn new_order(&mut self, params: &Map<String, Value>) -> Result<MockOrder, HttpMockResponse> {
        let order_id = text(params, "order_id").unwrap_or_default();
        if self.orders.contains_key(&order_id) {
            let merchant = self.merchant_id;
            return Err(self.error(
                1013,
                &format!("Duplicate order `{order_id}` for merchant `{merchant}`"),
            ));
        }
        let Some(amount) = amount_of(params) else {
            return Err(self.error(1023, "Invalid amount"));
        };
        let currency = text(params, "currency").unwrap_or_default();
        let payment_id = self.take_payment_id();
        let mut order = MockOrder::new(&order_id, amount, &currency, payment_id);
        order.preauth = text(params, "preauth").as_deref() == Some("Y");
        order.merchant_data = text(params, "merchant_data");
        order.sender_email = text(params, "sender_email");
        Ok(order)
    }

    fn store(&mut self, mut order: MockOrder) -> MockOrder {
        if order.preauth && order.status == "approved" && order.capture.is_none() {
            order.capture = Some(("hold".into(), 0));
        }
        let status = order.status.clone();
        let tran_type = order.tran_type.clone();
        let amount = order.amount;
        order
            .transactions
            .push(transaction(&order, &tran_type, amount, &status));
        self.orders.insert(order.order_id.clone(), order.clone());
        order
    }

    fn checkout(
        &mut self,
        operation: Operation,
        params: &Map<String, Value>,
        scripted: Option<&Outcome>,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        self.require(params, &["order_id", "order_desc", "amount", "currency"])?;
        let mut order = self.new_order(params)?;
        order.apply(scripted.unwrap_or(&Outcome::Approve));
        if text(params, "required_rectoken").as_deref() == Some("Y") && order.status == "approved" {
            order.rectoken = Some(format!("mockrectoken{}", order.payment_id));
        }
        if text(params, "subscription").as_deref() == Some("Y") {
            order.subscription = Some("active".into());
        }
        let order = self.store(order);
        let token = format!("mocktoken{}", order.payment_id);
        let object = if operation == Operation::CheckoutUrl {
            json!({
                "response_status": "success",
                "checkout_url": format!("{}/checkout?token={token}", self.base_url),
                "payment_id": order.payment_id,
            })
        } else {
            json!({ "response_status": "success", "token": token })
        };
        Ok(json_response(&json!({ "response": object })))
    }

    fn charge(
        &mut self,
        params: &Map<String, Value>,
        scripted: Option<&Outcome>,
        payout: bool,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        self.require(params, &["order_id", "order_desc", "amount", "currency"])?;
        if payout {
            if [
                "receiver_rectoken",
                "receiver_card_number",
                "external_rectoken",
            ]
            .iter()
            .all(|k| text(params, k).is_none())
            {
                return Err(self.error(1011, "Parameter `receiver_rectoken` is missing"));
            }
        } else {
            self.require(params, &["rectoken"])?;
        }
        let mut order = self.new_order(params)?;
        order.apply(scripted.unwrap_or(&Outcome::Approve));
        if payout {
            order.tran_type = "p2p credit".into();
            order.signed_with_credit = true;
        } else {
            order.rectoken = text(params, "rectoken");
        }
        let order = self.store(order);
        let object = self.order_object(&order);
        Ok(self.signed_response(object, payout))
    }

    fn three_ds_step1(
        &mut self,
        params: &Map<String, Value>,
        scripted: Option<&Outcome>,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        self.require(
            params,
            &[
                "order_id",
                "order_desc",
                "amount",
                "currency",
                "card_number",
                "expiry_date",
                "cvv2",
            ],
        )?;
        let card = text(params, "card_number").unwrap_or_default();
        // Flitt's documented test cards: (needs 3-D Secure, approves).
        let (needs_3ds, approves) = match card.as_str() {
            "4444555511116666" => (false, true),
            "4444111155556666" => (false, false),
            "4444111166665555" | "4444999966665555" | "4444666699995555" | "2222555566663333" => {
                (true, false)
            }
            _ => (true, true),
        };
        let mut order = self.new_order(params)?;
        order.masked_card = format!(
            "{}XXXXXX{}",
            card.get(..6).unwrap_or_default(),
            card.get(card.len().saturating_sub(4)..).unwrap_or_default()
        );
        let outcome = scripted.cloned().unwrap_or(if approves {
            Outcome::Approve
        } else {
            Outcome::Decline(ErrorCode::GeneralDecline)
        });
        if needs_3ds && scripted.is_none() {
            let md = format!("mockmd{}", order.payment_id);
            order.status = "processing".into();
            order.awaiting_3ds = Some((md.clone(), approves));
            self.store(order);
            let challenge = json!({
                "response_status": "success",
                "acs_url": format!("{}/test/testacs/", self.base_url),
                "pareq": "eJxVUk1vgkAQvfsrCPeyS8W2mnENSk16sDVqL72tOFmwsyrLgv777",
                "md": md,
            });
            return Ok(json_response(&json!({ "response": challenge })));
        }
        order.apply(&outcome);
        let order = self.store(order);
        let object = self.order_object(&order);
        Ok(self.signed_response(object, false))
    }

    fn three_ds_step2(
        &mut self,
        params: &Map<String, Value>,
        scripted: Option<&Outcome>,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        self.require(params, &["order_id", "pares", "md"])?;
        let order_id = text(params, "order_id").unwrap_or_default();
        let md = text(params, "md").unwrap_or_default();
        let Some(order) = self.orders.get(&order_id).cloned() else {
            return Err(self.error(1018, &format!("Order `{order_id}` not found")));
        };
        let Some((expected_md, approves)) = order.awaiting_3ds.clone() else {
            return Err(self.error(
                1019,
                &format!("Order `{order_id}` already has been completed"),
            ));
        };
        if md != expected_md {
            return Err(self.error(1007, "Parameter `md` is incorrect"));
        }
        let mut order = order;
        order.awaiting_3ds = None;
        let outcome = scripted.cloned().unwrap_or(if approves {
            Outcome::Approve
        } else {
            Outcome::Decline(ErrorCode::ThreeDsAuthenticationFailed)
        });
        order.apply(&outcome);
        self.orders.insert(order_id, order.clone());
        let mut object = self.order_object(&order);
        object.insert("eci".into(), "5".into());
        Ok(self.signed_response(object, false))
    }

    fn known_order(&mut self, params: &Map<String, Value>) -> Result<MockOrder, HttpMockResponse> {
        self.require(params, &["order_id"])?;
        let order_id = text(params, "order_id").unwrap_or_default();
        match self.orders.get(&order_id) {
            Some(order) => Ok(order.clone()),
            None => Err(self.error(1018, &format!("Order `{order_id}` not found"))),
        }
    }

    fn status(
        &mut self,
        params: &Map<String, Value>,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        let order = self.known_order(params)?;
        let object = self.order_object(&order);
        Ok(self.signed_response(object, order.signed_with_credit))
    }

    fn reverse(
        &mut self,
        params: &Map<String, Value>,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        self.require(params, &["order_id", "amount", "currency"])?;
        let mut order = self.known_order(params)?;
        let amount = amount_of(params).unwrap_or(0);
        let reverse_id = text(params, "reverse_id");
        let already = reverse_id
            .as_ref()
            .and_then(|id| order.reverse_ids.get(id).copied());
        if already.is_none() {
            if order.status != "approved" {
                return Err(self.error(
                    1019,
                    &format!("Order `{}` already has been completed", order.order_id),
                ));
            }
            if amount == 0 || order.reversed + amount > order.amount {
                return Err(self.error(1023, "Invalid amount"));
            }
            order.reversed += amount;
            if order.reversed == order.amount {
                order.status = "reversed".into();
            }
            if let Some(id) = &reverse_id {
                order.reverse_ids.insert(id.clone(), amount);
            }
            let reversal = transaction(&order, "reverse", amount, "approved");
            order.transactions.push(reversal);
            self.orders.insert(order.order_id.clone(), order.clone());
        }
        let mut object = Map::new();
        object.insert("order_id".into(), order.order_id.clone().into());
        object.insert("merchant_id".into(), self.merchant_id.into());
        object.insert("reverse_status".into(), order.status.clone().into());
        object.insert("reversal_amount".into(), order.reversed.to_string().into());
        object.insert("currency".into(), order.currency.clone().into());
        object.insert("reverse_id".into(), reverse_id.unwrap_or_default().into());
        object.insert("transaction_id".into(), (order.payment_id * 2 + 2).into());
        object.insert("response_status".into(), "success".into());
        object.insert("response_code".into(), "".into());
        object.insert("response_description".into(), "".into());
        Ok(self.signed_response(object, false))
    }

    fn capture(
        &mut self,
        params: &Map<String, Value>,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        self.require(params, &["order_id", "amount", "currency"])?;
        let mut order = self.known_order(params)?;
        let amount = amount_of(params).unwrap_or(0);
        match order.capture.clone() {
            None => return Err(self.error(1100, "Operation not allowed")),
            Some((status, captured)) if status == "captured" && captured != amount => {
                return Err(self.error(1109, "Order already captured with different amount"));
            }
            Some((status, _)) if status == "captured" => {}
            Some(_) => {
                if amount == 0 || amount > order.amount {
                    return Err(self.error(1023, "Invalid amount"));
                }
                order.capture = Some(("captured".into(), amount));
                let capture = transaction(&order, "capture", amount, "approved");
                order.transactions.push(capture);
                self.orders.insert(order.order_id.clone(), order.clone());
            }
        }
        let (capture_status, captured) = order.capture.clone().unwrap_or_default();
        let mut object = Map::new();
        object.insert("order_id".into(), order.order_id.clone().into());
        object.insert("merchant_id".into(), self.merchant_id.into());
        object.insert("capture_status".into(), capture_status.into());
        object.insert("capture_amount".into(), captured.to_string().into());
        object.insert("amount".into(), order.amount.to_string().into());
        object.insert("currency".into(), order.currency.clone().into());
        object.insert("response_status".into(), "success".into());
        object.insert("response_code".into(), "".into());
        object.insert("response_description".into(), "".into());
        Ok(self.signed_response(object, false))
    }

    fn subscription(
        &mut self,
        params: &Map<String, Value>,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        self.require(params, &["order_id", "action"])?;
        let mut order = self.known_order(params)?;
        if order.subscription.is_none() {
            return Err(self.error(1100, "Operation not allowed"));
        }
        let status = match text(params, "action").as_deref() {
            Some("stop") => "disabled",
            Some("start") => "active",
            _ => return Err(self.error(1007, "Parameter `action` is incorrect")),
        };
        order.subscription = Some(status.into());
        self.orders.insert(order.order_id.clone(), order.clone());
        let mut object = Map::new();
        object.insert("order_id".into(), order.order_id.clone().into());
        object.insert("merchant_id".into(), self.merchant_id.into());
        object.insert("status".into(), status.into());
        object.insert("response_status".into(), "success".into());
        Ok(self.signed_response(object, false))
    }

    fn transaction_list(
        &mut self,
        params: &Map<String, Value>,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        let order = self.known_order(params)?;
        let items: Vec<Value> = order
            .transactions
            .iter()
            .map(|t| match t {
                Value::Object(map) => Value::Object(self.sign(map.clone(), false).0),
                other => other.clone(),
            })
            .collect();
        Ok(json_response(&Value::Array(items)))
    }

    fn settlement(
        &mut self,
        params: &Map<String, Value>,
        scripted: Option<&Outcome>,
    ) -> Result<HttpMockResponse, HttpMockResponse> {
        self.require(params, &["order_id", "operation_id", "amount", "currency"])?;
        let operation_id = text(params, "operation_id").unwrap_or_default();
        match self.orders.get(&operation_id) {
            None => return Err(self.error(1018, &format!("Order `{operation_id}` not found"))),
            Some(o) if o.status != "approved" => {
                return Err(self.error(1114, "Settlement not allowed until order is captured"));
            }
            Some(_) => {}
        }
        if !matches!(params.get("receiver"), Some(Value::Array(items)) if !items.is_empty()) {
            return Err(self.error(1011, "Parameter `receiver` is missing"));
        }
        let mut order = self.new_order(params)?;
        order.tran_type = "settlement".into();
        order.apply(scripted.unwrap_or(&Outcome::Approve));
        let order = self.store(order);
        let mut object = self.order_object(&order);
        object.insert("parent_order_id".into(), operation_id.into());
        let data = payments_signing::digest::base64_encode(
            json!({ "order": Value::Object(object) })
                .to_string()
                .as_bytes(),
        );
        let signature = fondy::sign_v2(&self.secret, &data);
        Ok(json_response(&json!({"response": {
            "version": "2.0",
            "data": data,
            "signature": signature,
        }})))
    }
}

/// Alters a signed answer after signing: the amount grows by one.
fn tamper(response: HttpMockResponse) -> HttpMockResponse {
    let Some(body) = response.body.as_ref() else {
        return response;
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(body.as_ref()) else {
        return response;
    };
    let target = match &mut value {
        Value::Array(items) => items.first_mut(),
        other => other.get_mut("response"),
    };
    if let Some(Value::Object(inner)) = target {
        // A protocol 2.0 answer: alter the order inside `data`, keeping the signature.
        if let Some(data) = inner.get("data").and_then(Value::as_str) {
            let order = payments_signing::digest::base64_decode(data)
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
            if let Some(mut order) = order {
                if let Some(Value::Object(fields)) = order.get_mut("order") {
                    let bumped = fields
                        .get("amount")
                        .and_then(wire_text)
                        .and_then(|a| a.parse::<u64>().ok())
                        .map_or(1, |a| a + 1);
                    fields.insert("amount".into(), bumped.to_string().into());
                }
                let altered = payments_signing::digest::base64_encode(order.to_string().as_bytes());
                inner.insert("data".into(), altered.into());
            }
            return json_response(&value);
        }
        let bumped = inner
            .get("amount")
            .and_then(wire_text)
            .and_then(|a| a.parse::<u64>().ok())
            .map(|a| (a + 1).to_string())
            .unwrap_or_else(|| "1".into());
        inner.insert("amount".into(), bumped.into());
    }
    json_response(&value)
}
