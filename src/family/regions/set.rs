//! Sets of parameter values: finite unions of intervals and points with exact rational ends.
//!
//! A [`Region`] is stored as its cell decomposition: the sorted cut points `c₀ < … < cₙ₋₁` and,
//! for each of the `2n + 1` cells `(−∞, c₀), {c₀}, (c₀, c₁), …, {cₙ₋₁}, (cₙ₋₁, ∞)`, whether it
//! belongs. Union, intersection and complement then work cell by cell on the merged cuts, and
//! dropping every cut whose point and both neighbours agree makes the form unique, so two equal
//! sets compare equal. The printer reads the set back as a mathematician writes it (`a ≤ 0`,
//! `0 < a < 1`, `a ∉ {0, 1}`, `every a`).

use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;

/// A finite union of intervals and points of the real line, with exact rational ends.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    cuts: Vec<BigRational>,
    cells: Vec<bool>,
}

/// One end of an [`Interval`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Endpoint {
    /// The exact value, written `p/q` or as an integer (`"-1"`, `"1/2"`).
    pub value: String,
    /// Whether the value itself belongs.
    pub closed: bool,
}

/// A maximal connected piece of a [`Region`]; a point is an interval with two equal closed ends.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Interval {
    /// The lower end, `None` for `−∞`.
    pub lower: Option<Endpoint>,
    /// The upper end, `None` for `+∞`.
    pub upper: Option<Endpoint>,
}

/// A region serializes as the list of its maximal intervals, in increasing order.
impl serde::Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.intervals())
    }
}

/// An end of a component while it is being assembled: `None` is infinite.
type End = Option<(BigRational, bool)>;

impl Region {
    /// Every real value.
    pub fn all() -> Region {
        Region {
            cuts: Vec::new(),
            cells: vec![true],
        }
    }

    /// No value.
    pub fn none() -> Region {
        Region {
            cuts: Vec::new(),
            cells: vec![false],
        }
    }

    /// The single value `x`.
    pub fn point(x: BigRational) -> Region {
        Region::from_cells(vec![x], vec![false, true, false])
    }

    /// The finite set `xs`.
    pub fn points(xs: impl IntoIterator<Item = BigRational>) -> Region {
        xs.into_iter()
            .fold(Region::none(), |r, x| r.union(&Region::point(x)))
    }

    /// `x < c` (`closed`: `x ≤ c`).
    pub fn below(c: BigRational, closed: bool) -> Region {
        Region::from_cells(vec![c], vec![true, closed, false])
    }

    /// `x > c` (`closed`: `x ≥ c`).
    pub fn above(c: BigRational, closed: bool) -> Region {
        Region::from_cells(vec![c], vec![false, closed, true])
    }

    /// The open interval `(lo, hi)`; empty unless `lo < hi`.
    pub fn open(lo: BigRational, hi: BigRational) -> Region {
        Region::above(lo, false).intersect(&Region::below(hi, false))
    }

    /// The region with cuts `cuts` (sorted, distinct) and cell memberships `cells`
    /// (`2·cuts.len() + 1` of them), in canonical form.
    pub(crate) fn from_cells(cuts: Vec<BigRational>, cells: Vec<bool>) -> Region {
        debug_assert_eq!(cells.len(), 2 * cuts.len() + 1);
        let mut out_cuts = Vec::new();
        let mut out_cells = vec![cells[0]];
        for (i, c) in cuts.into_iter().enumerate() {
            let (point, after) = (cells[2 * i + 1], cells[2 * i + 2]);
            let before = *out_cells.last().unwrap_or(&false);
            if point == before && after == before {
                continue;
            }
            out_cuts.push(c);
            out_cells.push(point);
            out_cells.push(after);
        }
        Region {
            cuts: out_cuts,
            cells: out_cells,
        }
    }

    /// The cut points of the canonical form: where membership changes or a point stands alone.
    pub fn cuts(&self) -> &[BigRational] {
        &self.cuts
    }

