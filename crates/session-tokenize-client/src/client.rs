//! [`Client`] and [`ClientBuilder`]: one async method per Pivot operation.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::auth::{Bearer, Credentials, Environment, RequestId, TokenCache, TokenData};
use crate::error::{ErrorCode, ProviderError};
use crate::model::config::PaymentMethodConfigs;
use crate::model::customer::Customer;
use crate::model::refund::{CreateRefund, ListRefunds, Refund};
use crate::model::session::{
    CancelBody, CancellationReason, Capture, CapturePaymentSession, Charge, ConfirmPaymentSession,
    CreatePaymentSession, PaymentSession,
};
use crate::model::{Envelope, Page, PageRequest, Pagination};
use crate::{Error, scrub};

/// A clock: returns the current time. Injected so token expiry is testable.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// A source of `X-REQUEST-ID`s for calls that do not carry one.
pub type RequestIdGenerator = Arc<dyn Fn() -> RequestId + Send + Sync>;

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Pivot answers 408 after 60 s; wait a little longer than that.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(70);
const DEFAULT_MAX_RETRIES: usize = 2;
const DEFAULT_MIN_DELAY: Duration = Duration::from_millis(200);
const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(5);
/// A `Retry-After` longer than this ends the retries instead of blocking the caller.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

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
    max_retries: usize,
    min_delay: Duration,
    max_delay: Duration,
    timeout: Duration,
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
    max_retries: usize,
    min_delay: Duration,
    max_delay: Duration,
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

    /// Automatic retries of reads and of creates/confirms (default 2). Retries back off
    /// exponentially with jitter, honour `Retry-After`, and reuse the `X-REQUEST-ID`.
    pub fn max_retries(mut self, max_retries: usize) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The first and the largest delay between retries (default 200 ms and 5 s).
    pub fn retry_delays(mut self, min: Duration, max: Duration) -> Self {
        self.min_delay = min;
        self.max_delay = max.max(min);
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
        let base_url = Url::parse(&raw_url).map_err(|e| Error::Configuration {
            message: format!("base URL `{raw_url}` is not a URL: {e}"),
        })?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Configuration {
                message: format!("base URL `{raw_url}` must be an http(s) URL"),
            });
        }
        let mut agent = format!("{}/{}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = &self.user_agent_suffix {
            agent.push(' ');
            agent.push_str(suffix);
        }
        let user_agent = HeaderValue::try_from(agent).map_err(|_| Error::Configuration {
            message: "the user agent suffix contains characters not allowed in a header".into(),
        })?;
        let sub_merchant_id = match self.sub_merchant_id {
            Some(id) => Some(HeaderValue::try_from(id).map_err(|_| Error::Configuration {
                message: "the sub-merchant id contains characters not allowed in a header".into(),
            })?),
            None => None,
        };
        if self.credentials.client_id().is_empty() {
            return Err(Error::Configuration {
                message: "the client id is empty".into(),
            });
        }
        if HeaderValue::try_from(self.credentials.client_id()).is_err()
            || HeaderValue::try_from(self.credentials.client_secret().expose_secret()).is_err()
        {
            return Err(Error::Configuration {
                message: "the credentials contain characters not allowed in a header".into(),
            });
        }
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Configuration {
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
    method: Method,
    url: Url,
    body: Option<Vec<u8>>,
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
    /// Not worth another attempt.
    Fatal(Error),
}

impl Failure {
    fn retryable(&self) -> bool {
        match self {
            Self::NotSent(_) | Self::MaybeSent(_) | Self::Gateway(_) => true,
            Self::Rejected(p) => p.status == StatusCode::TOO_MANY_REQUESTS,
            Self::Decode { .. } | Self::Fatal(_) => false,
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
            Self::Fatal(e) => e.to_string(),
        }
    }

