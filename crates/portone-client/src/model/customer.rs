//! The merchant-centric card vault's customers (`/api/merchant/{key}/customer`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Rule};
use crate::lenient;

/// A customer to add to the card vault.
///
/// PortOne does not publish the JSON names of this body; the SDKs' fields (`name`,
/// `customerRef`, `emailAddress`, `phoneNumber`) are sent in PortOne's snake_case convention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddCustomerRequest {
    name: String,
    customer_ref: String,
    email_address: String,
    phone_number: String,
}

impl AddCustomerRequest {
    /// A customer with the merchant's own reference for them.
    pub fn new(
        name: impl Into<String>,
        customer_ref: impl Into<String>,
        email_address: impl Into<String>,
        phone_number: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            customer_ref: customer_ref.into(),
            email_address: email_address.into(),
            phone_number: phone_number.into(),
        }
    }

    /// Checks the required fields and the phone number.
    pub fn validate(&self) -> Result<(), Error> {
        for (field, value) in [
            ("name", &self.name),
            ("customer_ref", &self.customer_ref),
            ("email_address", &self.email_address),
        ] {
            if value.trim().is_empty() {
                return Err(Error::invalid(Rule::Required, format!("{field} is empty")));
            }
        }
        if !self.email_address.contains('@') {
            return Err(Error::invalid(
                Rule::Required,
                "email_address is not an email address",
            ));
        }
        crate::model::validate_phone(&self.phone_number)
    }
}

/// A card-vault customer as PortOne returns it (the response shape is not published; the
/// fields are read leniently and anything else is kept in `extra`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Customer {
    /// The customer's UUID, used by the card-vault calls.
    #[serde(
        default,
        alias = "uuid",
        alias = "customer_id",
        alias = "customerUUID",
        alias = "customer_uuid",
        alias = "id",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub customer_uuid: Option<String>,
    /// Name.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub name: Option<String>,
    /// The merchant's reference.
    #[serde(
        default,
        alias = "customerRef",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub customer_ref: Option<String>,
    /// Email address.
    #[serde(
        default,
        alias = "emailAddress",
        alias = "email",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub email_address: Option<String>,
    /// Phone number.
    #[serde(
        default,
        alias = "phoneNumber",
        alias = "phone",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub phone_number: Option<String>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
