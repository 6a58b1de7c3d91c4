//! Inbound messages: redirects, payment and payment-link webhooks (signed), refund webhooks
//! (unsigned). Expected signatures are computed here independently, from the canonical message
//! written out by hand and `payments_signing`'s HMAC.
#![allow(clippy::unwrap_used, clippy::panic)]

use portone_client::Decimal;
use portone_client::error::{Error, WebhookError};
use portone_client::model::payment_link::PaymentLinkStatus;
use portone_client::model::refund::RefundStatus;
use portone_client::model::{StatusReason, TransactionStatus};
use portone_client::webhook::{self, Event, Signer, Verifier};
use secrecy::SecretString;
use serde_json::{Value, json};

const SECRET: &str = "PORTONE_SECRET";

fn verifier() -> Verifier {
    Verifier::new(SecretString::from(SECRET))
}

fn hmac(message: &str) -> String {
    payments_signing::digest::hmac_sha256_base64(SECRET.as_bytes(), message.as_bytes())
}

fn mismatch(result: Result<impl std::fmt::Debug, Error>) {
    match result {
        Err(Error::Webhook(WebhookError::SignatureMismatch)) => {}
        other => panic!("expected a signature mismatch, got {other:?}"),
    }
}

const REDIRECT_QUERY: &str = "amount=100&currency=USD&channel_order_ref=pi_3KyTl5Jrbhj1WB8Z017xJS9i&merchant_order_ref=MERCHANT1617366877238&order_ref=2937z05mrtN17ZYigwZhfKdqEGQ&status=Success&status_code=2000&status_reason=SUCCESS&method_name=Stripe+Card&buyer_email=a%40b.example&signature_hash=XhSOYiIW1aUFfVRi3zpYQOuVX3MNKlKY%2FRhy3rSlEHs%3D";

#[test]
fn the_redirect_vector_verifies_and_separates_unsigned_parameters() {
    let redirect = verifier().verify_redirect(REDIRECT_QUERY).unwrap();
    assert_eq!(redirect.order_ref, "2937z05mrtN17ZYigwZhfKdqEGQ");
    assert_eq!(redirect.merchant_order_ref, "MERCHANT1617366877238");
    assert_eq!(redirect.channel_order_ref, "pi_3KyTl5Jrbhj1WB8Z017xJS9i");
    assert!(redirect.status.is_success());
    assert_eq!(redirect.details.amount, Some(Decimal::from(100)));
    assert_eq!(redirect.details.method_name.as_deref(), Some("Stripe Card"));
    assert_eq!(redirect.details.status_reason, Some(StatusReason::Success));
    assert_eq!(redirect.details.extra["buyer_email"], "a@b.example");
}

#[test]
fn a_tampered_redirect_field_is_rejected() {
    for (from, to) in [
        ("status=Success", "status=Failed"),
        (
            "order_ref=2937z05mrtN17ZYigwZhfKdqEGQ",
            "order_ref=2937z05mrtN17ZYigwZhfKdqEGR",
        ),
        (
            "merchant_order_ref=MERCHANT1617366877238",
            "merchant_order_ref=MERCHANT1617366877239",
        ),
        ("channel_order_ref=pi_3K", "channel_order_ref=pi_4K"),
        ("XhSOYiIW1", "XhSOYiIW2"),
    ] {
        assert!(REDIRECT_QUERY.contains(from));
        mismatch(verifier().verify_redirect(&REDIRECT_QUERY.replace(from, to)));
    }
    // Unsigned parameters are not authenticated: changing one keeps the signature valid, and
    // the value lands in `details`, apart from the signed fields.
    let changed = verifier()
        .verify_redirect(&REDIRECT_QUERY.replace("amount=100", "amount=1"))
        .unwrap();
    assert_eq!(changed.details.amount, Some(Decimal::from(1)));
    // Another secret fails.
    mismatch(Verifier::new(SecretString::from("other")).verify_redirect(REDIRECT_QUERY));
}

#[test]
fn redirects_without_or_with_duplicate_signed_fields_are_rejected() {
    let without: String = REDIRECT_QUERY
        .split('&')
        .filter(|p| !p.starts_with("signature_hash="))
        .collect::<Vec<_>>()
        .join("&");
    assert!(matches!(
        verifier().verify_redirect(&without),
        Err(Error::Webhook(WebhookError::MissingSignature))
    ));
    let duplicated = format!("status=Success&{REDIRECT_QUERY}");
    assert!(matches!(
        verifier().verify_redirect(&duplicated),
        Err(Error::Webhook(WebhookError::Malformed(_)))
    ));
}

