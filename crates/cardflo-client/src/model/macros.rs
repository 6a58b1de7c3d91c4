//! Macros shared by the model: open enums and builder setters.

/// Defines a `#[non_exhaustive]` string enum of the gateway with an `Unknown(String)` variant
/// that keeps any value this version of the crate does not know. Parsing is case-insensitive
/// (the gateway sends `DEBIT` and `debit`); serialization uses the documented spelling.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// The value as the gateway spells it (an unknown value is returned verbatim).
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(raw) => raw,
                }
            }

            /// Parses a wire value, ignoring ASCII case; anything else becomes `Unknown`.
            pub fn parse(raw: &str) -> Self {
                $( if raw.eq_ignore_ascii_case($value) { return Self::$variant; } )+
                Self::Unknown(raw.to_owned())
            }

            /// Whether this is a value the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                Self::parse(raw)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::parse(&raw))
            }
        }
    };
}

/// Builder-style setters for `Option<T>` fields: `fn field(self, value: impl Into<T>) -> Self`.
macro_rules! setters {
    ($ty:ty { $( $(#[$m:meta])* $field:ident : $fty:ty ),* $(,)? }) => {
        impl $ty {
            $(
                $(#[$m])*
                #[must_use]
                pub fn $field(mut self, value: impl Into<$fty>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
        }
    };
}

pub(crate) use open_enum;
pub(crate) use setters;
