//! The IXOPAY-platform request signature (`X-Signature`), used by Cardflo and the other
//! white-labels of the IXOPAY Transaction API v3.
//!
//! ```text
//! X-Signature = base64( HMAC-SHA512( shared secret,
//!     METHOD "\n" hex(SHA-512(body)) "\n" Content-Type "\n" Date "\n" request-URI ) )
//! ```
//!
//! Five lines joined by `\n`, no trailing newline; the request URI is the on-the-wire path with
//! the API key already substituted, plus `?query` when there is one (see [`request_uri`]).
//! Callbacks are signed the same way by the gateway; merchants configured for the legacy format
//! receive an MD5 body digest instead, which [`verify`] accepts only when asked to.

use crate::digest::{constant_time_eq, hmac_sha512_base64, md5_hex, sha512_hex};

/// Which digest of the body the signed message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyDigest {
    /// Lower-case hex SHA-512: the current format, and the only one to sign requests with.
    Sha512,
    /// Lower-case hex MD5: the legacy format some merchants' callbacks still use.
    /// Accept it only when the merchant's configuration requires it.
    Md5,
}

impl BodyDigest {
    fn hex(self, body: &[u8]) -> String {
        match self {
            BodyDigest::Sha512 => sha512_hex(body),
            BodyDigest::Md5 => md5_hex(body),
        }
    }
}

/// Everything the signature covers, exactly as sent (or received) on the wire.
///
/// ```
/// let input = payments_signing::ixopay::SignatureInput {
///     method: "GET",
///     body: b"",
///     content_type: "application/json; charset=utf-8",
///     date: "Tue, 21 Jul 2020 13:15:03 GMT",
///     request_uri: "/api/v3/status/my-api-key/getByUuid/abc",
/// };
/// assert_eq!(input.method, "GET");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SignatureInput<'a> {
    /// The HTTP method, upper-case (`POST`, `GET`).
    pub method: &'a str,
    /// The exact body bytes (empty for a GET).
    pub body: &'a [u8],
    /// The exact `Content-Type` header value.
    pub content_type: &'a str,
    /// The exact `Date` / `X-Date` header value.
    pub date: &'a str,
    /// The request URI: raw path plus `?query` when present (see [`request_uri`]).
    pub request_uri: &'a str,
}

/// The message that is MACed, with the body digest of the given kind.
///
/// ```
/// use payments_signing::ixopay::{string_to_sign, BodyDigest, SignatureInput};
/// let input = SignatureInput {
///     method: "POST",
///     body: b"",
///     content_type: "application/json",
///     date: "Tue, 21 Jul 2020 13:15:03 GMT",
///     request_uri: "/x",
/// };
/// let message = string_to_sign(&input, BodyDigest::Sha512);
/// assert!(message.starts_with("POST\ncf83e135"));
/// assert!(message.ends_with("\napplication/json\nTue, 21 Jul 2020 13:15:03 GMT\n/x"));
/// ```
pub fn string_to_sign(input: &SignatureInput<'_>, digest: BodyDigest) -> String {
    [
        input.method,
        &digest.hex(input.body),
        input.content_type,
        input.date,
        input.request_uri,
    ]
    .join("\n")
}

/// Signs a request: the value of the `X-Signature` header (SHA-512 body digest).
///
/// ```
/// use payments_signing::ixopay::{sign, SignatureInput};
/// // The IXOPAY documentation's signature tool, which signs with an empty secret.
/// let input = SignatureInput {
///     method: "POST",
///     body: b"",
///     content_type: "application/json; charset=utf-8",
///     date: "Tue, 28 Apr 2026 15:23:40 GMT",
///     request_uri: "/api/v3/transaction/YOUR-API-KEY-HERE/debit",
/// };
/// assert_eq!(
///     sign("", &input),
///     "4ICq+hfHFA81dAJHcXoP2/Pb+nkp9GljLe2S+REN0vMBhbQYNQUHIw/YxUTEIWS5Uu5WgdDEc7keMtqS0mpnAA=="
/// );
/// ```
pub fn sign(shared_secret: &str, input: &SignatureInput<'_>) -> String {
    sign_with(shared_secret, input, BodyDigest::Sha512)
}

