//! [`Client`] and [`ClientBuilder`]: one async method per PortOne operation.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::auth::{self, Credentials, HeaderStyle};
use crate::error::{Error, Rule};
use crate::model::card::{
    CardEncryption, CardList, CardRecord, CardToken, NewCard, PublicKey, PublicKeyContent,
    SavedCard, SavedCards, SavedCardsContent, SavedCardsWire, SecretToken, TokenizedCard,
};
use crate::model::checkout::{
    CheckoutRequest, PaymentLink, PaymentRequest, PaymentResponse, TokenParams,
};
use crate::model::customer::{AddCustomerRequest, Customer};
use crate::model::payment_link::PaymentLinkState;
use crate::model::payment_methods::{PaymentMethod, PaymentMethods};
use crate::model::refund::{RefundRequest, Refunds};
use crate::model::routing::{Route, RoutesContent};
use crate::model::token::{AuthToken, AuthTokenWire};
use crate::model::transaction::{OrderStatus, Transaction, TransactionDetailsBody};
use crate::model::{Acknowledgement, Envelope, Environment, validate_phone, validate_reference};
use crate::transport::{Answer, Auth, Call, Idempotency};

/// PortOne's API host.
pub const DEFAULT_BASE_URL: &str = "https://api.portone.cloud";

/// The default time allowed to connect.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default time allowed for a whole call.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default number of retries of an idempotent call.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

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
    pub(crate) retry_base_delay: Duration,
    pub(crate) user_agent: String,
    pub(crate) timeout: Option<Duration>,
    jwt_ttl: Duration,
    issuer: String,
    pub(crate) header_style: HeaderStyle,
    whitelisted: bool,
    card_encryption: CardEncryption,
}

impl Inner {
    /// The client's clock.
    pub(crate) fn now(&self) -> SystemTime {
        (self.clock)()
    }

    pub(crate) fn mint_jwt(&self) -> SecretString {
        auth::mint_jwt(
            &self.credentials,
            &self.issuer,
            (self.clock)(),
            self.jwt_ttl,
        )
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
    retry_base_delay: Duration,
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

    /// The first retry delay; later ones grow exponentially with jitter, capped at 5 s
    /// (default 200 ms). A `Retry-After` of up to 30 s is honoured instead.
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry_base_delay = delay;
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
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                environment,
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
                max_retries: self.max_retries,
                retry_base_delay: self.retry_base_delay,
                user_agent,
                timeout: Some(self.timeout),
                jwt_ttl: self.jwt_ttl,
                issuer: self.issuer,
                header_style: self.header_style,
                whitelisted: self.whitelisted,
                card_encryption: self.card_encryption,
            }),
        })
    }
}

#[derive(Serialize)]
struct PaymentLinkBody<'a> {
    portone_key: &'a str,
    #[serde(flatten)]
    request: &'a CheckoutRequest,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature_hash: Option<String>,
    environment: Environment,
}

#[derive(Serialize)]
struct InitiatePaymentBody<'a> {
    key: &'a str,
    #[serde(flatten)]
    request: &'a PaymentRequest,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature_hash: Option<String>,
    environment: Environment,
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

