//! A mock Cardflo gateway on loopback for your own tests (feature `testing`).
//!
//! [`MockGateway`] answers every operation of the Transaction API with the documented
//! examples. Like the real gateway it checks HTTP Basic authentication (401 otherwise) and
//! recomputes the `X-Signature` of every request (general error 1004 otherwise), so a test
//! against it also proves that your requests are signed correctly. Script outcomes per
//! operation with [`MockGateway::script`]; count requests with [`MockGateway::hits`]; read
//! everything it received with [`MockGateway::requests`].
//!
//! ```
//! use cardflo_client::testing::{MockGateway, Operation, Outcome};
//! use cardflo_client::model::{DebitRequest, TransactionOutcome};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), cardflo_client::Error> {
//! let gateway = MockGateway::start().await;
//! let client = gateway.client();
//! let debit = DebitRequest::new("order-1", "9.99".parse::<cardflo_client::Amount>()?, "EUR");
//!
//! assert!(client.debit(&debit).await?.outcome.is_finished());
//!
//! gateway.script(Operation::Debit, Outcome::Redirect { url: "https://acs.example/3ds".into() });
//! let TransactionOutcome::Redirect(redirect) = client.debit(&debit).await?.outcome else { unreachable!() };
//! assert_eq!(redirect.url, "https://acs.example/3ds");
//! assert_eq!(gateway.hits(Operation::Debit), 2);
//!
//! let sent = &gateway.requests()[0];
//! assert_eq!(sent.method(), "POST");
//! assert_eq!(sent.path(), "/api/v3/transaction/my-api-key/debit");
//! assert_eq!(sent.json().unwrap()["merchantTransactionId"], "order-1");
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::auth::{Connector, Credentials};
pub use crate::operation::Operation;
use crate::{Client, ClientBuilder, scrub};

/// The mock's default API username (the documentation's example).
pub const API_USER: &str = "anyApiUser";
/// The mock's default API password (the documentation's example).
pub const API_PASSWORD: &str = "myPassword";
/// The mock's default connector API key (the documentation's example).
pub const API_KEY: &str = "my-api-key";
/// The mock's default shared secret (the documentation's example).
pub const SHARED_SECRET: &str = "my-shared-secret";
/// The path under which the mock serves the API, like the real gateway.
pub const BASE_PATH: &str = "/api/v3";

/// The credentials a [`MockGateway`] accepts: the API user's [`Credentials`] and the
/// [`Connector`] (API key, and the shared secret when requests must be signed). The default
/// is the documentation's example ([`API_USER`], [`API_PASSWORD`], [`API_KEY`],
/// [`SHARED_SECRET`]).
///
/// ```
/// use cardflo_client::SecretString;
/// use cardflo_client::auth::{Connector, Credentials};
/// use cardflo_client::testing::MockCredentials;
///
/// let credentials = MockCredentials::new(
///     Credentials::new("shop-user", SecretString::from("pw-7f3a9c")),
///     Connector::new("card-eur").shared_secret(SecretString::from("ss-91be04")),
/// );
/// assert!(!format!("{credentials:?}").contains("pw-7f3a9c"));
/// assert!(!format!("{credentials:?}").contains("ss-91be04"));
/// ```
#[derive(Clone)]
pub struct MockCredentials {
    credentials: Credentials,
    connector: Connector,
}

impl MockCredentials {
    /// The credentials and connector the mock accepts. A connector without a shared secret
    /// makes the mock accept unsigned requests (like a connector without request signing).
    pub fn new(credentials: Credentials, connector: Connector) -> Self {
        Self {
            credentials,
            connector,
        }
    }

    /// The API user's credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The connector.
    pub fn connector(&self) -> &Connector {
        &self.connector
    }
}

impl Default for MockCredentials {
    fn default() -> Self {
        Self::new(
            Credentials::new(API_USER, SecretString::from(API_PASSWORD)),
            Connector::new(API_KEY).shared_secret(SecretString::from(SHARED_SECRET)),
        )
    }
}

