//! Inbound notifications ("callbacks"): verify, then parse; acknowledge; sign (for tests).
//!
//! The gateway signs every notification like a request — `X-Signature` over the method, the
//! raw body, the `Content-Type`, the `Date` (or `X-Date`) and the request URI including its
//! query — with the connector's shared secret. [`Verifier::verify`] recomputes it over the
//! **raw** request, in constant time, rejects dates outside a tolerance (default 60 s), and
//! only then parses the body into a [`Notification`].
//!
//! Answer a notification you have durably processed with [`acknowledge`] (HTTP 200, body
//! `OK`); anything else makes the gateway retry (after 1, 5, 15, 60, 120, 180 and 720 minutes,
//! then daily for 7 days). Answer rejected notifications with an error status (e.g. 400).
//!
//! ```
//! use cardflo_client::webhook::{self, Verifier};
//! use cardflo_client::model::NotificationKind;
//! use cardflo_client::SecretString;
//! use std::time::{Duration, SystemTime};
//!
//! let secret = SecretString::from("my-shared-secret");
//! // What the gateway would send (in your tests: a documented example, signed).
//! let body = br#"{"result":"OK","uuid":"abcde12345abcde12345","merchantTransactionId":"2019-09-02-0007","transactionType":"DEBIT","amount":"9.99","currency":"EUR"}"#;
//! let request = webhook::sign_notification(&secret, "/callback?order=1001", body.to_vec(), SystemTime::now())?;
//!
//! // In your handler:
//! let verifier = Verifier::new(secret).tolerance(Duration::from_secs(60));
//! let notification = verifier.verify(&request)?;
//! assert_eq!(notification.kind(), NotificationKind::Success);
//! let response = webhook::acknowledge();
//! assert_eq!(*response.body(), "OK");
//! # Ok::<(), cardflo_client::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use payments_signing::ixopay::{self, BodyDigest, SignatureInput};
use secrecy::{ExposeSecret, SecretString};

use crate::auth::CONTENT_TYPE;
use crate::error::{Error, WebhookError};
pub use crate::model::{Notification, NotificationKind};
use crate::scrub;

/// The default tolerance between the signed date and now.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(60);

/// The body that acknowledges a notification.
pub const ACKNOWLEDGEMENT: &str = "OK";

/// Verifies and parses inbound notifications. Build it once; it is cheap to clone.
#[derive(Clone)]
pub struct Verifier {
    shared_secret: SecretString,
    tolerance: Duration,
    accept_md5: bool,
    clock: Arc<dyn Fn() -> SystemTime + Send + Sync>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("shared_secret", &"[REDACTED]")
            .field("tolerance", &self.tolerance)
            .field("accept_md5", &self.accept_md5)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier for notifications signed with the connector's shared secret.
    pub fn new(shared_secret: SecretString) -> Self {
        Self {
            shared_secret,
            tolerance: DEFAULT_TOLERANCE,
            accept_md5: false,
            clock: Arc::new(SystemTime::now),
        }
    }

    /// How far the signed date may be from now, in either direction (default 60 s).
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Also accept the legacy signature with an MD5 body digest. Only enable it when your
    /// connector's "Postback Format Version" makes the gateway send legacy signatures.
    #[must_use]
    pub fn accept_legacy_md5(mut self, accept: bool) -> Self {
        self.accept_md5 = accept;
        self
    }

