use super::*;
use crate::parse::parse;
use crate::simplify::present::provably_equal;

fn q(s: &str) -> BigRational {
    s.parse().unwrap()
}

fn e(s: &str) -> Expr {
    parse(s).unwrap()
}

/// The families of the reference text, written by hand, with their special members.
fn linex() -> Family {
    Family::new(
        "a",
        Some(e("(exp(a*t) - a*t - 1)/a^2")),
        Some(e("(u^a - a*u + a - 1)/(a*(a - 1))")),
    )
    .with_special(Member {
        value: q("0"),
        loss: Some(e("t^2/2")),
        generator: Some(e("u - 1 - log(u)")),
    })
    .with_special(Member {
        value: q("1"),
        loss: Some(e("exp(t) - t - 1")),
        generator: Some(e("u*log(u) - u + 1")),
    })
}

fn alpha_divergence() -> Family {
    Family::new(
        "alpha",
        None,
        Some(e("(u^alpha - 1 - alpha*(u - 1))/(alpha*(alpha - 1))")),
    )
    .with_special(Member {
        value: q("0"),
        loss: None,
        generator: Some(e("u - 1 - log(u)")),
    })
    .with_special(Member {
        value: q("1"),
        loss: None,
        generator: Some(e("u*log(u) - u + 1")),
    })
}

fn cressie_read() -> Family {
    Family::new(
        "lambda",
        None,
        Some(e(
            "(u^(lambda + 1) - u - lambda*(u - 1))/(lambda*(lambda + 1))",
        )),
    )
    .with_special(Member {
        value: q("-1"),
        loss: None,
        generator: Some(e("u - 1 - log(u)")),
    })
    .with_special(Member {
        value: q("0"),
        loss: None,
        generator: Some(e("u*log(u) - u + 1")),
    })
}

fn power() -> Family {
    Family::new("p", Some(e("abs(t)^p")), None).with_allowed(Region::above(q("0"), false))
}

// ---- the region type ----

#[track_caller]
fn reads(r: Region, text: &str, latex: &str) {
    assert_eq!(r.text("a"), text);
    assert_eq!(r.latex("a"), latex);
}

#[test]
fn region_printer_at_its_edges() {
    let (z, one) = (q("0"), q("1"));
    reads(Region::all(), "every a", "\\text{every } a");
    reads(Region::none(), "no a", "\\text{no } a");
    reads(Region::below(z.clone(), true), "a ≤ 0", "a \\le 0");
    reads(Region::below(z.clone(), false), "a < 0", "a < 0");
    reads(Region::above(one.clone(), true), "a ≥ 1", "a \\ge 1");
    reads(
        Region::above(q("-1/2"), false),
        "a > −1/2",
        "a > -\\tfrac{1}{2}",
    );
    reads(
        Region::open(z.clone(), one.clone()),
        "0 < a < 1",
        "0 < a < 1",
    );
    reads(
        Region::open(z.clone(), one.clone()).union(&Region::point(one.clone())),
        "0 < a ≤ 1",
        "0 < a \\le 1",
    );
    reads(Region::point(q("-3")), "a = −3", "a = -3");
    reads(
        Region::open(z.clone(), one.clone()).union(&Region::points([z.clone(), one.clone()])),
        "0 ≤ a ≤ 1",
        "0 \\le a \\le 1",
    );
    reads(
        Region::point(q("-1")).union(&Region::above(z.clone(), false)),
        "a = −1 or a > 0",
        "a = -1 \\text{ or } a > 0",
    );
    reads(
        Region::points([z.clone(), one.clone()]),
        "a ∈ {0, 1}",
        "a \\in \\{0, 1\\}",
    );
    reads(
        Region::points([z.clone()]).complement(),
        "a ≠ 0",
        "a \\ne 0",
    );
    reads(
        Region::points([z.clone(), one.clone()]).complement(),
        "a ∉ {0, 1}",
        "a \\notin \\{0, 1\\}",
    );
    reads(
        Region::above(z.clone(), false).minus(&Region::point(one.clone())),
        "a > 0, a ≠ 1",
        "a > 0,\\ a \\ne 1",
    );
    reads(
        Region::below(z.clone(), true).union(&Region::above(one.clone(), true)),
        "a ≤ 0 or a ≥ 1",
        "a \\le 0 \\text{ or } a \\ge 1",
    );
    reads(
        Region::below(z.clone(), false).union(&Region::point(one.clone())),
        "a < 0 or a = 1",
        "a < 0 \\text{ or } a = 1",
    );
    reads(
        Region::open(z.clone(), q("2")).minus(&Region::points([one.clone(), q("3/2")])),
        "0 < a < 2, a ∉ {1, 3/2}",
        "0 < a < 2,\\ a \\notin \\{1, \\tfrac{3}{2}\\}",
    );
}

