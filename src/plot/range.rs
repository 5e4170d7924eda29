//! Which part of each panel to show, and how a curve is cut at the panel's edges.
//!
//! One steep curve must not flatten the others: `2 − 2/u` reaches −198 at `u = 0.01` while
//! `log(2u/(1 + u))` stays within [−4, 1]. Each curve gets its own robust range; the panel
//! shows every curve whose range is comparable with the typical one in full, and widens towards
//! the steep ones only as far as [`SPREAD`] times the typical span. A curve that leaves the
//! panel is cut exactly at the edge (interpolated, on the axis's own scale) and marked there,
//! so the reader sees that it goes on; nothing is clamped.

/// How many times the typical curve's span a panel may be tall.
pub const SPREAD: f64 = 3.0;

/// The robust range of one curve, unpadded: its 2nd to 98th percentiles, widened to its
/// extremes where they lie within half of that span (a smooth end is kept, a blow-up is cut).
pub fn curve_range(values: &[f64]) -> Option<(f64, f64)> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    let (min, max) = (v[0], v[v.len() - 1]);
    let (mut lo, mut hi) = (at(0.02), at(0.98));
    let span = hi - lo;
    if min >= lo - 0.5 * span {
        lo = min;
    }
    if max <= hi + 0.5 * span {
        hi = max;
    }
    Some((lo, hi))
}

/// The y-range of a panel from its curves' values, padded by 5%; `None` when no curve has a
/// finite value.
///
/// The typical span `m` is the lower median of the curves' spans. Curves spanning at most
/// `SPREAD·m` are shown whole; the range then grows towards the others, on each side in
/// proportion to how far they reach, until it spans `SPREAD·m` (or holds them all).
pub fn panel_range(curves: &[Vec<f64>]) -> Option<(f64, f64)> {
    let ranges: Vec<(f64, f64)> = curves.iter().filter_map(|c| curve_range(c)).collect();
    if ranges.is_empty() {
        return None;
    }
    let mut spans: Vec<f64> = ranges.iter().map(|r| r.1 - r.0).collect();
    spans.sort_by(f64::total_cmp);
    let typical = spans[(spans.len() - 1) / 2];
    let limit = SPREAD * typical;
    let union = |rs: &mut dyn Iterator<Item = &(f64, f64)>| {
        rs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), r| {
            (a.min(r.0), b.max(r.1))
        })
    };
    let all = union(&mut ranges.iter());
    let (mut lo, mut hi) = union(&mut ranges.iter().filter(|r| r.1 - r.0 <= limit));
    let room = limit - (hi - lo);
    let (down, up) = (lo - all.0, all.1 - hi);
    if room > 0.0 && down + up > 0.0 {
        let grow = room.min(down + up);
        lo -= grow * down / (down + up);
        hi += grow * up / (down + up);
    }
    Some(pad(lo, hi))
}

/// `[lo, hi]` widened by 5% on each side; a range of (nearly) one value is widened to show it.
fn pad(lo: f64, hi: f64) -> (f64, f64) {
    let span = hi - lo;
    if span <= 1e-9 * hi.abs().max(lo.abs()).max(1.0) {
        let mid = 0.5 * (lo + hi);
        let half = (0.5 * mid.abs()).max(1.0);
        return (mid - half, mid + half);
    }
    (lo - 0.05 * span, hi + 0.05 * span)
}

/// A point where a curve leaves or enters the panel, on its top or bottom edge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exit {
    /// The x of the crossing.
    pub x: f64,
    /// Whether it is on the top edge (the curve goes up, out of the panel).
    pub top: bool,
}

/// A curve cut to a panel: its visible pieces and where it leaves the panel.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Clipped {
    /// Runs of points inside `[lo, hi]`, each of at least two points.
    pub pieces: Vec<Vec<(f64, f64)>>,
    /// The crossings of the top and bottom edges.
    pub exits: Vec<Exit>,
}