    /// The clock the signed date is compared with.
    #[must_use]
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Verifies the request's signature and date, then parses its body: the main entry point.
    ///
    /// The request URI is taken from `request.uri()` (path and query; an absolute URI is
    /// fine). Behind a proxy that rewrites paths, pass the URI the gateway called. Nothing is
    /// parsed before the signature and the date are verified.
    pub fn verify<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
    ) -> Result<Notification, Error> {
        self.verify_parts(
            request.method(),
            &uri_of(request.uri()),
            request.headers(),
            request.body().as_ref(),
        )
    }

    /// [`verify`](Self::verify) from the raw parts of the inbound request, for frameworks that
    /// do not hand you an `http::Request`: the method, the request URI as the gateway called
    /// it (`/notify?order=1001`, path and query; an absolute URL is fine), the headers and the
    /// raw body bytes. [`verify`](Self::verify) runs exactly this.
    ///
    /// ```
    /// use cardflo_client::SecretString;
    /// use cardflo_client::webhook::{Verifier, sign_notification};
    /// use std::time::SystemTime;
    ///
    /// let secret = SecretString::from("my-shared-secret");
    /// let body = br#"{"result":"OK","uuid":"abcde12345abcde12345","transactionType":"DEBIT"}"#.to_vec();
    /// let signed = sign_notification(&secret, "/notify?order=1001", body, SystemTime::now())?;
    ///
    /// let verifier = Verifier::new(secret);
    /// let notification = verifier.verify_parts(
    ///     signed.method(),
    ///     "/notify?order=1001",
    ///     signed.headers(),
    ///     signed.body(),
    /// )?;
    /// assert_eq!(notification.uuid.as_deref(), Some("abcde12345abcde12345"));
    /// assert!(verifier.verify_parts(signed.method(), "/notify?order=1002", signed.headers(), signed.body()).is_err());
    /// # Ok::<(), cardflo_client::Error>(())
    /// ```
    pub fn verify_parts(
        &self,
        method: &http::Method,
        request_uri: &str,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Notification, Error> {
        let result = self
            .check(method, request_uri, headers, body)
            .and_then(|()| parse(body));
        if let Err(e) = &result {
            tracing::warn!(error = %e, "notification rejected");
        }
        result
    }

    /// Verifies the signature and date only, without parsing the body.
    pub fn verify_signature<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
    ) -> Result<(), Error> {
        self.check(
            request.method(),
            &uri_of(request.uri()),
            request.headers(),
            request.body().as_ref(),
        )
    }

    fn check(
        &self,
        method: &http::Method,
        request_uri: &str,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<(), Error> {
        let signature =
            header(headers, "x-signature")?.ok_or(WebhookError::MissingHeader("X-Signature"))?;
        let content_type = header(headers, "content-type")?.unwrap_or(CONTENT_TYPE);
        let dates: Vec<&str> = [header(headers, "x-date")?, header(headers, "date")?]
            .into_iter()
            .flatten()
            .collect();
        if dates.is_empty() {
            return Err(WebhookError::MissingHeader("Date").into());
        }
        let request_uri = ixopay::request_uri(request_uri);
        let accepted: &[BodyDigest] = if self.accept_md5 {
            &[BodyDigest::Sha512, BodyDigest::Md5]
        } else {
            &[BodyDigest::Sha512]
        };
        // The gateway signs the date it sends; try each date header (X-Date first).
        let signed_date = dates.into_iter().find(|date| {
            ixopay::verify(
                self.shared_secret.expose_secret(),
                &SignatureInput {
                    method: method.as_str(),
                    body,
                    content_type,
                    date,
                    request_uri: &request_uri,
                },
                signature,
                accepted,
            )
        });
        let Some(signed_date) = signed_date else {
            return Err(WebhookError::InvalidSignature.into());
        };
        let signed_at = payments_signing::http::parse_http_date(signed_date)
            .map_err(|_| WebhookError::InvalidDate)?;
        let now = (self.clock)();
        if !payments_signing::http::within_tolerance(signed_at, now, self.tolerance) {
            let skew = match now.duration_since(signed_at) {
                Ok(past) => past,
                Err(future) => future.duration(),
            };
            return Err(WebhookError::OutsideTolerance {
                skew_seconds: skew.as_secs(),
                tolerance_seconds: self.tolerance.as_secs(),
            }
            .into());
        }
        Ok(())
    }
}

