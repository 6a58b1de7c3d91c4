//! The options API: adapter-specific lists such as the bank list of an online-banking method.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::validate;

/// The body of an options request. Sent with [`Client::options`](crate::Client::options).
///
/// ```
/// use cardflo_client::model::OptionsRequest;
/// let request = OptionsRequest::new().parameter("country", "AT");
/// assert_eq!(serde_json::to_string(&request)?, r#"{"parameters":{"country":"AT"}}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OptionsRequest {
    /// `parameters` some adapters need.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
}

impl OptionsRequest {
    /// A request without parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one parameter.
    #[must_use]
    pub fn parameter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.insert(key.into(), value.into());
        self
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        validate::extra_data("parameters", &self.parameters)
    }
}

/// The options of an adapter, in the order the gateway sent them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct OptionsResponse {
    /// `success`.
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub success: Option<bool>,
    /// `options`: sent as a map (`{"bank1": "Bank One"}`) or as `[{"key": …, "value": …}]`.
    #[serde(default, deserialize_with = "options_list")]
    pub options: Vec<OptionEntry>,
}

impl OptionsResponse {
    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|o| o.key == key)
            .map(|o| o.value.as_str())
    }
}

/// One option.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct OptionEntry {
    /// The identifier to send back (e.g. a bank code).
    #[serde(deserialize_with = "required_string")]
    pub key: String,
    /// The label to show.
    #[serde(deserialize_with = "required_string")]
    pub value: String,
}

fn required_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    crate::de::opt_string(deserializer)?
        .ok_or_else(|| serde::de::Error::custom("expected a string, found null"))
}

fn options_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<OptionEntry>, D::Error> {
    struct Options;

    impl<'de> Visitor<'de> for Options {
        type Value = Vec<OptionEntry>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map of options or a list of {key, value}")
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((key, value)) = map.next_entry::<String, LenientString>()? {
                out.push(OptionEntry {
                    key,
                    value: value.0,
                });
            }
            Ok(out)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = seq.next_element::<OptionEntry>()? {
                out.push(entry);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_any(Options)
}

struct LenientString(String);

impl<'de> Deserialize<'de> for LenientString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        required_string(deserializer).map(LenientString)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn both_documented_shapes_keep_their_order() {
        let map: OptionsResponse = serde_json::from_str(
            r#"{"success":true,"options":{"bank2":"Bank Two","bank1":"Bank One"}}"#,
        )
        .unwrap();
        assert_eq!(map.options[0].key, "bank2");
        assert_eq!(map.get("bank1"), Some("Bank One"));
        let list: OptionsResponse =
            serde_json::from_str(r#"{"success":true,"options":[{"key":"b","value":"B"}]}"#)
                .unwrap();
        assert_eq!(list.get("b"), Some("B"));
        assert!(serde_json::from_str::<OptionsResponse>(r#"{"options":"x"}"#).is_err());
    }
}
