//! PortOne (api.portone.cloud) authentication and signatures.
//!
//! * **JWT**: HS256, header `{"alg":"HS256","typ":"JWT"}`, claims `exp`, `iat`, `iss`, `sub`
//!   (in that order, no whitespace), key = the secret string's UTF-8 bytes (not hex-decoded).
//! * **`signature_hash`**: the fields of a payment request, redirect or webhook, sorted by key and
//!   encoded exactly like Go's `url.Values.Encode` (see [`form_encode`]), then
//!   `base64(HMAC-SHA256(secret, message))` with the standard alphabet and padding.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::digest::{constant_time_eq, hmac_sha256, hmac_sha256_base64};

/// The claims of a PortOne merchant JWT.
///
/// ```
/// let claims = payments_signing::portone::JwtClaims {
///     iss: "PORTONE",
///     sub: "sjcrvcbVYkFobHlx",
///     iat: 1_724_302_051,
///     exp: 1_724_323_651,
/// };
/// assert_eq!(claims.exp - claims.iat, 21_600);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JwtClaims<'a> {
    /// Issuer: `"PORTONE"` (legacy accounts: `"CHAIPAY"`).
    pub iss: &'a str,
    /// Subject: the PortOne key (the public merchant key).
    pub sub: &'a str,
    /// Issued at, Unix seconds.
    pub iat: u64,
    /// Expires at, Unix seconds.
    pub exp: u64,
}

const JWT_HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// Mints an HS256 JWT for `claims`, keyed with the UTF-8 bytes of `secret`.
///
/// ```
/// use payments_signing::portone::{jwt_hs256, JwtClaims};
/// // PortOne's published auth-token example.
/// let token = jwt_hs256(
///     "6cd264c70ec38d41a5dc2662e98c72bac58d3afc5bb4e80debbe3a976a0dc4eb",
///     &JwtClaims { iss: "PORTONE", sub: "sjcrvcbVYkFobHlx", iat: 1_724_302_051, exp: 1_724_323_651 },
/// );
/// assert!(token.ends_with(".-A7y_JSRNbST9wIE26xd-oq0vLsQ-PavhHyxSts0glY"));
/// ```
pub fn jwt_hs256(secret: &str, claims: &JwtClaims<'_>) -> String {
    let payload = format!(
        r#"{{"exp":{},"iat":{},"iss":{},"sub":{}}}"#,
        claims.exp,
        claims.iat,
        json_string(claims.iss),
        json_string(claims.sub)
    );
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(JWT_HEADER),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = hmac_sha256(secret.as_bytes(), signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// Checks an HS256 JWT's signature in constant time and returns its decoded payload (the claims
/// JSON) when it verifies. The header must declare `HS256`. Expiry is **not** checked here: the
/// caller compares the claims with its own clock.
///
/// ```
/// use payments_signing::portone::{jwt_hs256, verify_jwt_hs256, JwtClaims};
/// let claims = JwtClaims { iss: "PORTONE", sub: "key", iat: 1, exp: 101 };
/// let token = jwt_hs256("secret", &claims);
/// let payload = verify_jwt_hs256("secret", &token).expect("valid");
/// assert_eq!(payload, br#"{"exp":101,"iat":1,"iss":"PORTONE","sub":"key"}"#);
/// assert!(verify_jwt_hs256("other", &token).is_none());
/// ```
pub fn verify_jwt_hs256(secret: &str, token: &str) -> Option<Vec<u8>> {
    let mut parts = token.trim().split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let expected = hmac_sha256(secret.as_bytes(), format!("{header}.{payload}").as_bytes());
    let received = URL_SAFE_NO_PAD.decode(signature).ok()?;
    if !constant_time_eq(&expected, &received) {
        return None;
    }
    let header = URL_SAFE_NO_PAD.decode(header).ok()?;
    let header = String::from_utf8(header).ok()?;
    let compact: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.contains(r#""alg":"HS256""#) {
        return None;
    }
    URL_SAFE_NO_PAD.decode(payload).ok()
}

/// Escapes `value` exactly like Go's `url.QueryEscape`: ASCII letters, digits and `-_.~` are
/// kept, a space becomes `+`, every other byte of the UTF-8 encoding becomes upper-case `%XX`.
///
/// ```
/// use payments_signing::portone::query_escape;
/// assert_eq!(query_escape("https://x.io/a b"), "https%3A%2F%2Fx.io%2Fa+b");
/// assert_eq!(query_escape("x y~!*'()"), "x+y~%21%2A%27%28%29");
/// ```
pub fn query_escape(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
    out
}

/// Encodes `pairs` like Go's `url.Values.Encode`: sorted by key (byte order; values of one key
/// keep their order), `key=value` with both sides [`query_escape`]d, joined by `&`.
///
/// ```
/// use payments_signing::portone::form_encode;
/// assert_eq!(
///     form_encode([("status", "Success"), ("order_ref", "a b")]),
///     "order_ref=a+b&status=Success"
/// );
/// ```
pub fn form_encode<I, K, V>(pairs: I) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut entries: Vec<(K, V)> = pairs.into_iter().collect();
    entries.sort_by(|(a, _), (b, _)| a.as_ref().as_bytes().cmp(b.as_ref().as_bytes()));
    let mut out = String::new();
    for (key, value) in &entries {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&query_escape(key.as_ref()));
        out.push('=');
        out.push_str(&query_escape(value.as_ref()));
    }
    out
}

