//! How PortOne authenticates a request, built on [`payments_signing::portone`].
//!
//! * **JWT.** Each call that needs one gets a fresh HS256 token minted from the client's clock:
//!   claims `exp, iat, iss, sub` with `iss` = `"PORTONE"` and `sub` = the PortOne key, keyed with
//!   the UTF-8 bytes of the secret key. It is sent as `Authorization: Bearer <jwt>` together
//!   with `X-Portone-Client-Key` (and `X-Portone-SubMerchant-Key` for a sub-merchant).
//! * **`signature_hash`.** Payment requests carry
//!   `base64(HMAC-SHA256(secret, amount=…&client_key=…&currency=…&failure_url=…&merchant_order_id=…&success_url=…))`,
//!   the fields encoded like Go's `url.Values.Encode`, the amount in its shortest decimal form.
//!
//! ```
//! use portone_client::auth::{mint_jwt, Credentials};
//! use secrecy::{ExposeSecret, SecretString};
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//!
//! // PortOne's published auth-token example, reproduced byte for byte.
//! let credentials = Credentials::new(
//!     "sjcrvcbVYkFobHlx",
//!     SecretString::from("6cd264c70ec38d41a5dc2662e98c72bac58d3afc5bb4e80debbe3a976a0dc4eb"),
//! );
//! let issued_at = UNIX_EPOCH + Duration::from_secs(1_724_302_051);
//! let token = mint_jwt(&credentials, "PORTONE", issued_at, Duration::from_secs(21_600));
//! assert!(token.expose_secret().ends_with(".-A7y_JSRNbST9wIE26xd-oq0vLsQ-PavhHyxSts0glY"));
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use payments_signing::portone::{JwtClaims, jwt_hs256};
use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::error::{Error, Rule};
use crate::model::amount;

/// The default JWT issuer.
pub const DEFAULT_ISSUER: &str = "PORTONE";

/// The default lifetime of a minted JWT. PortOne's examples use 100 s; a little more tolerates a
/// small clock difference between this host and PortOne.
pub const DEFAULT_JWT_TTL: Duration = Duration::from_secs(300);

/// The merchant's PortOne credentials: the PortOne key (client key), the secret key, and for a
/// master merchant acting for a sub-merchant, the sub-merchant key.
///
/// `Debug` never shows the keys or the secret.
#[derive(Clone)]
pub struct Credentials {
    portone_key: String,
    secret_key: SecretString,
    sub_merchant_key: Option<String>,
}

impl Credentials {
    /// Credentials from the PortOne key and the secret key (portal: Settings → API).
    pub fn new(portone_key: impl Into<String>, secret_key: SecretString) -> Self {
        Self {
            portone_key: portone_key.into(),
            secret_key,
            sub_merchant_key: None,
        }
    }

    /// Acts for a sub-merchant: every authenticated call also sends
    /// `X-Portone-SubMerchant-Key`.
    pub fn with_sub_merchant_key(mut self, sub_merchant_key: impl Into<String>) -> Self {
        self.sub_merchant_key = Some(sub_merchant_key.into());
        self
    }

    /// Reads `PORTONE_KEY`, `PORTONE_SECRET_KEY` and, if set, `PORTONE_SUB_MERCHANT_KEY`.
    /// `None` when either of the first two is missing or empty.
    pub fn from_env() -> Option<Self> {
        let key = std::env::var("PORTONE_KEY")
            .ok()
            .filter(|v| !v.is_empty())?;
        let secret = std::env::var("PORTONE_SECRET_KEY")
            .ok()
            .filter(|v| !v.is_empty())?;
        let mut credentials = Self::new(key, SecretString::from(secret));
        if let Some(sub) = std::env::var("PORTONE_SUB_MERCHANT_KEY")
            .ok()
            .filter(|v| !v.is_empty())
        {
            credentials = credentials.with_sub_merchant_key(sub);
        }
        Some(credentials)
    }

    /// The PortOne key (sent as `X-Portone-Client-Key`, `portone_key`/`key` and `client_key`).
    pub fn portone_key(&self) -> &str {
        &self.portone_key
    }

    /// The secret key.
    pub fn secret_key(&self) -> &SecretString {
        &self.secret_key
    }

