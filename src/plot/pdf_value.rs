//! One PDF value (an object's body or the trailer dictionary) read as a tree, so that its
//! references can be renumbered and its dictionaries written with their keys in order.
//!
//! `svg2pdf` writes a page's resource dictionaries (`/Font << /fo1 … /fo0 … >>`) in the order of
//! a randomly seeded hash map, so a canonical file needs every dictionary's entries in one order:
//! key order. The tree keeps every byte of the value: an entry moves as its key, the space after
//! it and its value, and the space between entries stays where it was, so the written value is
//! the original with its entries permuted and its reference numbers replaced. Reading stops at
//! the `stream` or `endobj` keyword that ends the value; what follows is never read.

use std::ops::Range;

/// A value read from `bytes`, as byte ranges into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A reference `N G R`: the whole of it, and the digits of `N` with their value.
    Reference {
        span: Range<usize>,
        digits: Range<usize>,
        number: usize,
    },
    /// A dictionary `<< /Key value … >>`: each entry as its key and its value.
    Dictionary {
        span: Range<usize>,
        entries: Vec<(Range<usize>, Node)>,
    },
    /// An array `[ … ]`.
    Array {
        span: Range<usize>,
        items: Vec<Node>,
    },
    /// Anything else (a number, name, string, boolean, null, or a keyword such as `R`).
    Leaf(Range<usize>),
}

/// One token of PDF syntax: its kind and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    DictionaryOpen,
    DictionaryClose,
    ArrayOpen,
    ArrayClose,
    Name,
    Integer(usize),
    R,
    Other,
}

impl Node {
    /// Where the value is in `bytes`.
    pub fn span(&self) -> Range<usize> {
        match self {
            Node::Reference { span, .. }
            | Node::Dictionary { span, .. }
            | Node::Array { span, .. }
            | Node::Leaf(span) => span.clone(),
        }
    }

    /// The numbers of the references, in the order [`Node::write`] writes them.
    pub fn references(&self, bytes: &[u8], out: &mut Vec<usize>) {
        match self {
            Node::Reference { number, .. } => out.push(*number),
            Node::Dictionary { entries, .. } => {
                for index in key_order(bytes, entries) {
                    entries[index].1.references(bytes, out);
                }
            }
            Node::Array { items, .. } => {
                for item in items {
                    item.references(bytes, out);
                }
            }
            Node::Leaf(_) => {}
        }
    }

    /// The value's bytes with each reference `N` replaced by `number(N)` and each dictionary's
    /// entries in key order (the space between them kept in place).
    pub fn write(&self, bytes: &[u8], number: &dyn Fn(usize) -> usize, out: &mut Vec<u8>) {
        match self {
            Node::Reference {
                span,
                digits,
                number: old,
            } => {
                out.extend_from_slice(number(*old).to_string().as_bytes());
                out.extend_from_slice(&bytes[digits.end..span.end]);
            }
            Node::Dictionary { span, entries } => {
                let slots: Vec<Range<usize>> = entries
                    .iter()
                    .map(|(key, value)| key.start..value.span().end)
                    .collect();
                let mut at = span.start;
                for (slot, index) in slots.iter().zip(key_order(bytes, entries)) {
                    out.extend_from_slice(&bytes[at..slot.start]);
                    let (key, value) = &entries[index];
                    out.extend_from_slice(&bytes[key.start..value.span().start]);
                    value.write(bytes, number, out);
                    at = slot.end;
                }
                out.extend_from_slice(&bytes[at..span.end]);
            }
            Node::Array { span, items } => {
                let mut at = span.start;
                for item in items {
                    out.extend_from_slice(&bytes[at..item.span().start]);
                    item.write(bytes, number, out);
                    at = item.span().end;
                }
                out.extend_from_slice(&bytes[at..span.end]);
            }
            Node::Leaf(span) => out.extend_from_slice(&bytes[span.clone()]),
        }
    }
}

