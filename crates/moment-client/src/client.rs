//! [`Client`], its [`ClientBuilder`] and one async method per Moment operation.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::auth::{Credentials, KeyMode};
use crate::decode::{self, Answer};
use crate::model::{CapturePayment, CreatePaymentSession, Payment, PaymentSession, VoidPayment};
use crate::{Error, scrub};

/// Moment's API host (test and live; the key decides the mode).
pub const DEFAULT_BASE_URL: &str = "https://api.momentpay.net";

/// The default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default time allowed for a whole request, per attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// The longest `Retry-After` the client waits for; a longer one ends the retries and the error
/// is returned with [`Error::retry_after`].
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The name of the idempotency header.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// The name of the header Moment sets on a replayed answer.
pub const IDEMPOTENT_REPLAYED_HEADER: &str = "idempotent-replayed";

/// The longest idempotency key Moment accepts.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// The default limit on the size of an answer's body: 4 MiB. Moment's objects are a few KiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// An operation of the Moment API: what a request does, for errors, decoding
/// ([`crate::decode`]) and the mock gateway's scripting (`testing::MockGateway::script`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /collect/payment_sessions` ([`Client::create_payment_session`]).
    CreatePaymentSession,
    /// `GET /collect/payment_sessions/{id}` ([`Client::retrieve_payment_session`]).
    RetrievePaymentSession,
    /// `GET /collect/payments/{id}` ([`Client::retrieve_payment`]).
    RetrievePayment,
    /// `POST /collect/payments/{id}/captures` ([`Client::capture_payment`]).
    CapturePayment,
    /// `POST /collect/payments/{id}/voids` ([`Client::void_payment`]).
    VoidPayment,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 5] = [
        Operation::CreatePaymentSession,
        Operation::RetrievePaymentSession,
        Operation::RetrievePayment,
        Operation::CapturePayment,
        Operation::VoidPayment,
    ];

    /// The operation's name, as errors and logs give it: `create_payment_session`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::CreatePaymentSession => "create_payment_session",
            Operation::RetrievePaymentSession => "retrieve_payment_session",
            Operation::RetrievePayment => "retrieve_payment",
            Operation::CapturePayment => "capture_payment",
            Operation::VoidPayment => "void_payment",
        }
    }

    /// The HTTP method: `POST` for the operations that change something (they all carry an
    /// `Idempotency-Key`), `GET` for retrievals.
    pub fn method(self) -> Method {
        if self.is_post() {
            Method::POST
        } else {
            Method::GET
        }
    }

    pub(crate) fn is_post(self) -> bool {
        !matches!(
            self,
            Operation::RetrievePaymentSession | Operation::RetrievePayment
        )
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const USER_AGENT_BASE: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;
type KeyGenerator = Arc<dyn Fn() -> String + Send + Sync>;

/// Configures and builds a [`Client`]; start with [`Client::builder`].
///
/// ```
/// use std::time::Duration;
/// use moment_client::Client;
///
/// let client = Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc")
///     .timeout(Duration::from_secs(30))
///     .max_retries(3)
///     .user_agent_suffix("shop-backend/2.1")
///     .build()?;
/// # Ok::<(), moment_client::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    secret_key: SecretString,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    http_client: Option<reqwest::Client>,
    clock: Clock,
    max_retries: u32,
    retry_min_delay: Duration,
    retry_max_delay: Duration,
    user_agent_suffix: Option<String>,
    max_response_bytes: usize,
    idempotency_keys: KeyGenerator,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret_key", &"[REDACTED]")
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("http_client", &self.http_client.is_some())
            .field("max_retries", &self.max_retries)
            .field("retry_min_delay", &self.retry_min_delay)
            .field("retry_max_delay", &self.retry_max_delay)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    fn new(secret_key: SecretString) -> Self {
        ClientBuilder {
            secret_key,
            base_url: DEFAULT_BASE_URL.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            http_client: None,
            clock: Arc::new(SystemTime::now),
            max_retries: DEFAULT_MAX_RETRIES,
            retry_min_delay: Duration::from_millis(500),
            retry_max_delay: Duration::from_secs(8),
            user_agent_suffix: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            idempotency_keys: Arc::new(|| uuid::Uuid::new_v4().to_string()),
        }
    }

    /// The API's base URL (default [`DEFAULT_BASE_URL`]). Must be `https`, except on loopback
    /// (`http://127.0.0.1:…`, `http://localhost:…`) for mocks.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The time allowed to connect (default 10 s). Ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The time allowed for each attempt of a request, from sending to the end of the body
    /// (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Uses your own `reqwest::Client` (proxies, TLS roots, connection pools). The client's
    /// `Authorization`, `User-Agent`, `Idempotency-Key` and the per-request timeout are still set
    /// by this crate.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The clock, used to interpret a `Retry-After` given as a date (default
    /// [`SystemTime::now`]).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How many times a failed request is retried (default 2; 0 disables retries).
    ///
    /// Retried: `GET`s and the `POST`s of this API (which all carry an `Idempotency-Key`, reused
    /// on every retry), on connection failures, timeouts, `429` and `5xx`.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The bounds of the jittered exponential backoff between retries (default 500 ms to 8 s).
    /// A `Retry-After` from Moment is waited for when it is longer.
    pub fn retry_backoff(mut self, min_delay: Duration, max_delay: Duration) -> Self {
        self.retry_min_delay = min_delay;
        self.retry_max_delay = max_delay.max(min_delay);
        self
    }

    /// Appended to the `User-Agent` (`moment-client/<version> <suffix>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The largest answer body the client reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 4 MiB). A larger answer is refused without reading it
    /// all: a declared `Content-Length` over the limit is refused before the body is read,
    /// otherwise reading stops as soon as the limit is passed. The error is
    /// [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The source of generated `Idempotency-Key`s (default: a random UUID v4 per request).
    /// Keys must be 1 to 255 visible ASCII characters.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// let counter = AtomicU64::new(0);
    /// let client = moment_client::Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc")
    ///     .idempotency_key_generator(move || format!("key-{}", counter.fetch_add(1, Ordering::SeqCst)))
    ///     .build()?;
    /// # Ok::<(), moment_client::Error>(())
    /// ```
    pub fn idempotency_key_generator(
        mut self,
        generator: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        self.idempotency_keys = Arc::new(generator);
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key is not a secret key (a publishable `pk_…` key is
    /// refused), the base URL is not `https` (or loopback `http`), the user-agent suffix is not
    /// header text, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let credentials = Credentials::new(&self.secret_key)?;
        let base_url = parse_base_url(&self.base_url)?;
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) => format!("{USER_AGENT_BASE} {suffix}"),
            None => USER_AGENT_BASE.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::config("user_agent_suffix: not valid header text"))?;
        let payment_sessions_url = endpoint(&base_url, &["collect", "payment_sessions"]);
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::config(format!("the HTTP client cannot be built: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                payment_sessions_uri: http::Uri::try_from(payment_sessions_url.as_str())
                    .map_err(|e| Error::config(format!("base_url: not a request URI ({e})")))?,
                payment_sessions_url,
                base_url,
                credentials,
                timeout: self.timeout,
                max_retries: self.max_retries,
                retry_min_delay: self.retry_min_delay,
                retry_max_delay: self.retry_max_delay,
                user_agent,
                clock: self.clock,
                max_response_bytes: self.max_response_bytes,
                idempotency_keys: self.idempotency_keys,
            }),
        })
    }
}

