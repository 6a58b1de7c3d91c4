//! The [`Client`] and its [`ClientBuilder`]: one async method per Flitt operation.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use http::StatusCode;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER, USER_AGENT};
use tracing::Instrument;
use url::Url;

use crate::auth::{Credentials, KeyKind, encode_request};
use crate::error::{DecodeError, Error, ProviderError, Result, scrub};
use crate::model::checkout::{CheckoutRequest, CheckoutToken, CheckoutUrl};
use crate::model::manage::{Capture, CaptureRequest, Reversal, ReverseRequest};
use crate::model::order::{Order, StatusRequest};
use crate::model::payout::P2pCreditRequest;
use crate::model::recurring::RecurringRequest;
use crate::model::settlement::SettlementRequest;
use crate::model::subscription::{Subscription, SubscriptionRequest};
use crate::model::three_ds::{ThreeDsStep1Request, ThreeDsStep1Response, ThreeDsStep2Request};
use crate::model::transactions::{Transaction, TransactionListRequest};
use crate::params::Params;
use crate::response::{
    Envelope, FailureBody, FieldError, RawObject, Rejection, SignaturePolicy, parse_envelope,
    verify_object,
};

/// Flitt's API base URL.
pub const DEFAULT_BASE_URL: &str = "https://pay.flitt.com/api";
/// The default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time allowed for a whole call (payments can wait on the card's bank).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default number of automatic retries of calls that are safe to repeat.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The default shortest delay before a retry (the backoff doubles from it, with jitter).
pub const DEFAULT_RETRY_MIN_DELAY: Duration = Duration::from_millis(200);
/// The default longest delay before a retry.
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(5);
/// The default largest response body the client reads: 4 MiB (Flitt's answers are a few KiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// The longest `Retry-After` the client honours before giving up on a retry.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// The `User-Agent` sent with every request: `flitt-client/<version>`.
pub const USER_AGENT_VALUE: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A source of the current time.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Configures and builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use flitt_client::{Client, Credentials};
/// # fn main() -> Result<(), flitt_client::Error> {
/// let client = Client::builder(Credentials::new(1549901, "test"))
///     .timeout(Duration::from_secs(30))
///     .user_agent_suffix("my-shop/2.1")
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    http_client: Option<reqwest::Client>,
    clock: Clock,
    max_retries: u32,
    retry_min_delay: Duration,
    retry_max_delay: Duration,
    max_response_bytes: usize,
    user_agent_suffix: Option<String>,
    trailing_slash: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("custom_http_client", &self.http_client.is_some())
            .field("max_retries", &self.max_retries)
            .field("retry_min_delay", &self.retry_min_delay)
            .field("retry_max_delay", &self.retry_max_delay)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("trailing_slash", &self.trailing_slash)
            .finish()
    }
}

impl ClientBuilder {
    /// The API base URL (default [`DEFAULT_BASE_URL`]); operations are appended to it, e.g.
    /// `<base>/recurring`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The time allowed to establish a connection (default 10 s). Ignored with
    /// [`http_client`](Self::http_client): configure your client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The time allowed for a whole call, from sending to the last byte of the answer
    /// (default 60 s). A payment call that times out ends in [`Error::Ambiguous`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Use your own `reqwest::Client` (proxies, TLS settings, connection pools). Disable its
    /// redirects: the client never follows them with its own.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The source of the current time (default [`SystemTime::now`]), used to interpret
    /// `Retry-After` dates.
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How many times a call that is safe to repeat (status queries, captures, reversals with
    /// their `reverse_id`, subscription changes, transaction lists) is retried after a
    /// connection failure, a timeout, 429 or 5xx (default 2). Calls that create or charge an
    /// order are never retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The delays between retries: the first waits about `min_delay`, each next one doubles,
    /// up to `max_delay`, with jitter (defaults 200 ms and 5 s). A `Retry-After` of up to 30 s
    /// sent by the gateway replaces the computed delay.
    pub fn retry_backoff(mut self, min_delay: Duration, max_delay: Duration) -> Self {
        self.retry_min_delay = min_delay;
        self.retry_max_delay = max_delay;
        self
    }

    /// The largest response body the client reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 4 MiB). A larger answer is refused as soon as its
    /// `Content-Length`, or the bytes read so far, pass the limit — the rest is never read —
    /// with [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Appended to the `User-Agent` (`flitt-client/<version> <suffix>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Call `<base>/recurring/` instead of `<base>/recurring` (Flitt's SDKs use the slash,
    /// its documentation does not; both are served). Default `false`.
    pub fn trailing_slash(mut self, slash: bool) -> Self {
        self.trailing_slash = slash;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        if self.retry_min_delay > self.retry_max_delay {
            return Err(Error::Config(format!(
                "retry_backoff: min_delay {:?} is longer than max_delay {:?}",
                self.retry_min_delay, self.retry_max_delay
            )));
        }
        let mut base = Url::parse(self.base_url.trim())
            .map_err(|e| Error::Config(format!("base_url {:?}: {e}", self.base_url)))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "base_url {:?} must be an http(s) URL",
                self.base_url
            )));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) if !suffix.trim().is_empty() => {
                format!("{USER_AGENT_VALUE} {}", suffix.trim())
            }
            _ => USER_AGENT_VALUE.to_owned(),
        };
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let base_url = base.as_str().trim_end_matches('/').to_owned();
        let user_agent = http::HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::Config("user_agent_suffix is not a valid header value".into()))?;
        let endpoints = ENDPOINT_PATHS
            .iter()
            .map(|path| Endpoint::new(&base, path, self.trailing_slash))
            .collect();
        let mut headers = HeaderMap::with_capacity(3);
        headers.append(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.append(ACCEPT, HeaderValue::from_static("application/json"));
        headers.append(USER_AGENT, user_agent);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                base_url,
                endpoints,
                headers,
                credentials: self.credentials,
                timeout: self.timeout,
                clock: self.clock,
                max_retries: self.max_retries,
                retry_min_delay: self.retry_min_delay,
                retry_max_delay: self.retry_max_delay,
                max_response_bytes: self.max_response_bytes,
                trailing_slash: self.trailing_slash,
            }),
        })
    }
}

