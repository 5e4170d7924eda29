//! Compiler-style diagnostics for a [`ParseError`], rendered with `codespan-reporting`.

use super::error::ParseError;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::{Files, SimpleFile};
use codespan_reporting::term::{self, Config, termcolor};
use std::ops::Range;

/// Lines longer than this are shown as an excerpt around the error.
const MAX_SHOWN_LINE: usize = 120;
/// Bytes of context kept on each side of the error in an excerpt.
const CONTEXT: usize = 40;

/// The largest char boundary of `s` at or below `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `r` clamped into `s` and snapped to char boundaries.
fn clamp(s: &str, r: &Range<usize>) -> Range<usize> {
    let start = floor_boundary(s, r.start);
    let end = floor_boundary(s, r.end.max(r.start)).max(start);
    start..end
}

/// The text to show, its name, and the offset of its first byte in `source`.
fn excerpt(source: &str, primary: &Range<usize>) -> (String, String, usize) {
    let line_start = source
        .get(..primary.start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = source
        .get(primary.start..)
        .and_then(|s| s.find('\n'))
        .map_or(source.len(), |i| primary.start + i);
    if line_end - line_start <= MAX_SHOWN_LINE {
        return (source.to_string(), "input".to_string(), 0);
    }
    let lo = floor_boundary(
        source,
        primary.start.saturating_sub(CONTEXT).max(line_start),
    );
    let hi = floor_boundary(
        source,
        (primary.end.max(primary.start) + CONTEXT).min(line_end),
    );
    let hi = if hi < primary.end.min(line_end) {
        primary.end
    } else {
        hi
    };
    let text = source.get(lo..hi).unwrap_or("").to_string();
    let name = format!("input[{lo}..{hi}]");
    (text, name, lo)
}

/// An excerpt of the input, located in the input: its line numbers and the columns of its first
/// line count from the input's start, not from the excerpt's (`input[5962..6002]:1:6003`, the
/// column of the error in the line, rather than `:1:41`, its column in the excerpt).
struct Excerpt<'a> {
    file: SimpleFile<String, &'a str>,
    /// The input's lines before the excerpt's first.
    lines_before: usize,
    /// The characters of the excerpt's first line in the input before the excerpt.
    columns_before: usize,
}

impl<'a> Excerpt<'a> {
    /// `text`, named `name`, which starts at byte `offset` of `source`.
    fn new(name: String, text: &'a str, source: &str, offset: usize) -> Excerpt<'a> {
        let before = source.get(..offset).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Excerpt {
            file: SimpleFile::new(name, text),
            lines_before: before.matches('\n').count(),
            columns_before: before[line_start..].chars().count(),
        }
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<String, codespan_reporting::files::Error> {
        Files::name(&self.file, ())
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Files::source(&self.file, ())
    }

    fn line_index(
        &'a self,
        (): (),
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.file.line_index((), byte)
    }

    fn line_number(
        &'a self,
        (): (),
        line: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.lines_before + line + 1)
    }

    fn column_number(
        &'a self,
        (): (),
        line: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let in_excerpt = self.file.column_number((), line, byte)?;
        Ok(if line == 0 {
            self.columns_before + in_excerpt
        } else {
            in_excerpt
        })
    }

    fn line_range(
        &'a self,
        (): (),
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        self.file.line_range((), line)
    }
}

/// The diagnostic for `err` as text: a header, the input with a caret under the error, the
/// secondary label if any, and a `help:` note where there is one.
///
/// `source` must be the text that was parsed; spans outside it are clamped. Lines longer than
/// 120 bytes are cut to an excerpt around the error, named `input[start..end]`. With `color`
/// the output carries ANSI colour codes. Never panics.
pub fn render(err: &ParseError, source: &str, color: bool) -> String {
    let primary = clamp(source, &err.span);
    let (text, name, offset) = excerpt(source, &primary);
    // Control characters (a NUL byte) would garble a terminal: show `?`, keeping byte offsets.
    let text: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_control() && c != '\n' && c != '\t' && c != '\r' {
                '?'
            } else {
                c
            }
        })
        .collect();
    let shift = |r: &Range<usize>| {
        clamp(
            &text,
            &(r.start.saturating_sub(offset)..r.end.saturating_sub(offset)),
        )
    };
    let mut labels = vec![Label::primary((), shift(&primary)).with_message(&err.label)];
    if let Some((span, message)) = &err.secondary {
        let span = clamp(source, span);
        if span.start >= offset && span.end <= offset + text.len() {
            labels.push(Label::secondary((), shift(&span)).with_message(message));
        }
    }
    let mut diagnostic = Diagnostic::error()
        .with_message(err.to_string())
        .with_labels(labels);
    if let Some(help) = &err.help {
        diagnostic = diagnostic.with_notes(vec![format!("help: {help}")]);
    }
    let file = Excerpt::new(name, text.as_str(), source, offset);
    let config = Config::default();
    let mut buffer = Vec::new();
    let result = if color {
        let styles = term::Styles::default();
        let mut writer = term::StylesWriter::new(termcolor::Ansi::new(&mut buffer), &styles);
        term::emit_to_write_style(&mut writer, &config, &file, &diagnostic)
    } else {
        term::emit_to_io_write(&mut buffer, &config, &file, &diagnostic)
    };
    match result {
        Ok(()) => String::from_utf8_lossy(&buffer).into_owned(),
        Err(_) => format!("error: {err}\n"),
    }
}
