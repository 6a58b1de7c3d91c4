//! The demo's readable, scrubbed transcript.

use std::fmt::Write as _;

use super::proxy::Exchange;
use super::scrub::Scrubber;

/// Request headers worth showing (the rest is transport noise).
const SHOWN_REQUEST_HEADERS: [&str; 14] = [
    "authorization",
    "content-type",
    "date",
    "x-date",
    "x-signature",
    "idempotency-key",
    "x-portone-client-key",
    "x-portone-submerchant-key",
    "x-request-id",
    "x-merchant-id",
    "x-merchant-secret",
    "x-submerchant-id",
    "webhook-id",
    "user-agent",
];

/// Response headers worth showing.
const SHOWN_RESPONSE_HEADERS: [&str; 3] = ["content-type", "idempotent-replayed", "retry-after"];

/// What one provider's flow printed, scrubbed as it was written.
#[derive(Debug)]
pub(crate) struct Transcript {
    scrubber: Scrubber,
    text: String,
    steps: usize,
}

impl Transcript {
    pub(crate) fn new(scrubber: Scrubber) -> Self {
        Transcript {
            scrubber,
            text: String::new(),
            steps: 0,
        }
    }

    /// Starts a numbered step.
    pub(crate) fn step(&mut self, title: &str) {
        self.steps += 1;
        let title = self.scrubber.text(title);
        let _ = writeln!(self.text, "\n  [{}] {title}", self.steps);
    }

    /// A line of commentary under the current step.
    pub(crate) fn note(&mut self, line: &str) {
        for l in self.scrubber.text(line).lines() {
            let _ = writeln!(self.text, "      {l}");
        }
    }

    /// A body (JSON pretty-printed) under the current step.
    pub(crate) fn body(&mut self, label: &str, body: &[u8]) {
        let _ = writeln!(self.text, "      {label}");
        for l in self.scrubber.body(body).lines() {
            let _ = writeln!(self.text, "        {l}");
        }
    }

    /// Everything the proxy saw since the last call.
    pub(crate) fn exchanges(&mut self, exchanges: &[Exchange]) {
        for exchange in exchanges {
            let path = self.scrubber.text(&exchange.path);
            let _ = writeln!(self.text, "      → {} {path}", exchange.method);
            for (name, value) in &exchange.request_headers {
                if SHOWN_REQUEST_HEADERS.contains(&name.as_str()) {
                    let shown = self.scrubber.header(name, value);
                    let _ = writeln!(self.text, "        {name}: {shown}");
                }
            }
            for l in self.scrubber.body(&exchange.request_body).lines() {
                let _ = writeln!(self.text, "        {l}");
            }
            let _ = writeln!(self.text, "      ← {}", exchange.status);
            for (name, value) in &exchange.response_headers {
                if SHOWN_RESPONSE_HEADERS.contains(&name.as_str()) {
                    let shown = self.scrubber.header(name, value);
                    let _ = writeln!(self.text, "        {name}: {shown}");
                }
            }
            for l in self.scrubber.body(&exchange.response_body).lines() {
                let _ = writeln!(self.text, "        {l}");
            }
        }
    }

    /// The scrubber this transcript applies.
    pub(crate) fn scrubber(&self) -> &Scrubber {
        &self.scrubber
    }

    /// The transcript so far.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn exchanges_are_shown_scrubbed() {
        let mut transcript = Transcript::new(Scrubber::new(["my-api-key", "s3cr3t-value"]));
        transcript.step("debit with my-api-key");
        transcript.exchanges(&[Exchange {
            method: "POST".to_owned(),
            path: "/api/v3/transaction/my-api-key/debit".to_owned(),
            request_headers: vec![
                ("authorization".to_owned(), "Basic dXNlcjpwYXNz".to_owned()),
                ("x-signature".to_owned(), "abc".to_owned()),
                ("accept-encoding".to_owned(), "gzip".to_owned()),
            ],
            request_body: Bytes::from_static(
                br#"{"amount":"9.99","card":{"pan":"4111111111111111","cvv":"123"},"note":"s3cr3t-value"}"#,
            ),
            status: 200,
            response_headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            response_body: Bytes::from_static(br#"{"success":true}"#),
        }]);
        let text = transcript.text();
        assert!(text.contains("[1] debit with [REDACTED]"));
        assert!(text.contains("→ POST /api/v3/transaction/[REDACTED]/debit"));
        assert!(text.contains("authorization: Basic [REDACTED]"));
        assert!(text.contains("x-signature: abc"));
        assert!(!text.contains("accept-encoding"));
        assert!(!text.contains("4111111111111111"));
        assert!(!text.contains("\"123\""));
        assert!(!text.contains("s3cr3t-value"));
        assert!(text.contains("← 200"));
        assert!(text.contains("\"success\": true"));
    }
}
