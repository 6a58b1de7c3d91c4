//! PortOne's documented examples (`fixtures/portone/`, generated from
//! `docs/providers/portone.md`): each one decodes into its typed value, the published vectors
//! reproduce through the public API, and the seed's `CheckoutRequest` is rebuilt and judged by
//! the documented amount rule.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, UNIX_EPOCH};

use portone_client::auth::{Claims, Credentials, PaymentSignatureFields, verify_jwt};
use portone_client::error::{Error, Rule};
use portone_client::model::checkout::{
    Address, BillingDetails, CheckoutRequest, MerchantDetails, OrderItem, PaymentLink,
    PaymentRequest, PaymentResponse, RedirectUrls, ShippingDetails, Source,
};
use portone_client::model::payment_methods::PaymentMethod;
use portone_client::model::{ResponseStatus, StatusReason, TransactionStatus};
use portone_client::webhook::{PaymentWebhook, Verifier};
use portone_client::{Client, Decimal, Environment};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/portone")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Decodes a fixture into `T`, naming the failing field on error.
fn decode<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let text = fixture(name);
    let mut de = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut de)
        .unwrap_or_else(|e| panic!("{name}: `{}`: {}", e.path(), e.inner()))
}

const EXAMPLE_A_KEY: &str = "sjcrvcbVYkFobHlx";
const EXAMPLE_A_SECRET: &str = "6cd264c70ec38d41a5dc2662e98c72bac58d3afc5bb4e80debbe3a976a0dc4eb";

#[test]
fn the_official_auth_token_example_reproduces_through_the_clients_minting() {
    let response = json("auth-token-response.json");
    let published = response["content"]["token"].as_str().unwrap();
    let payload = json("jwt-example-a-payload.json");
    let iat = payload["iat"].as_u64().unwrap();
    let exp = payload["exp"].as_u64().unwrap();
    assert_eq!(
        exp - iat,
        response["content"]["expires_in"].as_u64().unwrap()
    );

    let client = Client::builder(Credentials::new(
        EXAMPLE_A_KEY,
        SecretString::from(EXAMPLE_A_SECRET),
    ))
    .environment(Environment::Sandbox)
    .clock(move || UNIX_EPOCH + Duration::from_secs(iat))
    .jwt_ttl(Duration::from_secs(exp - iat))
    .build()
    .unwrap();
    assert_eq!(client.mint_jwt().expose_secret(), published);

    // The token's header and payload are the documented ones, byte for byte.
    let parts: Vec<&str> = published.split('.').collect();
    let decode_part = |p: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(p)
            .unwrap()
    };
    assert_eq!(
        decode_part(parts[0]),
        fixture("jwt-example-a-header.json").trim_end().as_bytes()
    );
    assert_eq!(
        decode_part(parts[1]),
        fixture("jwt-example-a-payload.json").trim_end().as_bytes()
    );
    let claims = verify_jwt(EXAMPLE_A_SECRET, published).unwrap();
    assert_eq!(claims.sub, EXAMPLE_A_KEY);
    assert_eq!(claims.iss, "PORTONE");
}

#[test]
fn documented_jwt_payloads_decode_as_claims() {
    for name in [
        "jwt-example-a-payload.json",
        "jwt-example-b-payload.json",
        "jwt-example-c-payload.json",
    ] {
        let claims: Claims = decode(name);
        assert!(claims.exp > claims.iat, "{name}");
        assert!(
            matches!(claims.iss.as_str(), "PORTONE" | "CHAIPAY"),
            "{name}"
        );
    }
    // Example B: the legacy issuer and a 100 s lifetime, as the notes say.
    let b: Claims = decode("jwt-example-b-payload.json");
    assert_eq!((b.iss.as_str(), b.exp - b.iat), ("CHAIPAY", 100));
    for name in ["jwt-example-a-header.json", "jwt-example-b-header.json"] {
        assert_eq!(json(name)["alg"], "HS256");
    }
}