/// A Flitt API client: cheap to clone, `Send + Sync`, one async method per operation.
///
/// Every request is signed with the merchant's key; every answer's signature is verified over
/// all of its fields before it is decoded and returned.
///
/// ```no_run
/// use flitt_client::{Client, Credentials, Currency, model::recurring::RecurringRequest};
/// # async fn run() -> Result<(), flitt_client::Error> {
/// let client = Client::builder(Credentials::new(1549901, "test")).build()?;
/// let order = client
///     .recurring(&RecurringRequest::new(
///         "order-1", "Monthly plan", 1000, Currency::GEL, "JcZoqYNosx1HjDoHXWlFU0avVnzYsFAbLBbA",
///     ))
///     .await?;
/// if order.is_approved() { /* fulfil */ }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    base_url: String,
    /// The URL of every operation, built once.
    endpoints: Vec<Endpoint>,
    /// The headers of every request: `Content-Type`, `Accept`, `User-Agent`.
    headers: HeaderMap,
    credentials: Credentials,
    timeout: Duration,
    clock: Clock,
    max_retries: u32,
    retry_min_delay: Duration,
    retry_max_delay: Duration,
    max_response_bytes: usize,
    trailing_slash: bool,
}

/// The endpoint of every operation (each operation's [`Op::PATH`]).
const ENDPOINT_PATHS: [&str; 12] = [
    "checkout/url",
    "checkout/token",
    "recurring",
    "status/order_id",
    "reverse/order_id",
    "capture/order_id",
    "p2pcredit",
    "3dsecure_step1",
    "3dsecure_step2",
    "subscription",
    "transaction_list",
    "settlement",
];

/// An operation's URL in the forms a request needs, built once per client: the URL joined to
/// the base, its `http::Uri` (for [`http::Request`]), and the `Url` reqwest reads back from
/// that `Uri`. Errors are kept as messages and reported when a request is built, as before.
#[derive(Clone)]
struct Endpoint {
    path: &'static str,
    uri: std::result::Result<http::Uri, EndpointError>,
    /// `None` when the `Uri` does not read back as a `Url`: the request is then converted per
    /// attempt, which reports the error.
    reqwest_url: Option<Url>,
}

/// Why an endpoint has no URL.
#[derive(Clone)]
enum EndpointError {
    /// The URL could not be joined to the base (the whole message).
    Url(String),
    /// The URL is not a valid `http::Uri` (what `http::Request::builder()` reports).
    Uri(String),
}

/// `<base>/<path>` (with a trailing slash when configured).
fn join_endpoint(base: &Url, path: &str, trailing_slash: bool) -> Result<Url> {
    let path = if trailing_slash {
        format!("{path}/")
    } else {
        path.to_owned()
    };
    base.join(&path)
        .map_err(|e| Error::Config(format!("cannot build the URL of {path}: {e}")))
}

impl Endpoint {
    fn new(base: &Url, path: &'static str, trailing_slash: bool) -> Self {
        let uri = match join_endpoint(base, path, trailing_slash) {
            Ok(url) => http::Uri::try_from(url.as_str()).map_err(|e| {
                let e: http::Error = e.into();
                EndpointError::Uri(e.to_string())
            }),
            Err(Error::Config(message)) => Err(EndpointError::Url(message)),
            Err(e) => Err(EndpointError::Url(e.to_string())),
        };
        let reqwest_url = uri
            .as_ref()
            .ok()
            .and_then(|uri| Url::parse(&uri.to_string()).ok());
        Endpoint {
            path,
            uri,
            reqwest_url,
        }
    }
}

/// The body and target of a call, prepared once and sent by every attempt.
enum Outgoing {
    /// The request reqwest sends (cloned per attempt when the call may be retried).
    Ready(reqwest::Request),
    /// The `Uri` does not read back as a `Url`: each attempt converts the request, which fails
    /// as it always has.
    Convert(http::Request<Vec<u8>>),
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("merchant_id", &self.inner.credentials.merchant_id())
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.max_retries)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// What the client knows about one operation.
pub(crate) trait Op {
    type Request;
    type Output;
    /// The operation's name in errors and traces.
    const NAME: &'static str;
    /// The endpoint, relative to the base URL.
    const PATH: &'static str;
    /// Which key signs it.
    const KEY: KeyKind = KeyKind::Payment;
    /// Whether sending it twice is harmless (read-only, or carrying an idempotency key).
    const RETRY_SAFE: bool = false;
    /// Whether it creates or changes a payment (a failure after sending may have done so).
    const CHANGES_STATE: bool = true;

    fn order_id(request: &Self::Request) -> &str;
    /// Values of the request that must never appear in an error (card number, CVV2).
    fn sensitive(_request: &Self::Request) -> Vec<String> {
        Vec::new()
    }
    fn params(request: &Self::Request, merchant_id: u64) -> Result<Params<'_>>;
    /// Whether an answer must be signed.
    fn policy(_object: &RawObject<'_>) -> SignaturePolicy {
        SignaturePolicy::Required
    }
    fn decode(verified: Verified<'_>) -> std::result::Result<Self::Output, FieldError>;
}

/// What a call knows while it interprets an answer.
struct CallContext<'a> {
    order_id: &'a str,
    /// Card data to mask (after the keys) in any excerpt or message kept in an error.
    sensitive: Vec<String>,
}

/// A verified answer.
pub(crate) enum Verified<'a> {
    Object(RawObject<'a>, &'static str),
    Array(Vec<RawObject<'a>>),
}

impl Verified<'_> {
    fn object<T>(
        self,
        decode: impl FnOnce(&RawObject<'_>) -> std::result::Result<T, FieldError>,
    ) -> std::result::Result<T, FieldError> {
        match self {
            Verified::Object(object, prefix) => decode(&object).map_err(|e| e.within(prefix)),
            Verified::Array(_) => Err(FieldError::new(
                "response",
                "expected an object, got an array",
            )),
        }
    }
}

macro_rules! operation {
    (
        $op:ident, $request:ty => $output:ty, $name:literal, $path:literal,
        { $($item:tt)* }
        decode: $decode:expr
    ) => {
        pub(crate) struct $op;
        impl Op for $op {
            type Request = $request;
            type Output = $output;
            const NAME: &'static str = $name;
            const PATH: &'static str = $path;
            $($item)*
            fn order_id(request: &$request) -> &str {
                request.order_id()
            }
            fn params(request: &$request, merchant_id: u64) -> Result<Params<'_>> {
                request.params(merchant_id)
            }
            fn decode(verified: Verified<'_>) -> std::result::Result<$output, FieldError> {
                verified.object($decode)
            }
        }
    };
}