#[test]
fn region_operations() {
    let (z, one) = (q("0"), q("1"));
    let le0 = Region::below(z.clone(), true);
    let ge1 = Region::above(one.clone(), true);
    // Complement of a ≤ 0 or a ≥ 1 is the open gap; the three together are everything.
    let gap = le0.union(&ge1).complement();
    assert_eq!(gap, Region::open(z.clone(), one.clone()));
    assert!(gap.union(&le0).union(&ge1).is_all());
    assert!(gap.intersect(&le0).is_empty());
    // Canonical form: the same set built two ways compares equal.
    assert_eq!(
        Region::below(z.clone(), false).union(&Region::point(z.clone())),
        le0
    );
    assert_eq!(Region::all().minus(&Region::all()), Region::none());
    assert_eq!(Region::open(one.clone(), z.clone()), Region::none());
    // Membership at and next to the ends.
    assert!(le0.contains(&z) && !le0.contains(&q("1/1000000")));
    assert!(!gap.contains(&z) && gap.contains(&q("1/1000000")) && !gap.contains(&one));
    // A simple sample inside each kind of piece.
    assert_eq!(gap.sample(), Some(q("1/2")));
    assert_eq!(Region::open(q("1/3"), q("1/2")).sample(), Some(q("2/5")));
    assert_eq!(Region::below(q("-5/2"), false).sample(), Some(q("-3")));
    assert_eq!(Region::above(q("7/2"), false).sample(), Some(q("4")));
    assert_eq!(Region::point(q("3/7")).sample(), Some(q("3/7")));
    assert_eq!(Region::none().sample(), None);
    assert_eq!(
        serde_json::to_string(&Region::above(z, false).minus(&Region::point(one))).unwrap(),
        r#"[{"lower":{"value":"0","closed":false},"upper":{"value":"1","closed":false}},{"lower":{"value":"1","closed":false},"upper":null}]"#
    );
}

/// A region from a seed: cuts among the small integers and halves, cells chosen by the bits.
fn region_from(cuts: &[i8], bits: u32) -> Region {
    let mut cs: Vec<BigRational> = cuts
        .iter()
        .map(|c| BigRational::new((*c).into(), 2.into()))
        .collect();
    cs.sort();
    cs.dedup();
    let cells = (0..2 * cs.len() + 1)
        .map(|i| bits >> (i % 32) & 1 == 1)
        .collect();
    Region::from_cells(cs, cells)
}

proptest::proptest! {
    /// Union, intersection, difference and complement agree with membership at every cut and
    /// between cuts, and the canonical form makes equal sets compare equal (De Morgan).
    #[test]
    fn set_operations_agree_with_membership(
        a in proptest::collection::vec(-8i8..8, 0..5), ab in proptest::prelude::any::<u32>(),
        b in proptest::collection::vec(-8i8..8, 0..5), bb in proptest::prelude::any::<u32>(),
    ) {
        let (x, y) = (region_from(&a, ab), region_from(&b, bb));
        let probes: Vec<BigRational> = (-40..=40).map(|k| BigRational::new(k.into(), 4.into())).collect();
        for p in &probes {
            proptest::prop_assert_eq!(x.union(&y).contains(p), x.contains(p) || y.contains(p));
            proptest::prop_assert_eq!(x.intersect(&y).contains(p), x.contains(p) && y.contains(p));
            proptest::prop_assert_eq!(x.minus(&y).contains(p), x.contains(p) && !y.contains(p));
            proptest::prop_assert_eq!(x.complement().contains(p), !x.contains(p));
        }
        proptest::prop_assert_eq!(x.union(&y).complement(), x.complement().intersect(&y.complement()));
        proptest::prop_assert_eq!(x.complement().complement(), x.clone());
        if let Some(s) = x.sample() {
            proptest::prop_assert!(x.contains(&s));
        } else {
            proptest::prop_assert!(x.is_empty());
        }
    }
}

#[track_caller]
fn conditions_read(conds: &[(&str, Relation)], text: &str) {
    let cs: Vec<Condition> = conds
        .iter()
        .map(|(l, r)| Condition {
            lhs: e(l),
            relation: *r,
        })
        .collect();
    assert_eq!(Region::from_conditions(&cs, "a").unwrap().text("a"), text);
}