/// The request URI (path and query) of an `http::Uri`.
fn uri_of(uri: &http::Uri) -> String {
    match uri.path_and_query() {
        Some(pq) => pq.as_str().to_owned(),
        None => "/".to_owned(),
    }
}

fn header<'a>(
    headers: &'a http::HeaderMap,
    name: &'static str,
) -> Result<Option<&'a str>, WebhookError> {
    match headers.get(name) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(Some)
            .map_err(|_| WebhookError::InvalidHeader(name)),
    }
}

/// Parses a notification body **without verifying it**. Use [`Verifier::verify`] for anything
/// that arrives over the network; this is for bodies you already trust (e.g. stored ones).
/// The verifier runs this after a successful verification. Whatever the bytes, it returns an
/// error rather than panicking (JSON nested deeper than 128 levels included).
///
/// ```
/// use cardflo_client::webhook::{NotificationKind, parse};
/// let notification = parse(br#"{"result":"ERROR","uuid":"abcde12345abcde12345","code":"2003"}"#)?;
/// assert_eq!(notification.kind(), NotificationKind::Error);
/// assert!(parse(b"[[[[").is_err());
/// # Ok::<(), cardflo_client::Error>(())
/// ```
pub fn parse(body: &[u8]) -> Result<Notification, Error> {
    let fail = |path: String, message: String| -> Error {
        WebhookError::Payload {
            path,
            message: scrub::text(&message),
            body_excerpt: scrub::excerpt(body),
        }
        .into()
    };
    crate::de::check_depth(body)
        .map_err(|offset| fail(".".to_owned(), crate::de::too_deep_message(offset)))?;
    // Nothing but whitespace may follow the notification.
    crate::de::from_slice_with_path(body).map_err(|(path, message)| fail(path, message))
}

/// The answer that acknowledges a notification: HTTP 200 with the body `OK`. Send it only
/// after the notification is durably processed.
pub fn acknowledge() -> http::Response<&'static str> {
    let mut response = http::Response::new(ACKNOWLEDGEMENT);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Builds a notification request signed like the gateway signs them, for testing your handler:
/// `POST uri` with `Content-Type`, `Date`, `X-Date` (from `date`) and `X-Signature`.
///
/// ```
/// use cardflo_client::webhook::{sign_notification, Verifier};
/// use cardflo_client::SecretString;
/// use std::time::SystemTime;
///
/// let secret = SecretString::from("s3cr3t");
/// let request = sign_notification(&secret, "/notify?shop=7", br#"{"result":"ERROR","code":"2016"}"#.to_vec(), SystemTime::now())?;
/// assert!(request.headers().contains_key("x-signature"));
/// assert!(Verifier::new(secret).verify(&request).is_ok());
/// # Ok::<(), cardflo_client::Error>(())
/// ```
pub fn sign_notification(
    shared_secret: &SecretString,
    uri: &str,
    body: Vec<u8>,
    date: SystemTime,
) -> Result<http::Request<Vec<u8>>, Error> {
    let date = payments_signing::http::format_http_date(date);
    let parsed: http::Uri = uri
        .parse()
        .map_err(|_| Error::invalid_request("uri", "is not a valid request URI"))?;
    let request_uri = match parsed.path_and_query() {
        Some(pq) => ixopay::request_uri(pq.as_str()),
        None => "/".to_owned(),
    };
    let signature = ixopay::sign(
        shared_secret.expose_secret(),
        &SignatureInput {
            method: "POST",
            body: &body,
            content_type: CONTENT_TYPE,
            date: &date,
            request_uri: &request_uri,
        },
    );
    http::Request::builder()
        .method(http::Method::POST)
        .uri(parsed)
        .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
        .header(http::header::DATE, &date)
        .header("X-Date", &date)
        .header("X-Signature", signature)
        .body(body)
        .map_err(|_| Error::invalid_request("uri", "is not a valid request URI"))
}