fn payment_webhook(amount: Value) -> Value {
    json!({
        "currency": "USD", "amount": amount, "order_ref": "2mbbExY77pp8iC0AQ1ucWymnd3c",
        "channel_order_ref": "20240926HULUNYGP6MA2", "merchant_order_ref": "2mbbDi9wX3wAgLUDCnRMbQwkwZm_1",
        "country_code": "US", "status": "Success", "channel_key": "PAYLETTER",
        "method_name": "Payletter Credit Card", "method_key": "PAYLETTER_CREDIT_CARD",
        "status_code": "2000", "status_reason": "SUCCESS", "buyer_email": "nitesh@portone.io",
        "is_refund_allowed": "true",
    })
}

const PAYMENT_MESSAGE: &str = "amount=500&channel_key=PAYLETTER&channel_order_ref=20240926HULUNYGP6MA2&country_code=US&currency=USD&merchant_order_ref=2mbbDi9wX3wAgLUDCnRMbQwkwZm_1&method_name=Payletter+Credit+Card&order_ref=2mbbExY77pp8iC0AQ1ucWymnd3c&status=Success";

fn with_signature(mut body: Value, hash: &str) -> Vec<u8> {
    body["signature_hash"] = Value::String(hash.to_owned());
    serde_json::to_vec(&body).unwrap()
}

#[test]
fn payment_webhooks_verify_from_the_raw_values_with_spaces_as_plus() {
    let hash = hmac(PAYMENT_MESSAGE);
    for amount in [json!(500), json!(500.0), json!("500")] {
        let body = with_signature(payment_webhook(amount.clone()), &hash);
        let webhook = verifier().verify_payment_webhook(&body).unwrap();
        assert_eq!(webhook.amount, Some(Decimal::from(500)), "{amount}");
        assert_eq!(
            webhook.method_name.as_deref(),
            Some("Payletter Credit Card")
        );
        assert_eq!(webhook.details.is_refund_allowed, Some(true));
        assert_eq!(webhook.details.extra["buyer_email"], "nitesh@portone.io");
    }
    // The raw number text "500.00" is signed as "500" as well.
    let text = String::from_utf8(with_signature(payment_webhook(json!(1)), &hash))
        .unwrap()
        .replace("\"amount\":1", "\"amount\":500.00");
    verifier().verify_payment_webhook(text.as_bytes()).unwrap();
    // `%20` for the spaces (encodeURIComponent style) is not what PortOne signs.
    let wrong =
        hmac(&PAYMENT_MESSAGE.replace("Payletter+Credit+Card", "Payletter%20Credit%20Card"));
    mismatch(
        verifier().verify_payment_webhook(&with_signature(payment_webhook(json!(500)), &wrong)),
    );
}

#[test]
fn a_tampered_payment_webhook_field_is_rejected() {
    let hash = hmac(PAYMENT_MESSAGE);
    let signed_changes: [(&str, Value); 9] = [
        ("amount", json!(501)),
        ("currency", json!("VND")),
        ("order_ref", json!("x")),
        ("channel_order_ref", json!("x")),
        ("merchant_order_ref", json!("x")),
        ("country_code", json!("VN")),
        ("status", json!("Failed")),
        ("channel_key", json!("STRIPE")),
        ("method_name", json!("Payletter  Credit Card")),
    ];
    for (field, value) in signed_changes {
        let mut body = payment_webhook(json!(500));
        body[field] = value;
        mismatch(verifier().verify_payment_webhook(&with_signature(body, &hash)));
    }
    let mut body = payment_webhook(json!(500));
    body.as_object_mut().unwrap().remove("country_code");
    mismatch(verifier().verify_payment_webhook(&with_signature(body, &hash)));
    // No signature at all.
    let body = serde_json::to_vec(&payment_webhook(json!(500))).unwrap();
    assert!(matches!(
        verifier().verify_payment_webhook(&body),
        Err(Error::Webhook(WebhookError::MissingSignature))
    ));
}

#[test]
fn unknown_statuses_in_a_verified_webhook_are_not_success() {
    let message = PAYMENT_MESSAGE.replace("status=Success", "status=Authorised");
    let mut body = payment_webhook(json!(500));
    body["status"] = json!("Authorised");
    let webhook = verifier()
        .verify_payment_webhook(&with_signature(body, &hmac(&message)))
        .unwrap();
    assert_eq!(
        webhook.status,
        TransactionStatus::Unknown("Authorised".into())
    );
    assert!(!webhook.status.is_success());
}

