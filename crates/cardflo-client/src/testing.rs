//! A mock Cardflo gateway on loopback for your own tests (feature `testing`).
//!
//! [`MockGateway`] answers every operation of the Transaction API with the documented
//! examples. Like the real gateway it checks HTTP Basic authentication (401 otherwise) and
//! recomputes the `X-Signature` of every request (general error 1004 otherwise), so a test
//! against it also proves that your requests are signed correctly. Script outcomes per
//! operation with [`MockGateway::script`]; count requests with [`MockGateway::hits`].
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
//! gateway.script(Operation::Debit, Outcome::Redirect { url: "https://acs.example/3ds".into() }).await;
//! let TransactionOutcome::Redirect(redirect) = client.debit(&debit).await?.outcome else { unreachable!() };
//! assert_eq!(redirect.url, "https://acs.example/3ds");
//! assert_eq!(gateway.hits(Operation::Debit).await, 2);
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, Mock, MockServer};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::auth::{Connector, Credentials};
use crate::{Client, ClientBuilder};

/// The mock's API username (the documentation's example).
pub const API_USER: &str = "anyApiUser";
/// The mock's API password (the documentation's example).
pub const API_PASSWORD: &str = "myPassword";
/// The mock's connector API key (the documentation's example).
pub const API_KEY: &str = "my-api-key";
/// The mock's shared secret (the documentation's example).
pub const SHARED_SECRET: &str = "my-shared-secret";
/// The path under which the mock serves the API, like the real gateway.
pub const BASE_PATH: &str = "/api/v3";

