//! How Pivot authenticates a request.
//!
//! Pivot does not sign requests. The client exchanges its **Client ID** and **Client Secret**
//! (`X-MERCHANT-ID` / `X-MERCHANT-SECRET`) for a Bearer access token at `POST /v1/access-token`;
//! the token is valid for 900 seconds and goes into `Authorization: Bearer …` on every other call.
//! [`Client`](crate::Client) caches the token, refreshes it 60 seconds before it expires (by the
//! injected clock) and once more when Pivot answers 401, and lets only one of many concurrent
//! calls fetch a new token.
//!
//! Creates and confirms also carry an idempotency key, [`RequestId`] (`X-REQUEST-ID`).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::Error;

/// Where the client sends its requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api.pivot-payment.com`: real money.
    Production,
    /// `https://api-stg.pivot-payment.com`: the sandbox, with test cards and simulations.
    Sandbox,
}

impl Environment {
    /// The API base URL of the environment.
    pub fn base_url(self) -> &'static str {
        match self {
            Self::Production => "https://api.pivot-payment.com",
            Self::Sandbox => "https://api-stg.pivot-payment.com",
        }
    }
}

/// The merchant's API credentials (Dashboard → Settings → Developer Setting → Credentials).
///
/// Pivot issues separate credentials for the sandbox and for production, so credentials name
/// their environment. The secret is a [`SecretString`] and never appears in `Debug` output.
///
/// ```
/// use session_tokenize_client::Credentials;
///
/// let credentials = Credentials::sandbox("my-client-id", "my-client-secret");
/// assert!(!format!("{credentials:?}").contains("my-client-secret"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    environment: Environment,
    client_id: String,
    client_secret: SecretString,
}

impl Credentials {
    /// Credentials for `environment`.
    pub fn new(
        environment: Environment,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        Self {
            environment,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// Sandbox credentials (`https://api-stg.pivot-payment.com`).
    pub fn sandbox(client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Self {
        Self::new(Environment::Sandbox, client_id, client_secret)
    }

    /// Production credentials (`https://api.pivot-payment.com`).
    pub fn production(
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        Self::new(Environment::Production, client_id, client_secret)
    }

    /// The environment these credentials belong to.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// The Client ID (sent as `X-MERCHANT-ID`).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(crate) fn client_secret(&self) -> &SecretString {
        &self.client_secret
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("environment", &self.environment)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .finish()
    }
}

/// An `X-REQUEST-ID` idempotency key: 16 to 36 ASCII letters and digits, valid for 24 hours.
///
/// Pivot answers a repeated create with the same key and the same body with the original
/// response, and a repeated key with a different body with `409 idempotency_error`. The client
/// generates one per create or confirm when the caller gives none, and reuses it on every
/// automatic retry. Keep it (e.g. in your order record) if you want to retry a create yourself
/// after an ambiguous failure.
///
/// ```
/// use session_tokenize_client::RequestId;
///
/// let id = RequestId::new("ORDER20251230000123")?;
/// assert_eq!(id.as_str(), "ORDER20251230000123");
/// assert!(RequestId::new("order-2025-12-30").is_err()); // hyphens are not alphanumeric
/// assert!(RequestId::new("short").is_err());
/// assert_eq!(RequestId::generate().as_str().len(), 32);
/// # Ok::<(), session_tokenize_client::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestId(String);

impl RequestId {
    /// Validates a caller-chosen key.
    pub fn new(value: impl Into<String>) -> Result<Self, Error> {
        let value = value.into();
        let len = value.len();
        if !(16..=36).contains(&len) {
            return Err(Error::invalid(
                "X-REQUEST-ID",
                format!("must be 16 to 36 characters (got {len})"),
            ));
        }
        if !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                "X-REQUEST-ID",
                "may contain only ASCII letters and digits",
            ));
        }
        Ok(Self(value))
    }

    /// A fresh random key: a UUID v4 without hyphens (32 lower-case hex digits).
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().simple().to_string())
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for RequestId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::new(s)
    }
}

/// The `data` of an access-token answer (`POST /v1/access-token`).
///
/// [`Client`](crate::Client) fetches and caches tokens itself; this type is public so that the
/// exact decoder it uses can be run on raw bytes ([`AccessToken::from_response`]), e.g. to test
/// a recorded answer. The token is a [`SecretString`] and never appears in `Debug`.
///
/// ```
/// use http::StatusCode;
/// use secrecy::ExposeSecret;
/// use session_tokenize_client::auth::AccessToken;
/// use std::time::Duration;
///
/// let body = br#"{"code":"00","message":"Success","data":{"accessToken":"eyJhbGciOi","expiresIn":"900","tokenType":"Bearer"}}"#;
/// let token = AccessToken::from_response(StatusCode::OK, body)?;
/// assert_eq!(token.secret().expose_secret(), "eyJhbGciOi");
/// assert_eq!(token.expires_in(), Some(Duration::from_secs(900)));
/// assert!(!format!("{token:?}").contains("eyJhbGciOi"));
/// # Ok::<(), session_tokenize_client::Error>(())
/// ```
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    #[serde(deserialize_with = "secret_string")]
    access_token: SecretString,
    #[serde(default, deserialize_with = "crate::de::opt_u64")]
    expires_in: Option<u64>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    token_type: Option<String>,
}

impl AccessToken {
    /// Decodes an access-token answer from its HTTP status and body, with the same decoder the
    /// client uses: an error answer is [`Error::Provider`], a body that does not decode (or a
    /// missing or empty `accessToken`) is [`Error::Decode`].
    pub fn from_response(status: http::StatusCode, body: &[u8]) -> Result<Self, Error> {
        crate::decode::standalone::<Self>(status, body, false).map(|(token, _)| token)
    }

