//! [`Client`] and [`ClientBuilder`]: one async method per PortOne operation.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderValue, Method};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::ser::SerializeMap as _;

use crate::auth::{self, Credentials, HeaderStyle};
use crate::decode::{self, Context, Raw, op};
use crate::error::{Error, Rule};
use crate::model::card::{
    CardEncryption, CardRecord, CardToken, NewCard, PublicKey, SavedCard, SavedCards, SecretToken,
    TokenizedCard,
};
use crate::model::checkout::{
    CheckoutRequest, PaymentLink, PaymentRequest, PaymentResponse, TokenParams,
};
use crate::model::customer::{AddCustomerRequest, Customer};
use crate::model::payment_link::PaymentLinkState;
use crate::model::payment_methods::PaymentMethods;
use crate::model::refund::{RefundRequest, Refunds};
use crate::model::routing::Route;
use crate::model::token::AuthToken;
use crate::model::transaction::{OrderStatus, Transaction, TransactionDetailsBody};
use crate::model::{Acknowledgement, Environment, validate_phone, validate_reference};
use crate::transport::{Auth, Call, Minted, bearer_header};

/// PortOne's API host.
pub const DEFAULT_BASE_URL: &str = "https://api.portone.cloud";

/// The default time allowed to connect.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default time allowed for a whole call.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default number of retries of an idempotent call.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// The default first retry delay (later ones grow exponentially, with jitter).
pub const DEFAULT_RETRY_MIN_DELAY: Duration = Duration::from_millis(200);

/// The default longest retry delay.
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(5);

/// The default largest answer body read: 4 MiB. PortOne's largest documented answers are a few
/// kilobytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

pub(crate) type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// How a saved-card look-up authenticates: the OTP sent to the customer's phone the first time,
/// the token PortOne returned later.
#[derive(Clone)]
pub enum SavedCardsAccess {
    /// The OTP the customer received (see [`Client::send_otp`]).
    Otp(SecretString),
    /// The token from an earlier look-up.
    Token(SecretToken),
}

impl fmt::Debug for SavedCardsAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Otp(_) => f.write_str("Otp([redacted])"),
            Self::Token(_) => f.write_str("Token([redacted])"),
        }
    }
}

/// A PortOne API client. Cheap to clone (an `Arc` inside), `Send + Sync`.
///
/// Build one with [`Client::builder`]:
///
/// ```no_run
/// # async fn run() -> Result<(), portone_client::Error> {
/// use portone_client::{Client, Credentials, Environment};
/// use secrecy::SecretString;
///
/// let client = Client::builder(Credentials::new(
///     "your PortOne key",
///     SecretString::from(std::env::var("PORTONE_SECRET_KEY").unwrap_or_default()),
/// ))
/// .environment(Environment::Sandbox)
/// .build()?;
/// let status = client.transaction_status("order-0001").await?;
/// println!("paid: {}", status.is_paid());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: url::Url,
    pub(crate) credentials: Credentials,
    pub(crate) environment: Environment,
    clock: Clock,
    pub(crate) max_retries: u32,
    pub(crate) retry_min_delay: Duration,
    pub(crate) retry_max_delay: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) timeout: Option<Duration>,
    jwt_ttl: Duration,
    issuer: String,
    pub(crate) header_style: HeaderStyle,
    whitelisted: bool,
    card_encryption: CardEncryption,
    /// Header values that never change, built once (`None`: not a valid header value, an error
    /// when a request is prepared, as before).
    user_agent_header: Option<HeaderValue>,
    client_key_header: Option<HeaderValue>,
    sub_merchant_key_header: Option<Option<HeaderValue>>,
    /// The token minted for the current second of the clock, with its `Authorization` header.
    /// A token is a function of the credentials, issuer, lifetime and the issue second only, so
    /// one minted earlier for the same second is the token that would be minted now.
    jwt_cache: Mutex<Option<CachedJwt>>,
}

struct CachedJwt {
    iat: u64,
    token: Minted,
    authorization: HeaderValue,
}

/// A header value built from configuration, or `None` when it is not a valid one.
fn static_header(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

fn invalid_header() -> Error {
    Error::Config("a credential or the user agent is not a valid header value".into())
}

impl Inner {
    /// The client's clock.
    pub(crate) fn clock(&self) -> &(dyn Fn() -> SystemTime + Send + Sync) {
        &*self.clock
    }

    pub(crate) fn mint_jwt(&self) -> SecretString {
        auth::mint_jwt(
            &self.credentials,
            &self.issuer,
            (self.clock)(),
            self.jwt_ttl,
        )
    }

    /// The JWT a call sends now (for the client's clock) and its `Authorization` header: the
    /// token [`Inner::mint_jwt`] returns now, reused while the clock stays in the same second.
    pub(crate) fn current_jwt(&self) -> Result<(Minted, HeaderValue), Error> {
        let issued_at = (self.clock)();
        let iat = issued_at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        if let Ok(cache) = self.jwt_cache.lock()
            && let Some(cached) = cache.as_ref()
            && cached.iat == iat
        {
            return Ok((Arc::clone(&cached.token), cached.authorization.clone()));
        }
        let token = Arc::new(auth::mint_jwt(
            &self.credentials,
            &self.issuer,
            issued_at,
            self.jwt_ttl,
        ));
        let authorization = bearer_header(token.expose_secret())?;
        if let Ok(mut cache) = self.jwt_cache.lock() {
            *cache = Some(CachedJwt {
                iat,
                token: Arc::clone(&token),
                authorization: authorization.clone(),
            });
        }
        Ok((token, authorization))
    }

    pub(crate) fn user_agent_header(&self) -> Result<HeaderValue, Error> {
        self.user_agent_header.clone().ok_or_else(invalid_header)
    }

    pub(crate) fn client_key_header(&self) -> Result<HeaderValue, Error> {
        self.client_key_header.clone().ok_or_else(invalid_header)
    }

    pub(crate) fn sub_merchant_key_header(&self) -> Result<Option<HeaderValue>, Error> {
        self.sub_merchant_key_header
            .clone()
            .ok_or_else(invalid_header)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("environment", &self.inner.environment)
            .field("credentials", &self.inner.credentials)
            .field("max_retries", &self.inner.max_retries)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Obtain one with [`Client::builder`].
#[must_use]
pub struct ClientBuilder {
    credentials: Credentials,
    environment: Option<Environment>,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    http_client: Option<reqwest::Client>,
    clock: Option<Clock>,
    max_retries: u32,
    retry_min_delay: Duration,
    retry_max_delay: Duration,
    max_response_bytes: usize,
    user_agent_suffix: Option<String>,
    jwt_ttl: Duration,
    issuer: String,
    header_style: HeaderStyle,
    whitelisted: bool,
    card_encryption: CardEncryption,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// `sandbox` or `live`. **Required**: PortOne refuses requests without one
    /// (`INVALID_ENVIRONMENT`), so [`ClientBuilder::build`] does too.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// The API host (default `https://api.portone.cloud`); e.g. a mock gateway's URL.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Time allowed to connect (default 10 s). Ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole call, per attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Brings your own `reqwest::Client` (proxies, TLS settings, connection pool).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The clock used for JWT `iat`/`exp` (default: the system clock).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// How often an idempotent call (a read) is retried on connection errors, 429 and 5xx
    /// (default 2). Payments, captures, refunds and cancellations are never retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The retry delays of idempotent calls: the first is `min_delay`, later ones grow
    /// exponentially with jitter up to `max_delay` (default 200 ms to 5 s). A `Retry-After` of
    /// up to 30 s is honoured instead; a longer one ends the retries.
    pub fn retry_backoff(mut self, min_delay: Duration, max_delay: Duration) -> Self {
        self.retry_min_delay = min_delay;
        self.retry_max_delay = max_delay.max(min_delay);
        self
    }

    /// The largest answer body read (default 4 MiB). A larger one is refused as soon as that is
    /// known — from `Content-Length`, or while reading, without buffering the rest — with
    /// [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Appended to the `User-Agent` (`portone-client/<version> <suffix>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Lifetime of each minted JWT (default 300 s).
    pub fn jwt_ttl(mut self, ttl: Duration) -> Self {
        self.jwt_ttl = ttl;
        self
    }

    /// The JWT issuer (default `PORTONE`; legacy accounts: `CHAIPAY`).
    pub fn jwt_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = issuer.into();
        self
    }

    /// Which header names carry the keys (default [`HeaderStyle::Portone`]).
    pub fn header_style(mut self, style: HeaderStyle) -> Self {
        self.header_style = style;
        self
    }

    /// The merchant's app, domain or IP is whitelisted with PortOne: payment requests are sent
    /// without `signature_hash`.
    pub fn whitelisted(mut self, whitelisted: bool) -> Self {
        self.whitelisted = whitelisted;
        self
    }

    /// The padding used to encrypt card data (default RSA-OAEP SHA-1).
    pub fn card_encryption(mut self, scheme: CardEncryption) -> Self {
        self.card_encryption = scheme;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::InvalidRequest`] ([`Rule::Environment`]) when no environment was
    /// chosen, and with [`Error::Config`] for an unusable base URL or HTTP client.
    pub fn build(self) -> Result<Client, Error> {
        let Some(environment) = self.environment else {
            return Err(Error::invalid(
                Rule::Environment,
                "choose an environment with ClientBuilder::environment: sandbox or live",
            ));
        };
        if self.credentials.portone_key().trim().is_empty()
            || self
                .credentials
                .secret_key()
                .expose_secret()
                .trim()
                .is_empty()
        {
            return Err(Error::invalid(
                Rule::Required,
                "the PortOne key and the secret key must not be empty",
            ));
        }
        let base_url = url::Url::parse(&self.base_url)
            .map_err(|e| Error::Config(format!("base_url does not parse: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Config("base_url must be an http(s) URL".into()));
        }
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config(format!("HTTP client: {e}")))?,
        };
        let mut user_agent = format!("{}/{}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = self.user_agent_suffix.filter(|s| !s.trim().is_empty()) {
            user_agent.push(' ');
            user_agent.push_str(suffix.trim());
        }
        let user_agent_header = HeaderValue::from_str(&user_agent).ok();
        let client_key_header = static_header(self.credentials.portone_key());
        let sub_merchant_key_header = match self.credentials.sub_merchant_key() {
            Some(sub) => static_header(sub).map(Some),
            None => Some(None),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                environment,
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
                max_retries: self.max_retries,
                retry_min_delay: self.retry_min_delay,
                retry_max_delay: self.retry_max_delay,
                max_response_bytes: self.max_response_bytes,
                timeout: Some(self.timeout),
                jwt_ttl: self.jwt_ttl,
                issuer: self.issuer,
                header_style: self.header_style,
                whitelisted: self.whitelisted,
                card_encryption: self.card_encryption,
                user_agent_header,
                client_key_header,
                sub_merchant_key_header,
                jwt_cache: Mutex::new(None),
            }),
        })
    }
}

/// `{"portone_key", …the request's fields, "signature_hash"?, "environment"}`.
struct PaymentLinkBody<'a> {
    portone_key: &'a str,
    request: &'a CheckoutRequest,
    signature_hash: Option<String>,
    environment: Environment,
}

/// The map the derived `Serialize` with `#[serde(flatten)]` wrote, written directly.
impl Serialize for PaymentLinkBody<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("portone_key", self.portone_key)?;
        self.request.serialize_entries(&mut map)?;
        if self.signature_hash.is_some() {
            map.serialize_entry("signature_hash", &self.signature_hash)?;
        }
        map.serialize_entry("environment", &self.environment)?;
        map.end()
    }
}

/// `{"key", …the request's fields, "signature_hash"?, "environment"}`.
struct InitiatePaymentBody<'a> {
    key: &'a str,
    request: &'a PaymentRequest,
    signature_hash: Option<String>,
    environment: Environment,
}

/// The map the derived `Serialize` with `#[serde(flatten)]` wrote, written directly.
impl Serialize for InitiatePaymentBody<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("key", self.key)?;
        self.request.serialize_entries(&mut map)?;
        if self.signature_hash.is_some() {
            map.serialize_entry("signature_hash", &self.signature_hash)?;
        }
        map.serialize_entry("environment", &self.environment)?;
        map.end()
    }
}

