//! Sending one call: the exact request (authentication headers, body), retries for idempotent
//! calls, a bounded read of the answer, and classification of failures.

use std::time::Duration;

use backon::{ExponentialBuilder, Retryable as _};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use tracing::Instrument as _;

use crate::client::Inner;
use crate::decode::{self, Context, Op, Raw};
use crate::error::Error;
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

/// One call to PortOne.
pub(crate) struct Call {
    pub(crate) op: Op,
    pub(crate) method: Method,
    /// Path segments, each percent-encoded when the URL is built.
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) auth: Auth,
}

/// The request a call sends, and the token minted for it (to scrub it from what comes back).
pub(crate) struct Prepared {
    pub(crate) request: http::Request<Vec<u8>>,
    pub(crate) minted: Option<SecretString>,
}

/// A 2xx answer, read in full.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) minted: Option<SecretString>,
}

impl Answer {
    pub(crate) fn raw(&self) -> Raw<'_> {
        Raw {
            status: self.status,
            headers: &self.headers,
            body: &self.body,
        }
    }
}

fn header_value(value: &str, sensitive: bool) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::Config("a credential or the user agent is not a valid header value".into())
    })?;
    value.set_sensitive(sensitive);
    Ok(value)
}

impl Inner {
    /// Sends `call`, retrying idempotent calls, and returns the 2xx answer.
    pub(crate) async fn send(&self, call: Call) -> Result<Answer, Error> {
        let span = tracing::info_span!(
            "portone",
            operation = call.op.name,
            method = %call.method,
            environment = self.environment.as_str(),
        );
        async {
            let result = if call.op.idempotent && self.max_retries > 0 {
                let backoff = ExponentialBuilder::default()
                    .with_min_delay(self.retry_min_delay)
                    .with_max_delay(self.retry_max_delay)
                    .with_max_times(self.max_retries as usize)
                    .with_jitter();
                (|| self.attempt(&call))
                    .retry(backoff)
                    .when(Error::is_retryable)
                    .adjust(|err, delay| match err.retry_after() {
                        Some(after) if after > MAX_RETRY_AFTER => None,
                        Some(after) => Some(after),
                        None => delay,
                    })
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

    /// The exact request `call` sends now: method, URL, headers (a JWT freshly minted from the
    /// client's clock), body. Every attempt of [`Inner::send`] sends what this returns.
    pub(crate) fn prepare(&self, call: &Call) -> Result<Prepared, Error> {
        let url = self.url(call)?;
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(
            http::header::USER_AGENT,
            header_value(&self.user_agent, false)?,
        );
        let mut minted: Option<SecretString> = None;
        let key_headers = match &call.auth {
            Auth::Jwt => {
                let token = self.mint_jwt();
                headers.insert(
                    http::header::AUTHORIZATION,
                    header_value(&format!("Bearer {}", token.expose_secret()), true)?,
                );
                minted = Some(token);
                true
            }
            Auth::Bearer(token) => {
                headers.insert(
                    http::header::AUTHORIZATION,
                    header_value(&format!("Bearer {}", token.expose_secret()), true)?,
                );
                true
            }
            Auth::ClientKey => true,
            Auth::None => false,
        };
        if key_headers {
            headers.insert(
                self.header_style.client_key_header(),
                header_value(self.credentials.portone_key(), true)?,
            );
            if let Some(sub) = self.credentials.sub_merchant_key() {
                headers.insert(
                    self.header_style.sub_merchant_key_header(),
                    header_value(sub, true)?,
                );
            }
        }
        if call.body.is_some() {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        let mut request = http::Request::new(call.body.clone().unwrap_or_default());
        *request.method_mut() = call.method.clone();
        *request.uri_mut() = url
            .as_str()
            .parse()
            .map_err(|_| Error::Config("the request URL is not a valid URI".into()))?;
        *request.headers_mut() = headers;
        Ok(Prepared { request, minted })
    }

    /// The decoding context: the credentials and the minted token to scrub by value.
    pub(crate) fn context<'a>(&'a self, minted: Option<&'a SecretString>) -> Context<'a> {
        Context {
            known: self.known_secrets(minted),
            now: self.now(),
        }
    }

    async fn attempt(&self, call: &Call) -> Result<Answer, Error> {
        let op = call.op;
        let Prepared { request, minted } = self.prepare(call)?;
        let (parts, body) = request.into_parts();
        if call.body.is_some() {
            tracing::debug!(body = %scrub::excerpt(&body, &self.known_secrets(minted.as_ref())), "request body");
        }
        let url = reqwest::Url::parse(&parts.uri.to_string())
            .map_err(|e| Error::Config(format!("the request URL does not parse: {e}")))?;
        let mut request = reqwest::Request::new(parts.method, url);
        *request.headers_mut() = parts.headers;
        if call.body.is_some() {
            *request.body_mut() = Some(body.into());
        }
        *request.timeout_mut() = self.timeout;
        let response = match self.http.execute(request).await {
            Ok(response) => response,
            Err(err) => return Err(self.transport_error(op, err)),
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = self.read_body(op, response).await?;
        let answer = Answer {
            status,
            headers,
            body,
            minted,
        };
        tracing::debug!(
            %status,
            body = %scrub::excerpt(&answer.body, &self.known_secrets(answer.minted.as_ref())),
            "answer"
        );
        decode::error_for_status(op, &self.context(answer.minted.as_ref()), answer.raw())?;
        Ok(answer)
    }

    /// Reads the body, refusing one larger than `max_response_bytes` as soon as that is known:
    /// from `Content-Length`, or while reading, without buffering the rest.
    async fn read_body(&self, op: Op, mut response: reqwest::Response) -> Result<Vec<u8>, Error> {
        let status = response.status();
        let limit = self.max_response_bytes;
        let declared = response.content_length();
        let too_large = || Error::ResponseTooLarge {
            operation: op.name,
            status,
            limit,
            declared,
            idempotent: op.idempotent,
        };
        if declared.is_some_and(|len| len > limit as u64) {
            return Err(too_large());
        }
        let capacity = declared.map_or(0, |len| usize::try_from(len).unwrap_or(limit));
        let mut body = Vec::with_capacity(capacity.min(limit));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if chunk.len() > limit - body.len() {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(err) => {
                    let reason = if err.is_timeout() {
                        format!("the answer (HTTP {status}) timed out while being read")
                    } else {
                        format!("the answer (HTTP {status}) was cut off")
                    };
                    return Err(Error::Ambiguous {
                        operation: op.name,
                        reason,
                        status: Some(status),
                        provider_code: None,
                        idempotent: op.idempotent,
                        source: Some(err.without_url()),
                    });
                }
            }
        }
    }

    fn transport_error(&self, op: Op, err: reqwest::Error) -> Error {
        let err = err.without_url();
        if err.is_connect() || err.is_builder() {
            return Error::Transport {
                operation: op.name,
                source: err,
            };
        }
        let reason = if err.is_timeout() {
            "timed out"
        } else {
            "the connection failed after the request was sent"
        };
        Error::Ambiguous {
            operation: op.name,
            reason: reason.to_owned(),
            status: None,
            provider_code: None,
            idempotent: op.idempotent,
            source: Some(err),
        }
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
