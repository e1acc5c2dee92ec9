//! The trait impls every generated string enum shares.

/// Implements `From<String>`, `FromStr`, `Display`, `Serialize` and `Deserialize` for a generated
/// string enum through the `as_str()` and `From<&str>` it defines itself. The five impls are the
/// same for every string enum; one invocation keeps each enum's source to what is its own.
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum_traits {
    ($name:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    /// A string enum as specgen writes one, minus docs.
    #[derive(Clone, Debug, PartialEq)]
    enum Method {
        Card,
        Unknown(String),
    }

    impl Method {
        fn as_str(&self) -> &str {
            match self {
                Self::Card => "card",
                Self::Unknown(value) => value.as_str(),
            }
        }
    }

    impl From<&str> for Method {
        fn from(value: &str) -> Self {
            match value {
                "card" => Self::Card,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }

    crate::string_enum_traits!(Method);

    #[test]
    fn documented_and_unknown_values_round_trip_through_text_and_json() {
        assert_eq!("card".parse::<Method>(), Ok(Method::Card));
        assert_eq!(
            Method::from(String::from("sepa")),
            Method::Unknown("sepa".into())
        );
        assert_eq!(Method::Card.to_string(), "card");
        assert_eq!(serde_json::to_string(&Method::Card).unwrap(), "\"card\"");
        let unknown: Method = serde_json::from_str("\"sepa\"").unwrap();
        assert_eq!(unknown, Method::Unknown("sepa".into()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"sepa\"");
        assert!(serde_json::from_str::<Method>("1").is_err());
    }
}
