//! The cells of the line cut at the critical values, and the verdicts on each.
//!
//! An open piece is read at one rational inside it: exactly from the signs of the structure of
//! `g'` when it has one ([`super::tails::by_signs`], [`super::convexity`]), otherwise by the
//! one-member analyses of [`crate::analysis`]; a point is read from its own member. Adjacent
//! cells whose limits have the same form are merged for the report.

use super::structure;
use super::{
    Cell, Family, LimitRegion, Member, Method, ParamLimit, Region, convexity, derivative_of, tails,
};
use crate::diff::diff;
use crate::expr::{Expr, LOSS_VAR};
use crate::simplify::simplify;
use num_rational::BigRational;

/// The cells of `allowed` cut at `cuts`: open pieces and points, in increasing order.
pub(super) fn pieces(cuts: &[BigRational], allowed: &Region) -> Vec<Region> {
    let mut out = Vec::new();
    for i in 0..=cuts.len() {
        let lo = i.checked_sub(1).map(|j| cuts[j].clone());
        let hi = cuts.get(i).cloned();
        let gap = match (lo, hi.clone()) {
            (None, None) => Region::all(),
            (None, Some(h)) => Region::below(h, false),
            (Some(l), None) => Region::above(l, false),
            (Some(l), Some(h)) => Region::open(l, h),
        };
        let gap = gap.intersect(allowed);
        if !gap.is_empty() {
            out.push(gap);
        }
        if let Some(c) = hi {
            if allowed.contains(&c) {
                out.push(Region::point(c));
            }
        }
    }
    out
}

/// The verdicts on one cell, read at `at` (its point, or a rational inside the piece).
pub(super) fn decide(
    family: &Family,
    region: Region,
    at: &BigRational,
    is_point: bool,
    terms: Option<&[structure::Term]>,
    curvature: Option<&[structure::Term]>,
    structured: bool,
) -> Cell {
    let param = family.parameter.as_str();
    let undefined = |reason: String| Cell {
        region: region.clone(),
        f_at_0: ParamLimit::Unknown {
            reason: reason.clone(),
        },
        f_prime_at_inf: ParamLimit::Unknown {
            reason: reason.clone(),
        },
        tails_method: Method::Undefined {
            reason: reason.clone(),
        },
        zero_forcing: None,
        zero_avoiding: None,
        convex: None,
        convexity_method: Method::Undefined { reason },
    };
    let member = match family.member(at) {
        Ok(m) => m,
        Err(reason) => return undefined(reason),
    };
    let member_gp = derivative_of(member.loss.as_ref(), member.generator.as_ref()).ok();
    // A point's own structure (rates and powers are numbers there); a piece's is the family's.
    let own_terms = if is_point {
        member_gp
            .as_ref()
            .and_then(|gp| structure::decompose(gp, param))
    } else {
        terms.map(<[_]>::to_vec)
    };
    // A point's `f(1)` is its member's; a piece's is the family's, in the parameter.
    let generator = if is_point {
        member.generator.as_ref()
    } else {
        family.generator.as_ref()
    };
    let f_at_1 = tails::f_at_one(generator, param);
    let by_signs = own_terms
        .as_deref()
        .and_then(|ts| tails::by_signs(ts, f_at_1.as_ref(), param, at));
    let (f_at_0, f_prime_at_inf, tails_method) = match by_signs {
        Some((a, b)) => (a, b, Method::Signs { at: at.clone() }),
        None => member_tails(&member, at, is_point || structured),
    };
    let own_curvature = if is_point {
        member_gp
            .as_ref()
            .and_then(|gp| diff(gp, LOSS_VAR).ok())
            .and_then(|g2| simplify(&g2).ok())
            .and_then(|g2| structure::decompose(&g2, param))
    } else {
        curvature.map(<[_]>::to_vec)
    };
    let convex_by_signs = match (own_curvature.as_deref(), own_terms.as_deref()) {
        (Some(curvature), Some(slope)) => convexity::by_signs(curvature, slope, param, at),
        _ => None,
    };
    let (convex, convexity_method) = match convex_by_signs {
        Some(c) => (Some(c), Method::Signs { at: at.clone() }),
        None => {
            let single = own_curvature.as_ref().is_some_and(|ts| ts.len() <= 1);
            member_convexity(&member, at, is_point || (structured && single))
        }
    };
    // A member's reading that the structure does not extend to its piece decides nothing.
    let tails_extend = extends(&tails_method);
    Cell {
        region,
        zero_forcing: f_at_0.is_plus_infinity().filter(|_| tails_extend),
        zero_avoiding: f_prime_at_inf.is_plus_infinity().filter(|_| tails_extend),
        f_at_0,
        f_prime_at_inf,
        tails_method,
        convex: convex.filter(|_| extends(&convexity_method)),
        convexity_method,
    }
}