#[derive(Serialize)]
struct AuthTokenBody<'a> {
    portone_key: &'a str,
    portone_secret: &'a str,
}

#[derive(Serialize)]
struct TokenizeCardBody<'a> {
    card_number: String,
    cardholder_name: &'a str,
    service_code: String,
    expiration_month: &'a str,
    expiration_year: &'a str,
    save_card: bool,
    environment: Environment,
}

#[derive(Serialize)]
struct DeleteCardBody<'a> {
    token: &'a str,
}

#[derive(Serialize)]
struct RefundBody<'a> {
    #[serde(flatten)]
    request: &'a RefundRequest,
    environment: Environment,
}

/// The starting size of a payment body's buffer: a typical checkout fits without regrowing.
const PAYMENT_BODY_CAPACITY: usize = 1024;

fn to_body<T: Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    to_body_sized(value, 128)
}

/// [`to_body`] into a buffer of `capacity` bytes to start with.
fn to_body_sized<T: Serialize>(value: &T, capacity: usize) -> Result<Vec<u8>, Error> {
    let mut body = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut body, value)
        .map(|()| body)
        .map_err(|e| {
            Error::invalid(
                Rule::Required,
                format!("the request does not serialize: {e}"),
            )
        })
}

/// A merchant-chosen reference placed in a URL path: anything but empty, `.`, `..` or control
/// characters (it is percent-encoded).
fn validate_merchant_ref(field: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty()
        || value == "."
        || value == ".."
        || value.chars().any(char::is_control)
    {
        return Err(Error::invalid(
            Rule::Reference,
            format!("{field} must be a non-empty reference (got {value:?})"),
        ));
    }
    Ok(())
}

