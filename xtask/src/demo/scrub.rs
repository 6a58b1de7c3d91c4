//! Scrubbing of transcripts: nothing secret or card-like leaves the demo.

/// What replaces a scrubbed value.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// Header names whose values are always hidden.
const SECRET_HEADERS: [&str; 6] = [
    "authorization",
    "x-merchant-secret",
    "x-api-key",
    "x-integration-help",
    "cookie",
    "set-cookie",
];

/// JSON keys (compared without case, `_` and `-`) whose values are always hidden.
const SECRET_KEYS: [&str; 17] = [
    "password",
    "secret",
    "clientsecret",
    "secretkey",
    "portonesecret",
    "sharedsecret",
    "accesstoken",
    "token",
    "jwttoken",
    "clienttoken",
    "cvv",
    "cvv2",
    "cvc",
    "cardnumber",
    "pan",
    "encryptedcard",
    "encryptedkey",
];

/// Hides known secret values, secret headers and fields, and anything that looks like a card
/// number.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scrubber {
    secrets: Vec<String>,
}

impl Scrubber {
    /// A scrubber that also hides each of `secrets` wherever it appears.
    pub(crate) fn new<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .map(Into::into)
            .filter(|s| s.len() >= 3)
            .collect();
        // Longest first, so a secret that contains another is hidden whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Scrubber { secrets }
    }

    /// The value to show for a header.
    pub(crate) fn header(&self, name: &str, value: &str) -> String {
        if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            let scheme = value.split_once(' ').map(|(scheme, _)| scheme);
            return match scheme {
                Some(scheme) if scheme.len() < 10 => format!("{scheme} {REDACTED}"),
                _ => REDACTED.to_owned(),
            };
        }
        self.text(value)
    }

    /// A body for display: JSON is pretty-printed with secret fields hidden; anything else is
    /// scrubbed as text.
    pub(crate) fn body(&self, body: &[u8]) -> String {
        if body.is_empty() {
            return String::new();
        }
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(mut value) => {
                self.json(&mut value);
                let pretty = serde_json::to_string_pretty(&value)
                    .unwrap_or_else(|_| String::from_utf8_lossy(body).into_owned());
                // Values inside JSON strings may still hold secrets or PANs.
                self.text(&pretty)
            }
            Err(_) => self.text(&String::from_utf8_lossy(body)),
        }
    }

    fn json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if is_secret_key(key) && !child.is_null() {
                        *child = serde_json::Value::String(REDACTED.to_owned());
                    } else {
                        self.json(child);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.json(v)),
            _ => {}
        }
    }

    /// Free text: known secrets and card-number-like digit runs are hidden.
    pub(crate) fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        mask_card_numbers(&out)
    }
}

fn is_secret_key(key: &str) -> bool {
    let folded: String = key
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_KEYS.contains(&folded.as_str())
}

/// Replaces every run of 13–19 digits (optionally grouped by single spaces or dashes) that passes
/// the Luhn check with its first six and last four digits around asterisks.
fn mask_card_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Collect a run of digits, allowing single separators between digits.
        let mut j = i;
        let mut digits = String::new();
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits.push(chars[j]);
                j += 1;
            } else if (chars[j] == ' ' || chars[j] == '-')
                && j + 1 < chars.len()
                && chars[j + 1].is_ascii_digit()
                && !digits.is_empty()
                && digits.len() < 19
            {
                j += 1;
            } else {
                break;
            }
        }
        if (13..=19).contains(&digits.len()) && luhn_valid(&digits) {
            out.push_str(&digits[..6]);
            out.push_str(&"*".repeat(digits.len() - 10));
            out.push_str(&digits[digits.len() - 4..]);
            i = j;
        } else {
            // Not a card number: copy the first character and continue scanning after it,
            // keeping the rest of the run intact.
            let end = chars[i..j]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count()
                .max(1);
            out.extend(&chars[i..i + end]);
            i += end;
        }
    }
    out
}

fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (index, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if index % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_are_masked_in_any_grouping() {
        let s = Scrubber::default();
        assert_eq!(
            s.text("card 4111111111111111 ok"),
            "card 411111******1111 ok"
        );
        assert_eq!(s.text("4242 4242 4242 4242"), "424242******4242");
        assert_eq!(s.text("5555-5555-5555-4444"), "555555******4444");
        // Not Luhn-valid, or too short: left alone (order ids, timestamps).
        assert_eq!(s.text("order 4111111111111112"), "order 4111111111111112");
        assert_eq!(s.text("ts 1614265330"), "ts 1614265330");
    }

    #[test]
    fn known_secrets_and_secret_fields_are_hidden() {
        let s = Scrubber::new(["sk_test_abcdef", "hunter2"]);
        let body = br#"{"key":"sk_test_abcdef","nested":{"cvv2":"123","Card_Number":"4111111111111111"},"note":"pw hunter2","cvc":null}"#;
        let shown = s.body(body);
        assert!(!shown.contains("sk_test_abcdef"));
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("\"123\""));
        assert!(!shown.contains("4111111111111111"));
        assert!(shown.contains("\"cvc\": null"));
        assert_eq!(
            s.header("Authorization", "Basic YW55QXBpVXNlcjpteVBhc3N3b3Jk"),
            "Basic [REDACTED]"
        );
        assert_eq!(s.header("X-Signature", "abc=="), "abc==");
    }
}