#[test]
fn regions_from_conditions() {
    use Relation::*;
    conditions_read(&[("a", Gt)], "a > 0");
    conditions_read(&[("a", Ne), ("a - 1", Ne)], "a ∉ {0, 1}");
    conditions_read(&[("2*a + 1", Ge)], "a ≥ −1/2");
    conditions_read(&[("a*(a - 1)", Lt)], "0 < a < 1");
    conditions_read(&[("a^2 - 1", Ge)], "a ≤ −1 or a ≥ 1");
    conditions_read(&[("(a - 1)^2", Gt)], "a ≠ 1");
    conditions_read(&[("(a - 1)^2", Le)], "a = 1");
    conditions_read(&[("a^2 + 1", Gt)], "every a");
    conditions_read(&[("a^2 + 1", Lt)], "no a");
    conditions_read(&[("1/a", Gt)], "a > 0");
    conditions_read(&[("(a - 2)/(a + 1)", Le)], "−1 < a ≤ 2");
    conditions_read(
        &[("a", Ge), ("3 - a", Gt), ("a - 1", Ne)],
        "0 ≤ a < 3, a ≠ 1",
    );
    let refused = |l: &str, r: Relation| {
        Region::from_conditions(
            &[Condition {
                lhs: e(l),
                relation: r,
            }],
            "a",
        )
        .unwrap_err()
    };
    assert!(matches!(
        refused("a^2 - 2", Gt),
        RegionsError::NotRational(_)
    ));
    assert!(matches!(
        refused("a", Integer),
        RegionsError::Integrality(_)
    ));
    assert!(matches!(refused("a - b", Gt), RegionsError::OtherSymbol(_)));
    assert!(matches!(
        refused("exp(a) - 2", Gt),
        RegionsError::NotRational(_)
    ));
}

// ---- the analysis ----

#[test]
fn linex_regions_are_exact() {
    let r = analyze(&linex()).unwrap();
    assert_eq!(r.zero_forcing.holds, Region::below(q("0"), true));
    assert_eq!(r.zero_avoiding.holds, Region::above(q("1"), true));
    assert!(r.zero_forcing.undecided.is_empty() && r.zero_avoiding.undecided.is_empty());
    assert_eq!(r.zero_forcing.holds.text("a"), "a ≤ 0");
    assert_eq!(r.zero_avoiding.holds.text("a"), "a ≥ 1");
    assert!(r.convex.holds.is_all());
    assert!(r.structured);
    let values: Vec<BigRational> = r.critical.iter().map(|c| c.value.clone()).collect();
    assert_eq!(values, [q("0"), q("1")]);
    // f(0+) = 1/a for a > 0, f'(∞) = 1/(1 − a) for a < 1, as expressions in the parameter.
    let finite = |ls: &[LimitRegion]| -> Vec<(Region, Expr)> {
        ls.iter()
            .filter_map(|l| match &l.limit {
                ParamLimit::Finite { expr: Some(x), .. } => Some((l.region.clone(), x.clone())),
                _ => None,
            })
            .collect()
    };
    let f0 = finite(&r.f_at_0);
    assert_eq!(f0.len(), 1);
    assert_eq!(f0[0].0, Region::above(q("0"), false));
    assert!(provably_equal(&f0[0].1, &e("1/a")));
    let finf = finite(&r.f_prime_at_inf);
    assert_eq!(finf.len(), 1);
    assert_eq!(finf[0].0, Region::below(q("1"), false));
    assert!(provably_equal(&finf[0].1, &e("1/(1 - a)")));
    // Every open piece was decided from the signs of the structure.
    for c in &r.cells {
        assert!(matches!(c.tails_method, Method::Signs { .. }), "{c:?}");
    }
}

#[test]
fn linex_identification_map() {
    let r = analyze(&linex()).unwrap();
    let ids = r.identified.unwrap();
    let got: Vec<(String, &str, String)> = ids
        .iter()
        .map(|i| (i.region.text("a"), i.key, crate::print::plain(&i.scale)))
        .collect();
    let want = [
        ("a = −1", "neyman", "1/2"),
        ("a ∉ {0, 1}", "alpha", "1"),
        ("a = 0", "reverse-kl", "1"),
        ("a = 1/2", "hellinger", "2"),
        ("a = 1", "kl", "1"),
        ("a = 2", "pearson", "1/2"),
    ];
    let want: Vec<(String, &str, String)> = want
        .iter()
        .map(|(r, k, s)| (r.to_string(), *k, s.to_string()))
        .collect();
    assert_eq!(got, want);
    let alpha = ids.iter().find(|i| i.key == "alpha").unwrap();
    assert_eq!(alpha.method, identify::IdMethod::Symbolic);
    assert_eq!(
        alpha
            .argument
            .as_ref()
            .map(|a| crate::print::plain(&a.value)),
        Some("a".into())
    );
}

