//! Masks card numbers, CVCs, tokens and secrets in bodies before they reach an error or a log.

use serde_json::Value;

/// Keys whose values are removed entirely.
const SECRET_KEYS: &[&str] = &[
    "cvc",
    "cvv",
    "accesstoken",
    "encryptedcard",
    "encryptedkey",
    "ciphertext",
    "clientsecret",
    "x-merchant-secret",
    "secret",
    "password",
];

/// Keys whose values keep only their last four characters.
const PARTIAL_KEYS: &[&str] = &["token", "number", "accountnumber"];

const EXCERPT_CHARS: usize = 512;

/// A scrubbed, shortened excerpt of `body` for errors.
pub(crate) fn excerpt(body: &[u8]) -> String {
    truncate(&scrub(body), EXCERPT_CHARS)
}

/// The whole body, scrubbed (for trace-level logs).
pub(crate) fn scrub(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            scrub_value(&mut value, None);
            value.to_string()
        }
        Err(_) => mask_text(&String::from_utf8_lossy(body)),
    }
}

fn scrub_value(value: &mut Value, key: Option<&str>) {
    let key_lower = key.map(str::to_ascii_lowercase);
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                scrub_value(v, Some(k));
            }
        }
        Value::Array(items) => {
            for item in items {
                scrub_value(item, key);
            }
        }
        Value::String(s) => {
            if let Some(k) = key_lower.as_deref() {
                if SECRET_KEYS.contains(&k) {
                    if !s.is_empty() {
                        *s = "[REDACTED]".to_owned();
                    }
                    return;
                }
                if PARTIAL_KEYS.contains(&k) {
                    *s = keep_last4(s);
                    return;
                }
            }
            *s = mask_text(s);
        }
        Value::Number(n) => {
            if let Some(k) = key_lower.as_deref()
                && (SECRET_KEYS.contains(&k) || PARTIAL_KEYS.contains(&k))
            {
                *value = Value::String(keep_last4(&n.to_string()));
            } else if looks_like_pan(&n.to_string()) {
                *value = Value::String(keep_last4(&n.to_string()));
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
}

fn keep_last4(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 4 {
        return s.to_owned();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("****{tail}")
}

fn looks_like_pan(s: &str) -> bool {
    (12..=19).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `chars` is a UUID in its hyphenated form (8-4-4-4-12 hex digits).
fn is_uuid(chars: &[char]) -> bool {
    chars.len() == 36
        && chars.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Masks runs of 12–19 digits (card numbers, possibly with spaces or dashes between groups)
/// and `Bearer` tokens in free text.
pub(crate) fn mask_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(uuid) = chars.get(i..i + 36).filter(|c| is_uuid(c)) {
            // Session, customer and request ids: a UUID's last group can be twelve digits,
            // which is no card number.
            out.extend(uuid);
            i += 36;
            continue;
        }
        if chars[i].is_ascii_digit() {
            // A run of digits, allowing single spaces or dashes between groups.
            let start = i;
            let mut end = i;
            let mut digits = 0;
            let mut j = i;
            while j < chars.len() {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    end = j + 1;
                    j += 1;
                } else if (chars[j] == ' ' || chars[j] == '-')
                    && j + 1 < chars.len()
                    && chars[j + 1].is_ascii_digit()
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let run: String = chars[start..end].iter().collect();
            if (12..=19).contains(&digits) {
                let only_digits: String = run.chars().filter(char::is_ascii_digit).collect();
                out.push_str(&keep_last4(&only_digits));
            } else {
                out.push_str(&run);
            }
            i = end;
            continue;
        }
        if let Some(end) = cvc_value_at(&chars, i) {
            // `cvc=123`, `CVV: 1234`, `"cvc":"123"` in free text: keep the label, drop the code.
            let label_end = end.0;
            out.extend(&chars[i..label_end]);
            out.push_str("[REDACTED]");
            i = end.1;
            continue;
        }
        if text_at(&chars, i, "Bearer ") {
            out.push_str("Bearer [REDACTED]");
            i += "Bearer ".len();
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
                i += 1;
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// At `i`, a `cvc`/`cvv` label followed by `=` or `:` and a 3–4 digit code: the index where
/// the code starts and where it ends.
fn cvc_value_at(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let label: String = chars
        .get(i..i + 3)?
        .iter()
        .collect::<String>()
        .to_ascii_lowercase();
    if label != "cvc" && label != "cvv" {
        return None;
    }
    if i > 0 && chars[i - 1].is_ascii_alphanumeric() {
        return None;
    }
    let mut j = i + 3;
    if chars.get(j) == Some(&'2') {
        j += 1;
    }
    let mut separator = false;
    while let Some(c) = chars.get(j) {
        match c {
            '=' | ':' => separator = true,
            ' ' | '"' | '\'' => {}
            _ => break,
        }
        j += 1;
    }
    if !separator {
        return None;
    }
    let start = j;
    while chars.get(j).is_some_and(char::is_ascii_digit) {
        j += 1;
    }
    if (3..=4).contains(&(j - start)) && !chars.get(j).is_some_and(char::is_ascii_digit) {
        Some((start, j))
    } else {
        None
    }
}

fn text_at(chars: &[char], i: usize, needle: &str) -> bool {
    needle
        .chars()
        .enumerate()
        .all(|(k, c)| chars.get(i + k) == Some(&c))
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_with_an_all_digit_last_group_are_not_card_numbers() {
        let id = "de39498a-2b0d-43b4-bd3a-123456785219";
        assert_eq!(
            mask_text(&format!("customer {id}")),
            format!("customer {id}")
        );
        // A card number beside it is still masked.
        let masked = mask_text(&format!("{id} 4440000112200001"));
        assert!(masked.starts_with(id));
        assert!(!masked.contains("4440000112200001"));
    }

    #[test]
    fn card_data_and_secrets_never_survive() {
        let body = br#"{"paymentMethod":{"card":{"number":"4440000112200001","cvc":"123","token":"020027de-134e-45ed-8f0d-7ae0506a7133","encryptedCard":"eyJhYmMiOiJ4In0="}},"data":{"accessToken":"eyJhbGciOi.payload.sig"},"note":"card 4440 0001 1220 0001 declined"}"#;
        let scrubbed = scrub(body);
        for secret in [
            "4440000112200001",
            "4440 0001 1220 0001",
            "\"123\"",
            "020027de-134e-45ed-8f0d",
            "eyJhYmMiOiJ4In0=",
            "eyJhbGciOi",
        ] {
            assert!(!scrubbed.contains(secret), "{secret} survived: {scrubbed}");
        }
        assert!(scrubbed.contains("****0001"));
        assert!(scrubbed.contains("****7133"));
    }

    #[test]
    fn html_pages_are_masked_and_shortened() {
        let page = format!(
            "<html><body>502 Bad Gateway 5550000112230001 Authorization: Bearer abc.def{}</body></html>",
            "x".repeat(2000)
        );
        let excerpt = excerpt(page.as_bytes());
        assert!(!excerpt.contains("5550000112230001"));
        assert!(!excerpt.contains("abc.def"));
        assert!(excerpt.contains("502 Bad Gateway"));
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1);
    }

    #[test]
    fn codes_labelled_as_cvc_in_free_text_are_removed() {
        let masked = mask_text(r#"declined: CVC=987, cvv2: 1234, {"cvc":"321"} cvcode=5"#);
        for code in ["987", "1234", "321"] {
            assert!(!masked.contains(code), "{masked}");
        }
        assert!(masked.contains("cvcode=5"));
    }

    #[test]
    fn ordinary_numbers_stay_readable() {
        assert_eq!(
            mask_text("amount 10000 IDR on 2025-06-24"),
            "amount 10000 IDR on 2025-06-24"
        );
    }
}
