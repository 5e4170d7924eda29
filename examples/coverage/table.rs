//! The coverage table: every input of `tests/fixtures/coverage.tsv` derived, and what came out.
//!
//! Shared by the example (`cargo run --release --example coverage`) and by `tests/coverage.rs`,
//! which checks the README's copy of the table and every closed form in it.
#![allow(dead_code)]

use fcorr::expr::Expr;
use fcorr::parse::parse;
use fcorr::print::plain;
use fcorr::transform::{Bindings, Correspondence, Residual, from_divergence, from_loss};
use std::time::{Duration, Instant};

/// The inputs: side, catalog key (`-` for none), expression, parameters (`-` for none).
pub const INPUTS: &str = include_str!("../../tests/fixtures/coverage.tsv");

/// 30-digit references of the derived sides (`tests/fixtures/closed_forms.py`).
pub const REFERENCES: &str = include_str!("../../tests/fixtures/closed_forms.tsv");

/// Which side is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// A generator `f(u)` is given; the loss `g(t)` is derived.
    Divergence,
    /// A loss `g(t)` is given; the generator `f(u)` is derived.
    Loss,
}

/// One input of the table.
#[derive(Clone, Debug)]
pub struct Input {
    pub side: Side,
    /// The catalog key, or `None` for an expression outside the catalog.
    pub key: Option<String>,
    pub expr: String,
    /// `name=value` assignments, comma-separated, or `None`.
    pub params: Option<String>,
}

impl Input {
    /// How the input reads in the table: the catalog key with its parameters, or the expression.
    pub fn label(&self) -> String {
        let base = match &self.key {
            Some(k) => format!("`{k}`"),
            None => format!("`{}`", self.expr),
        };
        match &self.params {
            Some(p) => format!("{base} ({})", p.replace(',', ", ")),
            None => base,
        }
    }

    /// The derived pair (parameters substituted exactly).
    pub fn derive(&self) -> Result<Correspondence, fcorr::Error> {
        let mut b = Bindings::new();
        if let Some(p) = &self.params {
            for a in p.split(',') {
                b.set_from_str(a)?;
            }
        }
        let e = parse(&self.expr)?;
        match self.side {
            Side::Divergence => from_divergence(&e, Residual::TargetMinusModel, &b),
            Side::Loss => from_loss(&e, Residual::TargetMinusModel, &b),
        }
    }

    /// The side of the references: `g` for a given divergence, `f` for a given loss.
    pub fn reference_side(&self) -> &'static str {
        match self.side {
            Side::Divergence => "g",
            Side::Loss => "f",
        }
    }

    /// The parameters as the references write them.
    pub fn params_text(&self) -> &str {
        self.params.as_deref().unwrap_or("-")
    }
}

/// Every input, in the order of the file.
pub fn inputs() -> Vec<Input> {
    INPUTS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 4, "bad coverage line {l:?}");
            let opt = |s: &str| (s != "-").then(|| s.to_string());
            Input {
                side: match c[0] {
                    "divergence" => Side::Divergence,
                    "loss" => Side::Loss,
                    other => panic!("unknown side {other:?}"),
                },
                key: opt(c[1]),
                expr: c[2].to_string(),
                params: opt(c[3]),
            }
        })
        .collect()
}

/// A reference value: side, input, parameters, point (as written), value.
#[derive(Clone, Debug)]
pub struct Reference {
    pub side: String,
    pub input: String,
    pub params: String,
    pub point: String,
    pub value: f64,
}

impl Reference {
    pub fn x(&self) -> f64 {
        self.point.parse().expect("a number")
    }
}

/// Every reference value.
pub fn references() -> Vec<Reference> {
    parse_references(REFERENCES)
}

/// The reference values of a table written by `closed_forms.py`: tab-separated side, input,
/// parameters, point and value, with `#` comment lines.
pub fn parse_references(text: &str) -> Vec<Reference> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 5, "bad reference line {l:?}");
            Reference {
                side: c[0].to_string(),
                input: c[1].to_string(),
                params: c[2].to_string(),
                point: c[3].to_string(),
                value: c[4].parse().expect("a number"),
            }
        })
        .collect()
}

/// The references of one input.
pub fn references_of<'a>(input: &Input, all: &'a [Reference]) -> Vec<&'a Reference> {
    all.iter()
        .filter(|r| {
            r.side == input.reference_side()
                && r.input == input.expr
                && r.params == input.params_text()
        })
        .collect()
}

/// One row of the table.
#[derive(Clone, Debug)]
pub struct Row {
    pub input: Input,
    pub pair: Correspondence,
    /// The derived side in closed form, or `None`.
    pub closed: Option<Expr>,
    /// The median time to derive the pair (parse, transform, verification, cross-check).
    pub time: Duration,
    /// Largest relative difference between the closed form and quadrature at the reference
    /// points, and how many points quadrature refused.
    pub vs_quadrature: Option<(f64, usize)>,
    /// Largest relative difference from the 30-digit references of the values fcorr reports,
    /// and how many points were refused.
    pub vs_reference: (f64, usize),
}