/// `base` with `segments` appended to its path (each percent-encoded as a path segment).
fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

fn parse_base_url(raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::config(format!("base_url: `{raw}` is not a URL ({e})")))?;
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(Error::config(format!("base_url: `{raw}` has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("base_url: must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "base_url: `{raw}` must not have a query or fragment"
        )));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(Error::config(format!(
            "base_url: `{raw}` is plain http; Moment refuses it and it would expose the secret key"
        ))),
        other => Err(Error::config(format!(
            "base_url: scheme `{other}` is not supported"
        ))),
    }
}

/// Checks an `Idempotency-Key`: 1 to 255 visible ASCII characters.
pub(crate) fn validate_idempotency_key(key: &str) -> Result<(), Error> {
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_LEN {
        return Err(Error::invalid(format!(
            "idempotency_key: {} characters, Moment accepts 1 to {MAX_IDEMPOTENCY_KEY_LEN}",
            key.len()
        )));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(
            "idempotency_key: only visible ASCII characters are allowed",
        ));
    }
    Ok(())
}

fn validate_id(field: &str, id: &str) -> Result<(), Error> {
    if id.trim().is_empty() {
        return Err(Error::invalid(format!("{field}: must not be empty")));
    }
    if id.len() > 255 || id.trim() != id || id.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "{field}: `{}` is not an id (at most 255 characters, no spaces around, no control characters)",
            id.escape_debug()
        )));
    }
    Ok(())
}