#[test]
fn the_amount_100_signature_vector_reproduces_through_the_public_api() {
    const EXPECTED: &str = "uQbYqEZATKovbG/cAEI67OOgHDxrqRSoE3UcQ5D27mU=";
    let secret = SecretString::from("PORTONE_SECRET");
    let urls = || {
        RedirectUrls::new(
            "https://checkout.portone.cloud/success.html",
            "https://checkout.portone.cloud/failure.html",
        )
    };
    // 100.00 is sent as 100 and signed as "100".
    let amount = Decimal::from_str("100.00").unwrap();
    let checkout = CheckoutRequest::new(
        "MERCHANT1617366877238",
        amount,
        "USD",
        "US",
        MerchantDetails::new("Shop"),
        urls(),
    );
    assert_eq!(
        checkout.signature_hash("PORTONE_KEY", &secret).unwrap(),
        EXPECTED
    );
    let payment = PaymentRequest::new(
        "MERCHANT1617366877238",
        amount,
        "USD",
        "STRIPE",
        "STRIPE_CARD",
        "d",
        urls(),
    );
    assert_eq!(
        payment.signature_hash("PORTONE_KEY", &secret).unwrap(),
        EXPECTED
    );
    let fields = PaymentSignatureFields {
        amount: &amount,
        client_key: "PORTONE_KEY",
        currency: "USD",
        failure_url: "https://checkout.portone.cloud/failure.html",
        merchant_order_id: "MERCHANT1617366877238",
        success_url: "https://checkout.portone.cloud/success.html",
    };
    assert_eq!(
        fields.message().unwrap(),
        "amount=100&client_key=PORTONE_KEY&currency=USD&failure_url=https%3A%2F%2Fcheckout.portone.cloud%2Ffailure.html&merchant_order_id=MERCHANT1617366877238&success_url=https%3A%2F%2Fcheckout.portone.cloud%2Fsuccess.html"
    );
    // Another amount gives another hash.
    let other = CheckoutRequest::new(
        "MERCHANT1617366877238",
        Decimal::from_str("100.01").unwrap(),
        "USD",
        "US",
        MerchantDetails::new("Shop"),
        urls(),
    );
    assert_ne!(
        other.signature_hash("PORTONE_KEY", &secret).unwrap(),
        EXPECTED
    );
}

#[test]
fn the_redirect_vector_verifies_through_the_public_api() {
    let verifier = Verifier::new(SecretString::from("PORTONE_SECRET"));
    let query = "channel_order_ref=pi_3KyTl5Jrbhj1WB8Z017xJS9i&merchant_order_ref=MERCHANT1617366877238&order_ref=2937z05mrtN17ZYigwZhfKdqEGQ&status=Success&signature_hash=XhSOYiIW1aUFfVRi3zpYQOuVX3MNKlKY%2FRhy3rSlEHs%3D";
    let redirect = verifier.verify_redirect(query).unwrap();
    assert_eq!(redirect.order_ref, "2937z05mrtN17ZYigwZhfKdqEGQ");
    assert_eq!(redirect.status, TransactionStatus::Success);
    let tampered = query.replace("status=Success", "status=Failed");
    assert!(verifier.verify_redirect(&tampered).is_err());
}

#[test]
fn the_go_form_encoding_example_encodes_as_documented() {
    let fields = json("form-encoding-divergence.json");
    let value = fields["a"].as_str().unwrap();
    assert_eq!(
        payments_signing::portone::form_encode([("a", value)]),
        "a=x+y~%21%2A%27%28%29"
    );
}