/// Derive every input (`repeats` times each, for the median time).
pub fn rows(repeats: usize) -> Vec<Row> {
    let refs = references();
    inputs()
        .into_iter()
        .map(|input| row(input, &refs, repeats))
        .collect()
}

fn row(input: Input, refs: &[Reference], repeats: usize) -> Row {
    let mut times = Vec::new();
    let mut pair = None;
    for _ in 0..repeats.max(1) {
        let start = Instant::now();
        let p = input
            .derive()
            .unwrap_or_else(|e| panic!("{}: {e}", input.label()));
        times.push(start.elapsed());
        pair = Some(p);
    }
    times.sort();
    let pair = pair.expect("derived at least once");
    let closed = match input.side {
        Side::Divergence => pair.loss.clone(),
        Side::Loss => pair.divergence.clone(),
    };
    let mine = references_of(&input, refs);
    assert!(!mine.is_empty(), "{}: no reference values", input.label());
    let xs: Vec<f64> = mine.iter().map(|r| r.x()).collect();
    let reported = pair
        .derived_points(&xs)
        .unwrap_or_else(|e| panic!("{}: {e}", input.label()));
    let mut vs_reference = (0.0f64, 0usize);
    for (p, r) in reported.iter().zip(&mine) {
        match p {
            Ok(v) => vs_reference.0 = vs_reference.0.max(relative(v.value, r.value)),
            Err(_) => vs_reference.1 += 1,
        }
    }
    let vs_quadrature = closed.as_ref().map(|_| {
        let numeric = pair
            .numeric_points(&xs)
            .unwrap_or_else(|e| panic!("{}: {e}", input.label()));
        let mut worst = (0.0f64, 0usize);
        for (c, q) in reported.iter().zip(&numeric) {
            match (c, q) {
                (Ok(c), Ok(q)) => worst.0 = worst.0.max(relative(c.value, q.value)),
                _ => worst.1 += 1,
            }
        }
        worst
    });
    Row {
        input,
        pair,
        closed,
        time: times[times.len() / 2],
        vs_quadrature,
        vs_reference,
    }
}

/// `|a − b| / |b|`, or `|a − b|` where `b = 0`.
pub fn relative(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        (a - b).abs()
    } else {
        (a - b).abs() / b.abs()
    }
}

/// A relative difference as the power of ten above it (`< 1e-13`), so that the table does not
/// change with the last bits of a value; `0` when exactly equal.
pub fn bound(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let mut e = x.log10().ceil() as i32;
    if 10f64.powi(e) <= x {
        e += 1;
    }
    format!("< 1e{e}")
}

fn refused(n: usize, of: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {n} of {of} refused")
    }
}

/// The header of the table; the last column (time) is the only one that changes between runs.
pub const HEADER: [&str; 2] = [
    "| given | input | derived | closed form | vs quadrature | vs mpmath (8 points) | time to derive |",
    "|---|---|---|---|---|---|---|",
];

/// One row of the table as Markdown.
pub fn markdown(r: &Row) -> String {
    let (given, derived_var) = match r.input.side {
        Side::Divergence => ("f(u)", "g(t)"),
        Side::Loss => ("g(t)", "f(u)"),
    };
    let n = references_of(&r.input, &references()).len();
    let form = match &r.closed {
        Some(e) => format!("`{}`", plain(e).replace('|', "\\|")),
        None => "—".to_string(),
    };
    let vs_q = match r.vs_quadrature {
        Some((d, k)) => format!("{}{}", bound(d), refused(k, n)),
        None => "—".to_string(),
    };
    let vs_ref = if r.vs_reference.1 == n {
        format!("all {n} refused")
    } else {
        format!(
            "{}{}",
            bound(r.vs_reference.0),
            refused(r.vs_reference.1, n)
        )
    };
    format!(
        "| {given} | {} | {derived_var} {} | {form} | {vs_q} | {vs_ref} | {} |",
        r.input.label().replace('|', "\\|"),
        if r.closed.is_some() {
            "closed"
        } else {
            "numeric"
        },
        time(r.time)
    )
}

/// A time in milliseconds (microseconds below 1 ms), about two significant digits.
fn time(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else if ms >= 1.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.0} µs", ms * 1e3)
    }
}

/// The whole table, one line per row, and a summary line.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    for h in HEADER {
        out.push_str(h);
        out.push('\n');
    }
    for r in rows {
        out.push_str(&markdown(r));
        out.push('\n');
    }
    out
}

/// `closed of total inputs in closed form`.
pub fn summary(rows: &[Row]) -> String {
    let closed = rows.iter().filter(|r| r.closed.is_some()).count();
    format!("{closed} of {} inputs in closed form", rows.len())
}

/// A table line without its last cell (the time), for comparing two runs.
pub fn without_time(line: &str) -> String {
    match line.trim_end().strip_suffix('|') {
        Some(body) => match body.rfind(" | ") {
            Some(i) => body[..i + 2].to_string(),
            None => line.to_string(),
        },
        None => line.to_string(),
    }
}
