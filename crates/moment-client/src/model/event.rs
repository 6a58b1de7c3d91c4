//! Webhook events: the envelope `{"id", "type", "data"}` and its typed payloads.

use serde::Deserialize;
use serde_json::Value;

use super::common::open_enum;
use super::{Payment, PaymentSession};
use crate::error::DecodeError;

open_enum! {
    /// The type of a webhook event (`type`).
    EventType {
        /// `payment_session.created`.
        PaymentSessionCreated => "payment_session.created",
        /// `payment_session.updated`.
        PaymentSessionUpdated => "payment_session.updated",
        /// `payment_session.completed`: the session finished; check its outcome.
        PaymentSessionCompleted => "payment_session.completed",
        /// `payment.succeeded`: paid, or authorised under manual capture.
        PaymentSucceeded => "payment.succeeded",
        /// `payment.attempt_failed`: an attempt failed; the customer may retry.
        PaymentAttemptFailed => "payment.attempt_failed",
        /// `payment.failed`: every attempt failed.
        PaymentFailed => "payment.failed",
        /// `payment.captured`: a capture succeeded.
        PaymentCaptured => "payment.captured",
        /// `payment.voided`: the remaining authorisation was released.
        PaymentVoided => "payment.voided",
    }
}

/// The object an event is about (`data`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum EventData {
    /// A payment session (`payment_session.*` events).
    PaymentSession(Box<PaymentSession>),
    /// A payment (`payment.*` events).
    Payment(Box<Payment>),
    /// The data of any other event (payment requests, payment pages, billing), as sent.
    Other(Value),
}

/// A verified webhook event.
///
/// Deliveries are retried and may arrive more than once: de-duplicate on
/// [`Event::webhook_id`] (the `webhook-id` header, the same on every delivery of a message).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Event {
    /// The `webhook-id` header: the idempotency key of the delivery.
    pub webhook_id: String,
    /// The `webhook-timestamp` header: when this delivery was signed (Unix seconds).
    pub webhook_timestamp: i64,
    /// The event's `id` (`evt_…` or `wh_…`).
    pub id: String,
    /// The event's `type`.
    pub event_type: EventType,
    /// The event's `data`.
    pub data: EventData,
}

impl Event {
    /// The payment session, for `payment_session.*` events.
    pub fn payment_session(&self) -> Option<&PaymentSession> {
        match &self.data {
            EventData::PaymentSession(session) => Some(session),
            _ => None,
        }
    }

    /// The payment, for `payment.*` events.
    pub fn payment(&self) -> Option<&Payment> {
        match &self.data {
            EventData::Payment(payment) => Some(payment),
            _ => None,
        }
    }

    /// Parses a verified body.
    pub(crate) fn parse(
        webhook_id: String,
        webhook_timestamp: i64,
        body: &[u8],
    ) -> Result<Event, Box<DecodeError>> {
        #[derive(Deserialize)]
        struct Envelope {
            id: String,
            #[serde(rename = "type")]
            event_type: EventType,
            #[serde(default)]
            data: Value,
        }
        let envelope: Envelope = DecodeError::decode("webhook", body)?;
        let type_name = envelope.event_type.as_str();
        let data = if type_name.starts_with("payment_session.") {
            EventData::PaymentSession(Box::new(decode_data(envelope.data, body)?))
        } else if type_name.starts_with("payment.") {
            EventData::Payment(Box::new(decode_data(envelope.data, body)?))
        } else {
            EventData::Other(envelope.data)
        };
        Ok(Event {
            webhook_id,
            webhook_timestamp,
            id: envelope.id,
            event_type: envelope.event_type,
            data,
        })
    }
}

fn decode_data<T: serde::de::DeserializeOwned>(
    data: Value,
    body: &[u8],
) -> Result<T, Box<DecodeError>> {
    // Fast path without path tracking; a failure is decoded again to name the field.
    if let Ok(value) = T::deserialize(&data) {
        return Ok(value);
    }
    serde_path_to_error::deserialize(data).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            "data".to_owned()
        } else {
            format!("data.{path}")
        };
        Box::new(DecodeError::new(
            "webhook",
            path,
            &e.into_inner().to_string(),
            body,
        ))
    })
}