/// The seed's `CheckoutRequest` (Flutter Connect), rebuilt field by field.
fn seed_checkout(amount: Decimal) -> CheckoutRequest {
    let address = || {
        Address::new()
            .city("VND")
            .country_code("VN")
            .line_1("302,Green Street")
            .line_2("Town Hall")
            .locale("en")
            .postal_code("400202")
            .state("Taxes")
    };
    let mobile_no = "+84912345678";
    CheckoutRequest::new(
        "5j9peJ349Z",
        amount,
        "VND",
        "VN",
        MerchantDetails::new("Curo Sports")
            .back_url("https://demo.chaipay.io/checkout.html")
            .logo("https://img.freepik.com/premium-vector/logo-sports-company-that-is-running_695276-2946.jpg")
            .promo_discount(Decimal::from_str("10000.00").unwrap())
            .shipping_charges(Decimal::from_str("10000.00").unwrap()),
        RedirectUrls::new("https://www.google.com", "https://www.bing.com"),
    )
    .billing_details(
        BillingDetails::new()
            .address(address())
            .email("markweins@gmail.com")
            .name("Test mark")
            .phone(mobile_no),
    )
    .shipping_details(
        ShippingDetails::new()
            .address(address())
            .email("markweins@gmail.com")
            .name("Test mark")
            .phone(mobile_no),
    )
    .order_item(
        OrderItem::new("product_001", "Hand Gloves", Decimal::from(19010), 1)
            .image("https://cdn.moglix.com/p/0DcA3eidlukGq-xxlarge.jpg"),
    )
    .source(Source::Mobile)
    .mobile_redirect_url("portonechai://checkout")
}

#[test]
fn the_seeds_checkout_example_breaks_the_documented_amount_rule_locally() {
    // 19010 × 1 + 10000 shipping − 10000 discount = 19010, not 50010.
    let err = seed_checkout(Decimal::from(50010)).validate().unwrap_err();
    assert_eq!(err.rule(), Some(Rule::OrderAmountSum));
    let message = err.to_string();
    assert!(message.contains("19010"), "{message}");
    assert!(message.contains("50010"), "{message}");
    assert!(err.hint().unwrap().contains("sum(price × quantity)"));
    assert!(matches!(err, Error::InvalidRequest { .. }));
    // With the amount the rule asks for, the same request is valid.
    seed_checkout(Decimal::from(19010)).validate().unwrap();
    // A discount of 0 is accepted; leaving out an item price is impossible by construction.
    let zero_discount = CheckoutRequest::new(
        "o",
        Decimal::from(29010),
        "VND",
        "VN",
        MerchantDetails::new("Curo Sports").shipping_charges(Decimal::from(10000)),
        RedirectUrls::new("https://www.google.com", "https://www.bing.com"),
    )
    .order_item(OrderItem::new(
        "product_001",
        "Hand Gloves",
        Decimal::from(19010),
        1,
    ));
    zero_discount.validate().unwrap();
}

#[test]
fn the_seeds_checkout_example_serializes_with_the_documented_field_names() {
    let body = serde_json::to_value(seed_checkout(Decimal::from(19010))).unwrap();
    // Names from the seed's parameter list (CheckoutEmbedDto / merchant, billing, shipping and
    // order details), in PortOne's snake_case.
    assert_eq!(body["merchant_order_id"], "5j9peJ349Z");
    assert_eq!(body["amount"], 19010);
    assert_eq!(body["country_code"], "VN");
    assert_eq!(body["merchant_details"]["name"], "Curo Sports");
    assert_eq!(body["merchant_details"]["promo_discount"], 10000);
    assert_eq!(body["merchant_details"]["shipping_charges"], 10000);
    assert_eq!(
        body["merchant_details"]["back_url"],
        "https://demo.chaipay.io/checkout.html"
    );
    assert_eq!(
        body["billing_details"]["billing_address"]["line_1"],
        "302,Green Street"
    );
    assert_eq!(
        body["billing_details"]["billing_address"]["postal_code"],
        "400202"
    );
    assert_eq!(
        body["shipping_details"]["shipping_email"],
        "markweins@gmail.com"
    );
    assert_eq!(body["order_details"][0]["id"], "product_001");
    assert_eq!(body["order_details"][0]["price"], 19010);
    assert_eq!(body["order_details"][0]["quantity"], 1);
    assert_eq!(body["success_url"], "https://www.google.com");
    assert_eq!(body["failure_url"], "https://www.bing.com");
    assert_eq!(body["source"], "mobile");
    assert_eq!(body["mobile_redirect_url"], "portonechai://checkout");
    assert!(
        body.get("merchant_details")
            .unwrap()
            .get("promo_code")
            .is_none()
    );
}