operation!(CheckoutUrlOp, CheckoutRequest => CheckoutUrl, "checkout_url", "checkout/url", {
    fn policy(_object: &RawObject<'_>) -> SignaturePolicy { SignaturePolicy::IfPresent }
} decode: CheckoutUrl::from_raw);
operation!(CheckoutTokenOp, CheckoutRequest => CheckoutToken, "checkout_token", "checkout/token", {
    fn policy(_object: &RawObject<'_>) -> SignaturePolicy { SignaturePolicy::IfPresent }
} decode: CheckoutToken::from_raw);
pub(crate) struct RecurringOp;
impl Op for RecurringOp {
    type Request = RecurringRequest;
    type Output = Order;
    const NAME: &'static str = "recurring";
    const PATH: &'static str = "recurring";
    fn order_id(request: &RecurringRequest) -> &str {
        request.order_id()
    }
    fn sensitive(request: &RecurringRequest) -> Vec<String> {
        request.sensitive_values()
    }
    fn params(request: &RecurringRequest, merchant_id: u64) -> Result<Params<'_>> {
        request.params_ref(merchant_id)
    }
    fn decode(verified: Verified<'_>) -> std::result::Result<Order, FieldError> {
        verified.object(Order::from_raw)
    }
}
operation!(StatusOp, StatusRequest => Order, "order_status", "status/order_id", {
    const RETRY_SAFE: bool = true;
    const CHANGES_STATE: bool = false;
} decode: Order::from_raw);
operation!(ReverseOp, ReverseRequest => Reversal, "reverse", "reverse/order_id", {
    const RETRY_SAFE: bool = true;
} decode: Reversal::from_raw);
operation!(CaptureOp, CaptureRequest => Capture, "capture", "capture/order_id", {
    const RETRY_SAFE: bool = true;
} decode: Capture::from_raw);
operation!(P2pCreditOp, P2pCreditRequest => Order, "p2p_credit", "p2pcredit", {
    const KEY: KeyKind = KeyKind::Credit;
    fn sensitive(request: &P2pCreditRequest) -> Vec<String> { request.sensitive_values() }
} decode: Order::from_raw);
operation!(ThreeDsStep1Op, ThreeDsStep1Request => ThreeDsStep1Response, "three_ds_step1", "3dsecure_step1", {
    fn sensitive(request: &ThreeDsStep1Request) -> Vec<String> { request.sensitive_values() }
    fn policy(object: &RawObject<'_>) -> SignaturePolicy {
        // A challenge carries no payment state; an order must be signed.
        if object.get("acs_url").is_some() { SignaturePolicy::IfPresent } else { SignaturePolicy::Required }
    }
} decode: ThreeDsStep1Response::from_raw);
operation!(ThreeDsStep2Op, ThreeDsStep2Request => Order, "three_ds_step2", "3dsecure_step2", {}
    decode: Order::from_raw);
operation!(SubscriptionOp, SubscriptionRequest => Subscription, "subscription", "subscription", {
    const RETRY_SAFE: bool = true;
} decode: Subscription::from_raw);
operation!(SettlementOp, SettlementRequest => Order, "settlement", "settlement", {}
    decode: Order::from_raw);

pub(crate) struct TransactionListOp;
impl Op for TransactionListOp {
    type Request = TransactionListRequest;
    type Output = Vec<Transaction>;
    const NAME: &'static str = "transaction_list";
    const PATH: &'static str = "transaction_list";
    const RETRY_SAFE: bool = true;
    const CHANGES_STATE: bool = false;
    fn order_id(request: &TransactionListRequest) -> &str {
        request.order_id()
    }
    fn params(request: &TransactionListRequest, merchant_id: u64) -> Result<Params<'_>> {
        request.params(merchant_id)
    }
    fn policy(_object: &RawObject<'_>) -> SignaturePolicy {
        SignaturePolicy::IfPresent
    }
    fn decode(verified: Verified<'_>) -> std::result::Result<Vec<Transaction>, FieldError> {
        match verified {
            Verified::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    Transaction::from_raw(item).map_err(|e| e.within(&format!("[{i}]")))
                })
                .collect(),
            Verified::Object(object, prefix) => Err(FieldError::new(
                "",
                format!(
                    "expected an array of transactions, got an object with {} fields",
                    object.fields().len()
                ),
            )
            .within(prefix)),
        }
    }
}

