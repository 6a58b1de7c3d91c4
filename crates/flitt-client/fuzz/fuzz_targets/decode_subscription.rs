//! Fuzzes `Client::decode_subscription_response`: any status, `Retry-After` and body.
#![no_main]

use std::sync::OnceLock;

use flitt_client::model::subscription::SubscriptionRequest;
use flitt_client::{Client, Credentials};
use libfuzzer_sys::fuzz_target;

/// The order id of the published answers in `fixtures/flitt/`, so that signed answers get past
/// the order id check.
const ORDER_ID: &str = "test_recurring_payment123";

fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::builder(Credentials::new(1_549_901, "test").with_credit_key("testcredit"))
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

const STATUSES: [u16; 6] = [200, 200, 400, 429, 500, 502];

fuzz_target!(|input: &[u8]| {
    let Some((&first, body)) = input.split_first() else {
        return;
    };
    let mut answer =
        http::Response::builder().status(STATUSES[usize::from(first) % STATUSES.len()]);
    if first & 0x80 != 0 {
        // A Retry-After made of the body's first bytes, when they are a valid header value.
        let value = &body[..body.len().min(40)];
        if let Ok(value) = http::HeaderValue::from_bytes(value) {
            answer = answer.header("retry-after", value);
        }
    }
    let Ok(answer) = answer.body(body) else {
        return;
    };
    let request = SubscriptionRequest::stop(ORDER_ID);
    let _ = client().decode_subscription_response(&request, &answer);
});