/// The entries' indices sorted by key bytes (stable, so repeated keys keep their order).
fn key_order(bytes: &[u8], entries: &[(Range<usize>, Node)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&index| &bytes[entries[index].0.clone()]);
    order
}

/// The one value in `bytes[start..]`, up to the end of `bytes` or a `stream` or `endobj`
/// keyword; `None` if there is not exactly one value there or its syntax is broken (an
/// unclosed string, bracket or dictionary, a key that is not a name).
pub fn parse(bytes: &[u8], start: usize) -> Option<Node> {
    let tokens = tokens(bytes, start)?;
    let (node, next) = value(&tokens, 0, 0)?;
    (next == tokens.len()).then_some(node)
}

/// Arrays and dictionaries nested deeper than this are refused (the converter nests a few).
const MAX_DEPTH: usize = 64;

/// The value that starts at `tokens[at]`, inside `depth` arrays or dictionaries, and the index
/// after it.
fn value(tokens: &[(Kind, Range<usize>)], at: usize, depth: usize) -> Option<(Node, usize)> {
    let (kind, span) = tokens.get(at)?.clone();
    if depth > MAX_DEPTH {
        return None;
    }
    match kind {
        Kind::Integer(number) => match tokens.get(at + 1..at + 3) {
            Some([(Kind::Integer(_), _), (Kind::R, end)]) => Some((
                Node::Reference {
                    span: span.start..end.end,
                    digits: span,
                    number,
                },
                at + 3,
            )),
            _ => Some((Node::Leaf(span), at + 1)),
        },
        Kind::DictionaryOpen => {
            let mut entries = Vec::new();
            let mut next = at + 1;
            loop {
                match tokens.get(next)? {
                    (Kind::DictionaryClose, end) => {
                        let node = Node::Dictionary {
                            span: span.start..end.end,
                            entries,
                        };
                        return Some((node, next + 1));
                    }
                    (Kind::Name, key) => {
                        let (item, after) = value(tokens, next + 1, depth + 1)?;
                        entries.push((key.clone(), item));
                        next = after;
                    }
                    _ => return None,
                }
            }
        }
        Kind::ArrayOpen => {
            let mut items = Vec::new();
            let mut next = at + 1;
            loop {
                if let (Kind::ArrayClose, end) = tokens.get(next)? {
                    let node = Node::Array {
                        span: span.start..end.end,
                        items,
                    };
                    return Some((node, next + 1));
                }
                let (item, after) = value(tokens, next, depth + 1)?;
                items.push(item);
                next = after;
            }
        }
        Kind::Name | Kind::Other | Kind::R => Some((Node::Leaf(span), at + 1)),
        Kind::DictionaryClose | Kind::ArrayClose => None,
    }
}

/// The tokens of `bytes[start..]` up to its end or a `stream` or `endobj` keyword, comments
/// and white space left out; `None` if a string or hex string is not closed or a `)` or `>`
/// stands alone.
fn tokens(bytes: &[u8], start: usize) -> Option<Vec<(Kind, Range<usize>)>> {
    let mut tokens = Vec::new();
    let mut at = start;
    while at < bytes.len() {
        let from = at;
        let kind = match bytes[at] {
            b if is_white(b) => {
                at += 1;
                continue;
            }
            b'%' => {
                while at < bytes.len() && bytes[at] != b'\n' && bytes[at] != b'\r' {
                    at += 1;
                }
                continue;
            }
            b'(' => {
                at = literal_string_end(bytes, at)?;
                Kind::Other
            }
            b'<' if bytes.get(at + 1) == Some(&b'<') => {
                at += 2;
                Kind::DictionaryOpen
            }
            b'>' if bytes.get(at + 1) == Some(&b'>') => {
                at += 2;
                Kind::DictionaryClose
            }
            b'<' => {
                at += bytes[at..].iter().position(|&c| c == b'>')? + 1;
                Kind::Other
            }
            b'[' => {
                at += 1;
                Kind::ArrayOpen
            }
            b']' => {
                at += 1;
                Kind::ArrayClose
            }
            b'{' | b'}' => {
                at += 1;
                Kind::Other
            }
            b'/' => {
                at += 1 + regular_run(&bytes[at + 1..]);
                Kind::Name
            }
            b')' | b'>' => return None,
            _ => {
                at += regular_run(&bytes[at..]);
                match &bytes[from..at] {
                    b"stream" | b"endobj" => break,
                    b"R" => Kind::R,
                    word => super::pdf_order::parse_number(word).map_or(Kind::Other, Kind::Integer),
                }
            }
        };
        tokens.push((kind, from..at));
    }
    Some(tokens)
}