#[test]
fn envelope_and_error_examples_decode() {
    let cases = [
        (
            "auth-token-error-merchant-not-found.json",
            "4016",
            StatusReason::MerchantNotFound,
        ),
        (
            "auth-token-error-invalid-request.json",
            "4001",
            StatusReason::InvalidRequest,
        ),
        ("jwt-error-4054.json", "4054", StatusReason::InvalidJwt),
        (
            "jwt-error-invalid-jwt-token.json",
            "4010",
            StatusReason::InvalidJwtToken,
        ),
        (
            "jwt-error-parsing.json",
            "4010",
            StatusReason::InvalidUnauthorisedTransaction,
        ),
        (
            "generate-signature-error-invalid-request.json",
            "4001",
            StatusReason::InvalidRequest,
        ),
        (
            "payment-link-error-signature-required.json",
            "4010",
            StatusReason::InvalidIamportKey,
        ),
        (
            "initiate-payment-error-signature-required.json",
            "4001",
            StatusReason::InvalidPaymentRequest,
        ),
        (
            "saved-cards-error.json",
            "4010",
            StatusReason::InvalidUnauthorisedTransaction,
        ),
        (
            "add-card-error-duplicate.json",
            "4001",
            StatusReason::InvalidPaymentRequest,
        ),
        (
            "list-cards-error-customer-not-found.json",
            "4016",
            StatusReason::MerchantNotFound,
        ),
        ("delete-card-response.json", "2000", StatusReason::Success),
        (
            "delete-card-error.json",
            "4016",
            StatusReason::MerchantNotFound,
        ),
        (
            "transaction-details-error-not-found.json",
            "4096",
            StatusReason::InvalidReference,
        ),
        (
            "generate-signature-response.json",
            "2000",
            StatusReason::Success,
        ),
        ("auth-token-response.json", "2000", StatusReason::Success),
    ];
    for (name, code, reason) in cases {
        let status: ResponseStatus = decode(name);
        assert_eq!(
            status.status_code.as_ref().map(|c| c.as_str()),
            Some(code),
            "{name}"
        );
        assert_eq!(status.status_reason, Some(reason), "{name}");
        assert!(status.message.is_some(), "{name}");
    }
}

#[test]
fn payment_examples_decode_including_string_booleans() {
    let ok: PaymentResponse = decode("initiate-payment-response.json");
    assert_eq!(ok.is_success, Some(true));
    assert_eq!(ok.expiry_in_minutes, Some(20));
    assert_eq!(ok.deep_link, None, "empty strings are absent");
    assert_eq!(ok.order_ref.as_deref(), Some("2937z05mrtN17ZYigwZhfKdqEGQ"));
    insta::assert_debug_snapshot!("initiate_payment_response", ok);

    let string_false: PaymentResponse = decode("initiate-payment-error-string-is-success.json");
    assert_eq!(string_false.is_success, Some(false));
    assert_eq!(
        string_false.status_reason,
        Some(StatusReason::PaymentSystemError)
    );

    let initiated: PaymentResponse = decode("initiate-payment-error-initiated.json");
    assert_eq!(
        initiated.order_ref.as_deref(),
        Some("1wa0choxhAy2QtE9ix8aNt8T3Mf")
    );
    assert_eq!(initiated.status, Some(TransactionStatus::Initiated));
    assert!(!initiated.status.unwrap().is_success());

    let link: PaymentLink = decode("payment-link-response.json");
    assert!(link.payment_link.ends_with(&link.payment_link_ref));
    insta::assert_debug_snapshot!("payment_link_response", link);

    let method: PaymentMethod = decode("payment-methods-item-stripe.json");
    assert_eq!(method.currencies().len(), 11);
    assert!(method.enabled());
    insta::assert_debug_snapshot!("payment_method_item", method);
}

