//! [`Client`], its [`ClientBuilder`] and one async method per Moment operation.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::auth::{Credentials, KeyMode};
use crate::error::{DecodeError, ProviderError};
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
/// is returned with [`ProviderError::retry_after`].
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The name of the idempotency header.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// The name of the header Moment sets on a replayed answer.
pub const IDEMPOTENT_REPLAYED_HEADER: &str = "idempotent-replayed";

/// The longest idempotency key Moment accepts.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

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
    /// [`Error::InvalidRequest`] when the key is not a secret key (a publishable `pk_…` key is
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
            .map_err(|_| Error::invalid("user_agent_suffix: not valid header text"))?;
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::invalid(format!("the HTTP client cannot be built: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials,
                timeout: self.timeout,
                max_retries: self.max_retries,
                retry_min_delay: self.retry_min_delay,
                retry_max_delay: self.retry_max_delay,
                user_agent,
                clock: self.clock,
                idempotency_keys: self.idempotency_keys,
            }),
        })
    }
}

fn parse_base_url(raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::invalid(format!("base_url: `{raw}` is not a URL ({e})")))?;
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(Error::invalid(format!("base_url: `{raw}` has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid("base_url: must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(format!(
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
        "http" => Err(Error::invalid(format!(
            "base_url: `{raw}` is plain http; Moment refuses it and it would expose the secret key"
        ))),
        other => Err(Error::invalid(format!(
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
    credentials: Credentials,
    timeout: Duration,
    max_retries: u32,
    retry_min_delay: Duration,
    retry_max_delay: Duration,
    user_agent: HeaderValue,
    clock: Clock,
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
            .finish_non_exhaustive()
    }
}

/// One request, sent once per attempt with the same bytes and key.
struct Call {
    operation: &'static str,
    method: Method,
    url: Url,
    body: Option<Vec<u8>>,
    idempotency_key: Option<String>,
    capture: bool,
}

struct Answer<T> {
    value: T,
    replayed: bool,
    status: StatusCode,
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
    /// assert!(matches!(refused, Err(Error::InvalidRequest { .. })));
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
        request.validate()?;
        let key = self.idempotency_key(request.idempotency_key.as_deref())?;
        let body = to_json(request)?;
        let call = Call {
            operation: "create_payment_session",
            method: Method::POST,
            url: self.url(&["collect", "payment_sessions"]),
            body: Some(body),
            idempotency_key: Some(key.clone()),
            capture: false,
        };
        self.execute(call).await.map(|a| idempotent(a, key))
    }

    /// Retrieves a payment session (`GET /collect/payment_sessions/{id}`), with its `status`,
    /// `payment_outcome` (and the deprecated `payment_status`) and `client_token`.
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
        validate_id("session_id", session_id)?;
        let call = Call {
            operation: "retrieve_payment_session",
            method: Method::GET,
            url: self.url(&["collect", "payment_sessions", session_id]),
            body: None,
            idempotency_key: None,
            capture: false,
        };
        self.execute(call).await.map(|a| a.value)
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
        validate_id("payment_id", payment_id)?;
        let call = Call {
            operation: "retrieve_payment",
            method: Method::GET,
            url: self.url(&["collect", "payments", payment_id]),
            body: None,
            idempotency_key: None,
            capture: false,
        };
        self.execute(call).await.map(|a| a.value)
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
        validate_id("payment_id", payment_id)?;
        request.validate()?;
        let key = self.idempotency_key(request.idempotency_key.as_deref())?;
        let call = Call {
            operation: "capture_payment",
            method: Method::POST,
            url: self.url(&["collect", "payments", payment_id, "captures"]),
            body: Some(to_json(request)?),
            idempotency_key: Some(key.clone()),
            capture: true,
        };
        self.execute(call).await.map(|a| idempotent(a, key))
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
        validate_id("payment_id", payment_id)?;
        request.validate()?;
        let key = self.idempotency_key(request.idempotency_key.as_deref())?;
        let body = if request.metadata.is_empty() {
            None
        } else {
            Some(to_json(request)?)
        };
        let call = Call {
            operation: "void_payment",
            method: Method::POST,
            url: self.url(&["collect", "payments", payment_id, "voids"]),
            body,
            idempotency_key: Some(key.clone()),
            capture: false,
        };
        self.execute(call).await.map(|a| idempotent(a, key))
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
        let mut url = self.inner.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// Sends a call, retrying what may be retried, inside the operation's span.
    async fn execute<T: DeserializeOwned>(&self, call: Call) -> Result<Answer<T>, Error> {
        let span = tracing::info_span!(
            "moment",
            operation = call.operation,
            method = %call.method,
            path = call.url.path(),
            idempotency_key = call.idempotency_key.as_deref(),
            mode = %self.inner.credentials.mode(),
        );
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.inner.retry_min_delay)
            .with_max_delay(self.inner.retry_max_delay)
            .with_max_times(usize::try_from(self.inner.max_retries).unwrap_or(usize::MAX))
            .with_jitter();
        let call = &call;
        let mut attempt = 0_u32;
        let result = (|| {
            attempt += 1;
            self.attempt::<T>(call, attempt)
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
        call: &Call,
        attempt: u32,
    ) -> Result<Answer<T>, Error> {
        tracing::debug!(attempt, "sending");
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), call.url.clone())
            .header(AUTHORIZATION, self.inner.credentials.header().clone())
            .header(USER_AGENT, self.inner.user_agent.clone())
            .header(ACCEPT, "application/json")
            .timeout(self.inner.timeout);
        if let Some(key) = &call.idempotency_key {
            request = request.header(IDEMPOTENCY_KEY_HEADER, key.as_str());
        }
        request = match &call.body {
            Some(body) => request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone()),
            // Some front ends answer `411 Length Required` to a POST without a length.
            None if call.method == Method::POST => request.header(CONTENT_LENGTH, "0"),
            None => request,
        };
        let post = call.method == Method::POST;
        let response = request
            .send()
            .await
            .map_err(|e| self.send_error(call, e, None))?;
        let status = response.status();
        let headers = response.headers().clone();
        let replayed = header_text(&headers, IDEMPOTENT_REPLAYED_HEADER)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let retry_after = retry_after(&headers, (self.inner.clock)());
        let body = response
            .bytes()
            .await
            .map_err(|e| self.send_error(call, e, Some(status)))?;
        tracing::debug!(status = status.as_u16(), replayed, "answer");
        tracing::trace!(body = %scrub::excerpt(&body), "answer body");
        if status.is_success() {
            return match DecodeError::decode::<T>(call.operation, &body) {
                Ok(value) => Ok(Answer {
                    value,
                    replayed,
                    status,
                }),
                Err(mut error) => {
                    error.status = Some(status);
                    error.content_type = header_text(&headers, CONTENT_TYPE.as_str());
                    error.idempotency_key = call.idempotency_key.clone();
                    error.may_have_been_processed = post;
                    Err(Error::Decode(error))
                }
            };
        }
        Err(Error::Provider(Box::new(ProviderError::new(
            call.operation,
            post,
            call.capture,
            status,
            &body,
            call.idempotency_key.clone(),
            retry_after,
            replayed,
        ))))
    }

    /// Classifies a failure of the HTTP exchange.
    fn send_error(&self, call: &Call, error: reqwest::Error, status: Option<StatusCode>) -> Error {
        if error.is_builder() {
            return Error::invalid(format!("the request cannot be built: {error}"));
        }
        let never_sent = error.is_connect() && status.is_none();
        if never_sent || call.method != Method::POST {
            return Error::Transport {
                operation: call.operation,
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
            operation: call.operation,
            reason,
            status,
            idempotency_key: call.idempotency_key.clone(),
            source: Some(error),
        }
    }
}

fn idempotent<T>(answer: Answer<T>, key: String) -> Idempotent<T> {
    Idempotent {
        value: answer.value,
        idempotency_key: key,
        replayed: answer.replayed,
        status: answer.status,
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value)
        .map_err(|e| Error::invalid(format!("the request does not serialize: {e}")))
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `Retry-After` as a delay: whole seconds, or an HTTP date relative to `now`.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = header_text(headers, RETRY_AFTER.as_str())?;
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = payments_signing::http::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
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

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        // 1445412480 is Wed, 21 Oct 2015 07:28:00 GMT.
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:30 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:27:00 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }
}
