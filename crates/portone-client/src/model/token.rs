//! The token API (`POST /api/merchant/auth-token`).

use std::fmt;
use std::time::Duration;

use secrecy::SecretString;
use serde::Deserialize;

use crate::lenient;

/// A JWT minted by PortOne's token API. `Debug` shows nothing of the token.
#[derive(Clone)]
#[non_exhaustive]
pub struct AuthToken {
    /// The token, for `Authorization: Bearer …`.
    pub token: SecretString,
    /// Its lifetime (PortOne: 6 hours).
    pub expires_in: Option<Duration>,
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthToken")
            .field("token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

#[derive(Deserialize)]
pub(crate) struct AuthTokenWire {
    #[serde(deserialize_with = "lenient::opt_secret")]
    pub(crate) token: Option<SecretString>,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub(crate) expires_in: Option<u64>,
}