#[test]
fn card_examples_decode_without_showing_tokens() {
    #[derive(serde::Deserialize, Debug)]
    struct Wrapped<T> {
        content: T,
    }
    let saved: Wrapped<Vec<portone_client::model::card::SavedCard>> =
        decode("saved-cards-response.json");
    assert_eq!(saved.content.len(), 1);
    assert_eq!(saved.content[0].payment_channel_token.len(), 3);
    let added: Wrapped<portone_client::model::card::SavedCard> = decode("add-card-response.json");
    assert_eq!(
        added.content.partial_card_number.as_deref(),
        Some("424242******4242")
    );
    let debug = format!("{added:?}");
    assert!(
        !debug.contains("cdec91449d3a4b4bae9144d586a2b972"),
        "{debug}"
    );
    insta::assert_debug_snapshot!("saved_cards_response", saved.content);
    let request = json("delete-card-request.json");
    assert_eq!(
        request.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["token"]
    );
}

#[test]
fn transaction_and_link_examples_decode() {
    #[derive(serde::Deserialize, Debug)]
    struct Wrapped<T> {
        content: T,
    }
    let status: Wrapped<portone_client::model::transaction::OrderStatus> =
        decode("transaction-status-response.json");
    assert_eq!(status.content.status, Some(TransactionStatus::Expired));
    assert!(!status.content.is_paid());
    let link: Wrapped<portone_client::model::payment_link::PaymentLinkState> =
        decode("payment-link-status-response.json");
    assert_eq!(link.content.transactions_list.len(), 1);
    assert!(link.content.status.as_ref().unwrap().is_success());
    insta::assert_debug_snapshot!("payment_link_status_response", link.content);
    let request = json("transaction-details-request.json");
    assert!(request["order_ref"].is_string());
}

/// The documented payment webhook, re-signed with a test secret: its documented
/// `signature_hash` was made with an unpublished merchant secret.
#[test]
fn the_payment_webhook_example_verifies_once_signed_with_a_known_secret() {
    let text = fixture("payment-webhook.json");
    let secret = "PORTONE_SECRET";
    let verifier = Verifier::new(SecretString::from(secret));
    // As published: the secret is not ours, so verification must fail.
    let err = verifier
        .verify_payment_webhook(text.as_bytes())
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Webhook(portone_client::error::WebhookError::SignatureMismatch)
    ));

    // Expected hash computed independently from the example's values (Go form encoding by
    // hand: the spaces of method_name become '+').
    let message = "amount=500&channel_key=PAYLETTER&channel_order_ref=20240926HULUNYGP6MA2&country_code=US&currency=USD&merchant_order_ref=2mbbDi9wX3wAgLUDCnRMbQwkwZm_1&method_name=Payletter+Credit+Card&order_ref=2mbbExY77pp8iC0AQ1ucWymnd3c&status=Success";
    let hash = payments_signing::digest::hmac_sha256_base64(secret.as_bytes(), message.as_bytes());
    let resigned = text.replace("lSzZqm8I4G46b4nDtCqSUQ5/YgAhWn+IsFU893hciFM=", &hash);
    let webhook: PaymentWebhook = verifier
        .verify_payment_webhook(resigned.as_bytes())
        .unwrap();
    assert_eq!(webhook.amount, Some(Decimal::from(500)));
    assert!(webhook.status.is_success());
    assert_eq!(webhook.details.is_refund_allowed, Some(true));
    assert!(
        webhook
            .details
            .created_at
            .as_ref()
            .unwrap()
            .parse()
            .is_some()
    );
    insta::assert_debug_snapshot!("payment_webhook", webhook);
}

