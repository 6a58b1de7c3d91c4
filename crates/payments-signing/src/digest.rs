//! Digests, MACs and constant-time comparison.
//!
//! Hex output is always lower-case; base64 output is the standard alphabet with `=` padding,
//! which is what every provider in this workspace expects.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};
use subtle::ConstantTimeEq;

/// Lower-case hexadecimal encoding of `bytes`.
///
/// ```
/// assert_eq!(payments_signing::digest::hex(&[0x00, 0xab, 0xff]), "00abff");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Lower-case hex SHA-512 of `data`.
///
/// ```
/// assert!(payments_signing::digest::sha512_hex(b"").starts_with("cf83e1357eefb8bd"));
/// ```
pub fn sha512_hex(data: &[u8]) -> String {
    hex(&Sha512::digest(data))
}

/// Lower-case hex SHA-1 of `data`.
///
/// ```
/// assert_eq!(
///     payments_signing::digest::sha1_hex(b"abc"),
///     "a9993e364706816aba3e25717850c26c9cd0d89d"
/// );
/// ```
pub fn sha1_hex(data: &[u8]) -> String {
    hex(&Sha1::digest(data))
}

/// Lower-case hex MD5 of `data`.
///
/// Only for verifying legacy callbacks of gateways that still sign with an MD5 body digest;
/// never use it to sign new requests.
///
/// ```
/// assert_eq!(
///     payments_signing::digest::md5_hex(b"abc"),
///     "900150983cd24fb0d6963f7d28e17f72"
/// );
/// ```
pub fn md5_hex(data: &[u8]) -> String {
    hex(&Md5::digest(data))
}

/// Raw HMAC-SHA512 of `data` under `key` (any key length, including empty).
///
/// ```
/// let mac = payments_signing::digest::hmac_sha512(b"key", b"data");
/// assert_eq!(mac.len(), 64);
/// ```
pub fn hmac_sha512(key: &[u8], data: &[u8]) -> [u8; 64] {
    let mut mac = match Hmac::<Sha512>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Raw HMAC-SHA256 of `data` under `key` (any key length, including empty).
///
/// ```
/// // RFC 4231 test case 2.
/// let mac = payments_signing::digest::hmac_sha256(b"Jefe", b"what do ya want for nothing?");
/// assert_eq!(
///     payments_signing::digest::hex(&mac),
///     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
/// );
/// ```
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Standard base64 (with padding) of HMAC-SHA512 of `data` under `key`.
///
/// ```
/// let sig = payments_signing::digest::hmac_sha512_base64(b"key", b"data");
/// assert_eq!(sig.len(), 88);
/// ```
pub fn hmac_sha512_base64(key: &[u8], data: &[u8]) -> String {
    base64_encode(&hmac_sha512(key, data))
}

/// Standard base64 (with padding) of HMAC-SHA256 of `data` under `key`.
///
/// ```
/// let sig = payments_signing::digest::hmac_sha256_base64(b"Jefe", b"what do ya want for nothing?");
/// assert_eq!(sig, "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
/// ```
pub fn hmac_sha256_base64(key: &[u8], data: &[u8]) -> String {
    base64_encode(&hmac_sha256(key, data))
}

/// Standard base64 with `=` padding.
///
/// ```
/// assert_eq!(payments_signing::digest::base64_encode(b"any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw==");
/// ```
pub fn base64_encode(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// Decodes standard base64 (padding required); `None` when `data` is not valid base64.
///
/// ```
/// assert_eq!(payments_signing::digest::base64_decode("YWJj").as_deref(), Some(&b"abc"[..]));
/// assert_eq!(payments_signing::digest::base64_decode("not base64!"), None);
/// ```
pub fn base64_decode(data: &str) -> Option<Vec<u8>> {
    STANDARD.decode(data).ok()
}

/// Compares two byte strings in time that depends only on their lengths, never on where they
/// first differ. Use it for every signature or key comparison.
///
/// ```
/// use payments_signing::digest::constant_time_eq;
/// assert!(constant_time_eq(b"signature", b"signature"));
/// assert!(!constant_time_eq(b"signature", b"signaturf"));
/// assert!(!constant_time_eq(b"short", b"longer"));
/// ```
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha512_of_empty_body_is_the_documented_digest() {
        assert_eq!(
            sha512_hex(b""),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        );
    }

    #[test]
    fn hmac_sha512_matches_rfc4231_case_2() {
        let mac = hmac_sha512(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }

    #[test]
    fn hmac_accepts_an_empty_key() {
        // The IXOPAY signature tool signs with an empty secret; the primitive must not refuse it.
        assert_eq!(hmac_sha512(b"", b"x").len(), 64);
        assert_eq!(hmac_sha256(b"", b"x").len(), 32);
    }

    #[test]
    fn constant_time_eq_rejects_any_single_byte_change() {
        let a = b"0123456789abcdef".to_vec();
        for i in 0..a.len() {
            let mut b = a.clone();
            b[i] ^= 1;
            assert!(!constant_time_eq(&a, &b));
        }
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &a[..15]));
    }
}
