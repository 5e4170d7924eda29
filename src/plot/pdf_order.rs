//! The PDF's objects numbered and written in a canonical order, so one drawing gives one file.
//!
//! `svg2pdf` keeps its embedded fonts and a page's resources in randomly seeded hash maps: from
//! run to run it wrote the fonts in a different order, gave the objects of each font
//! (descendant font, descriptor, `ToUnicode` map, font file) different numbers and wrote the
//! resource dictionaries' entries in a different order, so the same figure came out as
//! different bytes. The file is therefore rewritten: every dictionary's entries in key order
//! (see `pdf_value`), and the objects numbered in the order a breadth-first walk from the
//! trailer meets their references (the trailer's `/Info` then `/Root`, each object's references
//! in the order they are then written) and written in that order, with a new cross-reference
//! table. The walk follows the file's structure, which does not depend on the hash maps, so the
//! result does not either.
//!
//! The objects are found through the file's own cross-reference table, never by looking for
//! keywords in their contents: the table gives each object's offset, an object runs from its
//! offset to the next one (the last to the table), and each span is checked to start with its
//! `N G obj` header and end with `endobj`. References `N G R` are read by a tokenizer of PDF
//! syntax (names, strings with their escapes, hex strings, comments) over the object's value
//! only, up to its `stream` or `endobj` keyword; stream data is copied as it is and never read.
//! The layout read is the one `pdf-writer` writes: a header, the objects, a classic `xref`
//! table of one subsection from object 0 with 20-byte entries, a `trailer` dictionary, then
//! `startxref`, the table's offset and `%%EOF`. Anything else is an error, never a guess.

use super::pdf_value::{self, Node};
use std::collections::VecDeque;
use std::ops::Range;

/// Why a PDF's objects could not be put in order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// The file does not end in `startxref`, an offset and `%%EOF`.
    #[error("the pdf does not end in `startxref`, an offset and `%%EOF`")]
    Tail,
    /// The offset after `startxref` does not point at a cross-reference table.
    #[error("the pdf's `startxref` does not point at an `xref` table")]
    Table,
    /// The table is not one subsection from object 0 of 20-byte entries followed by `trailer`.
    #[error("the pdf's cross-reference table is malformed: {0}")]
    Entries(&'static str),
    /// An in-use entry points outside the object area or at something else than its object.
    #[error("object {0} is not where the cross-reference table puts it")]
    Object(usize),
    /// An object's value is not PDF syntax (an unclosed string or bracket).
    #[error("object {0} cannot be read")]
    Syntax(usize),
    /// The trailer is not PDF syntax.
    #[error("the pdf's trailer cannot be read")]
    Trailer,
    /// A reference names an object that is not in the file.
    #[error("the pdf refers to object {0}, which it does not hold")]
    Missing(usize),
}

/// One in-use entry of the table: object `number` of generation `generation` at `offset`.
#[derive(Debug, Clone, Copy)]
struct InUse {
    number: usize,
    generation: u32,
    offset: usize,
}

/// One entry of the table, as written.
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// A free entry.
    Free,
    /// An in-use entry.
    InUse(InUse),
}

/// The file's parts around its objects, as read from its table.
#[derive(Debug)]
struct Layout<'a> {
    entries: Vec<Entry>,
    /// The offset of `xref`, where the objects end.
    table: usize,
    /// From `trailer` up to (not including) `startxref`.
    trailer: &'a [u8],
}

