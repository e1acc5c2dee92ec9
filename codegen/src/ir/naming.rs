//! Every Rust identifier the generator writes is made here: one sanitizer for keywords,
//! leading digits and punctuation, and one uniquifier for collisions, so output is
//! collision-free and deterministic (first come keeps the plain name, in document order).

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict, reserved and edition-2024 keywords: never usable as plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// True for a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Words for values made only of punctuation (`+`, `-`, `*`), so enum variants stay readable.
fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => "plus",
        '-' => "minus",
        '*' => "asterisk",
        '/' => "slash",
        '.' => "dot",
        '=' => "equals",
        '<' => "less_than",
        '>' => "greater_than",
        '!' => "bang",
        '?' => "question",
        '@' => "at",
        '#' => "hash",
        '$' => "dollar",
        '%' => "percent",
        '&' => "and",
        '|' => "pipe",
        '~' => "tilde",
        '^' => "caret",
        ':' => "colon",
        _ => return None,
    })
}

/// Splits on everything that is not alphanumeric; spells out punctuation-only input.
fn words(raw: &str) -> String {
    let alnum: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    if alnum.trim().is_empty() {
        return raw
            .chars()
            .filter_map(symbol_word)
            .collect::<Vec<_>>()
            .join(" ");
    }
    alnum
}

/// UpperCamelCase type or variant name; `fallback` when nothing usable is left.
pub fn upper_camel(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{fallback}{name}");
    }
    if is_keyword(&name) {
        name.push_str(fallback);
    }
    name
}

/// snake_case field, method or parameter name; `fallback` when nothing usable is left.
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{fallback}_{name}");
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// Hands out names, making each unique by appending `2`, `3`, … to later arrivals.
///
/// Comparison is case-insensitive when asked: type names that differ only by case would clash
/// on case-insensitive file systems and confuse readers.
#[derive(Debug, Default)]
pub struct Uniquifier {
    taken: HashSet<String>,
    case_insensitive: bool,
}

impl Uniquifier {
    /// Names compared exactly (fields, variants).
    pub fn new() -> Self {
        Uniquifier::default()
    }

    /// Names compared ignoring ASCII case (types).
    pub fn case_insensitive() -> Self {
        Uniquifier {
            taken: HashSet::new(),
            case_insensitive: true,
        }
    }

    /// Marks a name as used without handing it out (names the generator itself needs).
    pub fn reserve(&mut self, name: &str) {
        let key = self.key(name);
        self.taken.insert(key);
    }

    /// `name` if free, else the first free `name2`, `name3`, ….
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(self.key(&name)) {
            return name;
        }
        let separator = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{name}{separator}{n}"))
            .find(|candidate| self.taken.insert(self.key(candidate)))
            .unwrap_or(name) // infallible: the range is unbounded and the set finite
    }

    fn key(&self, name: &str) -> String {
        if self.case_insensitive {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_keywords_digits_and_punctuation() {
        assert_eq!(snake("type", "field"), "type_");
        assert_eq!(snake("self", "field"), "self_");
        assert_eq!(snake("3ds_version", "field"), "field_3ds_version");
        assert_eq!(snake("x-account-id", "field"), "x_account_id");
        assert_eq!(snake("", "field"), "field");
        assert_eq!(upper_camel("credit_card", "Value"), "CreditCard");
        assert_eq!(
            upper_camel("ADDRESS_AND_POSTAL_CODE", "Value"),
            "AddressAndPostalCode"
        );
        assert_eq!(
            upper_camel("transaction.authorized", "Value"),
            "TransactionAuthorized"
        );
        assert_eq!(upper_camel("200", "Value"), "Value200");
        assert_eq!(upper_camel("+", "Value"), "Plus");
        assert_eq!(upper_camel("", "Value"), "Value");
        assert_eq!(upper_camel("self", "Type"), "SelfType");
    }

    #[test]
    fn later_arrivals_get_numbered_names() {
        let mut names = Uniquifier::case_insensitive();
        names.reserve("Unknown");
        assert_eq!(names.claim("Foo".into()), "Foo");
        assert_eq!(names.claim("FOO".into()), "FOO2");
        assert_eq!(names.claim("Foo".into()), "Foo3");
        assert_eq!(names.claim("Unknown".into()), "Unknown2");
        assert_eq!(names.claim("Code1".into()), "Code1");
        assert_eq!(names.claim("Code1".into()), "Code1_2");
    }
}
