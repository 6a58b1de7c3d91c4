//! The client: one async method per operation of the Transaction API.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use http::header::{ACCEPT, AUTHORIZATION, DATE, HeaderName, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use secrecy::ExposeSecret;
use serde::Serialize;
use tracing::Instrument;
use url::Url;

use crate::auth::{CONTENT_TYPE, Connector, Credentials};
use crate::error::{AmbiguousError, AmbiguousReason, Error};
use crate::model::{
    CaptureRequest, ContinueScheduleRequest, DebitRequest, DeregisterRequest,
    IncrementalAuthorizationRequest, OptionsRequest, OptionsResponse, PayoutRequest,
    PreauthorizeRequest, Reconciliation, RefundRequest, RegisterRequest, ScheduleResponse,
    StartScheduleRequest, StatusResponse, TransactionRequest, TransactionResponse,
    UpdateScheduleRequest, VoidRequest,
};
use crate::operation::Operation;
use crate::response::{self, Context, Decodable};
use crate::{scrub, validate};

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Error>();
};

/// The production endpoint of the Transaction API.
pub const DEFAULT_BASE_URL: &str = "https://gateway.cardflo.io/api/v3";
/// Default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for a whole request, answer included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default number of retries of read-only calls.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default first delay of the retry backoff.
pub const DEFAULT_RETRY_MIN_DELAY: Duration = Duration::from_millis(200);
/// Default longest delay of the retry backoff.
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(10);
/// Default largest answer body read (4 MiB); see [`ClientBuilder::max_response_bytes`].
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// The source of the current time (the `Date` header, `Retry-After` dates).
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Configures a [`Client`]. Created by [`Client::builder`].
pub struct ClientBuilder {
    credentials: Credentials,
    connector: Connector,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    http_client: Option<reqwest::Client>,
    clock: Clock,
    max_retries: u32,
    retry_min_delay: Duration,
    retry_max_delay: Duration,
    max_retry_after: Duration,
    max_response_bytes: usize,
    user_agent_suffix: Option<String>,
}

impl ClientBuilder {
    /// The API's base URL, up to and including `/api/v3` (default [`DEFAULT_BASE_URL`]).
    /// White-labels, sandboxes and proxies with a path prefix are supported; the prefix is part
    /// of the signed URI.
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Time to establish a connection (default 10 s). Ignored with [`http_client`](Self::http_client).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time for a whole request, answer included (default 60 s). A payment call that times out
    /// is reported as [`Error::Ambiguous`].
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends with your own `reqwest::Client` (connection pool, proxy, TLS settings). Disable
    /// its redirects: a redirected POST would be re-sent as a GET.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The clock for the `Date` header (tests use a fixed one; the gateway rejects dates too far
    /// from its own).
    #[must_use]
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How often read-only calls (status, schedule get, options) are retried after a
    /// connection error, a 429 or a 5xx (default 2). Payment and schedule-changing calls are
    /// never retried.
    #[must_use]
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The delays of the jittered exponential backoff between retries: the first one is
    /// `min_delay`, each next one doubles, none exceeds `max_delay` (default 200 ms and 10 s).
    /// A `Retry-After` from the gateway takes precedence.
    #[must_use]
    pub fn retry_backoff(mut self, min_delay: Duration, max_delay: Duration) -> Self {
        self.retry_min_delay = min_delay;
        self.retry_max_delay = max_delay.max(min_delay);
        self
    }

    /// The largest answer body the client reads (default 4 MiB, [`DEFAULT_MAX_RESPONSE_BYTES`]).
    /// A larger `Content-Length` is refused before reading; otherwise reading stops as soon as
    /// the limit is passed and the connection is dropped. Either way the call fails with
    /// [`Error::ResponseTooLarge`] (which, for a payment call, may have been processed).
    #[must_use]
    pub fn max_response_bytes(mut self, max_response_bytes: usize) -> Self {
        self.max_response_bytes = max_response_bytes;
        self
    }

    /// The longest `Retry-After` honoured by an automatic retry (default 30 s); a longer one
    /// ends the retries and is returned in [`Error::retry_after`].
    #[must_use]
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Text appended to the `User-Agent` (`cardflo-client/<version> <suffix>`).
    #[must_use]
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = Url::parse(self.base_url.trim_end_matches('/'))
            .map_err(|e| Error::Config(format!("base URL: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Config(
                "base URL: must be an http or https URL".to_owned(),
            ));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::Config(
                "base URL: must not have a query or a fragment".to_owned(),
            ));
        }
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("HTTP client: {}", e.without_url())))?,
        };
        let mut user_agent = format!("{}/{}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = self.user_agent_suffix.filter(|s| !s.trim().is_empty()) {
            user_agent.push(' ');
            user_agent.push_str(suffix.trim());
        }
        let user_agent = HeaderValue::try_from(user_agent)
            .map_err(|_| Error::Config("user agent: not a valid header value".to_owned()))?;
        let mut authorization =
            HeaderValue::from_str(self.credentials.authorization().expose_secret())
                .map_err(|_| Error::Config("credentials: not valid in a header".to_owned()))?;
        authorization.set_sensitive(true);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                authorization,
                clock: self.clock,
                timeout: self.timeout,
                max_retries: self.max_retries,
                retry_min_delay: self.retry_min_delay,
                retry_max_delay: self.retry_max_delay,
                max_retry_after: self.max_retry_after,
                max_response_bytes: self.max_response_bytes,
                user_agent,
            }),
            connector: self.connector,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("connector", &self.connector)
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    credentials: Credentials,
    /// The `Authorization` header (marked sensitive), built once.
    authorization: HeaderValue,
    clock: Clock,
    timeout: Duration,
    max_retries: u32,
    retry_min_delay: Duration,
    retry_max_delay: Duration,
    max_retry_after: Duration,
    max_response_bytes: usize,
    /// The `User-Agent` header, built once.
    user_agent: HeaderValue,
}