fn payment_link_webhook() -> Value {
    json!({
        "link_ref": "2mbbDODqt4ZojDHa14IaiYwM4AM", "link": "https://checkout.portone.cloud?ref=2mbbDODqt4ZojDHa14IaiYwM4AM",
        "currency": "USD", "amount": 500, "countryCode": "US", "chaipaykey": "qcFJvupbcbdcyNFg",
        "portone_key": "qcFJvupbcbdcyNFg", "status": "Success", "merchant_order_ref": "2mbbDi9wX3wAgLUDCnRMbQwkwZm_1",
        "created_at": "2024-09-26T10:47:22.372093Z", "expiry_hours": 24,
    })
}

#[test]
fn payment_link_webhooks_sign_country_code_from_country_code_camel_case() {
    let message = "amount=500&country_code=US&currency=USD&link_ref=2mbbDODqt4ZojDHa14IaiYwM4AM&merchant_order_ref=2mbbDi9wX3wAgLUDCnRMbQwkwZm_1&status=Success";
    let body = with_signature(payment_link_webhook(), &hmac(message));
    let webhook = verifier().verify_payment_link_webhook(&body).unwrap();
    assert_eq!(webhook.country_code.as_deref(), Some("US"));
    assert_eq!(webhook.status, PaymentLinkStatus::Success);
    assert_eq!(webhook.details["chaipaykey"], "qcFJvupbcbdcyNFg");
    // Signed without country_code (as if `countryCode` were not the signed field): rejected.
    let without = message.replace("country_code=US", "country_code=");
    mismatch(
        verifier()
            .verify_payment_link_webhook(&with_signature(payment_link_webhook(), &hmac(&without))),
    );
    let mut tampered = payment_link_webhook();
    tampered["countryCode"] = json!("VN");
    mismatch(verifier().verify_payment_link_webhook(&with_signature(tampered, &hmac(message))));
}