    fn into_error(self, call: &Call) -> Error {
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
            } => Error::Decode {
                path,
                message,
                processed: call.mutating && status.is_success(),
                status: Some(status),
                excerpt,
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
            user_agent_suffix: None,
            sub_merchant_id: None,
        }
    }

    /// The environment of the client's credentials.
    pub fn environment(&self) -> Environment {
        self.inner.credentials.environment()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
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
        request.validate()?;
        let request_id = request
            .request_id_value()
            .cloned()
            .unwrap_or_else(|| (self.inner.request_ids)());
        let call = self.call(
            "create_payment_session",
            Method::POST,
            &["v2", "payments"],
            Vec::new(),
            Some(json_body(request)?),
            Some(request_id),
            Replay::Safe,
        )?;
        self.execute::<PaymentSession>(call).await.map(|(s, _)| s)
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
        check_id("id", id)?;
        request.validate()?;
        let request_id = request
            .request_id_value()
            .cloned()
            .unwrap_or_else(|| (self.inner.request_ids)());
        let call = self.call(
            "confirm_payment_session",
            Method::POST,
            &["v2", "payments", id, "confirm"],
            Vec::new(),
            Some(json_body(request)?),
            Some(request_id),
            Replay::Safe,
        )?;
        self.execute::<PaymentSession>(call).await.map(|(s, _)| s)
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
        check_id("id", id)?;
        let call = self.call(
            "get_payment_session",
            Method::GET,
            &["v2", "payments", id],
            Vec::new(),
            None,
            None,
            Replay::Safe,
        )?;
        self.execute::<PaymentSession>(call).await.map(|(s, _)| s)
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
        check_id("clientReferenceId", client_reference_id)?;
        let call = self.call(
            "get_payment_sessions_by_reference",
            Method::GET,
            &["v2", "payments"],
            vec![("clientReferenceId", client_reference_id.to_owned())],
            None,
            None,
            Replay::Safe,
        )?;
        self.execute_page(call).await
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
        page.validate()?;
        let call = self.call(
            "list_payment_sessions",
            Method::GET,
            &["v2", "payments"],
            page.query(),
            None,
            None,
            Replay::Safe,
        )?;
        self.execute_page(call).await
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
        check_id("id", id)?;
        let call = self.call(
            "cancel_payment_session",
            Method::POST,
            &["v2", "payments", id, "cancel"],
            Vec::new(),
            Some(json_body(&CancelBody {
                cancellation_reason: &reason,
            })?),
            None,
            Replay::Never,
        )?;
        self.execute::<PaymentSession>(call).await.map(|(s, _)| s)
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
        check_id("id", id)?;
        request.validate()?;
        let call = self.call(
            "capture_payment_session",
            Method::POST,
            &["v2", "payments", id, "capture"],
            Vec::new(),
            Some(json_body(request)?),
            None,
            Replay::Never,
        )?;
        self.execute::<Capture>(call).await.map(|(c, _)| c)
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
        check_id("clientReferenceId", client_reference_id)?;
        let call = self.call(
            "list_charges",
            Method::GET,
            &["v2", "charges"],
            vec![("clientReferenceId", client_reference_id.to_owned())],
            None,
            None,
            Replay::Safe,
        )?;
        self.execute_page(call).await
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
        let call = self.call(
            "get_payment_method_configs",
            Method::GET,
            &["v2", "payment-method-configs"],
            Vec::new(),
            None,
            None,
            Replay::Safe,
        )?;
        self.execute::<PaymentMethodConfigs>(call)
            .await
            .map(|(c, _)| c)
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
        check_id("customerId", customer_id)?;
        let call = self.call(
            "get_customer",
            Method::GET,
            &["v1", "customers", customer_id],
            Vec::new(),
            None,
            None,
            Replay::Safe,
        )?;
        self.execute::<Customer>(call).await.map(|(c, _)| c)
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
        request.validate()?;
        let request_id = request
            .request_id_value()
            .cloned()
            .unwrap_or_else(|| (self.inner.request_ids)());
        let call = self.call(
            "create_refund",
            Method::POST,
            &["v1", "refunds"],
            Vec::new(),
            Some(json_body(request)?),
            Some(request_id),
            Replay::Never,
        )?;
        self.execute::<Refund>(call).await.map(|(r, _)| r)
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
        check_id("id", id)?;
        let call = self.call(
            "get_refund",
            Method::GET,
            &["v1", "refunds", id],
            Vec::new(),
            None,
            None,
            Replay::Safe,
        )?;
        self.execute::<Refund>(call).await.map(|(r, _)| r)
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
        request.page.validate()?;
        let call = self.call(
            "list_refunds",
            Method::GET,
            &["v1", "refunds"],
            request.query(),
            None,
            None,
            Replay::Safe,
        )?;
        self.execute_page(call).await
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
            let mut path = url.path_segments_mut().map_err(|()| Error::Configuration {
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
        Ok(Call {
            operation,
            method,
            url,
            body,
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

    /// The retry loop around `attempt`.
    async fn execute_with<T, F, Fut>(&self, call: &Call, attempt: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        let span = tracing::info_span!(
            "pivot",
            operation = call.operation,
            method = %call.method,
            path = call.url.path(),
            request_id = call.request_id.as_ref().map(RequestId::as_str),
        );
        async {
            let backoff = ExponentialBuilder::default()
                .with_min_delay(self.inner.min_delay)
                .with_max_delay(self.inner.max_delay)
                .with_factor(2.0)
                .with_max_times(self.inner.max_retries)
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
                let error = failure.into_error(call);
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
    async fn attempt_merchant(&self, call: &Call) -> Result<TokenData, Failure> {
        let response = self.send(call, None).await?;
        self.read::<TokenData>(call, response)
            .await
            .map(|(data, _)| data)
    }

    async fn send(
        &self,
        call: &Call,
        bearer: Option<&Bearer>,
    ) -> Result<reqwest::Response, Failure> {
        let inner = &self.inner;
        let mut headers = HeaderMap::new();
        headers.insert(http::header::USER_AGENT, inner.user_agent.clone());
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        if call.body.is_some() {
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
                    .map_err(|_| Failure::Fatal(config_error("client id")))?;
                let mut secret =
                    HeaderValue::try_from(inner.credentials.client_secret().expose_secret())
                        .map_err(|_| Failure::Fatal(config_error("client secret")))?;
                secret.set_sensitive(true);
                headers.insert("x-merchant-id", id);
                headers.insert("x-merchant-secret", secret);
            }
        }
        if let Some(request_id) = &call.request_id {
            let value = HeaderValue::try_from(request_id.as_str())
                .map_err(|_| Failure::Fatal(config_error("request id")))?;
            headers.insert("x-request-id", value);
        }
        if let (Some(sub), Auth::Bearer) = (&inner.sub_merchant_id, call.auth) {
            headers.insert("x-submerchant-id", sub.clone());
        }
        let mut request = inner
            .http
            .request(call.method.clone(), call.url.clone())
            .headers(headers)
            .timeout(inner.timeout);
        if let Some(body) = &call.body {
            if tracing::enabled!(tracing::Level::TRACE) {
                tracing::trace!(body = %scrub::scrub(body), "request body");
            }
            request = request.body(body.clone());
        }
        let started = Instant::now();
        let result = request.send().await;
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
            .and_then(|v| parse_retry_after(v, (self.inner.clock)()));
        let body = response.bytes().await.map_err(Failure::MaybeSent)?;
        if tracing::enabled!(tracing::Level::TRACE) {
            tracing::trace!(body = %scrub::scrub(&body), "response body");
        }
        if !status.is_success() {
            let error = Box::new(provider_error(
                status,
                &body,
                call.request_id.clone(),
                retry_after,
            ));
            return Err(
                if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
                    Failure::Gateway(error)
                } else {
                    Failure::Rejected(error)
                },
            );
        }
        let envelope = decode_envelope::<T>(status, &body)?;
        if let Some(code) = envelope.code.as_deref()
            && code != "00"
        {
            return Err(Failure::Rejected(Box::new(provider_error(
                status,
                &body,
                call.request_id.clone(),
                retry_after,
            ))));
        }
        match envelope.data {
            Some(data) => Ok((data, envelope.pagination)),
            None if call.list => serde_json::from_value::<T>(serde_json::Value::Array(Vec::new()))
                .map(|empty| (empty, envelope.pagination))
                .map_err(|e| Failure::Fatal(Error::invalid("data", e.to_string()))),
            None => Err(Failure::Decode {
                path: "data".into(),
                message: "missing or null".into(),
                status,
                excerpt: scrub::excerpt(&body),
            }),
        }
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
        let data = self
            .execute_with(&call, || self.attempt_merchant(&call))
            .await?;
        let lifetime = data
            .expires_in
            .filter(|secs| *secs > 0)
            .map(Duration::from_secs)
            .unwrap_or(crate::auth::DEFAULT_TOKEN_LIFETIME);
        Ok((data.access_token, lifetime))
    }
}

fn config_error(what: &str) -> Error {
    Error::Configuration {
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
    serde_json::to_vec(value).map_err(|e| Error::invalid("body", e.to_string()))
}

/// Decodes a successful answer, naming the failing field on error.
fn decode_envelope<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<Envelope<T>, Failure> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Failure::Decode {
            path: String::new(),
            message: "the body is empty".into(),
            status,
            excerpt: String::new(),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, Envelope<T>>(&mut deserializer) {
        Ok(envelope) => Ok(envelope),
        Err(e) => {
            let path = e.path().to_string();
            let message = scrub::mask_text(&e.into_inner().to_string());
            Err(Failure::Decode {
                path: crate::de::error_path(&path, &message),
                message,
                status,
                excerpt: scrub::excerpt(body),
            })
        }
    }
}

/// Reads whatever Pivot said in an error answer; HTML pages and empty bodies leave the fields
/// empty and the (scrubbed) excerpt explains.
fn provider_error(
    status: StatusCode,
    body: &[u8],
    request_id: Option<RequestId>,
    retry_after: Option<Duration>,
) -> ProviderError {
    let envelope = serde_json::from_slice::<Envelope<serde::de::IgnoredAny>>(body).ok();
    let (code, message, error) = match envelope {
        Some(e) => (e.code, e.message, e.error),
        None => (None, None, None),
    };
    let mut error = error.unwrap_or_default();
    // Messages can echo what was sent; keep card data out of them too.
    for detail in &mut error.details {
        detail.message = detail.message.as_deref().map(scrub::mask_text);
    }
    ProviderError {
        status,
        code: code.as_deref().map(ErrorCode::from),
        message: message.as_deref().map(scrub::mask_text),
        error_type: error.error_type,
        details: error.details,
        trace_id: error.trace_id,
        request_id,
        retry_after,
        body_excerpt: scrub::excerpt(body),
    }
}

/// `Retry-After` as seconds or an HTTP date.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = payments_signing::http::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn retry_after_is_read_as_seconds_or_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        let later = payments_signing::http::format_http_date(now + Duration::from_secs(7));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn html_error_pages_become_provider_errors_without_a_code() {
        let error = provider_error(
            StatusCode::BAD_GATEWAY,
            b"<html><body>502 Bad Gateway</body></html>",
            None,
            None,
        );
        assert_eq!(error.code, None);
        assert!(error.body_excerpt.contains("502 Bad Gateway"));
    }

    #[test]
    fn documented_error_bodies_are_read_with_either_trace_id_spelling() {
        let body = br#"{"code":"api_validation_error","message":"invalid","error":{"type":"API_ERROR","details":[{"field":"","message":"paymentType 'MULTIPLE' is only allowed when mode is set to 'API'"}],"traceId":"abc"}}"#;
        let error = provider_error(StatusCode::BAD_REQUEST, body, None, None);
        assert_eq!(error.code, Some(ErrorCode::ApiValidationError));
        assert_eq!(error.trace_id.as_deref(), Some("abc"));
        assert_eq!(error.details.len(), 1);
        assert!(error.to_string().contains("only allowed when mode"));
    }

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
        assert_eq!(
            client.base_url().as_str(),
            "https://api-stg.pivot-payment.com/"
        );
    }
}
