//! Authentication and request signing.
//!
//! Every request carries HTTP Basic authentication with the API username and password. When
//! the connector has "request signing" enabled, every request is also signed with the
//! connector's shared secret:
//!
//! ```text
//! X-Signature = base64(HMAC-SHA512(shared secret,
//!     METHOD \n sha512-hex(body) \n Content-Type \n Date \n request-URI))
//! ```
//!
//! The body is serialized once and the same bytes are hashed and sent; `Date` and `X-Date`
//! carry the same RFC 7231 date (from the client's clock) that is signed; the request URI is
//! the on-the-wire path, with the API key substituted and percent-encoded, plus `?query`.
//! The primitives come from [`payments_signing`].

use std::fmt;
use std::sync::Arc;

use payments_signing::ixopay::{self, SignatureInput};
use secrecy::{ExposeSecret, SecretString};

/// The content type sent and signed with every request.
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The API user's credentials, sent as HTTP Basic authentication with every request.
///
/// ```
/// use cardflo_client::auth::Credentials;
/// use cardflo_client::SecretString;
/// let credentials = Credentials::new("anyApiUser", SecretString::from("myPassword"));
/// assert!(!format!("{credentials:?}").contains("myPassword"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    username: String,
    password: SecretString,
}

impl Credentials {
    /// The API username and password.
    pub fn new(username: impl Into<String>, password: SecretString) -> Self {
        Self {
            username: username.into(),
            password,
        }
    }

    /// The API username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The `Authorization` header value.
    pub(crate) fn authorization(&self) -> SecretString {
        SecretString::from(payments_signing::http::basic_auth(
            &self.username,
            self.password.expose_secret(),
        ))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"[REDACTED]")
            .finish()
    }
}

/// A connector: its API key (a path segment of every URL) and, when request signing is
/// enabled for it, its shared secret.
///
/// A merchant may have several connectors; one [`Client`](crate::Client) addresses any of them
/// through [`Client::connector`](crate::Client::connector).
///
/// ```
/// use cardflo_client::auth::Connector;
/// use cardflo_client::SecretString;
/// let signed = Connector::new("my-api-key").shared_secret(SecretString::from("my-shared-secret"));
/// assert!(signed.is_signed());
/// assert!(!Connector::new("other-key").is_signed());
/// assert!(!format!("{signed:?}").contains("my-shared-secret"));
/// ```
#[derive(Clone)]
pub struct Connector {
    api_key: Arc<str>,
    /// Shared, so that cloning a connector (and a client) copies no secret.
    shared_secret: Option<Arc<SecretString>>,
}

impl Connector {
    /// A connector without request signing.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            api_key: Arc::from(api_key.into()),
            shared_secret: None,
        }
    }

    /// Enables request signing with the connector's shared secret.
    #[must_use]
    pub fn shared_secret(mut self, shared_secret: SecretString) -> Self {
        self.shared_secret = Some(Arc::new(shared_secret));
        self
    }

    /// The API key.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Whether requests are signed.
    pub fn is_signed(&self) -> bool {
        self.shared_secret.is_some()
    }

    /// The shared secret, for the mock gateway's independent check.
    #[cfg(feature = "testing")]
    pub(crate) fn shared_secret_ref(&self) -> Option<&SecretString> {
        self.shared_secret.as_deref()
    }

    /// The `X-Signature` of a request, when signing is enabled.
    pub(crate) fn sign(
        &self,
        method: &str,
        body: &[u8],
        date: &str,
        request_uri: &str,
    ) -> Option<String> {
        self.shared_secret.as_ref().map(|secret| {
            ixopay::sign(
                secret.expose_secret(),
                &SignatureInput {
                    method,
                    body,
                    content_type: CONTENT_TYPE,
                    date,
                    request_uri,
                },
            )
        })
    }
}

impl From<&str> for Connector {
    fn from(api_key: &str) -> Self {
        Self::new(api_key)
    }
}

impl From<String> for Connector {
    fn from(api_key: String) -> Self {
        Self::new(api_key)
    }
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connector")
            .field("api_key", &self.api_key)
            .field(
                "shared_secret",
                &self.shared_secret.as_ref().map(|_| "[REDACTED]"),
            )
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::model::{Amount, DebitRequest};

    #[test]
    fn documented_basic_auth_vector() {
        let credentials = Credentials::new("anyApiUser", SecretString::from("myPassword"));
        assert_eq!(
            credentials.authorization().expose_secret(),
            "Basic YW55QXBpVXNlcjpteVBhc3N3b3Jk"
        );
    }

    #[test]
    fn documented_signature_vector_over_the_body_this_crate_serializes() {
        // The typed request serializes to exactly the 76-byte body of the published vector, and
        // signing it with the published inputs gives the published signature.
        let request =
            DebitRequest::new("2019-09-02-0004", "9.99".parse::<Amount>().unwrap(), "EUR");
        let body = serde_json::to_vec(&request).unwrap();
        assert_eq!(
            payments_signing::digest::sha512_hex(&body),
            "efe0b7cd39d6904dc90924b1a89629b14f11082ed2178cff562364ca0172318e1535bb8766fbe66e8cc44d311eba806349bfe185607eca12d9d0f377a03ee617"
        );
        let connector =
            Connector::new("my-api-key").shared_secret(SecretString::from("my-shared-secret"));
        let signature = connector.sign(
            "POST",
            &body,
            "Tue, 21 Jul 2020 13:15:03 UTC",
            "/api/v3/transaction/my-api-key/debit",
        );
        assert_eq!(
            signature.as_deref(),
            Some(
                "nL+8FBKWx4/pahYScKs/dRYPBEWjiBalRaWKHGtxLpELmLrgJ/+dSWjt6dZNuu6oF18NyWEU8tXLEVm2mtEapg=="
            )
        );
        assert_eq!(
            Connector::new("my-api-key").sign("POST", &body, "d", "/"),
            None
        );
    }
}
