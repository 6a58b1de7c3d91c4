//! The client: one async method per operation of the Transaction API.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use http::{HeaderValue, Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracing::Instrument;
use url::Url;

use crate::auth::{CONTENT_TYPE, Connector, Credentials};
use crate::error::{AmbiguousError, AmbiguousReason, DecodeError, Error, ProviderError};
use crate::model::{
    CaptureRequest, ContinueScheduleRequest, DebitRequest, DeregisterRequest, ErrorCode,
    IncrementalAuthorizationRequest, OptionsRequest, OptionsResponse, PayoutRequest,
    PreauthorizeRequest, Reconciliation, RefundRequest, RegisterRequest, ScheduleResponse,
    StartScheduleRequest, StatusResponse, TransactionRequest, TransactionResponse,
    UpdateScheduleRequest, VoidRequest,
};
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
pub const DEFAULT_MAX_RETRIES: usize = 2;

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
    max_retries: usize,
    retry_base_delay: Duration,
    max_retry_after: Duration,
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
    pub fn max_retries(mut self, max_retries: usize) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The first delay of the jittered exponential backoff between retries (default 200 ms,
    /// capped at 10 s). A `Retry-After` from the gateway takes precedence.
    #[must_use]
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry_base_delay = delay;
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
        HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::Config("user agent: not a valid header value".to_owned()))?;
        let authorization = self.credentials.authorization();
        HeaderValue::from_str(authorization.expose_secret())
            .map_err(|_| Error::Config("credentials: not valid in a header".to_owned()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                authorization,
                clock: self.clock,
                timeout: self.timeout,
                max_retries: self.max_retries,
                retry_base_delay: self.retry_base_delay,
                max_retry_after: self.max_retry_after,
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
            .finish_non_exhaustive()
    }
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    credentials: Credentials,
    authorization: SecretString,
    clock: Clock,
    timeout: Duration,
    max_retries: usize,
    retry_base_delay: Duration,
    max_retry_after: Duration,
    user_agent: String,
}

/// A client of the Cardflo Transaction API for one connector. Cheap to clone, `Send + Sync`.
///
/// ```no_run
/// use cardflo_client::{Amount, Client, auth::{Connector, Credentials}};
/// use cardflo_client::model::{DebitRequest, TransactionOutcome};
/// use secrecy::SecretString;
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

/// Whether a call changes state at the gateway (never retried; failures after sending are
/// ambiguous) or only reads (retried; failures are transport errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mutating,
    ReadOnly,
}

struct Call<'a> {
    operation: &'static str,
    method: Method,
    segments: Vec<&'a str>,
    body: Vec<u8>,
    kind: Kind,
    merchant_transaction_id: Option<&'a str>,
}

struct Answer {
    status: StatusCode,
    body: Vec<u8>,
}

