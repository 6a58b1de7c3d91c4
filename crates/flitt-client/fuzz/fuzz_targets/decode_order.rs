//! Fuzzes the decoders of every operation answered with an order (`recurring`,
//! `order_status`, `p2p_credit`, `three_ds_step2`, `settlement`; the second input byte chooses
//! which): any status, `Retry-After` and body.
#![no_main]

use std::sync::OnceLock;

use flitt_client::model::order::StatusRequest;
use flitt_client::model::payout::{P2pCreditRequest, PayoutReceiver};
use flitt_client::model::recurring::RecurringRequest;
use flitt_client::model::settlement::{SettlementReceiver, SettlementRequest};
use flitt_client::model::three_ds::ThreeDsStep2Request;
use flitt_client::{Client, Credentials, Currency};
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
    let Some((&first, rest)) = input.split_first() else {
        return;
    };
    let Some((&selector, body)) = rest.split_first() else {
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
    let client = client();
    let _ = match selector % 5 {
        0 => client.decode_recurring_response(
            &RecurringRequest::new(ORDER_ID, "d", 100, Currency::GEL, "t"),
            &answer,
        ),
        1 => client.decode_order_status_response(&StatusRequest::new(ORDER_ID), &answer),
        2 => client.decode_p2p_credit_response(
            &P2pCreditRequest::new(
                ORDER_ID,
                "d",
                100,
                Currency::GEL,
                PayoutReceiver::Rectoken("t".into()),
            ),
            &answer,
        ),
        3 => client.decode_three_ds_step2_response(
            &ThreeDsStep2Request::new(ORDER_ID, "pares", "md"),
            &answer,
        ),
        _ => client.decode_settlement_response(
            &SettlementRequest::new(
                ORDER_ID,
                "parent",
                "d",
                100,
                Currency::GEL,
                vec![SettlementReceiver::merchant(600001, 100)],
            ),
            &answer,
        ),
    };
});
