//! Where a problem is (issue 19 §1): a draft's places are byte ranges
//! (`Spanned`). For a TOML file they are offsets in its text, shown as
//! file:line:column; for a FHIR file they are entries of a table of JSON
//! pointers, shown as `file:/item/0/answerOption/2`, and its companion
//! file's are offsets in the companion's text. The validator reports every
//! problem through a [`Locator`] and never knows which format it checks.

use std::fmt;
use std::ops::Range;

/// One problem found in a questionnaire file: at a line and column of a
/// text file, or at a JSON pointer of a FHIR file (`pointer`, with `line`
/// and `column` 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub pointer: Option<String>,
    pub message: String,
}

impl Diagnostic {
    /// A problem at a line and column.
    pub fn at(file: &str, line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            pointer: None,
            message: message.into(),
        }
    }
    /// A problem at a JSON pointer (`""` is the whole document).
    pub fn at_pointer(file: &str, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: 0,
            column: 0,
            pointer: Some(if pointer.is_empty() {
                "/".to_string()
            } else {
                pointer.to_string()
            }),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pointer {
            Some(p) => write!(f, "{}:{}: {}", self.file, p, self.message),
            None => write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            ),
        }
    }
}

/// Line and column (both from 1, column in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

/// Line starts of a text, to turn many byte offsets into line and column
/// without counting from the start each time (thousands of errors in a
/// 1 MiB file used to cost one full scan each).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// Same answer as [`line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

/// Places at or beyond this are entries of a pointer table (a FHIR file's);
/// below it, byte offsets in a text (a TOML file, or a FHIR file's
/// companion). Files are at most 1 MiB, so the two never meet.
pub const POINTER_BASE: usize = usize::MAX / 2;

/// The place of entry `i` of a pointer table.
pub fn pointer_span(i: usize) -> Range<usize> {
    POINTER_BASE + i..POINTER_BASE + i + 1
}

/// Turns a draft's places into diagnostics.
pub struct Locator<'a> {
    /// The text whose offsets places below [`POINTER_BASE`] are.
    text_file: &'a str,
    lines: LineIndex<'a>,
    /// A FHIR file: its name and its pointer table.
    json: Option<(&'a str, &'a [String])>,
}

impl<'a> Locator<'a> {
    /// A TOML file.
    pub fn text(file: &'a str, text: &'a str) -> Locator<'a> {
        Locator {
            text_file: file,
            lines: LineIndex::new(text),
            json: None,
        }
    }

    /// A FHIR file (its pointer table, entry 0 the whole document) and its
    /// companion, if any.
    pub fn json(
        file: &'a str,
        pointers: &'a [String],
        companion: Option<(&'a str, &'a str)>,
    ) -> Locator<'a> {
        let (text_file, text) = companion.unwrap_or((file, ""));
        Locator {
            text_file,
            lines: LineIndex::new(text),
            json: Some((file, pointers)),
        }
    }

    /// The place that stands for the whole file.
    pub fn whole(&self) -> Range<usize> {
        match self.json {
            Some(_) => pointer_span(0),
            None => 0..0,
        }
    }

    pub fn diagnostic(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        if let Some((file, pointers)) = self.json {
            if span.start >= POINTER_BASE {
                let p = pointers
                    .get(span.start - POINTER_BASE)
                    .map(String::as_str)
                    .unwrap_or("");
                return Diagnostic::at_pointer(file, p, message);
            }
        }
        let (line, column) = self.lines.line_col(span.start);
        Diagnostic::at(self.text_file, line, column, message)
    }
}
