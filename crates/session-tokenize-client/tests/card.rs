//! Card encryption: round trip through a freshly generated RSA key, and redaction.
#![allow(clippy::unwrap_used, clippy::panic)]

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs8::EncodePublicKey;
use rsa::{Oaep, RsaPrivateKey};
use serde_json::Value;
use session_tokenize_client::card::{CardData, CardDetails, DeviceInformations, EncryptionKey};
use sha2::Sha256;

fn fixture(name: &str) -> String {
    let path = format!("{}/../../fixtures/pivot/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The card of Pivot's Go encryption example, built with the crate's types.
fn go_example_card() -> CardData {
    let card = CardDetails::new("4440000112200001", 1, 29, "123", "John Doe").unwrap();
    let device = DeviceInformations::new()
        .user_agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36")
        .ip_address("182.253.147.99")
        .accept_language("EN")
        .cookie_token("ZU_0oRV1S3D95Rz06Q1Aa0RTeOlgdXWKeVvZEk7k3LM=")
        .device_id("067783c8-29ac-4684-8aa8-71c05ab346df")
        .browser_size(1234, 1234)
        .country("ID");
    CardData::new(card).device_informations(device)
}

/// Decrypts an `encryptedCard` the way Pivot does: outer Base64, JSON envelope, RSA-OAEP
/// (SHA-256, MGF1-SHA-256) for the AES key, AES-256-GCM with the appended tag.
fn decrypt(private: &RsaPrivateKey, encrypted_card: &str) -> (Value, usize, usize) {
    let outer = STANDARD.decode(encrypted_card).unwrap();
    let envelope: Value = serde_json::from_slice(&outer).unwrap();
    let keys: Vec<&str> = envelope
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 3);
    for key in ["encryptedKey", "nonce", "ciphertext"] {
        assert!(
            envelope[key].is_string(),
            "lower-case key {key} missing: {envelope}"
        );
    }
    let wrapped = STANDARD
        .decode(envelope["encryptedKey"].as_str().unwrap())
        .unwrap();
    let nonce = STANDARD
        .decode(envelope["nonce"].as_str().unwrap())
        .unwrap();
    let ciphertext = STANDARD
        .decode(envelope["ciphertext"].as_str().unwrap())
        .unwrap();
    assert_eq!(wrapped.len(), 256, "RSA-2048 output");
    assert_eq!(nonce.len(), 12);
    let aes_key = private.decrypt(Oaep::new::<Sha256>(), &wrapped).unwrap();
    assert_eq!(aes_key.len(), 32, "AES-256 key");
    let cipher = Aes256Gcm::new_from_slice(&aes_key).unwrap();
    let plaintext = cipher
        .decrypt(Nonce::from_slice(&nonce), ciphertext.as_slice())
        .unwrap();
    (
        serde_json::from_slice(&plaintext).unwrap(),
        plaintext.len(),
        ciphertext.len(),
    )
}

#[test]
fn an_encrypted_card_decrypts_with_the_private_key_to_the_documented_card_json() {
    let private = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let spki = private.to_public_key().to_public_key_der().unwrap();
    let key = EncryptionKey::from_base64(&STANDARD.encode(spki.as_bytes())).unwrap();
    assert_eq!(key.bits(), 2048);

    let encrypted = key.encrypt(&go_example_card()).unwrap();
    let (card_json, plaintext_len, ciphertext_len) = decrypt(&private, encrypted.as_str());

    // Pivot's Go example, independently of the crate: the same JSON document.
    let documented: Value =
        serde_json::from_str(&fixture("card-plaintext-go-example.json")).unwrap();
    assert_eq!(card_json, documented);
    assert_eq!(
        ciphertext_len,
        plaintext_len + 16,
        "the GCM tag is appended"
    );

    // Fresh randomness every time: the same card never encrypts to the same value.
    let again = key.encrypt(&go_example_card()).unwrap();
    assert_ne!(again, encrypted);
    assert_eq!(decrypt(&private, again.as_str()).0, documented);
}

#[test]
fn keys_with_line_breaks_parse_and_non_rsa_data_does_not() {
    let documented = fixture("go-example-encryption-key.txt");
    let wrapped: String = documented
        .trim()
        .as_bytes()
        .chunks(64)
        .map(|c| format!("{}\n", String::from_utf8_lossy(c)))
        .collect();
    assert_eq!(EncryptionKey::from_base64(&wrapped).unwrap().bits(), 2048);

    let truncated = &documented.trim()[..200];
    let err = EncryptionKey::from_base64(truncated).unwrap_err();
    assert!(
        matches!(err, session_tokenize_client::Error::Encryption { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("encryption"), "{err}");
}

#[test]
fn card_data_never_shows_the_number_or_the_cvc() {
    let card = CardDetails::new("4440 0001 1220 0001", 1, 29, "987", "John Doe").unwrap();
    let data = CardData::new(card.clone());
    for shown in [
        format!("{card:?}"),
        format!("{data:?}"),
        format!("{:?}", card.number()),
        format!("{}", card.number()),
        format!("{:?}", card.cvc()),
    ] {
        assert!(!shown.contains("4440000112200001"), "{shown}");
        assert!(!shown.contains("4440 0001 1220 0001"), "{shown}");
        assert!(!shown.contains("987"), "{shown}");
    }
    assert!(format!("{card:?}").contains("****0001"));
}