#[test]
fn cressie_read_maps_to_the_alpha_family_shifted() {
    let r = analyze(&cressie_read()).unwrap();
    assert_eq!(r.zero_forcing.holds.text("λ"), "λ ≤ −1");
    assert_eq!(r.zero_avoiding.holds.text("λ"), "λ ≥ 0");
    let ids = r.identified.unwrap();
    let alpha = ids.iter().find(|i| i.key == "alpha").unwrap();
    assert_eq!(alpha.region.text("λ"), "λ ∉ {−1, 0}");
    assert_eq!(
        crate::print::plain(&alpha.argument.as_ref().unwrap().value),
        "1 + lambda"
    );
}

#[test]
fn normalization_and_canonical_member_in_the_parameter() {
    // A Linex loss shifted by b·t: f'(1) = g'(0) = b, the canonical member removes it.
    let fam = Family::new("b", Some(e("exp(t) - t - 1 + b*t")), None);
    let r = analyze(&fam).unwrap();
    let n = r.normalization.unwrap();
    assert_eq!(crate::print::plain(&n.f_prime_at_1), "b");
    assert_eq!(
        n.canonical_loss
            .as_ref()
            .map(crate::print::plain)
            .as_deref(),
        Some("exp(t) - t - 1")
    );
    // Linex is canonical for every a.
    let n = analyze(&linex()).unwrap().normalization.unwrap();
    assert!(n.f_prime_at_1.is_zero() && n.f_at_1.is_zero());
    // The α-divergence from its generator: f(1) = 0 and f'(1) = 0 in α.
    let n = analyze(&alpha_divergence()).unwrap().normalization.unwrap();
    assert!(n.f_prime_at_1.is_zero() && n.f_at_1.is_zero());
}

/// The normalisation of the family in `param` with the sides `loss` and `generator` (as
/// given; `""` for a side not given) is `f(1), f'(1), g(0), g'(0)` and the canonical member
/// `(f, g)`, `""` for a side not given.
#[track_caller]
fn family_normalization_is(
    param: &str,
    (loss, generator): (&str, &str),
    ends: [&str; 4],
    (f, g): (&str, &str),
) {
    let side = |s: &str| (!s.is_empty()).then(|| e(s));
    let n = analyze(&Family::new(param, side(loss), side(generator)))
        .unwrap()
        .normalization
        .unwrap();
    let text = |x: &Expr| crate::print::plain(x);
    let got = [
        text(&n.f_at_1),
        text(&n.f_prime_at_1),
        n.g_at_0.as_ref().map_or_else(String::new, text),
        text(&n.g_prime_at_0),
    ];
    assert_eq!(got, ends, "{loss} {generator}");
    let canonical = (
        n.canonical_generator
            .as_ref()
            .map_or_else(String::new, text),
        n.canonical_loss.as_ref().map_or_else(String::new, text),
    );
    assert_eq!(
        (canonical.0.as_str(), canonical.1.as_str()),
        (f, g),
        "{loss} {generator}"
    );
}

#[rustfmt::skip]
#[test]
fn canonical_members_of_families_are_normalised_on_both_sides() {
    family_normalization_is("a", ("exp(a*t)", ""), ["0", "a", "1", "a"], ("", "exp(a*t) - a*t - 1"));
    family_normalization_is("b", ("exp(t) - t - 1 + b*t", ""), ["0", "b", "0", "b"], ("", "exp(t) - t - 1"));
    family_normalization_is("a", ("", "u*log(u) + a"), ["a", "1", "", "1 - a"], ("u*log(u) - u + 1", ""));
    family_normalization_is("a", ("", "u*log(u) + a*u"), ["a", "1 + a", "", "1"], ("u*log(u) - u + 1", ""));
}

/// The identifications of the family in `param` with the generator `f`, as
/// `(name, scale, offset)`.
#[track_caller]
fn family_identified_is(param: &str, f: &str, expected: &[(&str, &str, &str)]) {
    let ids = analyze(&Family::new(param, None, Some(e(f))))
        .unwrap()
        .identified
        .unwrap();
    let text = |x: &Expr| crate::print::plain(x);
    let got: Vec<(String, String, String)> = ids
        .iter()
        .map(|i| (i.name.clone(), text(&i.scale), text(&i.offset)))
        .collect();
    let want: Vec<(String, String, String)> = expected
        .iter()
        .map(|(n, k, a)| (n.to_string(), k.to_string(), a.to_string()))
        .collect();
    assert_eq!(got, want, "{f}");
}