impl fmt::Debug for MockCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockCredentials")
            .field("credentials", &self.credentials)
            .field("connector", &self.connector)
            .finish()
    }
}

/// What the mock checks, prepared once.
struct Expected {
    authorization: SecretString,
    api_key: String,
    shared_secret: Option<SecretString>,
}

impl Expected {
    fn new(credentials: &MockCredentials) -> Self {
        Self {
            authorization: credentials.credentials.authorization(),
            api_key: credentials.connector.api_key().to_owned(),
            shared_secret: credentials.connector.shared_secret_ref().cloned(),
        }
    }

    fn authenticated(&self, req: &HttpMockRequest) -> bool {
        let headers = req.headers();
        header(&headers, "authorization").is_some_and(|v| {
            payments_signing::digest::constant_time_eq(
                v.as_bytes(),
                self.authorization.expose_secret().as_bytes(),
            )
        })
    }

    /// Recomputes the signature from the raw request, independently of the client.
    fn signed(&self, req: &HttpMockRequest) -> bool {
        let Some(secret) = &self.shared_secret else {
            return true;
        };
        let headers = req.headers();
        let (Some(signature), Some(content_type)) = (
            header(&headers, "x-signature"),
            header(&headers, "content-type"),
        ) else {
            return false;
        };
        let date = header(&headers, "x-date").or_else(|| header(&headers, "date"));
        let Some(date) = date else { return false };
        if header(&headers, "date").is_some_and(|d| d != date) {
            return false;
        }
        let uri = req.uri();
        let request_uri = uri.path_and_query().map_or("/", |pq| pq.as_str());
        payments_signing::ixopay::verify(
            secret.expose_secret(),
            &payments_signing::ixopay::SignatureInput {
                method: req.method().as_str(),
                body: req.body_ref(),
                content_type,
                date,
                request_uri,
            },
            signature,
            &[payments_signing::ixopay::BodyDigest::Sha512],
        )
    }

    fn accepted(&self, req: &HttpMockRequest) -> bool {
        self.authenticated(req) && self.signed(req)
    }

    /// The operation a request addresses (method, and path under [`BASE_PATH`] with this API key).
    fn operation_of(&self, req: &HttpMockRequest) -> Option<Operation> {
        let uri = req.uri();
        let method = req.method();
        Operation::ALL
            .into_iter()
            .find(|op| self.matches(*op, &method, uri.path()))
    }

    fn matches(&self, op: Operation, method: &http::Method, path: &str) -> bool {
        if *method != op.method() {
            return false;
        }
        let Some(rest) = path.strip_prefix(BASE_PATH) else {
            return false;
        };
        let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
        let key_ok = |key: &str| percent_decode(key) == self.api_key;
        match (op, segments.as_slice()) {
            (op, ["transaction", key, action]) => {
                key_ok(key) && op.transaction_path() == Some(*action)
            }
            (Operation::StatusByUuid, ["status", key, "getByUuid", id])
            | (
                Operation::StatusByMerchantTransactionId,
                ["status", key, "getByMerchantTransactionId", id],
            ) => key_ok(key) && !id.is_empty(),
            (Operation::StartSchedule, ["schedule", key, "start"]) => key_ok(key),
            (Operation::UpdateSchedule, ["schedule", key, id, "update"])
            | (Operation::GetSchedule, ["schedule", key, id, "get"])
            | (Operation::PauseSchedule, ["schedule", key, id, "pause"])
            | (Operation::ContinueSchedule, ["schedule", key, id, "continue"])
            | (Operation::CancelSchedule, ["schedule", key, id, "cancel"])
            | (Operation::Options, ["options", key, id]) => key_ok(key) && !id.is_empty(),
            _ => false,
        }
    }
}