#[cfg(feature = "testing")]
#[test]
fn the_mocks_documented_answers_are_the_documented_examples() {
    use portone_client::testing::{Operation, Reply};
    let pairs = [
        (Operation::CreatePaymentLink, "payment-link-response.json"),
        (Operation::InitiatePayment, "initiate-payment-response.json"),
        (Operation::SavedCards, "saved-cards-response.json"),
        (Operation::AddCardForCustomer, "add-card-response.json"),
        (Operation::ListCards, "list-cards-response.json"),
        (Operation::DeleteCard, "delete-card-response.json"),
        (
            Operation::TransactionStatus,
            "transaction-status-response.json",
        ),
        (
            Operation::PaymentLinkStatus,
            "payment-link-status-response.json",
        ),
        (Operation::AuthToken, "auth-token-response-abbreviated.json"),
    ];
    for (operation, name) in pairs {
        let (body, documented) = Reply::documented(operation);
        assert!(documented, "{operation:?}");
        assert_eq!(body, json(name), "{operation:?} vs {name}");
    }
    let (methods, documented) = Reply::documented(Operation::PaymentMethods);
    assert!(documented);
    assert_eq!(methods["CARD"][0], json("payment-methods-item-stripe.json"));
}

#[test]
fn broken_documented_examples_stay_marked_broken() {
    // These blocks are kept verbatim on the docs page and marked `invalid-json`; if one ever
    // parses, the page's marking is wrong.
    for name in [
        "refund-response-sketch.json",
        "payment-link-cancel-response-sketch.json",
        "jwt-swapped-claims-fragment.json",
        "capture-payment-poll-body-sketch.json",
    ] {
        assert!(
            serde_json::from_str::<Value>(&fixture(name)).is_err(),
            "{name}"
        );
    }
    // The seed page's only JSON text is the docs site's widget output, not an API payload.
    assert_eq!(
        json("seed-recipe-widget-response.json"),
        serde_json::json!({"success": true})
    );
}