    /// The sub-merchant key, if any.
    pub fn sub_merchant_key(&self) -> Option<&str> {
        self.sub_merchant_key.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("portone_key", &"[redacted]")
            .field("secret_key", &"[redacted]")
            .field(
                "sub_merchant_key",
                &self.sub_merchant_key.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// Which header names carry the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum HeaderStyle {
    /// `X-Portone-Client-Key` / `X-Portone-SubMerchant-Key` (documented; the default).
    #[default]
    Portone,
    /// The legacy `X-Chaipay-Client-Key` / `X-Chaipay-SubMerchant-Key`, still sent by older SDKs.
    Chaipay,
}

impl HeaderStyle {
    /// The client-key header name.
    pub fn client_key_header(self) -> &'static str {
        match self {
            Self::Portone => "X-Portone-Client-Key",
            Self::Chaipay => "X-Chaipay-Client-Key",
        }
    }

    /// The sub-merchant-key header name.
    pub fn sub_merchant_key_header(self) -> &'static str {
        match self {
            Self::Portone => "X-Portone-SubMerchant-Key",
            Self::Chaipay => "X-Chaipay-SubMerchant-Key",
        }
    }

    /// [`HeaderStyle::client_key_header`] as a header name (lower case, as `http` stores it).
    pub(crate) fn client_key_header_name(self) -> http::HeaderName {
        match self {
            Self::Portone => http::HeaderName::from_static("x-portone-client-key"),
            Self::Chaipay => http::HeaderName::from_static("x-chaipay-client-key"),
        }
    }

    /// [`HeaderStyle::sub_merchant_key_header`] as a header name.
    pub(crate) fn sub_merchant_key_header_name(self) -> http::HeaderName {
        match self {
            Self::Portone => http::HeaderName::from_static("x-portone-submerchant-key"),
            Self::Chaipay => http::HeaderName::from_static("x-chaipay-submerchant-key"),
        }
    }
}

/// Mints an HS256 JWT for `credentials` issued at `issued_at`, valid for `ttl`.
///
/// The claims are `{"exp":…,"iat":…,"iss":…,"sub":<portone key>}` in that order, as PortOne's
/// own tokens; see the [module docs](self) for the published example this reproduces.
pub fn mint_jwt(
    credentials: &Credentials,
    issuer: &str,
    issued_at: SystemTime,
    ttl: Duration,
) -> SecretString {
    let iat = issued_at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let claims = JwtClaims {
        iss: issuer,
        sub: credentials.portone_key(),
        iat,
        exp: iat.saturating_add(ttl.as_secs()),
    };
    SecretString::from(jwt_hs256(credentials.secret_key().expose_secret(), &claims))
}

/// The decoded claims of a PortOne JWT.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Claims {
    /// Issuer (`PORTONE`, legacy `CHAIPAY`).
    pub iss: String,
    /// Subject: the PortOne key.
    pub sub: String,
    /// Issued at, Unix seconds.
    pub iat: u64,
    /// Expires at, Unix seconds.
    pub exp: u64,
}

/// Verifies `token` with `secret` (constant time) and returns its claims. Expiry is not checked
/// here; compare [`Claims::exp`] with your clock.
///
/// ```
/// use portone_client::auth::verify_jwt;
/// let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3MjQzMjM2NTEsImlhdCI6MTcyNDMwMjA1MSwiaXNzIjoiUE9SVE9ORSIsInN1YiI6InNqY3J2Y2JWWWtGb2JIbHgifQ.-A7y_JSRNbST9wIE26xd-oq0vLsQ-PavhHyxSts0glY";
/// let claims = verify_jwt("6cd264c70ec38d41a5dc2662e98c72bac58d3afc5bb4e80debbe3a976a0dc4eb", token)
///     .expect("the published example verifies");
/// assert_eq!(claims.sub, "sjcrvcbVYkFobHlx");
/// assert_eq!(claims.exp - claims.iat, 21_600);
/// assert!(verify_jwt("another secret", token).is_none());
/// ```
pub fn verify_jwt(secret: &str, token: &str) -> Option<Claims> {
    let payload = payments_signing::portone::verify_jwt_hs256(secret, token)?;
    serde_json::from_slice(&payload).ok()
}

