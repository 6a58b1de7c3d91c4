//! Standard Webhooks v1 (symmetric) signing and verification, as used by Moment.
//!
//! The signed content is `{webhook-id}.{webhook-timestamp}.{raw body}`; the signature is
//! `v1,` + base64(HMAC-SHA256(key, content)), where the key is the base64-decoded secret (an
//! optional `whsec_` prefix is stripped). The `webhook-signature` header may carry several
//! space-separated signatures (during key rotation); any `v1` entry that matches accepts the
//! message, entries of other versions are ignored. The timestamp must lie within a tolerance of
//! the receiver's clock, which the caller passes in.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretSlice};

use crate::digest::{base64_decode, constant_time_eq, hmac_sha256_base64};

/// The HMAC key of a Standard Webhooks endpoint. Its `Debug` output is redacted.
///
/// ```
/// use payments_signing::standard_webhooks::WebhookKey;
/// let key = WebhookKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
/// assert_eq!(format!("{key:?}"), "WebhookKey([REDACTED])");
/// ```
#[derive(Clone)]
pub struct WebhookKey(SecretSlice<u8>);

impl fmt::Debug for WebhookKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookKey([REDACTED])")
    }
}

/// A webhook secret that is not valid base64.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the webhook secret is not base64 (after an optional `whsec_` prefix)")]
pub struct InvalidSecret;

impl WebhookKey {
    /// Decodes a secret as issued: `whsec_` followed by base64, or the base64 alone.
    ///
    /// ```
    /// use payments_signing::standard_webhooks::WebhookKey;
    /// assert!(WebhookKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_ok());
    /// assert!(WebhookKey::from_secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_ok());
    /// assert!(WebhookKey::from_secret("whsec_not base64!").is_err());
    /// ```
    pub fn from_secret(secret: &str) -> Result<Self, InvalidSecret> {
        let encoded = secret.trim();
        let encoded = encoded.strip_prefix("whsec_").unwrap_or(encoded);
        let bytes = base64_decode(encoded).ok_or(InvalidSecret)?;
        Ok(Self::from_bytes(bytes))
    }

    /// Uses raw key bytes as they are.
    ///
    /// ```
    /// let key = payments_signing::standard_webhooks::WebhookKey::from_bytes(vec![1, 2, 3]);
    /// # let _ = key;
    /// ```
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        WebhookKey(SecretSlice::from(bytes))
    }

    fn bytes(&self) -> &[u8] {
        self.0.expose_secret()
    }
}

/// Why a webhook did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The `webhook-timestamp` is not a whole number of Unix seconds.
    #[error("the webhook-timestamp header is not a Unix timestamp")]
    InvalidTimestamp,
    /// The timestamp is further in the past than the tolerance allows (a replay, or a very late
    /// delivery).
    #[error("the webhook-timestamp is older than the tolerance allows")]
    TimestampTooOld,
    /// The timestamp is further in the future than the tolerance allows.
    #[error("the webhook-timestamp is further in the future than the tolerance allows")]
    TimestampTooNew,
    /// No `v1` signature in the header matches the message.
    #[error("no v1 signature in the webhook-signature header matches")]
    NoMatchingSignature,
}

/// The content that is signed: `{id}.{timestamp}.{body}`.
///
/// ```
/// let content = payments_signing::standard_webhooks::signed_content("msg_1", "1614265330", b"{}");
/// assert_eq!(content, b"msg_1.1614265330.{}");
/// ```
pub fn signed_content(msg_id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(msg_id.len() + timestamp.len() + body.len() + 2);
    content.extend_from_slice(msg_id.as_bytes());
    content.push(b'.');
    content.extend_from_slice(timestamp.as_bytes());
    content.push(b'.');
    content.extend_from_slice(body);
    content
}

/// Signs a message: the `v1,<base64>` entry for the `webhook-signature` header.
///
/// ```
/// use payments_signing::standard_webhooks::{sign, WebhookKey};
/// let key = WebhookKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
/// assert_eq!(
///     sign(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, br#"{"test": 2432232314}"#),
///     "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
/// );
/// ```
pub fn sign(key: &WebhookKey, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    let content = signed_content(msg_id, &timestamp.to_string(), body);
    format!("v1,{}", hmac_sha256_base64(key.bytes(), &content))
}

/// Verifies a delivery from its three headers and raw body.
///
/// `now` is the receiver's clock; the timestamp must be within `tolerance` of it in either
/// direction. Every `v1,` entry of `signature_header` is tried in constant time.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use payments_signing::standard_webhooks::{verify, VerifyError, WebhookKey};
/// let key = WebhookKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
/// let header = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,bm9ldHUjKzFob2VudXRob2VodWUzMjRvdWVvdW9ldQo=";
/// let body = br#"{"test": 2432232314}"#;
/// let now = UNIX_EPOCH + Duration::from_secs(1_614_265_330 + 10);
/// let tolerance = Duration::from_secs(180);
/// assert_eq!(verify(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body, header, now, tolerance), Ok(()));
/// assert_eq!(
///     verify(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", b"{}", header, now, tolerance),
///     Err(VerifyError::NoMatchingSignature)
/// );
/// ```
pub fn verify(
    key: &WebhookKey,
    msg_id: &str,
    timestamp: &str,
    body: &[u8],
    signature_header: &str,
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), VerifyError> {
    let timestamp = timestamp.trim();
    let signed_at: i64 = timestamp
        .parse()
        .map_err(|_| VerifyError::InvalidTimestamp)?;
    let now_secs = unix_seconds(now);
    let tolerance_secs = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if now_secs.saturating_sub(signed_at) > tolerance_secs {
        return Err(VerifyError::TimestampTooOld);
    }
    if signed_at.saturating_sub(now_secs) > tolerance_secs {
        return Err(VerifyError::TimestampTooNew);
    }
    let content = signed_content(msg_id, timestamp, body);
    let expected = hmac_sha256_base64(key.bytes(), &content);
    let matched = signature_header
        .split_whitespace()
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .fold(false, |matched, candidate| {
            constant_time_eq(expected.as_bytes(), candidate.as_bytes()) | matched
        });
    if matched {
        Ok(())
    } else {
        Err(VerifyError::NoMatchingSignature)
    }
}

