//! Credentials, as the client sends them and the server hands them to handlers. Their `Debug`
//! never shows the secret.

use std::fmt;

/// Where an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// How a security scheme of the spec carries its credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum SchemeKind {
    /// `apiKey`: a key under `name` in a header, query parameter or cookie.
    ApiKey(KeyLocation, &'static str),
    /// `http` `bearer`, and OAuth 2 / OpenID Connect access tokens.
    Bearer,
    /// `http` `basic`.
    Basic,
}

/// A security scheme as generated code describes it: its name in the spec and its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub struct Scheme {
    /// Key of `components.securitySchemes`.
    pub name: &'static str,
    /// How the credential travels.
    pub kind: SchemeKind,
}

/// A credential.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// An API key.
    ApiKey(String),
    /// A bearer (or OAuth 2 access) token.
    Bearer(String),
    /// HTTP Basic user name and password.
    Basic {
        /// User name (for some APIs, the secret key itself).
        username: String,
        /// Password, often empty.
        password: String,
    },
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::ApiKey(_) => f.write_str("ApiKey(***)"),
            Credential::Bearer(_) => f.write_str("Bearer(***)"),
            Credential::Basic { .. } => f.write_str("Basic { username: ***, password: *** }"),
        }
    }
}

/// The credential a server accepted for a request, with the scheme it came through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated {
    /// The scheme's name in the spec.
    pub scheme: &'static str,
    /// The credential as sent.
    pub credential: Credential,
}

/// The key or token mock servers accept (and conformance tests send).
pub const TEST_TOKEN: &str = "test-credential";
/// The basic-auth user mock servers accept.
pub const TEST_USER: &str = "test-user";
/// The basic-auth password mock servers accept.
pub const TEST_PASSWORD: &str = "test-password";

/// True for the test credentials mock servers accept.
#[doc(hidden)]
pub fn is_test_credential(credential: &Credential) -> bool {
    match credential {
        Credential::ApiKey(key) | Credential::Bearer(key) => key == TEST_TOKEN,
        Credential::Basic { username, password } => {
            username == TEST_USER && password == TEST_PASSWORD
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (for HTTP Basic).
#[doc(hidden)]
pub fn base64_encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional); `None` when the text is not base64.
#[doc(hidden)]
pub fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = input
        .trim_end_matches('=')
        .bytes()
        .map(|c| ALPHABET.iter().position(|a| *a == c).map(|p| p as u8))
        .collect::<Option<_>>()?;
    if digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for text in ["", "a", "ab", "abc", "secret_key:", "sk_test_123:pässword"] {
            let encoded = base64_encode(text.as_bytes());
            assert_eq!(
                base64_decode(&encoded).unwrap(),
                text.as_bytes(),
                "{encoded}"
            );
        }
        assert_eq!(base64_encode(b"user:pass"), "dXNlcjpwYXNz");
        assert!(base64_decode("!!").is_none());
    }

    #[test]
    fn debug_never_shows_secrets() {
        let text = format!(
            "{:?}",
            Credential::Basic {
                username: "sk_live_1".into(),
                password: "pw".into()
            }
        );
        assert!(
            !text.contains("sk_live_1") && !text.contains("pw\""),
            "{text}"
        );
        assert_eq!(
            format!("{:?}", Credential::Bearer("t0k3n".into())),
            "Bearer(***)"
        );
    }
}
