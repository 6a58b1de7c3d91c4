//! Reading an answer of the gateway: classification (general errors, 4xx, 5xx) and decoding.
//! The client and the public `from_response` functions of the answer types run this same code.

use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{AmbiguousError, AmbiguousReason, DecodeError, Error, ProviderError};
use crate::model::ErrorCode;
use crate::operation::Operation;
use crate::scrub;

/// What an answer belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'a> {
    pub(crate) operation: Operation,
    pub(crate) merchant_transaction_id: Option<&'a str>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(operation: Operation, merchant_transaction_id: Option<&'a str>) -> Self {
        Self {
            operation,
            merchant_transaction_id,
        }
    }

    fn mutating(&self) -> bool {
        !self.operation.is_read_only()
    }
}

/// Classifies and decodes a complete answer: what `from_response` of each answer type runs.
pub(crate) fn decode_response<T: Decodable>(
    operation: Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Error> {
    let context = Context::new(operation, None);
    let retry_after = retry_after(headers, SystemTime::now());
    classify_and_decode(&context, status, retry_after, body)
}

/// An answer type the client decodes.
pub(crate) trait Decodable: DeserializeOwned {
    /// Whether decoding a JSON object into this type succeeds only when the object has a
    /// non-null `returnType`. Such an answer is never a general error (see
    /// [`Probe::is_general_error`]), so a successful decode of a 2xx object needs no probe.
    const REQUIRES_RETURN_TYPE: bool = false;
}

impl Decodable for crate::model::TransactionResponse {
    // `TransactionResponse` fails without `returnType` ("`returnType` is missing: not a
    // transaction answer"), and reads it from the same key as the probe.
    const REQUIRES_RETURN_TYPE: bool = true;
}
impl Decodable for crate::model::StatusResponse {}
impl Decodable for crate::model::ScheduleResponse {}
impl Decodable for crate::model::OptionsResponse {}

/// [`classify`], then [`decode`], with the same result, in one pass over a 2xx transaction
/// answer: when the answer is a JSON object that decodes, it has a `returnType` and so is not
/// a general error, and the classification has nothing to add.
pub(crate) fn classify_and_decode<T: Decodable>(
    context: &Context<'_>,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<T, Error> {
    if T::REQUIRES_RETURN_TYPE
        && status.is_success()
        && starts_an_object(body)
        && crate::de::check_depth(body).is_ok()
        && let Some(value) = crate::de::from_slice(body)
    {
        return Ok(value);
    }
    classify(context, status, retry_after, body)?;
    decode(context, status, body)
}

/// Whether the first non-whitespace byte opens an object (so fields are read by name, not by
/// position).
fn starts_an_object(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !matches!(b, b' ' | b'\n' | b'\t' | b'\r'))
        .is_some_and(|&b| b == b'{')
}

/// `Retry-After` in seconds or as an HTTP date (read against `now`).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = payments_signing::http::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// The fields of an answer that tell an error apart, read without building the whole tree.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    success: Option<Value>,
    #[serde(default, rename = "returnType")]
    return_type: Option<IgnoredAny>,
    #[serde(default, rename = "errorCode")]
    error_code: Option<Value>,
    #[serde(default)]
    code: Option<Value>,
    #[serde(default, rename = "errorMessage")]
    error_message: Option<Value>,
    #[serde(default)]
    message: Option<Value>,
}

/// What [`Probe::is_general_error`] needs, read without building any value: `success` (only
/// whether it says "failed") and whether `returnType` is there. Same fields, same order (a
/// body that is an array is read by position), same `null` handling as [`Probe`], so when both
/// read a body they agree on it; when this one cannot read a body, the full probe decides.
#[derive(Deserialize)]
struct Verdict {
    #[serde(default)]
    success: Option<Failed>,
    #[serde(default, rename = "returnType")]
    return_type: Option<IgnoredAny>,
}

/// Whether a `success` value says "failed": `false` or the string `"false"` (any case).
struct Failed(bool);

impl<'de> Deserialize<'de> for Failed {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FailedVisitor;