/// `pdf` with its objects renumbered and written in the order of a breadth-first walk from its
/// trailer, with a new table and `startxref`; the header, the stream data and everything else
/// in the objects and the trailer are kept as they are, only the numbers in `N G obj` and
/// `N G R` change. Objects the walk does not reach follow in their old order.
pub fn canonical(pdf: &[u8]) -> Result<Vec<u8>, OrderError> {
    let layout = read_layout(pdf)?;
    let mut objects: Vec<InUse> = layout
        .entries
        .iter()
        .filter_map(|entry| match entry {
            Entry::InUse(object) => Some(*object),
            Entry::Free => None,
        })
        .collect();
    let spans = spans(pdf, &mut objects, layout.table)?;
    let header_end = objects.first().map_or(layout.table, |first| first.offset);
    let mut parsed: Vec<Option<Parsed>> = vec![None; layout.entries.len()];
    for (object, span) in objects.iter().zip(spans) {
        parsed[object.number] = Some(parse_object(pdf, *object, span)?);
    }
    let trailer = pdf_value::parse(layout.trailer, b"trailer".len()).ok_or(OrderError::Trailer)?;
    let mut roots = Vec::new();
    trailer.references(layout.trailer, &mut roots);
    let order = walk(&roots, pdf, &parsed)?;
    let mut new_number = vec![0; layout.entries.len()];
    for (index, &old) in order.iter().enumerate() {
        new_number[old] = index + 1;
    }
    let number = |old: usize| new_number[old];

    let mut out = Vec::with_capacity(pdf.len());
    out.extend_from_slice(&pdf[..header_end]);
    let mut offsets = Vec::with_capacity(order.len());
    for (index, &old) in order.iter().enumerate() {
        let Some(object) = &parsed[old] else {
            continue;
        };
        offsets.push((out.len(), object.generation));
        out.extend_from_slice(format!("{} {} obj", index + 1, object.generation).as_bytes());
        rewrite(&pdf[object.span.clone()], &object.value, &number, &mut out);
    }

    let table = out.len();
    let size = layout.entries.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    let first_free = if offsets.len() + 1 < size {
        offsets.len() + 1
    } else {
        0
    };
    out.extend_from_slice(format!("{first_free:010} 65535 f\r\n").as_bytes());
    for (offset, generation) in &offsets {
        out.extend_from_slice(format!("{offset:010} {generation:05} n\r\n").as_bytes());
    }
    for free in offsets.len() + 1..size {
        let next = if free + 1 < size { free + 1 } else { 0 };
        out.extend_from_slice(format!("{next:010} 00000 f\r\n").as_bytes());
    }
    rewrite(layout.trailer, &trailer, &number, &mut out);
    out.extend_from_slice(format!("startxref\n{table}\n%%EOF").as_bytes());
    Ok(out)
}

/// One object as read: its generation, its bytes after `N G obj`, and its value.
#[derive(Debug, Clone)]
struct Parsed {
    generation: u32,
    /// The object's bytes after its `N G obj` header, up to the next object or the table.
    span: Range<usize>,
    /// The value, as offsets into `pdf[span]`.
    value: Node,
}

/// `object` at `span`: its header skipped, its value read.
fn parse_object(pdf: &[u8], object: InUse, span: Range<usize>) -> Result<Parsed, OrderError> {
    let head = format!("{} {} obj", object.number, object.generation).len();
    let span = span.start + head..span.end;
    let value = pdf_value::parse(&pdf[span.clone()], 0).ok_or(OrderError::Syntax(object.number))?;
    Ok(Parsed {
        generation: object.generation,
        span,
        value,
    })
}

/// The objects' old numbers in the order a breadth-first walk from `roots` meets them, then
/// those it does not reach in their old order.
fn walk(roots: &[usize], pdf: &[u8], parsed: &[Option<Parsed>]) -> Result<Vec<usize>, OrderError> {
    let mut seen = vec![false; parsed.len()];
    let mut order = Vec::new();
    let mut queue: VecDeque<usize> = VecDeque::new();
    let mut visit = |number: usize, queue: &mut VecDeque<usize>| match parsed.get(number) {
        Some(Some(_)) if !seen[number] => {
            seen[number] = true;
            queue.push_back(number);
            Ok(())
        }
        Some(Some(_)) => Ok(()),
        _ => Err(OrderError::Missing(number)),
    };
    for &root in roots {
        visit(root, &mut queue)?;
    }
    let mut references = Vec::new();
    while let Some(number) = queue.pop_front() {
        order.push(number);
        if let Some(object) = &parsed[number] {
            references.clear();
            object
                .value
                .references(&pdf[object.span.clone()], &mut references);
            for &reference in &references {
                visit(reference, &mut queue)?;
            }
        }
    }
    order.extend((0..parsed.len()).filter(|&n| parsed[n].is_some() && !seen[n]));
    Ok(order)
}

/// `bytes` with its value (read as `value`) rewritten: references renumbered, keys in order.
fn rewrite(bytes: &[u8], value: &Node, number: &dyn Fn(usize) -> usize, out: &mut Vec<u8>) {
    let span = value.span();
    out.extend_from_slice(&bytes[..span.start]);
    value.write(bytes, number, out);
    out.extend_from_slice(&bytes[span.end..]);
}

/// The table's offset from the tail `startxref\n<offset>\n%%EOF` (an end-of-line after `%%EOF`
/// allowed), and where `startxref` starts.
fn read_tail(pdf: &[u8]) -> Result<(usize, usize), OrderError> {
    let body = pdf.trim_ascii_end();
    let body = body.strip_suffix(b"%%EOF").ok_or(OrderError::Tail)?;
    let body = body.trim_ascii_end();
    let digits = body.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let (body, number) = body.split_at(body.len() - digits);
    let table = parse_number(number).ok_or(OrderError::Tail)?;
    let body = body.trim_ascii_end();
    let body = body.strip_suffix(b"startxref").ok_or(OrderError::Tail)?;
    Ok((table, body.len()))
}

