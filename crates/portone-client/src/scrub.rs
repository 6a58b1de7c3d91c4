//! Scrubbing of bodies before they appear in an error or a log line: known credentials, the
//! values of sensitive JSON/form fields, JWTs and card-number-like digit runs are replaced.

/// Field names whose values never leave the process in clear text (compared case-insensitively).
const SENSITIVE_FIELDS: &[&str] = &[
    "portone_secret",
    "secret",
    "secret_key",
    "portone_key",
    "chaipay_key",
    "chaipaykey",
    "client_key",
    "key",
    "token",
    "access_token",
    "card_token",
    "card_number",
    "cardnumber",
    "service_code",
    "cvv",
    "cvc",
    "otp",
    "authorization",
    "password",
    "public_key",
];

/// The longest excerpt kept, in characters.
const MAX_EXCERPT: usize = 512;

const REDACTED: &str = "[redacted]";

/// How much of a body is scrubbed for an excerpt: far more than the excerpt keeps, so the work
/// stays bounded however large the body is.
const WINDOW: usize = 8 * 1024;

/// Characters dropped from the end of a cut window (beyond the longest known secret): what a
/// secret, card number or token cut at the window's edge could leave unrecognised.
const TAIL_GUARD: usize = 64;

/// A scrubbed, bounded excerpt of `body`, safe for errors and logs.
///
/// `known` holds exact strings (credentials, minted tokens) to remove wherever they appear.
/// Only the first few kilobytes are looked at; when the body is longer, the end of that window
/// (where a secret may have been cut in two) is dropped as well.
pub(crate) fn excerpt(body: &[u8], known: &[&str]) -> String {
    let cut = body.len() > WINDOW;
    let window = &body[..body.len().min(WINDOW)];
    let text = String::from_utf8_lossy(window);
    let mut out = scrub_text(&text, known);
    let mut truncated = cut;
    if cut {
        let guard = TAIL_GUARD + known.iter().map(|k| k.chars().count()).max().unwrap_or(0);
        let keep = out.chars().count().saturating_sub(guard);
        out = out.chars().take(keep).collect();
    }
    if out.chars().count() > MAX_EXCERPT {
        out = out.chars().take(MAX_EXCERPT).collect::<String>();
        truncated = true;
    }
    if truncated {
        out.push('…');
    }
    out
}

/// Scrubs `text` without bounding its length.
pub(crate) fn scrub_text(text: &str, known: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in known {
        // Very short values would blank unrelated text; credentials are long.
        if secret.len() >= 6 {
            out = out.replace(secret, REDACTED);
        }
    }
    out = redact_json_fields(&out);
    out = redact_form_fields(&out);
    out = redact_jwts(&out);
    redact_digit_runs(&out)
}

fn is_sensitive(name: &str) -> bool {
    SENSITIVE_FIELDS
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name.trim()))
}

/// `"field": "value"` and `"field": 123` for sensitive fields.
fn redact_json_fields(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            let next = next_char_boundary(text, i);
            out.push_str(&text[i..next]);
            i = next;
            continue;
        }
        // A quoted string: find its end.
        let end = end_of_string(bytes, i + 1);
        let name = &text[i + 1..end.min(bytes.len())];
        let close = (end + 1).min(bytes.len());
        out.push_str(&text[i..close]);
        i = close;
        // Is it a key of a sensitive field?
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b':' && is_sensitive(name) {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            out.push_str(&text[i..j]);
            if j < bytes.len() && bytes[j] == b'"' {
                let value_end = end_of_string(bytes, j + 1);
                out.push('"');
                out.push_str(REDACTED);
                if value_end < bytes.len() {
                    out.push('"');
                }
                i = (value_end + 1).min(bytes.len());
            } else {
                // A bare value (number, literal): up to the next delimiter.
                let mut k = j;
                while k < bytes.len() && !matches!(bytes[k], b',' | b'}' | b']') {
                    k += 1;
                }
                if k > j {
                    out.push_str(REDACTED);
                }
                i = k;
            }
        }
    }
    out
}

/// Index of the closing quote of a JSON string whose content starts at `start` (or `len`).
fn end_of_string(bytes: &[u8], start: usize) -> usize {
    let mut k = start;
    while k < bytes.len() {
        match bytes[k] {
            b'\\' => k += 2,
            b'"' => return k,
            _ => k += 1,
        }
    }
    bytes.len()
}

fn next_char_boundary(text: &str, i: usize) -> usize {
    let mut n = i + 1;
    while n < text.len() && !text.is_char_boundary(n) {
        n += 1;
    }
    n
}

