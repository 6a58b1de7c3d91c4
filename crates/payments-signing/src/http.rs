//! HTTP helpers: Basic auth, RFC 7231 dates and timestamp tolerance.

use std::time::{Duration, SystemTime};

use crate::digest::base64_encode;

/// The value of an `Authorization` header for HTTP Basic authentication (RFC 7617):
/// `Basic base64(username ":" password)`.
///
/// ```
/// assert_eq!(
///     payments_signing::http::basic_auth("anyApiUser", "myPassword"),
///     "Basic YW55QXBpVXNlcjpteVBhc3N3b3Jk"
/// );
/// ```
pub fn basic_auth(username: &str, password: &str) -> String {
    let mut credentials = String::with_capacity(username.len() + password.len() + 1);
    credentials.push_str(username);
    credentials.push(':');
    credentials.push_str(password);
    format!("Basic {}", base64_encode(credentials.as_bytes()))
}

/// Formats `time` as an RFC 7231 IMF-fixdate (`Tue, 21 Jul 2020 13:15:03 GMT`), the form to
/// send in `Date` headers. Sub-second precision is dropped.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// let t = UNIX_EPOCH + Duration::from_secs(1_595_337_303);
/// assert_eq!(payments_signing::http::format_http_date(t), "Tue, 21 Jul 2020 13:15:03 GMT");
/// ```
pub fn format_http_date(time: SystemTime) -> String {
    httpdate::fmt_http_date(time)
}

/// An inbound date header could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an HTTP date: {reason}")]
pub struct DateParseError {
    reason: &'static str,
}

/// Parses an inbound date header leniently.
///
/// Accepts the RFC 7231 forms (IMF-fixdate, RFC 850, asctime) and the variants real gateways
/// and their SDKs send: a `UTC` suffix instead of `GMT` (the official IXOPAY PHP client) and a
/// day of month without zero padding (`Wed, 1 Jul 2020 …`, the official Java client).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use payments_signing::http::parse_http_date;
/// let expected = UNIX_EPOCH + Duration::from_secs(1_595_337_303);
/// assert_eq!(parse_http_date("Tue, 21 Jul 2020 13:15:03 GMT"), Ok(expected));
/// assert_eq!(parse_http_date("Tue, 21 Jul 2020 13:15:03 UTC"), Ok(expected));
/// assert!(parse_http_date("yesterday").is_err());
/// ```
pub fn parse_http_date(value: &str) -> Result<SystemTime, DateParseError> {
    let trimmed = value.trim();
    if trimmed.len() > 64 {
        return Err(DateParseError { reason: "too long" });
    }
    let mut normalised = match trimmed.strip_suffix(" UTC") {
        Some(rest) => format!("{rest} GMT"),
        None => trimmed.to_owned(),
    };
    // IMF-fixdate with a one-digit day: "Wed, 1 Jul 2020 13:15:03 GMT".
    if let Some((weekday, rest)) = normalised.split_once(", ") {
        let day_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        if day_len == 1 && weekday.len() == 3 {
            normalised = format!("{weekday}, 0{rest}");
        }
    }
    httpdate::parse_http_date(&normalised).map_err(|_| DateParseError {
        reason: "unrecognised format or out of range",
    })
}

/// Whether `signed_at` lies within `tolerance` of `now`, in either direction.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use payments_signing::http::within_tolerance;
/// let now = UNIX_EPOCH + Duration::from_secs(1_000);
/// let tolerance = Duration::from_secs(60);
/// assert!(within_tolerance(now - Duration::from_secs(60), now, tolerance));
/// assert!(within_tolerance(now + Duration::from_secs(30), now, tolerance));
/// assert!(!within_tolerance(now - Duration::from_secs(61), now, tolerance));
/// ```
pub fn within_tolerance(signed_at: SystemTime, now: SystemTime, tolerance: Duration) -> bool {
    let skew = match now.duration_since(signed_at) {
        Ok(past) => past,
        Err(future) => future.duration(),
    };
    skew <= tolerance
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn basic_auth_matches_the_documented_header() {
        assert_eq!(
            basic_auth("anyApiUser", "myPassword"),
            "Basic YW55QXBpVXNlcjpteVBhc3N3b3Jk"
        );
    }

    #[test]
    fn lenient_parsing_accepts_one_digit_days_and_utc() {
        // 2020-07-01T13:15:03Z
        let expected = at(1_593_609_303);
        assert_eq!(
            parse_http_date("Wed, 1 Jul 2020 13:15:03 GMT"),
            Ok(expected)
        );
        assert_eq!(
            parse_http_date("Wed, 01 Jul 2020 13:15:03 GMT"),
            Ok(expected)
        );
        assert_eq!(
            parse_http_date("Wed, 1 Jul 2020 13:15:03 UTC"),
            Ok(expected)
        );
        assert_eq!(
            parse_http_date("  Wed, 01 Jul 2020 13:15:03 UTC "),
            Ok(expected)
        );
    }

    #[test]
    fn garbage_dates_are_errors_not_panics() {
        for input in [
            "",
            ",",
            ", ",
            "Tue, 1",
            "Tue, 99 Jul 2020 13:15:03 GMT",
            "Tue, 21 Jul 2020 25:15:03 GMT",
            "Tue, 21 Jul 2020 13:15:03 CET",
            "\u{1F4B3}, 1 Jul 2020 13:15:03 GMT",
            "Tue, 21 Jul 2020 13:15:03 GMT GMT",
        ] {
            assert!(
                parse_http_date(input).is_err(),
                "{input:?} should not parse"
            );
        }
        assert!(parse_http_date(&"x".repeat(10_000)).is_err());
    }

    #[test]
    fn formatting_round_trips_through_parsing() {
        let t = at(1_777_389_820);
        let formatted = format_http_date(t);
        assert_eq!(formatted, "Tue, 28 Apr 2026 15:23:40 GMT");
        assert_eq!(parse_http_date(&formatted), Ok(t));
    }
}