/// How many bytes at the start of `bytes` are regular (neither white space nor a delimiter).
fn regular_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|&&b| !is_white(b) && !b"()<>[]{}/%".contains(&b))
        .count()
}

/// PDF white space.
fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Just past the `)` that closes the literal string opened at `open`, with balanced inner
/// parentheses and backslash escapes; `None` if it is never closed.
fn literal_string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = open;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` read and written with reference `N` renumbered `N + 10`.
    #[track_caller]
    fn writes_as(text: &str, expected: &str) {
        let node = parse(text.as_bytes(), 0).expect("parses");
        let mut out = Vec::new();
        node.write(text.as_bytes(), &|n| n + 10, &mut out);
        assert_eq!(String::from_utf8_lossy(&out), expected);
    }

    #[track_caller]
    fn references_are(text: &str, expected: &[usize]) {
        let node = parse(text.as_bytes(), 0).expect("parses");
        let mut out = Vec::new();
        node.references(text.as_bytes(), &mut out);
        assert_eq!(out, expected);
    }

    #[track_caller]
    fn does_not_parse(text: &str) {
        assert_eq!(parse(text.as_bytes(), 0), None, "{text}");
    }

    #[test]
    fn references_are_renumbered_and_keys_ordered() {
        writes_as("3 0 R", "13 0 R");
        writes_as("[1 0 R 2 5 R 7]", "[11 0 R 12 5 R 7]");
        writes_as(
            "<<\n  /b 2 0 R\n  /a 1 0 R\n>>",
            "<<\n  /a 11 0 R\n  /b 12 0 R\n>>",
        );
        writes_as("<</fo1 6 0 R/fo0 5 0 R>>", "<</fo0 15 0 R/fo1 16 0 R>>");
        writes_as(
            "<< /Z [/ICCBased 7 0 R] /A << /y 1 0 R /x (a) >> >>",
            "<< /A << /x (a) /y 11 0 R >> /Z [/ICCBased 17 0 R] >>",
        );
        writes_as("<< /Length 4 >>\nstream\n9 0 R", "<< /Length 4 >>");
        writes_as(
            "[(1 0 R) <31> 1 0 R % 2 0 R\n]",
            "[(1 0 R) <31> 11 0 R % 2 0 R\n]",
        );
    }

    #[test]
    fn references_come_in_key_order() {
        references_are("<< /b 2 0 R /a [4 0 R 3 0 R] >>", &[4, 3, 2]);
        references_are("<< /a (x\\) 9 0 R) /b 1 0 R >>", &[1]);
        references_are("<< /a (x (9 0 R)) >>\nendobj", &[]);
    }

    #[test]
    fn broken_syntax_is_refused() {
        does_not_parse("");
        does_not_parse("<< /a 1");
        does_not_parse("<< /a 1 0 R");
        does_not_parse("[1 2");
        does_not_parse("(open");
        does_not_parse("<31");
        does_not_parse(">> 1");
        does_not_parse(")");
        does_not_parse("<< 1 2 >>");
        does_not_parse("1 2");
        does_not_parse("]");
        does_not_parse(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
        does_not_parse(&format!("{}{}", "<</a ".repeat(100), ">>".repeat(100)));
        let deep = format!("{}1 0 R{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        references_are(&deep, &[1]);
    }
}