#[rustfmt::skip]
#[test]
fn family_identifications_carry_their_constant() {
    family_identified_is("a", "a*(u*log(u) - (u + 1)*log(u + 1))", &[("Jensen–Shannon JS(q, pθ)", "a", "-2*a*log(2)"), ("GAN divergence D_GAN(q‖pθ)", "a", "0")]);
    family_identified_is("a", "u*log(u) + a", &[("KL(q‖pθ)", "1", "a")]);
}

#[test]
fn undefined_members_say_so() {
    // Without its special members, Cressie–Read is undefined at λ = −1 and λ = 0 and says so
    // there, while the rest of the line is decided.
    let bare = Family::new("lambda", cressie_read().loss, cressie_read().generator);
    let r = analyze(&bare).unwrap();
    assert_eq!(r.zero_forcing.undecided, Region::points([q("-1"), q("0")]));
    assert_eq!(r.zero_forcing.holds.text("λ"), "λ < −1");
    let at0 = r
        .cells
        .iter()
        .find(|c| c.region == Region::point(q("0")))
        .unwrap();
    assert!(
        matches!(&at0.tails_method, Method::Undefined { reason } if reason.contains("lambda = 0"))
    );
}

#[test]
fn power_loss_regions() {
    let r = analyze(&power()).unwrap();
    assert_eq!(r.zero_forcing.holds.text("p"), "p > 1");
    assert!(r.zero_avoiding.holds.is_empty());
    assert!(r.zero_avoiding.undecided.is_empty() && r.zero_forcing.undecided.is_empty());
    assert_eq!(r.convex.holds.text("p"), "p ≥ 1");
    assert_eq!(r.allowed.text("p"), "p > 0");
}

#[test]
fn unstructured_families_are_not_decided_from_one_member() {
    // `g' = a·tanh(a·t)` is outside the structure: the member read at a = 1 is reported, but
    // it decides no region.
    let fam = Family::new("a", Some(e("log(cosh(a*t))")), None)
        .with_allowed(Region::above(q("0"), false));
    let r = analyze(&fam).unwrap();
    assert!(!r.structured && r.critical.is_empty());
    assert_eq!(r.zero_forcing.undecided, Region::above(q("0"), false));
    assert_eq!(r.convex.undecided, Region::above(q("0"), false));
    assert!(matches!(
        r.cells[0].tails_method,
        Method::Member {
            guaranteed: false,
            ..
        }
    ));
    assert_eq!(r.cells[0].f_at_0.is_plus_infinity(), Some(false));
}

#[test]
fn large_powers_stay_cheap() {
    // g' = 100001·a·t^100000: f(0+) = −lim g' = +∞ exactly for a < 0, and
    // f'(∞) = a·100001! is finite; beyond 1000! it is reported finite without its value.
    let r = analyze(&Family::new("a", Some(e("a*t^100001")), None)).unwrap();
    assert_eq!(r.zero_forcing.holds.text("a"), "a < 0");
    assert!(r.zero_avoiding.holds.is_empty());
    assert!(
        r.f_prime_at_inf
            .iter()
            .all(|l| matches!(l.limit, ParamLimit::Finite { .. }))
    );
    let small = analyze(&Family::new("a", Some(e("a*t^3")), None)).unwrap();
    let fin = &small.f_prime_at_inf;
    assert_eq!(fin.len(), 1);
    assert!(
        matches!(&fin[0].limit, ParamLimit::Finite { expr: Some(x), .. } if provably_equal(x, &e("6*a")))
    );
}

#[test]
fn bad_families_are_refused() {
    assert_eq!(
        analyze(&Family::new("a", None, None)).unwrap_err(),
        RegionsError::NoSide
    );
    assert!(matches!(
        analyze(&Family::new("a", Some(e("exp(a*t) + b*t")), None)).unwrap_err(),
        RegionsError::OtherSymbol(s) if s == "b"
    ));
}

// ---- the verdicts against the one-member analysis at sampled values ----