/// Signs with an explicit body digest. Use [`sign`] for requests; this exists so tests can
/// produce legacy (MD5) callbacks.
///
/// ```
/// use payments_signing::ixopay::{sign_with, verify, BodyDigest, SignatureInput};
/// let input = SignatureInput {
///     method: "POST",
///     body: b"{}",
///     content_type: "application/json; charset=utf-8",
///     date: "Tue, 21 Jul 2020 13:15:03 GMT",
///     request_uri: "/callback",
/// };
/// let legacy = sign_with("secret", &input, BodyDigest::Md5);
/// assert!(verify("secret", &input, &legacy, &[BodyDigest::Sha512, BodyDigest::Md5]));
/// assert!(!verify("secret", &input, &legacy, &[BodyDigest::Sha512]));
/// ```
pub fn sign_with(shared_secret: &str, input: &SignatureInput<'_>, digest: BodyDigest) -> String {
    hmac_sha512_base64(
        shared_secret.as_bytes(),
        string_to_sign(input, digest).as_bytes(),
    )
}

/// Verifies a received `X-Signature` in constant time, accepting any of the given body digests.
///
/// ```
/// use payments_signing::ixopay::{sign, verify, BodyDigest, SignatureInput};
/// let input = SignatureInput {
///     method: "POST",
///     body: br#"{"result":"OK"}"#,
///     content_type: "application/json; charset=utf-8",
///     date: "Tue, 21 Jul 2020 13:15:03 GMT",
///     request_uri: "/callback?order=1",
/// };
/// let signature = sign("secret", &input);
/// assert!(verify("secret", &input, &signature, &[BodyDigest::Sha512]));
/// assert!(!verify("other", &input, &signature, &[BodyDigest::Sha512]));
/// ```
pub fn verify(
    shared_secret: &str,
    input: &SignatureInput<'_>,
    signature: &str,
    accepted: &[BodyDigest],
) -> bool {
    let received = signature.trim().as_bytes();
    accepted.iter().fold(false, |matched, &digest| {
        let expected = sign_with(shared_secret, input, digest);
        constant_time_eq(expected.as_bytes(), received) | matched
    })
}