/// The `signature_hash` of a set of fields: `base64(HMAC-SHA256(secret, form_encode(fields)))`.
///
/// ```
/// use payments_signing::portone::signature_hash;
/// let hash = signature_hash("PORTONE_SECRET", [
///     ("channel_order_ref", "pi_3KyTl5Jrbhj1WB8Z017xJS9i"),
///     ("merchant_order_ref", "MERCHANT1617366877238"),
///     ("order_ref", "2937z05mrtN17ZYigwZhfKdqEGQ"),
///     ("status", "Success"),
/// ]);
/// assert_eq!(hash, "XhSOYiIW1aUFfVRi3zpYQOuVX3MNKlKY/Rhy3rSlEHs=");
/// ```
pub fn signature_hash<I, K, V>(secret: &str, fields: I) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    hmac_sha256_base64(secret.as_bytes(), form_encode(fields).as_bytes())
}

/// Verifies a received `signature_hash` over `fields` in constant time.
///
/// ```
/// use payments_signing::portone::{signature_hash, verify_signature_hash};
/// let fields = [("order_ref", "o1"), ("status", "Success")];
/// let hash = signature_hash("secret", fields);
/// assert!(verify_signature_hash("secret", fields, &hash));
/// assert!(!verify_signature_hash("secret", [("order_ref", "o1"), ("status", "Failed")], &hash));
/// ```
pub fn verify_signature_hash<I, K, V>(secret: &str, fields: I, signature: &str) -> bool
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    constant_time_eq(
        signature_hash(secret, fields).as_bytes(),
        signature.trim().as_bytes(),
    )
}

/// Renders a decimal number (as written in JSON: `100.00`, `19010.20`, `1e3`) in the shortest
/// plain form PortOne signs: no exponent, no trailing fractional zeros, no trailing point, no
/// leading zeros (`100`, `19010.2`, `1000`). `None` when `number` is not a JSON number or would
/// expand to more than 64 digits.
///
/// This matches Go's `strconv.FormatFloat(x, 'f', -1, 64)` for every amount that a `float64`
/// represents exactly in its shortest form, i.e. every realistic amount.
///
/// ```
/// use payments_signing::portone::canonical_amount;
/// assert_eq!(canonical_amount("100.00").as_deref(), Some("100"));
/// assert_eq!(canonical_amount("19010.20").as_deref(), Some("19010.2"));
/// assert_eq!(canonical_amount("100.25").as_deref(), Some("100.25"));
/// assert_eq!(canonical_amount("5e2").as_deref(), Some("500"));
/// assert_eq!(canonical_amount("abc"), None);
/// ```
pub fn canonical_amount(number: &str) -> Option<String> {
    let s = number.trim();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => {
            let exp_text = &s[i + 1..];
            let exp_digits = exp_text.strip_prefix(['+', '-']).unwrap_or(exp_text);
            if exp_digits.is_empty()
                || exp_digits.len() > 4
                || !exp_digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            (&s[..i], exp_text.parse::<i32>().ok()?)
        }
        None => (s, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => {
            if f.is_empty() {
                return None;
            }
            (i, f)
        }
        None => (mantissa, ""),
    };
    if int_part.is_empty()
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
        || (int_part.len() > 1 && int_part.starts_with('0'))
    {
        return None;
    }
    // digits × 10^(point_position - digits.len())
    let digits: String = format!("{int_part}{frac_part}");
    let point = i64::try_from(int_part.len()).ok()? + i64::from(exponent);
    let len = i64::try_from(digits.len()).ok()?;
    if !(-64..=64).contains(&point) || len > 64 {
        return None;
    }
    let (int_digits, frac_digits) = if point <= 0 {
        let zeros = "0".repeat(usize::try_from(-point).ok()?);
        (String::from("0"), format!("{zeros}{digits}"))
    } else if point >= len {
        let zeros = "0".repeat(usize::try_from(point - len).ok()?);
        (format!("{digits}{zeros}"), String::new())
    } else {
        let split = usize::try_from(point).ok()?;
        (digits[..split].to_owned(), digits[split..].to_owned())
    };
    let int_digits = int_digits.trim_start_matches('0');
    let int_digits = if int_digits.is_empty() {
        "0"
    } else {
        int_digits
    };
    let frac_digits = frac_digits.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(int_digits == "0" && frac_digits.is_empty()) {
        out.push('-');
    }
    out.push_str(int_digits);
    if !frac_digits.is_empty() {
        out.push('.');
        out.push_str(frac_digits);
    }
    Some(out)
}

