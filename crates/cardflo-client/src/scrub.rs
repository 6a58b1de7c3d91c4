//! Scrubbing of bodies and messages before they go into errors or logs: values of sensitive
//! keys are replaced, card-number-like digit runs are masked, and excerpts are truncated.

use serde_json::Value;

/// The longest excerpt kept, in characters.
const MAX_EXCERPT_CHARS: usize = 512;
/// How much of a body or text is looked at: bounded work whatever the input's size.
const MAX_SCAN_BYTES: usize = 16 * 1024;
/// Characters beyond the excerpt that are masked along with it, so that a card number
/// straddling the cut is recognised whole (a maskable run is at most 37 characters).
const MASK_LOOKAHEAD_CHARS: usize = 64;

/// Keys whose values never leave the process (compared ignoring ASCII case).
const SENSITIVE_KEYS: &[&str] = &[
    "iban",
    "transactionToken",
    "nationalId",
    "password",
    "sharedSecret",
    "secret",
    "cardNumber",
    "pan",
    "cvv",
    "cvc",
    "cvv2",
    "sdkEncData",
    "email",
    "authorization",
    "x-signature",
];

const REDACTED: &str = "[REDACTED]";

fn is_sensitive(key: &str) -> bool {
    SENSITIVE_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// A scrubbed, truncated excerpt of a body for errors and logs. Only the first 16 KiB of the
/// body are looked at.
pub(crate) fn excerpt(body: &[u8]) -> String {
    if body.len() <= MAX_SCAN_BYTES
        && let Ok(mut value) = serde_json::from_slice::<Value>(body)
    {
        redact_value(&mut value);
        return mask_and_truncate(&value.to_string());
    }
    text(&String::from_utf8_lossy(
        &body[..body.len().min(MAX_SCAN_BYTES)],
    ))
}

/// Scrubs free text (an error message, a body that is not JSON) and truncates it. Only the
/// first 16 KiB are looked at.
pub(crate) fn text(input: &str) -> String {
    mask_and_truncate(&redact_json_like_text(prefix(input, MAX_SCAN_BYTES)))
}

/// The longest prefix of at most `max` bytes that ends on a character boundary.
fn prefix(input: &str, max: usize) -> &str {
    if input.len() <= max {
        return input;
    }
    let mut end = max;
    while !input.is_char_boundary(end) {
        end -= 1;
    }
    &input[..end]
}

/// Masks card numbers in the part that is kept, then truncates.
fn mask_and_truncate(s: &str) -> String {
    let scanned = match s
        .char_indices()
        .nth(MAX_EXCERPT_CHARS + MASK_LOOKAHEAD_CHARS)
    {
        Some((cut, _)) => &s[..cut],
        None => s,
    };
    truncate(
        &mask_card_numbers(scanned),
        s.chars().nth(MAX_EXCERPT_CHARS).is_some(),
    )
}

fn truncate(s: &str, longer: bool) -> String {
    match s.char_indices().nth(MAX_EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None if longer => format!("{s}…"),
        None => s.to_owned(),
    }
}

fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if is_sensitive(key) && !v.is_null() {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    redact_value(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

/// Replaces the string values of sensitive keys in text that looks like (possibly truncated)
/// JSON: `"iban": "AT12…"` becomes `"iban": "[REDACTED]"`.
fn redact_json_like_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        let after_quote = &rest[start + 1..];
        let Some(end) = after_quote.find('"') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = &after_quote[..end];
        out.push('"');
        out.push_str(key);
        out.push('"');
        rest = &after_quote[end + 1..];
        if !is_sensitive(key) {
            continue;
        }
        let trimmed = rest.trim_start();
        let Some(after_colon) = trimmed.strip_prefix(':') else {
            continue;
        };
        let value = after_colon.trim_start();
        out.push_str(&rest[..rest.len() - value.len()]);
        if let Some(string_body) = value.strip_prefix('"') {
            out.push('"');
            out.push_str(REDACTED);
            // Skip to the closing quote, honouring escapes; a truncated value is dropped.
            let mut escaped = false;
            let mut close = None;
            for (i, c) in string_body.char_indices() {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        close = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            match close {
                Some(i) => {
                    out.push('"');
                    rest = &string_body[i + 1..];
                }
                None => return out,
            }
        } else {
            // A bare value (number, literal): drop it up to the next delimiter.
            let end = value.find([',', '}', ']', '\n']).unwrap_or(value.len());
            out.push_str(REDACTED);
            rest = &value[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Masks runs of 13 to 19 digits (optionally grouped by single spaces or dashes) that pass the
/// Luhn check, keeping the last four digits: card numbers never survive in an excerpt.
fn mask_card_numbers(input: &str) -> String {
    let chars: Vec<char> = input.chars().collect();
    let mut out = String::with_capacity(input.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Extend the run: digits, with single separators between digits.
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                end = j + 1;
                j += 1;
            } else if (chars[j] == ' ' || chars[j] == '-')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)
            {
                j += 1;
            } else {
                break;
            }
        }
        let run = &chars[i..end];
        let digits: Vec<u32> = run.iter().filter_map(|c| c.to_digit(10)).collect();
        if (13..=19).contains(&digits.len()) && luhn(&digits) {
            let keep_from = digits.len() - 4;
            let mut seen = 0;
            for c in run {
                if c.is_ascii_digit() {
                    out.push(if seen < keep_from { '*' } else { *c });
                    seen += 1;
                } else {
                    out.push(*c);
                }
            }
        } else {
            out.extend(run.iter());
        }
        i = end;
    }
    out
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_are_masked_everywhere() {
        let masked = text("card 4111111111111111 and 4111 1111 1111 1111 and 5555-5555-5555-4444");
        assert!(!masked.contains("4111111111111111"));
        assert!(!masked.contains("4111 1111 1111 1111"));
        assert!(!masked.contains("5555-5555-5555-4444"));
        assert!(masked.contains("************1111"));
        assert!(masked.contains("****-****-****-4444"));
        // Not card numbers (they fail the Luhn check): ids, dates, amounts stay readable.
        let plain = "id 20190927-abcde12345abcde12345 at 2019-10-10T15:06:47Z amount 9.99 order 2019090200010001";
        assert_eq!(text(plain), plain);
    }

    #[test]
    fn sensitive_keys_are_redacted_in_json_and_in_broken_json() {
        let body = br#"{"customer":{"paymentData":{"ibanData":{"iban":"AT123456789012345678","bic":"ABC"}},"email":"john@example.com"},"transactionToken":"ix::tok","amount":"9.99"}"#;
        let out = excerpt(body);
        assert!(!out.contains("AT123456789012345678"), "{out}");
        assert!(!out.contains("john@example.com"), "{out}");
        assert!(!out.contains("ix::tok"), "{out}");
        assert!(out.contains(r#""bic":"ABC""#));
        assert!(out.contains(r#""amount":"9.99""#));

        let truncated = br#"{"iban" : "AT1234567890123456", "nationalId": 123123, "transactionToken": "ix::abc"#;
        let out = excerpt(truncated);
        assert!(!out.contains("AT1234567890123456"), "{out}");
        assert!(!out.contains("123123"), "{out}");
        assert!(!out.contains("ix::abc"), "{out}");
    }

    #[test]
    fn excerpts_are_bounded_and_never_panic() {
        let long = "é".repeat(10_000);
        let out = excerpt(long.as_bytes());
        assert!(out.chars().count() <= MAX_EXCERPT_CHARS + 1);
        for input in [
            &b""[..],
            b"\"",
            b"\"iban\"",
            b"\"iban\":",
            b"\"iban\": \"x\\",
            b"\xff\xfe",
            b"<html>502</html>",
        ] {
            let _ = excerpt(input);
        }
    }
}