        impl<'de> Visitor<'de> for FailedVisitor {
            type Value = Failed;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Failed, E> {
                Ok(Failed(!v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Failed, E> {
                Ok(Failed(v.eq_ignore_ascii_case("false")))
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Failed, E> {
                Ok(Failed(false))
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Failed, E> {
                Ok(Failed(false))
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Failed, E> {
                Ok(Failed(false))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Failed, E> {
                Ok(Failed(false))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Failed, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Failed(false))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Failed, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Failed(false))
            }
        }

        deserializer.deserialize_any(FailedVisitor)
    }
}

impl Verdict {
    /// `true` when the body is certainly not a general error; `false` for a general error or a
    /// body this cannot read, which the full [`Probe`] then decides.
    fn is_plainly_not_a_general_error(body: &[u8]) -> bool {
        serde_json::from_slice::<Verdict>(body).is_ok_and(|verdict| {
            let failed = verdict.success.is_some_and(|Failed(failed)| failed);
            !(failed && verdict.return_type.is_none())
        })
    }
}

impl Probe {
    fn read(body: &[u8]) -> Option<Self> {
        serde_json::from_slice(body).ok()
    }

    /// The code as sent (`errorCode`, else `code`), and its typed form.
    fn code(&self) -> Option<(String, ErrorCode)> {
        let raw = [&self.error_code, &self.code]
            .into_iter()
            .flatten()
            .find_map(|v| match v {
                Value::Number(n) => Some(n.to_string()),
                Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
                _ => None,
            })?;
        let code = ErrorCode::parse(&raw);
        Some((scrub::text(&raw), code))
    }

    fn message(&self) -> Option<String> {
        [&self.error_message, &self.message]
            .into_iter()
            .flatten()
            .find_map(Value::as_str)
            .map(scrub::text)
    }

    /// A general error: `success: false` without a transaction `returnType`.
    fn is_general_error(&self) -> bool {
        let failed = match &self.success {
            Some(Value::Bool(b)) => !b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("false"),
            _ => false,
        };
        failed && self.return_type.is_none()
    }
}

/// Turns error answers into errors: a 5xx to a state-changing call is ambiguous; a non-2xx
/// status or a general error is a provider error.
pub(crate) fn classify(
    context: &Context<'_>,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<(), Error> {
    // A 2xx answer is an error only when it is a general error: most are plainly not, which
    // the light probe tells without building values.
    if status.is_success() && Verdict::is_plainly_not_a_general_error(body) {
        return Ok(());
    }
    classify_fully(context, status, retry_after, body)
}

/// [`classify`] with the full probe only.
fn classify_fully(
    context: &Context<'_>,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<(), Error> {
    let probe = Probe::read(body);
    let (raw_code, code) = match probe.as_ref().and_then(Probe::code) {
        Some((raw, code)) => (Some(raw), Some(code)),
        None => (None, None),
    };
    if status.is_server_error() && context.mutating() {
        let mut ambiguous =
            AmbiguousError::new(context.operation.name(), AmbiguousReason::ServerError)
                .with_status(status);
        ambiguous.merchant_transaction_id = context.merchant_transaction_id.map(str::to_owned);
        ambiguous.code = code;
        ambiguous.raw_code = raw_code;
        ambiguous.body_excerpt = Some(scrub::excerpt(body));
        let error = Error::from(ambiguous);
        tracing::warn!(error = %error, "server error on a state-changing call");
        return Err(error);
    }
    if !status.is_success() || probe.as_ref().is_some_and(Probe::is_general_error) {
        let may_have_been_processed = context.mutating()
            && status.is_success()
            && ProviderError::code_may_mean_processed(code.as_ref());
        let error = Error::from(ProviderError {
            operation: context.operation.name(),
            status: Some(status),
            code,
            raw_code,
            message: probe.as_ref().and_then(Probe::message),
            retry_after,
            body_excerpt: scrub::excerpt(body),
            may_have_been_processed,
        });
        tracing::info!(error = %error, "the gateway answered with an error");
        return Err(error);
    }
    Ok(())
}

/// Decodes a successful answer into its type; the error names the failing field.
pub(crate) fn decode<T: DeserializeOwned>(
    context: &Context<'_>,
    status: StatusCode,
    body: &[u8],
) -> Result<T, Error> {
    let fail = |path: String, message: String| {
        let error = Error::from(DecodeError::new(
            context.operation.name(),
            status,
            path,
            scrub::text(&message),
            scrub::excerpt(body),
            context.mutating(),
        ));
        tracing::warn!(error = %error, "the answer could not be decoded");
        error
    };
    // Fields that decoding skips are not depth-limited by serde_json: check the whole body.
    crate::de::check_depth(body)
        .map_err(|offset| fail(".".to_owned(), crate::de::too_deep_message(offset)))?;
    // Nothing but whitespace may follow the value.
    crate::de::from_slice_with_path(body).map_err(|(path, message)| fail(path, message))
}

macro_rules! from_response {
    ($ty:ty, $what:literal, $example:literal) => {
        impl $ty {
            #[doc = concat!("Reads ", $what, " from the raw parts of an HTTP answer, exactly as the client does:")]
            /// a general error (`success: false` with an `errorCode`), a non-2xx status, or a
            /// 5xx to a state-changing `operation` becomes the matching [`Error`]; otherwise the
            /// body is decoded, and a decode error names the failing field. `Retry-After` is
            /// read from `headers`. `operation` names the call the answer belongs to and decides
            /// whether a failure may mean the request was processed. Nothing here panics or
            /// recurses without bound, whatever the bytes (JSON nested deeper than 128 levels is
            /// a decode error).
            ///
            /// Use it when you send the request yourself (for example what a `prepare_*`
            /// method built) or to read stored answers.
            ///
            /// ```
            /// use cardflo_client::{Operation, model::*};
            /// use http::{HeaderMap, StatusCode};
            ///
            #[doc = $example]
            /// # Ok::<(), cardflo_client::Error>(())
            /// ```
            pub fn from_response(
                operation: Operation,
                status: StatusCode,
                headers: &HeaderMap,
                body: &[u8],
            ) -> Result<Self, Error> {
                decode_response(operation, status, headers, body)
            }
        }
    };
}

from_response!(
    crate::model::TransactionResponse,
    "the answer to a transaction call (debit, capture, refund, …)",
    r##"let body = br#"{"success":true,"uuid":"abcde12345abcde12345","purchaseId":"20190927-abcde12345abcde12345","returnType":"FINISHED","paymentMethod":"Creditcard"}"#;
let response = TransactionResponse::from_response(Operation::Debit, StatusCode::OK, &HeaderMap::new(), body)?;
assert!(response.outcome.is_finished());

let general_error = br#"{"success":false,"errorMessage":"Signature invalid","errorCode":1004}"#;
let error = TransactionResponse::from_response(Operation::Debit, StatusCode::OK, &HeaderMap::new(), general_error).unwrap_err();
assert_eq!(error.provider_code(), Some("1004"));"##
);

from_response!(
    crate::model::StatusResponse,
    "the answer to a status call",
    r##"let body = br#"{"success":true,"transactionStatus":"SUCCESS","uuid":"abcde12345abcde12345","amount":"9.99","currency":"EUR"}"#;
let status = StatusResponse::from_response(Operation::StatusByUuid, StatusCode::OK, &HeaderMap::new(), body)?;
assert!(status.is_success());

let not_found = br#"{"success":false,"errorMessage":"Transaction not found","errorCode":8001}"#;
let error = StatusResponse::from_response(Operation::StatusByMerchantTransactionId, StatusCode::OK, &HeaderMap::new(), not_found).unwrap_err();
assert!(error.is_transaction_not_found());"##
);

from_response!(
    crate::model::ScheduleResponse,
    "the answer to a schedule call",
    r##"let body = br#"{"success":true,"scheduleId":"SC-1234-1234-1234-1234-1234-1234","oldStatus":"ACTIVE","newStatus":"PAUSED"}"#;
let schedule = ScheduleResponse::from_response(Operation::PauseSchedule, StatusCode::OK, &HeaderMap::new(), body)?;
assert_eq!(schedule.new_status, Some(ScheduleStatus::Paused));"##
);

from_response!(
    crate::model::OptionsResponse,
    "the answer to an options call",
    r##"let body = br#"{"success":true,"options":{"bank1":"Bank One","bank2":"Bank Two"}}"#;
let options = OptionsResponse::from_response(Operation::Options, StatusCode::OK, &HeaderMap::new(), body)?;
assert_eq!(options.get("bank2"), Some("Bank Two"));"##
);

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::model::{OptionsResponse, ScheduleResponse, StatusResponse, TransactionResponse};

    /// The decoding as it was before the plain-`serde_json` first pass.
    fn reference_decode<T: DeserializeOwned>(
        context: &Context<'_>,
        status: StatusCode,
        body: &[u8],
    ) -> Result<T, Error> {
        let fail = |path: String, message: String| {
            Error::from(DecodeError::new(
                context.operation.name(),
                status,
                path,
                scrub::text(&message),
                scrub::excerpt(body),
                context.mutating(),
            ))
        };
        crate::de::check_depth(body)
            .map_err(|offset| fail(".".to_owned(), crate::de::too_deep_message(offset)))?;
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = match e.path().to_string() {
                p if p == "?" => ".".to_owned(),
                p => p,
            };
            fail(path, e.inner().to_string())
        })?;
        deserializer
            .end()
            .map_err(|e| fail(".".to_owned(), e.to_string()))?;
        Ok(value)
    }