/// Every fixture that is valid JSON decodes into the type the crate reads it as; a fixture added
/// to the docs page without a decoder here fails this test.
#[test]
fn every_documented_json_example_decodes_into_its_type() {
    use portone_client::model::card::SavedCard;
    use portone_client::model::payment_link::PaymentLinkState;
    use portone_client::model::transaction::OrderStatus;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Content<T> {
        content: T,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct CardList {
        data: Vec<SavedCard>,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct AuthToken {
        expires_in: u64,
        token: String,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Signature {
        signature: String,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct DeleteCard {
        token: String,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Details {
        order_ref: String,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct JwtHeader {
        alg: String,
        typ: String,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Success {
        success: bool,
    }

    type Decoder = fn(&str);
    let decoders: Vec<(&str, Decoder)> = vec![
        ("add-card-error-duplicate.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("add-card-response.json", |n| {
            let _: Content<SavedCard> = decode(n);
        }),
        ("auth-token-error-invalid-request.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("auth-token-error-merchant-not-found.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("auth-token-response-abbreviated.json", |n| {
            let _: Content<AuthToken> = decode(n);
        }),
        ("auth-token-response.json", |n| {
            let _: Content<AuthToken> = decode(n);
        }),
        ("delete-card-error.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("delete-card-request.json", |n| {
            let _: DeleteCard = decode(n);
        }),
        ("delete-card-response.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("form-encoding-divergence.json", |n| {
            let _: std::collections::BTreeMap<String, String> = decode(n);
        }),
        ("generate-signature-error-invalid-request.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("generate-signature-response.json", |n| {
            let _: Content<Signature> = decode(n);
        }),
        ("initiate-payment-error-initiated.json", |n| {
            let _: PaymentResponse = decode(n);
        }),
        ("initiate-payment-error-signature-required.json", |n| {
            let _: PaymentResponse = decode(n);
        }),
        ("initiate-payment-error-string-is-success.json", |n| {
            let _: PaymentResponse = decode(n);
        }),
        ("initiate-payment-response.json", |n| {
            let _: PaymentResponse = decode(n);
        }),
        ("jwt-error-4054.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("jwt-error-invalid-jwt-token.json", |n| {
            let _: PaymentResponse = decode(n);
        }),
        ("jwt-error-parsing.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("jwt-example-a-header.json", |n| {
            let _: JwtHeader = decode(n);
        }),
        ("jwt-example-a-payload.json", |n| {
            let _: Claims = decode(n);
        }),
        ("jwt-example-b-header.json", |n| {
            let _: JwtHeader = decode(n);
        }),
        ("jwt-example-b-payload.json", |n| {
            let _: Claims = decode(n);
        }),
        ("jwt-example-c-payload.json", |n| {
            let _: Claims = decode(n);
        }),
        ("list-cards-error-customer-not-found.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("list-cards-response.json", |n| {
            let _: Content<CardList> = decode(n);
        }),
        ("payment-link-error-signature-required.json", |n| {
            let _: PaymentResponse = decode(n);
        }),
        ("payment-link-response.json", |n| {
            let _: PaymentLink = decode(n);
        }),
        ("payment-link-status-response.json", |n| {
            let _: Content<PaymentLinkState> = decode(n);
        }),
        ("payment-methods-item-stripe.json", |n| {
            let _: PaymentMethod = decode(n);
        }),
        ("payment-webhook.json", |n| {
            // Its published signature is checked in its own test; here it is re-signed with a
            // test secret so the whole body goes through the typed decoder.
            let secret = SecretString::from("test-secret");
            let signed = portone_client::webhook::Signer::new(secret.clone())
                .sign_payment_webhook(fixture(n).as_bytes())
                .unwrap();
            let webhook = Verifier::new(secret)
                .verify_payment_webhook(&signed)
                .unwrap();
            assert_eq!(webhook.details.extra.len(), 23);
        }),
        ("saved-cards-error.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("saved-cards-response.json", |n| {
            let _: Content<Vec<SavedCard>> = decode(n);
        }),
        ("seed-recipe-widget-response.json", |n| {
            let _: Success = decode(n);
        }),
        ("transaction-details-error-not-found.json", |n| {
            let _: ResponseStatus = decode(n);
        }),
        ("transaction-details-request.json", |n| {
            let _: Details = decode(n);
        }),
        ("transaction-status-response.json", |n| {
            let _: Content<OrderStatus> = decode(n);
        }),
    ];
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/portone");
    let mut valid: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| serde_json::from_str::<Value>(&fixture(name)).is_ok())
        .collect();
    valid.sort();
    let covered: Vec<String> = decoders.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(valid, covered, "every valid JSON fixture has a decoder");
    for (name, decoder) in decoders {
        decoder(name);
    }
}