/// A JSON string literal for `value` (quotes included).
fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE_A_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3MjQzMjM2NTEsImlhdCI6MTcyNDMwMjA1MSwiaXNzIjoiUE9SVE9ORSIsInN1YiI6InNqY3J2Y2JWWWtGb2JIbHgifQ.-A7y_JSRNbST9wIE26xd-oq0vLsQ-PavhHyxSts0glY";
    const EXAMPLE_A_SECRET: &str =
        "6cd264c70ec38d41a5dc2662e98c72bac58d3afc5bb4e80debbe3a976a0dc4eb";

    fn example_a_claims() -> JwtClaims<'static> {
        JwtClaims {
            iss: "PORTONE",
            sub: "sjcrvcbVYkFobHlx",
            iat: 1_724_302_051,
            exp: 1_724_323_651,
        }
    }

    #[test]
    fn auth_token_example_reproduces_byte_exactly() {
        assert_eq!(
            jwt_hs256(EXAMPLE_A_SECRET, &example_a_claims()),
            EXAMPLE_A_TOKEN
        );
        assert!(verify_jwt_hs256(EXAMPLE_A_SECRET, EXAMPLE_A_TOKEN).is_some());
    }

    #[test]
    fn jwt_changes_break_verification() {
        assert!(verify_jwt_hs256(&EXAMPLE_A_SECRET[1..], EXAMPLE_A_TOKEN).is_none());
        let other = JwtClaims {
            exp: 1_724_323_652,
            ..example_a_claims()
        };
        assert_ne!(jwt_hs256(EXAMPLE_A_SECRET, &other), EXAMPLE_A_TOKEN);
        // Swap the payload of the token for another one: the signature no longer matches.
        let forged = jwt_hs256("attacker", &other);
        let (_, forged_payload_and_sig) = forged.split_once('.').expect("three parts");
        let (forged_payload, _) = forged_payload_and_sig.split_once('.').expect("three parts");
        let original_sig = EXAMPLE_A_TOKEN.rsplit('.').next().expect("signature");
        let spliced =
            format!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{forged_payload}.{original_sig}");
        assert!(verify_jwt_hs256(EXAMPLE_A_SECRET, &spliced).is_none());
        for garbage in ["", ".", "..", "a.b.c", "a.b.c.d", &"x".repeat(10_000)] {
            assert!(verify_jwt_hs256(EXAMPLE_A_SECRET, garbage).is_none());
        }
    }

    #[test]
    fn jwt_with_a_non_hs256_header_is_refused() {
        // alg "none" with a signature computed over it must still be refused.
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(r#"{"sub":"x"}"#);
        let sig =
            URL_SAFE_NO_PAD.encode(hmac_sha256(b"k", format!("{header}.{payload}").as_bytes()));
        assert!(verify_jwt_hs256("k", &format!("{header}.{payload}.{sig}")).is_none());
    }

    #[test]
    fn claims_are_json_escaped() {
        let token = jwt_hs256(
            "s",
            &JwtClaims {
                iss: "PORTONE",
                sub: "a\"b\\c\n",
                iat: 0,
                exp: 1,
            },
        );
        let payload = verify_jwt_hs256("s", &token).expect("verifies");
        assert_eq!(
            String::from_utf8(payload).expect("utf-8"),
            r#"{"exp":1,"iat":0,"iss":"PORTONE","sub":"a\"b\\c\n"}"#
        );
    }

    #[test]
    fn payment_request_vector_amount_100_reproduces() {
        let fields = [
            ("amount", "100"),
            ("client_key", "PORTONE_KEY"),
            ("currency", "USD"),
            ("failure_url", "https://checkout.portone.cloud/failure.html"),
            ("merchant_order_id", "MERCHANT1617366877238"),
            ("success_url", "https://checkout.portone.cloud/success.html"),
        ];
        assert_eq!(
            form_encode(fields),
            "amount=100&client_key=PORTONE_KEY&currency=USD&failure_url=https%3A%2F%2Fcheckout.portone.cloud%2Ffailure.html&merchant_order_id=MERCHANT1617366877238&success_url=https%3A%2F%2Fcheckout.portone.cloud%2Fsuccess.html"
        );
        assert_eq!(
            signature_hash("PORTONE_SECRET", fields),
            "uQbYqEZATKovbG/cAEI67OOgHDxrqRSoE3UcQ5D27mU="
        );
        // The amount is signed in its shortest form: 100.00 must be rendered "100".
        let amount = canonical_amount("100.00").expect("number");
        let mut shuffled = fields;
        shuffled.reverse();
        shuffled[5] = ("amount", &amount);
        assert_eq!(
            signature_hash("PORTONE_SECRET", shuffled),
            "uQbYqEZATKovbG/cAEI67OOgHDxrqRSoE3UcQ5D27mU="
        );
    }

    #[test]
    fn redirect_vector_reproduces_and_tampering_fails() {
        let fields = [
            ("channel_order_ref", "pi_3KyTl5Jrbhj1WB8Z017xJS9i"),
            ("merchant_order_ref", "MERCHANT1617366877238"),
            ("order_ref", "2937z05mrtN17ZYigwZhfKdqEGQ"),
            ("status", "Success"),
        ];
        let expected = "XhSOYiIW1aUFfVRi3zpYQOuVX3MNKlKY/Rhy3rSlEHs=";
        assert!(verify_signature_hash("PORTONE_SECRET", fields, expected));
        for i in 0..fields.len() {
            let mut changed = fields;
            let value = format!("{}x", fields[i].1);
            changed[i].1 = &value;
            assert!(!verify_signature_hash("PORTONE_SECRET", changed, expected));
        }
        assert!(!verify_signature_hash("PORTONE_SECRETX", fields, expected));
        assert!(!verify_signature_hash("PORTONE_SECRET", fields, ""));
    }

    #[test]
    fn query_escape_matches_go_for_every_ascii_byte() {
        // Independent table: Go keeps only [A-Za-z0-9-_.~], maps ' ' to '+', escapes the rest.
        for b in 0u8..=127 {
            let s = char::from(b).to_string();
            let expected = if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                s.clone()
            } else if b == b' ' {
                "+".to_owned()
            } else {
                format!("%{b:02X}")
            };
            assert_eq!(query_escape(&s), expected, "byte {b}");
        }
        assert_eq!(query_escape("테"), "%ED%85%8C");
        assert_eq!(
            query_escape("Payletter Credit Card"),
            "Payletter+Credit+Card"
        );
    }

    #[test]
    fn canonical_amount_edge_cases() {
        let cases = [
            ("0", Some("0")),
            ("0.0", Some("0")),
            ("-0", Some("0")),
            ("50010.00", Some("50010")),
            ("100.10", Some("100.1")),
            ("0.5", Some("0.5")),
            ("1.5e1", Some("15")),
            ("15e-1", Some("1.5")),
            ("1E+2", Some("100")),
            ("-12.340", Some("-12.34")),
            ("1e21", Some("1000000000000000000000")),
            ("", None),
            ("01", None),
            ("1.", None),
            (".5", None),
            ("1e", None),
            ("1e99999", None),
            ("NaN", None),
            ("1,5", None),
        ];
        for (input, expected) in cases {
            assert_eq!(canonical_amount(input).as_deref(), expected, "{input:?}");
        }
    }
}
