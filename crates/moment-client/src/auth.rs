//! How Moment authenticates a request: `Authorization: Bearer <secret key>`.
//!
//! Moment issues four keys per account. The client needs a **secret** key:
//!
//! | | test mode | live mode |
//! |---|---|---|
//! | secret (server side) | `sk_test_…` | `sk_…` |
//! | publishable (client SDKs) | `pk_test_…` | `pk_…` |
//!
//! The mode is decided by the key; there is no separate sandbox host. Publishable keys belong in
//! the Flutter/JavaScript/React SDKs and are refused here. Moment signs nothing on requests;
//! signatures exist only on webhooks ([`crate::webhook`]).

use std::fmt;

use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::Error;

/// Whether the client works on test or live data, as decided by the secret key's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyMode {
    /// A `sk_test_…` key: no funds move.
    Test,
    /// A `sk_…` key: real money.
    Live,
}

impl KeyMode {
    /// `test` or `live`, as Moment spells the `mode` of its objects.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyMode::Test => "test",
            KeyMode::Live => "live",
        }
    }
}

impl fmt::Display for KeyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A checked secret key and the `Authorization` header it makes.
#[derive(Clone)]
pub(crate) struct Credentials {
    header: HeaderValue,
    mode: KeyMode,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_key", &"[REDACTED]")
            .field("mode", &self.mode)
            .finish()
    }
}

impl Credentials {
    /// Checks the key and prepares the header; the error never contains the key.
    pub(crate) fn new(secret_key: &SecretString) -> Result<Self, Error> {
        let key = secret_key.expose_secret();
        let mode = key_mode(key)?;
        let mut header = HeaderValue::from_str(&format!("Bearer {key}"))
            .map_err(|_| Error::config("the secret key contains characters a header cannot"))?;
        header.set_sensitive(true);
        Ok(Credentials { header, mode })
    }

    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }

    pub(crate) fn mode(&self) -> KeyMode {
        self.mode
    }
}

/// The mode of a secret key, or why it is not one.
pub(crate) fn key_mode(key: &str) -> Result<KeyMode, Error> {
    if key.starts_with("pk_") {
        return Err(Error::config(
            "a publishable key (pk_…) was given; publishable keys belong in the client SDKs, \
             the server API needs the secret key (sk_test_… or sk_…)",
        ));
    }
    let Some(rest) = key.strip_prefix("sk_") else {
        return Err(Error::config(
            "the secret key must start with `sk_test_` (test mode) or `sk_` (live mode)",
        ));
    };
    if rest.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::config(
            "the secret key is incomplete or contains spaces or control characters",
        ));
    }
    match rest.strip_prefix("test_") {
        Some("") => Err(Error::config("the secret key is incomplete")),
        Some(_) => Ok(KeyMode::Test),
        None => Ok(KeyMode::Live),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_follow_the_documented_prefixes() {
        assert_eq!(
            key_mode("sk_test_4eC39HqLyjWDarjtT1zdp7dc").ok(),
            Some(KeyMode::Test)
        );
        assert_eq!(
            key_mode("sk_4eC39HqLyjWDarjtT1zdp7dc").ok(),
            Some(KeyMode::Live)
        );
        assert_eq!(key_mode("sk_live_4eC39HqLyjW").ok(), Some(KeyMode::Live));
        for bad in [
            "pk_test_abc",
            "pk_abc",
            "",
            "sk_",
            "sk_test_",
            "rk_abc",
            "sk_a b",
            "Bearer sk_x",
        ] {
            let error = key_mode(bad).err();
            assert!(matches!(error, Some(Error::Config { .. })), "{bad}");
        }
    }

    #[test]
    fn the_header_is_sensitive_and_never_printed() {
        let key = SecretString::from("sk_test_4eC39HqLyjWDarjtT1zdp7dc");
        let credentials = Credentials::new(&key).ok();
        let credentials = credentials.as_ref();
        assert!(credentials.is_some_and(|c| c.header().is_sensitive()));
        let printed = format!("{credentials:?}");
        assert!(!printed.contains("4eC39"), "{printed}");
        let error = Credentials::new(&SecretString::from("pk_test_4eC39HqLyjWD")).err();
        assert!(
            !format!(
                "{error:?} {}",
                error.as_ref().map(ToString::to_string).unwrap_or_default()
            )
            .contains("4eC39")
        );
    }
}
