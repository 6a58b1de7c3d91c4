//! [`Client`] and [`ClientBuilder`]: one async method per Pivot operation.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::auth::{AccessToken, Bearer, Credentials, Environment, RequestId, TokenCache};
use crate::decode::{self, Rejection};
use crate::error::ProviderError;
use crate::model::config::PaymentMethodConfigs;
use crate::model::customer::Customer;
use crate::model::refund::{CreateRefund, ListRefunds, Refund};
use crate::model::session::{
    CancelBody, CancellationReason, Capture, CapturePaymentSession, Charge, ConfirmPaymentSession,
    CreatePaymentSession, PaymentSession,
};
use crate::model::{Page, PageRequest, Pagination};
use crate::{Error, scrub};

/// A clock: returns the current time. Injected so token expiry is testable.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// A source of `X-REQUEST-ID`s for calls that do not carry one.
pub type RequestIdGenerator = Arc<dyn Fn() -> RequestId + Send + Sync>;

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Pivot answers 408 after 60 s; wait a little longer than that.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(70);
const DEFAULT_MAX_RETRIES: u32 = 2;
/// 4 MiB: Pivot's largest documented answers (a page of 100 sessions) are far smaller.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
const DEFAULT_MIN_DELAY: Duration = Duration::from_millis(200);
const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(5);
/// A `Retry-After` longer than this ends the retries instead of blocking the caller.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

const X_MERCHANT_ID: HeaderName = HeaderName::from_static("x-merchant-id");
const X_MERCHANT_SECRET: HeaderName = HeaderName::from_static("x-merchant-secret");
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const X_SUBMERCHANT_ID: HeaderName = HeaderName::from_static("x-submerchant-id");

/// The Pivot client. Cheap to clone (an `Arc` inside), `Send + Sync`; share one per set of
/// credentials so the access token is shared too.
///
/// ```no_run
/// use session_tokenize_client::{Client, Credentials};
///
/// # async fn demo() -> Result<(), session_tokenize_client::Error> {
/// let client = Client::builder(Credentials::sandbox("client-id", "client-secret")).build()?;
/// let session = client.get_payment_session("bca0b57a-391e-4f6f-bfef-8cd37492ee5b").await?;
/// if session.is_paid() {
///     // fulfil the order
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    credentials: Credentials,
    sub_merchant_id: Option<HeaderValue>,
    clock: Clock,
    request_ids: RequestIdGenerator,
    max_retries: u32,
    min_delay: Duration,
    max_delay: Duration,
    timeout: Duration,
    max_response_bytes: usize,
    user_agent: HeaderValue,
    tokens: TokenCache,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.inner.credentials)
            .field("max_retries", &self.inner.max_retries)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use session_tokenize_client::{Client, Credentials};
///
/// let client = Client::builder(Credentials::sandbox("client-id", "client-secret"))
///     .timeout(Duration::from_secs(30))
///     .max_retries(3)
///     .sub_merchant_id("a3f1c1de-0000-4000-8000-000000000001")
///     .user_agent_suffix("my-shop/1.4")
///     .build()?;
/// # let _ = client;
/// # Ok::<(), session_tokenize_client::Error>(())
/// ```
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    http_client: Option<reqwest::Client>,
    clock: Option<Clock>,
    request_ids: Option<RequestIdGenerator>,
    max_retries: u32,
    min_delay: Duration,
    max_delay: Duration,
    max_response_bytes: usize,
    user_agent_suffix: Option<String>,
    sub_merchant_id: Option<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Overrides the base URL of the credentials' environment (a proxy, or a mock gateway).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Time allowed to establish a connection (default 10 s). Ignored with
    /// [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request, per attempt (default 70 s: Pivot itself gives up
    /// after 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Uses your own `reqwest::Client` (proxy, TLS or pool settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The clock used for token expiry (default: the system clock).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// How `X-REQUEST-ID`s are generated when a request carries none (default:
    /// [`RequestId::generate`]).
    pub fn request_id_generator(
        mut self,
        generator: impl Fn() -> RequestId + Send + Sync + 'static,
    ) -> Self {
        self.request_ids = Some(Arc::new(generator));
        self
    }

    /// Automatic retries of reads and of creates/confirms (default 2; 0 turns retries off).
    /// Retries back off exponentially with jitter, honour `Retry-After`, and reuse the
    /// `X-REQUEST-ID`.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The first and the largest delay between retries (default 200 ms and 5 s); the delay
    /// doubles from `min_delay` up to `max_delay`, with jitter. A `Retry-After` longer than the
    /// computed delay wins (up to 30 s; a longer one ends the retries).
    pub fn retry_backoff(mut self, min_delay: Duration, max_delay: Duration) -> Self {
        self.min_delay = min_delay;
        self.max_delay = max_delay.max(min_delay);
        self
    }

    /// The largest response body the client reads (default 4 MiB). A larger answer — by its
    /// `Content-Length`, or once that many bytes arrived — is refused with
    /// [`Error::ResponseTooLarge`] without buffering the rest, and the connection is closed.
    pub fn max_response_bytes(mut self, max_response_bytes: usize) -> Self {
        self.max_response_bytes = max_response_bytes;
        self
    }

    /// Appended to the `User-Agent` (`session-tokenize-client/<version> <suffix>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Acts on behalf of a sub-account: sends `x-submerchant-id` with every call.
    pub fn sub_merchant_id(mut self, sub_merchant_id: impl Into<String>) -> Self {
        self.sub_merchant_id = Some(sub_merchant_id.into());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let raw_url = self
            .base_url
            .clone()
            .unwrap_or_else(|| self.credentials.environment().base_url().to_owned());
        let base_url = Url::parse(&raw_url).map_err(|e| Error::Config {
            message: format!("base URL `{raw_url}` is not a URL: {e}"),
        })?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Config {
                message: format!("base URL `{raw_url}` must be an http(s) URL"),
            });
        }
        let mut agent = format!("{}/{}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = &self.user_agent_suffix {
            agent.push(' ');
            agent.push_str(suffix);
        }
        let user_agent = HeaderValue::try_from(agent).map_err(|_| Error::Config {
            message: "the user agent suffix contains characters not allowed in a header".into(),
        })?;
        let sub_merchant_id = match self.sub_merchant_id {
            Some(id) => Some(HeaderValue::try_from(id).map_err(|_| Error::Config {
                message: "the sub-merchant id contains characters not allowed in a header".into(),
            })?),
            None => None,
        };
        if self.credentials.client_id().is_empty() {
            return Err(Error::Config {
                message: "the client id is empty".into(),
            });
        }
        if HeaderValue::try_from(self.credentials.client_id()).is_err()
            || HeaderValue::try_from(self.credentials.client_secret().expose_secret()).is_err()
        {
            return Err(Error::Config {
                message: "the credentials contain characters not allowed in a header".into(),
            });
        }
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config {
                    message: format!("cannot build the HTTP client: {e}"),
                })?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                sub_merchant_id,
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
                request_ids: self
                    .request_ids
                    .unwrap_or_else(|| Arc::new(RequestId::generate)),
                max_retries: self.max_retries,
                min_delay: self.min_delay,
                max_delay: self.max_delay,
                timeout: self.timeout,
                max_response_bytes: self.max_response_bytes,
                user_agent,
                tokens: TokenCache::new(),
            }),
        })
    }
}