    /// Whether `x` belongs.
    pub fn contains(&self, x: &BigRational) -> bool {
        match self.cuts.binary_search(x) {
            Ok(i) => self.cells[2 * i + 1],
            Err(i) => self.cells[2 * i],
        }
    }

    /// Whether the open interval `(lo, hi)` (ends `None` for infinite) lies inside, given that
    /// no cut of `self` is strictly inside it.
    fn contains_gap(&self, lo: Option<&BigRational>, hi: Option<&BigRational>) -> bool {
        match (lo, hi) {
            (Some(lo), _) => match self.cuts.binary_search(lo) {
                Ok(i) => self.cells[2 * i + 2],
                Err(i) => self.cells[2 * i],
            },
            (None, Some(hi)) => match self.cuts.binary_search(hi) {
                Ok(i) | Err(i) => self.cells[2 * i],
            },
            (None, None) => self.cells[0],
        }
    }

    /// The pointwise combination of `self` and `other` by `op`.
    fn combine(&self, other: &Region, op: impl Fn(bool, bool) -> bool) -> Region {
        let mut cuts: Vec<BigRational> = self.cuts.iter().chain(&other.cuts).cloned().collect();
        cuts.sort();
        cuts.dedup();
        let mut cells = Vec::with_capacity(2 * cuts.len() + 1);
        for i in 0..=cuts.len() {
            let lo = i.checked_sub(1).map(|j| &cuts[j]);
            let hi = cuts.get(i);
            cells.push(op(self.contains_gap(lo, hi), other.contains_gap(lo, hi)));
            if let Some(c) = hi {
                cells.push(op(self.contains(c), other.contains(c)));
            }
        }
        Region::from_cells(cuts, cells)
    }

    /// `self ∪ other`.
    pub fn union(&self, other: &Region) -> Region {
        self.combine(other, |a, b| a || b)
    }

    /// `self ∩ other`.
    pub fn intersect(&self, other: &Region) -> Region {
        self.combine(other, |a, b| a && b)
    }

    /// `self ∖ other`.
    pub fn minus(&self, other: &Region) -> Region {
        self.combine(other, |a, b| a && !b)
    }

    /// `ℝ ∖ self`.
    pub fn complement(&self) -> Region {
        Region {
            cuts: self.cuts.clone(),
            cells: self.cells.iter().map(|c| !c).collect(),
        }
    }

    /// Whether no value belongs.
    pub fn is_empty(&self) -> bool {
        self.cells == [false]
    }

    /// Whether every value belongs.
    pub fn is_all(&self) -> bool {
        self.cells == [true]
    }

    /// Whether `self` is a finite set of points, and which.
    pub fn as_points(&self) -> Option<Vec<BigRational>> {
        let gaps_empty = self.cells.iter().step_by(2).all(|c| !c);
        gaps_empty.then(|| {
            self.cuts
                .iter()
                .zip(self.cells.iter().skip(1).step_by(2))
                .filter(|(_, in_)| **in_)
                .map(|(c, _)| c.clone())
                .collect()
        })
    }

    /// The maximal intervals, in increasing order.
    pub fn intervals(&self) -> Vec<Interval> {
        self.components()
            .into_iter()
            .map(|(lo, hi)| {
                let end = |e: End| {
                    e.map(|(v, closed)| Endpoint {
                        value: rational_text(&v),
                        closed,
                    })
                };
                Interval {
                    lower: end(lo),
                    upper: end(hi),
                }
            })
            .collect()
    }

    /// The maximal components as `(lower, upper)` ends.
    fn components(&self) -> Vec<(End, End)> {
        let mut out = Vec::new();
        let mut start: Option<End> = self.cells[0].then_some(None);
        for (i, c) in self.cuts.iter().enumerate() {
            let (before, point, after) = (
                self.cells[2 * i],
                self.cells[2 * i + 1],
                self.cells[2 * i + 2],
            );
            match (&start, point, after) {
                (Some(_), true, true) => {}
                (Some(lo), true, false) => {
                    out.push((lo.clone(), Some((c.clone(), true))));
                    start = None;
                }
                (Some(lo), false, _) => {
                    out.push((lo.clone(), Some((c.clone(), false))));
                    start = after.then(|| Some((c.clone(), false)));
                }
                (None, true, true) => start = Some(Some((c.clone(), true))),
                (None, true, false) => out.push((Some((c.clone(), true)), Some((c.clone(), true)))),
                (None, false, true) => start = Some(Some((c.clone(), false))),
                (None, false, false) => {}
            }
            let _ = before;
        }
        if let Some(lo) = start {
            out.push((lo, None));
        }
        out
    }

