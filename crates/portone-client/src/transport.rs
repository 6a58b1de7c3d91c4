//! Sending one call: authentication headers, retries for idempotent calls, classification of
//! failures, and decoding with the failing field's path.

use std::time::Duration;

use backon::{ExponentialBuilder, Retryable as _};
use http::{HeaderMap, Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::client::Inner;
use crate::error::{DecodeError, Error, ProviderError};
use crate::lenient;
use crate::model::{CodeClass, ResultCode, StatusReason};
use crate::scrub;

/// The longest `Retry-After` honoured; a longer one ends the retries.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// How a call authenticates.
#[derive(Clone)]
pub(crate) enum Auth {
    /// A fresh JWT plus the client-key header (and sub-merchant header).
    Jwt,
    /// Only the client-key header (and sub-merchant header).
    ClientKey,
    /// A bearer token given by the caller, plus the client-key header.
    Bearer(SecretString),
    /// Nothing.
    None,
}

/// Whether a call may be repeated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads: retried on connection errors, 429 and 5xx.
    Idempotent,
    /// Payments, captures, refunds, writes: sent once; ambiguous failures are reported.
    Once,
}

/// One call to PortOne.
pub(crate) struct Call {
    /// The operation name (method name on `Client`).
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// Path segments, each percent-encoded when the URL is built.
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) auth: Auth,
    pub(crate) idempotency: Idempotency,
}

/// A successful (2xx) answer.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Vec<u8>,
}

/// The error fields of any PortOne body.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    message: Option<String>,
    #[serde(default)]
    status_code: Option<ResultCode>,
    #[serde(default, alias = "status_message")]
    status_reason: Option<StatusReason>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    is_success: Option<bool>,
}

impl Inner {
    /// Sends `call`, retrying idempotent calls, and returns the 2xx answer.
    pub(crate) async fn send(&self, call: Call) -> Result<Answer, Error> {
        let span = tracing::info_span!(
            "portone",
            operation = call.operation,
            method = %call.method,
            environment = self.environment.as_str(),
        );
        async {
            let result = if call.idempotency == Idempotency::Idempotent && self.max_retries > 0 {
                let backoff = ExponentialBuilder::default()
                    .with_min_delay(self.retry_base_delay)
                    .with_max_delay(Duration::from_secs(5))
                    .with_max_times(self.max_retries as usize)
                    .with_jitter();
                (|| self.attempt(&call))
                    .retry(backoff)
                    .when(Error::is_retryable)
                    .adjust(
                        |err, delay| match err.as_provider().and_then(|p| p.retry_after) {
                            Some(after) if after > MAX_RETRY_AFTER => None,
                            Some(after) => Some(after),
                            None => delay,
                        },
                    )
                    .notify(|err, delay| {
                        tracing::warn!(error = %err, ?delay, "retrying");
                    })
                    .await
            } else {
                self.attempt(&call).await
            };
            if let Err(err) = &result {
                tracing::warn!(error = %err, "failed");
            }
            result
        }
        .instrument(span)
        .await
    }

    fn url(&self, call: &Call) -> Result<url::Url, Error> {
        let mut url = self.base_url.clone();
        {
            let mut segments = url
                .path_segments_mut()
                .map_err(|()| Error::Config("base_url cannot be a base".into()))?;
            segments.pop_if_empty();
            for segment in &call.segments {
                segments.push(segment);
            }
        }
        if !call.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &call.query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    async fn attempt(&self, call: &Call) -> Result<Answer, Error> {
        let url = self.url(call)?;
        let mut request = self
            .http
            .request(call.method.clone(), url)
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::USER_AGENT, &self.user_agent);
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        let mut minted: Option<SecretString> = None;
        let key_headers = match &call.auth {
            Auth::Jwt => {
                let token = self.mint_jwt();
                request = request.header(
                    http::header::AUTHORIZATION,
                    format!("Bearer {}", token.expose_secret()),
                );
                minted = Some(token);
                true
            }
            Auth::Bearer(token) => {
                request = request.header(
                    http::header::AUTHORIZATION,
                    format!("Bearer {}", token.expose_secret()),
                );
                true
            }
            Auth::ClientKey => true,
            Auth::None => false,
        };
        if key_headers {
            request = request.header(
                self.header_style.client_key_header(),
                self.credentials.portone_key(),
            );
            if let Some(sub) = self.credentials.sub_merchant_key() {
                request = request.header(self.header_style.sub_merchant_key_header(), sub);
            }
        }
        if let Some(body) = &call.body {
            tracing::debug!(body = %scrub::excerpt(body, &self.known_secrets(minted.as_ref())), "request body");
            request = request
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let idempotent = call.idempotency == Idempotency::Idempotent;
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => return Err(self.transport_error(call.operation, idempotent, err)),
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(err) => {
                return Err(Error::Ambiguous {
                    operation: call.operation,
                    reason: format!("the answer (HTTP {status}) was cut off"),
                    status: Some(status),
                    provider_code: None,
                    idempotent,
                    source: Some(err.without_url()),
                });
            }
        };
        tracing::debug!(
            %status,
            body = %scrub::excerpt(&body, &self.known_secrets(minted.as_ref())),
            "answer"
        );
        if status.is_success() {
            return Ok(Answer {
                status,
                body: body.to_vec(),
            });
        }
        Err(self.error_answer(
            call.operation,
            idempotent,
            status,
            &headers,
            &body,
            minted.as_ref(),
        ))
    }