    /// Every shortcut gives the answer of the full probe and the path-tracking decoder.
    fn check<T: Decodable + fmt::Debug>(body: &[u8], statuses: &[u16]) {
        for operation in [Operation::Debit, Operation::StatusByUuid] {
            let context = Context::new(operation, Some("m-1"));
            for &code in statuses {
                let status = StatusCode::from_u16(code).unwrap();
                let retry_after = Some(Duration::from_secs(1));
                let reference = format!(
                    "{:?}",
                    classify_fully(&context, status, retry_after, body)
                        .and_then(|()| reference_decode::<T>(&context, status, body))
                );
                let separate = format!(
                    "{:?}",
                    classify(&context, status, retry_after, body)
                        .and_then(|()| decode::<T>(&context, status, body))
                );
                let together = format!(
                    "{:?}",
                    classify_and_decode::<T>(&context, status, retry_after, body)
                );
                let shown = String::from_utf8_lossy(body);
                assert_eq!(separate, reference, "{shown}");
                assert_eq!(together, reference, "{shown}");
            }
        }
    }

    fn check_all(body: &[u8]) {
        let statuses = [200, 201, 400, 429, 500];
        check::<TransactionResponse>(body, &statuses);
        check::<StatusResponse>(body, &statuses);
        check::<ScheduleResponse>(body, &statuses);
        check::<OptionsResponse>(body, &statuses);
    }

