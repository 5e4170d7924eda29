//! The power losses `g(t) = |t|^p` and the lower incomplete gamma function they need:
//! `f(u) = p·u·sign(log u)·γ(p, log u)` in closed form for every non-integer `p > 0`, against
//! 30-digit quadrature of the definition (`tests/fixtures/power_losses.py` writes the
//! references); `γ(p, x)` through the whole language against 30-digit mpmath values
//! (`tests/fixtures/special/lowergamma.py`).

use fcorr::diff::diff;
use fcorr::eval::{Params, compile};
use fcorr::expr::{Expr, Func2};
use fcorr::parse::parse;
use fcorr::print::{latex, plain, unicode};
use fcorr::simplify::simplify;
use fcorr::transform::{Bindings, Residual, from_loss};
use proptest::prelude::*;

/// The derived generator of `loss` (with `params` as `name=value`), in closed form.
fn generator(loss: &str, params: &[&str]) -> Expr {
    let mut b = Bindings::new();
    for p in params {
        b.set_from_str(p).unwrap();
    }
    let g = parse(loss).unwrap();
    let pair =
        from_loss(&g, Residual::TargetMinusModel, &b).unwrap_or_else(|e| panic!("{loss}: {e}"));
    assert!(pair.closed_form(), "{loss}: not in closed form");
    pair.divergence.clone().unwrap()
}

fn relative(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}