impl Client {
    /// Starts configuring a client for one connector. See [`Client::connector`] to address
    /// other connectors with the same credentials.
    ///
    /// ```
    /// use cardflo_client::{Client, auth::{Connector, Credentials}};
    /// use secrecy::SecretString;
    /// use std::time::Duration;
    ///
    /// let client = Client::builder(
    ///     Credentials::new("anyApiUser", SecretString::from("myPassword")),
    ///     Connector::new("my-api-key").shared_secret(SecretString::from("my-shared-secret")),
    /// )
    /// .base_url("https://gateway.cardflo.io/api/v3")
    /// .timeout(Duration::from_secs(30))
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
            retry_base_delay: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(30),
            user_agent_suffix: None,
        }
    }

    /// A client for another connector of the same merchant: same credentials, configuration and
    /// connection pool, another API key (and shared secret). Cheap.
    ///
    /// ```
    /// # use cardflo_client::{Client, auth::{Connector, Credentials}};
    /// # use secrecy::SecretString;
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
        self.transaction(request).await
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
        self.transaction(request).await
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
        self.transaction(request).await
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
        self.transaction(request).await
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
        self.transaction(request).await
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
        self.transaction(request).await
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
        self.transaction(request).await
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
        self.transaction(request).await
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
        self.transaction(request).await
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
        validate::length("uuid", uuid, 1, 255)?;
        self.read(
            "status_by_uuid",
            Method::GET,
            vec!["status", self.api_key(), "getByUuid", uuid],
            None,
        )
        .await
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
        validate::length("merchantTransactionId", merchant_transaction_id, 1, 50)?;
        self.read(
            "status_by_merchant_transaction_id",
            Method::GET,
            vec![
                "status",
                self.api_key(),
                "getByMerchantTransactionId",
                merchant_transaction_id,
            ],
            None,
        )
        .await
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
        request.validate()?;
        self.mutate(
            "start_schedule",
            vec!["schedule", self.api_key(), "start"],
            Some(request),
            None,
        )
        .await
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
        validate::length("scheduleId", schedule_id, 1, 255)?;
        request.validate()?;
        self.mutate(
            "update_schedule",
            vec!["schedule", self.api_key(), schedule_id, "update"],
            Some(request),
            None,
        )
        .await
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
        validate::length("scheduleId", schedule_id, 1, 255)?;
        self.read(
            "get_schedule",
            Method::GET,
            vec!["schedule", self.api_key(), schedule_id, "get"],
            None,
        )
        .await
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
        validate::length("scheduleId", schedule_id, 1, 255)?;
        self.mutate::<(), _>(
            "pause_schedule",
            vec!["schedule", self.api_key(), schedule_id, "pause"],
            None,
            None,
        )
        .await
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
        validate::length("scheduleId", schedule_id, 1, 255)?;
        request.validate()?;
        self.mutate(
            "continue_schedule",
            vec!["schedule", self.api_key(), schedule_id, "continue"],
            Some(request),
            None,
        )
        .await
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
        validate::length("scheduleId", schedule_id, 1, 255)?;
        self.mutate::<(), _>(
            "cancel_schedule",
            vec!["schedule", self.api_key(), schedule_id, "cancel"],
            None,
            None,
        )
        .await
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
        validate::length("optionsName", options_name, 1, 255)?;
        request.validate()?;
        let body = serialize(request)?;
        self.read(
            "options",
            Method::POST,
            vec!["options", self.api_key(), options_name],
            Some(body),
        )
        .await
    }

    async fn transaction<R: TransactionRequest>(
        &self,
        request: &R,
    ) -> Result<TransactionResponse, Error> {
        request.validate()?;
        self.mutate(
            R::OPERATION,
            vec!["transaction", self.api_key(), R::PATH],
            Some(request),
            Some(request.merchant_transaction_id()),
        )
        .await
    }

    /// A state-changing POST: sent once, never retried.
    async fn mutate<B: Serialize, T: DeserializeOwned>(
        &self,
        operation: &'static str,
        segments: Vec<&str>,
        body: Option<&B>,
        merchant_transaction_id: Option<&str>,
    ) -> Result<T, Error> {
        let body = match body {
            Some(b) => serialize(b)?,
            None => Vec::new(),
        };
        let call = Call {
            operation,
            method: Method::POST,
            segments,
            body,
            kind: Kind::Mutating,
            merchant_transaction_id,
        };
        let span = tracing::info_span!(
            "cardflo",
            operation,
            merchant_transaction_id = merchant_transaction_id.unwrap_or_default()
        );
        async {
            let answer = self.attempt(&call).await?;
            decode(&call, &answer)
        }
        .instrument(span)
        .await
    }

    /// A read-only call: retried on connection errors, 429 and 5xx.
    async fn read<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        method: Method,
        segments: Vec<&str>,
        body: Option<Vec<u8>>,
    ) -> Result<T, Error> {
        let call = Call {
            operation,
            method,
            segments,
            body: body.unwrap_or_default(),
            kind: Kind::ReadOnly,
            merchant_transaction_id: None,
        };
        let span = tracing::info_span!("cardflo", operation);
        async {
            let max_retry_after = self.inner.max_retry_after;
            let backoff = ExponentialBuilder::default()
                .with_min_delay(self.inner.retry_base_delay)
                .with_max_delay(Duration::from_secs(10))
                .with_max_times(self.inner.max_retries)
                .with_jitter();
            let answer = (|| self.attempt(&call))
                .retry(backoff)
                .sleep(tokio::time::sleep)
                .when(should_retry)
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
                .await?;
            decode(&call, &answer)
        }
        .instrument(span)
        .await
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            path.extend(segments);
        }
        url
    }

    /// Sends a call once and classifies the answer.
    async fn attempt(&self, call: &Call<'_>) -> Result<Answer, Error> {
        let url = self.url(&call.segments);
        let request_uri = payments_signing::ixopay::request_uri(url.as_str());
        let now = (self.inner.clock)();
        let date = payments_signing::http::format_http_date(now);
        let signature = self
            .connector
            .sign(call.method.as_str(), &call.body, &date, &request_uri);

        let mut authorization = HeaderValue::from_str(self.inner.authorization.expose_secret())
            .map_err(|_| Error::Config("credentials: not valid in a header".to_owned()))?;
        authorization.set_sensitive(true);
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), url)
            .timeout(self.inner.timeout)
            .header(http::header::AUTHORIZATION, authorization)
            .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::USER_AGENT, &self.inner.user_agent)
            .header(http::header::DATE, &date)
            .header("X-Date", &date);
        if let Some(signature) = signature {
            request = request.header("X-Signature", signature);
        }
        if call.method != Method::GET {
            request = request.body(call.body.clone());
        }

        let started = Instant::now();
        tracing::debug!(method = %call.method, signed = self.connector.is_signed(), "sending");
        let response = request.send().await.map_err(|e| self.send_error(call, e))?;
        let status = response.status();
        let retry_after = retry_after(response.headers(), now);
        let body = match response.bytes().await {
            Ok(bytes) => bytes.to_vec(),
            Err(e) => return Err(self.body_error(call, status, e)),
        };
        tracing::debug!(
            status = status.as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "answer received"
        );
        tracing::trace!(body = %scrub::excerpt(&body), "answer body (scrubbed)");
        classify(call, status, retry_after, body)
    }

    fn send_error(&self, call: &Call<'_>, e: reqwest::Error) -> Error {
        let e = e.without_url();
        let not_sent = e.is_builder() || e.is_connect();
        let error = if not_sent || call.kind == Kind::ReadOnly {
            Error::Transport {
                operation: call.operation,
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
            let mut ambiguous = AmbiguousError::new(call.operation, reason);
            ambiguous.merchant_transaction_id = call.merchant_transaction_id.map(str::to_owned);
            ambiguous.source = Some(Box::new(e));
            Error::from(ambiguous)
        };
        tracing::warn!(error = %error, "request failed");
        error
    }

    fn body_error(&self, call: &Call<'_>, status: StatusCode, e: reqwest::Error) -> Error {
        let e = e.without_url();
        let error = if call.kind == Kind::ReadOnly {
            Error::Transport {
                operation: call.operation,
                message: "the answer could not be read".to_owned(),
                source: Some(Box::new(e)),
            }
        } else {
            let reason = if e.is_timeout() {
                AmbiguousReason::Timeout
            } else {
                AmbiguousReason::IncompleteResponse
            };
            let mut ambiguous = AmbiguousError::new(call.operation, reason).with_status(status);
            ambiguous.merchant_transaction_id = call.merchant_transaction_id.map(str::to_owned);
            ambiguous.source = Some(Box::new(e));
            Error::from(ambiguous)
        };
        tracing::warn!(error = %error, "answer could not be read");
        error
    }
}

