//! Reading Pivot's answers: the one decoder behind [`Client`](crate::Client) and the public
//! `from_response` functions of the response types.
//!
//! Every Pivot answer is the envelope `{code, message, data, error, pagination}`. A non-2xx
//! status, or a 2xx whose `code` is not `"00"`, is an error answer; otherwise `data` must
//! decode into the expected type (a list answer without `data` is an empty list).
//!
//! Nothing here recurses over the body on its own: decoding goes through serde_json with its
//! default recursion limit (128 levels), so a deeply nested body is a decode error, not a stack
//! overflow.

use std::time::{Duration, SystemTime};

use http::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::auth::RequestId;
use crate::error::{ErrorCode, ProviderError};
use crate::model::{Envelope, Pagination};
use crate::{Error, scrub};

/// Why an answer was not a usable success.
pub(crate) enum Rejection {
    /// Pivot answered with an error (a non-2xx status, or a `code` other than `"00"`).
    Provider(Box<ProviderError>),
    /// The answer did not decode.
    Decode {
        path: String,
        message: String,
        status: StatusCode,
        excerpt: String,
    },
}

impl Rejection {
    /// The error a caller sees when the answer was decoded outside a call (nothing was sent,
    /// so nothing is known to have been processed).
    pub(crate) fn into_error(self) -> Error {
        match self {
            Self::Provider(p) => Error::Provider(p),
            Self::Decode {
                path,
                message,
                status,
                excerpt,
            } => Error::decode(path, message, Some(status), excerpt, false),
        }
    }
}

/// Decodes one answer: `data` (and `pagination`) of a success, or the provider error.
///
/// `list` says that a missing or `null` `data` means "no records".
pub(crate) fn response<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
    request_id: Option<&RequestId>,
    retry_after: Option<Duration>,
    list: bool,
) -> Result<(T, Option<Pagination>), Rejection> {
    if !status.is_success() {
        return Err(Rejection::Provider(Box::new(provider_error(
            status,
            body,
            request_id.cloned(),
            retry_after,
        ))));
    }
    let envelope = envelope::<T>(status, body)?;
    if let Some(code) = envelope.code.as_deref()
        && code != "00"
    {
        return Err(Rejection::Provider(Box::new(provider_error(
            status,
            body,
            request_id.cloned(),
            retry_after,
        ))));
    }
    match envelope.data {
        Some(data) => Ok((data, envelope.pagination)),
        None if list => serde_json::from_slice::<T>(b"[]")
            .map(|empty| (empty, envelope.pagination))
            .map_err(|e| Rejection::Decode {
                path: "data".into(),
                message: e.to_string(),
                status,
                excerpt: scrub::excerpt(body),
            }),
        None => Err(Rejection::Decode {
            path: "data".into(),
            message: "missing or null".into(),
            status,
            excerpt: scrub::excerpt(body),
        }),
    }
}

/// [`response`] for the public `from_response` functions.
pub(crate) fn standalone<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
    list: bool,
) -> Result<(T, Option<Pagination>), Error> {
    response(status, body, None, None, list).map_err(Rejection::into_error)
}

/// Decodes a successful answer's envelope, naming the failing field on error.
fn envelope<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<Envelope<'_, T>, Rejection> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Rejection::Decode {
            path: String::new(),
            message: "the body is empty".into(),
            status,
            excerpt: String::new(),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    // Plain serde_json first: tracking the path allocates for every key it passes. Only a
    // failure decodes the same bytes again with the path tracked, which fails at the same
    // place (deserialization is deterministic) and names it.
    let envelope = match Envelope::<T>::deserialize(&mut deserializer) {
        Ok(envelope) => envelope,
        Err(plain) => return Err(envelope_error::<T>(status, body, plain)),
    };
    // Bytes after the JSON value (other than whitespace) make the whole body suspect.
    deserializer.end().map_err(|e| Rejection::Decode {
        path: String::new(),
        message: e.to_string(),
        status,
        excerpt: scrub::excerpt(body),
    })?;
    Ok(envelope)
}