/// The request URI to sign for a URL: its raw path (`/` when empty) plus `?query` when the URL
/// has a query; any `#fragment` is dropped. Accepts an absolute URL or an origin-form URI.
///
/// ```
/// use payments_signing::ixopay::request_uri;
/// assert_eq!(
///     request_uri("https://gateway.ixopay.com/api/v3/transaction/my-api-key/debit"),
///     "/api/v3/transaction/my-api-key/debit"
/// );
/// assert_eq!(request_uri("https://gateway.ixopay.com"), "/");
/// assert_eq!(request_uri("https://gateway.ixopay.com?a=b"), "/?a=b");
/// assert_eq!(request_uri("/callback?x=1#frag"), "/callback?x=1");
/// ```
pub fn request_uri(url: &str) -> String {
    let without_fragment = url.split('#').next().unwrap_or_default();
    let after_authority = match without_fragment.find("://") {
        Some(scheme_end) => {
            let rest = &without_fragment[scheme_end + 3..];
            match rest.find(['/', '?']) {
                Some(i) => &rest[i..],
                None => "",
            }
        }
        None => without_fragment,
    };
    if after_authority.starts_with('/') {
        after_authority.to_owned()
    } else {
        format!("/{after_authority}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1_BODY: &[u8] =
        br#"{"merchantTransactionId":"2019-09-02-0004","amount":"9.99","currency":"EUR"}"#;

    fn v1() -> SignatureInput<'static> {
        SignatureInput {
            method: "POST",
            body: V1_BODY,
            content_type: "application/json; charset=utf-8",
            date: "Tue, 21 Jul 2020 13:15:03 UTC",
            request_uri: "/api/v3/transaction/my-api-key/debit",
        }
    }

    const V1_SIGNATURE: &str =
        "nL+8FBKWx4/pahYScKs/dRYPBEWjiBalRaWKHGtxLpELmLrgJ/+dSWjt6dZNuu6oF18NyWEU8tXLEVm2mtEapg==";

    #[test]
    fn seed_vector_v1_reproduces() {
        assert_eq!(
            sha512_hex(V1_BODY),
            "efe0b7cd39d6904dc90924b1a89629b14f11082ed2178cff562364ca0172318e1535bb8766fbe66e8cc44d311eba806349bfe185607eca12d9d0f377a03ee617"
        );
        assert_eq!(sign("my-shared-secret", &v1()), V1_SIGNATURE);
        assert!(verify(
            "my-shared-secret",
            &v1(),
            V1_SIGNATURE,
            &[BodyDigest::Sha512]
        ));
    }

    #[test]
    fn docs_tool_vector_v3_with_empty_secret_reproduces() {
        let input = SignatureInput {
            method: "POST",
            body: b"",
            content_type: "application/json; charset=utf-8",
            date: "Tue, 28 Apr 2026 15:23:40 GMT",
            request_uri: "/api/v3/transaction/YOUR-API-KEY-HERE/debit",
        };
        assert_eq!(
            sign("", &input),
            "4ICq+hfHFA81dAJHcXoP2/Pb+nkp9GljLe2S+REN0vMBhbQYNQUHIw/YxUTEIWS5Uu5WgdDEc7keMtqS0mpnAA=="
        );
    }

    #[test]
    fn changing_any_single_input_breaks_verification() {
        let ok = |input: &SignatureInput<'_>, secret: &str| {
            verify(secret, input, V1_SIGNATURE, &[BodyDigest::Sha512])
        };
        assert!(ok(&v1(), "my-shared-secret"));

        for i in 0..V1_BODY.len() {
            let mut body = V1_BODY.to_vec();
            body[i] ^= 0x01;
            let input = SignatureInput {
                body: &body,
                ..v1()
            };
            assert!(!ok(&input, "my-shared-secret"), "body byte {i}");
        }
        let variants = [
            SignatureInput {
                method: "PUT",
                ..v1()
            },
            SignatureInput {
                content_type: "application/json",
                ..v1()
            },
            // The suffix is part of the signed string: GMT differs from the signed UTC.
            SignatureInput {
                date: "Tue, 21 Jul 2020 13:15:03 GMT",
                ..v1()
            },
            SignatureInput {
                date: "Tue, 21 Jul 2020 13:15:04 UTC",
                ..v1()
            },
            SignatureInput {
                request_uri: "/api/v3/transaction/{apiKey}/debit",
                ..v1()
            },
            SignatureInput {
                request_uri: "/api/v3/transaction/my-api-key/debit?x=1",
                ..v1()
            },
        ];
        for input in &variants {
            assert!(!ok(input, "my-shared-secret"), "{input:?}");
        }
        assert!(!ok(&v1(), "my-shared-secreT"));
        assert!(!ok(&v1(), ""));
    }

    #[test]
    fn message_has_five_lines_and_no_trailing_newline() {
        let message = string_to_sign(&v1(), BodyDigest::Sha512);
        assert_eq!(message.split('\n').count(), 5);
        assert!(!message.ends_with('\n'));
        assert!(!message.contains('\r'));
    }

    #[test]
    fn md5_is_accepted_only_when_opted_in() {
        let legacy = sign_with("my-shared-secret", &v1(), BodyDigest::Md5);
        assert_ne!(legacy, V1_SIGNATURE);
        assert!(!verify(
            "my-shared-secret",
            &v1(),
            &legacy,
            &[BodyDigest::Sha512]
        ));
        assert!(verify(
            "my-shared-secret",
            &v1(),
            &legacy,
            &[BodyDigest::Sha512, BodyDigest::Md5]
        ));
        // The MD5 variant is an independent computation of the legacy message.
        let expected_message = format!(
            "POST\n{}\napplication/json; charset=utf-8\nTue, 21 Jul 2020 13:15:03 UTC\n/api/v3/transaction/my-api-key/debit",
            md5_hex(V1_BODY)
        );
        assert_eq!(string_to_sign(&v1(), BodyDigest::Md5), expected_message);
    }

    #[test]
    fn verification_rejects_garbage_signatures() {
        for sig in ["", "=", "not base64", &"A".repeat(100_000)] {
            assert!(!verify(
                "k",
                &v1(),
                sig,
                &[BodyDigest::Sha512, BodyDigest::Md5]
            ));
        }
        assert!(!verify("my-shared-secret", &v1(), V1_SIGNATURE, &[]));
    }

    #[test]
    fn request_uri_keeps_prefixes_and_queries() {
        assert_eq!(
            request_uri(
                "https://gateway.client.com/ixopay/api/v3/status/k/getByUuid/u?includeTracing=1"
            ),
            "/ixopay/api/v3/status/k/getByUuid/u?includeTracing=1"
        );
        assert_eq!(request_uri(""), "/");
        assert_eq!(request_uri("https://h:8080"), "/");
        assert_eq!(request_uri("?a=b"), "/?a=b");
    }
}
