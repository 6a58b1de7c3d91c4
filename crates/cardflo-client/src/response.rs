//! Reading an answer of the gateway: classification (general errors, 4xx, 5xx) and decoding.
//! The client and the public `from_response` functions of the answer types run this same code.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
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
pub(crate) fn decode_response<T: DeserializeOwned>(
    operation: Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Error> {
    let context = Context::new(operation, None);
    let retry_after = retry_after(headers, SystemTime::now());
    classify(&context, status, retry_after, body)?;
    decode(&context, status, body)
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
    crate::de::check_depth(body)
        .map_err(|offset| fail(".".to_owned(), crate::de::too_deep_message(offset)))?;
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        // A syntax error outside any field is reported for the whole body.
        let path = match e.path().to_string() {
            p if p == "?" => ".".to_owned(),
            p => p,
        };
        fail(path, e.inner().to_string())
    })?;
    // Nothing but whitespace may follow the value.
    deserializer
        .end()
        .map_err(|e| fail(".".to_owned(), e.to_string()))?;
    Ok(value)
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