    /// The token, sent as `Authorization: Bearer <token>`.
    pub fn secret(&self) -> &SecretString {
        &self.access_token
    }

    /// `expiresIn`: how long the token is valid (Pivot documents 900 seconds), when sent.
    pub fn expires_in(&self) -> Option<Duration> {
        self.expires_in.map(Duration::from_secs)
    }

    /// `tokenType` (`Bearer`), when sent.
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("access_token", &"[REDACTED]")
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .finish()
    }
}

fn secret_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SecretString, D::Error> {
    let value = String::deserialize(d)?;
    if value.is_empty() {
        return Err(serde::de::Error::invalid_length(0, &"a non-empty token"));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(serde::de::Error::custom(
            "the access token contains characters not allowed in a header",
        ));
    }
    Ok(SecretString::from(value))
}

/// The lifetime Pivot documents for an access token, used when a response omits `expiresIn`.
pub(crate) const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(900);

/// How long before its expiry a token is replaced.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// A Bearer header value ready to send, and which cached token it came from.
#[derive(Clone)]
pub(crate) struct Bearer {
    pub(crate) id: u64,
    pub(crate) header: HeaderValue,
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bearer")
            .field("id", &self.id)
            .field("header", &"[REDACTED]")
            .finish()
    }
}

struct Cached {
    bearer: Bearer,
    refresh_at: SystemTime,
}

/// The access-token cache. One lock guards both the cached token and its refresh, so when many
/// calls find the token missing or stale at once, the first fetches and the others wait for it.
pub(crate) struct TokenCache {
    slot: tokio::sync::Mutex<Option<Cached>>,
    next_id: AtomicU64,
}

impl TokenCache {
    pub(crate) fn new() -> Self {
        Self {
            slot: tokio::sync::Mutex::new(None),
            next_id: AtomicU64::new(1),
        }
    }

    /// The cached token when it is still fresh at `now()`, otherwise the result of `fetch`
    /// (which returns the token and its lifetime), cached.
    pub(crate) async fn get<F, Fut>(
        &self,
        now: &Arc<dyn Fn() -> SystemTime + Send + Sync>,
        fetch: F,
    ) -> Result<Bearer, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(SecretString, Duration), Error>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref()
            && now() < cached.refresh_at
        {
            return Ok(cached.bearer.clone());
        }
        let requested_at = now();
        let (token, lifetime) = fetch().await?;
        let mut header = HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
            .map_err(|_| {
                Error::decode(
                    "data.accessToken",
                    "the access token contains characters not allowed in a header",
                    None,
                    String::new(),
                    false,
                )
            })?;
        header.set_sensitive(true);
        let margin = REFRESH_MARGIN.min(lifetime / 2);
        let bearer = Bearer {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            header,
        };
        *slot = Some(Cached {
            bearer: bearer.clone(),
            refresh_at: requested_at + lifetime.saturating_sub(margin),
        });
        Ok(bearer)
    }

    /// Forgets the token `id` (after Pivot rejected it), unless it was already replaced.
    pub(crate) async fn invalidate(&self, id: u64) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| c.bearer.id == id) {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::AtomicUsize;

    fn clock_at(t: Arc<Mutex<SystemTime>>) -> Arc<dyn Fn() -> SystemTime + Send + Sync> {
        Arc::new(move || *t.lock().unwrap())
    }

    #[tokio::test]
    async fn a_token_is_reused_until_sixty_seconds_before_it_expires() {
        let time = Arc::new(Mutex::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_000),
        ));
        let clock = clock_at(time.clone());
        let cache = TokenCache::new();
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            let n = fetches.fetch_add(1, Ordering::SeqCst);
            Ok((
                SecretString::from(format!("tok{n}")),
                Duration::from_secs(900),
            ))
        };
        let first = cache.get(&clock, fetch).await.unwrap();
        *time.lock().unwrap() += Duration::from_secs(839);
        let second = cache.get(&clock, fetch).await.unwrap();
        assert_eq!(first.id, second.id);
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        *time.lock().unwrap() += Duration::from_secs(1);
        let third = cache.get(&clock, fetch).await.unwrap();
        assert_ne!(first.id, third.id);
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        assert_eq!(third.header.to_str().unwrap(), "Bearer tok1");
        assert!(third.header.is_sensitive());
    }

    #[tokio::test]
    async fn invalidating_a_replaced_token_keeps_the_new_one() {
        let clock: Arc<dyn Fn() -> SystemTime + Send + Sync> = Arc::new(SystemTime::now);
        let cache = TokenCache::new();
        let fetch = || async { Ok((SecretString::from("t"), Duration::from_secs(900))) };
        let old = cache.get(&clock, fetch).await.unwrap();
        cache.invalidate(old.id).await;
        let new = cache.get(&clock, fetch).await.unwrap();
        cache.invalidate(old.id).await;
        assert_eq!(cache.get(&clock, fetch).await.unwrap().id, new.id);
    }

    #[test]
    fn request_ids_follow_the_documented_rules() {
        assert!(RequestId::new("a".repeat(16)).is_ok());
        assert!(RequestId::new("a".repeat(36)).is_ok());
        assert!(RequestId::new("a".repeat(15)).is_err());
        assert!(RequestId::new("a".repeat(37)).is_err());
        assert!(RequestId::new("abcdefghijklmnop_").is_err());
        let generated = RequestId::generate();
        assert!(RequestId::new(generated.as_str()).is_ok());
        assert_ne!(generated, RequestId::generate());
    }
}