impl Client {
    /// Starts configuring a client for `credentials`.
    ///
    /// ```
    /// use portone_client::{Client, Credentials, Environment};
    /// use secrecy::SecretString;
    /// let client = Client::builder(Credentials::new("key", SecretString::from("secret")))
    ///     .environment(Environment::Sandbox)
    ///     .build()
    ///     .expect("valid configuration");
    /// # let _ = client;
    /// ```
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            environment: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            http_client: None,
            clock: None,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_min_delay: DEFAULT_RETRY_MIN_DELAY,
            retry_max_delay: DEFAULT_RETRY_MAX_DELAY,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent_suffix: None,
            jwt_ttl: auth::DEFAULT_JWT_TTL,
            issuer: auth::DEFAULT_ISSUER.to_owned(),
            header_style: HeaderStyle::Portone,
            whitelisted: false,
            card_encryption: CardEncryption::OaepSha1,
        }
    }

    /// The environment every request is sent for.
    pub fn environment(&self) -> Environment {
        self.inner.environment
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// Mints the JWT this client would send now (from its clock): for a mobile app that needs
    /// one from the merchant's server.
    ///
    /// ```
    /// use portone_client::{Client, Credentials, Environment};
    /// use secrecy::{ExposeSecret, SecretString};
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// // PortOne's published auth-token example: same key, secret, iat and lifetime.
    /// let client = Client::builder(Credentials::new(
    ///     "sjcrvcbVYkFobHlx",
    ///     SecretString::from("6cd264c70ec38d41a5dc2662e98c72bac58d3afc5bb4e80debbe3a976a0dc4eb"),
    /// ))
    /// .environment(Environment::Sandbox)
    /// .clock(|| UNIX_EPOCH + Duration::from_secs(1_724_302_051))
    /// .jwt_ttl(Duration::from_secs(21_600))
    /// .build()
    /// .unwrap();
    /// assert_eq!(
    ///     client.mint_jwt().expose_secret(),
    ///     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3MjQzMjM2NTEsImlhdCI6MTcyNDMwMjA1MSwiaXNzIjoiUE9SVE9ORSIsInN1YiI6InNqY3J2Y2JWWWtGb2JIbHgifQ.-A7y_JSRNbST9wIE26xd-oq0vLsQ-PavhHyxSts0glY"
    /// );
    /// ```
    pub fn mint_jwt(&self) -> SecretString {
        self.inner.mint_jwt()
    }

    /// The API host requests are sent to (normalised, e.g. `https://api.portone.cloud/`).
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    fn key(&self) -> Cow<'static, str> {
        Cow::Owned(self.inner.credentials.portone_key().to_owned())
    }

    fn env_query(&self) -> (&'static str, String) {
        ("environment", self.inner.environment.as_str().to_owned())
    }

    /// The `signature_hash` to send, or none for a whitelisted merchant.
    fn request_signature(
        &self,
        sign: impl FnOnce(&SecretString) -> Result<String, Error>,
    ) -> Result<Option<String>, Error> {
        if self.inner.whitelisted {
            return Ok(None);
        }
        sign(self.inner.credentials.secret_key()).map(Some)
    }

    /// Sends `call` and decodes the answer with `decode` (the function the `decode` module
    /// exposes for the same operation).
    async fn run<T>(
        &self,
        call: Call,
        decode: fn(&Context<'_>, Raw<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let answer = self.inner.send(call).await?;
        decode(&self.inner.context(answer.minted.as_ref()), answer.raw())
    }

    /// The request `call` would send now.
    fn prepared(&self, call: &Call) -> Result<http::Request<Vec<u8>>, Error> {
        self.inner.prepare(call)
    }

    fn auth_token_call(&self) -> Result<Call, Error> {
        let body = to_body(&AuthTokenBody {
            portone_key: self.inner.credentials.portone_key(),
            portone_secret: self.inner.credentials.secret_key().expose_secret(),
        })?;
        Ok(Call {
            op: op::AUTH_TOKEN,
            method: Method::POST,
            segments: vec!["api".into(), "merchant".into(), "auth-token".into()],
            query: vec![],
            body: Some(body),
            auth: Auth::None,
        })
    }

    /// Asks PortOne's token API for a JWT (`POST /api/merchant/auth-token`; valid 6 hours).
    /// The client mints its own tokens, so this is only needed to hand a token to another
    /// system.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let token = client.auth_token().await?;
    /// println!("valid for {:?}", token.expires_in);
    /// # Ok(()) }
    /// ```
    pub async fn auth_token(&self) -> Result<AuthToken, Error> {
        self.run(self.auth_token_call()?, decode::auth_token_in)
            .await
    }

    /// The exact request [`Client::auth_token`] would send now, without sending it. Its body
    /// holds the secret key in clear (PortOne's token API asks for it): do not log it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_auth_token().await?;
    /// assert_eq!(request.uri().path(), "/api/merchant/auth-token");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_auth_token(&self) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.auth_token_call()?)
    }

    fn payment_methods_call(&self, currency: &str) -> Result<Call, Error> {
        crate::model::checkout::validate_currency(currency)?;
        Ok(Call {
            op: op::PAYMENT_METHODS,
            method: Method::GET,
            segments: vec!["merchants".into(), self.key(), "paymethodsbyKey".into()],
            query: vec![("currency", currency.to_owned()), self.env_query()],
            body: None,
            auth: Auth::ClientKey,
        })
    }

    /// The payment channels and methods enabled for this key and `currency`
    /// (`GET /merchants/{key}/paymethodsbyKey`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let methods = client.payment_methods("VND").await?;
    /// for card in methods.of_type("CARD") {
    ///     println!("{:?} {:?}", card.payment_channel_key, card.payment_method_key);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn payment_methods(&self, currency: &str) -> Result<PaymentMethods, Error> {
        self.run(
            self.payment_methods_call(currency)?,
            decode::payment_methods_in,
        )
        .await
    }

    /// The exact request [`Client::payment_methods`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_payment_methods("VND").await?;
    /// assert_eq!(request.uri().query(), Some("currency=VND&environment=sandbox"));
    /// # Ok(()) }
    /// ```
    pub async fn prepare_payment_methods(
        &self,
        currency: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.payment_methods_call(currency)?)
    }

    fn create_payment_link_call(&self, request: &CheckoutRequest) -> Result<Call, Error> {
        request.validate()?;
        let key = self.inner.credentials.portone_key();
        let signature_hash =
            self.request_signature(|secret| request.signature_hash(key, secret))?;
        let body = to_body_sized(
            &PaymentLinkBody {
                portone_key: key,
                request,
                signature_hash,
                environment: self.inner.environment,
            },
            PAYMENT_BODY_CAPACITY,
        )?;
        Ok(Call {
            op: op::CREATE_PAYMENT_LINK,
            method: Method::POST,
            segments: vec!["api".into(), "paymentLink".into()],
            query: vec![],
            body: Some(body),
            auth: Auth::Jwt,
        })
    }

    /// Creates a hosted checkout (`POST /api/paymentLink`) and returns the link to redirect the
    /// customer to. The client adds `portone_key`, `environment` and `signature_hash`.
    ///
    /// **Never retried**: on [`Error::Ambiguous`] look the order up with
    /// [`Client::transaction_status`] before creating another link.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// use portone_client::model::checkout::{CheckoutRequest, MerchantDetails, RedirectUrls};
    /// use rust_decimal::Decimal;
    /// let link = client
    ///     .create_payment_link(&CheckoutRequest::new(
    ///         "order-0001",
    ///         Decimal::new(50000, 0),
    ///         "VND",
    ///         "VN",
    ///         MerchantDetails::new("My Shop"),
    ///         RedirectUrls::new("https://shop.example/ok", "https://shop.example/ko"),
    ///     ))
    ///     .await?;
    /// println!("redirect the customer to {}", link.payment_link);
    /// # Ok(()) }
    /// ```
    pub async fn create_payment_link(
        &self,
        request: &CheckoutRequest,
    ) -> Result<PaymentLink, Error> {
        self.run(
            self.create_payment_link_call(request)?,
            decode::create_payment_link_in,
        )
        .await
    }

    /// The exact request [`Client::create_payment_link`] would send now — method, URL, every
    /// header (a JWT minted from the client's clock, the client key, the user agent) and the
    /// body bytes with their `signature_hash` — without sending it: for snapshot tests of what
    /// your code sends, and to measure the client-side cost of a call.
    ///
    /// ```
    /// use portone_client::model::checkout::{CheckoutRequest, MerchantDetails, RedirectUrls};
    /// use portone_client::{Client, Credentials, Decimal, Environment};
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// let client = Client::builder(Credentials::new("PORTONE_KEY", "PORTONE_SECRET".into()))
    ///     .environment(Environment::Sandbox)
    ///     .clock(|| UNIX_EPOCH + Duration::from_secs(1_724_302_051))
    ///     .build()?;
    /// let checkout = CheckoutRequest::new(
    ///     "order-0001",
    ///     Decimal::new(50000, 0),
    ///     "VND",
    ///     "VN",
    ///     MerchantDetails::new("My Shop"),
    ///     RedirectUrls::new("https://shop.example/ok", "https://shop.example/ko"),
    /// );
    /// let request = client.prepare_create_payment_link(&checkout).await?;
    /// assert_eq!(request.method(), http::Method::POST);
    /// assert_eq!(request.uri(), "https://api.portone.cloud/api/paymentLink");
    /// assert!(request.headers()["authorization"].is_sensitive());
    /// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    /// assert_eq!(body["amount"], 50000);
    /// assert!(body["signature_hash"].is_string());
    /// # Ok(()) }
    /// ```
    pub async fn prepare_create_payment_link(
        &self,
        request: &CheckoutRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.create_payment_link_call(request)?)
    }

    fn initiate_payment_call(&self, request: &PaymentRequest) -> Result<Call, Error> {
        request.validate()?;
        let key = self.inner.credentials.portone_key();
        let signature_hash =
            self.request_signature(|secret| request.signature_hash(key, secret))?;
        let body = to_body_sized(
            &InitiatePaymentBody {
                key,
                request,
                signature_hash,
                environment: self.inner.environment,
            },
            PAYMENT_BODY_CAPACITY,
        )?;
        Ok(Call {
            op: op::INITIATE_PAYMENT,
            method: Method::POST,
            segments: vec!["api".into(), "initiatePayment".into()],
            query: vec![],
            body: Some(body),
            auth: Auth::ClientKey,
        })
    }

    /// Starts a direct payment with a chosen channel and method (`POST /api/initiatePayment`)
    /// and returns where to send the customer. Authenticated by the key and `signature_hash`
    /// (no JWT, as documented).
    ///
    /// **Never retried**: on [`Error::Ambiguous`] look the order up with
    /// [`Client::transaction_status`] before paying again.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// use portone_client::model::checkout::{PaymentRequest, RedirectUrls};
    /// use rust_decimal::Decimal;
    /// let payment = client
    ///     .initiate_payment(&PaymentRequest::new(
    ///         "order-0002",
    ///         Decimal::new(1999, 2),
    ///         "USD",
    ///         "STRIPE",
    ///         "STRIPE_CARD",
    ///         "Two tickets",
    ///         RedirectUrls::new("https://shop.example/ok", "https://shop.example/ko"),
    ///     ))
    ///     .await?;
    /// println!("{:?} {:?}", payment.order_ref, payment.redirect_url);
    /// # Ok(()) }
    /// ```
    pub async fn initiate_payment(
        &self,
        request: &PaymentRequest,
    ) -> Result<PaymentResponse, Error> {
        self.run(
            self.initiate_payment_call(request)?,
            decode::initiate_payment_in,
        )
        .await
    }

    /// The exact request [`Client::initiate_payment`] would send now, without sending it.
    ///
    /// ```
    /// use portone_client::model::checkout::{PaymentRequest, RedirectUrls};
    /// use portone_client::Decimal;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("PORTONE_KEY", "PORTONE_SECRET".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let payment = PaymentRequest::new(
    ///     "order-0002",
    ///     Decimal::new(1999, 2),
    ///     "USD",
    ///     "STRIPE",
    ///     "STRIPE_CARD",
    ///     "Two tickets",
    ///     RedirectUrls::new("https://shop.example/ok", "https://shop.example/ko"),
    /// );
    /// let request = client.prepare_initiate_payment(&payment).await?;
    /// assert_eq!(request.headers()["x-portone-client-key"], "PORTONE_KEY");
    /// assert!(!request.headers().contains_key("authorization"));
    /// # Ok(()) }
    /// ```
    pub async fn prepare_initiate_payment(
        &self,
        request: &PaymentRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.initiate_payment_call(request)?)
    }

    fn card_public_key_call(&self) -> Call {
        Call {
            op: op::CARD_PUBLIC_KEY,
            method: Method::GET,
            segments: vec!["api".into(), "tokenization".into(), "public-key".into()],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
        }
    }

    /// PortOne's public key for encrypting card data (`GET /api/tokenization/public-key`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let key = client.card_public_key().await?;
    /// println!("{key:?}");
    /// # Ok(()) }
    /// ```
    pub async fn card_public_key(&self) -> Result<PublicKey, Error> {
        self.run(self.card_public_key_call(), decode::card_public_key_in)
            .await
    }

    /// The exact request [`Client::card_public_key`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_card_public_key().await?;
    /// assert_eq!(request.uri().path(), "/api/tokenization/public-key");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_card_public_key(&self) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.card_public_key_call())
    }

    fn tokenize_card_call(&self, card: &NewCard, key: &PublicKey) -> Result<Call, Error> {
        let scheme = self.inner.card_encryption;
        let body = to_body(&TokenizeCardBody {
            card_number: key.encrypt(card.number.expose(), scheme)?,
            cardholder_name: &card.holder_name,
            service_code: key.encrypt(card.cvv.expose(), scheme)?,
            expiration_month: &card.expiry_month,
            expiration_year: &card.expiry_year,
            save_card: card.save_card,
            environment: self.inner.environment,
        })?;
        Ok(Call {
            op: op::TOKENIZE_CARD,
            method: Method::POST,
            segments: vec!["api".into(), "tokenization".into(), "tokenize-card".into()],
            query: vec![],
            body: Some(body),
            auth: Auth::Jwt,
        })
    }

    /// Tokenizes a new card (`POST /api/tokenization/tokenize-card`): fetches PortOne's public
    /// key, encrypts the card number and CVV with it, and returns the card token. The card
    /// number and CVV leave the process only encrypted.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// use portone_client::model::card::{CardNumber, Cvv, NewCard};
    /// let card = NewCard::new(
    ///     CardNumber::new("4242424242424242")?,
    ///     Cvv::new("123")?,
    ///     "NGUYEN VAN A",
    ///     "05",
    ///     "2030",
    /// )?;
    /// let tokenized = client.tokenize_card(&card).await?;
    /// println!("{:?}", tokenized.card_token);
    /// # Ok(()) }
    /// ```
    pub async fn tokenize_card(&self, card: &NewCard) -> Result<TokenizedCard, Error> {
        let key = self.card_public_key().await?;
        self.tokenize_card_with_key(card, &key).await
    }

    /// The exact request [`Client::tokenize_card`] would send, without sending it. It fetches
    /// PortOne's public key first (a network call); the card number and CVV in its body are
    /// encrypted with randomised padding, so they differ from call to call.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client, card: portone_client::model::card::NewCard) -> Result<(), portone_client::Error> {
    /// let request = client.prepare_tokenize_card(&card).await?;
    /// assert_eq!(request.uri().path(), "/api/tokenization/tokenize-card");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_tokenize_card(
        &self,
        card: &NewCard,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let key = self.card_public_key().await?;
        self.prepare_tokenize_card_with_key(card, &key).await
    }

    /// Like [`Client::tokenize_card`], with a public key fetched before (it can be reused).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client, card: portone_client::model::card::NewCard) -> Result<(), portone_client::Error> {
    /// let key = client.card_public_key().await?;
    /// let tokenized = client.tokenize_card_with_key(&card, &key).await?;
    /// # let _ = tokenized; Ok(()) }
    /// ```
    pub async fn tokenize_card_with_key(
        &self,
        card: &NewCard,
        key: &PublicKey,
    ) -> Result<TokenizedCard, Error> {
        self.run(
            self.tokenize_card_call(card, key)?,
            decode::tokenize_card_in,
        )
        .await
    }

    /// The exact request [`Client::tokenize_card_with_key`] would send, without sending it
    /// (the ciphertexts differ from call to call: the padding is randomised).
    ///
    /// ```
    /// use portone_client::model::card::{CardNumber, Cvv, NewCard, PublicKey};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// # let pem = "-----BEGIN PUBLIC KEY-----\nMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDUZClaOVNX3GeGV5P+gXfsgODD\n1IzY9gtWX059agaSXRlTjxqDjj6p7mM+AGcWcVGZ3x8x/mw26fYChJ2gpplCT18J\n4UhjtiVGJILnCYKnJEFMCHIOhJtkrG+DP0VHVgOQdNgDgbUTLdmg0ZFGyVbevoCC\nkISX7lgoYrihrJVNfQIDAQAB\n-----END PUBLIC KEY-----";
    /// let key = PublicKey::parse(pem)?;
    /// let card = NewCard::new(CardNumber::new("4242424242424242")?, Cvv::new("123")?, "NGUYEN VAN A", "05", "2030")?;
    /// let request = client.prepare_tokenize_card_with_key(&card, &key).await?;
    /// assert!(!String::from_utf8_lossy(request.body()).contains("4242424242424242"));
    /// # Ok(()) }
    /// ```
    pub async fn prepare_tokenize_card_with_key(
        &self,
        card: &NewCard,
        key: &PublicKey,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.tokenize_card_call(card, key)?)
    }

    /// Checkout with a new card: tokenizes the card (public key, `tokenize-card`) and starts the
    /// payment with its token in `token_params`.
    ///
    /// Its requests can be prepared one by one: [`Client::prepare_tokenize_card`], then
    /// [`Client::prepare_initiate_payment`] with the token.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client, card: portone_client::model::card::NewCard) -> Result<(), portone_client::Error> {
    /// use portone_client::model::checkout::{PaymentRequest, RedirectUrls};
    /// use rust_decimal::Decimal;
    /// let request = PaymentRequest::new(
    ///     "order-0003",
    ///     Decimal::new(1000, 2),
    ///     "USD",
    ///     "STRIPE",
    ///     "STRIPE_CARD",
    ///     "Socks",
    ///     RedirectUrls::new("https://shop.example/ok", "https://shop.example/ko"),
    /// );
    /// let payment = client.checkout_with_new_card(request, &card).await?;
    /// # let _ = payment; Ok(()) }
    /// ```
    pub async fn checkout_with_new_card(
        &self,
        request: PaymentRequest,
        card: &NewCard,
    ) -> Result<PaymentResponse, Error> {
        request.validate()?;
        let tokenized = self.tokenize_card(card).await?;
        let mut params = TokenParams::new(tokenized.card_token.clone())
            .partial_card_number(
                tokenized
                    .card_number
                    .clone()
                    .unwrap_or_else(|| card.number.masked()),
            )
            .expiry(
                tokenized
                    .expiration_month
                    .clone()
                    .unwrap_or_else(|| card.expiry_month.clone()),
                tokenized
                    .expiration_year
                    .clone()
                    .unwrap_or_else(|| card.expiry_year.clone()),
            )
            .save_card(card.save_card);
        if let Some(kind) = tokenized
            .card_type
            .clone()
            .or_else(|| card.card_type.clone())
        {
            params = params.card_type(kind);
        }
        self.initiate_payment(&request.token_params(params)).await
    }

    fn send_otp_call(&self, phone: &str) -> Result<Call, Error> {
        validate_phone(phone)?;
        Ok(Call {
            op: op::SEND_OTP,
            method: Method::POST,
            segments: vec![
                "api".into(),
                "verification".into(),
                "generateOTP".into(),
                phone.to_owned().into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::None,
        })
    }

    /// Sends an OTP to the customer's phone (`POST /api/verification/generateOTP/{phone}`),
    /// the first step of [`Client::saved_cards`]. `phone` includes the country code
    /// (`+84…`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// client.send_otp("+84912345678").await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_otp(&self, phone: &str) -> Result<Acknowledgement, Error> {
        self.run(self.send_otp_call(phone)?, decode::send_otp_in)
            .await
    }

    /// The exact request [`Client::send_otp`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_send_otp("+84912345678").await?;
    /// assert_eq!(request.uri().path(), "/api/verification/generateOTP/+84912345678");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_send_otp(&self, phone: &str) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.send_otp_call(phone)?)
    }

    fn saved_cards_call(&self, phone: &str, access: SavedCardsAccess) -> Result<Call, Error> {
        validate_phone(phone)?;
        let mut query = Vec::new();
        let auth = match access {
            SavedCardsAccess::Otp(otp) => {
                let code = otp.expose_secret();
                if !(4..=8).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error::invalid(Rule::Otp, "the OTP must be 4 to 8 digits"));
                }
                query.push(("otp", code.to_owned()));
                Auth::ClientKey
            }
            SavedCardsAccess::Token(token) => Auth::Bearer(token.0),
        };
        query.push(self.env_query());
        Ok(Call {
            op: op::SAVED_CARDS,
            method: Method::GET,
            segments: vec![
                "api".into(),
                "user".into(),
                phone.to_owned().into(),
                "savedCard".into(),
            ],
            query,
            body: None,
            auth,
        })
    }

    /// The cards saved for a phone number (`GET /api/user/{phone}/savedCard`): the first time
    /// with the OTP the customer received, later with the token PortOne returned.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// use portone_client::SavedCardsAccess;
    /// use secrecy::SecretString;
    /// let saved = client
    ///     .saved_cards("+84912345678", SavedCardsAccess::Otp(SecretString::from("123456")))
    ///     .await?;
    /// for card in &saved.cards {
    ///     println!("{:?}", card.partial_card_number);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn saved_cards(
        &self,
        phone: &str,
        access: SavedCardsAccess,
    ) -> Result<SavedCards, Error> {
        self.run(
            self.saved_cards_call(phone, access)?,
            decode::saved_cards_in,
        )
        .await
    }

    /// The exact request [`Client::saved_cards`] would send now, without sending it. Its query
    /// (OTP) or `Authorization` header (token) authenticates the customer: do not log it.
    ///
    /// ```
    /// use portone_client::SavedCardsAccess;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client
    ///     .prepare_saved_cards("+84912345678", SavedCardsAccess::Otp("123456".into()))
    ///     .await?;
    /// assert_eq!(request.uri().query(), Some("otp=123456&environment=sandbox"));
    /// # Ok(()) }
    /// ```
    pub async fn prepare_saved_cards(
        &self,
        phone: &str,
        access: SavedCardsAccess,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.saved_cards_call(phone, access)?)
    }

    fn add_customer_call(&self, request: &AddCustomerRequest) -> Result<Call, Error> {
        request.validate()?;
        Ok(Call {
            op: op::ADD_CUSTOMER,
            method: Method::POST,
            segments: vec![
                "api".into(),
                "merchant".into(),
                self.key(),
                "customer".into(),
            ],
            query: vec![],
            body: Some(to_body(request)?),
            auth: Auth::Jwt,
        })
    }

    /// Adds a customer to the card vault (`POST /api/merchant/{key}/customer`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// use portone_client::model::customer::AddCustomerRequest;
    /// let customer = client
    ///     .add_customer(&AddCustomerRequest::new("Mark Weins", "cust-42", "mark@example.com", "+84912345678"))
    ///     .await?;
    /// println!("{:?}", customer.customer_uuid);
    /// # Ok(()) }
    /// ```
    pub async fn add_customer(&self, request: &AddCustomerRequest) -> Result<Customer, Error> {
        self.run(self.add_customer_call(request)?, decode::add_customer_in)
            .await
    }

    /// The exact request [`Client::add_customer`] would send now, without sending it.
    ///
    /// ```
    /// use portone_client::model::customer::AddCustomerRequest;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client
    ///     .prepare_add_customer(&AddCustomerRequest::new("Mark Weins", "cust-42", "mark@example.com", "+84912345678"))
    ///     .await?;
    /// assert_eq!(request.uri().path(), "/api/merchant/key/customer");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_add_customer(
        &self,
        request: &AddCustomerRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.add_customer_call(request)?)
    }

    fn customer_call(&self, customer_id: &str) -> Result<Call, Error> {
        validate_reference("customer_id", customer_id)?;
        Ok(Call {
            op: op::CUSTOMER,
            method: Method::GET,
            segments: vec![
                "api".into(),
                "merchant".into(),
                self.key(),
                "customer".into(),
                customer_id.to_owned().into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
        })
    }

    /// A card-vault customer (`GET /api/merchant/{key}/customer/{customer_id}`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let customer = client.customer("8e52c57d-9bda-437e-973d-fb4f9756d15f").await?;
    /// # let _ = customer; Ok(()) }
    /// ```
    pub async fn customer(&self, customer_id: &str) -> Result<Customer, Error> {
        self.run(self.customer_call(customer_id)?, decode::customer_in)
            .await
    }

    /// The exact request [`Client::customer`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_customer("8e52c57d-9bda-437e-973d-fb4f9756d15f").await?;
    /// assert_eq!(request.method(), http::Method::GET);
    /// # Ok(()) }
    /// ```
    pub async fn prepare_customer(
        &self,
        customer_id: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.customer_call(customer_id)?)
    }

    fn add_card_for_customer_call(
        &self,
        customer_uuid: &str,
        card: &CardRecord,
    ) -> Result<Call, Error> {
        validate_reference("customer_uuid", customer_uuid)?;
        Ok(Call {
            op: op::ADD_CARD_FOR_CUSTOMER,
            method: Method::POST,
            segments: vec![
                "api".into(),
                "customer".into(),
                self.key(),
                customer_uuid.to_owned().into(),
                "add-card".into(),
            ],
            query: vec![],
            body: Some(to_body(card)?),
            auth: Auth::Jwt,
        })
    }

    /// Saves a tokenized card for a customer
    /// (`POST /api/customer/{key}/{customer_uuid}/add-card`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client, card: portone_client::model::card::NewCard) -> Result<(), portone_client::Error> {
    /// use portone_client::model::card::CardRecord;
    /// let tokenized = client.tokenize_card(&card).await?;
    /// let saved = client
    ///     .add_card_for_customer("8e52c57d-9bda-437e-973d-fb4f9756d15f", &CardRecord::from_tokenized(&tokenized))
    ///     .await?;
    /// # let _ = saved; Ok(()) }
    /// ```
    pub async fn add_card_for_customer(
        &self,
        customer_uuid: &str,
        card: &CardRecord,
    ) -> Result<SavedCard, Error> {
        self.run(
            self.add_card_for_customer_call(customer_uuid, card)?,
            decode::add_card_for_customer_in,
        )
        .await
    }

    /// The exact request [`Client::add_card_for_customer`] would send now, without sending it.
    ///
    /// ```
    /// use portone_client::model::card::{CardRecord, CardToken};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let record = CardRecord::new(CardToken::new("cdec91449d3a4b4bae9144d586a2b972"));
    /// let request = client
    ///     .prepare_add_card_for_customer("8e52c57d-9bda-437e-973d-fb4f9756d15f", &record)
    ///     .await?;
    /// assert!(request.uri().path().ends_with("/add-card"));
    /// # Ok(()) }
    /// ```
    pub async fn prepare_add_card_for_customer(
        &self,
        customer_uuid: &str,
        card: &CardRecord,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.add_card_for_customer_call(customer_uuid, card)?)
    }

    fn list_cards_call(&self, customer_uuid: &str) -> Result<Call, Error> {
        validate_reference("customer_uuid", customer_uuid)?;
        Ok(Call {
            op: op::LIST_CARDS,
            method: Method::GET,
            segments: vec![
                "api".into(),
                "customer".into(),
                self.key(),
                customer_uuid.to_owned().into(),
                "list-cards".into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
        })
    }

    /// The cards stored for a customer (`GET /api/customer/{key}/{customer_uuid}/list-cards`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let cards = client.list_cards("8e52c57d-9bda-437e-973d-fb4f9756d15f").await?;
    /// println!("{} cards", cards.len());
    /// # Ok(()) }
    /// ```
    pub async fn list_cards(&self, customer_uuid: &str) -> Result<Vec<SavedCard>, Error> {
        self.run(self.list_cards_call(customer_uuid)?, decode::list_cards_in)
            .await
    }

    /// The exact request [`Client::list_cards`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_list_cards("8e52c57d-9bda-437e-973d-fb4f9756d15f").await?;
    /// assert!(request.uri().path().ends_with("/list-cards"));
    /// # Ok(()) }
    /// ```
    pub async fn prepare_list_cards(
        &self,
        customer_uuid: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.list_cards_call(customer_uuid)?)
    }

    fn delete_card_call(&self, customer_uuid: &str, token: &CardToken) -> Result<Call, Error> {
        validate_reference("customer_uuid", customer_uuid)?;
        validate_reference("token", token.expose())?;
        Ok(Call {
            op: op::DELETE_CARD,
            method: Method::DELETE,
            segments: vec![
                "api".into(),
                "customer".into(),
                self.key(),
                customer_uuid.to_owned().into(),
                "delete-card".into(),
            ],
            query: vec![],
            body: Some(to_body(&DeleteCardBody {
                token: token.expose(),
            })?),
            auth: Auth::Jwt,
        })
    }

    /// Deletes a customer's card
    /// (`DELETE /api/customer/{key}/{customer_uuid}/delete-card` with a JSON body
    /// `{"token": …}`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// use portone_client::model::card::CardToken;
    /// client
    ///     .delete_card("8e52c57d-9bda-437e-973d-fb4f9756d15f", &CardToken::new("735eaf72a0a14965aced3e1f9a339b0b"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_card(
        &self,
        customer_uuid: &str,
        token: &CardToken,
    ) -> Result<Acknowledgement, Error> {
        self.run(
            self.delete_card_call(customer_uuid, token)?,
            decode::delete_card_in,
        )
        .await
    }

    /// The exact request [`Client::delete_card`] would send now, without sending it.
    ///
    /// ```
    /// use portone_client::model::card::CardToken;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let token = CardToken::new("735eaf72a0a14965aced3e1f9a339b0b");
    /// let request = client
    ///     .prepare_delete_card("8e52c57d-9bda-437e-973d-fb4f9756d15f", &token)
    ///     .await?;
    /// assert_eq!(request.body().as_slice(), br#"{"token":"735eaf72a0a14965aced3e1f9a339b0b"}"#);
    /// # Ok(()) }
    /// ```
    pub async fn prepare_delete_card(
        &self,
        customer_uuid: &str,
        token: &CardToken,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.delete_card_call(customer_uuid, token)?)
    }

    fn capture_call(&self, order_ref: &str) -> Result<Call, Error> {
        validate_reference("order_ref", order_ref)?;
        Ok(Call {
            op: op::CAPTURE,
            method: Method::POST,
            segments: vec![
                "api".into(),
                "transaction".into(),
                order_ref.to_owned().into(),
                "capture".into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
        })
    }

    /// Captures a pre-authorised payment (`POST /api/transaction/{order_ref}/capture`);
    /// `order_ref` is **PortOne's** order reference.
    ///
    /// **Never retried**: on [`Error::Ambiguous`] check [`Client::transaction_details`] before
    /// capturing again.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// client.capture("2SDCUiBEv34oqeIdEDv1pftGeeY").await?;
    /// # Ok(()) }
    /// ```
    pub async fn capture(&self, order_ref: &str) -> Result<Acknowledgement, Error> {
        self.run(self.capture_call(order_ref)?, decode::capture_in)
            .await
    }

    /// The exact request [`Client::capture`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_capture("2SDCUiBEv34oqeIdEDv1pftGeeY").await?;
    /// assert_eq!(request.uri().path(), "/api/transaction/2SDCUiBEv34oqeIdEDv1pftGeeY/capture");
    /// assert!(request.body().is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn prepare_capture(&self, order_ref: &str) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.capture_call(order_ref)?)
    }

    fn routes_call(&self) -> Call {
        Call {
            op: op::ROUTES,
            method: Method::GET,
            segments: vec![
                "api".into(),
                "txn-router".into(),
                self.key(),
                "routes".into(),
            ],
            query: vec![self.env_query()],
            body: None,
            auth: Auth::Jwt,
        }
    }

    /// The failover routes configured in the portal (`GET /api/txn-router/{key}/routes`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// for route in client.routes().await? {
    ///     println!("{:?} {:?}", route.routing_ref, route.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn routes(&self) -> Result<Vec<Route>, Error> {
        self.run(self.routes_call(), decode::routes_in).await
    }

    /// The exact request [`Client::routes`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_routes().await?;
    /// assert_eq!(request.uri().query(), Some("environment=sandbox"));
    /// # Ok(()) }
    /// ```
    pub async fn prepare_routes(&self) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.routes_call())
    }

    fn transaction_status_call(&self, merchant_order_ref: &str) -> Result<Call, Error> {
        validate_merchant_ref("merchant_order_ref", merchant_order_ref)?;
        Ok(Call {
            op: op::TRANSACTION_STATUS,
            method: Method::GET,
            segments: vec![
                "api".into(),
                "transaction".into(),
                merchant_order_ref.to_owned().into(),
                "status".into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
        })
    }

    /// The status of a payment by **merchant** order reference
    /// (`GET /api/transaction/{merchant_order_ref}/status`): the reconciliation call after an
    /// ambiguous payment request.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let status = client.transaction_status("order-0001").await?;
    /// if status.is_paid() {
    ///     println!("paid, PortOne ref {:?}", status.order_ref);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn transaction_status(&self, merchant_order_ref: &str) -> Result<OrderStatus, Error> {
        self.run(
            self.transaction_status_call(merchant_order_ref)?,
            decode::transaction_status_in,
        )
        .await
    }

    /// The exact request [`Client::transaction_status`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_transaction_status("order 0001/a").await?;
    /// assert_eq!(request.uri().path(), "/api/transaction/order%200001%2Fa/status");
    /// # Ok(()) }
    /// ```
    pub async fn prepare_transaction_status(
        &self,
        merchant_order_ref: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.transaction_status_call(merchant_order_ref)?)
    }

    fn transaction_details_call(&self, order_ref: &str) -> Result<Call, Error> {
        validate_reference("order_ref", order_ref)?;
        Ok(Call {
            op: op::TRANSACTION_DETAILS,
            method: Method::POST,
            segments: vec!["api".into(), self.key(), "transaction-details".into()],
            query: vec![],
            body: Some(to_body(&TransactionDetailsBody { order_ref })?),
            auth: Auth::Jwt,
        })
    }

    /// A transaction's details by **PortOne** order reference
    /// (`POST /api/{key}/transaction-details`; a read, so retried like one).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let transaction = client.transaction_details("2YGZp22ExeOu0As61wa7i0JyMJn").await?;
    /// println!("{:?} {:?}", transaction.status, transaction.amount);
    /// # Ok(()) }
    /// ```
    pub async fn transaction_details(&self, order_ref: &str) -> Result<Transaction, Error> {
        self.run(
            self.transaction_details_call(order_ref)?,
            decode::transaction_details_in,
        )
        .await
    }

    /// The exact request [`Client::transaction_details`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_transaction_details("2YGZp22ExeOu0As61wa7i0JyMJn").await?;
    /// assert_eq!(request.body().as_slice(), br#"{"order_ref":"2YGZp22ExeOu0As61wa7i0JyMJn"}"#);
    /// # Ok(()) }
    /// ```
    pub async fn prepare_transaction_details(
        &self,
        order_ref: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.transaction_details_call(order_ref)?)
    }

    fn refund_call(&self, order_ref: &str, request: &RefundRequest) -> Result<Call, Error> {
        validate_reference("order_ref", order_ref)?;
        request.validate()?;
        Ok(Call {
            op: op::REFUND,
            method: Method::POST,
            segments: vec!["api".into(), "refund".into(), order_ref.to_owned().into()],
            query: vec![],
            body: Some(to_body(&RefundBody {
                request,
                environment: self.inner.environment,
            })?),
            auth: Auth::Jwt,
        })
    }

    /// Refunds a payment, fully or partly (`POST /api/refund/{order_ref}`; `order_ref` is
    /// PortOne's order reference).
    ///
    /// **Never retried**: on [`Error::Ambiguous`] check [`Client::refunds`] before refunding
    /// again.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// use portone_client::model::refund::RefundRequest;
    /// use rust_decimal::Decimal;
    /// let refunds = client
    ///     .refund("2YGZp22ExeOu0As61wa7i0JyMJn", &RefundRequest::partial(Decimal::new(2500, 2)))
    ///     .await?;
    /// # let _ = refunds; Ok(()) }
    /// ```
    pub async fn refund(&self, order_ref: &str, request: &RefundRequest) -> Result<Refunds, Error> {
        self.run(self.refund_call(order_ref, request)?, decode::refund_in)
            .await
    }

    /// The exact request [`Client::refund`] would send now, without sending it.
    ///
    /// ```
    /// use portone_client::model::refund::RefundRequest;
    /// use portone_client::Decimal;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client
    ///     .prepare_refund("2YGZp22ExeOu0As61wa7i0JyMJn", &RefundRequest::partial(Decimal::new(2500, 2)))
    ///     .await?;
    /// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    /// assert_eq!(body["amount"], 25.0);
    /// # Ok(()) }
    /// ```
    pub async fn prepare_refund(
        &self,
        order_ref: &str,
        request: &RefundRequest,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.refund_call(order_ref, request)?)
    }

    fn refunds_call(&self, order_ref: &str) -> Result<Call, Error> {
        validate_reference("order_ref", order_ref)?;
        Ok(Call {
            op: op::REFUNDS,
            method: Method::GET,
            segments: vec!["api".into(), "refund".into(), order_ref.to_owned().into()],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
        })
    }

    /// The refunds of a payment (`GET /api/refund/{order_ref}`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let refunds = client.refunds("2YGZp22ExeOu0As61wa7i0JyMJn").await?;
    /// for refund in &refunds.refund_details {
    ///     println!("{:?} {:?}", refund.refund_id, refund.refund_status);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn refunds(&self, order_ref: &str) -> Result<Refunds, Error> {
        self.run(self.refunds_call(order_ref)?, decode::refunds_in)
            .await
    }

    /// The exact request [`Client::refunds`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_refunds("2YGZp22ExeOu0As61wa7i0JyMJn").await?;
    /// assert_eq!(request.method(), http::Method::GET);
    /// # Ok(()) }
    /// ```
    pub async fn prepare_refunds(&self, order_ref: &str) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.refunds_call(order_ref)?)
    }

    fn payment_link_status_call(&self, payment_link_ref: &str) -> Result<Call, Error> {
        validate_reference("payment_link_ref", payment_link_ref)?;
        Ok(Call {
            op: op::PAYMENT_LINK_STATUS,
            method: Method::GET,
            segments: vec![
                "api".into(),
                "paymentLink".into(),
                payment_link_ref.to_owned().into(),
                "fetch-status".into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
        })
    }

    /// The status of a payment link and its attempts
    /// (`GET /api/paymentLink/{payment_link_ref}/fetch-status`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let state = client.payment_link_status("2kxG67L5yd3d6spRv76uE1QWnR5").await?;
    /// println!("{:?}", state.status);
    /// # Ok(()) }
    /// ```
    pub async fn payment_link_status(
        &self,
        payment_link_ref: &str,
    ) -> Result<PaymentLinkState, Error> {
        self.run(
            self.payment_link_status_call(payment_link_ref)?,
            decode::payment_link_status_in,
        )
        .await
    }

    /// The exact request [`Client::payment_link_status`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_payment_link_status("2kxG67L5yd3d6spRv76uE1QWnR5").await?;
    /// assert!(request.uri().path().ends_with("/fetch-status"));
    /// # Ok(()) }
    /// ```
    pub async fn prepare_payment_link_status(
        &self,
        payment_link_ref: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.payment_link_status_call(payment_link_ref)?)
    }

    fn cancel_payment_link_call(&self, payment_link_ref: &str) -> Result<Call, Error> {
        validate_reference("payment_link_ref", payment_link_ref)?;
        Ok(Call {
            op: op::CANCEL_PAYMENT_LINK,
            method: Method::PUT,
            segments: vec![
                "api".into(),
                "paymentLink".into(),
                payment_link_ref.to_owned().into(),
                "status".into(),
                "cancelled".into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
        })
    }

    /// Cancels a payment link (`PUT /api/paymentLink/{payment_link_ref}/status/cancelled`).
    /// Not retried automatically.
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// client.cancel_payment_link("2kxG67L5yd3d6spRv76uE1QWnR5").await?;
    /// # Ok(()) }
    /// ```
    pub async fn cancel_payment_link(
        &self,
        payment_link_ref: &str,
    ) -> Result<Acknowledgement, Error> {
        self.run(
            self.cancel_payment_link_call(payment_link_ref)?,
            decode::cancel_payment_link_in,
        )
        .await
    }

    /// The exact request [`Client::cancel_payment_link`] would send now, without sending it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), portone_client::Error> {
    /// # let client = portone_client::Client::builder(portone_client::Credentials::new("key", "secret".into())).environment(portone_client::Environment::Sandbox).build()?;
    /// let request = client.prepare_cancel_payment_link("2kxG67L5yd3d6spRv76uE1QWnR5").await?;
    /// assert_eq!(request.method(), http::Method::PUT);
    /// # Ok(()) }
    /// ```
    pub async fn prepare_cancel_payment_link(
        &self,
        payment_link_ref: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.prepared(&self.cancel_payment_link_call(payment_link_ref)?)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    use crate::model::card::CardToken;
    use crate::model::checkout::{
        Address, BillingDetails, CheckoutRequest, CustomerDetails, MerchantDetails, OrderItem,
        PaymentRequest, RedirectUrls, RouteRank, RoutingParams, ShippingDetails, Source,
        TokenParams, TransactionType,
    };
    use rust_decimal::Decimal;

    fn full_checkout() -> CheckoutRequest {
        let mut details = serde_json::Map::new();
        details.insert("size".into(), serde_json::json!("L \"large\""));
        CheckoutRequest::new(
            "order-\u{e9}\"1",
            Decimal::new(2950, 2),
            "USD",
            "US",
            MerchantDetails::new("Shop")
                .logo("https://shop.example/logo.png")
                .back_url("https://shop.example")
                .promo_code("P")
                .promo_discount(Decimal::new(50, 2))
                .shipping_charges(Decimal::new(500, 2))
                .tax_amount(Decimal::new(100, 2)),
            RedirectUrls::new("https://shop.example/ok", "https://shop.example/ko"),
        )
        .pending_url("https://shop.example/pending")
        .description("desc")
        .billing_details(
            BillingDetails::new()
                .name("N")
                .surname("S")
                .email("e@example.com")
                .phone("+6512345678")
                .address(
                    Address::new()
                        .city("C")
                        .country_code("SG")
                        .line_1("L1")
                        .postal_code("1"),
                ),
        )
        .shipping_details(
            ShippingDetails::new()
                .name("SN")
                .address(Address::new().state("ST")),
        )
        .order_item(
            OrderItem::new("i1", "Item", Decimal::new(1200, 2), 2)
                .image("https://shop.example/i.png")
                .additional_details(details),
        )
        .transaction_type(TransactionType::Preauth)
        .routing(RoutingParams::failover_ranked(vec![RouteRank {
            channel_key: "STRIPE".into(),
            method_key: "STRIPE_CARD".into(),
            rank: 1,
        }]))
        .source(Source::Mobile)
        .user_configured_field(1, "u1")
        .user_configured_field(5, "u5")
        .expiry_hours(24)
        .mobile_redirect_url("portone://checkout")
        .customer_details(
            CustomerDetails::new()
                .name("CN")
                .email_address("c@example.com"),
        )
        .show_shipping_details(true)
        .show_back_button(false)
        .show_items(true)
        .default_guest_checkout(true)
        .checkout_embed(false)
        .notify_by_email(true)
        .notify_by_phone(false)
        .custom_webhook_url("https://shop.example/hook")
    }

    fn full_payment() -> PaymentRequest {
        PaymentRequest::new(
            "order-2",
            Decimal::new(1999, 2),
            "USD",
            "STRIPE",
            "STRIPE_CARD",
            "Two tickets",
            RedirectUrls::new("https://shop.example/ok", "https://shop.example/ko"),
        )
        .pending_url("https://shop.example/pending")
        .routing(RoutingParams::failover("Route_1"))
        .user_configured_field(3, "u3")
        .merchant_details(MerchantDetails::new("Shop"))
        .token_params(
            TokenParams::new(CardToken::new("tok_123"))
                .partial_card_number("424242******4242")
                .expiry("12", "2030")
                .card_type("visa")
                .save_card(true)
                .channel_token(false),
        )
        .redirect_url("portone://x")
        .country_code("SG")
        .response_type("redirect_url_only")
        .override_auto_redirect(true)
    }

    fn minimal_checkout() -> CheckoutRequest {
        CheckoutRequest::new(
            "o",
            Decimal::new(5, 0),
            "USD",
            "US",
            MerchantDetails::new("m"),
            RedirectUrls::new("https://a.example/ok", "https://a.example/ko"),
        )
    }

    fn minimal_payment() -> PaymentRequest {
        PaymentRequest::new(
            "o",
            Decimal::new(5, 0),
            "USD",
            "C",
            "M",
            "d",
            RedirectUrls::new("https://a.example/ok", "https://a.example/ko"),
        )
    }

    fn client(whitelisted: bool) -> Client {
        Client::builder(Credentials::new(
            "PORTONE_KEY",
            SecretString::from("PORTONE_SECRET"),
        ))
        .environment(Environment::Live)
        .whitelisted(whitelisted)
        .clock(|| UNIX_EPOCH + Duration::from_secs(1_724_302_051))
        .build()
        .expect("client")
    }

    fn bodies() -> Vec<String> {
        let mut out = Vec::new();
        for whitelisted in [false, true] {
            let client = client(whitelisted);
            for checkout in [full_checkout(), minimal_checkout()] {
                let call = client.create_payment_link_call(&checkout).expect("call");
                out.push(String::from_utf8(call.body.expect("body")).expect("utf-8"));
            }
            for payment in [full_payment(), minimal_payment()] {
                let call = client.initiate_payment_call(&payment).expect("call");
                out.push(String::from_utf8(call.body.expect("body")).expect("utf-8"));
            }
        }
        out.push(serde_json::to_string(&full_checkout()).expect("json"));
        out.push(serde_json::to_string(&full_payment()).expect("json"));
        out.push(serde_json::to_string(&minimal_checkout()).expect("json"));
        out
    }

    /// The bodies as the derived `Serialize` with `#[serde(flatten)]` wrote them, byte for byte.
    #[test]
    fn payment_bodies_are_serialized_as_before() {
        let expected = [
            r##"{"portone_key":"PORTONE_KEY","merchant_order_id":"order-é\"1","amount":29.5,"currency":"USD","success_url":"https://shop.example/ok","failure_url":"https://shop.example/ko","pending_url":"https://shop.example/pending","description":"desc","merchant_details":{"name":"Shop","logo":"https://shop.example/logo.png","back_url":"https://shop.example","promo_code":"P","promo_discount":0.5,"shipping_charges":5,"tax_amount":1},"billing_details":{"billing_name":"N","billing_surname":"S","billing_email":"e@example.com","billing_phone":"+6512345678","billing_address":{"city":"C","country_code":"SG","line_1":"L1","postal_code":"1"}},"shipping_details":{"shipping_name":"SN","shipping_address":{"state":"ST"}},"order_details":[{"id":"i1","name":"Item","price":12,"quantity":2,"image":"https://shop.example/i.png","additional_details":{"size":"L \"large\""}}],"transaction_type":"PREAUTH","routing_enabled":true,"routing_params":{"type":"failover","data":[{"channel_key":"STRIPE","method_key":"STRIPE_CARD","rank":1}]},"source":"mobile","user_configured_field1":"u1","user_configured_field5":"u5","country_code":"US","expiry_hours":24,"mobile_redirect_url":"portone://checkout","customer_details":{"name":"CN","email_address":"c@example.com"},"show_shipping_details":true,"show_back_button":false,"show_items":true,"default_guest_checkout":true,"is_checkout_embed":false,"notify_by_email":true,"notify_by_phone":false,"custom_txn_webhook_urls":["https://shop.example/hook"],"signature_hash":"CJGrXvyjPFcL6e4BlmDssHHalhiChmmRrIBUMC4DVgg=","environment":"live"}"##,
            r##"{"portone_key":"PORTONE_KEY","merchant_order_id":"o","amount":5,"currency":"USD","success_url":"https://a.example/ok","failure_url":"https://a.example/ko","merchant_details":{"name":"m","promo_discount":0,"shipping_charges":0},"source":"api","country_code":"US","signature_hash":"vp2wn9RtSdFjXY4lsQxB4oIBWb7ZXzdRuh58kHjluto=","environment":"live"}"##,
            r##"{"key":"PORTONE_KEY","merchant_order_id":"order-2","amount":19.99,"currency":"USD","success_url":"https://shop.example/ok","failure_url":"https://shop.example/ko","pending_url":"https://shop.example/pending","description":"Two tickets","merchant_details":{"name":"Shop","promo_discount":0,"shipping_charges":0},"routing_enabled":true,"routing_params":{"type":"failover","routing_ref":"Route_1"},"source":"api","user_configured_field3":"u3","pmt_channel":"STRIPE","pmt_method":"STRIPE_CARD","token_params":{"token":"tok_123","partial_card_number":"424242******4242","expiry_month":"12","expiry_year":"2030","type":"visa","save_card":true,"is_channel_token":false},"redirect_url":"portone://x","country_code":"SG","response_type":"redirect_url_only","override_auto_redirect":true,"signature_hash":"rTRhFHjAf6nL4mkLc85xFo36o/JkZn8U80JlGFdnBUc=","environment":"live"}"##,
            r##"{"key":"PORTONE_KEY","merchant_order_id":"o","amount":5,"currency":"USD","success_url":"https://a.example/ok","failure_url":"https://a.example/ko","description":"d","source":"api","pmt_channel":"C","pmt_method":"M","signature_hash":"vp2wn9RtSdFjXY4lsQxB4oIBWb7ZXzdRuh58kHjluto=","environment":"live"}"##,
            r##"{"portone_key":"PORTONE_KEY","merchant_order_id":"order-é\"1","amount":29.5,"currency":"USD","success_url":"https://shop.example/ok","failure_url":"https://shop.example/ko","pending_url":"https://shop.example/pending","description":"desc","merchant_details":{"name":"Shop","logo":"https://shop.example/logo.png","back_url":"https://shop.example","promo_code":"P","promo_discount":0.5,"shipping_charges":5,"tax_amount":1},"billing_details":{"billing_name":"N","billing_surname":"S","billing_email":"e@example.com","billing_phone":"+6512345678","billing_address":{"city":"C","country_code":"SG","line_1":"L1","postal_code":"1"}},"shipping_details":{"shipping_name":"SN","shipping_address":{"state":"ST"}},"order_details":[{"id":"i1","name":"Item","price":12,"quantity":2,"image":"https://shop.example/i.png","additional_details":{"size":"L \"large\""}}],"transaction_type":"PREAUTH","routing_enabled":true,"routing_params":{"type":"failover","data":[{"channel_key":"STRIPE","method_key":"STRIPE_CARD","rank":1}]},"source":"mobile","user_configured_field1":"u1","user_configured_field5":"u5","country_code":"US","expiry_hours":24,"mobile_redirect_url":"portone://checkout","customer_details":{"name":"CN","email_address":"c@example.com"},"show_shipping_details":true,"show_back_button":false,"show_items":true,"default_guest_checkout":true,"is_checkout_embed":false,"notify_by_email":true,"notify_by_phone":false,"custom_txn_webhook_urls":["https://shop.example/hook"],"environment":"live"}"##,
            r##"{"portone_key":"PORTONE_KEY","merchant_order_id":"o","amount":5,"currency":"USD","success_url":"https://a.example/ok","failure_url":"https://a.example/ko","merchant_details":{"name":"m","promo_discount":0,"shipping_charges":0},"source":"api","country_code":"US","environment":"live"}"##,
            r##"{"key":"PORTONE_KEY","merchant_order_id":"order-2","amount":19.99,"currency":"USD","success_url":"https://shop.example/ok","failure_url":"https://shop.example/ko","pending_url":"https://shop.example/pending","description":"Two tickets","merchant_details":{"name":"Shop","promo_discount":0,"shipping_charges":0},"routing_enabled":true,"routing_params":{"type":"failover","routing_ref":"Route_1"},"source":"api","user_configured_field3":"u3","pmt_channel":"STRIPE","pmt_method":"STRIPE_CARD","token_params":{"token":"tok_123","partial_card_number":"424242******4242","expiry_month":"12","expiry_year":"2030","type":"visa","save_card":true,"is_channel_token":false},"redirect_url":"portone://x","country_code":"SG","response_type":"redirect_url_only","override_auto_redirect":true,"environment":"live"}"##,
            r##"{"key":"PORTONE_KEY","merchant_order_id":"o","amount":5,"currency":"USD","success_url":"https://a.example/ok","failure_url":"https://a.example/ko","description":"d","source":"api","pmt_channel":"C","pmt_method":"M","environment":"live"}"##,
            r##"{"merchant_order_id":"order-é\"1","amount":29.5,"currency":"USD","success_url":"https://shop.example/ok","failure_url":"https://shop.example/ko","pending_url":"https://shop.example/pending","description":"desc","merchant_details":{"name":"Shop","logo":"https://shop.example/logo.png","back_url":"https://shop.example","promo_code":"P","promo_discount":0.5,"shipping_charges":5,"tax_amount":1},"billing_details":{"billing_name":"N","billing_surname":"S","billing_email":"e@example.com","billing_phone":"+6512345678","billing_address":{"city":"C","country_code":"SG","line_1":"L1","postal_code":"1"}},"shipping_details":{"shipping_name":"SN","shipping_address":{"state":"ST"}},"order_details":[{"id":"i1","name":"Item","price":12,"quantity":2,"image":"https://shop.example/i.png","additional_details":{"size":"L \"large\""}}],"transaction_type":"PREAUTH","routing_enabled":true,"routing_params":{"type":"failover","data":[{"channel_key":"STRIPE","method_key":"STRIPE_CARD","rank":1}]},"source":"mobile","user_configured_field1":"u1","user_configured_field5":"u5","country_code":"US","expiry_hours":24,"mobile_redirect_url":"portone://checkout","customer_details":{"name":"CN","email_address":"c@example.com"},"show_shipping_details":true,"show_back_button":false,"show_items":true,"default_guest_checkout":true,"is_checkout_embed":false,"notify_by_email":true,"notify_by_phone":false,"custom_txn_webhook_urls":["https://shop.example/hook"]}"##,
            r##"{"merchant_order_id":"order-2","amount":19.99,"currency":"USD","success_url":"https://shop.example/ok","failure_url":"https://shop.example/ko","pending_url":"https://shop.example/pending","description":"Two tickets","merchant_details":{"name":"Shop","promo_discount":0,"shipping_charges":0},"routing_enabled":true,"routing_params":{"type":"failover","routing_ref":"Route_1"},"source":"api","user_configured_field3":"u3","pmt_channel":"STRIPE","pmt_method":"STRIPE_CARD","token_params":{"token":"tok_123","partial_card_number":"424242******4242","expiry_month":"12","expiry_year":"2030","type":"visa","save_card":true,"is_channel_token":false},"redirect_url":"portone://x","country_code":"SG","response_type":"redirect_url_only","override_auto_redirect":true}"##,
            r##"{"merchant_order_id":"o","amount":5,"currency":"USD","success_url":"https://a.example/ok","failure_url":"https://a.example/ko","merchant_details":{"name":"m","promo_discount":0,"shipping_charges":0},"source":"api","country_code":"US"}"##,
        ];
        let bodies = bodies();
        assert_eq!(bodies.len(), expected.len());
        for (body, expected) in bodies.iter().zip(expected) {
            assert_eq!(body, expected);
        }
    }

    #[test]
    fn the_cached_jwt_is_the_one_minted_now() {
        static NOW: AtomicU64 = AtomicU64::new(1_724_302_051_000);
        let client = Client::builder(Credentials::new("KEY_abcdef", SecretString::from("s3cret")))
            .environment(Environment::Sandbox)
            .clock(|| UNIX_EPOCH + Duration::from_millis(NOW.load(Ordering::SeqCst)))
            .build()
            .expect("test value");
        let inner = &client.inner;
        let (first, header) = inner.current_jwt().expect("test value");
        assert_eq!(first.expose_secret(), inner.mint_jwt().expose_secret());
        assert_eq!(
            header.to_str().expect("test value"),
            format!("Bearer {}", first.expose_secret())
        );
        assert!(header.is_sensitive());
        // Later in the same second: the same token.
        NOW.fetch_add(900, Ordering::SeqCst);
        let (again, _) = inner.current_jwt().expect("test value");
        assert_eq!(again.expose_secret(), first.expose_secret());
        assert_eq!(again.expose_secret(), inner.mint_jwt().expose_secret());
        // The next second, and a clock set back: minted anew, as without the cache.
        for step in [100_i64, -5_000] {
            if step > 0 {
                NOW.fetch_add(step as u64, Ordering::SeqCst);
            } else {
                NOW.fetch_sub(step.unsigned_abs(), Ordering::SeqCst);
            }
            let (token, header) = inner.current_jwt().expect("test value");
            assert_ne!(token.expose_secret(), first.expose_secret());
            assert_eq!(token.expose_secret(), inner.mint_jwt().expose_secret());
            assert_eq!(
                header.to_str().expect("test value"),
                format!("Bearer {}", token.expose_secret())
            );
        }
    }
}