impl Client {
    /// Starts configuring a client for the merchant.
    ///
    /// ```
    /// use flitt_client::{Client, Credentials};
    /// # fn main() -> Result<(), flitt_client::Error> {
    /// let client = Client::builder(Credentials::new(1549901, "test").with_credit_key("testcredit")).build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: DEFAULT_BASE_URL.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            http_client: None,
            clock: Arc::new(SystemTime::now),
            max_retries: DEFAULT_MAX_RETRIES,
            retry_min_delay: DEFAULT_RETRY_MIN_DELAY,
            retry_max_delay: DEFAULT_RETRY_MAX_DELAY,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent_suffix: None,
            trailing_slash: false,
        }
    }

    /// The merchant this client acts for.
    pub fn merchant_id(&self) -> u64 {
        self.inner.credentials.merchant_id()
    }

    /// The API base URL the operations are appended to, without a trailing slash.
    ///
    /// ```
    /// use flitt_client::{Client, Credentials};
    /// # fn main() -> Result<(), flitt_client::Error> {
    /// let client = Client::builder(Credentials::test_merchant()).build()?;
    /// assert_eq!(client.base_url(), "https://pay.flitt.com/api");
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Creates an order and returns the link to Flitt's payment page (`checkout/url`).
    ///
    /// The answer carries no payment state; its signature is verified when Flitt sends one.
    /// The payment's outcome arrives by callback (see [`webhook`](crate::webhook)) or by
    /// [`order_status`](Self::order_status).
    ///
    /// ```no_run
    /// # use flitt_client::{Client, Currency, model::checkout::CheckoutRequest};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let page = client
    ///     .checkout_url(&CheckoutRequest::new("order-1001", "Coffee beans", 2500, Currency::GEL)
    ///         .required_rectoken(true))
    ///     .await?;
    /// // redirect the customer to page.checkout_url
    /// # Ok(())
    /// # }
    /// ```
    pub async fn checkout_url(&self, request: &CheckoutRequest) -> Result<CheckoutUrl> {
        self.call::<CheckoutUrlOp>(request).await
    }

    /// Creates an order and returns a token for the embedded checkout or a mobile SDK
    /// (`checkout/token`).
    ///
    /// ```no_run
    /// # use flitt_client::{Client, Currency, model::checkout::CheckoutRequest};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let token = client
    ///     .checkout_token(&CheckoutRequest::new("order-1002", "Tea", 900, Currency::GEL))
    ///     .await?;
    /// # let _ = token.token;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn checkout_token(&self, request: &CheckoutRequest) -> Result<CheckoutToken> {
        self.call::<CheckoutTokenOp>(request).await
    }

    /// Charges a saved card with its `rectoken` (`recurring`).
    ///
    /// A decline is `Ok` with [`OrderStatus::Declined`](crate::OrderStatus::Declined) and a
    /// decline code. This call is **never retried automatically**: on an error for which
    /// [`Error::may_have_been_processed`] is `true`, query
    /// [`order_status`](Self::order_status) with the same `order_id` before anything else.
    ///
    /// ```no_run
    /// # use flitt_client::{Client, Currency, model::recurring::RecurringRequest};
    /// # use flitt_client::model::order::StatusRequest;
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let request = RecurringRequest::new(
    ///     "order-2001", "Monthly plan", 1000, Currency::GEL, "JcZoqYNosx1HjDoHXWlFU0avVnzYsFAbLBbA",
    /// );
    /// match client.recurring(&request).await {
    ///     Ok(order) if order.is_approved() => { /* fulfil */ }
    ///     Ok(order) => { let _reason = order.decline(); }
    ///     Err(e) if e.may_have_been_processed() => {
    ///         let _order = client.order_status(&StatusRequest::new(request.order_id())).await?;
    ///     }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn recurring(&self, request: &RecurringRequest) -> Result<Order> {
        self.call::<RecurringOp>(request).await
    }

    /// The current state of an order (`status/order_id`) — the reconciliation call. Error
    /// 1018 ([`ErrorCode::OrderNotFound`](crate::ErrorCode::OrderNotFound)) means the order
    /// was never created. Retried automatically on transient failures.
    ///
    /// ```no_run
    /// # use flitt_client::{Client, model::order::StatusRequest};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let order = client.order_status(&StatusRequest::new("order-2001")).await?;
    /// if order.is_approved() { /* … */ }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn order_status(&self, request: &StatusRequest) -> Result<Order> {
        self.call::<StatusOp>(request).await
    }

    /// Reverses (refunds) all or part of an order (`reverse/order_id`). Retried automatically
    /// with the same `reverse_id`, so a refund is made at most once.
    ///
    /// ```no_run
    /// # use flitt_client::{Client, Currency, model::manage::ReverseRequest};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let refund = ReverseRequest::new("order-2001", 1000, Currency::GEL);
    /// let reversal = client.reverse(&refund).await?;
    /// # let _ = reversal.reverse_status;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn reverse(&self, request: &ReverseRequest) -> Result<Reversal> {
        self.call::<ReverseOp>(request).await
    }

    /// Captures a pre-authorized order (`capture/order_id`). Retried automatically: Flitt
    /// answers a repeated capture of the same amount with its current status.
    ///
    /// ```no_run
    /// # use flitt_client::{Client, Currency, model::manage::CaptureRequest};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let capture = client.capture(&CaptureRequest::new("order-2002", 2500, Currency::GEL)).await?;
    /// # let _ = capture.capture_status;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn capture(&self, request: &CaptureRequest) -> Result<Capture> {
        self.call::<CaptureOp>(request).await
    }

    /// Pays out to a card (`p2pcredit`), signed with the credit key. Without a credit key in
    /// the [`Credentials`] this is an [`Error::InvalidRequest`] and nothing is sent. Never
    /// retried automatically.
    ///
    /// ```no_run
    /// # use flitt_client::{Client, Currency, model::payout::{P2pCreditRequest, PayoutReceiver}};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let payout = client
    ///     .p2p_credit(&P2pCreditRequest::new(
    ///         "payout-1", "Refund to card", 5000, Currency::GEL,
    ///         PayoutReceiver::Rectoken("JcZoqYNosx1HjDoHXWlFU0avVnzYsFAbLBbA".into()),
    ///     ))
    ///     .await?;
    /// # let _ = payout;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn p2p_credit(&self, request: &P2pCreditRequest) -> Result<Order> {
        self.call::<P2pCreditOp>(request).await
    }

    /// Starts a direct card payment for PCI-DSS merchants (`3dsecure_step1`). Never retried
    /// automatically.
    ///
    /// ```no_run
    /// # use flitt_client::{Client, Currency};
    /// # use flitt_client::model::card::{Card, CardNumber, Cvv2, Expiry};
    /// # use flitt_client::model::three_ds::{ThreeDsStep1Request, ThreeDsStep1Response};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let card = Card::new(CardNumber::new("4444555566661111")?, Expiry::new(12, 2030)?, Cvv2::new("123")?);
    /// match client.three_ds_step1(&ThreeDsStep1Request::new("order-9", "Tickets", 4200, Currency::GEL, card)).await? {
    ///     ThreeDsStep1Response::Completed(order) => { let _ = order.order_status; }
    ///     ThreeDsStep1Response::Challenge(challenge) => { let _ = challenge.acs_url; }
    ///     _ => {}
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn three_ds_step1(
        &self,
        request: &ThreeDsStep1Request,
    ) -> Result<ThreeDsStep1Response> {
        self.call::<ThreeDsStep1Op>(request).await
    }

    /// Completes a 3-D Secure payment with the issuer's `PaRes` (`3dsecure_step2`).
    ///
    /// ```no_run
    /// # use flitt_client::{Client, model::three_ds::ThreeDsStep2Request};
    /// # async fn run(client: Client, pares: String, md: String) -> Result<(), flitt_client::Error> {
    /// let order = client.three_ds_step2(&ThreeDsStep2Request::new("order-9", pares, md)).await?;
    /// # let _ = order;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn three_ds_step2(&self, request: &ThreeDsStep2Request) -> Result<Order> {
        self.call::<ThreeDsStep2Op>(request).await
    }

    /// Stops or starts a subscription (`subscription`).
    ///
    /// ```no_run
    /// # use flitt_client::{Client, model::subscription::SubscriptionRequest};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let state = client.subscription(&SubscriptionRequest::stop("subscription-order-1")).await?;
    /// # let _ = state.status;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn subscription(&self, request: &SubscriptionRequest) -> Result<Subscription> {
        self.call::<SubscriptionOp>(request).await
    }

    /// Lists the transactions of an order (`transaction_list`).
    ///
    /// ```no_run
    /// # use flitt_client::{Client, model::transactions::TransactionListRequest};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// for transaction in client.transaction_list(&TransactionListRequest::new("order-2001")).await? {
    ///     let _ = (transaction.tran_type, transaction.amount);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn transaction_list(
        &self,
        request: &TransactionListRequest,
    ) -> Result<Vec<Transaction>> {
        self.call::<TransactionListOp>(request).await
    }

    /// Splits a paid order between merchants (`settlement`, protocol 2.0). Never retried
    /// automatically.
    ///
    /// ```no_run
    /// # use flitt_client::{Client, Currency};
    /// # use flitt_client::model::settlement::{SettlementReceiver, SettlementRequest};
    /// # async fn run(client: Client) -> Result<(), flitt_client::Error> {
    /// let settlement = client
    ///     .settlement(&SettlementRequest::new(
    ///         "settlement-1", "order-2001", "Split", 1000, Currency::GEL,
    ///         vec![SettlementReceiver::merchant(600001, 1000)],
    ///     ))
    ///     .await?;
    /// # let _ = settlement.order_status;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn settlement(&self, request: &SettlementRequest) -> Result<Order> {
        self.call::<SettlementOp>(request).await
    }

    #[cfg(test)]
    fn endpoint(&self, path: &str) -> Result<Url> {
        join_endpoint(&self.inner.base, path, self.inner.trailing_slash)
    }

    /// The operation's endpoint, built when the client was.
    fn endpoint_of<O: Op>(&self) -> std::borrow::Cow<'_, Endpoint> {
        match self.inner.endpoints.iter().find(|e| e.path == O::PATH) {
            Some(endpoint) => std::borrow::Cow::Borrowed(endpoint),
            None => std::borrow::Cow::Owned(Endpoint::new(
                &self.inner.base,
                O::PATH,
                self.inner.trailing_slash,
            )),
        }
    }

    /// What a call keeps to interpret the answer: the order id, and the request's values to
    /// mask (the keys are added when an excerpt is made).
    fn context<'a, O: Op>(&self, request: &'a O::Request) -> CallContext<'a> {
        CallContext {
            order_id: O::order_id(request),
            sensitive: O::sensitive(request),
        }
    }

    /// The signed body of an operation and its endpoint: validated, serialized and signed.
    /// Both the operation and its `prepare_*` method build their request from these.
    fn encode<O: Op>(
        &self,
        request: &O::Request,
    ) -> Result<(Vec<u8>, std::borrow::Cow<'_, Endpoint>)> {
        let params = O::params(request, self.inner.credentials.merchant_id())?;
        let key = self.inner.credentials.key(O::KEY)?;
        let (body, _protocol) = encode_request(&params, key);
        drop(params);
        let endpoint = self.endpoint_of::<O>();
        match &endpoint.uri {
            Ok(_) => Ok((body, endpoint)),
            Err(EndpointError::Url(message)) => Err(Error::Config(message.clone())),
            Err(EndpointError::Uri(e)) => Err(Error::Config(format!(
                "cannot build the request of {}: {e}",
                O::NAME
            ))),
        }
    }

    /// The request as an `http::Request`: `POST`, the endpoint (whose URI `encode` checked),
    /// the client's headers, the body.
    fn http_request(&self, endpoint: &Endpoint, body: Vec<u8>) -> http::Request<Vec<u8>> {
        let mut request = http::Request::new(body);
        *request.method_mut() = http::Method::POST;
        if let Ok(uri) = &endpoint.uri {
            *request.uri_mut() = uri.clone();
        }
        *request.headers_mut() = self.inner.headers.clone();
        request
    }

    /// The exact request an operation sends: validated, serialized and signed. Both the
    /// operation and its `prepare_*` method build it here.
    fn build_request<O: Op>(&self, request: &O::Request) -> Result<http::Request<Vec<u8>>> {
        let (body, endpoint) = self.encode::<O>(request)?;
        Ok(self.http_request(&endpoint, body))
    }

    /// Interprets an answer received by other means, with the same code as the operation.
    fn decode<O: Op, B: AsRef<[u8]>>(
        &self,
        request: &O::Request,
        response: &http::Response<B>,
    ) -> Result<O::Output> {
        let ctx = self.context::<O>(request);
        self.interpret::<O>(
            response.status(),
            response.headers(),
            response.body().as_ref(),
            &ctx,
        )
    }

    async fn call<O: Op>(&self, request: &O::Request) -> Result<O::Output> {
        let span = tracing::info_span!(
            "flitt",
            operation = O::NAME,
            order_id = O::order_id(request),
            merchant_id = self.inner.credentials.merchant_id(),
        );
        async move {
            let (body, endpoint) = self.encode::<O>(request)?;
            let ctx = self.context::<O>(request);
            // The request reqwest sends, built once, the same as `build_request`'s: method,
            // URL, headers and body (held once and shared by the attempts, not copied).
            let outgoing = match &endpoint.reqwest_url {
                Some(url) => {
                    let mut request = reqwest::Request::new(http::Method::POST, url.clone());
                    *request.headers_mut() = self.inner.headers.clone();
                    *request.body_mut() = Some(reqwest::Body::from(body));
                    *request.timeout_mut() = Some(self.inner.timeout);
                    Outgoing::Ready(request)
                }
                None => Outgoing::Convert(self.http_request(&endpoint, body)),
            };
            if O::RETRY_SAFE && self.inner.max_retries > 0 {
                let attempt = || async {
                    let request = self.attempt_request::<O>(&outgoing)?;
                    self.send_once::<O>(request, &ctx).await
                };
                let backoff = ExponentialBuilder::default()
                    .with_min_delay(self.inner.retry_min_delay)
                    .with_max_delay(self.inner.retry_max_delay)
                    .with_max_times(self.inner.max_retries as usize)
                    .with_jitter();
                attempt
                    .retry(backoff)
                    .when(Error::is_retryable)
                    .adjust(|error: &Error, delay| match (error.retry_after(), delay) {
                        (Some(wait), Some(_)) if wait <= MAX_RETRY_AFTER => Some(wait),
                        (Some(_), Some(_)) => None,
                        (_, delay) => delay,
                    })
                    .notify(|error: &Error, delay| {
                        tracing::warn!(
                            error = %error,
                            retry_in_ms = delay.as_millis() as u64,
                            "retrying a call that is safe to repeat"
                        );
                    })
                    .await
            } else {
                // Sent once: the prepared request itself.
                let request = match outgoing {
                    Outgoing::Ready(request) => request,
                    convert @ Outgoing::Convert(_) => self.attempt_request::<O>(&convert)?,
                };
                self.send_once::<O>(request, &ctx).await
            }
        }
        .instrument(span)
        .await
    }

    /// The request one attempt sends: a copy of the prepared one (the body is shared).
    fn attempt_request<O: Op>(&self, outgoing: &Outgoing) -> Result<reqwest::Request> {
        match outgoing {
            Outgoing::Ready(request) => request.try_clone().ok_or_else(|| Error::Transport {
                operation: O::NAME,
                message: "the request cannot be sent again".to_owned(),
                source: None,
            }),
            Outgoing::Convert(prepared) => {
                let mut request =
                    reqwest::Request::try_from(prepared.clone()).map_err(|e| Error::Transport {
                        operation: O::NAME,
                        message: describe_reqwest_error(&e),
                        source: Some(Box::new(e)),
                    })?;
                *request.timeout_mut() = Some(self.inner.timeout);
                Ok(request)
            }
        }
    }

    async fn send_once<O: Op>(
        &self,
        request: reqwest::Request,
        ctx: &CallContext<'_>,
    ) -> Result<O::Output> {
        // The time is read only for the debug event that reports it.
        let started = tracing::enabled!(tracing::Level::DEBUG).then(std::time::Instant::now);
        let mut response = match self.inner.http.execute(request).await {
            Ok(r) => r,
            Err(e) => return Err(self.send_error::<O>(e, ctx.order_id)),
        };
        let status = response.status();
        // Reading the body does not need the headers: take them rather than copy them.
        let headers = std::mem::take(response.headers_mut());
        let limit = self.inner.max_response_bytes;
        let body = match read_limited(response, limit).await {
            Ok(b) => b,
            Err(BodyFailure::TooLarge) => {
                tracing::warn!(
                    status = status.as_u16(),
                    limit,
                    "response body over the limit; not read"
                );
                return Err(too_large::<O>(status, limit));
            }
            Err(BodyFailure::Transport(e)) => return Err(self.send_error::<O>(e, ctx.order_id)),
        };
        let body = body.as_slice();
        tracing::debug!(
            status = status.as_u16(),
            elapsed_ms = started.map_or(0, |t| t.elapsed().as_millis() as u64),
            bytes = body.len(),
            "flitt answered"
        );
        self.interpret::<O>(status, &headers, body, ctx)
    }

    fn send_error<O: Op>(&self, e: reqwest::Error, order_id: &str) -> Error {
        let message = describe_reqwest_error(&e);
        if e.is_builder() || e.is_connect() {
            tracing::warn!(error = %message, "request not sent");
            return Error::Transport {
                operation: O::NAME,
                message,
                source: Some(Box::new(e)),
            };
        }
        tracing::warn!(error = %message, "outcome unknown");
        Error::Ambiguous {
            operation: O::NAME,
            order_id: Some(order_id.to_owned()),
            message,
            status: None,
            retry_safe: O::RETRY_SAFE,
            source: Some(Box::new(e)),
        }
    }

    fn excerpt(&self, body: &[u8], ctx: &CallContext<'_>) -> String {
        let mut redact = self.inner.credentials.secrets();
        redact.extend(ctx.sensitive.iter().map(String::as_str));
        scrub(body, &redact)
    }

    fn interpret<O: Op>(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        ctx: &CallContext<'_>,
    ) -> Result<O::Output> {
        if body.len() > self.inner.max_response_bytes {
            return Err(too_large::<O>(status, self.inner.max_response_bytes));
        }
        let order_id = ctx.order_id;
        let decode_error = |path: String, message: String| {
            Error::Decode(Box::new(DecodeError {
                operation: O::NAME,
                status,
                path,
                message,
                body_excerpt: self.excerpt(body, ctx),
                may_have_been_processed: O::CHANGES_STATE,
            }))
        };
        let envelope = parse_envelope(body);
        // A Flitt request error, whatever the HTTP status.
        if let Ok(Envelope::Object(object)) = &envelope
            && object.is_failure()
        {
            return Err(self.provider_error::<O>(object, "response", status, headers, body, ctx));
        }
        if !status.is_success() {
            return Err(self.status_error::<O>(status, headers, body, ctx));
        }
        let envelope = envelope.map_err(|e| decode_error(e.path, e.message))?;
        let key = self.inner.credentials.key(O::KEY)?;
        // Where the decoded `data` of protocol 2.0 answers is kept while it is read.
        let mut storage = String::new();
        let mut storages: Vec<String> = Vec::new();
        let verified = match envelope {
            Envelope::Object(object) => {
                let prefix = if object.is_v2() {
                    "response.data.order"
                } else {
                    "response"
                };
                let policy = O::policy(&object);
                let object = verify_object(object, &[key], policy, &mut storage)
                    .map_err(|r| self.rejection::<O>(r, status, body, ctx))?;
                // A protocol 2.0 answer carries its request error inside `data`.
                if object.is_failure() {
                    return Err(
                        self.provider_error::<O>(&object, prefix, status, headers, body, ctx)
                    );
                }
                // A signed answer about another order (a replayed answer) is not this call's.
                if let Some(answered) = object.text_of("order_id")
                    && *answered != *order_id
                {
                    return Err(decode_error(
                        format!("{prefix}.order_id"),
                        format!("is {answered:?}, but the request was for {order_id:?}"),
                    ));
                }
                Verified::Object(object, prefix)
            }
            Envelope::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                storages.resize_with(items.len(), String::new);
                for (item, storage) in items.into_iter().zip(storages.iter_mut()) {
                    let policy = O::policy(&item);
                    out.push(
                        verify_object(item, &[key], policy, storage)
                            .map_err(|r| self.rejection::<O>(r, status, body, ctx))?,
                    );
                }
                Verified::Array(out)
            }
        };
        O::decode(verified).map_err(|e| decode_error(e.path, e.message))
    }

    /// A Flitt request error (`response_status: failure`, `error_code`…).
    fn provider_error<O: Op>(
        &self,
        object: &RawObject<'_>,
        prefix: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        ctx: &CallContext<'_>,
    ) -> Error {
        let failure: FailureBody = match object.decode() {
            Ok(f) => f,
            Err(e) => {
                let e = e.within(prefix);
                return Error::Decode(Box::new(DecodeError {
                    operation: O::NAME,
                    status,
                    path: e.path,
                    message: e.message,
                    body_excerpt: self.excerpt(body, ctx),
                    may_have_been_processed: O::CHANGES_STATE,
                }));
            }
        };
        let error = ProviderError {
            operation: O::NAME,
            status,
            code: failure.error_code,
            code_text: object
                .text_of("error_code")
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty()),
            message: failure
                .error_message
                .map(|m| self.excerpt(m.as_bytes(), ctx))
                .unwrap_or_else(|| "request failed without a message".to_owned()),
            request_id: failure.request_id,
            body_excerpt: self.excerpt(body, ctx),
            retry_after: retry_after(headers, &self.inner.clock),
        };
        tracing::info!(code = ?error.code.map(|c| c.code()), "flitt refused the request");
        Error::Provider(Box::new(error))
    }

    fn rejection<O: Op>(
        &self,
        rejection: Rejection,
        status: StatusCode,
        body: &[u8],
        ctx: &CallContext<'_>,
    ) -> Error {
        match rejection {
            Rejection::MissingSignature | Rejection::BadSignature => {
                let problem = if matches!(rejection, Rejection::MissingSignature) {
                    "is missing"
                } else {
                    "does not match"
                };
                tracing::error!(problem, "response signature rejected");
                Error::Signature {
                    operation: O::NAME,
                    problem,
                    may_have_been_processed: O::CHANGES_STATE,
                }
            }
            Rejection::Malformed(e) => {
                let e = e.within("response");
                Error::Decode(Box::new(DecodeError {
                    operation: O::NAME,
                    status,
                    path: e.path,
                    message: e.message,
                    body_excerpt: self.excerpt(body, ctx),
                    may_have_been_processed: O::CHANGES_STATE,
                }))
            }
        }
    }

    fn status_error<O: Op>(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        ctx: &CallContext<'_>,
    ) -> Error {
        let order_id = ctx.order_id;
        let reason = status.canonical_reason().unwrap_or("unexpected status");
        if status.is_server_error() && !O::RETRY_SAFE {
            return Error::Ambiguous {
                operation: O::NAME,
                order_id: Some(order_id.to_owned()),
                message: format!(
                    "HTTP {} {reason}: {}",
                    status.as_u16(),
                    self.excerpt(body, ctx)
                ),
                status: Some(status),
                retry_safe: false,
                source: None,
            };
        }
        Error::Provider(Box::new(ProviderError {
            operation: O::NAME,
            status,
            code: None,
            code_text: None,
            message: format!("HTTP {} {reason}", status.as_u16()),
            request_id: None,
            body_excerpt: self.excerpt(body, ctx),
            retry_after: retry_after(headers, &self.inner.clock),
        }))
    }
}

