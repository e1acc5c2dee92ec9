//! Maps a JSON pointer back to a line and column of the spec's text.
//!
//! The YAML and JSON parsers give positions only for syntax errors; semantic errors found later
//! (a dangling `$ref`, an unsupported construct) are located by walking the text: each pointer
//! segment is searched as a key (or as the n-th `- ` item) inside the block of the previous one,
//! using indentation to know where a block ends. This is exact for block-style YAML and
//! pretty-printed JSON — what people write by hand — and falls back to the nearest enclosing
//! location otherwise.

use crate::diagnostic::unescape_segment;

/// Line and column lookup over one document's text.
#[derive(Clone, Debug)]
pub struct Locator {
    lines: Vec<LineInfo>,
}

#[derive(Clone, Debug)]
struct LineInfo {
    /// Column (0-based) of the first non-blank character.
    indent: usize,
    /// The mapping key that starts on this line, with the column where it starts.
    key: Option<(String, usize)>,
    /// Column of a `- ` sequence-item marker at the start of the line.
    item: Option<usize>,
    /// Blank or comment-only.
    blank: bool,
}

impl Locator {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        Locator {
            lines: text.lines().map(LineInfo::parse).collect(),
        }
    }

    /// 1-based `(line, column)` of the value named by `pointer`, or of its nearest ancestor
    /// that could be found; `None` for the document root.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut found: Option<(usize, usize)> = None;
        // The block we are inside: lines after `start` that are indented more than `parent`.
        let mut start = 0usize;
        let mut parent_indent: Option<usize> = None;
        for raw in pointer.split('/').skip(1) {
            let segment = unescape_segment(raw);
            // (line, column of the value's start, indentation that encloses its block)
            let step = self
                .find_key(start, parent_indent, &segment)
                .map(|(line, column)| (line, column, column))
                .or_else(|| {
                    let n = segment.parse::<usize>().ok()?;
                    self.find_item(start, parent_indent, n)
                        .map(|(line, marker)| (line, marker + 2, marker))
                });
            match step {
                Some((line, column, block)) => {
                    found = Some((line + 1, column + 1));
                    start = line;
                    parent_indent = Some(block);
                }
                None => break,
            }
        }
        found
    }

    fn block(
        &self,
        start: usize,
        parent_indent: Option<usize>,
    ) -> impl Iterator<Item = (usize, &LineInfo)> {
        // The first line of a block is the parent's own line (its value may start there, as in
        // `- name: x`), so it is searched too, to the right of the parent's column.
        let first = if parent_indent.is_some() { start } else { 0 };
        self.lines
            .iter()
            .enumerate()
            .skip(first)
            .filter(|(_, info)| !info.blank)
            .take_while(move |(index, info)| {
                *index == start || parent_indent.is_none_or(|p| info.indent > p)
            })
    }

    fn find_key(
        &self,
        start: usize,
        parent_indent: Option<usize>,
        key: &str,
    ) -> Option<(usize, usize)> {
        // The block's own keys are its shallowest: a deeper key of the same name (`example`
        // inside a property of the schema whose `example` is sought) belongs to a child.
        self.block(start, parent_indent)
            .filter_map(|(index, info)| match &info.key {
                Some((name, column))
                    if name == key && parent_indent.is_none_or(|p| *column > p) =>
                {
                    Some((index, *column))
                }
                _ => None,
            })
            .min_by_key(|&(index, column)| (column, index))
    }

    fn find_item(
        &self,
        start: usize,
        parent_indent: Option<usize>,
        n: usize,
    ) -> Option<(usize, usize)> {
        let mut items = self
            .block(start, parent_indent)
            .filter_map(|(index, info)| {
                info.item
                    .filter(|c| parent_indent.is_none_or(|p| *c > p) || index == start)
                    .map(|c| (index, c))
            });
        let (first_line, level) = items.next()?;
        if n == 0 {
            return Some((first_line, level));
        }
        items.filter(|(_, column)| *column == level).nth(n - 1)
    }
}

impl LineInfo {
    fn parse(line: &str) -> LineInfo {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return LineInfo {
                indent,
                key: None,
                item: None,
                blank: true,
            };
        }
        let (item, body, body_column) = match trimmed
            .strip_prefix("- ")
            .or_else(|| (trimmed == "-").then_some(""))
        {
            Some(rest) => {
                let rest_trimmed = rest.trim_start();
                (
                    Some(indent),
                    rest_trimmed,
                    indent + 2 + (rest.len() - rest_trimmed.len()),
                )
            }
            None => (None, trimmed, indent),
        };
        let key = parse_key(body).map(|k| (k, body_column));
        LineInfo {
            indent,
            key,
            item,
            blank: false,
        }
    }
}

/// The key of `key: ...`, `"key": ...` or `'key': ...`; `None` when the line starts no key.
fn parse_key(body: &str) -> Option<String> {
    let body = body.trim_start_matches(['{', ',', ' ']);
    if let Some(rest) = body.strip_prefix('"') {
        let end = rest.find('"')?;
        let after = rest[end + 1..].trim_start();
        return after
            .starts_with(':')
            .then(|| rest[..end].replace("\\/", "/"));
    }
    if let Some(rest) = body.strip_prefix('\'') {
        let end = rest.find('\'')?;
        let after = rest[end + 1..].trim_start();
        return after.starts_with(':').then(|| rest[..end].to_string());
    }
    let colon = body
        .find(": ")
        .or_else(|| body.ends_with(':').then(|| body.len() - 1))?;
    let key = &body[..colon];
    (!key.is_empty() && !key.contains(['{', '[', '"', '#'])).then(|| key.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::Locator;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n        - name: x\n          in: query\n        - name: y\n          in: header\n      responses:\n        '200':\n          description: ok\ncomponents:\n  schemas:\n    A:\n      type: object\n";

    #[test]
    fn finds_nested_keys_and_items() {
        let locator = Locator::new(YAML);
        assert_eq!(locator.locate("/paths/~1a/get"), Some((4, 5)));
        assert_eq!(
            locator.locate("/paths/~1a/get/responses/200/description"),
            Some((12, 11))
        );
        assert_eq!(
            locator.locate("/paths/~1a/get/parameters/1/in"),
            Some((9, 11))
        );
        assert_eq!(locator.locate("/paths/~1a/get/parameters/0"), Some((6, 11)));
        assert_eq!(locator.locate("/components/schemas/A/type"), Some((16, 7)));
    }

    #[test]
    fn falls_back_to_the_nearest_ancestor() {
        let locator = Locator::new(YAML);
        assert_eq!(locator.locate("/components/schemas/Missing"), Some((14, 3)));
        assert_eq!(locator.locate(""), None);
    }

    #[test]
    fn a_key_of_the_block_wins_over_a_deeper_key_of_the_same_name() {
        let yaml = "A:\n  properties:\n    b:\n      example: 1\n  example: {}\n";
        assert_eq!(Locator::new(yaml).locate("/A/example"), Some((5, 3)));
    }

    #[test]
    fn works_on_pretty_json() {
        let json = "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}\n";
        assert_eq!(Locator::new(json).locate("/paths/~1a/get"), Some((4, 7)));
    }
}