#[test]
fn refund_webhooks_are_parsed_but_marked_unverified() {
    let body = serde_json::to_vec(&json!({
        "order_ref": "2mbbExY77pp8iC0AQ1ucWymnd3c", "refund_id": "r1", "amount": "60000",
        "currency": "VND", "refund_status": "SUCCESS", "refund_type": "partial"
    }))
    .unwrap();
    let request = http::Request::post("https://shop.example/portone/webhook")
        .header("content-type", "application/json")
        .body(body)
        .unwrap();
    match verifier().verify(&request).unwrap() {
        Event::Refund(unverified) => {
            let refund = unverified.unverified();
            assert_eq!(refund.amount, Some(Decimal::from(60000)));
            assert_eq!(refund.refund_status, Some(RefundStatus::Success));
            assert_eq!(refund.extra["refund_type"], "partial");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn verify_recognises_each_kind_of_request() {
    let get = http::Request::get(format!("https://shop.example/success?{REDIRECT_QUERY}"))
        .body(Vec::<u8>::new())
        .unwrap();
    assert!(matches!(
        verifier().verify(&get).unwrap(),
        Event::Redirect(_)
    ));

    let post = http::Request::post("https://shop.example/hook")
        .body(with_signature(
            payment_webhook(json!(500)),
            &hmac(PAYMENT_MESSAGE),
        ))
        .unwrap();
    assert!(matches!(
        verifier().verify(&post).unwrap(),
        Event::Payment(_)
    ));

    let link_message = "amount=500&country_code=US&currency=USD&link_ref=2mbbDODqt4ZojDHa14IaiYwM4AM&merchant_order_ref=2mbbDi9wX3wAgLUDCnRMbQwkwZm_1&status=Success";
    let post = http::Request::post("https://shop.example/hook")
        .body(with_signature(payment_link_webhook(), &hmac(link_message)))
        .unwrap();
    assert!(matches!(
        verifier().verify(&post).unwrap(),
        Event::PaymentLink(_)
    ));

    // A JSON body with neither a signature nor refund fields is not trusted.
    let post = http::Request::post("https://shop.example/hook")
        .body(serde_json::to_vec(&payment_webhook(json!(500))).unwrap())
        .unwrap();
    assert!(matches!(
        verifier().verify(&post),
        Err(Error::Webhook(WebhookError::MissingSignature))
    ));
    // Bad bodies give typed errors, never a panic.
    for body in [
        &b"<html>502</html>"[..],
        b"{\"amount\":",
        b"[1,2]",
        b"\xff\xfe",
    ] {
        let post = http::Request::post("https://shop.example/hook")
            .body(body.to_vec())
            .unwrap();
        assert!(
            matches!(verifier().verify(&post), Err(Error::Webhook(_))),
            "{body:?}"
        );
    }
    let empty = http::Request::get("https://shop.example/hook")
        .body(Vec::<u8>::new())
        .unwrap();
    assert!(matches!(
        verifier().verify(&empty),
        Err(Error::Webhook(WebhookError::Malformed(_)))
    ));
}

#[test]
fn a_wrong_type_in_a_signed_webhook_names_the_field() {
    let mut body = payment_webhook(json!(500));
    body["is_refund_allowed"] = json!({"nested": true});
    let err = verifier()
        .verify_payment_webhook(&with_signature(body, &hmac(PAYMENT_MESSAGE)))
        .unwrap_err();
    assert!(err.to_string().contains("is_refund_allowed"), "{err}");
}

#[test]
fn the_signing_helpers_produce_what_the_verifier_accepts() {
    let signer = Signer::new(SecretString::from(SECRET));
    let query = signer.sign_redirect_query(&[
        ("order_ref", "2937z05mrtN17ZYigwZhfKdqEGQ"),
        ("merchant_order_ref", "MERCHANT1617366877238"),
        ("channel_order_ref", "pi_3KyTl5Jrbhj1WB8Z017xJS9i"),
        ("status", "Success"),
    ]);
    // The published vector's hash, produced by the helper.
    assert!(
        query.ends_with("signature_hash=XhSOYiIW1aUFfVRi3zpYQOuVX3MNKlKY%2FRhy3rSlEHs%3D"),
        "{query}"
    );
    verifier().verify_redirect(&query).unwrap();

    let body = signer
        .sign_payment_webhook(&serde_json::to_vec(&payment_webhook(json!(500))).unwrap())
        .unwrap();
    let signed: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(signed["signature_hash"], hmac(PAYMENT_MESSAGE));
    verifier().verify_payment_webhook(&body).unwrap();

    let body = signer
        .sign_payment_link_webhook(&serde_json::to_vec(&payment_link_webhook()).unwrap())
        .unwrap();
    verifier().verify_payment_link_webhook(&body).unwrap();
}

#[test]
fn verifier_and_signer_debug_show_no_secret() {
    let secret = "super-secret-value-123";
    let v = format!("{:?}", Verifier::new(SecretString::from(secret)));
    let s = format!("{:?}", Signer::new(SecretString::from(secret)));
    assert!(!v.contains(secret) && !s.contains(secret));
    assert_eq!(webhook::acknowledge().status(), http::StatusCode::OK);
}

#[test]
fn sign_notification_builds_a_request_the_verifier_accepts() {
    let secret = SecretString::from(SECRET);
    let body = serde_json::to_vec(&payment_webhook(json!(500))).unwrap();
    let request = webhook::sign_notification(&secret, body).unwrap();
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.headers()["content-type"], "application/json");
    // The signature is the one computed here from the hand-written canonical message.
    let sent: Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(sent["signature_hash"], hmac(PAYMENT_MESSAGE).as_str());
    match verifier().verify(&request).unwrap() {
        Event::Payment(payment) => {
            assert_eq!(payment.amount, Some(Decimal::from(500)));
            assert!(payment.status.is_success());
        }
        other => panic!("unexpected {other:?}"),
    }

    // A body with `link_ref` is signed as a payment-link webhook.
    let body = serde_json::to_vec(&payment_link_webhook()).unwrap();
    let request = webhook::sign_notification(&secret, body).unwrap();
    assert!(matches!(
        verifier().verify(&request).unwrap(),
        Event::PaymentLink(_)
    ));
    // Another secret does not verify it.
    mismatch(Verifier::new(SecretString::from("another")).verify(&request));
    // Not a JSON object: refused.
    assert!(webhook::sign_notification(&secret, b"[1]".to_vec()).is_err());
}

#[test]
fn sign_redirect_builds_the_customers_return_request() {
    let secret = SecretString::from(SECRET);
    let request = webhook::sign_redirect(
        &secret,
        "https://shop.example/success?cart=7",
        &[
            ("order_ref", "2937z05mrtN17ZYigwZhfKdqEGQ"),
            ("merchant_order_ref", "MERCHANT1617366877238"),
            ("channel_order_ref", "pi_3KyTl5Jrbhj1WB8Z017xJS9i"),
            ("status", "Success"),
        ],
    )
    .unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(request.uri().path(), "/success");
    // The published redirect vector's signature, for the same four values and secret.
    let query = request.uri().query().unwrap();
    assert!(
        query.ends_with("signature_hash=XhSOYiIW1aUFfVRi3zpYQOuVX3MNKlKY%2FRhy3rSlEHs%3D"),
        "{query}"
    );
    let Event::Redirect(redirect) = verifier().verify(&request).unwrap() else {
        panic!("a redirect")
    };
    assert_eq!(redirect.details.extra["cart"], "7");
    assert!(webhook::sign_redirect(&secret, "not a url", &[]).is_err());
}