#[test]
fn power_losses_match_quadrature_of_the_definition() {
    let refs: Vec<(String, f64, f64)> = include_str!("fixtures/power_losses.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (
                c[0].to_string(),
                c[1].parse().unwrap(),
                c[2].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(refs.len(), 30);
    let mut checked = 0;
    for p in ["1/2", "3/2", "5/2", "3", "7/3"] {
        let f = generator(&format!("abs(t)^({p})"), &[]);
        let c = compile(&f, "u", &Params::new()).unwrap();
        let points: Vec<_> = refs.iter().filter(|r| r.0 == p).collect();
        assert_eq!(points.len(), 6);
        assert!(points.iter().any(|r| r.1 < 1.0) && points.iter().any(|r| r.1 > 1.0));
        for (_, u, want) in points {
            let got = c.eval(*u);
            assert!(
                relative(got, *want) <= 1e-12,
                "|t|^{p} at u = {u}: {got} vs {want} ({})",
                plain(&f)
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 30);
}

#[test]
fn generators_of_power_losses() {
    for (loss, params, f) in [
        (
            "abs(t)^(3/2)",
            &[][..],
            "3*u*sign(log(u))*lowergamma(3/2, log(u))/2",
        ),
        (
            "abs(t)^p",
            &["p=3/2"][..],
            "3*u*sign(log(u))*lowergamma(3/2, log(u))/2",
        ),
        (
            "abs(t)^(1/2)",
            &[][..],
            "u*sign(log(u))*lowergamma(1/2, log(u))/2",
        ),
        (
            "abs(t)^(7/3)",
            &[][..],
            "7*u*sign(log(u))*lowergamma(7/3, log(u))/3",
        ),
        // the known members stay elementary
        ("abs(t)^p", &["p=1"][..], "abs(u - 1)"),
        ("abs(t)^p", &["p=2"][..], "2*u - 2 - 2*log(u)"),
        ("t^2", &[][..], "2*u - 2 - 2*log(u)"),
    ] {
        assert_eq!(plain(&generator(loss, params)), f, "{loss} {params:?}");
    }
}

/// `p·u·|γ(p, log u)|` at `p = 1` and `p = 2` is the known member, `|u − 1|` and
/// `2u − 2 − 2·log u`, at points on both sides of 1.
#[test]
fn the_gamma_form_reduces_to_the_known_members() {
    for (p, member) in [("1", "abs(u - 1)"), ("2", "2*u - 2 - 2*log(u)")] {
        let form = parse(&format!("{p}*u*abs(lowergamma({p}, log(u)))")).unwrap();
        let (a, b) = (
            compile(&form, "u", &Params::new()).unwrap(),
            compile(&parse(member).unwrap(), "u", &Params::new()).unwrap(),
        );
        for u in [1e-6, 0.01, 0.5, 0.99, 1.01, 2.0, 40.0, 1e6] {
            assert!(
                relative(a.eval(u), b.eval(u)) <= 1e-13,
                "p = {p} at u = {u}: {} vs {}",
                a.eval(u),
                b.eval(u)
            );
        }
    }
}

/// The compiled `γ(p, t)` against the 30-digit references, within 1e-13 relative and within
/// the rounding bound the evaluator states.
#[test]
fn compiled_lowergamma_matches_the_references() {
    let mut worst: (f64, f64, f64) = (0.0, 0.0, 0.0);
    let mut n = 0;
    for l in include_str!("fixtures/special/lowergamma.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
    {
        let v: Vec<f64> = l.split(' ').map(|x| x.parse().unwrap()).collect();
        let (p, x, want) = (v[0], v[1], v[2]);
        let mut ps = Params::new();
        ps.set("p", p);
        let c = compile(&parse("γ(p, t)").unwrap(), "t", &ps).unwrap();
        let got = c.eval(x);
        assert!(!got.is_nan(), "γ({p}, {x}) = NaN, want {want}");
        n += 1;
        if want.is_infinite() {
            assert_eq!(got, want, "γ({p}, {x})");
            continue;
        }
        if want.abs() < f64::MIN_POSITIVE {
            continue;
        }
        let r = relative(got, want);
        if r > worst.0 {
            worst = (r, p, x);
        }
        // the evaluator's rounding bound covers the error
        let (value, bound) = c.eval_with_error(x, 0.0);
        assert!(
            (value - want).abs() <= bound,
            "γ({p}, {x}) = {value} ± {bound}, want {want}"
        );
    }
    assert!(n > 2000);
    assert!(worst.0 <= 1e-13, "{worst:?}");
}

#[test]
fn refusals_where_undefined() {
    let mut ps = Params::new();
    ps.set("p", 0.0);
    let c = compile(&parse("lowergamma(p, t)").unwrap(), "t", &ps).unwrap();
    assert!(c.eval(1.0).is_nan());
    let c = compile(&parse("lowergamma(3/2, t)").unwrap(), "t", &Params::new()).unwrap();
    assert_eq!(c.eval(-800.0), f64::NEG_INFINITY);
    assert!(c.eval(f64::NAN).is_nan());
    for (input, message) in [
        (
            "lowergamma(0, t)",
            "`lowergamma(0, t)` is undefined: the lower incomplete gamma function needs a first argument p > 0",
        ),
        (
            "lowergamma(-u, t)",
            "`lowergamma(-u, t)` is undefined: the lower incomplete gamma function needs a first argument p > 0",
        ),
    ] {
        let err = simplify(&parse(input).unwrap()).unwrap_err();
        assert_eq!(err.to_string(), message);
    }
    let err = diff(&parse("lowergamma(t, 2)").unwrap(), "t").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the derivative of `lowergamma(t, 2)` in its first argument has no closed form in the language"
    );
    assert_eq!(
        fcorr::Error::from(err).kind(),
        fcorr::ErrorKind::NoClosedForm
    );
}

#[test]
fn parsed_printed_and_differentiated() {
    let e = parse("lowergamma(3/2, t)").unwrap();
    assert_eq!(
        e,
        Expr::func2(Func2::LowerGamma, Expr::ratio(3, 2), Expr::sym("t"))
    );
    assert_eq!(parse("γ(3/2, t)").unwrap(), e);
    assert_eq!(
        parse("γ(3/2, (t + 1)*2)").unwrap().to_string(),
        "lowergamma(3/2, 2*t + 2)"
    );
    // one argument: the parameter γ times a group, as before
    assert_eq!(parse("γ(u + 1)").unwrap().to_string(), "gamma*(u + 1)");
    // the ASCII name stays a parameter, and with two arguments points at `lowergamma`
    for input in ["gamma(3/2, t)", "gammainc(3/2, t)", "Γ(3/2, t)"] {
        let err = parse(input).unwrap_err();
        assert!(
            err.help
                .as_deref()
                .is_some_and(|h| h.contains("`lowergamma(p, x)`")),
            "{input}: {err:?}"
        );
    }
    assert_eq!(parse("gamma(u + 1)").unwrap().to_string(), "gamma*(u + 1)");
    assert_eq!(unicode(&e), "γ(3/2, t)");
    assert_eq!(latex(&e), r"\gamma\left(\frac{3}{2}, t\right)");
    for printed in [plain(&e), unicode(&e)] {
        assert_eq!(parse(&printed).unwrap(), e, "{printed}");
    }
    assert_eq!(
        plain(&diff(&parse("lowergamma(3/2, 2*t)").unwrap(), "t").unwrap()),
        "2*sqrt(2)*exp(-2*t)*sqrt(abs(t))"
    );
    assert_eq!(
        plain(&diff(&parse("lowergamma(a, u)").unwrap(), "u").unwrap()),
        "u^(a - 1)*exp(-u)"
    );
}

#[test]
fn the_other_direction_gives_the_power_loss_back() {
    for (f, g) in [
        ("3*u*sign(log(u))*lowergamma(3/2, log(u))/2", "abs(t)^(3/2)"),
        ("u*abs(lowergamma(5/2, log(u)))", "2*abs(t)^(5/2)/5"),
    ] {
        let pair = fcorr::transform::from_divergence(
            &parse(f).unwrap(),
            Residual::TargetMinusModel,
            &Bindings::new(),
        )
        .unwrap();
        assert!(pair.closed_form(), "{f}");
        assert_eq!(plain(pair.loss.as_ref().unwrap()), g, "{f}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// The compiled `γ(p, a·t + b)` changes as its symbolic derivative says: a central
    /// difference agrees with `diff` to 1e-6 relative, beyond the rounding of the difference.
    #[test]
    fn derivative_matches_central_differences(
        p in (1i64..=500).prop_map(|n| n as f64 / 10.0),
        a in -3i64..=3,
        b in -4i64..=4,
        t in -8.0f64..8.0,
    ) {
        prop_assume!(a != 0);
        let x = a as f64 * t + b as f64;
        prop_assume!(x.abs() > 0.1);
        let e = parse(&format!("lowergamma({p}, {a}*t + {b})")).unwrap();
        let d = compile(&diff(&e, "t").unwrap(), "t", &Params::new()).unwrap();
        let c = compile(&e, "t", &Params::new()).unwrap();
        let h = 1e-6 * x.abs() / (a.abs() as f64);
        let (up, down) = (c.eval(t + h), c.eval(t - h));
        let numeric = (up - down) / (2.0 * h);
        let exact = d.eval(t);
        prop_assume!(exact.is_finite() && exact.abs() > 1e-200 && exact.abs() < 1e200);
        let rounding = 64.0 * f64::EPSILON * up.abs().max(down.abs()) / h;
        prop_assert!(
            (numeric - exact).abs() <= 1e-6 * exact.abs() + rounding,
            "γ({p}, {a}t + {b})' at t = {t}: {numeric} vs {exact}"
        );
    }
}

/// Small powers `|t|^p` (`p = 1/20, 1/100, 1/1000`): `g'` is `p·|τ|^(p−1)`, too singular at
/// `τ = 0` for the quadrature that cross-checks a closed form, which made the whole derivation
/// fail (exit code 2). The closed form is kept, proved by its defining identity, and its values
/// and the report's `--at` values match 40-digit mpmath (`u·p·γ(p, ln u)` for `u > 1`, and
/// `u·p·Σ_k |ln u|^(p+k)/(k!·(p+k))` for `u < 1`) to `1e-12`.
#[test]
fn small_powers_keep_their_closed_form() {
    #[rustfmt::skip]
    let references = [
        ("1/20", 0.01, 0.025612293704593225),
        ("1/20", 0.5, 0.51051298557226),
        ("1/20", 2.0, 1.9087955751078494),
        ("1/20", 100.0, 97.3404721807817),
        ("1/100", 0.01, 0.012987479932090666),
        ("1/100", 0.5, 0.5022903261195328),
        ("1/100", 2.0, 1.9810647681984137),
        ("1/100", 100.0, 99.43072423561608),
        ("1/1000", 0.01, 0.010295813088152283),
        ("1/1000", 0.5, 0.5002334752305398),
        ("1/1000", 2.0, 1.998090068461895),
        ("1/1000", 100.0, 99.94219396508554),
    ];
    for (p, u, want) in references {
        let loss = format!("abs(t)^({p})");
        let f = generator(&loss, &[]);
        let got = compile(&f, "u", &Params::new()).unwrap().eval(u);
        assert!(
            relative(got, want) <= 1e-12,
            "{loss} at u = {u}: {got} vs {want}"
        );
        let pair = from_loss(
            &parse(&loss).unwrap(),
            Residual::TargetMinusModel,
            &Bindings::new(),
        )
        .unwrap();
        let v = pair.derived_values(&[u]).unwrap()[0];
        assert!(
            relative(v.value, want) <= 1e-12,
            "{loss} --at {u}: {} vs {want}",
            v.value
        );
    }
}