/// About 30 rational values: the critical ones, values next to them on both sides, and a
/// spread in between and beyond.
fn samples(critical: &[&str]) -> Vec<BigRational> {
    let mut out: Vec<BigRational> = [
        "-7", "-3", "-2", "-3/2", "-1/3", "1/3", "2/3", "3/2", "5/2", "3", "4", "9", "-1/2", "1/2",
        "2", "-1", "-5", "5", "-1/4", "1/4", "5/4", "-5/4", "7/3", "7/4", "11/4", "6", "1/5",
        "3/5", "8",
    ]
    .iter()
    .map(|s| q(s))
    .collect();
    for c in critical {
        let c = q(c);
        for d in ["1/1000", "1/10"] {
            out.push(&c - q(d));
            out.push(&c + q(d));
        }
        out.push(c);
    }
    out.sort();
    out.dedup();
    out
}

/// The region verdicts of `family` at each sample agree with [`crate::analysis::tails`] on
/// the member there, which decides every member. A disagreement with an exact (proved) member
/// verdict fails; one with a numeric member verdict is returned, `(value, which)`, for the
/// caller to account for. Returns also how many members were compared.
#[track_caller]
fn against_members(
    family: &Family,
    critical: &[&str],
) -> (usize, Vec<(BigRational, &'static str)>) {
    use crate::analysis::convexity::Method as M;
    let r = analyze(family).unwrap();
    let values: Vec<BigRational> = samples(critical)
        .into_iter()
        .filter(|v| family.allowed.contains(v))
        .collect();
    let mut numeric_disagreements = Vec::new();
    for v in &values {
        let m = family.member(v).unwrap();
        let t = match (&m.generator, &m.loss) {
            (Some(f), _) => crate::analysis::tails::of_generator(f).unwrap(),
            (None, Some(g)) => crate::analysis::tails::of_loss(g).unwrap(),
            _ => unreachable!(),
        };
        assert!(!r.zero_forcing.undecided.contains(v) && !r.zero_avoiding.undecided.contains(v));
        let checks = [
            (
                "zero-forcing",
                r.zero_forcing.holds.contains(v),
                t.zero_forcing,
                t.f_at_0_method,
            ),
            (
                "zero-avoiding",
                r.zero_avoiding.holds.contains(v),
                t.zero_avoiding,
                t.f_prime_at_inf_method,
            ),
        ];
        let c = match (&m.loss, &m.generator) {
            (Some(g), _) => crate::analysis::convexity::of_loss(g).unwrap(),
            (None, Some(f)) => crate::analysis::convexity::of_generator(f).unwrap(),
            _ => unreachable!(),
        };
        assert!(!r.convex.undecided.contains(v));
        let convexity = (
            "convex",
            r.convex.holds.contains(v),
            Some(c.convex),
            c.method,
        );
        for (which, ours, theirs, method) in checks.into_iter().chain([convexity]) {
            let theirs = theirs.unwrap_or_else(|| {
                panic!("{which} of the member {} = {v} undecided", family.parameter)
            });
            if ours != theirs {
                assert_eq!(
                    method,
                    M::Numeric,
                    "{which} at {} = {v}: ours {ours}, the exact member says {theirs}",
                    family.parameter
                );
                numeric_disagreements.push((v.clone(), which));
            }
        }
    }
    (values.len(), numeric_disagreements)
}

#[test]
fn linex_agrees_with_its_members() {
    assert_eq!(against_members(&linex(), &["0", "1"]), (39, vec![]));
}

#[test]
fn alpha_divergence_agrees_with_its_members() {
    assert_eq!(
        against_members(&alpha_divergence(), &["0", "1"]),
        (39, vec![])
    );
}

#[test]
fn cressie_read_agrees_with_its_members() {
    assert_eq!(against_members(&cressie_read(), &["-1", "0"]), (38, vec![]));
}

#[test]
fn power_loss_agrees_with_its_members() {
    // At p = 1/1000 the member's quadrature of `∫_0^∞ p·τ^{p−1}·e^{−τ} dτ` reads the
    // integrable `τ^{−0.999}` at 0 as a divergence; the integral is `Γ(1 + p) ≈ 0.99943`,
    // finite, as the exact reading of the family says.
    assert_eq!(
        against_members(&power(), &["0", "1", "2"]),
        (30, vec![(q("1/1000"), "zero-avoiding")])
    );
}

// ---- what a person reads ----

#[test]
fn tables_for_papers() {
    for (name, fam) in [
        ("linex", linex()),
        ("power", power()),
        ("cressie_read", cressie_read()),
    ] {
        let r = analyze(&fam).unwrap();
        insta::assert_snapshot!(format!("{name}_markdown"), render::markdown(&r));
        insta::assert_snapshot!(format!("{name}_latex"), render::latex_table(&r));
        insta::assert_snapshot!(format!("{name}_text"), render::text(&r));
    }
}

#[test]
fn json_shape() {
    let r = analyze(&linex()).unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&r).unwrap());
}