/// A client of the Cardflo Transaction API for one connector. Cheap to clone, `Send + Sync`.
///
/// ```no_run
/// use cardflo_client::{Amount, Client, SecretString, auth::{Connector, Credentials}};
/// use cardflo_client::model::{DebitRequest, TransactionOutcome};
///
/// # async fn run() -> Result<(), cardflo_client::Error> {
/// let client = Client::builder(
///     Credentials::new("api-user", SecretString::from("api-password")),
///     Connector::new("api-key").shared_secret(SecretString::from("shared-secret")),
/// )
/// .build()?;
/// let debit = DebitRequest::new("order-1001-1", "9.99".parse::<Amount>()?, "EUR")
///     .transaction_token("ix::tRaNsAcT1OnToK3N");
/// match client.debit(&debit).await?.outcome {
///     TransactionOutcome::Finished => { /* paid */ }
///     TransactionOutcome::Redirect(redirect) => { /* send the customer to redirect.url */ }
///     _ => { /* pending, declined, ... */ }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    connector: Connector,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.inner.credentials)
            .field("connector", &self.connector)
            .finish_non_exhaustive()
    }
}

/// One call: the operation, its URL (built once per call), and its serialized body.
struct Call<'a> {
    operation: Operation,
    url: Url,
    body: Vec<u8>,
    merchant_transaction_id: Option<&'a str>,
}

impl Call<'_> {
    fn new(operation: Operation, url: Url, body: Vec<u8>) -> Self {
        Self {
            operation,
            url,
            body,
            merchant_transaction_id: None,
        }
    }
}

/// An answer that was read completely: its status, `Retry-After` and body.
struct Answer {
    status: StatusCode,
    retry_after: Option<Duration>,
    body: bytes::Bytes,
}

const X_DATE: HeaderName = HeaderName::from_static("x-date");
const X_SIGNATURE: HeaderName = HeaderName::from_static("x-signature");

/// The error of a request that `http` cannot represent (for example a URL that is too long).
fn unrepresentable(operation: Operation) -> Error {
    Error::invalid_request(
        operation.name(),
        "the URL or a header cannot be represented in an HTTP request",
    )
}

impl Client {
    /// Starts configuring a client for one connector. See [`Client::connector`] to address
    /// other connectors with the same credentials.
    ///
    /// ```
    /// use cardflo_client::{Client, SecretString, auth::{Connector, Credentials}};
    /// use std::time::Duration;
    ///
    /// let client = Client::builder(
    ///     Credentials::new("anyApiUser", SecretString::from("myPassword")),
    ///     Connector::new("my-api-key").shared_secret(SecretString::from("my-shared-secret")),
    /// )
    /// .base_url("https://gateway.cardflo.io/api/v3")
    /// .timeout(Duration::from_secs(30))
    /// .max_response_bytes(1024 * 1024)
    /// .build()?;
    /// assert_eq!(client.api_key(), "my-api-key");
    /// # Ok::<(), cardflo_client::Error>(())
    /// ```
    pub fn builder(credentials: Credentials, connector: Connector) -> ClientBuilder {
        ClientBuilder {
            credentials,
            connector,
            base_url: DEFAULT_BASE_URL.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            http_client: None,
            clock: Arc::new(SystemTime::now),
            max_retries: DEFAULT_MAX_RETRIES,
            retry_min_delay: DEFAULT_RETRY_MIN_DELAY,
            retry_max_delay: DEFAULT_RETRY_MAX_DELAY,
            max_retry_after: Duration::from_secs(30),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent_suffix: None,
        }
    }