/// The error of a body whose envelope failed to decode: decoded again with the path tracked,
/// so the error names the failing field.
#[cold]
fn envelope_error<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
    plain: serde_json::Error,
) -> Rejection {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, error) =
        match serde_path_to_error::deserialize::<_, Envelope<'_, T>>(&mut deserializer) {
            Err(e) => {
                let path = e.path().to_string();
                (path, e.into_inner())
            }
            // Unreachable (the same bytes decode the same way); keep the first error.
            Ok(_) => (String::new(), plain),
        };
    let message = scrub::mask_text(&error.to_string());
    Rejection::Decode {
        path: crate::de::error_path(&path, &message),
        message,
        status,
        excerpt: scrub::excerpt(body),
    }
}

/// Reads whatever Pivot said in an error answer; HTML pages and empty bodies leave the fields
/// empty and the (scrubbed) excerpt explains.
pub(crate) fn provider_error(
    status: StatusCode,
    body: &[u8],
    request_id: Option<RequestId>,
    retry_after: Option<Duration>,
) -> ProviderError {
    let envelope = serde_json::from_slice::<Envelope<'_, serde::de::IgnoredAny>>(body).ok();
    let (code, message, error) = match envelope {
        Some(e) => (e.code, e.message, e.error),
        None => (None, None, None),
    };
    let mut error = error.unwrap_or_default();
    // Messages can echo what was sent; keep card data out of them too.
    for detail in &mut error.details {
        detail.message = detail.message.as_deref().map(scrub::mask_text);
    }
    ProviderError {
        status,
        code: code.as_deref().map(ErrorCode::from),
        message: message.as_deref().map(scrub::mask_text),
        error_type: error.error_type,
        details: error.details,
        trace_id: error.trace_id,
        request_id,
        retry_after,
        body_excerpt: scrub::excerpt(body),
    }
}

/// `Retry-After` as seconds or an HTTP date (read against `now`).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = payments_signing::http::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn retry_after_is_read_as_seconds_or_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        let later = payments_signing::http::format_http_date(now + Duration::from_secs(7));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn html_error_pages_become_provider_errors_without_a_code() {
        let error = provider_error(
            StatusCode::BAD_GATEWAY,
            b"<html><body>502 Bad Gateway</body></html>",
            None,
            None,
        );
        assert_eq!(error.code, None);
        assert!(error.body_excerpt.contains("502 Bad Gateway"));
    }

    #[test]
    fn documented_error_bodies_are_read_with_either_trace_id_spelling() {
        let body = br#"{"code":"api_validation_error","message":"invalid","error":{"type":"API_ERROR","details":[{"field":"","message":"paymentType 'MULTIPLE' is only allowed when mode is set to 'API'"}],"traceId":"abc"}}"#;
        let error = provider_error(StatusCode::BAD_REQUEST, body, None, None);
        assert_eq!(error.code, Some(ErrorCode::ApiValidationError));
        assert_eq!(error.trace_id.as_deref(), Some("abc"));
        assert_eq!(error.details.len(), 1);
        assert!(error.to_string().contains("only allowed when mode"));
    }

    #[test]
    fn a_success_status_with_an_error_code_is_a_provider_error() {
        let body = br#"{"code":"resource_missing","message":"gone","data":null}"#;
        let Err(Rejection::Provider(p)) =
            response::<serde_json::Value>(StatusCode::OK, body, None, None, false)
        else {
            unreachable!("a non-00 code is an error answer");
        };
        assert_eq!(p.code, Some(ErrorCode::ResourceMissing));
    }

    #[test]
    fn trailing_bytes_after_the_json_value_are_a_decode_error() {
        let body = br#"{"code":"00","data":{"a":1}} x"#;
        assert!(matches!(
            response::<serde_json::Value>(StatusCode::OK, body, None, None, false),
            Err(Rejection::Decode { .. })
        ));
    }
}