fn to_body<T: Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|e| {
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
            retry_base_delay: Duration::from_millis(200),
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

    fn key(&self) -> String {
        self.inner.credentials.portone_key().to_owned()
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

    async fn call_envelope<T: serde::de::DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let operation = call.operation;
        let idempotent = call.idempotency == Idempotency::Idempotent;
        let answer = self.inner.send(call).await?;
        self.inner.check_success(operation, idempotent, &answer)?;
        let envelope: Envelope<T> = self.inner.decode(operation, &answer)?;
        Ok(envelope.content)
    }

    async fn call_flat<T: serde::de::DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let operation = call.operation;
        let idempotent = call.idempotency == Idempotency::Idempotent;
        let answer: Answer = self.inner.send(call).await?;
        self.inner.check_success(operation, idempotent, &answer)?;
        self.inner.decode(operation, &answer)
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
        let body = to_body(&AuthTokenBody {
            portone_key: self.inner.credentials.portone_key(),
            portone_secret: self.inner.credentials.secret_key().expose_secret(),
        })?;
        let wire: AuthTokenWire = self
            .call_envelope(Call {
                operation: "auth_token",
                method: Method::POST,
                segments: vec!["api".into(), "merchant".into(), "auth-token".into()],
                query: vec![],
                body: Some(body),
                auth: Auth::None,
                idempotency: Idempotency::Idempotent,
            })
            .await?;
        let token = wire.token.ok_or_else(|| {
            Error::Decode(Box::new(crate::error::DecodeError {
                operation: "auth_token",
                status: http::StatusCode::OK,
                path: "content.token".into(),
                message: "the token is null".into(),
                excerpt: String::new(),
            }))
        })?;
        Ok(AuthToken {
            token,
            expires_in: wire.expires_in.map(Duration::from_secs),
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
        crate::model::checkout::validate_currency(currency)?;
        let call = Call {
            operation: "payment_methods",
            method: Method::GET,
            segments: vec!["merchants".into(), self.key(), "paymethodsbyKey".into()],
            query: vec![("currency", currency.to_owned()), self.env_query()],
            body: None,
            auth: Auth::ClientKey,
            idempotency: Idempotency::Idempotent,
        };
        let operation = call.operation;
        let answer = self.inner.send(call).await?;
        self.inner.check_success(operation, true, &answer)?;
        let value: serde_json::Value = self.inner.decode(operation, &answer)?;
        let groups = match value.get("content") {
            Some(content @ serde_json::Value::Object(_)) => content.clone(),
            _ => value,
        };
        let mut methods = PaymentMethods::default();
        if let serde_json::Value::Object(map) = groups {
            for (kind, items) in map {
                if !items.is_array() {
                    continue;
                }
                let list: Vec<PaymentMethod> =
                    serde_path_to_error::deserialize(items).map_err(|e| {
                        Error::Decode(Box::new(crate::error::DecodeError {
                            operation,
                            status: answer.status,
                            path: format!("{kind}{}", e.path()),
                            message: crate::scrub::scrub_text(
                                &e.inner().to_string(),
                                &self.inner.known_secrets(None),
                            ),
                            excerpt: crate::scrub::excerpt(
                                &answer.body,
                                &self.inner.known_secrets(None),
                            ),
                        }))
                    })?;
                methods.by_type.insert(kind, list);
            }
        }
        Ok(methods)
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
        request.validate()?;
        let key = self.inner.credentials.portone_key();
        let signature_hash =
            self.request_signature(|secret| request.signature_hash(key, secret))?;
        let body = to_body(&PaymentLinkBody {
            portone_key: key,
            request,
            signature_hash,
            environment: self.inner.environment,
        })?;
        self.call_flat(Call {
            operation: "create_payment_link",
            method: Method::POST,
            segments: vec!["api".into(), "paymentLink".into()],
            query: vec![],
            body: Some(body),
            auth: Auth::Jwt,
            idempotency: Idempotency::Once,
        })
        .await
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
        request.validate()?;
        let key = self.inner.credentials.portone_key();
        let signature_hash =
            self.request_signature(|secret| request.signature_hash(key, secret))?;
        let body = to_body(&InitiatePaymentBody {
            key,
            request,
            signature_hash,
            environment: self.inner.environment,
        })?;
        self.call_flat(Call {
            operation: "initiate_payment",
            method: Method::POST,
            segments: vec!["api".into(), "initiatePayment".into()],
            query: vec![],
            body: Some(body),
            auth: Auth::ClientKey,
            idempotency: Idempotency::Once,
        })
        .await
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
        let content: PublicKeyContent = self
            .call_envelope(Call {
                operation: "card_public_key",
                method: Method::GET,
                segments: vec!["api".into(), "tokenization".into(), "public-key".into()],
                query: vec![],
                body: None,
                auth: Auth::Jwt,
                idempotency: Idempotency::Idempotent,
            })
            .await?;
        PublicKey::parse(&content.public_key).map_err(|_| {
            Error::Decode(Box::new(crate::error::DecodeError {
                operation: "card_public_key",
                status: http::StatusCode::OK,
                path: "content.public_key".into(),
                message: "not a PEM or base64 DER RSA public key".into(),
                excerpt: String::new(),
            }))
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
        self.call_envelope(Call {
            operation: "tokenize_card",
            method: Method::POST,
            segments: vec!["api".into(), "tokenization".into(), "tokenize-card".into()],
            query: vec![],
            body: Some(body),
            auth: Auth::Jwt,
            idempotency: Idempotency::Once,
        })
        .await
    }

    /// Checkout with a new card: tokenizes the card (public key, `tokenize-card`) and starts the
    /// payment with its token in `token_params`.
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
        validate_phone(phone)?;
        self.call_flat(Call {
            operation: "send_otp",
            method: Method::POST,
            segments: vec![
                "api".into(),
                "verification".into(),
                "generateOTP".into(),
                phone.to_owned(),
            ],
            query: vec![],
            body: None,
            auth: Auth::None,
            idempotency: Idempotency::Once,
        })
        .await
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
        let wire: SavedCardsWire = self
            .call_flat(Call {
                operation: "saved_cards",
                method: Method::GET,
                segments: vec![
                    "api".into(),
                    "user".into(),
                    phone.to_owned(),
                    "savedCard".into(),
                ],
                query,
                body: None,
                auth,
                idempotency: Idempotency::Idempotent,
            })
            .await?;
        let (cards, inner_token) = match wire.content {
            Some(SavedCardsContent::List(cards)) => (cards, None),
            Some(SavedCardsContent::Object { data, token }) => (data, token),
            None => (Vec::new(), None),
        };
        Ok(SavedCards {
            cards,
            token: wire.token.or(inner_token).map(SecretToken),
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
        request.validate()?;
        self.call_envelope(Call {
            operation: "add_customer",
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
            idempotency: Idempotency::Once,
        })
        .await
    }

    /// A card-vault customer (`GET /api/merchant/{key}/customer/{customer_id}`).
    ///
    /// ```no_run
    /// # async fn run(client: portone_client::Client) -> Result<(), portone_client::Error> {
    /// let customer = client.customer("8e52c57d-9bda-437e-973d-fb4f9756d15f").await?;
    /// # let _ = customer; Ok(()) }
    /// ```
    pub async fn customer(&self, customer_id: &str) -> Result<Customer, Error> {
        validate_reference("customer_id", customer_id)?;
        self.call_envelope(Call {
            operation: "customer",
            method: Method::GET,
            segments: vec![
                "api".into(),
                "merchant".into(),
                self.key(),
                "customer".into(),
                customer_id.to_owned(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
            idempotency: Idempotency::Idempotent,
        })
        .await
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
        validate_reference("customer_uuid", customer_uuid)?;
        self.call_envelope(Call {
            operation: "add_card_for_customer",
            method: Method::POST,
            segments: vec![
                "api".into(),
                "customer".into(),
                self.key(),
                customer_uuid.to_owned(),
                "add-card".into(),
            ],
            query: vec![],
            body: Some(to_body(card)?),
            auth: Auth::Jwt,
            idempotency: Idempotency::Once,
        })
        .await
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
        validate_reference("customer_uuid", customer_uuid)?;
        let list: CardList = self
            .call_envelope(Call {
                operation: "list_cards",
                method: Method::GET,
                segments: vec![
                    "api".into(),
                    "customer".into(),
                    self.key(),
                    customer_uuid.to_owned(),
                    "list-cards".into(),
                ],
                query: vec![],
                body: None,
                auth: Auth::Jwt,
                idempotency: Idempotency::Idempotent,
            })
            .await?;
        Ok(list.data)
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
        validate_reference("customer_uuid", customer_uuid)?;
        validate_reference("token", token.expose())?;
        self.call_flat(Call {
            operation: "delete_card",
            method: Method::DELETE,
            segments: vec![
                "api".into(),
                "customer".into(),
                self.key(),
                customer_uuid.to_owned(),
                "delete-card".into(),
            ],
            query: vec![],
            body: Some(to_body(&DeleteCardBody {
                token: token.expose(),
            })?),
            auth: Auth::Jwt,
            idempotency: Idempotency::Once,
        })
        .await
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
        validate_reference("order_ref", order_ref)?;
        self.call_flat(Call {
            operation: "capture",
            method: Method::POST,
            segments: vec![
                "api".into(),
                "transaction".into(),
                order_ref.to_owned(),
                "capture".into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
            idempotency: Idempotency::Once,
        })
        .await
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
        let content: RoutesContent = self
            .call_envelope(Call {
                operation: "routes",
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
                idempotency: Idempotency::Idempotent,
            })
            .await?;
        Ok(content.into_routes())
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
        validate_merchant_ref("merchant_order_ref", merchant_order_ref)?;
        self.call_envelope(Call {
            operation: "transaction_status",
            method: Method::GET,
            segments: vec![
                "api".into(),
                "transaction".into(),
                merchant_order_ref.to_owned(),
                "status".into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
            idempotency: Idempotency::Idempotent,
        })
        .await
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
        validate_reference("order_ref", order_ref)?;
        self.call_envelope(Call {
            operation: "transaction_details",
            method: Method::POST,
            segments: vec!["api".into(), self.key(), "transaction-details".into()],
            query: vec![],
            body: Some(to_body(&TransactionDetailsBody { order_ref })?),
            auth: Auth::Jwt,
            idempotency: Idempotency::Idempotent,
        })
        .await
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
        validate_reference("order_ref", order_ref)?;
        request.validate()?;
        self.call_flat(Call {
            operation: "refund",
            method: Method::POST,
            segments: vec!["api".into(), "refund".into(), order_ref.to_owned()],
            query: vec![],
            body: Some(to_body(&RefundBody {
                request,
                environment: self.inner.environment,
            })?),
            auth: Auth::Jwt,
            idempotency: Idempotency::Once,
        })
        .await
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
        validate_reference("order_ref", order_ref)?;
        self.call_flat(Call {
            operation: "refunds",
            method: Method::GET,
            segments: vec!["api".into(), "refund".into(), order_ref.to_owned()],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
            idempotency: Idempotency::Idempotent,
        })
        .await
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
        validate_reference("payment_link_ref", payment_link_ref)?;
        self.call_envelope(Call {
            operation: "payment_link_status",
            method: Method::GET,
            segments: vec![
                "api".into(),
                "paymentLink".into(),
                payment_link_ref.to_owned(),
                "fetch-status".into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
            idempotency: Idempotency::Idempotent,
        })
        .await
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
        validate_reference("payment_link_ref", payment_link_ref)?;
        self.call_flat(Call {
            operation: "cancel_payment_link",
            method: Method::PUT,
            segments: vec![
                "api".into(),
                "paymentLink".into(),
                payment_link_ref.to_owned(),
                "status".into(),
                "cancelled".into(),
            ],
            query: vec![],
            body: None,
            auth: Auth::Jwt,
            idempotency: Idempotency::Once,
        })
        .await
    }
}