    /// A simple rational inside `self` (the one of smallest denominator, then smallest size,
    /// in its first component), or `None` when empty.
    pub fn sample(&self) -> Option<BigRational> {
        let (lo, hi) = self.components().into_iter().next()?;
        Some(match (lo, hi) {
            (Some((l, true)), Some((h, true))) if l == h => l,
            (None, None) => BigRational::zero(),
            (None, Some((h, _))) => (h - BigRational::one()).ceil(),
            (Some((l, _)), None) => (l + BigRational::one()).floor(),
            (Some((l, lc)), Some((h, hc))) => simplest_between(&l, lc, &h, hc),
        })
    }

    /// How a mathematician writes the set, for the parameter `name` (already in the notation
    /// wanted): `a ≤ 0`, `0 < a < 1`, `a ∉ {0, 1}`, `every a`, `no a`.
    pub fn text(&self, name: &str) -> String {
        self.write(name, &TEXT)
    }

    /// The same in LaTeX math mode (`a \le 0`, `a \notin \{0, 1\}`), `name` already in LaTeX.
    pub fn latex(&self, name: &str) -> String {
        self.write(name, &LATEX)
    }

    fn write(&self, name: &str, n: &Notation) -> String {
        if self.is_empty() {
            return format!("{}{name}", n.no);
        }
        // Points missing from the inside of an interval are written as exclusions.
        let holes: Vec<BigRational> = (0..self.cuts.len())
            .filter(|&i| !self.cells[2 * i + 1] && self.cells[2 * i] && self.cells[2 * i + 2])
            .map(|i| self.cuts[i].clone())
            .collect();
        let filled = self.union(&Region::points(holes.clone()));
        let num = |x: &BigRational| (n.number)(x);
        let set = |xs: &[BigRational]| {
            let items: Vec<String> = xs.iter().map(num).collect();
            format!("{}{}{}", n.open_brace, items.join(", "), n.close_brace)
        };
        let exclusion = match holes.as_slice() {
            [] => None,
            [x] => Some(format!("{name} {} {}", n.ne, num(x))),
            xs => Some(format!("{name} {} {}", n.notin, set(xs))),
        };
        if filled.is_all() {
            return exclusion.unwrap_or_else(|| format!("{}{name}", n.every));
        }
        let parts: Vec<String> = match filled.as_points() {
            Some(ps) if ps.len() > 1 => vec![format!("{name} {} {}", n.in_, set(&ps))],
            _ => filled
                .components()
                .into_iter()
                .map(|c| component_text(name, c, n))
                .collect(),
        };
        let mut out = parts.join(n.or);
        if let Some(x) = exclusion {
            out.push_str(n.and);
            out.push_str(&x);
        }
        out
    }
}

/// The words and symbols of one output notation.
struct Notation {
    le: &'static str,
    lt: &'static str,
    ge: &'static str,
    gt: &'static str,
    eq: &'static str,
    ne: &'static str,
    in_: &'static str,
    notin: &'static str,
    open_brace: &'static str,
    close_brace: &'static str,
    or: &'static str,
    and: &'static str,
    every: &'static str,
    no: &'static str,
    number: fn(&BigRational) -> String,
}

const TEXT: Notation = Notation {
    le: "≤",
    lt: "<",
    ge: "≥",
    gt: ">",
    eq: "=",
    ne: "≠",
    in_: "∈",
    notin: "∉",
    open_brace: "{",
    close_brace: "}",
    or: " or ",
    and: ", ",
    every: "every ",
    no: "no ",
    number: rational_unicode,
};