/// How the mock answers an operation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// The documented success: `FINISHED` for transactions, `SUCCESS` for status calls, the
    /// documented answers of the schedule and options calls. The default.
    Finished,
    /// A transaction answer `REDIRECT` to this URL (status calls: `transactionStatus: REDIRECT`).
    Redirect {
        /// `redirectUrl`.
        url: String,
    },
    /// A transaction answer `HTML` with this content.
    Html {
        /// `htmlContent`.
        content: String,
    },
    /// A transaction answer `PENDING` (status calls: `transactionStatus: PENDING`).
    Pending,
    /// A declined transaction: `returnType: ERROR` (status calls: `transactionStatus: ERROR`).
    Declined {
        /// The gateway's error code (e.g. 2003).
        code: u32,
        /// The gateway's message.
        message: String,
    },
    /// A general error `{"success": false, "errorMessage", "errorCode"}` with HTTP 200.
    GeneralError {
        /// The error code (e.g. 7070).
        code: u32,
        /// The message.
        message: String,
    },
    /// Error 8001, "Transaction not found".
    NotFound,
    /// A raw HTTP answer (e.g. a 502 HTML page, a 429 with `Retry-After`).
    Http {
        /// The status code.
        status: u16,
        /// The body.
        body: String,
        /// A `Retry-After` header in seconds.
        retry_after: Option<u64>,
    },
    /// A custom JSON body with HTTP 200.
    Json(Value),
    /// The [`Outcome::Finished`] answer, but only after this delay: use a shorter client
    /// timeout to simulate a gateway that does not answer in time.
    Timeout(Duration),
}

/// A request as the mock received it. Its `Debug` hides the credentials, the signature, the
/// API key and sensitive body fields (card numbers, IBANs, tokens).
#[derive(Clone)]
pub struct RecordedRequest {
    operation: Option<Operation>,
    accepted: bool,
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    api_key: Arc<str>,
}

