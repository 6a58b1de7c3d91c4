//! Cardflo: debit → redirect (3-D Secure) → signed callback → status.

use std::time::SystemTime;

use cardflo_client::auth::{Connector, Credentials};
use cardflo_client::model::{DebitRequest, TransactionOutcome};
use cardflo_client::testing::{self, MockGateway, Operation, Outcome};
use cardflo_client::webhook::{Verifier, sign_notification};
use cardflo_client::{Amount, Client, DEFAULT_BASE_URL};
use secrecy::SecretString;
use serde_json::json;

use super::{Flow, FlowError, Scrubber};

const CALLBACK_URI: &str = "/cardflo/notifications?order=demo-0001";

pub(crate) async fn run(live: bool) -> (String, Result<String, FlowError>) {
    if live {
        return run_live().await;
    }
    let mock = MockGateway::start().await;
    let scrubber = Scrubber::new([
        testing::API_PASSWORD,
        testing::SHARED_SECRET,
        testing::API_KEY,
    ]);
    let mut flow = match Flow::start(&mock.base_url(), scrubber).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let result = mock_flow(&mock, &mut flow).await;
    (flow.finish(), result)
}

fn debit(merchant_transaction_id: &str) -> Result<DebitRequest, String> {
    let amount: Amount = "9.99".parse().map_err(|e| format!("{e}"))?;
    Ok(DebitRequest::new(merchant_transaction_id, amount, "EUR")
        .description("Demo order")
        .success_url("https://shop.example/success")
        .cancel_url("https://shop.example/cancel")
        .error_url("https://shop.example/error")
        .callback_url(format!("https://shop.example{CALLBACK_URI}")))
}

async fn mock_flow(mock: &MockGateway, flow: &mut Flow) -> Result<String, FlowError> {
    flow.step("debit 9.99 EUR (signed with X-Signature), answered with a 3-D Secure redirect");
    mock.script(
        Operation::Debit,
        Outcome::Redirect {
            url: "https://gateway.example/3ds/challenge".to_owned(),
        },
    );
    let client = mock
        .client_builder()
        .base_url(flow.via_proxy(&mock.base_url()))
        .build()
        .map_err(|e| flow.fail(e))?;
    let merchant_transaction_id = "demo-0001";
    let request = debit(merchant_transaction_id).map_err(|e| flow.fail(e))?;
    let response = client.debit(&request).await.map_err(|e| flow.fail(e))?;
    let TransactionOutcome::Redirect(redirect) = &response.outcome else {
        return Err(flow.fail(format!("expected a redirect, got {:?}", response.outcome)));
    };
    flow.note(&format!("redirect the customer to {}", redirect.url));
    let uuid = response
        .uuid
        .clone()
        .ok_or_else(|| flow.fail("the debit answer has no uuid"))?;

    flow.step("the gateway posts the signed callback: verify (signature, date), then parse");
    let body = json!({
        "result": "OK",
        "uuid": uuid,
        "merchantTransactionId": merchant_transaction_id,
        "purchaseId": "20190927-abcde12345abcde12345",
        "transactionType": "DEBIT",
        "paymentMethod": "Creditcard",
        "amount": "9.99",
        "currency": "EUR",
        "returnData": {
            "_TYPE": "cardData",
            "type": "visa",
            "cardHolder": "John Doe",
            "expiryMonth": "12",
            "expiryYear": "2030",
            "firstSixDigits": "411111",
            "lastFourDigits": "1111",
            "threeDSecure": "MANDATORY"
        }
    });
    let body = serde_json::to_vec(&body).map_err(|e| flow.fail(e))?;
    // The gateway signs with the connector's shared secret; the shop verifies with its own copy.
    let secret = SecretString::from(testing::SHARED_SECRET);
    let callback = sign_notification(&secret, CALLBACK_URI, body, SystemTime::now())
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!("POST {}", callback.uri()));
    for name in ["date", "x-signature", "content-type"] {
        let value = callback
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        flow.note(&format!("{name}: {value}"));
    }
    flow.body("body", callback.body());
    let notification = Verifier::new(secret)
        .verify(&callback)
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "verified: {:?} for {:?}; answer 200 \"OK\"",
        notification.kind(),
        notification.merchant_transaction_id
    ));

    flow.step("read the transaction status by merchantTransactionId (the reconciliation call)");
    let status = client
        .status_by_merchant_transaction_id(merchant_transaction_id)
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "status {:?}, uuid {:?}",
        status.transaction_status, status.uuid
    ));
    Ok(format!(
        "debit {merchant_transaction_id} redirected, callback verified, status read"
    ))
}

async fn run_live() -> (String, Result<String, FlowError>) {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (Some(user), Some(password), Some(api_key)) = (
        var("CARDFLO_API_USER"),
        var("CARDFLO_API_PASSWORD"),
        var("CARDFLO_API_KEY"),
    ) else {
        return (
            String::new(),
            Err(FlowError {
                step: "read the credentials".to_owned(),
                message: "CARDFLO_API_USER, CARDFLO_API_PASSWORD and CARDFLO_API_KEY are needed"
                    .to_owned(),
            }),
        );
    };
    let shared_secret = var("CARDFLO_SHARED_SECRET");
    let base_url = var("CARDFLO_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let mut secrets = vec![password.clone(), api_key.clone()];
    secrets.extend(shared_secret.clone());
    let mut flow = match Flow::start(&base_url, Scrubber::new(secrets)).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let mut connector = Connector::new(api_key);
    if let Some(secret) = shared_secret {
        connector = connector.shared_secret(SecretString::from(secret));
    }
    let builder = Client::builder(
        Credentials::new(user, SecretString::from(password)),
        connector,
    )
    .base_url(flow.via_proxy(&base_url));
    let result = live_flow(&mut flow, builder).await;
    (flow.finish(), result)
}

async fn live_flow(
    flow: &mut Flow,
    builder: cardflo_client::ClientBuilder,
) -> Result<String, FlowError> {
    flow.step("debit 9.99 EUR");
    let client = builder.build().map_err(|e| flow.fail(e))?;
    let merchant_transaction_id = format!(
        "demo-{}",
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default()
    );
    let request = debit(&merchant_transaction_id).map_err(|e| flow.fail(e))?;
    let response = client.debit(&request).await.map_err(|e| flow.fail(e))?;
    flow.note(&format!("outcome: {:?}", response.outcome));
    flow.step("the signed callback");
    flow.note("the gateway posts it to your callbackUrl, not to this command; verify it there with cardflo_client::webhook::Verifier");
    flow.step("read the transaction status by merchantTransactionId");
    let status = client
        .status_by_merchant_transaction_id(&merchant_transaction_id)
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!("status {:?}", status.transaction_status));
    Ok(format!(
        "live debit {merchant_transaction_id} sent, status read"
    ))
}