/// Whether a call may be sent again after an outcome that leaves it unknown whether Pivot
/// processed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Replay {
    /// Reads, and writes carrying an `X-REQUEST-ID` that Pivot honours.
    Safe,
    /// Everything else: resent only when it certainly never left the machine.
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Auth {
    /// `X-MERCHANT-ID` / `X-MERCHANT-SECRET` (the token endpoint).
    Merchant,
    /// `Authorization: Bearer …`.
    Bearer,
}

struct Call {
    operation: &'static str,
    /// Method, URL, body and timeout, built once per call: each attempt clones it (the body
    /// bytes are shared, not copied) and adds the headers.
    request: reqwest::Request,
    /// The URL as an `http::Uri` (checked once per call), or why it is not one.
    uri: Result<http::Uri, String>,
    /// Whether the request has a (JSON) body.
    has_body: bool,
    request_id: Option<RequestId>,
    replay: Replay,
    auth: Auth,
    /// Whether success changes state on Pivot's side.
    mutating: bool,
    /// Whether a missing or null `data` means "no records" (list endpoints).
    list: bool,
}

/// Why one attempt failed.
enum Failure {
    /// Never reached Pivot (DNS, connect, TLS).
    NotSent(reqwest::Error),
    /// Failed after the request may have been written (timeout, reset).
    MaybeSent(reqwest::Error),
    /// 408 or 5xx.
    Gateway(Box<ProviderError>),
    /// Another error answer (429 included).
    Rejected(Box<ProviderError>),
    /// The answer did not decode.
    Decode {
        path: String,
        message: String,
        status: StatusCode,
        excerpt: String,
    },
    /// The answer was larger than `max_response_bytes`.
    TooLarge { status: StatusCode },
    /// Not worth another attempt.
    Fatal(Error),
}

impl From<Rejection> for Failure {
    fn from(rejection: Rejection) -> Self {
        match rejection {
            Rejection::Provider(p)
                if p.status.is_server_error() || p.status == StatusCode::REQUEST_TIMEOUT =>
            {
                Self::Gateway(p)
            }
            Rejection::Provider(p) => Self::Rejected(p),
            Rejection::Decode {
                path,
                message,
                status,
                excerpt,
            } => Self::Decode {
                path,
                message,
                status,
                excerpt,
            },
        }
    }
}

impl Failure {
    fn retryable(&self) -> bool {
        match self {
            Self::NotSent(_) | Self::MaybeSent(_) | Self::Gateway(_) => true,
            Self::Rejected(p) => p.status == StatusCode::TOO_MANY_REQUESTS,
            Self::Decode { .. } | Self::TooLarge { .. } | Self::Fatal(_) => false,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Gateway(p) | Self::Rejected(p) => p.retry_after,
            _ => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::NotSent(e) | Self::MaybeSent(e) => e.to_string(),
            Self::Gateway(p) | Self::Rejected(p) => p.to_string(),
            Self::Decode { path, message, .. } => format!("{path}: {message}"),
            Self::TooLarge { status } => format!("HTTP {status}: the answer is too large"),
            Self::Fatal(e) => e.to_string(),
        }
    }

    fn into_error(self, call: &Call, limit: usize) -> Error {
        let replayable_id = match call.replay {
            Replay::Safe => call.request_id.clone(),
            Replay::Never => None,
        };
        match self {
            Self::NotSent(source) => Error::Transport { source },
            Self::MaybeSent(source) if call.mutating => Error::Ambiguous {
                reason: format!(
                    "the connection failed after the request was sent ({})",
                    if source.is_timeout() {
                        "timeout"
                    } else {
                        "no complete answer"
                    }
                ),
                status: None,
                request_id: replayable_id,
                source: Some(source),
            },
            Self::MaybeSent(source) => Error::Transport { source },
            Self::Gateway(p) if call.mutating => Error::Ambiguous {
                reason: p.to_string(),
                status: Some(p.status),
                request_id: replayable_id,
                source: None,
            },
            Self::Gateway(p) | Self::Rejected(p) => Error::Provider(p),
            Self::Decode {
                path,
                message,
                status,
                excerpt,
            } => Error::decode(
                path,
                message,
                Some(status),
                excerpt,
                call.mutating && status.is_success(),
            ),
            Self::TooLarge { status } => Error::ResponseTooLarge {
                status,
                limit,
                // A refused 4xx answer says the request was not processed; a success or a
                // server error to a write leaves it open.
                processed: call.mutating && !status.is_client_error(),
                request_id: call.request_id.clone(),
            },
            Self::Fatal(e) => e,
        }
    }
}