    #[test]
    fn shortcuts_answer_like_the_full_probe_and_the_path_decoder() {
        let deep_ignored = format!(
            r#"{{"success":true,"returnType":"FINISHED","x":{}1{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        let deep_at_limit = format!(
            r#"{{"success":true,"returnType":"FINISHED","x":{}1{}}}"#,
            "[".repeat(127),
            "]".repeat(127)
        );
        let many_brackets_in_strings = format!(
            r#"{{"success":true,"returnType":"FINISHED","uuid":"{}"}}"#,
            "[{".repeat(300)
        );
        let bodies: Vec<&[u8]> = vec![
            br#"{"success":true,"uuid":"abc","purchaseId":"p","returnType":"FINISHED","paymentMethod":"Creditcard"}"#,
            br#"  {"success":true,"returnType":"FINISHED"}  "#,
            br#"{"success":true,"returnType":"FINISHED"} x"#,
            br#"{"success":false,"returnType":"ERROR","errors":[{"errorMessage":"m","errorCode":2003}]}"#,
            br#"{"success":false,"errorMessage":"Signature invalid","errorCode":1004}"#,
            br#"{"success":"FALSE","errorCode":"1004"}"#,
            br#"{"success":"false","returnType":null,"code":1004,"message":"m"}"#,
            br#"{"success":false,"returnType":"FINISHED"}"#,
            br#"{"success":0,"returnType":"FINISHED"}"#,
            br#"{"success":false,"success":false}"#,
            br#"{"success":true,"returnType":"FINISHED","returnType":"FINISHED"}"#,
            br#"{"success":false,"code":1e400}"#,
            br#"{"success":1e400,"returnType":"FINISHED"}"#,
            br#"{"success":[false],"returnType":"FINISHED"}"#,
            br#"{"success":{"a":false}}"#,
            br#"{"success":null}"#,
            br#"{"returnType":"REDIRECT"}"#,
            br#"{"returnType":"REDIRECT","redirectUrl":"https://x"}"#,
            br#"{"success":true,"returnType":"HTML","htmlContent":"<p>"}"#,
            br#"{"success":true,"transactionStatus":"SUCCESS","uuid":"u"}"#,
            br#"{"success":true,"scheduleId":"SC-1","newStatus":"PAUSED"}"#,
            br#"{"success":true,"options":{"a":"b"}}"#,
            br#"[false]"#,
            br#"[false,null]"#,
            br#"[false,null,null,"FINISHED"]"#,
            br#"[true,"FINISHED"]"#,
            br#"[]"#,
            br#"null"#,
            br#""FINISHED""#,
            b"",
            b"not json",
            br#"{"success":true,"returnType":"FINISHED""#,
            b"\xff\xfe",
            deep_ignored.as_bytes(),
            deep_at_limit.as_bytes(),
            many_brackets_in_strings.as_bytes(),
        ];
        for body in bodies {
            check_all(body);
        }
    }

    /// The fuzz corpus (when the crate is checked out with it) and the documented examples.
    #[test]
    fn shortcuts_answer_like_before_on_the_fuzz_corpus_and_the_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |dir: std::path::PathBuf| -> Vec<Vec<u8>> {
            std::fs::read_dir(dir).map_or_else(
                |_| Vec::new(),
                |entries| {
                    entries
                        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
                        .collect()
                },
            )
        };
        for body in read(root.join("../../fixtures/cardflo")) {
            check_all(&body);
        }
        // The shortcuts only take 2xx answers; the transaction answer has the decoding one.
        let corpus = |target: &str| read(root.join("fuzz/corpus").join(target));
        for body in corpus("transaction_response") {
            check::<TransactionResponse>(&body, &[200]);
        }
        for body in corpus("status_response") {
            check::<StatusResponse>(&body, &[200]);
            check::<TransactionResponse>(&body, &[200]);
        }
        for body in corpus("schedule_response") {
            check::<ScheduleResponse>(&body, &[200]);
            check::<TransactionResponse>(&body, &[200]);
        }
        for body in corpus("options_response") {
            check::<OptionsResponse>(&body, &[200]);
            check::<TransactionResponse>(&body, &[200]);
        }
    }
}