/// The answer to a `POST`: the object, with the `Idempotency-Key` that was sent and whether
/// Moment replayed a stored answer (`Idempotent-Replayed: true`).
///
/// It dereferences to the object.
///
/// ```no_run
/// # async fn run(client: moment_client::Client) -> Result<(), moment_client::Error> {
/// use moment_client::CreatePaymentSession;
/// let created = client.create_payment_session(&CreatePaymentSession::new(10_000, "ZAR")).await?;
/// if created.replayed() {
///     // An earlier request with this key already created the session.
/// }
/// let session_id = &created.id;
/// let key = created.idempotency_key();
/// # let _ = (session_id, key);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Idempotent<T> {
    value: T,
    idempotency_key: String,
    replayed: bool,
    status: StatusCode,
}

impl<T> Idempotent<T> {
    /// The object.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The `Idempotency-Key` the request carried (persist it to retry safely later).
    pub fn idempotency_key(&self) -> &str {
        &self.idempotency_key
    }

    /// Whether Moment answered with the stored result of an earlier request with this key.
    pub fn replayed(&self) -> bool {
        self.replayed
    }

    /// The HTTP status of the answer (`201 Created` for a new session).
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl<T> Deref for Idempotent<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// A Moment API client: cheap to clone (`Arc` inside), `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), moment_client::Error> {
/// use moment_client::{Client, CreatePaymentSession};
///
/// let client = Client::builder(std::env::var("MOMENT_SECRET_KEY").unwrap_or_default()).build()?;
/// let session = client
///     .create_payment_session(&CreatePaymentSession::new(10_000, "ZAR"))
///     .await?;
/// println!("pay at {:?}", session.session_url);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    /// The URL of the payment-session create, built once (the busiest endpoint).
    payment_sessions_url: Url,
    payment_sessions_uri: http::Uri,
    credentials: Credentials,
    timeout: Duration,
    max_retries: u32,
    retry_min_delay: Duration,
    retry_max_delay: Duration,
    user_agent: HeaderValue,
    clock: Clock,
    max_response_bytes: usize,
    idempotency_keys: KeyGenerator,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("mode", &self.inner.credentials.mode())
            .field("secret_key", &"[REDACTED]")
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.max_retries)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client with a secret key (`sk_test_…` or `sk_…`).
    ///
    /// ```
    /// use moment_client::{Client, Error, KeyMode};
    ///
    /// let client = Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc").build()?;
    /// assert_eq!(client.mode(), KeyMode::Test);
    ///
    /// // A publishable key is refused before anything is sent.
    /// let refused = Client::builder("pk_test_abc123").build();
    /// assert!(matches!(refused, Err(Error::Config { .. })));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn builder(secret_key: impl Into<SecretString>) -> ClientBuilder {
        ClientBuilder::new(secret_key.into())
    }

    /// Test or live, from the key.
    pub fn mode(&self) -> KeyMode {
        self.inner.credentials.mode()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Creates a payment session (`POST /collect/payment_sessions`).
    ///
    /// The request carries an `Idempotency-Key` (the request's own, or a generated one) that is
    /// reused on every retry, so a retried create cannot create two sessions.
    ///
    /// ```no_run
    /// # async fn run(client: moment_client::Client) -> Result<(), moment_client::Error> {
    /// use moment_client::{CaptureMethod, CheckoutMode, CreatePaymentSession};
    ///
    /// let request = CreatePaymentSession::new(25_000, "ZAR")
    ///     .presentation_mode(CheckoutMode::Redirect)
    ///     .return_url("https://shop.example/orders/123/status")
    ///     .capture_method(CaptureMethod::Manual)
    ///     .external_reference("order_123")
    ///     .idempotency_key("create-order_123");
    /// let session = client.create_payment_session(&request).await?;
    /// println!("{} → {:?}", session.id, session.session_url);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] (nothing sent) when the request breaks a documented limit;
    /// otherwise see [`Error`]: after [`Error::may_have_been_processed`], retry with
    /// [`Error::idempotency_key`].
    pub async fn create_payment_session(
        &self,
        request: &CreatePaymentSession,
    ) -> Result<Idempotent<PaymentSession>, Error> {
        let prepared = self.prepare_create_payment_session(request).await?;
        self.execute(Operation::CreatePaymentSession, prepared)
            .await
            .and_then(idempotent)
    }

    /// The exact request [`Client::create_payment_session`] would send now, without sending
    /// it: method, URL, every header (`Authorization`, `User-Agent`, `Accept`,
    /// `Idempotency-Key`, `Content-Type`, `Content-Length`) and the body bytes.
    ///
    /// The operation sends what this function builds (each retry sends the same request), so a
    /// snapshot of it is a snapshot of the wire. Each call takes a new key from the
    /// [generator](ClientBuilder::idempotency_key_generator) unless the request names one. The
    /// `Authorization` header is marked sensitive: `Debug` shows `Sensitive`, not the key.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), moment_client::Error> {
    /// use moment_client::{Client, CreatePaymentSession};
    ///
    /// let client = Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc")
    ///     .idempotency_key_generator(|| "order-1-create".to_owned())
    ///     .build()?;
    /// let request = client
    ///     .prepare_create_payment_session(&CreatePaymentSession::new(10_000, "ZAR"))
    ///     .await?;
    /// assert_eq!(request.method(), http::Method::POST);
    /// assert_eq!(request.uri(), "https://api.momentpay.net/collect/payment_sessions");
    /// assert_eq!(request.headers()["idempotency-key"], "order-1-create");
    /// assert_eq!(request.body(), br#"{"amount":10000,"currency":"ZAR"}"#);
    /// assert!(!format!("{request:?}").contains("4eC39"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the request breaks a documented limit.
    pub async fn prepare_create_payment_session(
        &self,
        request: &CreatePaymentSession,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        request.validate()?;
        let key = self.idempotency_key(request.idempotency_key.as_deref())?;
        self.build_request_to(
            Method::POST,
            self.inner.payment_sessions_url.clone(),
            self.inner.payment_sessions_uri.clone(),
            Some(to_json(request)?),
            Some(&key),
        )
    }

    /// Retrieves a payment session (`GET /collect/payment_sessions/{id}`), e.g. to resolve the
    /// `session_id` a customer returns with.
    ///
    /// ```no_run
    /// # async fn run(client: moment_client::Client) -> Result<(), moment_client::Error> {
    /// let session = client.retrieve_payment_session("ps_kfAWZgfQIoeG0q").await?;
    /// if session.is_paid() {
    ///     // fulfil the order
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// See [`Error`]; an unknown id is a [`ProviderErrorKind::NotFound`](crate::ProviderErrorKind).
    pub async fn retrieve_payment_session(
        &self,
        session_id: &str,
    ) -> Result<PaymentSession, Error> {
        let prepared = self.prepare_retrieve_payment_session(session_id).await?;
        self.execute(Operation::RetrievePaymentSession, prepared)
            .await
            .map(|a| a.value)
    }

    /// The exact request [`Client::retrieve_payment_session`] would send now, without sending
    /// it (see [`Client::prepare_create_payment_session`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), moment_client::Error> {
    /// let client = moment_client::Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc").build()?;
    /// let request = client.prepare_retrieve_payment_session("ps_kfAWZgfQIoeG0q").await?;
    /// assert_eq!(request.method(), http::Method::GET);
    /// assert_eq!(request.uri(), "https://api.momentpay.net/collect/payment_sessions/ps_kfAWZgfQIoeG0q");
    /// assert!(request.body().is_empty());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the id is empty or not an id.
    pub async fn prepare_retrieve_payment_session(
        &self,
        session_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        validate_id("session_id", session_id)?;
        self.build_request(
            Method::GET,
            self.url(&["collect", "payment_sessions", session_id]),
            None,
            None,
        )
    }

    /// Retrieves a payment (`GET /collect/payments/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: moment_client::Client) -> Result<(), moment_client::Error> {
    /// let payment = client.retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj").await?;
    /// println!("{:?} {:?}", payment.status, payment.last_payment_error);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn retrieve_payment(&self, payment_id: &str) -> Result<Payment, Error> {
        let prepared = self.prepare_retrieve_payment(payment_id).await?;
        self.execute(Operation::RetrievePayment, prepared)
            .await
            .map(|a| a.value)
    }

    /// The exact request [`Client::retrieve_payment`] would send now, without sending it (see
    /// [`Client::prepare_create_payment_session`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), moment_client::Error> {
    /// let client = moment_client::Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc").build()?;
    /// let request = client.prepare_retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj").await?;
    /// assert_eq!(request.uri().path(), "/collect/payments/pay_rOaZNqKZMFxsRb2NBL1cj");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the id is empty or not an id.
    pub async fn prepare_retrieve_payment(
        &self,
        payment_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        validate_id("payment_id", payment_id)?;
        self.build_request(
            Method::GET,
            self.url(&["collect", "payments", payment_id]),
            None,
            None,
        )
    }

    /// Captures an authorised (manual-capture) payment, fully or partially
    /// (`POST /collect/payments/{id}/captures`).
    ///
    /// ```no_run
    /// # async fn run(client: moment_client::Client) -> Result<(), moment_client::Error> {
    /// use moment_client::{CapturePayment, ProviderErrorKind};
    ///
    /// let capture = CapturePayment::partial(120_000).idempotency_key("capture_order_123");
    /// match client.capture_payment("pay_rOaZNqKZMFxsRb2NBL1cj", &capture).await {
    ///     Ok(payment) => println!("captured so far: {:?}", payment.paid_amount),
    ///     Err(e) if e.as_provider().map(|p| p.kind()) == Some(ProviderErrorKind::AuthorizationExpired) => {
    ///         // The authorisation lapsed: collect the payment again.
    ///     }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// See [`Error`]; a `409` is [`ProviderErrorKind::AuthorizationExpired`](crate::ProviderErrorKind)
    /// or, for a reused key, [`ProviderErrorKind::IdempotencyConflict`](crate::ProviderErrorKind).
    pub async fn capture_payment(
        &self,
        payment_id: &str,
        request: &CapturePayment,
    ) -> Result<Idempotent<Payment>, Error> {
        let prepared = self.prepare_capture_payment(payment_id, request).await?;
        self.execute(Operation::CapturePayment, prepared)
            .await
            .and_then(idempotent)
    }

    /// The exact request [`Client::capture_payment`] would send now, without sending it (see
    /// [`Client::prepare_create_payment_session`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), moment_client::Error> {
    /// use moment_client::CapturePayment;
    /// let client = moment_client::Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc").build()?;
    /// let capture = CapturePayment::partial(120_000).idempotency_key("capture_order_123");
    /// let request = client.prepare_capture_payment("pay_rOaZNqKZMFxsRb2NBL1cj", &capture).await?;
    /// assert_eq!(request.uri().path(), "/collect/payments/pay_rOaZNqKZMFxsRb2NBL1cj/captures");
    /// assert_eq!(request.headers()["idempotency-key"], "capture_order_123");
    /// assert_eq!(request.body(), br#"{"amount":120000}"#);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an invalid id, an amount of 0 or out-of-bounds metadata.
    pub async fn prepare_capture_payment(
        &self,
        payment_id: &str,
        request: &CapturePayment,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        validate_id("payment_id", payment_id)?;
        request.validate()?;
        let key = self.idempotency_key(request.idempotency_key.as_deref())?;
        self.build_request(
            Method::POST,
            self.url(&["collect", "payments", payment_id, "captures"]),
            Some(to_json(request)?),
            Some(&key),
        )
    }

    /// Voids a payment: releases the full remaining authorisation
    /// (`POST /collect/payments/{id}/voids`). Sent without a body unless metadata is given.
    ///
    /// ```no_run
    /// # async fn run(client: moment_client::Client) -> Result<(), moment_client::Error> {
    /// use moment_client::VoidPayment;
    /// let payment = client
    ///     .void_payment("pay_rOaZNqKZMFxsRb2NBL1cj", &VoidPayment::new())
    ///     .await?;
    /// println!("released: {:?}", payment.voided_amount);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn void_payment(
        &self,
        payment_id: &str,
        request: &VoidPayment,
    ) -> Result<Idempotent<Payment>, Error> {
        let prepared = self.prepare_void_payment(payment_id, request).await?;
        self.execute(Operation::VoidPayment, prepared)
            .await
            .and_then(idempotent)
    }

    /// The exact request [`Client::void_payment`] would send now, without sending it (see
    /// [`Client::prepare_create_payment_session`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), moment_client::Error> {
    /// use moment_client::VoidPayment;
    /// let client = moment_client::Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc").build()?;
    /// let request = client.prepare_void_payment("pay_rOaZNqKZMFxsRb2NBL1cj", &VoidPayment::new()).await?;
    /// // Without metadata, a void has no body at all.
    /// assert_eq!(request.headers()["content-length"], "0");
    /// assert!(request.headers().get("content-type").is_none());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an invalid id or out-of-bounds metadata.
    pub async fn prepare_void_payment(
        &self,
        payment_id: &str,
        request: &VoidPayment,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        validate_id("payment_id", payment_id)?;
        request.validate()?;
        let key = self.idempotency_key(request.idempotency_key.as_deref())?;
        let body = if request.metadata.is_empty() {
            None
        } else {
            Some(to_json(request)?)
        };
        self.build_request(
            Method::POST,
            self.url(&["collect", "payments", payment_id, "voids"]),
            body,
            Some(&key),
        )
    }

    fn idempotency_key(&self, given: Option<&str>) -> Result<String, Error> {
        let key = match given {
            Some(key) => key.to_owned(),
            None => (self.inner.idempotency_keys)(),
        };
        validate_idempotency_key(&key)?;
        Ok(key)
    }

    fn url(&self, segments: &[&str]) -> Url {
        endpoint(&self.inner.base_url, segments)
    }

    /// Builds the request every operation sends (and `prepare_*` returns): the headers, and
    /// the body with its length (`Content-Length: 0` on a `POST` without a body, which some
    /// front ends require).
    fn build_request(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        idempotency_key: Option<&str>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let uri = http::Uri::try_from(url.as_str()).map_err(|e| cannot_build(e.into()))?;
        self.build_request_to(method, url, uri, body, idempotency_key)
    }

    /// [`build_request`](Self::build_request) with the URL already in both forms.
    fn build_request_to(
        &self,
        method: Method,
        url: Url,
        uri: http::Uri,
        body: Option<Vec<u8>>,
        idempotency_key: Option<&str>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(AUTHORIZATION, self.inner.credentials.header().clone());
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(key) = idempotency_key {
            let key = HeaderValue::from_str(key).map_err(|e| cannot_build(e.into()))?;
            headers.insert(HeaderName::from_static(IDEMPOTENCY_KEY_HEADER), key);
        }
        let body = match body {
            Some(body) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
                body
            }
            None if method == Method::POST => {
                headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                Vec::new()
            }
            None => Vec::new(),
        };
        let mut request = http::Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        // Kept beside the request, so that sending it does not parse the URL again.
        request.extensions_mut().insert(url);
        Ok(request)
    }

    /// Sends a prepared request, retrying what may be retried, inside the operation's span.
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        operation: Operation,
        prepared: http::Request<Vec<u8>>,
    ) -> Result<Answer<T>, Error> {
        let (mut parts, body) = prepared.into_parts();
        // `build_request` keeps the parsed URL beside the request, so it is not parsed again.
        let url = match parts.extensions.remove::<Url>() {
            Some(url) => url,
            None => Url::parse(&parts.uri.to_string())
                .map_err(|e| Error::invalid(format!("the request's URL is not valid: {e}")))?,
        };
        // One conversion; every attempt shares these bytes.
        let body = bytes::Bytes::from(body);
        let idempotency_key = parts
            .headers
            .get(IDEMPOTENCY_KEY_HEADER)
            .and_then(|v| v.to_str().ok());
        let span = tracing::info_span!(
            "moment",
            operation = operation.as_str(),
            method = %parts.method,
            path = url.path(),
            idempotency_key,
            mode = %self.inner.credentials.mode(),
        );
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.inner.retry_min_delay)
            .with_max_delay(self.inner.retry_max_delay)
            .with_max_times(usize::try_from(self.inner.max_retries).unwrap_or(usize::MAX))
            .with_jitter();
        let send = Exchange {
            operation,
            parts: &parts,
            body: &body,
            url: &url,
            idempotency_key,
        };
        let send = &send;
        let mut attempt = 0_u32;
        let result = (|| {
            attempt += 1;
            self.attempt::<T>(send, attempt)
        })
        .retry(backoff)
        .sleep(tokio::time::sleep)
        .when(Error::is_retryable)
        .adjust(|error: &Error, next: Option<Duration>| {
            let next = next?;
            match error.retry_after() {
                Some(wait) if wait > MAX_RETRY_AFTER => None,
                Some(wait) => Some(wait.max(next)),
                None => Some(next),
            }
        })
        .notify(|error: &Error, delay: Duration| {
            tracing::warn!(
                error = %error,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
        })
        .instrument(span.clone())
        .await;
        let _entered = span.enter();
        match &result {
            Ok(answer) => tracing::info!(
                status = answer.status.as_u16(),
                replayed = answer.replayed,
                "done"
            ),
            Err(error) => tracing::info!(
                error = %error,
                may_have_been_processed = error.may_have_been_processed(),
                "failed"
            ),
        }
        result
    }

    async fn attempt<T: DeserializeOwned>(
        &self,
        send: &Exchange<'_>,
        attempt: u32,
    ) -> Result<Answer<T>, Error> {
        tracing::debug!(attempt, "sending");
        let parts = send.parts;
        let mut request = reqwest::Request::new(parts.method.clone(), send.url.clone());
        *request.headers_mut() = parts.headers.clone();
        if parts.method != Method::GET || !send.body.is_empty() {
            *request.body_mut() = Some(send.body.clone().into());
        }
        *request.timeout_mut() = Some(self.inner.timeout);
        let mut response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(|e| self.send_error(send, e, None))?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = self.read_body(send, status, response).await?;
        tracing::debug!(status = status.as_u16(), "answer");
        tracing::trace!(body = %scrub::excerpt(&body), "answer body");
        decode::answer(
            send.operation,
            status,
            &headers,
            &body,
            (self.inner.clock)(),
            send.idempotency_key,
        )
    }

    /// Reads the answer's body, refusing it as soon as it is known to be over the limit.
    async fn read_body(
        &self,
        send: &Exchange<'_>,
        status: StatusCode,
        mut response: reqwest::Response,
    ) -> Result<bytes::Bytes, Error> {
        let limit = self.inner.max_response_bytes;
        let too_large = || Error::ResponseTooLarge {
            operation: send.operation.as_str(),
            method: send.parts.method.clone(),
            status,
            limit,
            idempotency_key: send.idempotency_key.map(str::to_owned),
        };
        let declared = response.content_length();
        if declared.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
            return Err(too_large());
        }
        let capacity = declared
            .and_then(|length| usize::try_from(length).ok())
            .unwrap_or(0);
        // An answer that arrives in one chunk (the usual case) is kept as it is; only one in
        // several chunks is joined into a buffer.
        let mut first: Option<bytes::Bytes> = None;
        let mut joined = Vec::new();
        let mut len = 0;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.send_error(send, e, Some(status)))?
        {
            if chunk.len() > limit.saturating_sub(len) {
                return Err(too_large());
            }
            len += chunk.len();
            if first.is_none() && joined.is_empty() {
                first = Some(chunk);
                continue;
            }
            if let Some(first) = first.take() {
                joined.reserve(capacity.max(len));
                joined.extend_from_slice(&first);
            }
            joined.extend_from_slice(&chunk);
        }
        Ok(first.unwrap_or_else(|| bytes::Bytes::from(joined)))
    }

    /// Classifies a failure of the HTTP exchange.
    fn send_error(
        &self,
        send: &Exchange<'_>,
        error: reqwest::Error,
        status: Option<StatusCode>,
    ) -> Error {
        if error.is_builder() {
            return Error::invalid(format!("the request cannot be built: {error}"));
        }
        let never_sent = error.is_connect() && status.is_none();
        if never_sent || send.parts.method != Method::POST {
            return Error::Transport {
                operation: send.operation.as_str(),
                source: error,
            };
        }
        let reason = if error.is_timeout() {
            format!("no answer within {:?}", self.inner.timeout)
        } else if status.is_some() {
            "the answer's body could not be read".to_owned()
        } else {
            "the connection failed after the request was sent".to_owned()
        };
        Error::Ambiguous {
            operation: send.operation.as_str(),
            reason,
            status,
            idempotency_key: send.idempotency_key.map(str::to_owned),
            source: Some(error),
        }
    }
}