/// The six fields a payment request's `signature_hash` covers.
#[derive(Debug, Clone, Copy)]
pub struct PaymentSignatureFields<'a> {
    /// The amount (signed in its shortest decimal form).
    pub amount: &'a Decimal,
    /// The PortOne key (`client_key`).
    pub client_key: &'a str,
    /// The currency code.
    pub currency: &'a str,
    /// The failure URL.
    pub failure_url: &'a str,
    /// The merchant order id.
    pub merchant_order_id: &'a str,
    /// The success URL.
    pub success_url: &'a str,
}

impl PaymentSignatureFields<'_> {
    /// The canonical message that is signed (Go `url.Values.Encode` form).
    ///
    /// ```
    /// use portone_client::auth::PaymentSignatureFields;
    /// use rust_decimal::Decimal;
    /// let fields = PaymentSignatureFields {
    ///     amount: &Decimal::new(10000, 2), // 100.00, signed as "100"
    ///     client_key: "PORTONE_KEY",
    ///     currency: "USD",
    ///     failure_url: "https://checkout.portone.cloud/failure.html",
    ///     merchant_order_id: "MERCHANT1617366877238",
    ///     success_url: "https://checkout.portone.cloud/success.html",
    /// };
    /// assert_eq!(
    ///     fields.message().unwrap(),
    ///     "amount=100&client_key=PORTONE_KEY&currency=USD&failure_url=https%3A%2F%2Fcheckout.portone.cloud%2Ffailure.html&merchant_order_id=MERCHANT1617366877238&success_url=https%3A%2F%2Fcheckout.portone.cloud%2Fsuccess.html"
    /// );
    /// ```
    pub fn message(&self) -> Result<String, Error> {
        let amount = amount::signed_text(self.amount)?;
        Ok(payments_signing::portone::form_encode(self.pairs(&amount)))
    }

    /// The `signature_hash`: `base64(HMAC-SHA256(secret, message))`.
    ///
    /// ```
    /// use portone_client::auth::PaymentSignatureFields;
    /// use rust_decimal::Decimal;
    /// use secrecy::SecretString;
    /// let fields = PaymentSignatureFields {
    ///     amount: &Decimal::new(10000, 2),
    ///     client_key: "PORTONE_KEY",
    ///     currency: "USD",
    ///     failure_url: "https://checkout.portone.cloud/failure.html",
    ///     merchant_order_id: "MERCHANT1617366877238",
    ///     success_url: "https://checkout.portone.cloud/success.html",
    /// };
    /// let hash = fields.signature_hash(&SecretString::from("PORTONE_SECRET")).unwrap();
    /// assert_eq!(hash, "uQbYqEZATKovbG/cAEI67OOgHDxrqRSoE3UcQ5D27mU=");
    /// ```
    pub fn signature_hash(&self, secret: &SecretString) -> Result<String, Error> {
        let amount = amount::signed_text(self.amount)?;
        if self.client_key.is_empty() {
            return Err(Error::invalid(
                Rule::Required,
                "client_key (the PortOne key) is empty",
            ));
        }
        Ok(payments_signing::portone::signature_hash(
            secret.expose_secret(),
            self.pairs(&amount),
        ))
    }

    fn pairs<'s>(&'s self, amount: &'s str) -> [(&'static str, &'s str); 6] {
        [
            ("amount", amount),
            ("client_key", self.client_key),
            ("currency", self.currency),
            ("failure_url", self.failure_url),
            ("merchant_order_id", self.merchant_order_id),
            ("success_url", self.success_url),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_are_the_documented_ones() {
        for style in [HeaderStyle::Portone, HeaderStyle::Chaipay] {
            assert_eq!(
                style.client_key_header_name(),
                http::HeaderName::from_bytes(style.client_key_header().as_bytes())
                    .expect("header name")
            );
            assert_eq!(
                style.sub_merchant_key_header_name(),
                http::HeaderName::from_bytes(style.sub_merchant_key_header().as_bytes())
                    .expect("header name")
            );
        }
    }

    #[test]
    fn debug_shows_no_credentials() {
        let c = Credentials::new("KEY_abcdef", SecretString::from("SECRET_abcdef"))
            .with_sub_merchant_key("SUB_abcdef");
        let debug = format!("{c:?}");
        for s in ["KEY_abcdef", "SECRET_abcdef", "SUB_abcdef"] {
            assert!(!debug.contains(s), "{debug}");
        }
    }
}