/// Seconds since the Unix epoch, negative before it, saturating far outside `i64`.
fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs())
            .map(|s| -s)
            .unwrap_or(i64::MIN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: i64 = 1_614_265_330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const EXPECTED: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    const TOLERANCE: Duration = Duration::from_secs(180);

    fn key() -> WebhookKey {
        WebhookKey::from_secret(SECRET).expect("valid secret")
    }

    fn at(secs: i64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).expect("positive"))
    }

    #[test]
    fn published_vector_reproduces() {
        assert_eq!(sign(&key(), ID, TS, BODY), EXPECTED);
        assert_eq!(
            verify(&key(), ID, "1614265330", BODY, EXPECTED, at(TS), TOLERANCE),
            Ok(())
        );
    }

    #[test]
    fn any_matching_entry_accepts_and_other_versions_are_ignored() {
        let rotated = format!("v1,bm9ldHUjKzFob2VudXRob2VodWUzMjRvdWVvdW9ldQo= {EXPECTED}");
        assert_eq!(
            verify(&key(), ID, "1614265330", BODY, &rotated, at(TS), TOLERANCE),
            Ok(())
        );
        let v2_only = EXPECTED.replacen("v1,", "v2,", 1);
        assert_eq!(
            verify(&key(), ID, "1614265330", BODY, &v2_only, at(TS), TOLERANCE),
            Err(VerifyError::NoMatchingSignature)
        );
        for header in ["", " ", "v1,", "v1", "garbage"] {
            assert_eq!(
                verify(&key(), ID, "1614265330", BODY, header, at(TS), TOLERANCE),
                Err(VerifyError::NoMatchingSignature)
            );
        }
    }

    #[test]
    fn changing_any_input_breaks_verification() {
        let check = |key: &WebhookKey, id: &str, ts: &str, body: &[u8]| {
            verify(key, id, ts, body, EXPECTED, at(TS), TOLERANCE)
        };
        for i in 0..BODY.len() {
            let mut body = BODY.to_vec();
            body[i] ^= 0x01;
            assert_eq!(
                check(&key(), ID, "1614265330", &body),
                Err(VerifyError::NoMatchingSignature)
            );
        }
        assert_eq!(
            check(&key(), "msg_p5jXN8AQM9LWM0D4loKWxJeK", "1614265330", BODY),
            Err(VerifyError::NoMatchingSignature)
        );
        assert_eq!(
            check(&key(), ID, "1614265331", BODY),
            Err(VerifyError::NoMatchingSignature)
        );
        let other_key = WebhookKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx")
            .expect("valid secret");
        assert_eq!(
            check(&other_key, ID, "1614265330", BODY),
            Err(VerifyError::NoMatchingSignature)
        );
        // The secret is base64-decoded: using its text as the key must not verify.
        let text_key = WebhookKey::from_bytes(SECRET.as_bytes().to_vec());
        assert_eq!(
            check(&text_key, ID, "1614265330", BODY),
            Err(VerifyError::NoMatchingSignature)
        );
    }

    #[test]
    fn timestamps_outside_the_tolerance_are_rejected() {
        let verify_at =
            |now: i64| verify(&key(), ID, "1614265330", BODY, EXPECTED, at(now), TOLERANCE);
        assert_eq!(verify_at(TS + 180), Ok(()));
        assert_eq!(verify_at(TS - 180), Ok(()));
        assert_eq!(verify_at(TS + 181), Err(VerifyError::TimestampTooOld));
        assert_eq!(verify_at(TS - 181), Err(VerifyError::TimestampTooNew));
        for bad in ["", "abc", "1614265330.5", "99999999999999999999999"] {
            assert_eq!(
                verify(&key(), ID, bad, BODY, EXPECTED, at(TS), TOLERANCE),
                Err(VerifyError::InvalidTimestamp)
            );
        }
        // Extreme values saturate instead of overflowing.
        assert_eq!(
            verify(
                &key(),
                ID,
                &i64::MIN.to_string(),
                BODY,
                EXPECTED,
                at(TS),
                TOLERANCE
            ),
            Err(VerifyError::TimestampTooOld)
        );
        assert_eq!(
            verify(
                &key(),
                ID,
                &i64::MAX.to_string(),
                BODY,
                EXPECTED,
                at(TS),
                Duration::MAX
            ),
            Err(VerifyError::NoMatchingSignature)
        );
    }
}