/// The decimal number `digits` (1 to 10 ASCII digits), if it is one.
pub(super) fn parse_number(digits: &[u8]) -> Option<usize> {
    if digits.is_empty() || digits.len() > 10 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// The table, the trailer and where they are.
fn read_layout(pdf: &[u8]) -> Result<Layout<'_>, OrderError> {
    let (table, startxref) = read_tail(pdf)?;
    let rest = pdf
        .get(table..startxref)
        .and_then(|rest| rest.strip_prefix(b"xref"))
        .ok_or(OrderError::Table)?;
    let rest = strip_eol(rest).ok_or(OrderError::Table)?;
    let line_end = rest
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .ok_or(OrderError::Entries("no subsection header"))?;
    let (header, rest) = rest.split_at(line_end);
    let rest = strip_eol(rest).ok_or(OrderError::Entries("no subsection header"))?;
    let count = match header.split(|&b| b == b' ').collect::<Vec<_>>()[..] {
        [b"0", count] => parse_number(count),
        _ => None,
    }
    .ok_or(OrderError::Entries(
        "expected one subsection `0 N` from object 0",
    ))?;
    let size = count
        .checked_mul(20)
        .filter(|&size| size <= rest.len())
        .ok_or(OrderError::Entries(
            "fewer entries than the subsection says",
        ))?;
    let (lines, trailer) = rest.split_at(size);
    if !trailer.starts_with(b"trailer") {
        return Err(OrderError::Entries(
            "the entries are not followed by `trailer`",
        ));
    }
    let entries = lines
        .chunks_exact(20)
        .enumerate()
        .map(|(number, line)| read_entry(number, line))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Layout {
        entries,
        table,
        trailer,
    })
}

/// `bytes` after one end-of-line (`\n`, `\r` or `\r\n`), if it starts with one.
fn strip_eol(bytes: &[u8]) -> Option<&[u8]> {
    bytes
        .strip_prefix(b"\r\n")
        .or_else(|| bytes.strip_prefix(b"\n"))
        .or_else(|| bytes.strip_prefix(b"\r"))
}

/// One 20-byte entry `oooooooooo ggggg n` or `… f` with a two-byte end of line.
fn read_entry(number: usize, line: &[u8]) -> Result<Entry, OrderError> {
    let malformed =
        OrderError::Entries("an entry is not `oooooooooo ggggg n|f` and an end of line");
    let eol_ok = matches!(&line[18..], b" \r" | b" \n" | b"\r\n");
    if !eol_ok || line[10] != b' ' || line[16] != b' ' {
        return Err(malformed);
    }
    let offset = parse_number(&line[..10]).ok_or(malformed.clone())?;
    let generation = parse_number(&line[11..16])
        .and_then(|g| u32::try_from(g).ok())
        .ok_or(malformed.clone())?;
    match line[17] {
        b'n' => Ok(Entry::InUse(InUse {
            number,
            generation,
            offset,
        })),
        b'f' => Ok(Entry::Free),
        _ => Err(malformed),
    }
}