/// `prepare_<operation>` and `decode_<operation>_response` for every operation, documented with
/// an example that runs.
macro_rules! prepare_and_decode {
    ($(
        $op:ident, $method:literal, $path:literal,
        $prepare:ident, $decode:ident, $request:ty => $output:ty,
        uses: $uses:literal, request: $example:literal;
    )+) => {
        /// # Requests without sending them, and answers received elsewhere
        ///
        /// `prepare_*` returns the exact request an operation would send now — method, URL,
        /// headers and signed body, byte for byte, built by the same code the operation sends
        /// with — for snapshot tests of your requests and for measuring the client-side cost of
        /// a call. `Host` and `Content-Length` are added by the HTTP connection.
        ///
        /// `decode_*_response` interprets an answer to that request, received by your own HTTP
        /// stack, exactly as the operation does: size limit, request errors, signature over every
        /// field, order id, typed decoding.
        impl Client {
            $(
                #[doc = concat!(
                    "The exact HTTP request [`", $method, "`](Self::", $method, ") would send ",
                    "for `request` now, without sending it (`POST <base>/", $path, "`, its ",
                    "headers and its signed body, byte for byte).\n\n",
                    "Fails like the operation would before sending: [`Error::InvalidRequest`] ",
                    "for a value outside the documented limits. The body is what is sent, so ",
                    "for a direct card payment or a payout to a card it carries the card data: ",
                    "do not log it.\n\n",
                    "```\n",
                    "use flitt_client::{Client, Credentials, Currency};\n",
                    $uses, "\n",
                    "# #[tokio::main(flavor = \"current_thread\")]\n",
                    "# async fn main() -> Result<(), flitt_client::Error> {\n",
                    "let client = Client::builder(Credentials::test_merchant()).build()?;\n",
                    "let request = client.", stringify!($prepare), "(&", $example, ").await?;\n",
                    "assert_eq!(request.method(), \"POST\");\n",
                    "assert_eq!(request.uri(), \"https://pay.flitt.com/api/", $path, "\");\n",
                    "assert_eq!(request.headers()[\"content-type\"], \"application/json\");\n",
                    "let body: serde_json::Value = serde_json::from_slice(request.body())\n",
                    "    .map_err(|e| flitt_client::Error::Config(e.to_string()))?;\n",
                    "assert!(body[\"request\"][\"signature\"].is_string());\n",
                    "# let _ = Currency::GEL;\n",
                    "# Ok(())\n",
                    "# }\n",
                    "```"
                )]
                pub async fn $prepare(&self, request: &$request) -> Result<http::Request<Vec<u8>>> {
                    self.build_request::<$op>(request)
                }

                #[doc = concat!(
                    "Interprets an answer to [`", $method, "`](Self::", $method, ") that you ",
                    "received yourself (its status, headers and raw body), with the code the ",
                    "operation uses: a body over the size limit, Flitt's request errors, the ",
                    "signature over every field as received, the order id, then typed decoding ",
                    "with the failing field's path.\n\n",
                    "```\n",
                    "use flitt_client::{Client, Credentials, Currency};\n",
                    $uses, "\n",
                    "# fn main() -> Result<(), flitt_client::Error> {\n",
                    "let client = Client::builder(Credentials::test_merchant()).build()?;\n",
                    "let request = ", $example, ";\n",
                    "let answer = http::Response::builder()\n",
                    "    .status(200)\n",
                    "    .body(r#\"{\"response\": {\"error_code\": 1018, \"error_message\": \"Order not found\", \"response_status\": \"failure\"}}\"#)\n",
                    "    .map_err(|e| flitt_client::Error::Config(e.to_string()))?;\n",
                    "let outcome = client.", stringify!($decode), "(&request, &answer);\n",
                    "assert_eq!(outcome.err().as_ref().and_then(|e| e.provider_code()), Some(\"1018\"));\n",
                    "# let _ = Currency::GEL;\n",
                    "# Ok(())\n",
                    "# }\n",
                    "```"
                )]
                pub fn $decode<B: AsRef<[u8]>>(
                    &self,
                    request: &$request,
                    response: &http::Response<B>,
                ) -> Result<$output> {
                    self.decode::<$op, B>(request, response)
                }
            )+
        }
    };
}