/// One prepared request, sent once per attempt with the same bytes and key.
struct Exchange<'a> {
    operation: Operation,
    parts: &'a http::request::Parts,
    body: &'a bytes::Bytes,
    url: &'a Url,
    idempotency_key: Option<&'a str>,
}

fn idempotent<T>(answer: Answer<T>) -> Result<Idempotent<T>, Error> {
    let Some(idempotency_key) = answer.idempotency_key else {
        return Err(Error::invalid(
            "a POST was prepared without an Idempotency-Key",
        ));
    };
    Ok(Idempotent {
        value: answer.value,
        idempotency_key,
        replayed: answer.replayed,
        status: answer.status,
    })
}

fn cannot_build(error: http::Error) -> Error {
    Error::invalid(format!("the request cannot be built: {error}"))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value)
        .map_err(|e| Error::invalid(format!("the request does not serialize: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_must_be_https_except_on_loopback() {
        for ok in [
            "https://api.momentpay.net",
            "https://api.momentco.io/",
            "https://proxy.example/moment/",
            "http://127.0.0.1:8080",
            "http://localhost:1234/",
            "http://[::1]:99",
        ] {
            assert!(parse_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.momentpay.net",
            "ftp://api.momentpay.net",
            "api.momentpay.net",
            "https://user:pass@api.momentpay.net",
            "https://api.momentpay.net/?x=1",
            "",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_keep_a_base_path_and_encode_ids() {
        let client = Client::builder("sk_test_abc")
            .base_url("https://proxy.example/moment/")
            .build()
            .expect("a valid configuration");
        assert_eq!(
            client.url(&["collect", "payments", "pay/../x?y"]).as_str(),
            "https://proxy.example/moment/collect/payments/pay%2F..%2Fx%3Fy"
        );
    }

    #[test]
    fn idempotency_keys_are_checked() {
        assert!(validate_idempotency_key("capture_order_123").is_ok());
        assert!(validate_idempotency_key(&"k".repeat(255)).is_ok());
        assert!(validate_idempotency_key(&"k".repeat(256)).is_err());
        assert!(validate_idempotency_key("").is_err());
        assert!(validate_idempotency_key("two words").is_err());
        assert!(validate_idempotency_key("line\nbreak").is_err());
    }
}