/// An operation of the API, for scripting and counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /transaction/{apiKey}/debit`
    Debit,
    /// `POST /transaction/{apiKey}/preauthorize`
    Preauthorize,
    /// `POST /transaction/{apiKey}/capture`
    Capture,
    /// `POST /transaction/{apiKey}/void`
    Void,
    /// `POST /transaction/{apiKey}/register`
    Register,
    /// `POST /transaction/{apiKey}/deregister`
    Deregister,
    /// `POST /transaction/{apiKey}/refund`
    Refund,
    /// `POST /transaction/{apiKey}/payout`
    Payout,
    /// `POST /transaction/{apiKey}/incrementalAuthorization`
    IncrementalAuthorization,
    /// `GET /status/{apiKey}/getByUuid/{uuid}`
    StatusByUuid,
    /// `GET /status/{apiKey}/getByMerchantTransactionId/{merchantTransactionId}`
    StatusByMerchantTransactionId,
    /// `POST /schedule/{apiKey}/start`
    StartSchedule,
    /// `POST /schedule/{apiKey}/{scheduleId}/update`
    UpdateSchedule,
    /// `GET /schedule/{apiKey}/{scheduleId}/get`
    GetSchedule,
    /// `POST /schedule/{apiKey}/{scheduleId}/pause`
    PauseSchedule,
    /// `POST /schedule/{apiKey}/{scheduleId}/continue`
    ContinueSchedule,
    /// `POST /schedule/{apiKey}/{scheduleId}/cancel`
    CancelSchedule,
    /// `POST /options/{apiKey}/{optionsName}`
    Options,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 18] = [
        Operation::Debit,
        Operation::Preauthorize,
        Operation::Capture,
        Operation::Void,
        Operation::Register,
        Operation::Deregister,
        Operation::Refund,
        Operation::Payout,
        Operation::IncrementalAuthorization,
        Operation::StatusByUuid,
        Operation::StatusByMerchantTransactionId,
        Operation::StartSchedule,
        Operation::UpdateSchedule,
        Operation::GetSchedule,
        Operation::PauseSchedule,
        Operation::ContinueSchedule,
        Operation::CancelSchedule,
        Operation::Options,
    ];

    fn transaction_path(self) -> Option<&'static str> {
        Some(match self {
            Operation::Debit => "debit",
            Operation::Preauthorize => "preauthorize",
            Operation::Capture => "capture",
            Operation::Void => "void",
            Operation::Register => "register",
            Operation::Deregister => "deregister",
            Operation::Refund => "refund",
            Operation::Payout => "payout",
            Operation::IncrementalAuthorization => "incrementalAuthorization",
            _ => return None,
        })
    }

    fn method(self) -> http::Method {
        match self {
            Operation::StatusByUuid
            | Operation::StatusByMerchantTransactionId
            | Operation::GetSchedule => http::Method::GET,
            _ => http::Method::POST,
        }
    }

    /// Whether a request is this operation (method, and path under [`BASE_PATH`] with [`API_KEY`]).
    fn matches(self, method: &http::Method, path: &str) -> bool {
        if *method != self.method() {
            return false;
        }
        let Some(rest) = path.strip_prefix(BASE_PATH) else {
            return false;
        };
        let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
        match (self, segments.as_slice()) {
            (op, ["transaction", key, action]) => {
                *key == API_KEY && op.transaction_path() == Some(*action)
            }
            (Operation::StatusByUuid, ["status", key, "getByUuid", id]) => {
                *key == API_KEY && !id.is_empty()
            }
            (
                Operation::StatusByMerchantTransactionId,
                ["status", key, "getByMerchantTransactionId", id],
            ) => *key == API_KEY && !id.is_empty(),
            (Operation::StartSchedule, ["schedule", key, "start"]) => *key == API_KEY,
            (Operation::UpdateSchedule, ["schedule", key, id, "update"])
            | (Operation::GetSchedule, ["schedule", key, id, "get"])
            | (Operation::PauseSchedule, ["schedule", key, id, "pause"])
            | (Operation::ContinueSchedule, ["schedule", key, id, "continue"])
            | (Operation::CancelSchedule, ["schedule", key, id, "cancel"]) => {
                *key == API_KEY && !id.is_empty()
            }
            (Operation::Options, ["options", key, name]) => *key == API_KEY && !name.is_empty(),
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

#[derive(Default)]
struct State {
    outcomes: HashMap<Operation, (u64, Outcome)>,
    generation: u64,
}

/// A mock gateway on `127.0.0.1`. Dropping it stops it.
pub struct MockGateway {
    server: MockServer,
    state: Arc<Mutex<State>>,
    mock_ids: Mutex<HashMap<Operation, Vec<usize>>>,
    guard_ids: Vec<usize>,
}

impl fmt::Debug for MockGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockGateway")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn authenticated(req: &HttpMockRequest) -> bool {
    let expected = payments_signing::http::basic_auth(API_USER, API_PASSWORD);
    header(&req.headers(), "authorization").is_some_and(|v| {
        payments_signing::digest::constant_time_eq(v.as_bytes(), expected.as_bytes())
    })
}

/// Recomputes the signature from the raw request, independently of the client.
fn signed(req: &HttpMockRequest) -> bool {
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
        SHARED_SECRET,
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

fn operation_of(req: &HttpMockRequest) -> Option<Operation> {
    let uri = req.uri();
    let method = req.method();
    Operation::ALL
        .into_iter()
        .find(|op| op.matches(&method, uri.path()))
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
    /// Starts a mock gateway answering every operation with its documented success.
    pub async fn start() -> MockGateway {
        let server = MockServer::start_async().await;
        let state = Arc::new(Mutex::new(State::default()));

        let mut guard_ids = Vec::new();
        // Wrong or missing credentials: 401.
        let unauthenticated = server
            .mock_async(|when, then| {
                when.is_true(|req: &HttpMockRequest| !authenticated(req));
                then.respond_with(|_req: &HttpMockRequest| {
                    json_response(
                        401,
                        &json!({"success": false, "errorMessage": "Invalid credentials"}),
                        None,
                    )
                });
            })
            .await;
        guard_ids.push(unauthenticated.id);
        // Authenticated but wrongly signed: the documented general error 1004.
        let unsigned = server
            .mock_async(|when, then| {
                when.is_true(|req: &HttpMockRequest| authenticated(req) && !signed(req));
                then.respond_with(|_req: &HttpMockRequest| {
                    json_response(200, &parse(documented::SIGNATURE_INVALID), None)
                });
            })
            .await;
        guard_ids.push(unsigned.id);
        // Valid but unknown endpoint or API key.
        let unknown = server
            .mock_async(|when, then| {
                when.is_true(|req: &HttpMockRequest| {
                    authenticated(req) && signed(req) && operation_of(req).is_none()
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
        guard_ids.push(unknown.id);

        let mut mock_ids: HashMap<Operation, Vec<usize>> = HashMap::new();
        for op in Operation::ALL {
            let matcher_state = Arc::clone(&state);
            let responder_state = Arc::clone(&state);
            let mock = server
                .mock_async(move |when, then| {
                    when.is_true(move |req: &HttpMockRequest| {
                        op.matches(&req.method(), req.uri().path())
                            && authenticated(req)
                            && signed(req)
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
            mock_ids.entry(op).or_default().push(mock.id);
        }

        MockGateway {
            server,
            state,
            mock_ids: Mutex::new(mock_ids),
            guard_ids,
        }
    }

    /// The base URL to configure a client with (`http://127.0.0.1:<port>/api/v3`).
    pub fn base_url(&self) -> String {
        self.server.url(BASE_PATH)
    }

    /// A client builder already pointed at the mock with its credentials and signing enabled,
    /// and short retry delays. Add your own options (clock, timeouts) before `build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(
            Credentials::new(API_USER, SecretString::from(API_PASSWORD)),
            Connector::new(API_KEY).shared_secret(SecretString::from(SHARED_SECRET)),
        )
        .base_url(self.base_url())
        .retry_base_delay(Duration::from_millis(10))
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

    /// From now on, answer `operation` with `outcome` (until scripted again).
    pub async fn script(&self, operation: Operation, outcome: Outcome) {
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
            self.add_delayed_mock(operation, generation, delay).await;
        }
    }

    /// A mock that answers `operation` after `delay`, while the script of `generation` is current.
    async fn add_delayed_mock(&self, op: Operation, generation: u64, delay: Duration) {
        let matcher_state = Arc::clone(&self.state);
        let mock = self
            .server
            .mock_async(move |when, then| {
                when.is_true(move |req: &HttpMockRequest| {
                    op.matches(&req.method(), req.uri().path())
                        && authenticated(req)
                        && signed(req)
                        && lock(&matcher_state)
                            .outcomes
                            .get(&op)
                            .is_some_and(|(g, _)| *g == generation)
                });
                then.delay(delay)
                    .respond_with(move |req: &HttpMockRequest| answer(op, &Outcome::Finished, req));
            })
            .await;
        lock(&self.mock_ids).entry(op).or_default().push(mock.id);
    }

    /// Back to the documented success for every operation.
    pub fn reset(&self) {
        lock(&self.state).outcomes.clear();
    }

    /// How many authenticated, correctly signed requests of `operation` the mock has answered.
    pub async fn hits(&self, operation: Operation) -> usize {
        let ids = lock(&self.mock_ids)
            .get(&operation)
            .cloned()
            .unwrap_or_default();
        let mut total = 0;
        for id in ids {
            total += Mock::new(id, &self.server).calls_async().await;
        }
        total
    }

    /// How many requests the mock rejected (bad credentials, bad signature, unknown endpoint).
    pub async fn rejected(&self) -> usize {
        let mut total = 0;
        for id in &self.guard_ids {
            total += Mock::new(*id, &self.server).calls_async().await;
        }
        total
    }
}