#[test]
fn a_scale_in_the_parameter_is_a_map_too() {
    // c·t² ↔ 2c·(u − 1 − log u): 2·c × KL(pθ‖q) for every c > 0, nothing for c ≤ 0.
    let fam = Family::new("c", Some(e("c*t^2")), Some(e("2*c*(u - 1 - log(u))")));
    let ids = analyze(&fam).unwrap().identified.unwrap();
    let got: Vec<(String, &str, String)> = ids
        .iter()
        .map(|i| (i.region.text("c"), i.key, crate::print::plain(&i.scale)))
        .collect();
    assert_eq!(
        got,
        [("c > 0".to_string(), "reverse-kl", "2*c".to_string())]
    );
}

#[test]
fn linex_from_its_loss_alone() {
    let fam = Family::new("a", linex().loss, None)
        .with_special(Member {
            value: q("0"),
            loss: Some(e("t^2/2")),
            generator: None,
        })
        .with_special(Member {
            value: q("1"),
            loss: Some(e("exp(t) - t - 1")),
            generator: None,
        });
    assert_eq!(against_members(&fam, &["0", "1"]), (39, vec![]));
    let r = analyze(&fam).unwrap();
    let points: Vec<String> = r
        .identified
        .unwrap()
        .iter()
        .map(|i| format!("{} {}", i.region.text("a"), i.key))
        .collect();
    assert_eq!(
        points,
        [
            "a = −1 neyman",
            "a = −1 alpha",
            "a = 0 reverse-kl",
            "a = 1/2 hellinger",
            "a = 1/2 alpha",
            "a = 1 kl",
            "a = 2 pearson",
            "a = 2 alpha"
        ]
    );
}

#[test]
fn odd_families_never_panic() {
    for g in [
        "sin(a*t)",
        "abs(t)^(1/a)",
        "log(1 + exp(a*t))",
        "t^2/(a^2 + 1)",
        "exp(a^2*t) - a*t",
        "a*exp(t/a)",
        "exp(sqrt(2)*a*t)",
        "exp(exp(a)*t)",
        "abs(t)^a*exp(a*t)",
        "a*t + abs(t)^(a - 1)",
        "exp((a^2 - 2)*t)",
        "t^3*a - t",
        "0*a*t",
    ] {
        let fam = Family::new("a", Some(e(g)), None);
        if let Ok(r) = analyze(&fam) {
            let _ = (
                render::text(&r),
                render::markdown(&r),
                render::latex_table(&r),
            );
            assert!(
                r.zero_forcing
                    .holds
                    .union(&r.zero_forcing.fails)
                    .union(&r.zero_forcing.undecided)
                    .is_all(),
                "{g}"
            );
        }
    }
}

