use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that is not a valid date or date-time, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidDate {
    value: String,
    expected: &'static str,
}

impl fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not {}", self.value, self.expected)
    }
}

impl std::error::Error for InvalidDate {}

/// An ISO 8601 / RFC 3339 date-time, kept **exactly as written**.
///
/// Payment APIs often send timestamps without a zone (`2020-04-07T15:01:07.000`) or with
/// varying fraction digits; converting to a calendar type and back would change the text. This
/// type validates the shape (`YYYY-MM-DD[T ]HH:MM[:SS[.fff…]][Z|±HH:MM]`) and keeps the original
/// string, so a value round-trips byte for byte. Convert with your time crate of choice from
/// [`DateTime::as_str`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(String);

/// An ISO 8601 calendar date (`YYYY-MM-DD`), kept exactly as written.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(String);

impl DateTime {
    /// Validates and wraps a date-time string.
    pub fn parse(value: impl Into<String>) -> Result<Self, InvalidDate> {
        let value = value.into();
        match date_time_shape(value.as_bytes()) {
            Some(_) => Ok(DateTime(value)),
            None => Err(InvalidDate {
                value,
                expected: "an ISO 8601 date-time",
            }),
        }
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the value names its zone (`Z` or an offset); false for local timestamps.
    pub fn has_offset(&self) -> bool {
        date_time_shape(self.0.as_bytes()).unwrap_or(false)
    }
}

impl Date {
    /// Validates and wraps a date string.
    pub fn parse(value: impl Into<String>) -> Result<Self, InvalidDate> {
        let value = value.into();
        if value.len() == 10 && date_shape(value.as_bytes()) {
            Ok(Date(value))
        } else {
            Err(InvalidDate {
                value,
                expected: "an ISO 8601 date (YYYY-MM-DD)",
            })
        }
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn digits(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit)
}

fn two_digits_at_most(bytes: &[u8], max: u32) -> bool {
    digits(bytes)
        && bytes.len() == 2
        && u32::from(bytes[0] - b'0') * 10 + u32::from(bytes[1] - b'0') <= max
}

fn date_shape(b: &[u8]) -> bool {
    b.len() >= 10
        && digits(&b[0..4])
        && b[4] == b'-'
        && two_digits_at_most(&b[5..7], 12)
        && b[7] == b'-'
        && two_digits_at_most(&b[8..10], 31)
}

/// `Some(has_offset)` when `b` is a date-time.
fn date_time_shape(b: &[u8]) -> Option<bool> {
    if !date_shape(b) || b.len() < 16 || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let time = &b[11..];
    if !(two_digits_at_most(&time[0..2], 23)
        && time[2] == b':'
        && two_digits_at_most(&time[3..5], 59))
    {
        return None;
    }
    let mut rest = &time[5..];
    if let [b':', s1, s2, tail @ ..] = rest {
        // 60 allows a leap second.
        if !two_digits_at_most(&[*s1, *s2], 60) {
            return None;
        }
        rest = tail;
        if let [b'.', tail @ ..] = rest {
            let fraction = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            if fraction == 0 {
                return None;
            }
            rest = &tail[fraction..];
        }
    }
    match rest {
        [] => Some(false),
        [b'Z' | b'z'] => Some(true),
        [b'+' | b'-', h1, h2, b':', m1, m2] => (two_digits_at_most(&[*h1, *h2], 23)
            && two_digits_at_most(&[*m1, *m2], 59))
        .then_some(true),
        _ => None,
    }
}

macro_rules! string_backed {
    ($ty:ident) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl FromStr for $ty {
            type Err = InvalidDate;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                $ty::parse(value)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = InvalidDate;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $ty::parse(value)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = InvalidDate;
            fn try_from(value: &str) -> Result<Self, Self::Error> {
                $ty::parse(value)
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                $ty::parse(value).map_err(serde::de::Error::custom)
            }
        }
    };
}

string_backed!(DateTime);
string_backed!(Date);

#[cfg(test)]
mod tests {
    use super::{Date, DateTime};

    #[test]
    fn accepts_zoned_and_zoneless_date_times_and_keeps_the_text() {
        for (text, zoned) in [
            ("2020-04-07T15:01:07.000", false),
            ("2020-01-01T00:00:00", false),
            ("2016-10-25T17:41:41.959Z", true),
            ("2021-03-04T05:06:07+01:00", true),
            ("2021-03-04 05:06", false),
        ] {
            let parsed = DateTime::parse(text).unwrap();
            assert_eq!(parsed.as_str(), text);
            assert_eq!(parsed.has_offset(), zoned, "{text}");
            let json = serde_json::to_string(&parsed).unwrap();
            assert_eq!(json, format!("\"{text}\""));
        }
    }

    #[test]
    fn rejects_what_is_not_a_date_time() {
        for text in [
            "",
            "2020-13-01T00:00:00",
            "2020-01-01",
            "2020-01-01T25:00",
            "2020-01-01T00:00:00.Z",
            "yesterday",
        ] {
            let error = DateTime::parse(text).unwrap_err();
            assert!(
                error.to_string().contains("is not an ISO 8601 date-time"),
                "{text}"
            );
        }
        assert!(serde_json::from_str::<DateTime>("\"nope\"").is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2024-02-29").unwrap().as_str(), "2024-02-29");
        assert!(Date::parse("2024-2-29").is_err());
        assert!(Date::parse("2024-02-29T00:00").is_err());
    }
}