/// `field=value` pairs of a query string or form body for sensitive fields.
fn redact_form_fields(text: &str) -> String {
    if !text.contains('=') || text.trim_start().starts_with(['{', '[', '<']) {
        return text.to_owned();
    }
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_sensitive(name.rsplit(['?', '/']).next().unwrap_or(name)) => {
                format!("{name}={REDACTED}")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Anything shaped like a compact JWS (`eyJ….….…`).
fn redact_jwts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("eyJ") {
        out.push_str(&rest[..pos]);
        let candidate = &rest[pos..];
        let len = candidate
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            .count();
        let token = &candidate[..len];
        if token.matches('.').count() >= 2 {
            out.push_str("[jwt]");
        } else {
            out.push_str(token);
        }
        // `len >= 3`: "eyJ" itself is alphanumeric.
        rest = &candidate[len..];
    }
    out.push_str(rest);
    out
}

/// Runs of 13–19 digits (optionally split by single spaces or dashes) keep only their last four.
fn redact_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Extend over digits and single separators.
        let mut j = i;
        let mut digits = 0;
        let mut last_digit_end = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits += 1;
                j += 1;
                last_digit_end = j;
            } else if matches!(chars[j], ' ' | '-')
                && j + 1 < chars.len()
                && chars[j + 1].is_ascii_digit()
            {
                j += 1;
            } else {
                break;
            }
        }
        let followed_by_word =
            last_digit_end < chars.len() && chars[last_digit_end].is_ascii_alphabetic();
        if (13..=19).contains(&digits) && !followed_by_word {
            let run: String = chars[i..last_digit_end]
                .iter()
                .filter(|c| c.is_ascii_digit())
                .collect();
            out.push_str("[card …");
            out.push_str(&run[run.len() - 4..]);
            out.push(']');
        } else {
            out.extend(&chars[i..last_digit_end]);
        }
        i = last_digit_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_and_sensitive_fields_are_removed() {
        let body = br#"{"portone_key":"abcKEY123","portone_secret":"s3cr3t-value","card_number":"4242424242424242","amount":100,"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig","message":"key abcKEY123 not found"}"#;
        let out = excerpt(body, &["abcKEY123", "s3cr3t-value"]);
        assert!(!out.contains("abcKEY123"), "{out}");
        assert!(!out.contains("s3cr3t-value"), "{out}");
        assert!(!out.contains("4242424242424242"), "{out}");
        assert!(!out.contains("eyJhbGciOiJIUzI1NiJ9"), "{out}");
        assert!(out.contains(r#""amount":100"#), "{out}");
    }

    #[test]
    fn truncated_json_and_forms_are_scrubbed() {
        let out = excerpt(br#"{"otp":"123456","cvv":"12"#, &[]);
        assert!(!out.contains("123456"), "{out}");
        assert!(!out.contains(r#""12"#), "{out}");
        let out = excerpt(b"phone=%2B84&otp=654321&environment=sandbox", &[]);
        assert_eq!(out, "phone=%2B84&otp=[redacted]&environment=sandbox");
    }

    #[test]
    fn card_like_digit_runs_keep_their_last_four() {
        assert_eq!(
            scrub_text("card 4242 4242 4242 4242 ok", &[]),
            "card [card …4242] ok"
        );
        assert_eq!(scrub_text("order 2000", &[]), "order 2000");
        assert_eq!(scrub_text("+919876543210", &[]), "+919876543210");
    }

    #[test]
    fn a_secret_cut_at_the_window_edge_does_not_leak() {
        let secret = "s3cr3t-value-0123456789";
        // Content that scrubbing shrinks to almost nothing, then the secret across the edge.
        for k in 1..secret.len() {
            // The secret starts `k` bytes before the edge of the window.
            let mut body = format!(r#"{{"token":"{}","#, "x".repeat(WINDOW - k - 22));
            body.push_str(&"y".repeat(10));
            assert_eq!(body.len(), WINDOW - k);
            body.push_str(secret);
            body.push_str(&"z".repeat(100));
            let out = excerpt(body.as_bytes(), &[secret]);
            assert!(!out.contains(&secret[..6]), "{out}");
        }
        // A card number across the edge.
        let mut body = "a ".repeat(WINDOW / 2 - 5);
        body.push_str("4242424242424242 and more");
        let out = excerpt(body.as_bytes(), &[]);
        assert!(!out.contains("424242"), "{out}");
    }

    #[test]
    fn long_bodies_are_bounded_and_non_utf8_is_tolerated() {
        let long = "x".repeat(5_000);
        assert!(excerpt(long.as_bytes(), &[]).chars().count() <= MAX_EXCERPT + 1);
        let out = excerpt(&[0xff, 0xfe, b'<', b'h'], &[]);
        assert!(out.ends_with("<h"));
    }
}