impl RecordedRequest {
    fn new(req: &HttpMockRequest, expected: &Expected, api_key: &Arc<str>) -> Self {
        let uri = req.uri();
        let headers = req
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        Self {
            operation: expected.operation_of(req),
            accepted: expected.accepted(req),
            method: req.method().as_str().to_owned(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            headers,
            body: req.body_ref().to_vec(),
            api_key: Arc::clone(api_key),
        }
    }

    /// The HTTP method (`POST`).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path, as sent (percent-encoded): `/api/v3/transaction/my-api-key/debit`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query string without `?`, when there was one.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// A header's value (the name in any case; the first value when repeated).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every header, names in lower case, in the order received.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The operation the request addressed (method and path, with the mock's API key).
    pub fn operation(&self) -> Option<Operation> {
        self.operation
    }

    /// Whether the mock accepted the request: right credentials and, for a signing
    /// connector, a valid signature.
    pub fn is_accepted(&self) -> bool {
        self.accepted
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.api_key.is_empty() {
            self.path.clone()
        } else {
            self.path.replace(&*self.api_key, "[API_KEY]")
        };
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| match n.as_str() {
                "authorization" | "x-signature" | "cookie" => (n.as_str(), "[REDACTED]"),
                _ => (n.as_str(), v.as_str()),
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("operation", &self.operation)
            .field("accepted", &self.accepted)
            .field("method", &self.method)
            .field("path", &path)
            .field("query", &self.query.as_deref().map(scrub::text))
            .field("headers", &headers)
            .field("body", &scrub::excerpt(&self.body))
            .finish()
    }
}

#[derive(Default)]
struct State {
    outcomes: HashMap<Operation, (u64, Outcome)>,
    generation: u64,
    requests: Vec<RecordedRequest>,
}

/// A mock gateway on `127.0.0.1`. Dropping it stops it.
pub struct MockGateway {
    server: MockServer,
    state: Arc<Mutex<State>>,
    credentials: MockCredentials,
    expected: Arc<Expected>,
}

impl fmt::Debug for MockGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockGateway")
            .field("base_url", &self.base_url())
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn json_response(status: u16, body: &Value, retry_after: Option<u64>) -> HttpMockResponse {
    let mut builder = HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json");
    if let Some(seconds) = retry_after {
        builder = builder.header("retry-after", seconds.to_string());
    }
    builder.body(body.to_string()).build()
}

/// The documented examples the mock answers with.
mod documented {
    pub(super) const FINISHED: &str = r#"{"success":true,"uuid":"abcde12345abcde12345","purchaseId":"20190927-abcde12345abcde12345","returnType":"FINISHED","paymentMethod":"Creditcard"}"#;
    pub(super) const REDIRECT: &str = r#"{"success":true,"uuid":"abcde12345abcde12345","purchaseId":"20190927-abcde12345abcde12345","returnType":"REDIRECT","redirectUrl":"https://redirectComesUrlHere.com","paymentMethod":"Creditcard"}"#;
    pub(super) const PENDING: &str = r#"{"success":true,"uuid":"abcde12345abcde12345","purchaseId":"20190927-abcde12345abcde12345","returnType":"PENDING","paymentMethod":"Creditcard"}"#;
    pub(super) const ERROR: &str = r#"{"success":false,"uuid":"abcde12345abcde12345","purchaseId":"20190927-abcde12345abcde12345","returnType":"ERROR","paymentMethod":"Creditcard","errors":[{"errorMessage":"Request failed","errorCode":1000,"adapterMessage":"Invalid parameters given","adapterCode":"1234"}]}"#;
    pub(super) const STATUS_SUCCESS: &str = r#"{"success":true,"transactionStatus":"SUCCESS","uuid":"abcde12345abcde12345","merchantTransactionId":"2019-09-02-0001","purchaseId":"20190902-abcde12345abcde12345","transactionType":"debit","paymentMethod":"Creditcard","amount":"9.99","currency":"EUR","customer":{"firstName":"John","lastName":"Doe","company":"ACME Corp.","emailVerified":true},"extraData":{"someKey":"someValue","otherKey":"otherValue"},"returnData":{"creditcardData":{"type":"visa","cardHolder":"John Doe","expiryMonth":12,"expiryYear":2030,"binDigits":"12345678","firstSixDigits":"123456","lastFourDigits":"4321","threeDSecure":"OFF","binBrand":"VISA","binBank":"SOME BIG BANK","binCountry":"US"}}}"#;
    pub(super) const STATUS_ERROR: &str = r#"{"success":true,"transactionStatus":"ERROR","uuid":"abcde12345abcde12345","merchantTransactionId":"2019-09-02-0001","purchaseId":"20190902-abcde12345abcde12345","transactionType":"DEBIT","paymentMethod":"Creditcard","amount":"9.99","currency":"EUR","errors":[{"message":"Payment could not be processed.","code":"1234","adapterMessage":"Processing failed.","adapterCode":"1000"}]}"#;
    pub(super) const NOT_FOUND: &str =
        r#"{"success":false,"errorMessage":"Transaction not found","errorCode":8001}"#;
    pub(super) const SCHEDULE_START: &str = r#"{"success":true,"scheduleId":"SC-1234-1234-1234-1234-1234-1234","registrationUuid":"abcde12345abcde12345","oldStatus":"NON-EXISTING","newStatus":"ACTIVE","scheduledAt":"2019-09-30T12:00:00+00:00"}"#;
    pub(super) const SCHEDULE_UPDATE_GET: &str = r#"{"success":true,"scheduleId":"SC-1234-1234-1234-1234-1234-1234","registrationUuid":"abcde12345abcde12345","oldStatus":"ACTIVE","newStatus":"ACTIVE","scheduledAt":"2019-09-30T12:00:00+00:00"}"#;
    pub(super) const SCHEDULE_PAUSE: &str = r#"{"success":true,"scheduleId":"SC-1234-1234-1234-1234-1234-1234","oldStatus":"ACTIVE","newStatus":"PAUSED"}"#;
    pub(super) const SCHEDULE_CONTINUE: &str = r#"{"success":true,"scheduleId":"SC-1234-1234-1234-1234-1234-1234","oldStatus":"PAUSED","newStatus":"ACTIVE","scheduledAt":"2019-10-05T14:26:11+00:00"}"#;
    pub(super) const SCHEDULE_CANCEL: &str = r#"{"success":true,"scheduleId":"SC-1234-1234-1234-1234-1234-1234","oldStatus":"ACTIVE","newStatus":"CANCELLED"}"#;
    pub(super) const OPTIONS: &str = r#"{"success":true,"options":{"bank1":"Bank One","bank2":"Bank Two","bank3":"Bank Three","bank4":"Bank Four"}}"#;
    pub(super) const SIGNATURE_INVALID: &str =
        r#"{"success":false,"errorMessage":"Signature invalid","errorCode":1004}"#;
}

fn parse(doc: &str) -> Value {
    serde_json::from_str(doc).unwrap_or(Value::Null)
}

fn general_error(code: u32, message: &str) -> Value {
    json!({"success": false, "errorMessage": message, "errorCode": code})
}

/// The answer to a valid request of `op` under `outcome`.
fn answer(op: Operation, outcome: &Outcome, req: &HttpMockRequest) -> HttpMockResponse {
    let is_transaction = op.transaction_path().is_some();
    let is_status = matches!(
        op,
        Operation::StatusByUuid | Operation::StatusByMerchantTransactionId
    );
    let body = match outcome {
        Outcome::Http {
            status,
            body,
            retry_after,
        } => {
            let mut builder = HttpMockResponse::builder().status(*status);
            if let Some(seconds) = retry_after {
                builder = builder.header("retry-after", seconds.to_string());
            }
            return builder.body(body.clone()).build();
        }
        Outcome::Json(value) => value.clone(),
        Outcome::GeneralError { code, message } => general_error(*code, message),
        Outcome::NotFound => parse(documented::NOT_FOUND),
        Outcome::Finished | Outcome::Timeout(_) if is_transaction => parse(documented::FINISHED),
        Outcome::Redirect { url } if is_transaction => {
            let mut v = parse(documented::REDIRECT);
            v["redirectUrl"] = Value::String(url.clone());
            v
        }
        Outcome::Html { content } if is_transaction => json!({
            "success": true,
            "uuid": "abcde12345abcde12345",
            "purchaseId": "20190927-abcde12345abcde12345",
            "returnType": "HTML",
            "htmlContent": content,
            "paymentMethod": "Creditcard"
        }),
        Outcome::Pending if is_transaction => parse(documented::PENDING),
        Outcome::Declined { code, message } if is_transaction => {
            let mut v = parse(documented::ERROR);
            v["errors"][0]["errorCode"] = json!(code);
            v["errors"][0]["errorMessage"] = json!(message);
            v
        }
        _ if is_status => {
            let mut v = match outcome {
                Outcome::Declined { code, message } => {
                    let mut v = parse(documented::STATUS_ERROR);
                    v["errors"][0]["code"] = json!(code.to_string());
                    v["errors"][0]["message"] = json!(message);
                    v
                }
                _ => parse(documented::STATUS_SUCCESS),
            };
            match outcome {
                Outcome::Pending => v["transactionStatus"] = json!("PENDING"),
                Outcome::Redirect { .. } => v["transactionStatus"] = json!("REDIRECT"),
                _ => {}
            }
            // Echo the id that was asked for.
            let uri = req.uri();
            if let Some(id) = uri.path().rsplit('/').next() {
                let key = if op == Operation::StatusByUuid {
                    "uuid"
                } else {
                    "merchantTransactionId"
                };
                v[key] = json!(percent_decode(id));
            }
            v
        }
        Outcome::Declined { code, message } => general_error(*code, message),
        _ => parse(match op {
            Operation::StartSchedule => documented::SCHEDULE_START,
            Operation::UpdateSchedule | Operation::GetSchedule => documented::SCHEDULE_UPDATE_GET,
            Operation::PauseSchedule => documented::SCHEDULE_PAUSE,
            Operation::ContinueSchedule => documented::SCHEDULE_CONTINUE,
            Operation::CancelSchedule => documented::SCHEDULE_CANCEL,
            Operation::Options => documented::OPTIONS,
            _ => documented::FINISHED,
        }),
    };
    json_response(200, &body, None)
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

impl MockGateway {
    /// Starts a mock gateway with the documentation's example credentials
    /// ([`MockCredentials::default`]), answering every operation with its documented success.
    pub async fn start() -> MockGateway {
        Self::start_with(MockCredentials::default()).await
    }

    /// Starts a mock gateway that accepts only these credentials (and, when the connector has
    /// a shared secret, only requests signed with it).
    ///
    /// ```
    /// use cardflo_client::SecretString;
    /// use cardflo_client::auth::{Connector, Credentials};
    /// use cardflo_client::testing::{MockCredentials, MockGateway, Operation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), cardflo_client::Error> {
    /// let gateway = MockGateway::start_with(MockCredentials::new(
    ///     Credentials::new("shop-user", SecretString::from("pw-7f3a9c")),
    ///     Connector::new("card-eur").shared_secret(SecretString::from("ss-91be04")),
    /// ))
    /// .await;
    /// let status = gateway.client().status_by_uuid("abcde12345abcde12345").await?;
    /// assert!(status.is_success());
    /// assert_eq!(gateway.hits(Operation::StatusByUuid), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_with(credentials: MockCredentials) -> MockGateway {
        let server = MockServer::start_async().await;
        let state = Arc::new(Mutex::new(State::default()));
        let expected = Arc::new(Expected::new(&credentials));
        let api_key: Arc<str> = Arc::from(credentials.connector.api_key());

        // First (so evaluated for every request, exactly once): record, never match.
        let recorder_state = Arc::clone(&state);
        let recorder_expected = Arc::clone(&expected);
        server
            .mock_async(move |when, then| {
                when.is_true(move |req: &HttpMockRequest| {
                    let recorded = RecordedRequest::new(req, &recorder_expected, &api_key);
                    lock(&recorder_state).requests.push(recorded);
                    false
                });
                then.status(500);
            })
            .await;
        // Wrong or missing credentials: 401.
        let e = Arc::clone(&expected);
        server
            .mock_async(move |when, then| {
                when.is_true(move |req: &HttpMockRequest| !e.authenticated(req));
                then.respond_with(|_req: &HttpMockRequest| {
                    json_response(
                        401,
                        &json!({"success": false, "errorMessage": "Invalid credentials"}),
                        None,
                    )
                });
            })
            .await;
        // Authenticated but wrongly signed: the documented general error 1004.
        let e = Arc::clone(&expected);
        server
            .mock_async(move |when, then| {
                when.is_true(move |req: &HttpMockRequest| e.authenticated(req) && !e.signed(req));
                then.respond_with(|_req: &HttpMockRequest| {
                    json_response(200, &parse(documented::SIGNATURE_INVALID), None)
                });
            })
            .await;
        // Valid but unknown endpoint or API key.
        let e = Arc::clone(&expected);
        server
            .mock_async(move |when, then| {
                when.is_true(move |req: &HttpMockRequest| {
                    e.accepted(req) && e.operation_of(req).is_none()
                });
                then.respond_with(|_req: &HttpMockRequest| {
                    json_response(
                        404,
                        &json!({"success": false, "errorMessage": "Unknown endpoint or API key"}),
                        None,
                    )
                });
            })
            .await;

        for op in Operation::ALL {
            let matcher_state = Arc::clone(&state);
            let responder_state = Arc::clone(&state);
            let e = Arc::clone(&expected);
            server
                .mock_async(move |when, then| {
                    when.is_true(move |req: &HttpMockRequest| {
                        e.matches(op, &req.method(), req.uri().path())
                            && e.accepted(req)
                            && !matches!(
                                lock(&matcher_state).outcomes.get(&op),
                                Some((_, Outcome::Timeout(_)))
                            )
                    });
                    then.respond_with(move |req: &HttpMockRequest| {
                        let outcome = lock(&responder_state)
                            .outcomes
                            .get(&op)
                            .map(|(_, o)| o.clone())
                            .unwrap_or(Outcome::Finished);
                        answer(op, &outcome, req)
                    });
                })
                .await;
        }

        MockGateway {
            server,
            state,
            credentials,
            expected,
        }
    }

    /// The base URL to configure a client with (`http://127.0.0.1:<port>/api/v3`).
    pub fn base_url(&self) -> String {
        self.server.url(BASE_PATH)
    }

    /// The credentials the mock accepts.
    pub fn credentials(&self) -> &MockCredentials {
        &self.credentials
    }

    /// A client builder already pointed at the mock with its credentials (signing when the
    /// connector has a shared secret), and short retry delays (10 to 100 ms). Add your own
    /// options (clock, timeouts) before `build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(
            self.credentials.credentials.clone(),
            self.credentials.connector.clone(),
        )
        .base_url(self.base_url())
        .retry_backoff(Duration::from_millis(10), Duration::from_millis(100))
    }

