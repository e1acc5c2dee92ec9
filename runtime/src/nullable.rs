use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that is optional **and** nullable: absent, explicitly `null`, or a value.
///
/// `Option<Option<T>>` would collapse `null` into "absent" under serde's defaults; this type keeps
/// the three states apart so that a document that says `"settled_at": null` serializes back to
/// exactly that. Generated structs use it with
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// The field was not present.
    #[default]
    Absent,
    /// The field was present with the value `null`.
    Null,
    /// The field was present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True when the field was not present (used by `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True when the field was present as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one, dropping the absent/null distinction.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            // Absent fields are skipped by the generated `skip_serializing_if`; if a caller
            // serializes one anyway, `null` is the only faithful JSON for "no value".
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only called when the key is present (absent keys take `#[serde(default)]`).
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Holder {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        field: Nullable<u8>,
    }

    #[test]
    fn keeps_absent_null_and_value_apart() {
        for (json, expected) in [
            ("{}", Nullable::Absent),
            (r#"{"field":null}"#, Nullable::Null),
            (r#"{"field":7}"#, Nullable::Value(7)),
        ] {
            let holder: Holder = serde_json::from_str(json).unwrap();
            assert_eq!(holder.field, expected);
            assert_eq!(serde_json::to_string(&holder).unwrap(), json);
        }
    }
}