#[test]
fn tables_of_other_structures() {
    // Each row checked by hand: e.g. `a·exp(t/a)` has g' = e^{t/a}, so f(0+) = −∞ for a < 0
    // and f'(∞) = ∫ e^{(1/a − 1)τ} dτ = a/(a − 1) where 1/a < 1; `t^3*a - t` has
    // f'(∞) = 3a·2! − 1 = 6a − 1. A rate `a² − 2` (irrational roots) or `tanh`/`sin` leaves
    // the structure: nothing is decided.
    let mut out = String::new();
    for g in [
        "abs(t)^(1/a)",
        "exp(a^2*t) - a*t",
        "a*exp(t/a)",
        "a*t + abs(t)^(a - 1)",
        "t^3*a - t",
        "exp((a^2 - 2)*t)",
        "sin(a*t)",
    ] {
        let r = analyze(&Family::new("a", Some(e(g)), None)).unwrap();
        out.push_str(&format!("g = {g}\n{}\n", render::markdown(&r)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn gradient_theorem_on_a_spread_of_members() {
    // Linex is checked as written (the loss against its own generator), also at ±1/100 from
    // a = 0 and a = 1 where `1/a` and `1/(a − 1)` cancel digits; the power losses on the
    // generators derived from them (numeric for p ∉ {1, 2}).
    let opts = crate::check::CheckOptions::default();
    let mut out = String::new();
    for (name, fam) in [("linex", linex()), ("power", power())] {
        let r = analyze(&fam).unwrap();
        for c in gradient::check_spread(&fam, &r, &opts) {
            let v = set::rational_text(&c.value);
            match &c.outcome {
                gradient::CheckOutcome::Checked {
                    verdict, against, ..
                } => {
                    assert_eq!(*verdict, crate::check::Verdict::Holds, "{name} at {v}");
                    out.push_str(&format!(
                        "{name} {v} {:?} {verdict:?} against the {against} generator\n",
                        c.why
                    ));
                }
                gradient::CheckOutcome::Refused { refused } => panic!("{name} at {v}: {refused}"),
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn a_wrong_family_pair_fails_its_gradient_check() {
    // The generator with `a + 1` for `a − 1` in the denominator is not Linex's.
    let wrong = Family::new(
        "a",
        linex().loss,
        Some(e("(u^a - a*u + a - 1)/(a*(a + 1))")),
    );
    let r = analyze(&wrong).unwrap();
    let checks = gradient::check_spread(&wrong, &r, &crate::check::CheckOptions::default());
    let at_two = checks.iter().find(|c| c.value == q("2")).unwrap();
    assert!(matches!(
        at_two.outcome,
        gradient::CheckOutcome::Checked {
            verdict: crate::check::Verdict::Fails,
            ..
        }
    ));
    // Undefined members are reported, not checked: a = 0 and a = 1 divide by zero.
    let at_zero = checks.iter().find(|c| c.value == q("0")).unwrap();
    assert!(
        matches!(&at_zero.outcome, gradient::CheckOutcome::Refused { refused } if refused.contains("a = 0"))
    );
}

/// The family in `a` with the generator `f` has, for every `a`, `f(0+)` and `f'(∞)` as written
/// (`"∞"`, or the plain expression in `a`), and each agrees with the tails of the members at
/// `a = −2, 1/3, 3`.
#[track_caller]
fn family_tails_are(f: &str, f_at_0: &str, f_prime_at_inf: &str) {
    let family = Family::new("a", None, Some(e(f)));
    let r = analyze(&family).unwrap();
    let text = |l: &ParamLimit| match l {
        ParamLimit::PlusInfinity => "∞".to_string(),
        ParamLimit::MinusInfinity => "−∞".to_string(),
        ParamLimit::Finite { expr: Some(x), .. } => crate::print::plain(x),
        other => format!("{other:?}"),
    };
    for (name, limits, want) in [
        ("f(0+)", &r.f_at_0, f_at_0),
        ("f'(∞)", &r.f_prime_at_inf, f_prime_at_inf),
    ] {
        assert_eq!(limits.len(), 1, "{f}: {name} {limits:?}");
        assert!(limits[0].region.is_all(), "{f}: {name} {limits:?}");
        assert_eq!(text(&limits[0].limit), want, "{f}: {name}");
    }
    for v in ["-2", "1/3", "3"] {
        let member = family.member(&q(v)).unwrap();
        let t = crate::analysis::tails::of_generator(member.generator.as_ref().unwrap()).unwrap();
        let at = Expr::Num(q(v));
        for (name, ours, theirs) in [
            ("f(0+)", &r.f_at_0[0].limit, &t.f_at_0),
            ("f'(∞)", &r.f_prime_at_inf[0].limit, &t.f_prime_at_inf),
        ] {
            use crate::analysis::tails::Limit;
            match (ours, theirs) {
                (ParamLimit::PlusInfinity, Limit::PlusInfinity) => {}
                (ParamLimit::Finite { expr: Some(x), .. }, Limit::Finite(_, value)) => {
                    let x = crate::eval::eval_constant(
                        &x.substitute("a", &at),
                        &crate::eval::Params::new(),
                    )
                    .unwrap();
                    assert!(
                        (x - value).abs() <= 1e-9,
                        "{f} at a = {v}: {name} {x} ≠ {value}"
                    );
                }
                _ => panic!("{f} at a = {v}: {name} {ours:?} against the member's {theirs:?}"),
            }
        }
    }
}

#[rustfmt::skip]
#[test]
fn a_constant_in_the_generator_leaves_f_prime_at_infinity_alone() {
    family_tails_are("u - 2 + 1/u + a", "∞", "1");
    family_tails_are("a", "a", "0");
    family_tails_are("a*u + 1", "1", "a");
    family_tails_are("2*u - 4*sqrt(u) + 2 + a", "2 + a", "2");
    family_tails_are("u*log(u) - u + 1 + a*(u - 1)", "1 - a", "∞");
    family_tails_are("(u - 1)^2/u + a*u", "∞", "1 + a");
}