/// Cut `points` to `lo ≤ y ≤ hi`. A missing value breaks the curve; a step that crosses an edge
/// ends (or starts) a piece at the crossing, found by linear interpolation in `x` as drawn
/// (`log10 x` on a log axis).
pub fn clip(points: &[(f64, Option<f64>)], lo: f64, hi: f64, log_x: bool) -> Clipped {
    let scale = |x: f64| if log_x { x.log10() } else { x };
    let unscale = |x: f64| if log_x { 10f64.powf(x) } else { x };
    let cross = |(x0, y0): (f64, f64), (x1, y1): (f64, f64), y: f64| {
        let s = (y - y0) / (y1 - y0);
        unscale(scale(x0) + s * (scale(x1) - scale(x0)))
    };
    let mut out = Clipped::default();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut prev: Option<(f64, f64)> = None;
    let inside = |y: f64| (lo..=hi).contains(&y);
    let flush = |run: &mut Vec<(f64, f64)>, out: &mut Clipped| {
        if run.len() >= 2 {
            out.pieces.push(std::mem::take(run));
        }
        run.clear();
    };
    for &(x, y) in points {
        let Some(y) = y.filter(|y| y.is_finite()) else {
            flush(&mut run, &mut out);
            prev = None;
            continue;
        };
        let p = (x, y);
        match prev {
            None => {
                if inside(y) {
                    run.push(p);
                }
            }
            Some(q) => {
                let edge = |v: f64| if v > hi { hi } else { lo };
                match (inside(q.1), inside(y)) {
                    (true, true) => run.push(p),
                    (true, false) => {
                        let e = edge(y);
                        run.push((cross(q, p, e), e));
                        out.exits.push(Exit {
                            x: cross(q, p, e),
                            top: e == hi,
                        });
                        flush(&mut run, &mut out);
                    }
                    (false, true) => {
                        let e = edge(q.1);
                        run.push((cross(q, p, e), e));
                        run.push(p);
                        out.exits.push(Exit {
                            x: cross(q, p, e),
                            top: e == hi,
                        });
                    }
                    (false, false) => {
                        if (q.1 > hi) != (y > hi) {
                            // From above to below (or back) in one step: the band's part.
                            let (a, b) = (edge(q.1), edge(y));
                            let (xa, xb) = (cross(q, p, a), cross(q, p, b));
                            out.pieces.push(vec![(xa, a), (xb, b)]);
                            out.exits.push(Exit {
                                x: xa,
                                top: a == hi,
                            });
                            out.exits.push(Exit {
                                x: xb,
                                top: b == hi,
                            });
                        }
                    }
                }
            }
        }
        prev = Some(p);
    }
    flush(&mut run, &mut out);
    if out.pieces.is_empty() && out.exits.is_empty() {
        // Entirely above or below: mark where it comes nearest.
        let nearest = points
            .iter()
            .filter_map(|&(x, y)| y.filter(|y| y.is_finite()).map(|y| (x, y)))
            .min_by(|a, b| distance(a.1, lo, hi).total_cmp(&distance(b.1, lo, hi)));
        if let Some((x, y)) = nearest {
            out.exits.push(Exit { x, top: y > hi });
        }
    }
    out
}

fn distance(y: f64, lo: f64, hi: f64) -> f64 {
    if y > hi {
        y - hi
    } else if y < lo {
        lo - y
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steep_curve_does_not_flatten_the_others() {
        let us: Vec<f64> = (0..200)
            .map(|i| 10f64.powf(-2.0 + 4.0 * i as f64 / 199.0))
            .collect();
        let squared: Vec<f64> = us.iter().map(|u| 2.0 - 2.0 / u).collect();
        let linex: Vec<f64> = us.iter().map(|u| u.ln()).collect();
        let js: Vec<f64> = us.iter().map(|u| (2.0 * u / (1.0 + u)).ln()).collect();
        let (lo, hi) = panel_range(&[squared.clone(), linex.clone(), js]).unwrap_or_default();
        // ln u spans [−4.6, 4.6]; the panel is at most 3 × 9.2 tall (plus padding) and
        // holds the two gentle curves whole.
        assert!(lo <= -4.61 && hi >= 4.61, "{lo} {hi}");
        assert!(hi - lo <= 1.1 * 3.0 * 9.22, "{lo} {hi}");
        // It grew downwards only, towards the steep curve (undo the 5% padding to see).
        let span = (hi - lo) / 1.1;
        assert!(
            hi - 0.05 * span < 4.61 && lo + 0.05 * span < -20.0,
            "{lo} {hi}"
        );
        // One curve alone is shown whole.
        let (lo, hi) = panel_range(&[squared]).unwrap_or_default();
        assert!(lo < -198.0 && hi > 1.98, "{lo} {hi}");
        assert_eq!(panel_range(&[vec![f64::NAN]]), None);
        let (lo, hi) = panel_range(&[vec![3.0, 3.0]]).unwrap_or_default();
        assert!(lo < 3.0 && hi > 3.0);
    }

    #[test]
    fn clipping_cuts_at_the_edges_and_marks_them() {
        let pts = [
            (0.0, Some(0.0)),
            (1.0, Some(1.0)),
            (2.0, Some(3.0)),
            (3.0, Some(1.0)),
            (4.0, None),
            (5.0, Some(1.0)),
            (6.0, Some(-3.0)),
        ];
        let c = clip(&pts, -1.0, 2.0, false);
        assert_eq!(
            c.pieces,
            vec![
                vec![(0.0, 0.0), (1.0, 1.0), (1.5, 2.0)],
                vec![(2.5, 2.0), (3.0, 1.0)],
                vec![(5.0, 1.0), (5.5, -1.0)],
            ]
        );
        let xs: Vec<(f64, bool)> = c.exits.iter().map(|e| (e.x, e.top)).collect();
        assert_eq!(xs, vec![(1.5, true), (2.5, true), (5.5, false)]);
        // Above to below in one step keeps the band's part.
        let c = clip(&[(0.0, Some(10.0)), (1.0, Some(-10.0))], -1.0, 1.0, false);
        assert_eq!(c.pieces, vec![vec![(0.45, 1.0), (0.55, -1.0)]]);
        // Interpolation on a log axis is in log10 x.
        let c = clip(&[(1.0, Some(0.0)), (100.0, Some(2.0))], -1.0, 1.0, true);
        assert!((c.pieces[0][1].0 - 10.0).abs() < 1e-12);
        // A curve wholly outside is still marked.
        let c = clip(&[(1.0, Some(5.0)), (2.0, Some(4.0))], -1.0, 1.0, false);
        assert_eq!(c.exits, vec![Exit { x: 2.0, top: true }]);
    }
}