fn serialize<B: Serialize>(body: &B) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body)
        .map_err(|e| Error::invalid_request("", format!("cannot be serialized: {e}")))
}

fn should_retry(e: &Error) -> bool {
    e.is_retryable()
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = payments_signing::http::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// The error fields of a general error body: `errorCode`/`code` and `errorMessage`/`message`.
fn error_fields(json: Option<&Value>) -> (Option<ErrorCode>, Option<String>) {
    let Some(Value::Object(map)) = json else {
        return (None, None);
    };
    let code = map
        .get("errorCode")
        .or_else(|| map.get("code"))
        .and_then(|v| match v {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        })
        .map(|raw| ErrorCode::parse(&raw));
    let message = map
        .get("errorMessage")
        .or_else(|| map.get("message"))
        .and_then(Value::as_str)
        .map(scrub::text);
    (code, message)
}

/// A general error: `success: false` without a transaction `returnType`.
fn is_general_error(json: Option<&Value>) -> bool {
    let Some(Value::Object(map)) = json else {
        return false;
    };
    let failed = match map.get("success") {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("false"),
        _ => false,
    };
    failed && !map.contains_key("returnType")
}

fn classify(
    call: &Call<'_>,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: Vec<u8>,
) -> Result<Answer, Error> {
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    let (code, message) = error_fields(json.as_ref());
    if status.is_server_error() && call.kind == Kind::Mutating {
        let mut ambiguous =
            AmbiguousError::new(call.operation, AmbiguousReason::ServerError).with_status(status);
        ambiguous.merchant_transaction_id = call.merchant_transaction_id.map(str::to_owned);
        ambiguous.provider_code = code;
        ambiguous.body_excerpt = Some(scrub::excerpt(&body));
        let error = Error::from(ambiguous);
        tracing::warn!(error = %error, "server error on a state-changing call");
        return Err(error);
    }
    if !status.is_success() || is_general_error(json.as_ref()) {
        let may_have_been_processed = call.kind == Kind::Mutating
            && status.is_success()
            && ProviderError::code_may_mean_processed(code.as_ref());
        let error = Error::from(ProviderError {
            operation: call.operation,
            status: Some(status),
            code,
            message,
            retry_after,
            body_excerpt: scrub::excerpt(&body),
            may_have_been_processed,
        });
        tracing::info!(error = %error, "the gateway answered with an error");
        return Err(error);
    }
    Ok(Answer { status, body })
}

fn decode<T: DeserializeOwned>(call: &Call<'_>, answer: &Answer) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(&answer.body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        // A syntax error outside any field is reported for the whole body.
        let path = match e.path().to_string() {
            p if p == "?" => ".".to_owned(),
            p => p,
        };
        let error = Error::from(DecodeError::new(
            call.operation,
            answer.status,
            path,
            scrub::text(&e.inner().to_string()),
            scrub::excerpt(&answer.body),
            call.kind == Kind::Mutating,
        ));
        tracing::warn!(error = %error, "the answer could not be decoded");
        error
    })
}
