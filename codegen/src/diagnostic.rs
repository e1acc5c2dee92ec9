//! Diagnostics: every failure caused by a spec is reported as one of these, never as a panic.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on; the output may not be what the author meant.
    Warning,
    /// Generation stopped.
    Error,
}

/// A problem found in a spec, located by file, JSON pointer and (where known) line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The spec file as the user named it.
    pub file: String,
    /// RFC 6901 JSON pointer into the document (`""` for the whole document).
    pub json_pointer: String,
    /// 1-based line, where the loader could find one.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// What is wrong, in words a spec author can act on.
    pub message: String,
}

impl Diagnostic {
    /// An error at `json_pointer` of `file` (location filled in later by the loader).
    pub fn error(
        file: impl Into<String>,
        json_pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            json_pointer: json_pointer.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// A warning at `json_pointer` of `file`.
    pub fn warning(
        file: impl Into<String>,
        json_pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, json_pointer, message)
        }
    }

    /// Sets line and column (1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl fmt::Display for Diagnostic {
    /// Rendered like a compiler message:
    ///
    /// ```text
    /// error: $ref target `#/components/schemas/Nope` does not exist
    ///   --> specs/x.yaml:12:9
    ///    = at #/paths/~1a/get/responses/200/content/application~1json/schema/$ref
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        match (self.line, self.column) {
            (Some(line), Some(column)) => writeln!(f, "  --> {}:{line}:{column}", self.file)?,
            (Some(line), None) => writeln!(f, "  --> {}:{line}", self.file)?,
            _ => writeln!(f, "  --> {}", self.file)?,
        }
        write!(f, "   = at #{}", self.json_pointer)
    }
}

/// One or more diagnostics; the error type of every fallible step of the pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one JSON pointer segment (RFC 6901).
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler_message() {
        let rendered = Diagnostic::error("specs/x.yaml", "/paths/~1a", "something is wrong")
            .at(3, 5)
            .to_string();
        assert_eq!(
            rendered,
            "error: something is wrong\n  --> specs/x.yaml:3:5\n   = at #/paths/~1a"
        );
    }

    #[test]
    fn pointer_segments_round_trip() {
        assert_eq!(escape_segment("a/b~c"), "a~1b~0c");
        assert_eq!(unescape_segment("a~1b~0c"), "a/b~c");
    }
}