    /// A client pointed at the mock, with the mock's credentials.
    ///
    /// # Panics
    ///
    /// Never in practice: the mock's configuration is always valid.
    #[allow(clippy::expect_used)]
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the mock gateway's client configuration is valid")
    }

    /// From now on, answer `operation` with `outcome` (until scripted again or [`reset`](Self::reset)).
    pub fn script(&self, operation: Operation, outcome: Outcome) {
        let delay = match &outcome {
            Outcome::Timeout(delay) => Some(*delay),
            _ => None,
        };
        let generation = {
            let mut state = lock(&self.state);
            state.generation += 1;
            let generation = state.generation;
            state.outcomes.insert(operation, (generation, outcome));
            generation
        };
        if let Some(delay) = delay {
            self.add_delayed_mock(operation, generation, delay);
        }
    }

    /// A mock that answers `operation` after `delay`, while the script of `generation` is
    /// current. Registered from a helper thread: the mock server's synchronous API runs its
    /// own short-lived runtime, which must not be nested in the caller's.
    fn add_delayed_mock(&self, op: Operation, generation: u64, delay: Duration) {
        let matcher_state = Arc::clone(&self.state);
        let e = Arc::clone(&self.expected);
        let server = &self.server;
        let registered = std::thread::scope(|scope| {
            scope
                .spawn(move || {
                    server.mock(move |when, then| {
                        when.is_true(move |req: &HttpMockRequest| {
                            e.matches(op, &req.method(), req.uri().path())
                                && e.accepted(req)
                                && lock(&matcher_state)
                                    .outcomes
                                    .get(&op)
                                    .is_some_and(|(g, _)| *g == generation)
                        });
                        then.delay(delay)
                            .respond_with(move |req: &HttpMockRequest| {
                                answer(op, &Outcome::Finished, req)
                            });
                    });
                })
                .join()
        });
        if let Err(panic) = registered {
            std::panic::resume_unwind(panic);
        }
    }

    /// Back to the documented success for every operation (the recorded requests stay).
    pub fn reset(&self) {
        lock(&self.state).outcomes.clear();
    }

    /// How many accepted (authenticated and, for a signing connector, correctly signed)
    /// requests of `operation` the mock received, including those still waiting for a
    /// scripted [`Outcome::Timeout`].
    pub fn hits(&self, operation: Operation) -> usize {
        lock(&self.state)
            .requests
            .iter()
            .filter(|r| r.accepted && r.operation == Some(operation))
            .count()
    }

    /// How many requests the mock rejected (bad credentials, bad signature, unknown endpoint
    /// or API key).
    pub fn rejected(&self) -> usize {
        lock(&self.state)
            .requests
            .iter()
            .filter(|r| !r.accepted || r.operation.is_none())
            .count()
    }

    /// Every request the mock received, in order, accepted or not.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }
}