const LATEX: Notation = Notation {
    le: "\\le",
    lt: "<",
    ge: "\\ge",
    gt: ">",
    eq: "=",
    ne: "\\ne",
    in_: "\\in",
    notin: "\\notin",
    open_brace: "\\{",
    close_brace: "\\}",
    or: " \\text{ or } ",
    and: ",\\ ",
    every: "\\text{every } ",
    no: "\\text{no } ",
    number: rational_latex,
};

fn component_text(name: &str, (lo, hi): (End, End), n: &Notation) -> String {
    let num = n.number;
    match (lo, hi) {
        (None, None) => format!("{}{name}", n.every),
        (None, Some((h, c))) => format!("{name} {} {}", if c { n.le } else { n.lt }, num(&h)),
        (Some((l, c)), None) => format!("{name} {} {}", if c { n.ge } else { n.gt }, num(&l)),
        (Some((l, _)), Some((h, _))) if l == h => format!("{name} {} {}", n.eq, num(&l)),
        (Some((l, lc)), Some((h, hc))) => format!(
            "{} {} {name} {} {}",
            num(&l),
            if lc { n.le } else { n.lt },
            if hc { n.le } else { n.lt },
            num(&h)
        ),
    }
}

/// `x` as an integer or `p/q`.
pub fn rational_text(x: &BigRational) -> String {
    if x.is_integer() {
        x.numer().to_string()
    } else {
        format!("{}/{}", x.numer(), x.denom())
    }
}

/// `x` as a mathematician writes it: `−1`, `1/2` (the minus sign U+2212).
pub fn rational_unicode(x: &BigRational) -> String {
    rational_text(x).replace('-', "−")
}

/// `x` in LaTeX: an integer, or `\tfrac{p}{q}` with the sign in front.
pub fn rational_latex(x: &BigRational) -> String {
    if x.is_integer() {
        x.numer().to_string()
    } else {
        let sign = if x.is_negative() { "-" } else { "" };
        format!("{sign}\\tfrac{{{}}}{{{}}}", x.numer().abs(), x.denom())
    }
}

/// The rational of smallest denominator strictly between `lo` and `hi` (or equal to an end
/// marked closed when that is simplest), found by the Stern–Brocot descent.
fn simplest_between(
    lo: &BigRational,
    lo_closed: bool,
    hi: &BigRational,
    hi_closed: bool,
) -> BigRational {
    let inside = |x: &BigRational| {
        let above = match x.cmp(lo) {
            Ordering::Greater => true,
            Ordering::Equal => lo_closed,
            Ordering::Less => false,
        };
        let below = match x.cmp(hi) {
            Ordering::Less => true,
            Ordering::Equal => hi_closed,
            Ordering::Greater => false,
        };
        above && below
    };
    // An integer inside, nearest zero, when there is one.
    let first = lo.floor();
    let last = hi.ceil();
    let zero = BigRational::zero();
    if inside(&zero) {
        return zero;
    }
    let mut k = if first.is_negative() {
        last.clone()
    } else {
        first.clone()
    };
    while k >= first && k <= last {
        if inside(&k) {
            return k;
        }
        k = if first.is_negative() {
            k - BigRational::one()
        } else {
            k + BigRational::one()
        };
    }
    // Otherwise the simplest fraction: Stern–Brocot between the neighbouring integers.
    let base = lo.floor();
    let (l, h) = (lo - &base, hi - &base);
    let (mut a, mut b, mut c, mut d) = (
        num_bigint::BigInt::zero(),
        num_bigint::BigInt::one(),
        num_bigint::BigInt::one(),
        num_bigint::BigInt::one(),
    );
    for _ in 0..10_000 {
        let m = BigRational::new(&a + &c, &b + &d);
        let x = &m + &base;
        if inside(&x) {
            return x;
        }
        if m <= l {
            a += &c;
            b += &d;
        } else if m >= h {
            c += &a;
            d += &b;
        }
    }
    (lo + hi) / BigRational::from_integer(2.into())
}