/// Each object's span, `objects` sorted by offset: from its offset to the next object's (the
/// last one's to the table), checked to hold `N G obj … endobj`.
fn spans(pdf: &[u8], objects: &mut [InUse], table: usize) -> Result<Vec<Range<usize>>, OrderError> {
    if let Some(outside) = objects.iter().find(|object| object.offset >= table) {
        return Err(OrderError::Object(outside.number));
    }
    objects.sort_by_key(|object| object.offset);
    let ends = objects
        .iter()
        .skip(1)
        .map(|next| next.offset)
        .chain(std::iter::once(table));
    objects
        .iter()
        .zip(ends)
        .map(|(object, end)| {
            let span = object.offset..end;
            let bytes = pdf
                .get(span.clone())
                .ok_or(OrderError::Object(object.number))?;
            let head = format!("{} {} obj", object.number, object.generation);
            let after_head = bytes
                .strip_prefix(head.as_bytes())
                .and_then(|rest| rest.first())
                .is_some_and(|b| !b.is_ascii_alphanumeric());
            if object.offset == 0 || !after_head || !bytes.trim_ascii_end().ends_with(b"endobj") {
                return Err(OrderError::Object(object.number));
            }
            Ok(span)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF written as `pdf-writer` writes one: a catalog, a page tree and two streams
    /// numbered `numbers` (in that order), written in the order of `order` (object numbers),
    /// the page tree's two stream references under keys in the order given by `keys`.
    fn pdf_with(numbers: [usize; 4], order: [usize; 4], keys: [&str; 2]) -> Vec<u8> {
        let [catalog, pages, a, b] = numbers;
        let stream =
            "<<\n  /Length 33\n>>\nstream\n9 0 obj\nendobj\nxref\n0 1\nstartxref\nendstream";
        let body = |n: usize| match n {
            n if n == catalog => format!("<<\n  /Pages {pages} 0 R\n  /Type /Catalog\n>>"),
            n if n == pages => format!(
                "<<\n  /{} {} 0 R\n  /{} {} 0 R\n  /Count 0\n  /Kids []\n>>",
                keys[0],
                if keys[0] == "A" { a } else { b },
                keys[1],
                if keys[1] == "A" { a } else { b },
            ),
            // Stream data that looks like an object header and a table: never looked into.
            _ => stream.to_string(),
        };
        let mut out = b"%PDF-1.7\n%\x80\x80\x80\x80\n\n".to_vec();
        let mut offsets = [0; 5];
        for n in order {
            offsets[n] = out.len();
            out.extend_from_slice(format!("{n} 0 obj\n{}\nendobj\n\n", body(n)).as_bytes());
        }
        let table = out.len();
        out.extend_from_slice(b"xref\n0 5\n0000000000 65535 f\r\n");
        for offset in &offsets[1..] {
            out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<<\n  /Root {catalog} 0 R\n  /Size 5\n>>\nstartxref\n{table}\n%%EOF")
                .as_bytes(),
        );
        out
    }

    /// The canonical file: numbered and written in walk order, keys in order.
    fn canonical_file() -> Vec<u8> {
        pdf_with([1, 2, 3, 4], [1, 2, 3, 4], ["A", "B"])
    }

    /// The canonical file with its objects written in another order.
    fn shuffled() -> Vec<u8> {
        pdf_with([1, 2, 3, 4], [4, 2, 3, 1], ["A", "B"])
    }

    #[track_caller]
    fn becomes_canonical(pdf: &[u8]) {
        let ordered = canonical(pdf).expect("orders");
        assert_eq!(
            String::from_utf8_lossy(&ordered),
            String::from_utf8_lossy(&canonical_file())
        );
    }

    #[track_caller]
    fn fails_with(pdf: &[u8], error: OrderError) {
        assert_eq!(canonical(pdf), Err(error));
    }

    /// `pdf` with the last `from` replaced by `to`.
    fn edited_in(pdf: &[u8], from: &str, to: &str) -> Vec<u8> {
        let at = pdf
            .windows(from.len())
            .rposition(|w| w == from.as_bytes())
            .expect("the text to edit is in the file");
        [&pdf[..at], to.as_bytes(), &pdf[at + from.len()..]].concat()
    }

    /// [`shuffled`] with the last `from` replaced by `to`.
    fn edited(from: &str, to: &str) -> Vec<u8> {
        edited_in(&shuffled(), from, to)
    }

    #[test]
    fn objects_are_numbered_and_written_in_walk_order() {
        becomes_canonical(&canonical_file());
        becomes_canonical(&pdf_with([1, 2, 3, 4], [4, 3, 2, 1], ["A", "B"]));
        becomes_canonical(&pdf_with([1, 2, 3, 4], [2, 4, 1, 3], ["A", "B"]));
        becomes_canonical(&pdf_with([3, 1, 4, 2], [1, 2, 3, 4], ["A", "B"]));
        becomes_canonical(&pdf_with([4, 3, 2, 1], [3, 1, 4, 2], ["A", "B"]));
        becomes_canonical(&pdf_with([2, 4, 1, 3], [2, 4, 1, 3], ["B", "A"]));
        becomes_canonical(&pdf_with([1, 2, 3, 4], [1, 2, 3, 4], ["B", "A"]));
    }

    #[test]
    fn ordering_twice_changes_nothing() {
        let once = canonical(&pdf_with([3, 1, 4, 2], [3, 4, 1, 2], ["B", "A"])).expect("orders");
        assert_eq!(canonical(&once), Ok(once.clone()));
    }

    #[test]
    fn a_trailing_end_of_line_unreached_objects_and_free_entries_are_kept() {
        let mut pdf = shuffled();
        pdf.push(b'\n');
        becomes_canonical(&pdf);
        // Nothing refers to object 4: it follows the reached ones.
        let unreached = edited("/B 4 0 R", "/B 3 0 R");
        let ordered = canonical(&unreached).expect("orders");
        assert!(ordered.windows(8).any(|w| w == b"4 0 obj\n"));
        // Object 4 free: the table keeps its size, entry 4 free and linked to from entry 0.
        let freed = edited("/B 4 0 R", "/B 3 0 R");
        let freed = edited_in(&freed, "00000 n\r\ntrailer", "00000 f\r\ntrailer");
        let ordered = canonical(&freed).expect("orders");
        assert_eq!(canonical(&ordered), Ok(ordered.clone()));
        let ordered = String::from_utf8_lossy(&ordered);
        assert!(
            ordered.contains("xref\n0 5\n0000000004 65535 f\r\n"),
            "{ordered}"
        );
        assert!(
            ordered.contains("0000000000 00000 f\r\ntrailer"),
            "{ordered}"
        );
    }

    #[test]
    fn malformed_files_are_errors() {
        let pdf = shuffled();
        fails_with(b"", OrderError::Tail);
        fails_with(b"%PDF-1.7\n", OrderError::Tail);
        fails_with(&pdf[..pdf.len() - 1], OrderError::Tail);
        fails_with(&edited("startxref\n", "startxref\nx"), OrderError::Tail);
        fails_with(&edited("startxref", "startxrex"), OrderError::Tail);
        fails_with(&edited("startxref\n", "startxref\n9999"), OrderError::Table);
        fails_with(&edited("startxref\n", "startxref\n1"), OrderError::Table);
        fails_with(
            &edited("startxref\n", "startxref\n00000000000"),
            OrderError::Tail,
        );
        fails_with(
            &edited("xref\n0 5", "xref\n1 5"),
            OrderError::Entries("expected one subsection `0 N` from object 0"),
        );
        fails_with(
            &edited("xref\n0 5", "xref\n0 6"),
            OrderError::Entries("the entries are not followed by `trailer`"),
        );
        fails_with(
            &edited("xref\n0 5", "xref\n0 4"),
            OrderError::Entries("the entries are not followed by `trailer`"),
        );
        fails_with(
            &edited("xref\n0 5", "xref\n0 999999"),
            OrderError::Entries("fewer entries than the subsection says"),
        );
        fails_with(
            &edited("xref\n0 5", "xref\n0 99999999999"),
            OrderError::Entries("expected one subsection `0 N` from object 0"),
        );
        fails_with(
            &edited("65535 f", "65535 x"),
            OrderError::Entries("an entry is not `oooooooooo ggggg n|f` and an end of line"),
        );
        fails_with(
            &edited(" 00000 n\r\ntrailer", " 0000x n\r\ntrailer"),
            OrderError::Entries("an entry is not `oooooooooo ggggg n|f` and an end of line"),
        );
    }

    #[test]
    fn unreadable_values_and_dangling_references_are_errors() {
        fails_with(
            &edited("/Type /Catalog", "/Type (Catalog"),
            OrderError::Syntax(1),
        );
        fails_with(&edited("/Kids []", "/Kids [["), OrderError::Syntax(2));
        fails_with(&edited("/Size 5\n>>", "/Size 5\n"), OrderError::Trailer);
        fails_with(
            &edited("/Pages 2 0 R", "/Pages 7 0 R"),
            OrderError::Missing(7),
        );
        fails_with(
            &edited("/Root 1 0 R", "/Root 9 0 R"),
            OrderError::Missing(9),
        );
    }

    #[test]
    fn entries_pointing_elsewhere_are_errors() {
        let pdf = canonical_file();
        let at = |needle: &[u8]| {
            pdf.windows(needle.len())
                .position(|w| w == needle)
                .expect("in the file")
        };
        let (offset3, offset4) = (at(b"3 0 obj"), at(b"4 0 obj"));
        let entry4 = format!("{offset4:010} 00000 n");
        // Object 4's entry pointed at object 3 (3's span is empty), past the table, at the
        // table, at the header, or into object 3 (3's span then ends before its `endobj`).
        for (wrong, object) in [
            (offset3, 3),
            (pdf.len() + 5, 4),
            (at(b"xref\n0 5"), 4),
            (0, 4),
            (offset3 + 1, 3),
        ] {
            let pdf = edited_in(&pdf, &entry4, &format!("{wrong:010} 00000 n"));
            fails_with(&pdf, OrderError::Object(object));
        }
        // The right offset with the wrong generation.
        let pdf = edited_in(&pdf, &entry4, &format!("{offset4:010} 00001 n"));
        fails_with(&pdf, OrderError::Object(4));
    }
}