/// The documented answers through the client's own decoders (`decode::*`, what the client runs
/// on every answer): successes decode, and the documented error bodies become provider errors
/// with their code, whatever HTTP status carries them.
#[test]
fn documented_answers_decode_through_the_clients_decoders() {
    use http::{HeaderMap, StatusCode};
    use portone_client::decode;
    let h = HeaderMap::new();
    let ok = StatusCode::OK;
    let body = |name: &str| fixture(name).into_bytes();

    let token = decode::auth_token(ok, &h, &body("auth-token-response.json")).unwrap();
    assert_eq!(token.expires_in, Some(Duration::from_secs(21_600)));
    assert!(
        token
            .token
            .expose_secret()
            .ends_with(".-A7y_JSRNbST9wIE26xd-oq0vLsQ-PavhHyxSts0glY")
    );
    let link = decode::create_payment_link(ok, &h, &body("payment-link-response.json")).unwrap();
    assert_eq!(link.payment_link_ref, "2BEemUknaImTq5ljmoNQQV2tSll");
    let payment =
        decode::initiate_payment(ok, &h, &body("initiate-payment-response.json")).unwrap();
    assert_eq!(payment.is_success, Some(true));
    let methods = decode::payment_methods(
        ok,
        &h,
        format!(
            "{{\"CARD\":[{}]}}",
            fixture("payment-methods-item-stripe.json")
        )
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(methods.of_type("CARD").len(), 1);
    let saved = decode::saved_cards(ok, &h, &body("saved-cards-response.json")).unwrap();
    assert_eq!(saved.cards.len(), 1);
    let added = decode::add_card_for_customer(ok, &h, &body("add-card-response.json")).unwrap();
    assert_eq!(added.expiry_month.as_deref(), Some("07"));
    let cards = decode::list_cards(ok, &h, &body("list-cards-response.json")).unwrap();
    assert_eq!(cards.len(), 1);
    let deleted = decode::delete_card(ok, &h, &body("delete-card-response.json")).unwrap();
    assert_eq!(deleted.status_reason, Some(StatusReason::Success));
    let status =
        decode::transaction_status(ok, &h, &body("transaction-status-response.json")).unwrap();
    assert_eq!(status.status, Some(TransactionStatus::Expired));
    let state =
        decode::payment_link_status(ok, &h, &body("payment-link-status-response.json")).unwrap();
    assert!(state.status.unwrap().is_success());

    type Check = fn(StatusCode, &HeaderMap, &[u8]) -> Result<(), Error>;
    let errors: [(&str, Check, &str); 11] = [
        (
            "initiate-payment-error-initiated.json",
            |s, h, b| decode::initiate_payment(s, h, b).map(drop),
            "4000",
        ),
        (
            "initiate-payment-error-string-is-success.json",
            |s, h, b| decode::initiate_payment(s, h, b).map(drop),
            "5000",
        ),
        (
            "initiate-payment-error-signature-required.json",
            |s, h, b| decode::initiate_payment(s, h, b).map(drop),
            "4001",
        ),
        (
            "payment-link-error-signature-required.json",
            |s, h, b| decode::create_payment_link(s, h, b).map(drop),
            "4010",
        ),
        (
            "saved-cards-error.json",
            |s, h, b| decode::saved_cards(s, h, b).map(drop),
            "4010",
        ),
        (
            "add-card-error-duplicate.json",
            |s, h, b| decode::add_card_for_customer(s, h, b).map(drop),
            "4001",
        ),
        (
            "list-cards-error-customer-not-found.json",
            |s, h, b| decode::list_cards(s, h, b).map(drop),
            "4016",
        ),
        (
            "delete-card-error.json",
            |s, h, b| decode::delete_card(s, h, b).map(drop),
            "4016",
        ),
        (
            "transaction-details-error-not-found.json",
            |s, h, b| decode::transaction_details(s, h, b).map(drop),
            "4096",
        ),
        (
            "auth-token-error-merchant-not-found.json",
            |s, h, b| decode::auth_token(s, h, b).map(drop),
            "4016",
        ),
        (
            "jwt-error-4054.json",
            |s, h, b| decode::capture(s, h, b).map(drop),
            "4054",
        ),
    ];
    for (name, check, code) in errors {
        for status in [
            StatusCode::OK,
            StatusCode::BAD_REQUEST,
            StatusCode::UNAUTHORIZED,
        ] {
            let err = check(status, &h, &body(name)).unwrap_err();
            let provider = err
                .as_provider()
                .unwrap_or_else(|| panic!("{name} ({status}): {err:?}"));
            assert_eq!(provider.status, status, "{name}");
            assert_eq!(err.provider_code(), Some(code), "{name}");
            assert_eq!(err.error_code().map(|c| c.as_str()), Some(code), "{name}");
            assert!(!err.may_have_been_processed(), "{name}");
        }
    }
}