prepare_and_decode! {
    CheckoutUrlOp, "checkout_url", "checkout/url",
    prepare_checkout_url, decode_checkout_url_response, CheckoutRequest => CheckoutUrl,
    uses: "use flitt_client::model::checkout::CheckoutRequest;",
    request: "CheckoutRequest::new(\"order-1001\", \"Coffee beans\", 2500, Currency::GEL)";

    CheckoutTokenOp, "checkout_token", "checkout/token",
    prepare_checkout_token, decode_checkout_token_response, CheckoutRequest => CheckoutToken,
    uses: "use flitt_client::model::checkout::CheckoutRequest;",
    request: "CheckoutRequest::new(\"order-1002\", \"Tea\", 900, Currency::GEL)";

    RecurringOp, "recurring", "recurring",
    prepare_recurring, decode_recurring_response, RecurringRequest => Order,
    uses: "use flitt_client::model::recurring::RecurringRequest;",
    request: "RecurringRequest::new(\"order-2001\", \"Monthly plan\", 1000, Currency::GEL, \"JcZoqYNosx1HjDoHXWlFU0avVnzYsFAbLBbA\")";

    StatusOp, "order_status", "status/order_id",
    prepare_order_status, decode_order_status_response, StatusRequest => Order,
    uses: "use flitt_client::model::order::StatusRequest;",
    request: "StatusRequest::new(\"order-2001\")";

    ReverseOp, "reverse", "reverse/order_id",
    prepare_reverse, decode_reverse_response, ReverseRequest => Reversal,
    uses: "use flitt_client::model::manage::ReverseRequest;",
    request: "ReverseRequest::new(\"order-2001\", 1000, Currency::GEL).reverse_id(\"refund-1\")";

    CaptureOp, "capture", "capture/order_id",
    prepare_capture, decode_capture_response, CaptureRequest => Capture,
    uses: "use flitt_client::model::manage::CaptureRequest;",
    request: "CaptureRequest::new(\"order-2002\", 2500, Currency::GEL)";

    P2pCreditOp, "p2p_credit", "p2pcredit",
    prepare_p2p_credit, decode_p2p_credit_response, P2pCreditRequest => Order,
    uses: "use flitt_client::model::payout::{P2pCreditRequest, PayoutReceiver};",
    request: "P2pCreditRequest::new(\"payout-1\", \"Refund to card\", 5000, Currency::GEL, PayoutReceiver::Rectoken(\"JcZoqYNosx1HjDoHXWlFU0avVnzYsFAbLBbA\".into()))";

    ThreeDsStep1Op, "three_ds_step1", "3dsecure_step1",
    prepare_three_ds_step1, decode_three_ds_step1_response, ThreeDsStep1Request => ThreeDsStep1Response,
    uses: "use flitt_client::model::card::{Card, CardNumber, Cvv2, Expiry};\nuse flitt_client::model::three_ds::ThreeDsStep1Request;",
    request: "ThreeDsStep1Request::new(\"order-9\", \"Tickets\", 4200, Currency::GEL, Card::new(CardNumber::new(\"4444555511116666\")?, Expiry::new(12, 2030)?, Cvv2::new(\"123\")?))";

    ThreeDsStep2Op, "three_ds_step2", "3dsecure_step2",
    prepare_three_ds_step2, decode_three_ds_step2_response, ThreeDsStep2Request => Order,
    uses: "use flitt_client::model::three_ds::ThreeDsStep2Request;",
    request: "ThreeDsStep2Request::new(\"order-9\", \"pares-from-the-issuer\", \"md-from-step-1\")";

    SubscriptionOp, "subscription", "subscription",
    prepare_subscription, decode_subscription_response, SubscriptionRequest => Subscription,
    uses: "use flitt_client::model::subscription::SubscriptionRequest;",
    request: "SubscriptionRequest::stop(\"subscription-order-1\")";

    TransactionListOp, "transaction_list", "transaction_list",
    prepare_transaction_list, decode_transaction_list_response, TransactionListRequest => Vec<Transaction>,
    uses: "use flitt_client::model::transactions::TransactionListRequest;",
    request: "TransactionListRequest::new(\"order-2001\")";

    SettlementOp, "settlement", "settlement",
    prepare_settlement, decode_settlement_response, SettlementRequest => Order,
    uses: "use flitt_client::model::settlement::{SettlementReceiver, SettlementRequest};",
    request: "SettlementRequest::new(\"settlement-1\", \"order-2001\", \"Split\", 1000, Currency::GEL, vec![SettlementReceiver::merchant(600001, 1000)])";
}