    /// A client for another connector of the same merchant: same credentials, configuration and
    /// connection pool, another API key (and shared secret). Cheap.
    ///
    /// ```
    /// # use cardflo_client::{Client, SecretString, auth::{Connector, Credentials}};
    /// # let client = Client::builder(Credentials::new("u", SecretString::from("p")), Connector::new("card-eur")).build()?;
    /// let sepa = client.connector(Connector::new("sepa-eur").shared_secret(SecretString::from("sepa-secret")));
    /// assert_eq!(sepa.api_key(), "sepa-eur");
    /// assert_eq!(client.api_key(), "card-eur");
    /// # Ok::<(), cardflo_client::Error>(())
    /// ```
    pub fn connector(&self, connector: impl Into<Connector>) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            connector: connector.into(),
        }
    }

    /// The API key of this client's connector.
    pub fn api_key(&self) -> &str {
        self.connector.api_key()
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Debit: a complete customer-to-merchant payment. Never retried; see
    /// [`Error::may_have_been_processed`].
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = DebitRequest::new("order-1001-1", "9.99".parse::<Amount>()?, "EUR")
    ///     .transaction_token("ix::tRaNsAcT1OnToK3N")
    ///     .success_url("https://shop.example/success")
    ///     .cancel_url("https://shop.example/cancel")
    ///     .error_url("https://shop.example/error")
    ///     .callback_url("https://shop.example/callback");
    /// let response = client.debit(&request).await?;
    /// if let TransactionOutcome::Redirect(redirect) = &response.outcome {
    ///     println!("redirect the customer to {}", redirect.url);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn debit(&self, request: &DebitRequest) -> Result<TransactionResponse, Error> {
        self.execute(self.transaction_call(request)?).await
    }

    /// The exact HTTP request [`debit`](Self::debit) would send now, without sending it: method,
    /// URL, every header (`Authorization`, `Date`, `X-Date`, `X-Signature`, `Content-Type`,
    /// `Accept`, `User-Agent`) and the body bytes. [`debit`](Self::debit) sends what this
    /// builds (with the clock's time of the call), so a snapshot of it is a snapshot of the
    /// wire. The `Authorization` value is marked sensitive, so `Debug` of the request hides it.
    ///
    /// ```
    /// use cardflo_client::{Amount, Client, SecretString, auth::{Connector, Credentials}};
    /// use cardflo_client::model::DebitRequest;
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), cardflo_client::Error> {
    /// let client = Client::builder(
    ///     Credentials::new("anyApiUser", SecretString::from("myPassword")),
    ///     Connector::new("my-api-key").shared_secret(SecretString::from("my-shared-secret")),
    /// )
    /// .clock(|| UNIX_EPOCH + Duration::from_secs(1_595_337_303))
    /// .build()?;
    /// let debit = DebitRequest::new("2019-09-02-0004", "9.99".parse::<Amount>()?, "EUR");
    /// let request = client.prepare_debit(&debit).await?;
    ///
    /// assert_eq!(request.method(), "POST");
    /// assert_eq!(request.uri(), "https://gateway.cardflo.io/api/v3/transaction/my-api-key/debit");
    /// assert_eq!(request.headers()["date"], "Tue, 21 Jul 2020 13:15:03 GMT");
    /// assert!(request.headers().contains_key("x-signature"));
    /// assert_eq!(
    ///     request.body().as_slice(),
    ///     br#"{"merchantTransactionId":"2019-09-02-0004","amount":"9.99","currency":"EUR"}"#
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_debit(
        &self,
        request: &DebitRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.transaction_call(request)?)
    }

    /// Preauthorize: reserves the amount; capture or void it later. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = PreauthorizeRequest::new("order-1002-1", "25.00".parse::<Amount>()?, "EUR")
    ///     .transaction_token("ix::tRaNsAcT1OnToK3N");
    /// let response = client.preauthorize(&request).await?;
    /// let uuid = response.uuid; // capture with this as referenceUuid
    /// # Ok(())
    /// # }
    /// ```
    pub async fn preauthorize(
        &self,
        request: &PreauthorizeRequest,
    ) -> Result<TransactionResponse, Error> {
        self.execute(self.transaction_call(request)?).await
    }

    /// The exact request [`preauthorize`](Self::preauthorize) would send now, without sending
    /// it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = PreauthorizeRequest::new("order-1002-1", "25.00".parse::<Amount>()?, "EUR");
    /// let http_request = client.prepare_preauthorize(&request).await?;
    /// assert!(http_request.uri().path().ends_with("/preauthorize"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_preauthorize(
        &self,
        request: &PreauthorizeRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.transaction_call(request)?)
    }

    /// Capture: completes a preauthorization, fully or partially. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = CaptureRequest::new("order-1002-2", "bcdef23456bcdef23456", "25.00".parse::<Amount>()?, "EUR");
    /// let response = client.capture(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn capture(&self, request: &CaptureRequest) -> Result<TransactionResponse, Error> {
        self.execute(self.transaction_call(request)?).await
    }

    /// The exact request [`capture`](Self::capture) would send now, without sending it (see
    /// [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = CaptureRequest::new("order-1002-2", "bcdef23456bcdef23456", "25.00".parse::<Amount>()?, "EUR");
    /// let http_request = client.prepare_capture(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_capture(
        &self,
        request: &CaptureRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.transaction_call(request)?)
    }

    /// Void: cancels a preauthorization. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let response = client.void(&VoidRequest::new("order-1002-3", "bcdef23456bcdef23456")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn void(&self, request: &VoidRequest) -> Result<TransactionResponse, Error> {
        self.execute(self.transaction_call(request)?).await
    }

    /// The exact request [`void`](Self::void) would send now, without sending it (see
    /// [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let http_request = client.prepare_void(&VoidRequest::new("order-1002-3", "bcdef23456bcdef23456")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_void(
        &self,
        request: &VoidRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.transaction_call(request)?)
    }

    /// Register: stores the customer's payment instrument for later transactions. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = RegisterRequest::new("customer-42-register-1").transaction_token("ix::tRaNsAcT1OnToK3N");
    /// let registration_uuid = client.register(&request).await?.uuid;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn register(&self, request: &RegisterRequest) -> Result<TransactionResponse, Error> {
        self.execute(self.transaction_call(request)?).await
    }

    /// The exact request [`register`](Self::register) would send now, without sending it (see
    /// [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = RegisterRequest::new("customer-42-register-1").transaction_token("ix::tRaNsAcT1OnToK3N");
    /// let http_request = client.prepare_register(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_register(
        &self,
        request: &RegisterRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.transaction_call(request)?)
    }

    /// Deregister: deletes a stored payment instrument. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = DeregisterRequest::new("customer-42-deregister-1", "abcde12345abcde12345");
    /// let response = client.deregister(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn deregister(
        &self,
        request: &DeregisterRequest,
    ) -> Result<TransactionResponse, Error> {
        self.execute(self.transaction_call(request)?).await
    }

    /// The exact request [`deregister`](Self::deregister) would send now, without sending it
    /// (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = DeregisterRequest::new("customer-42-deregister-1", "abcde12345abcde12345");
    /// let http_request = client.prepare_deregister(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_deregister(
        &self,
        request: &DeregisterRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.transaction_call(request)?)
    }

    /// Refund: returns money of a debit or capture, fully or partially. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = RefundRequest::new("order-1001-refund-1", "abcde12345abcde12345", "9.99".parse::<Amount>()?, "EUR")
    ///     .description("Refund money");
    /// let response = client.refund(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn refund(&self, request: &RefundRequest) -> Result<TransactionResponse, Error> {
        self.execute(self.transaction_call(request)?).await
    }

    /// The exact request [`refund`](Self::refund) would send now, without sending it (see
    /// [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = RefundRequest::new("order-1001-refund-1", "abcde12345abcde12345", "9.99".parse::<Amount>()?, "EUR");
    /// let http_request = client.prepare_refund(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_refund(
        &self,
        request: &RefundRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.transaction_call(request)?)
    }

    /// Payout: credits the customer. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = PayoutRequest::new("payout-7", "9.99".parse::<Amount>()?, "EUR")
    ///     .transaction_token("ix::a1A2B3b4c5C6D7d");
    /// let response = client.payout(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn payout(&self, request: &PayoutRequest) -> Result<TransactionResponse, Error> {
        self.execute(self.transaction_call(request)?).await
    }

    /// The exact request [`payout`](Self::payout) would send now, without sending it (see
    /// [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = PayoutRequest::new("payout-7", "9.99".parse::<Amount>()?, "EUR");
    /// let http_request = client.prepare_payout(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_payout(
        &self,
        request: &PayoutRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.transaction_call(request)?)
    }

    /// Incremental authorization: increases the amount of a preauthorization. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = IncrementalAuthorizationRequest::new(
    ///     "order-1002-inc-1",
    ///     "bcdef23456bcdef23456",
    ///     "5.00".parse::<Amount>()?,
    ///     "EUR",
    /// );
    /// let response = client.incremental_authorization(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn incremental_authorization(
        &self,
        request: &IncrementalAuthorizationRequest,
    ) -> Result<TransactionResponse, Error> {
        self.execute(self.transaction_call(request)?).await
    }

    /// The exact request [`incremental_authorization`](Self::incremental_authorization) would
    /// send now, without sending it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = IncrementalAuthorizationRequest::new(
    ///     "order-1002-inc-1",
    ///     "bcdef23456bcdef23456",
    ///     "5.00".parse::<Amount>()?,
    ///     "EUR",
    /// );
    /// let http_request = client.prepare_incremental_authorization(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_incremental_authorization(
        &self,
        request: &IncrementalAuthorizationRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.transaction_call(request)?)
    }

    /// The status of a transaction by the gateway's `uuid`. Retried on connection errors, 429
    /// and 5xx. Rate-limited by the gateway (about 60 per minute per API user, 10 per minute
    /// per transaction).
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let status = client.status_by_uuid("abcde12345abcde12345").await?;
    /// if status.is_success() { /* paid */ }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn status_by_uuid(&self, uuid: &str) -> Result<StatusResponse, Error> {
        self.execute(self.status_by_uuid_call(uuid)?).await
    }

    /// The exact request [`status_by_uuid`](Self::status_by_uuid) would send now (its first
    /// attempt), without sending it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let http_request = client.prepare_status_by_uuid("abcde12345abcde12345").await?;
    /// assert_eq!(http_request.method(), "GET");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_status_by_uuid(
        &self,
        uuid: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.status_by_uuid_call(uuid)?)
    }

    /// The status of a transaction by your `merchantTransactionId`. Retried like
    /// [`status_by_uuid`](Self::status_by_uuid). Error 8001 means the gateway has no such
    /// transaction; [`reconcile`](Self::reconcile) turns that into a value.
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let status = client.status_by_merchant_transaction_id("order-1001-1").await?;
    /// println!("{:?}", status.transaction_status);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn status_by_merchant_transaction_id(
        &self,
        merchant_transaction_id: &str,
    ) -> Result<StatusResponse, Error> {
        self.execute(self.status_by_merchant_transaction_id_call(merchant_transaction_id)?)
            .await
    }

    /// The exact request
    /// [`status_by_merchant_transaction_id`](Self::status_by_merchant_transaction_id) (and
    /// [`reconcile`](Self::reconcile)) would send now, without sending it (see
    /// [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let http_request = client.prepare_status_by_merchant_transaction_id("order-1001-1").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_status_by_merchant_transaction_id(
        &self,
        merchant_transaction_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.status_by_merchant_transaction_id_call(merchant_transaction_id)?)
    }

    /// Resolves an ambiguous payment call ([`Error::may_have_been_processed`]): looks the
    /// transaction up by `merchantTransactionId`. [`Reconciliation::NotFound`] (error 8001)
    /// means it never happened and may be sent again with the same id; otherwise the status is
    /// the real outcome.
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client, request: DebitRequest) -> Result<(), cardflo_client::Error> {
    /// match client.debit(&request).await {
    ///     Err(e) if e.may_have_been_processed() => {
    ///         match client.reconcile(&request.merchant_transaction_id).await? {
    ///             Reconciliation::NotFound => { client.debit(&request).await?; }
    ///             Reconciliation::Found(status) => println!("outcome: {:?}", status.transaction_status),
    ///             _ => {}
    ///         }
    ///     }
    ///     other => { other?; }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn reconcile(&self, merchant_transaction_id: &str) -> Result<Reconciliation, Error> {
        match self
            .status_by_merchant_transaction_id(merchant_transaction_id)
            .await
        {
            Ok(status) => Ok(Reconciliation::Found(Box::new(status))),
            Err(e) if e.is_transaction_not_found() => Ok(Reconciliation::NotFound),
            Err(e) => Err(e),
        }
    }

    /// Starts a schedule on a registered instrument. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = StartScheduleRequest::new(
    ///     "abcde12345abcde12345",
    ///     "9.99".parse::<Amount>()?,
    ///     "EUR",
    ///     1,
    ///     PeriodUnit::Month,
    ///     time::macros::datetime!(2030-01-01 00:00 UTC),
    /// );
    /// let schedule_id = client.start_schedule(&request).await?.schedule_id;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_schedule(
        &self,
        request: &StartScheduleRequest,
    ) -> Result<ScheduleResponse, Error> {
        self.execute(self.start_schedule_call(request)?).await
    }

    /// The exact request [`start_schedule`](Self::start_schedule) would send now, without
    /// sending it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = StartScheduleRequest::new(
    ///     "abcde12345abcde12345",
    ///     "9.99".parse::<Amount>()?,
    ///     "EUR",
    ///     1,
    ///     PeriodUnit::Month,
    ///     time::macros::datetime!(2030-01-01 00:00 UTC),
    /// );
    /// let http_request = client.prepare_start_schedule(&request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_start_schedule(
        &self,
        request: &StartScheduleRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.start_schedule_call(request)?)
    }

    /// Updates a schedule (only the fields set). Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let update = UpdateScheduleRequest::new().amount("9.99".parse::<Amount>()?).period_unit(PeriodUnit::Year);
    /// client.update_schedule("SC-1234-1234-1234-1234-1234-1234", &update).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_schedule(
        &self,
        schedule_id: &str,
        request: &UpdateScheduleRequest,
    ) -> Result<ScheduleResponse, Error> {
        self.execute(self.update_schedule_call(schedule_id, request)?)
            .await
    }

    /// The exact request [`update_schedule`](Self::update_schedule) would send now, without
    /// sending it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Amount, Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let update = UpdateScheduleRequest::new().period_unit(PeriodUnit::Year);
    /// let http_request = client.prepare_update_schedule("SC-1234-1234-1234-1234-1234-1234", &update).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_update_schedule(
        &self,
        schedule_id: &str,
        request: &UpdateScheduleRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.update_schedule_call(schedule_id, request)?)
    }

    /// Reads a schedule. Retried on connection errors, 429 and 5xx.
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let schedule = client.get_schedule("SC-1234-1234-1234-1234-1234-1234").await?;
    /// println!("{:?} next at {:?}", schedule.new_status, schedule.scheduled_at);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_schedule(&self, schedule_id: &str) -> Result<ScheduleResponse, Error> {
        self.execute(self.schedule_action_call(Operation::GetSchedule, schedule_id)?)
            .await
    }

    /// The exact request [`get_schedule`](Self::get_schedule) would send now (its first
    /// attempt), without sending it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let http_request = client.prepare_get_schedule("SC-1234-1234-1234-1234-1234-1234").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_get_schedule(
        &self,
        schedule_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.schedule_action_call(Operation::GetSchedule, schedule_id)?)
    }

    /// Pauses a schedule. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// client.pause_schedule("SC-1234-1234-1234-1234-1234-1234").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn pause_schedule(&self, schedule_id: &str) -> Result<ScheduleResponse, Error> {
        self.execute(self.schedule_action_call(Operation::PauseSchedule, schedule_id)?)
            .await
    }

    /// The exact request [`pause_schedule`](Self::pause_schedule) would send now, without
    /// sending it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let http_request = client.prepare_pause_schedule("SC-1234-1234-1234-1234-1234-1234").await?;
    /// assert!(http_request.body().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_pause_schedule(
        &self,
        schedule_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.schedule_action_call(Operation::PauseSchedule, schedule_id)?)
    }

    /// Continues a paused schedule. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = ContinueScheduleRequest::new(time::macros::datetime!(2030-01-01 00:00 UTC));
    /// client.continue_schedule("SC-1234-1234-1234-1234-1234-1234", &request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn continue_schedule(
        &self,
        schedule_id: &str,
        request: &ContinueScheduleRequest,
    ) -> Result<ScheduleResponse, Error> {
        self.execute(self.continue_schedule_call(schedule_id, request)?)
            .await
    }

    /// The exact request [`continue_schedule`](Self::continue_schedule) would send now,
    /// without sending it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::*};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let request = ContinueScheduleRequest::new(time::macros::datetime!(2030-01-01 00:00 UTC));
    /// let http_request = client.prepare_continue_schedule("SC-1234-1234-1234-1234-1234-1234", &request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_continue_schedule(
        &self,
        schedule_id: &str,
        request: &ContinueScheduleRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.continue_schedule_call(schedule_id, request)?)
    }

    /// Cancels a schedule. Never retried.
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// client.cancel_schedule("SC-1234-1234-1234-1234-1234-1234").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn cancel_schedule(&self, schedule_id: &str) -> Result<ScheduleResponse, Error> {
        self.execute(self.schedule_action_call(Operation::CancelSchedule, schedule_id)?)
            .await
    }

    /// The exact request [`cancel_schedule`](Self::cancel_schedule) would send now, without
    /// sending it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::Client;
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let http_request = client.prepare_cancel_schedule("SC-1234-1234-1234-1234-1234-1234").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_cancel_schedule(
        &self,
        schedule_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.schedule_action_call(Operation::CancelSchedule, schedule_id)?)
    }

    /// An adapter's option list (e.g. the bank list of an online-banking method). Read-only,
    /// retried like the status calls.
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::OptionsRequest};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let banks = client.options("bankList", &OptionsRequest::new()).await?;
    /// for option in &banks.options {
    ///     println!("{} = {}", option.key, option.value);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn options(
        &self,
        options_name: &str,
        request: &OptionsRequest,
    ) -> Result<OptionsResponse, Error> {
        self.execute(self.options_call(options_name, request)?)
            .await
    }

    /// The exact request [`options`](Self::options) would send now (its first attempt),
    /// without sending it (see [`prepare_debit`](Self::prepare_debit)).
    ///
    /// ```no_run
    /// # use cardflo_client::{Client, model::OptionsRequest};
    /// # async fn run(client: Client) -> Result<(), cardflo_client::Error> {
    /// let http_request = client.prepare_options("bankList", &OptionsRequest::new()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare_options(
        &self,
        options_name: &str,
        request: &OptionsRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepare(self.options_call(options_name, request)?)
    }

    fn transaction_call<'a, R: TransactionRequest>(
        &'a self,
        request: &'a R,
    ) -> Result<Call<'a>, Error> {
        request.validate()?;
        let path = R::OPERATION.transaction_path().unwrap_or_default();
        Ok(Call {
            operation: R::OPERATION,
            url: self.url(&["transaction", self.api_key(), path]),
            body: serialize(request)?,
            merchant_transaction_id: Some(request.merchant_transaction_id()),
        })
    }

    fn status_by_uuid_call<'a>(&'a self, uuid: &'a str) -> Result<Call<'a>, Error> {
        validate::length("uuid", uuid, 1, 255)?;
        Ok(Call::new(
            Operation::StatusByUuid,
            self.url(&["status", self.api_key(), "getByUuid", uuid]),
            Vec::new(),
        ))
    }

    fn status_by_merchant_transaction_id_call<'a>(
        &'a self,
        merchant_transaction_id: &'a str,
    ) -> Result<Call<'a>, Error> {
        validate::length("merchantTransactionId", merchant_transaction_id, 1, 50)?;
        Ok(Call::new(
            Operation::StatusByMerchantTransactionId,
            self.url(&[
                "status",
                self.api_key(),
                "getByMerchantTransactionId",
                merchant_transaction_id,
            ]),
            Vec::new(),
        ))
    }

    fn start_schedule_call(&self, request: &StartScheduleRequest) -> Result<Call<'_>, Error> {
        request.validate()?;
        Ok(Call::new(
            Operation::StartSchedule,
            self.url(&["schedule", self.api_key(), "start"]),
            serialize(request)?,
        ))
    }

    fn update_schedule_call<'a>(
        &'a self,
        schedule_id: &'a str,
        request: &UpdateScheduleRequest,
    ) -> Result<Call<'a>, Error> {
        validate::length("scheduleId", schedule_id, 1, 255)?;
        request.validate()?;
        Ok(Call::new(
            Operation::UpdateSchedule,
            self.url(&["schedule", self.api_key(), schedule_id, "update"]),
            serialize(request)?,
        ))
    }

    fn continue_schedule_call<'a>(
        &'a self,
        schedule_id: &'a str,
        request: &ContinueScheduleRequest,
    ) -> Result<Call<'a>, Error> {
        validate::length("scheduleId", schedule_id, 1, 255)?;
        request.validate()?;
        Ok(Call::new(
            Operation::ContinueSchedule,
            self.url(&["schedule", self.api_key(), schedule_id, "continue"]),
            serialize(request)?,
        ))
    }

    /// Get, pause and cancel: a schedule id and no body.
    fn schedule_action_call<'a>(
        &'a self,
        operation: Operation,
        schedule_id: &'a str,
    ) -> Result<Call<'a>, Error> {
        validate::length("scheduleId", schedule_id, 1, 255)?;
        let action = match operation {
            Operation::GetSchedule => "get",
            Operation::PauseSchedule => "pause",
            _ => "cancel",
        };
        Ok(Call::new(
            operation,
            self.url(&["schedule", self.api_key(), schedule_id, action]),
            Vec::new(),
        ))
    }

    fn options_call<'a>(
        &'a self,
        options_name: &'a str,
        request: &OptionsRequest,
    ) -> Result<Call<'a>, Error> {
        validate::length("optionsName", options_name, 1, 255)?;
        request.validate()?;
        Ok(Call::new(
            Operation::Options,
            self.url(&["options", self.api_key(), options_name]),
            serialize(request)?,
        ))
    }

    /// The request of a call as it would be sent now: what [`attempt`](Self::attempt) sends.
    fn prepare(&self, call: Call<'_>) -> Result<http::Request<Vec<u8>>, Error> {
        let headers =
            self.signed_headers(call.operation, &call.url, &call.body, (self.inner.clock)())?;
        let uri =
            http::Uri::try_from(call.url.as_str()).map_err(|_| unrepresentable(call.operation))?;
        let mut request = http::Request::new(call.body);
        *request.method_mut() = call.operation.method();
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// Sends a call: state-changing calls once, read-only calls with retries on connection
    /// errors, 429 and 5xx. Then decodes the answer.
    async fn execute<T: Decodable>(&self, call: Call<'_>) -> Result<T, Error> {
        let operation = call.operation.name();
        let span = tracing::info_span!(
            "cardflo",
            operation,
            merchant_transaction_id = call.merchant_transaction_id.unwrap_or_default()
        );
        async move {
            let context = Context::new(call.operation, call.merchant_transaction_id);
            // The request without its per-attempt headers. Its body is the serialized bytes,
            // moved (not copied) into a shared buffer that every attempt reuses.
            let mut request = reqwest::Request::new(call.operation.method(), call.url);
            if request.method() != Method::GET {
                *request.body_mut() = Some(call.body.into());
            }
            if call.operation.is_read_only() {
                let answer = self.attempt_with_retries(&context, &request).await?;
                response::decode(&context, answer.status, &answer.body)
            } else {
                let answer = self.attempt(&context, request).await?;
                response::classify_and_decode(
                    &context,
                    answer.status,
                    answer.retry_after,
                    &answer.body,
                )
            }
        }
        .instrument(span)
        .await
    }

    async fn attempt_with_retries(
        &self,
        context: &Context<'_>,
        request: &reqwest::Request,
    ) -> Result<Answer, Error> {
        let max_retry_after = self.inner.max_retry_after;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.inner.retry_min_delay)
            .with_max_delay(self.inner.retry_max_delay)
            .with_max_times(usize::try_from(self.inner.max_retries).unwrap_or(usize::MAX))
            .with_jitter();
        (|| self.attempt_classified(context, request))
            .retry(backoff)
            .sleep(tokio::time::sleep)
            .when(Error::is_retryable)
            .adjust(move |e: &Error, delay| {
                let delay = delay?;
                match e.retry_after() {
                    Some(wait) if wait > max_retry_after => None,
                    Some(wait) => Some(wait),
                    None => Some(delay),
                }
            })
            .notify(|e: &Error, delay| {
                tracing::debug!(error = %e, delay_ms = delay.as_millis() as u64, "retrying");
            })
            .await
    }

    /// One attempt of a retried call: a copy of `request` (sharing its body) is sent, and the
    /// answer classified, so that 429 and 5xx answers can be retried.
    async fn attempt_classified(
        &self,
        context: &Context<'_>,
        request: &reqwest::Request,
    ) -> Result<Answer, Error> {
        // Never fails: the body is always a buffer, which is shared, not streamed.
        let request = request
            .try_clone()
            .ok_or_else(|| unrepresentable(context.operation))?;
        let answer = self.attempt(context, request).await?;
        response::classify(context, answer.status, answer.retry_after, &answer.body)?;
        Ok(answer)
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            path.extend(segments);
        }
        url
    }

    /// The headers of a request at `now`, signed. Both [`prepare`](Self::prepare) and
    /// [`attempt`](Self::attempt) use them.
    fn signed_headers(
        &self,
        operation: Operation,
        url: &Url,
        body: &[u8],
        now: SystemTime,
    ) -> Result<HeaderMap, Error> {
        let date = payments_signing::http::format_http_date(now);
        let signature = if self.connector.is_signed() {
            // What `payments_signing::ixopay::request_uri` gives for the URL: its path and
            // query (the URL has no fragment, and its path always starts with `/`).
            let request_uri = &url[url::Position::BeforePath..url::Position::AfterQuery];
            self.connector
                .sign(operation.method().as_str(), body, &date, request_uri)
        } else {
            None
        };

        let authorization = self.inner.authorization.clone();
        let date = HeaderValue::try_from(date)
            .map_err(|_| Error::Config("clock: the date is not a header value".to_owned()))?;
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(CONTENT_TYPE),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        headers.insert(DATE, date.clone());
        headers.insert(X_DATE, date);
        if let Some(signature) = signature {
            let signature =
                HeaderValue::try_from(signature).map_err(|_| unrepresentable(operation))?;
            headers.insert(X_SIGNATURE, signature);
        }
        Ok(headers)
    }

    /// Sends a request once (with its headers signed now) and reads the answer.
    async fn attempt(
        &self,
        context: &Context<'_>,
        mut request: reqwest::Request,
    ) -> Result<Answer, Error> {
        let now = (self.inner.clock)();
        let body = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .unwrap_or_default();
        let headers = self.signed_headers(context.operation, request.url(), body, now)?;
        // The check that building the `http::Request` of `prepare` makes.
        http::Uri::try_from(request.url().as_str())
            .map_err(|_| unrepresentable(context.operation))?;
        *request.headers_mut() = headers;
        *request.timeout_mut() = Some(self.inner.timeout);

        let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
        tracing::debug!(method = %request.method(), signed = self.connector.is_signed(), "sending");
        let mut response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(|e| self.send_error(context, e))?;
        let status = response.status();
        let retry_after = response::retry_after(response.headers(), now);
        let body = self.read_body(context, status, &mut response).await?;
        drop(response);
        tracing::debug!(
            status = status.as_u16(),
            elapsed_ms = started.map_or(0, |started| started.elapsed().as_millis() as u64),
            "answer received"
        );
        tracing::trace!(body = %scrub::excerpt(&body), "answer body (scrubbed)");
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }

    /// Reads the body up to the configured limit: a larger declared `Content-Length` is refused
    /// before reading, and reading stops as soon as the limit is passed.
    async fn read_body(
        &self,
        context: &Context<'_>,
        status: StatusCode,
        response: &mut reqwest::Response,
    ) -> Result<bytes::Bytes, Error> {
        let limit = self.inner.max_response_bytes;
        let too_large = || {
            let error = Error::ResponseTooLarge {
                operation: context.operation.name(),
                status,
                limit,
                may_have_been_processed: !context.operation.is_read_only()
                    && !status.is_client_error(),
            };
            tracing::warn!(error = %error, "answer refused");
            error
        };
        let declared = response.content_length();
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(too_large());
        }
        let capacity = declared.map_or(0, |length| usize::try_from(length).unwrap_or(limit));
        // An answer that arrives in one chunk (the usual case) is kept as it is; only one in
        // several chunks is joined into a buffer.
        let mut first: Option<bytes::Bytes> = None;
        let mut joined = Vec::new();
        let mut len = 0;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if chunk.len() > limit - len {
                        return Err(too_large());
                    }
                    len += chunk.len();
                    if first.is_none() && joined.is_empty() {
                        first = Some(chunk);
                        continue;
                    }
                    if let Some(first) = first.take() {
                        joined.reserve(capacity.min(limit).max(len));
                        joined.extend_from_slice(&first);
                    }
                    joined.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(first.unwrap_or_else(|| bytes::Bytes::from(joined))),
                Err(e) => return Err(self.body_error(context, status, e)),
            }
        }
    }

    fn send_error(&self, context: &Context<'_>, e: reqwest::Error) -> Error {
        let e = e.without_url();
        let not_sent = e.is_builder() || e.is_connect();
        let error = if not_sent || context.operation.is_read_only() {
            Error::Transport {
                operation: context.operation.name(),
                message: if e.is_timeout() {
                    "timed out".to_owned()
                } else if e.is_connect() {
                    "could not connect".to_owned()
                } else {
                    "request failed".to_owned()
                },
                source: Some(Box::new(e)),
            }
        } else {
            let reason = if e.is_timeout() {
                AmbiguousReason::Timeout
            } else {
                AmbiguousReason::ConnectionLost
            };
            let mut ambiguous = AmbiguousError::new(context.operation.name(), reason);
            ambiguous.merchant_transaction_id = context.merchant_transaction_id.map(str::to_owned);
            ambiguous.source = Some(Box::new(e));
            Error::from(ambiguous)
        };
        tracing::warn!(error = %error, "request failed");
        error
    }

    fn body_error(&self, context: &Context<'_>, status: StatusCode, e: reqwest::Error) -> Error {
        let e = e.without_url();
        let error = if context.operation.is_read_only() {
            Error::Transport {
                operation: context.operation.name(),
                message: "the answer could not be read".to_owned(),
                source: Some(Box::new(e)),
            }
        } else {
            let reason = if e.is_timeout() {
                AmbiguousReason::Timeout
            } else {
                AmbiguousReason::IncompleteResponse
            };
            let mut ambiguous =
                AmbiguousError::new(context.operation.name(), reason).with_status(status);
            ambiguous.merchant_transaction_id = context.merchant_transaction_id.map(str::to_owned);
            ambiguous.source = Some(Box::new(e));
            Error::from(ambiguous)
        };
        tracing::warn!(error = %error, "answer could not be read");
        error
    }
}

fn serialize<B: Serialize>(body: &B) -> Result<Vec<u8>, Error> {
    // Room for a typical request body, so that serializing rarely grows the buffer.
    let mut bytes = Vec::with_capacity(1024);
    serde_json::to_writer(&mut bytes, body)
        .map_err(|e| Error::invalid_request("", format!("cannot be serialized: {e}")))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_request_uri_is_the_primitive_s() {
        for base in [
            "https://gateway.example",
            "http://127.0.0.1:8080/api/v3",
            "https://user:p%2Fw@gateway.example/a b/",
        ] {
            let base = Url::parse(base).unwrap_or_else(|e| unreachable!("{e}"));
            let mut url = base.clone();
            if let Ok(mut path) = url.path_segments_mut() {
                path.pop_if_empty();
                path.extend(["transaction", "key/é?#", "debit"]);
            }
            for url in [base, url] {
                assert_eq!(
                    &url[url::Position::BeforePath..url::Position::AfterQuery],
                    payments_signing::ixopay::request_uri(url.as_str()),
                );
            }
        }
    }
}
