//! Removes credentials from text that ends up in errors and logs.
//!
//! Moment's API never needs to echo a key, but error pages, proxies and misconfigured gateways
//! do; a body excerpt is scrubbed before it is stored in an error or logged.

/// Prefixes of Moment credentials (secret and publishable keys, webhook secrets).
const KEY_PREFIXES: [&str; 3] = ["sk_", "pk_", "whsec_"];

/// JSON members whose string values are credentials.
const SECRET_MEMBERS: [&str; 2] = ["\"client_token\"", "\"secret\""];

/// Whether a JSON member of this name holds a credential.
pub(crate) fn is_secret_member(name: &str) -> bool {
    SECRET_MEMBERS
        .iter()
        .any(|quoted| quoted.trim_matches('"').eq_ignore_ascii_case(name))
}

/// The longest excerpt kept from a body, in bytes.
const EXCERPT_LEN: usize = 512;

const REDACTED: &str = "[REDACTED]";

/// Replaces keys (`sk_…`, `pk_…`, `whsec_…`), bearer tokens and the values of credential
/// members (`"client_token": "…"`) with `[REDACTED]`.
pub(crate) fn scrub(text: &str) -> String {
    let text = redact_member_values(text);
    let text = redact_after(&text, "Bearer ");
    redact_keys(&text)
}

/// The scrubbed start of a body, as text (invalid UTF-8 replaced), cut at 512 bytes.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let scrubbed = scrub(text.trim());
    if scrubbed.len() <= EXCERPT_LEN {
        return scrubbed;
    }
    let mut end = EXCERPT_LEN;
    while !scrubbed.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &scrubbed[..end])
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn redact_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut previous: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        let at_boundary = previous.is_none_or(|p| !is_token_char(p));
        let key_len = if at_boundary {
            KEY_PREFIXES
                .iter()
                .find(|prefix| rest.starts_with(**prefix))
                .map(|prefix| {
                    let body: usize = rest[prefix.len()..]
                        .chars()
                        .take_while(|c| is_token_char(*c) || *c == '+' || *c == '/' || *c == '=')
                        .map(char::len_utf8)
                        .sum();
                    (prefix.len(), body)
                })
                .filter(|(_, body)| *body > 0)
                .map(|(prefix, body)| prefix + body)
        } else {
            None
        };
        match key_len {
            Some(len) => {
                out.push_str(REDACTED);
                previous = rest[..len].chars().last();
                rest = &rest[len..];
            }
            None => {
                out.push(c);
                previous = Some(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Redacts the word following each `marker` (e.g. the token after `Bearer `).
fn redact_after(text: &str, marker: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let start = at + marker.len();
        out.push_str(&rest[..start]);
        let token_len: usize = rest[start..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .map(char::len_utf8)
            .sum();
        if token_len > 0 {
            out.push_str(REDACTED);
        }
        rest = &rest[start + token_len..];
    }
    out.push_str(rest);
    out
}

/// Redacts the string values of the credential members of a JSON text (also a truncated one).
fn redact_member_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = SECRET_MEMBERS
            .iter()
            .filter_map(|member| rest.find(member).map(|at| (at, member.len())))
            .min();
        let Some((at, member_len)) = next else {
            break;
        };
        let after_member = at + member_len;
        out.push_str(&rest[..after_member]);
        rest = &rest[after_member..];
        // `: "value"` — copy the separator, then skip the string's content.
        let separator_len = rest
            .find(|c: char| c != ':' && !c.is_whitespace())
            .unwrap_or(rest.len());
        if !rest[..separator_len].contains(':') || !rest[separator_len..].starts_with('"') {
            continue;
        }
        out.push_str(&rest[..=separator_len]);
        rest = &rest[separator_len + 1..];
        let mut end = rest.len();
        let mut escaped = false;
        for (i, c) in rest.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        out.push_str(REDACTED);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_redacted_at_word_boundaries_only() {
        assert_eq!(
            scrub("invalid key sk_test_4eC39HqLyjWDarjtT1zdp7dc given"),
            "invalid key [REDACTED] given"
        );
        assert_eq!(
            scrub("pk_live_abc, whsec_MfKQ9r8+/="),
            "[REDACTED], [REDACTED]"
        );
        assert_eq!(scrub("task_id desk_2 sk_"), "task_id desk_2 sk_");
    }

    #[test]
    fn bearer_tokens_and_client_tokens_are_redacted() {
        assert_eq!(
            scrub("Authorization: Bearer abc.def-ghi next"),
            "Authorization: Bearer [REDACTED] next"
        );
        assert_eq!(
            scrub(r#"{"id":"ps_1","client_token": "ct_\"x\"y","amount":1}"#),
            r#"{"id":"ps_1","client_token": "[REDACTED]","amount":1}"#
        );
        // A truncated body still loses the token.
        assert_eq!(
            scrub(r#"{"client_token":"ct_secret_to"#),
            r#"{"client_token":"[REDACTED]"#
        );
        assert_eq!(
            scrub(r#"{"client_token":null}"#),
            r#"{"client_token":null}"#
        );
    }

    #[test]
    fn excerpts_are_cut_on_a_char_boundary() {
        let body = "é".repeat(400);
        let cut = excerpt(body.as_bytes());
        assert!(cut.ends_with('…'));
        assert!(cut.len() <= EXCERPT_LEN + '…'.len_utf8());
        assert_eq!(excerpt(b"  {}  "), "{}");
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }
}