fn too_large<O: Op>(status: StatusCode, limit: usize) -> Error {
    Error::ResponseTooLarge {
        operation: O::NAME,
        status,
        limit,
        may_have_been_processed: O::CHANGES_STATE,
    }
}

/// Why a body was not read.
enum BodyFailure {
    /// It is (or declares to be) over the limit.
    TooLarge,
    /// The connection failed while reading it.
    Transport(reqwest::Error),
}

/// A body as read: the only chunk, kept as received, or the chunks copied together.
enum ReadBody<C> {
    One(C),
    Joined(Vec<u8>),
}

impl<C: AsRef<[u8]>> ReadBody<C> {
    fn as_slice(&self) -> &[u8] {
        match self {
            ReadBody::One(chunk) => chunk.as_ref(),
            ReadBody::Joined(body) => body,
        }
    }
}

/// Reads a body of at most `limit` bytes: a larger `Content-Length` is refused before reading,
/// and reading stops at the first chunk that passes the limit (the connection is then dropped,
/// not drained). A body that arrives in one chunk is not copied.
async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> std::result::Result<ReadBody<impl AsRef<[u8]>>, BodyFailure> {
    let declared = response.content_length();
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(BodyFailure::TooLarge);
    }
    let Some(first) = response.chunk().await.map_err(BodyFailure::Transport)? else {
        return Ok(ReadBody::Joined(Vec::new()));
    };
    if first.len() > limit {
        return Err(BodyFailure::TooLarge);
    }
    let Some(second) = response.chunk().await.map_err(BodyFailure::Transport)? else {
        return Ok(ReadBody::One(first));
    };
    let capacity = declared.map_or(8 * 1024, |n| n as usize).min(limit);
    let mut body = Vec::with_capacity(capacity.min(64 * 1024));
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if chunk.len() > limit - body.len() {
            return Err(BodyFailure::TooLarge);
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(BodyFailure::Transport)?;
    }
    Ok(ReadBody::Joined(body))
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap, clock: &Clock) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = payments_signing::http::parse_http_date(value).ok()?;
    Some(at.duration_since(clock()).unwrap_or(Duration::ZERO))
}