impl Client {
    /// Starts configuring a client for `credentials`.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            http_client: None,
            clock: None,
            request_ids: None,
            max_retries: DEFAULT_MAX_RETRIES,
            min_delay: DEFAULT_MIN_DELAY,
            max_delay: DEFAULT_MAX_DELAY,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent_suffix: None,
            sub_merchant_id: None,
        }
    }

    /// The environment of the client's credentials.
    pub fn environment(&self) -> Environment {
        self.inner.credentials.environment()
    }

    /// The base URL requests go to, e.g. `https://api-stg.pivot-payment.com/`.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    // -----------------------------------------------------------------------------------------
    // Payment Sessions
    // -----------------------------------------------------------------------------------------

    /// `POST /v2/payments`: creates a Payment Session.
    ///
    /// Validates the request first ([`Error::InvalidRequest`], nothing sent). Sends an
    /// `X-REQUEST-ID` (the request's, or a generated one) and retries connection failures,
    /// 408/429/5xx under that same id. If the outcome stays unknown the error is
    /// [`Error::Ambiguous`] with the id: send the same request with the same id to get the
    /// original answer.
    ///
    /// ```no_run
    /// # use session_tokenize_client::{Client, Credentials};
    /// use session_tokenize_client::model::{Amount, customer::Customer};
    /// use session_tokenize_client::model::session::*;
    ///
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let order = OrderInformation::new([ProductDetail::new(ProductType::Physical, 1, Amount::idr(10_000))]);
    /// let session = client
    ///     .create_payment_session(&CreatePaymentSession::redirect_save_card(
    ///         "1751610085",
    ///         Amount::idr(10_000),
    ///         Customer::new("reforza@pivot-payment.com"),
    ///         order,
    ///         RedirectUrl::new(
    ///             "https://merchant.com/success",
    ///             "https://merchant.com/failure",
    ///             "https://merchant.com/expiration",
    ///         ),
    ///     ))
    ///     .await?;
    /// let send_the_shopper_to = session.payment_url.as_deref();
    /// let keep_for_next_time = session.customer_id.as_deref();
    /// # let _ = (send_the_shopper_to, keep_for_next_time); Ok(()) }
    /// ```
    pub async fn create_payment_session(
        &self,
        request: &CreatePaymentSession,
    ) -> Result<PaymentSession, Error> {
        let call = self.create_payment_session_call(request)?;
        self.execute::<PaymentSession>(call).await.map(|(s, _)| s)
    }

    /// The exact request [`create_payment_session`](Self::create_payment_session) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// A request without its own `X-REQUEST-ID` gets a fresh one from the client's generator,
    /// exactly as the operation would: set one with `request_id(..)` (or a fixed
    /// [`ClientBuilder::request_id_generator`]) when you compare the two.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::session::CreatePaymentSession;
    /// # async fn demo(client: Client, request: CreatePaymentSession) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_create_payment_session(&request).await?;
    /// assert_eq!(request.method(), "POST");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_create_payment_session(
        &self,
        request: &CreatePaymentSession,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.create_payment_session_call(request)?;
        self.prepare(&call).await
    }

    fn create_payment_session_call(&self, request: &CreatePaymentSession) -> Result<Call, Error> {
        request.validate()?;
        let request_id = request
            .request_id_value()
            .cloned()
            .unwrap_or_else(|| (self.inner.request_ids)());
        self.call(
            "create_payment_session",
            Method::POST,
            &["v2", "payments"],
            Vec::new(),
            Some(json_body(request)?),
            Some(request_id),
            Replay::Safe,
        )
    }

    /// `POST /v2/payments/{id}/confirm`: confirms a session created with `autoConfirm: false`,
    /// typically with an encrypted card. Carries an `X-REQUEST-ID` and retries under it like
    /// [`create_payment_session`](Self::create_payment_session).
    ///
    /// ```no_run
    /// # use session_tokenize_client::{Client, Credentials};
    /// use session_tokenize_client::card::{CardData, CardDetails};
    /// use session_tokenize_client::model::session::*;
    ///
    /// # async fn demo(client: Client, session: PaymentSession) -> Result<(), session_tokenize_client::Error> {
    /// let card = CardDetails::new("4440000112200001", 1, 29, "123", "John Doe")?;
    /// let encrypted = session.encryption_key()?.encrypt(&CardData::new(card))?;
    /// let confirmed = client
    ///     .confirm_payment_session(
    ///         &session.id,
    ///         &ConfirmPaymentSession::encrypted_card(
    ///             encrypted,
    ///             PaymentMethodOptions::card(CardOptions::new().three_ds_method(ThreeDsMethod::Challenge)),
    ///         ),
    ///     )
    ///     .await?;
    /// let three_ds_page = confirmed.payment_url.as_deref();
    /// # let _ = three_ds_page; Ok(()) }
    /// ```
    pub async fn confirm_payment_session(
        &self,
        id: &str,
        request: &ConfirmPaymentSession,
    ) -> Result<PaymentSession, Error> {
        let call = self.confirm_payment_session_call(id, request)?;
        self.execute::<PaymentSession>(call).await.map(|(s, _)| s)
    }

    /// The exact request [`confirm_payment_session`](Self::confirm_payment_session) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// A request without its own `X-REQUEST-ID` gets a fresh one from the client's generator,
    /// exactly as the operation would: set one with `request_id(..)` (or a fixed
    /// [`ClientBuilder::request_id_generator`]) when you compare the two.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::session::ConfirmPaymentSession;
    /// # async fn demo(client: Client, request: ConfirmPaymentSession) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_confirm_payment_session("f5011fb2-e205-46ad-ac20-481429ba1d32", &request).await?;
    /// assert_eq!(request.method(), "POST");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_confirm_payment_session(
        &self,
        id: &str,
        request: &ConfirmPaymentSession,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.confirm_payment_session_call(id, request)?;
        self.prepare(&call).await
    }

    fn confirm_payment_session_call(
        &self,
        id: &str,
        request: &ConfirmPaymentSession,
    ) -> Result<Call, Error> {
        check_id("id", id)?;
        request.validate()?;
        let request_id = request
            .request_id_value()
            .cloned()
            .unwrap_or_else(|| (self.inner.request_ids)());
        self.call(
            "confirm_payment_session",
            Method::POST,
            &["v2", "payments", id, "confirm"],
            Vec::new(),
            Some(json_body(request)?),
            Some(request_id),
            Replay::Safe,
        )
    }

    /// `GET /v2/payments/{id}`: the current state of a session. Use it to confirm a callback
    /// before fulfilling, and to reconcile after an ambiguous failure.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let session = client.get_payment_session("bca0b57a-391e-4f6f-bfef-8cd37492ee5b").await?;
    /// println!("{} {:?}", session.status, session.latest_charge().map(|c| &c.status));
    /// # Ok(()) }
    /// ```
    pub async fn get_payment_session(&self, id: &str) -> Result<PaymentSession, Error> {
        let call = self.get_payment_session_call(id)?;
        self.execute::<PaymentSession>(call).await.map(|(s, _)| s)
    }

    /// The exact request [`get_payment_session`](Self::get_payment_session) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    ///
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_get_payment_session("bca0b57a-391e-4f6f-bfef-8cd37492ee5b").await?;
    /// assert_eq!(request.method(), "GET");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_get_payment_session(
        &self,
        id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.get_payment_session_call(id)?;
        self.prepare(&call).await
    }

    fn get_payment_session_call(&self, id: &str) -> Result<Call, Error> {
        check_id("id", id)?;
        self.call(
            "get_payment_session",
            Method::GET,
            &["v2", "payments", id],
            Vec::new(),
            None,
            None,
            Replay::Safe,
        )
    }

    /// `GET /v2/payments?clientReferenceId=…`: the sessions created under your reference
    /// (normally one). Reconcile with it when a create failed before you learnt the session id.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let found = client.get_payment_sessions_by_reference("1750758552").await?;
    /// let paid = found.items.iter().any(|s| s.is_paid());
    /// # let _ = paid; Ok(()) }
    /// ```
    pub async fn get_payment_sessions_by_reference(
        &self,
        client_reference_id: &str,
    ) -> Result<Page<PaymentSession>, Error> {
        let call = self.get_payment_sessions_by_reference_call(client_reference_id)?;
        self.execute_page(call).await
    }

    /// The exact request [`get_payment_sessions_by_reference`](Self::get_payment_sessions_by_reference) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    ///
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_get_payment_sessions_by_reference("1750758552").await?;
    /// assert_eq!(request.method(), "GET");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_get_payment_sessions_by_reference(
        &self,
        client_reference_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.get_payment_sessions_by_reference_call(client_reference_id)?;
        self.prepare(&call).await
    }

    fn get_payment_sessions_by_reference_call(
        &self,
        client_reference_id: &str,
    ) -> Result<Call, Error> {
        check_id("clientReferenceId", client_reference_id)?;
        self.call(
            "get_payment_sessions_by_reference",
            Method::GET,
            &["v2", "payments"],
            vec![("clientReferenceId", client_reference_id.to_owned())],
            None,
            None,
            Replay::Safe,
        )
    }

    /// `GET /v2/payments`: one page of all sessions.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::PageRequest;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let page = client.list_payment_sessions(PageRequest::new().page(1).per_page(50)).await?;
    /// for session in &page.items {
    ///     println!("{} {}", session.id, session.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_payment_sessions(
        &self,
        page: PageRequest,
    ) -> Result<Page<PaymentSession>, Error> {
        let call = self.list_payment_sessions_call(page)?;
        self.execute_page(call).await
    }

    /// The exact request [`list_payment_sessions`](Self::list_payment_sessions) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::PageRequest;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_list_payment_sessions(PageRequest::new().per_page(50)).await?;
    /// assert_eq!(request.method(), "GET");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_list_payment_sessions(
        &self,
        page: PageRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.list_payment_sessions_call(page)?;
        self.prepare(&call).await
    }

    fn list_payment_sessions_call(&self, page: PageRequest) -> Result<Call, Error> {
        page.validate()?;
        self.call(
            "list_payment_sessions",
            Method::GET,
            &["v2", "payments"],
            page.query(),
            None,
            None,
            Replay::Safe,
        )
    }

    /// `POST /v2/payments/{id}/cancel`: voids an unpaid session (only while it is
    /// `REQUIRE_PAYMENT_METHOD` or `REQUIRE_CONFIRMATION`). Not retried automatically after an
    /// ambiguous failure: read the session back instead.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::session::CancellationReason;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let cancelled = client
    ///     .cancel_payment_session("f5011fb2-e205-46ad-ac20-481429ba1d32", CancellationReason::RequestedByCustomer)
    ///     .await?;
    /// assert_eq!(cancelled.cancellation_reason, Some(CancellationReason::RequestedByCustomer));
    /// # Ok(()) }
    /// ```
    pub async fn cancel_payment_session(
        &self,
        id: &str,
        reason: CancellationReason,
    ) -> Result<PaymentSession, Error> {
        let call = self.cancel_payment_session_call(id, reason)?;
        self.execute::<PaymentSession>(call).await.map(|(s, _)| s)
    }

    /// The exact request [`cancel_payment_session`](Self::cancel_payment_session) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::session::CancellationReason;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_cancel_payment_session("f5011fb2-e205-46ad-ac20-481429ba1d32", CancellationReason::RequestedByCustomer).await?;
    /// assert_eq!(request.method(), "POST");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_cancel_payment_session(
        &self,
        id: &str,
        reason: CancellationReason,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.cancel_payment_session_call(id, reason)?;
        self.prepare(&call).await
    }

    fn cancel_payment_session_call(
        &self,
        id: &str,
        reason: CancellationReason,
    ) -> Result<Call, Error> {
        check_id("id", id)?;
        self.call(
            "cancel_payment_session",
            Method::POST,
            &["v2", "payments", id, "cancel"],
            Vec::new(),
            Some(json_body(&CancelBody {
                cancellation_reason: &reason,
            })?),
            None,
            Replay::Never,
        )
    }

    /// `POST /v2/payments/{id}/capture`: captures an authorised card payment of a session
    /// created with `captureMethod: manual`. Never retried automatically (a second capture
    /// could capture twice): after an ambiguous failure read the session's
    /// `captureHistories`.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::Amount;
    /// use session_tokenize_client::model::session::CapturePaymentSession;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let capture = client
    ///     .capture_payment_session(
    ///         "e03c2066-9e5b-454c-add6-c7c85b0b9d6b",
    ///         &CapturePaymentSession::new(true).amount(Amount::idr(12_000)),
    ///     )
    ///     .await?;
    /// println!("capture {} is {}", capture.id, capture.status);
    /// # Ok(()) }
    /// ```
    pub async fn capture_payment_session(
        &self,
        id: &str,
        request: &CapturePaymentSession,
    ) -> Result<Capture, Error> {
        let call = self.capture_payment_session_call(id, request)?;
        self.execute::<Capture>(call).await.map(|(c, _)| c)
    }

    /// The exact request [`capture_payment_session`](Self::capture_payment_session) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::session::CapturePaymentSession;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_capture_payment_session("e03c2066-9e5b-454c-add6-c7c85b0b9d6b", &CapturePaymentSession::new(true)).await?;
    /// assert_eq!(request.method(), "POST");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_capture_payment_session(
        &self,
        id: &str,
        request: &CapturePaymentSession,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.capture_payment_session_call(id, request)?;
        self.prepare(&call).await
    }

    fn capture_payment_session_call(
        &self,
        id: &str,
        request: &CapturePaymentSession,
    ) -> Result<Call, Error> {
        check_id("id", id)?;
        request.validate()?;
        self.call(
            "capture_payment_session",
            Method::POST,
            &["v2", "payments", id, "capture"],
            Vec::new(),
            Some(json_body(request)?),
            None,
            Replay::Never,
        )
    }

    /// `GET /v2/charges?clientReferenceId=…`: the charges of the session with your reference.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let charges = client.list_charges("1750758552").await?;
    /// let failed = charges.items.iter().filter_map(|c| c.failure_code.as_ref()).count();
    /// # let _ = failed; Ok(()) }
    /// ```
    pub async fn list_charges(&self, client_reference_id: &str) -> Result<Page<Charge>, Error> {
        let call = self.list_charges_call(client_reference_id)?;
        self.execute_page(call).await
    }

    /// The exact request [`list_charges`](Self::list_charges) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    ///
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_list_charges("1750758552").await?;
    /// assert_eq!(request.method(), "GET");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_list_charges(
        &self,
        client_reference_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.list_charges_call(client_reference_id)?;
        self.prepare(&call).await
    }

    fn list_charges_call(&self, client_reference_id: &str) -> Result<Call, Error> {
        check_id("clientReferenceId", client_reference_id)?;
        self.call(
            "list_charges",
            Method::GET,
            &["v2", "charges"],
            vec![("clientReferenceId", client_reference_id.to_owned())],
            None,
            None,
            Replay::Safe,
        )
    }

    /// `GET /v2/payment-method-configs`: the payment methods enabled for the merchant, with
    /// channels and amount limits.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::Amount;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let configs = client.get_payment_method_configs().await?;
    /// let card_ok = configs.card.as_ref().is_some_and(|c| c.accepts(&Amount::idr(10_000)));
    /// # let _ = card_ok; Ok(()) }
    /// ```
    pub async fn get_payment_method_configs(&self) -> Result<PaymentMethodConfigs, Error> {
        let call = self.get_payment_method_configs_call()?;
        self.execute::<PaymentMethodConfigs>(call)
            .await
            .map(|(c, _)| c)
    }

    /// The exact request [`get_payment_method_configs`](Self::get_payment_method_configs) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    ///
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_get_payment_method_configs().await?;
    /// assert_eq!(request.method(), "GET");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_get_payment_method_configs(
        &self,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.get_payment_method_configs_call()?;
        self.prepare(&call).await
    }

    fn get_payment_method_configs_call(&self) -> Result<Call, Error> {
        self.call(
            "get_payment_method_configs",
            Method::GET,
            &["v2", "payment-method-configs"],
            Vec::new(),
            None,
            None,
            Replay::Safe,
        )
    }

    // -----------------------------------------------------------------------------------------
    // Customers
    // -----------------------------------------------------------------------------------------

    /// `GET /v1/customers/{customerId}`: the customer and the payment methods stored under it
    /// (the tokens a saved-card session charges).
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let customer = client.get_customer("01975d90-bb55-76f6-b423-691c7868e85d").await?;
    /// for card in customer.active_cards() {
    ///     let last4 = card.card.as_ref().and_then(|c| c.last4.as_deref());
    ///     println!("{} ending {:?}", card.token, last4);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_customer(&self, customer_id: &str) -> Result<Customer, Error> {
        let call = self.get_customer_call(customer_id)?;
        self.execute::<Customer>(call).await.map(|(c, _)| c)
    }

    /// The exact request [`get_customer`](Self::get_customer) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    ///
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_get_customer("01975d90-bb55-76f6-b423-691c7868e85d").await?;
    /// assert_eq!(request.method(), "GET");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_get_customer(
        &self,
        customer_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.get_customer_call(customer_id)?;
        self.prepare(&call).await
    }

    fn get_customer_call(&self, customer_id: &str) -> Result<Call, Error> {
        check_id("customerId", customer_id)?;
        self.call(
            "get_customer",
            Method::GET,
            &["v1", "customers", customer_id],
            Vec::new(),
            None,
            None,
            Replay::Safe,
        )
    }

    // -----------------------------------------------------------------------------------------
    // Refunds
    // -----------------------------------------------------------------------------------------

    /// `POST /v1/refunds`: refunds a paid session. Sends an `X-REQUEST-ID`, but Pivot documents
    /// idempotency only for payments and payouts, so a refund is **never retried
    /// automatically**: after [`Error::Ambiguous`], look it up with
    /// [`list_refunds`](Self::list_refunds) by your reference before trying again.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::refund::{CreateRefund, RefundReason};
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let refund = client
    ///     .create_refund(&CreateRefund::full(
    ///         "1755665477",
    ///         "44a14481-fa75-49a5-b17f-d03d8c5d52a6",
    ///         RefundReason::RequestedByCustomer,
    ///     ))
    ///     .await?;
    /// println!("refund {} is {}", refund.id, refund.status);
    /// # Ok(()) }
    /// ```
    pub async fn create_refund(&self, request: &CreateRefund) -> Result<Refund, Error> {
        let call = self.create_refund_call(request)?;
        self.execute::<Refund>(call).await.map(|(r, _)| r)
    }

    /// The exact request [`create_refund`](Self::create_refund) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// A request without its own `X-REQUEST-ID` gets a fresh one from the client's generator,
    /// exactly as the operation would: set one with `request_id(..)` (or a fixed
    /// [`ClientBuilder::request_id_generator`]) when you compare the two.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::refund::CreateRefund;
    /// # async fn demo(client: Client, request: CreateRefund) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_create_refund(&request).await?;
    /// assert_eq!(request.method(), "POST");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_create_refund(
        &self,
        request: &CreateRefund,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.create_refund_call(request)?;
        self.prepare(&call).await
    }

    fn create_refund_call(&self, request: &CreateRefund) -> Result<Call, Error> {
        request.validate()?;
        let request_id = request
            .request_id_value()
            .cloned()
            .unwrap_or_else(|| (self.inner.request_ids)());
        self.call(
            "create_refund",
            Method::POST,
            &["v1", "refunds"],
            Vec::new(),
            Some(json_body(request)?),
            Some(request_id),
            Replay::Never,
        )
    }

    /// `GET /v1/refunds/{id}`: one refund.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let refund = client.get_refund("01990e74-5bc9-79a5-a651-400af0ad13ef").await?;
    /// println!("{}", refund.status);
    /// # Ok(()) }
    /// ```
    pub async fn get_refund(&self, id: &str) -> Result<Refund, Error> {
        let call = self.get_refund_call(id)?;
        self.execute::<Refund>(call).await.map(|(r, _)| r)
    }

    /// The exact request [`get_refund`](Self::get_refund) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    ///
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_get_refund("01990e74-5bc9-79a5-a651-400af0ad13ef").await?;
    /// assert_eq!(request.method(), "GET");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_get_refund(&self, id: &str) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.get_refund_call(id)?;
        self.prepare(&call).await
    }

    fn get_refund_call(&self, id: &str) -> Result<Call, Error> {
        check_id("id", id)?;
        self.call(
            "get_refund",
            Method::GET,
            &["v1", "refunds", id],
            Vec::new(),
            None,
            None,
            Replay::Safe,
        )
    }

    /// `GET /v1/refunds`: one page of refunds, optionally filtered.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::refund::ListRefunds;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let page = client.list_refunds(&ListRefunds::new().client_reference_id("1755665477")).await?;
    /// # let _ = page; Ok(()) }
    /// ```
    pub async fn list_refunds(&self, request: &ListRefunds) -> Result<Page<Refund>, Error> {
        let call = self.list_refunds_call(request)?;
        self.execute_page(call).await
    }

    /// The exact request [`list_refunds`](Self::list_refunds) sends, without sending it:
    /// method, full URL, every header (the `Authorization` bearer token, fetched first if none
    /// is cached, is marked sensitive) and the body bytes. It is built by the same code as the
    /// request the operation sends, so a snapshot of it is a snapshot of the wire.
    ///
    /// ```no_run
    /// # use session_tokenize_client::Client;
    /// use session_tokenize_client::model::refund::ListRefunds;
    /// # async fn demo(client: Client) -> Result<(), session_tokenize_client::Error> {
    /// let request = client.prepare_list_refunds(&ListRefunds::new().client_reference_id("1755665477")).await?;
    /// assert_eq!(request.method(), "GET");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_list_refunds(
        &self,
        request: &ListRefunds,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let call = self.list_refunds_call(request)?;
        self.prepare(&call).await
    }

    fn list_refunds_call(&self, request: &ListRefunds) -> Result<Call, Error> {
        request.page.validate()?;
        self.call(
            "list_refunds",
            Method::GET,
            &["v1", "refunds"],
            request.query(),
            None,
            None,
            Replay::Safe,
        )
    }

    // -----------------------------------------------------------------------------------------
    // Transport
    // -----------------------------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        operation: &'static str,
        method: Method,
        segments: &[&str],
        query: Vec<(&'static str, String)>,
        body: Option<Vec<u8>>,
        request_id: Option<RequestId>,
        replay: Replay,
    ) -> Result<Call, Error> {
        let mut url = self.inner.base_url.clone();
        {
            let mut path = url.path_segments_mut().map_err(|()| Error::Config {
                message: "the base URL cannot have a path".into(),
            })?;
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in &query {
                pairs.append_pair(key, value);
            }
        }
        let mutating = method == Method::POST;
        let uri = http::Uri::try_from(url.as_str())
            .map_err(|e| format!("the request URL is not a valid URI: {e}"));
        let has_body = body.is_some();
        let mut request = reqwest::Request::new(method, url);
        *request.timeout_mut() = Some(self.inner.timeout);
        // `Vec` to `Body` takes the allocation over; attempts share it.
        *request.body_mut() = body.map(reqwest::Body::from);
        Ok(Call {
            operation,
            request,
            uri,
            has_body,
            request_id,
            replay,
            auth: Auth::Bearer,
            mutating,
            list: false,
        })
    }

    async fn execute_page<T: DeserializeOwned>(&self, mut call: Call) -> Result<Page<T>, Error> {
        call.list = true;
        let (items, pagination) = self.execute::<Vec<T>>(call).await?;
        Ok(Page { items, pagination })
    }

    /// Runs `call` (Bearer-authenticated) with retries, returning `data` and `pagination`.
    async fn execute<T: DeserializeOwned>(
        &self,
        call: Call,
    ) -> Result<(T, Option<Pagination>), Error> {
        self.execute_with(&call, || self.attempt_bearer::<T>(&call))
            .await
    }

    /// The request `call` sends now: the access token is fetched first if none is cached.
    async fn prepare(&self, call: &Call) -> Result<http::Request<Vec<u8>>, Error> {
        let bearer = self.bearer().await?;
        self.build_request(call, Some(&bearer))
    }

    /// The retry loop around `attempt`.
    async fn execute_with<T, F, Fut>(&self, call: &Call, attempt: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        let span = tracing::info_span!(
            "pivot",
            operation = call.operation,
            method = %call.request.method(),
            path = call.request.url().path(),
            request_id = call.request_id.as_ref().map(RequestId::as_str),
        );
        async {
            let backoff = ExponentialBuilder::default()
                .with_min_delay(self.inner.min_delay)
                .with_max_delay(self.inner.max_delay)
                .with_factor(2.0)
                .with_max_times(usize::try_from(self.inner.max_retries).unwrap_or(usize::MAX))
                .with_jitter();
            let result = attempt
                .retry(backoff)
                .sleep(tokio::time::sleep)
                .when(|failure: &Failure| {
                    failure.retryable()
                        && (call.replay == Replay::Safe || matches!(failure, Failure::NotSent(_)))
                })
                .adjust(|failure: &Failure, delay: Option<Duration>| {
                    let delay = delay?;
                    match failure.retry_after() {
                        Some(wanted) if wanted > MAX_RETRY_AFTER => None,
                        Some(wanted) => Some(wanted.max(delay)),
                        None => Some(delay),
                    }
                })
                .notify(|failure: &Failure, delay: Duration| {
                    tracing::warn!(
                        retry_in_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                        "attempt failed, retrying: {}",
                        failure.describe()
                    );
                })
                .await;
            result.map_err(|failure| {
                let error = failure.into_error(call, self.inner.max_response_bytes);
                tracing::info!(error = %error, "request failed");
                error
            })
        }
        .instrument(span)
        .await
    }

    /// One Bearer-authenticated attempt, including one token refresh after a 401.
    async fn attempt_bearer<T: DeserializeOwned>(
        &self,
        call: &Call,
    ) -> Result<(T, Option<Pagination>), Failure> {
        let bearer = self.bearer().await.map_err(Failure::Fatal)?;
        let mut response = self.send(call, Some(&bearer)).await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            tracing::debug!("access token rejected, fetching a new one");
            self.inner.tokens.invalidate(bearer.id).await;
            let fresh = self.bearer().await.map_err(Failure::Fatal)?;
            response = self.send(call, Some(&fresh)).await?;
        }
        self.read(call, response).await
    }

    /// One attempt at the token endpoint.
    async fn attempt_merchant(&self, call: &Call) -> Result<AccessToken, Failure> {
        let response = self.send(call, None).await?;
        self.read::<AccessToken>(call, response)
            .await
            .map(|(data, _)| data)
    }

    /// The exact request `call` sends: method, URL, every header and the body bytes. `None`
    /// for `bearer` authenticates with the merchant credentials (the token endpoint).
    fn build_request(
        &self,
        call: &Call,
        bearer: Option<&Bearer>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let headers = self.headers(call, bearer)?;
        let uri = call
            .uri
            .clone()
            .map_err(|message| Error::Config { message })?;
        let body = call
            .request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        let mut request = http::Request::new(body);
        *request.method_mut() = call.request.method().clone();
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// Every header of one attempt of `call` (see [`build_request`](Self::build_request)).
    fn headers(&self, call: &Call, bearer: Option<&Bearer>) -> Result<HeaderMap, Error> {
        let inner = &self.inner;
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(http::header::USER_AGENT, inner.user_agent.clone());
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        if call.has_body {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        match bearer {
            Some(bearer) => {
                headers.insert(http::header::AUTHORIZATION, bearer.header.clone());
            }
            None => {
                let id = HeaderValue::try_from(inner.credentials.client_id())
                    .map_err(|_| config_error("client id"))?;
                let mut secret =
                    HeaderValue::try_from(inner.credentials.client_secret().expose_secret())
                        .map_err(|_| config_error("client secret"))?;
                secret.set_sensitive(true);
                headers.insert(X_MERCHANT_ID, id);
                headers.insert(X_MERCHANT_SECRET, secret);
            }
        }
        if let Some(request_id) = &call.request_id {
            let value = HeaderValue::try_from(request_id.as_str())
                .map_err(|_| config_error("request id"))?;
            headers.insert(X_REQUEST_ID, value);
        }
        if let (Some(sub), Auth::Bearer) = (&inner.sub_merchant_id, call.auth) {
            headers.insert(X_SUBMERCHANT_ID, sub.clone());
        }
        Ok(headers)
    }

    async fn send(
        &self,
        call: &Call,
        bearer: Option<&Bearer>,
    ) -> Result<reqwest::Response, Failure> {
        let headers = self.headers(call, bearer).map_err(Failure::Fatal)?;
        if let Err(message) = &call.uri {
            return Err(Failure::Fatal(Error::Config {
                message: message.clone(),
            }));
        }
        // Method, URL, timeout and the shared body bytes; nothing is parsed or copied again.
        let mut request = call.request.try_clone().ok_or_else(|| {
            Failure::Fatal(Error::Config {
                message: "the request body cannot be sent again".into(),
            })
        })?;
        *request.headers_mut() = headers;
        if call.has_body && tracing::enabled!(tracing::Level::TRACE) {
            let body = request.body().and_then(reqwest::Body::as_bytes);
            tracing::trace!(body = %scrub::scrub(body.unwrap_or_default()), "request body");
        }
        let started = Instant::now();
        let result = self.inner.http.execute(request).await;
        match result {
            Ok(response) => {
                tracing::debug!(
                    status = response.status().as_u16(),
                    elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                    "response"
                );
                Ok(response)
            }
            Err(e) if e.is_connect() || e.is_builder() => Err(Failure::NotSent(e)),
            Err(e) => Err(Failure::MaybeSent(e)),
        }
    }

    /// Reads at most `max_response_bytes` of the body: a larger `Content-Length` is refused
    /// before reading, and reading stops at the first chunk past the limit (dropping the
    /// response closes the connection).
    ///
    /// A body that arrives in one chunk (the usual case) is kept as received, without a copy.
    async fn read_body(
        &self,
        mut response: reqwest::Response,
    ) -> Result<impl AsRef<[u8]>, Failure> {
        let limit = self.inner.max_response_bytes;
        let status = response.status();
        let declared = response.content_length();
        if declared.is_some_and(|len| len > limit as u64) {
            return Err(Failure::TooLarge { status });
        }
        let capacity = declared.map_or(0, |len| usize::try_from(len).unwrap_or(limit).min(limit));
        let mut body = ReadBody::Empty;
        let mut len = 0;
        while let Some(chunk) = response.chunk().await.map_err(Failure::MaybeSent)? {
            if chunk.len() > limit - len {
                return Err(Failure::TooLarge { status });
            }
            len += chunk.len();
            body = match body {
                ReadBody::Empty => ReadBody::One(chunk),
                ReadBody::One(first) => {
                    let mut joined = Vec::with_capacity(capacity.max(len));
                    joined.extend_from_slice(first.as_ref());
                    joined.extend_from_slice(&chunk);
                    ReadBody::Joined(joined)
                }
                ReadBody::Joined(mut joined) => {
                    joined.extend_from_slice(&chunk);
                    ReadBody::Joined(joined)
                }
            };
        }
        Ok(body)
    }

    async fn read<T: DeserializeOwned>(
        &self,
        call: &Call,
        response: reqwest::Response,
    ) -> Result<(T, Option<Pagination>), Failure> {
        let status = response.status();
        let retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| decode::parse_retry_after(v, (self.inner.clock)()));
        let body = self.read_body(response).await?;
        let body = body.as_ref();
        if tracing::enabled!(tracing::Level::TRACE) {
            tracing::trace!(body = %scrub::scrub(body), "response body");
        }
        decode::response::<T>(
            status,
            body,
            call.request_id.as_ref(),
            retry_after,
            call.list,
        )
        .map_err(Failure::from)
    }

    /// A fresh or cached access token.
    async fn bearer(&self) -> Result<Bearer, Error> {
        self.inner
            .tokens
            .get(&self.inner.clock, || self.fetch_token())
            .await
    }

    async fn fetch_token(&self) -> Result<(SecretString, Duration), Error> {
        let mut call = self.call(
            "access_token",
            Method::POST,
            &["v1", "access-token"],
            Vec::new(),
            Some(br#"{"grantType":"client_credentials"}"#.to_vec()),
            None,
            Replay::Safe,
        )?;
        call.auth = Auth::Merchant;
        call.mutating = false;
        let token = self
            .execute_with(&call, || self.attempt_merchant(&call))
            .await?;
        let lifetime = token
            .expires_in()
            .filter(|lifetime| !lifetime.is_zero())
            .unwrap_or(crate::auth::DEFAULT_TOKEN_LIFETIME);
        Ok((token.secret().clone(), lifetime))
    }
}

/// A response body as read: nothing, its only chunk (kept as received), or the chunks joined.
enum ReadBody<B> {
    Empty,
    One(B),
    Joined(Vec<u8>),
}

impl<B: AsRef<[u8]>> AsRef<[u8]> for ReadBody<B> {
    fn as_ref(&self) -> &[u8] {
        match self {
            Self::Empty => &[],
            Self::One(chunk) => chunk.as_ref(),
            Self::Joined(joined) => joined,
        }
    }
}

fn config_error(what: &str) -> Error {
    Error::Config {
        message: format!("the {what} contains characters not allowed in a header"),
    }
}

fn check_id(field: &str, id: &str) -> Result<(), Error> {
    if id.trim().is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    Ok(())
}

fn json_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    // Request bodies are a few hundred bytes: start there instead of growing from empty.
    let mut body = Vec::with_capacity(512);
    serde_json::to_writer(&mut body, value).map_err(|e| Error::invalid("body", e.to_string()))?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_base_url_must_be_http() {
        let creds = Credentials::sandbox("id", "secret");
        assert!(
            Client::builder(creds.clone())
                .base_url("ftp://x")
                .build()
                .is_err()
        );
        assert!(
            Client::builder(creds.clone())
                .base_url("not a url")
                .build()
                .is_err()
        );
        let client = Client::builder(creds).build().unwrap();
        assert_eq!(client.base_url(), "https://api-stg.pivot-payment.com/");
    }
}
