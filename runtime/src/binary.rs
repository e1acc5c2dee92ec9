//! `Binary`: the value of a `type: string, format: binary` property (a file in a multipart body).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Raw bytes with the file name and media type a multipart part carries. `Debug` shows only the
/// length, so logging a request never prints a file's contents.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Binary {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The file name sent in the part's `Content-Disposition` (`invoice.pdf`).
    pub filename: Option<String>,
    /// The part's `Content-Type`, when the sender gave one.
    pub content_type: Option<String>,
}

impl Binary {
    /// Bytes without a file name or media type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Binary {
            bytes: bytes.into(),
            filename: None,
            content_type: None,
        }
    }

    /// The same bytes sent under a file name.
    pub fn with_filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// The same bytes sent with a media type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binary")
            .field("len", &self.bytes.len())
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::new(bytes)
    }
}

/// In JSON (where `format: binary` has no real meaning) the bytes are text.
impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Binary::new(text.into_bytes()))
    }
}