/// A short description of a transport failure (no URL query, no body).
fn describe_reqwest_error(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the connection failed while reading the answer"
    } else if e.is_request() {
        "the connection failed after the request was sent"
    } else {
        "transport failure"
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_cheap_to_share() {
        fn is<T: Send + Sync + Clone>() {}
        is::<Client>();
    }

    #[test]
    fn calls_can_be_spawned() {
        fn is_send<T: Send>(_: &T) {}
        let client = Client::builder(Credentials::new(1, "k"))
            .build()
            .unwrap_or_else(|e| unreachable!("{e}"));
        let charge = RecurringRequest::new("o", "d", 1, crate::Currency::GEL, "t");
        is_send(&client.recurring(&charge));
        let status = StatusRequest::new("o");
        is_send(&client.order_status(&status));
        let list = TransactionListRequest::new("o");
        is_send(&client.transaction_list(&list));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let clock: Clock = Arc::new(|| SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000));
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, http::HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, &clock), Some(Duration::from_secs(7)));
        // 2001-09-09T01:46:40Z is the clock's time; ten seconds later:
        headers.insert(
            RETRY_AFTER,
            http::HeaderValue::from_static("Sun, 09 Sep 2001 01:46:50 GMT"),
        );
        assert_eq!(retry_after(&headers, &clock), Some(Duration::from_secs(10)));
    }

    #[test]
    fn base_url_must_be_http() {
        let built = Client::builder(Credentials::new(1, "k"))
            .base_url("ftp://x")
            .build();
        assert!(matches!(built, Err(Error::Config(_))));
        let client = Client::builder(Credentials::new(1, "k"))
            .base_url("http://127.0.0.1:1/api")
            .build()
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            client
                .endpoint("status/order_id")
                .map(|u| u.to_string())
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:1/api/status/order_id")
        );
    }
}