/// Whether a verdict read by `m` holds on the whole cell: not for a member reading that the
/// structure does not extend to its piece.
fn extends(m: &Method) -> bool {
    !matches!(
        m,
        Method::Member {
            guaranteed: false,
            ..
        }
    )
}

/// The tails of one member by [`crate::analysis::tails`].
fn member_tails(
    member: &Member,
    at: &BigRational,
    guaranteed: bool,
) -> (ParamLimit, ParamLimit, Method) {
    use crate::analysis::convexity::Method as M;
    let t = match (&member.generator, &member.loss) {
        (Some(f), _) => crate::analysis::tails::of_generator(f),
        (None, Some(g)) => crate::analysis::tails::of_loss(g),
        (None, None) => return undecided_pair("the member has no side"),
    };
    match t {
        Ok(t) => (
            ParamLimit::from_member(&t.f_at_0),
            ParamLimit::from_member(&t.f_prime_at_inf),
            Method::Member {
                at: at.clone(),
                proved: t.method == M::Proved,
                guaranteed,
            },
        ),
        Err(e) => undecided_pair(&e.to_string()),
    }
}

fn undecided_pair(reason: &str) -> (ParamLimit, ParamLimit, Method) {
    let u = || ParamLimit::Unknown {
        reason: reason.to_string(),
    };
    (
        u(),
        u(),
        Method::Undefined {
            reason: reason.to_string(),
        },
    )
}

/// The convexity of one member by [`crate::analysis::convexity`].
fn member_convexity(member: &Member, at: &BigRational, guaranteed: bool) -> (Option<bool>, Method) {
    use crate::analysis::convexity::Method as M;
    let c = match (&member.loss, &member.generator) {
        (Some(g), _) => crate::analysis::convexity::of_loss(g),
        (None, Some(f)) => crate::analysis::convexity::of_generator(f),
        (None, None) => {
            return (
                None,
                Method::Undefined {
                    reason: "the member has no side".into(),
                },
            );
        }
    };
    match c {
        Ok(c) => (
            Some(c.convex),
            Method::Member {
                at: at.clone(),
                proved: c.method == M::Proved,
                guaranteed,
            },
        ),
        Err(e) => (
            None,
            Method::Undefined {
                reason: e.to_string(),
            },
        ),
    }
}

/// The limits of `cells` with adjacent cells of the same form merged: both `+∞`, both `−∞`,
/// or finite with the same expression (a point whose value is the piece's expression there
/// joins the piece).
pub(super) fn merged(
    cells: &[Cell],
    param: &str,
    pick: impl Fn(&Cell) -> &ParamLimit,
) -> Vec<LimitRegion> {
    let mut out: Vec<LimitRegion> = Vec::new();
    let not_extended = ParamLimit::Unknown {
        reason: "read at one member only, which the structure of g' does not extend to its piece"
            .into(),
    };
    for c in cells {
        let limit = if extends(&c.tails_method) {
            pick(c)
        } else {
            &not_extended
        };
        if let Some(last) = out.last_mut() {
            if let Some(joined) = join(&last.limit, limit, &last.region, &c.region, param) {
                last.limit = joined;
                last.region = last.region.union(&c.region);
                continue;
            }
        }
        out.push(LimitRegion {
            region: c.region.clone(),
            limit: limit.clone(),
        });
    }
    out
}

/// The common form of two limits on adjacent regions, when they have one.
fn join(
    a: &ParamLimit,
    b: &ParamLimit,
    ra: &Region,
    rb: &Region,
    param: &str,
) -> Option<ParamLimit> {
    use ParamLimit::{Finite, MinusInfinity, PlusInfinity};
    match (a, b) {
        (PlusInfinity, PlusInfinity) => Some(PlusInfinity),
        (MinusInfinity, MinusInfinity) => Some(MinusInfinity),
        (Finite { expr: Some(x), .. }, Finite { expr: Some(y), .. }) => {
            let fits = |general: &Expr, point: &Region, value: &Expr| {
                point.as_points().is_some_and(|ps| {
                    ps.iter().all(|p| {
                        simplify(&general.substitute(param, &Expr::Num(p.clone())))
                            .is_ok_and(|g| crate::simplify::present::provably_equal(&g, value))
                    })
                })
            };
            if x == y {
                Some(a.clone())
            } else if fits(x, rb, y) {
                Some(Finite {
                    expr: Some(x.clone()),
                    value: None,
                })
            } else if fits(y, ra, x) {
                Some(Finite {
                    expr: Some(y.clone()),
                    value: None,
                })
            } else {
                None
            }
        }
        _ => None,
    }
}
