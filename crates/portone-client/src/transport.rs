//! Sending one call: the exact request (authentication headers, body), retries for idempotent
//! calls, a bounded read of the answer, and classification of failures.

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::Arc;
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
    pub(crate) segments: Vec<Cow<'static, str>>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) auth: Auth,
}

/// A token minted for a call, shared with the client's cache of the token of the current second.
pub(crate) type Minted = Arc<SecretString>;

/// Everything a call sends but its body: built by one function for both [`Inner::prepare`]
/// and [`Inner::send`].
struct Head {
    method: Method,
    /// The request URL, built once per attempt.
    url: url::Url,
    /// The same URL as an `http::Uri` (what [`Inner::prepare`] returns).
    uri: http::Uri,
    headers: HeaderMap,
    minted: Option<Minted>,
}

/// A 2xx answer, read in full.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) minted: Option<Minted>,
}

/// The exact strings to scrub from what comes back: the credentials and the minted token.
/// At most four, kept inline (no allocation); dereferences to a slice.
#[derive(Clone, Copy)]
pub(crate) struct Known<'a> {
    items: [&'a str; 4],
    len: usize,
}

impl<'a> Known<'a> {
    /// Nothing known.
    pub(crate) const fn none() -> Self {
        Self {
            items: [""; 4],
            len: 0,
        }
    }

    fn push(&mut self, item: &'a str) {
        self.items[self.len] = item;
        self.len += 1;
    }
}

impl<'a> Deref for Known<'a> {
    type Target = [&'a str];

    fn deref(&self) -> &[&'a str] {
        &self.items[..self.len]
    }
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
    pub(crate) async fn send(&self, mut call: Call) -> Result<Answer, Error> {
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
                (|| self.attempt(&call, call.body.clone()))
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
                // Sent once: the body moves into the request without a copy.
                let body = call.body.take();
                self.attempt(&call, body).await
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

    /// Method, URL and headers of `call` now (a JWT for the client's clock); `has_body` says
    /// whether a JSON body goes with them.
    fn head(&self, call: &Call, has_body: bool) -> Result<Head, Error> {
        let url = self.url(call)?;
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(http::header::USER_AGENT, self.user_agent_header()?);
        let mut minted: Option<Minted> = None;
        let key_headers = match &call.auth {
            Auth::Jwt => {
                let (token, authorization) = self.current_jwt()?;
                headers.insert(http::header::AUTHORIZATION, authorization);
                minted = Some(token);
                true
            }
            Auth::Bearer(token) => {
                headers.insert(
                    http::header::AUTHORIZATION,
                    bearer_header(token.expose_secret())?,
                );
                true
            }
            Auth::ClientKey => true,
            Auth::None => false,
        };
        if key_headers {
            headers.insert(
                self.header_style.client_key_header_name(),
                self.client_key_header()?,
            );
            if let Some(sub) = self.sub_merchant_key_header()? {
                headers.insert(self.header_style.sub_merchant_key_header_name(), sub);
            }
        }
        if has_body {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        let uri = url
            .as_str()
            .parse()
            .map_err(|_| Error::Config("the request URL is not a valid URI".into()))?;
        Ok(Head {
            method: call.method.clone(),
            url,
            uri,
            headers,
            minted,
        })
    }

    /// The exact request `call` sends now: method, URL, headers (a JWT for the client's clock),
    /// body. Every attempt of [`Inner::send`] sends what this returns.
    pub(crate) fn prepare(&self, call: &Call) -> Result<http::Request<Vec<u8>>, Error> {
        let head = self.head(call, call.body.is_some())?;
        let mut request = http::Request::new(call.body.clone().unwrap_or_default());
        *request.method_mut() = head.method;
        *request.uri_mut() = head.uri;
        *request.headers_mut() = head.headers;
        Ok(request)
    }

    /// The decoding context: the credentials and the minted token to scrub by value.
    pub(crate) fn context<'a>(&'a self, minted: Option<&'a Minted>) -> Context<'a> {
        Context::new(self.known_secrets(minted), Some(self.clock()))
    }

    async fn attempt(&self, call: &Call, body: Option<Vec<u8>>) -> Result<Answer, Error> {
        let op = call.op;
        let Head {
            method,
            url,
            uri,
            headers,
            minted,
        } = self.head(call, body.is_some())?;
        if let Some(body) = &body {
            tracing::debug!(body = %scrub::excerpt(body, &self.known_secrets(minted.as_ref())), "request body");
        }
        let url = reqwest_url(url, &uri)?;
        let mut request = reqwest::Request::new(method, url);
        *request.headers_mut() = headers;
        if let Some(body) = body {
            *request.body_mut() = Some(body.into());
        }
        *request.timeout_mut() = self.timeout;
        let mut response = match self.http.execute(request).await {
            Ok(response) => response,
            Err(err) => return Err(self.transport_error(op, err)),
        };
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
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
        if !answer.status.is_success() {
            decode::error_for_status(op, &self.context(answer.minted.as_ref()), answer.raw())?;
        }
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

    pub(crate) fn known_secrets<'a>(&'a self, minted: Option<&'a Minted>) -> Known<'a> {
        let mut known = Known::none();
        known.push(self.credentials.secret_key().expose_secret());
        known.push(self.credentials.portone_key());
        if let Some(sub) = self.credentials.sub_merchant_key() {
            known.push(sub);
        }
        if let Some(token) = minted {
            known.push(token.expose_secret());
        }
        known
    }
}

/// `Authorization: Bearer <token>`, marked sensitive.
pub(crate) fn bearer_header(token: &str) -> Result<HeaderValue, Error> {
    let mut value = String::with_capacity("Bearer ".len() + token.len());
    value.push_str("Bearer ");
    value.push_str(token);
    header_value(&value, true)
}

/// The `reqwest` URL of a request whose `http::Uri` is `uri`, built from the same `url`.
///
/// This is `Url::parse(&uri.to_string())`: when `uri` prints exactly as `url` (scheme,
/// authority, path and query equal, no fragment), parsing that text gives `url` back, so `url`
/// is used as it is and only other URLs are parsed again.
fn reqwest_url(url: url::Url, uri: &http::Uri) -> Result<reqwest::Url, Error> {
    let same = url.fragment().is_none()
        && uri.scheme_str() == Some(url.scheme())
        && uri.authority().map(http::uri::Authority::as_str) == Some(url.authority())
        && uri.path() == url.path()
        && uri.query() == url.query();
    if same {
        return Ok(url);
    }
    reqwest::Url::parse(&uri.to_string())
        .map_err(|e| Error::Config(format!("the request URL does not parse: {e}")))
}

#[cfg(test)]
mod tests {
    use super::reqwest_url;

    #[test]
    fn the_reqwest_url_is_the_uri_parsed_again() {
        for text in [
            "https://api.portone.cloud/api/paymentLink",
            "http://127.0.0.1:8080/api/refund/a%20b?environment=sandbox",
            "http://user:pw@[::1]:9/x/y?a=1&b=%2F",
            "https://EXAMPLE.com./p%2e/..%2F?",
            "https://h.example/base/#fragment",
            "https://xn--bcher-kva.example/a?q=\u{e9}",
        ] {
            let url = url::Url::parse(text).expect("test value");
            let uri: http::Uri = url.as_str().parse().expect("test value");
            let slow = reqwest::Url::parse(&uri.to_string()).expect("test value");
            assert_eq!(reqwest_url(url, &uri).expect("test value"), slow, "{text}");
        }
    }
}