    fn transport_error(
        &self,
        operation: &'static str,
        idempotent: bool,
        err: reqwest::Error,
    ) -> Error {
        let err = err.without_url();
        if err.is_connect() || err.is_builder() {
            return Error::Transport {
                operation,
                source: err,
            };
        }
        let reason = if err.is_timeout() {
            "timed out"
        } else {
            "the connection failed after the request was sent"
        };
        Error::Ambiguous {
            operation,
            reason: reason.to_owned(),
            status: None,
            provider_code: None,
            idempotent,
            source: Some(err),
        }
    }

    /// The error for a non-2xx answer.
    fn error_answer(
        &self,
        operation: &'static str,
        idempotent: bool,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        minted: Option<&SecretString>,
    ) -> Error {
        let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
        if status.is_server_error() && !idempotent {
            return Error::Ambiguous {
                operation,
                reason: format!("HTTP {status}"),
                status: Some(status),
                provider_code: parsed.status_code.map(|c| c.as_str().to_owned()),
                idempotent,
                source: None,
            };
        }
        self.provider_error(operation, idempotent, status, headers, body, parsed, minted)
    }

    #[allow(clippy::too_many_arguments)]
    fn provider_error(
        &self,
        operation: &'static str,
        idempotent: bool,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        parsed: ErrorBody,
        minted: Option<&SecretString>,
    ) -> Error {
        let known = self.known_secrets(minted);
        // Seconds, or an HTTP date (compared with the client's clock).
        let retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let v = v.trim();
                v.parse::<u64>().ok().map(Duration::from_secs).or_else(|| {
                    httpdate::parse_http_date(v)
                        .ok()
                        .map(|at| at.duration_since(self.now()).unwrap_or(Duration::ZERO))
                })
            });
        Error::Provider(Box::new(ProviderError {
            operation,
            status,
            code: parsed.status_code,
            reason: parsed.status_reason,
            message: parsed.message.map(|m| scrub::scrub_text(&m, &known)),
            body: scrub::excerpt(body, &known),
            retry_after,
            idempotent,
        }))
    }

    /// A 2xx answer whose body reports a failure (`is_success: false`, or a 4xxx–8xxx
    /// `status_code`) becomes a provider error.
    pub(crate) fn check_success(
        &self,
        operation: &'static str,
        idempotent: bool,
        answer: &Answer,
    ) -> Result<(), Error> {
        let Ok(parsed) = serde_json::from_slice::<ErrorBody>(&answer.body) else {
            return Ok(());
        };
        let failed_code = parsed.status_code.as_ref().is_some_and(|c| {
            !matches!(
                c.class(),
                CodeClass::Success | CodeClass::Pending | CodeClass::Unknown
            )
        });
        if parsed.is_success == Some(false) || failed_code {
            return Err(self.provider_error(
                operation,
                idempotent,
                answer.status,
                &HeaderMap::new(),
                &answer.body,
                parsed,
                None,
            ));
        }
        Ok(())
    }

    /// Decodes a 2xx answer, naming the failing field.
    pub(crate) fn decode<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        answer: &Answer,
    ) -> Result<T, Error> {
        let mut de = serde_json::Deserializer::from_slice(&answer.body);
        let result = serde_path_to_error::deserialize::<_, T>(&mut de)
            .map_err(|err| (err.path().to_string(), err.into_inner()))
            .and_then(|value| de.end().map(|()| value).map_err(|e| (".".to_owned(), e)));
        result.map_err(|(path, inner)| {
            let known = self.known_secrets(None);
            let message = if answer.body.iter().all(u8::is_ascii_whitespace) {
                "the body is empty".to_owned()
            } else if inner.is_eof() {
                format!("the body is truncated ({inner})")
            } else if inner.is_syntax() {
                format!("the body is not JSON ({inner})")
            } else {
                inner.to_string()
            };
            Error::Decode(Box::new(DecodeError {
                operation,
                status: answer.status,
                path,
                message: scrub::scrub_text(&message, &known),
                excerpt: scrub::excerpt(&answer.body, &known),
            }))
        })
    }

    pub(crate) fn known_secrets<'a>(&'a self, minted: Option<&'a SecretString>) -> Vec<&'a str> {
        let mut known = vec![
            self.credentials.secret_key().expose_secret(),
            self.credentials.portone_key(),
        ];
        if let Some(sub) = self.credentials.sub_merchant_key() {
            known.push(sub);
        }
        if let Some(token) = minted {
            known.push(token.expose_secret());
        }
        known
    }
}
