//! The power losses `|t|^p` as a family: `f(u) = p·u·sign(log u)·γ(p, log u)` for `p > 0`,
//! `p = 0` and `p < 0` as cases of their own, the named family `power`, and the generic result
//! substituted at 20 random rational `p > 0` equal to the member derived with the value bound:
//! exactly where the difference simplifies to zero, else to `1e-12` relative at six points on
//! both sides of `u = 1`.

use fcorr::Expr;
use fcorr::eval::{Params, compile};
use fcorr::family::{CaseKind, Family, derive};
use fcorr::params::Subject;
use fcorr::print::plain;
use fcorr::simplify::simplify;
use fcorr::transform::{Bindings, Direction, Residual, from_loss};
use num_rational::BigRational;
use num_traits::Signed;

const POWER: &str = "abs(t)^p";
const POINTS: [f64; 6] = [0.01, 0.3, 0.9, 1.1, 3.0, 50.0];

fn r(n: i64, d: i64) -> BigRational {
    BigRational::new(n.into(), d.into())
}

/// 20 rational values of `p > 0`: `1`, `2`, `1/7`, `13/2`, then `n/d` (`1 ≤ n ≤ 40`,
/// `1 ≤ d ≤ 12`) from a fixed linear congruential sequence.
fn random_values(seed: u64) -> Vec<BigRational> {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as i64
    };
    let mut out = vec![r(1, 1), r(2, 1), r(1, 7), r(13, 2)];
    while out.len() < 20 {
        let v = r(next() % 40 + 1, next() % 12 + 1);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn family(text: &str) -> Family {
    let subject = Subject::loss(text).unwrap();
    derive(
        &subject,
        Direction::FromLoss,
        Residual::TargetMinusModel,
        &[],
        &[],
    )
    .unwrap()
}

fn generic_f(fam: &Family) -> Expr {
    let pair = fam.generic().unwrap().pair.as_ref().unwrap();
    pair.divergence.clone().unwrap()
}

/// `f(u)` of the member at `p = v`, derived as `--param p=v` does.
fn member(v: &BigRational) -> Expr {
    let mut b = Bindings::new();
    b.set("p", Expr::Num(v.clone())).unwrap();
    let g = fcorr::parse::parse(POWER).unwrap();
    from_loss(&g, Residual::TargetMinusModel, &b)
        .unwrap()
        .divergence
        .unwrap()
}

/// `e` with each `γ(n, x)` of a positive integer order `n` written out:
/// `γ(n, x) = sign(x)^(n−1)·(n − 1)!·(1 − e^(−x)·Σ_{k<n} x^k/k!)` (from
/// `γ(n, x) = ∫_0^x |s|^(n−1)·e^(−s) ds` by parts; the simplifier keeps `γ` itself, which
/// evaluates without the cancellation of this form near `x = 0`).
fn elementary_gamma(e: &Expr) -> Expr {
    match e {
        Expr::Func2(fcorr::expr::Func2::LowerGamma, n, x)
            if n.as_num()
                .is_some_and(|n| n.is_integer() && n.is_positive()) =>
        {
            let n: i64 = n.as_num().unwrap().to_integer().try_into().unwrap();
            let x = elementary_gamma(x);
            let mut factorial = 1i64;
            let mut sum = Vec::new();
            for k in 0..n {
                if k > 0 {
                    factorial *= k;
                }
                sum.push(Expr::pow(x.clone(), Expr::int(k)) * Expr::ratio(1, factorial));
            }
            let fact_n1: i64 = (1..n).product();
            Expr::pow(Expr::func(fcorr::Func::Sign, x.clone()), Expr::int(n - 1))
                * Expr::int(fact_n1)
                * (Expr::one() - Expr::func(fcorr::Func::Exp, -x) * Expr::add(sum))
        }
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e.clone(),
        Expr::Add(xs) => Expr::add(xs.iter().map(elementary_gamma).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(elementary_gamma).collect()),
        Expr::Pow(b, x) => Expr::pow(elementary_gamma(b), elementary_gamma(x)),
        Expr::Func(f, a) => Expr::func(*f, elementary_gamma(a)),
        Expr::Func2(f, a, b) => Expr::func2(*f, elementary_gamma(a), elementary_gamma(b)),
    }
}

/// `e` on the side `side` (`1`: `u > 1`, `−1`: `0 < u < 1`): `sign(X)` is `side` and `|X|` is
/// `side·X` for `X` = `log(u)` or `u − 1`, which have the sign of `u − 1`.
fn on_side(e: &Expr, side: i64) -> Expr {
    let u = Expr::sym("u");
    let same_sign =
        |x: &Expr| *x == Expr::func(fcorr::Func::Log, u.clone()) || *x == u.clone() - Expr::one();
    match e {
        Expr::Func(fcorr::Func::Sign, x) if same_sign(x) => Expr::int(side),
        Expr::Func(fcorr::Func::Abs, x) if same_sign(x) => Expr::int(side) * (**x).clone(),
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e.clone(),
        Expr::Add(xs) => Expr::add(xs.iter().map(|x| on_side(x, side)).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(|x| on_side(x, side)).collect()),
        Expr::Pow(b, x) => Expr::pow(on_side(b, side), on_side(x, side)),
        Expr::Func(f, a) => Expr::func(*f, on_side(a, side)),
        Expr::Func2(f, a, b) => Expr::func2(*f, on_side(a, side), on_side(b, side)),
    }
}

fn at(e: &Expr, u: f64) -> f64 {
    compile(e, "u", &Params::new()).unwrap().eval(u)
}

/// Whether `generic` at `p = v` equals `member` exactly (`true`), else asserts that it does to
/// `1e-12` relative at [`POINTS`] (`false`).
#[track_caller]
fn equal(generic: &Expr, v: &BigRational, member: &Expr) -> bool {
    let substituted = simplify(&generic.substitute("p", &Expr::Num(v.clone()))).unwrap();
    if simplify(&(substituted.clone() - member.clone())).is_ok_and(|d| d.is_zero()) {
        return true;
    }
    // an integer order: γ written out, on each side of u = 1 (both are 0 at u = 1)
    let difference = elementary_gamma(&substituted) - member.clone();
    let zero_on = |side: i64| {
        let d = simplify(&on_side(&difference, side)).unwrap();
        d.is_zero() || fcorr::simplify::expand(&d).is_some_and(|e| simplify(&e).unwrap().is_zero())
    };
    if zero_on(1) && zero_on(-1) {
        return true;
    }
    for u in POINTS {
        let (a, b) = (at(&substituted, u), at(member, u));
        assert!(
            a.is_finite() && (a - b).abs() <= 1e-12 * b.abs().max(1e-300),
            "p = {v}, u = {u}: generic {} = {a:e} vs member {} = {b:e}",
            plain(&substituted),
            plain(member)
        );
    }
    false
}

#[test]
fn the_generic_member_is_the_gamma_form_for_positive_p() {
    for text in [POWER, "power"] {
        let fam = family(text);
        assert_eq!(
            plain(&generic_f(&fam)),
            "p*u*sign(log(u))*lowergamma(p, log(u))",
            "{text}"
        );
    }
    let fam = family(POWER);
    let conditions: Vec<String> = fam
        .generic()
        .unwrap()
        .conditions
        .iter()
        .map(|c| fcorr::family::assume::text(c, "p"))
        .collect();
    assert_eq!(conditions, ["p > 0"]);
}

#[test]
fn substituted_at_20_positive_values_it_equals_the_members() {
    let generic = generic_f(&family(POWER));
    let values = random_values(14);
    let mut exact = Vec::new();
    for v in &values {
        if equal(&generic, v, &member(v)) {
            exact.push(v.to_string());
        }
    }
    // every one exactly: non-integer orders are the same γ form, integer ones elementary
    assert_eq!(exact.len(), values.len(), "exact only at {exact:?}");
}

#[test]
fn p_one_and_two_are_the_absolute_and_the_squared_loss() {
    let generic = generic_f(&family(POWER));
    for (v, expected) in [(r(1, 1), "abs(u - 1)"), (r(2, 1), "2*u - 2 - 2*log(u)")] {
        let m = member(&v);
        assert_eq!(plain(&m), expected);
        equal(&generic, &v, &m);
    }
}

#[test]
fn p_zero_and_negative_p_are_cases_of_their_own() {
    let fam = family(POWER);
    let kinds: Vec<(CaseKind, Vec<String>)> = fam
        .cases
        .iter()
        .map(|c| {
            (
                c.kind,
                c.conditions
                    .iter()
                    .map(|c| fcorr::family::assume::text(c, "p"))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (CaseKind::Generic, vec!["p > 0".to_string()]),
            (CaseKind::Value, vec!["p = 0".to_string()]),
            (CaseKind::Undefined, vec!["p < 0".to_string()]),
        ]
    );
    // |t|^0 = 1: a constant loss, the zero generator
    let zero = fam.at(&r(0, 1)).unwrap().pair.as_ref().unwrap();
    assert_eq!(plain(zero.divergence.as_ref().unwrap()), "0");
    // |t|^p → 1 only off t = 0: the generic f(u) tends to u (u ≠ 1) as p → 0+, not to 0
    match &fam.at(&r(0, 1)).unwrap().generic_limit {
        Some(fcorr::family::LimitCheck::Differs(l)) => assert_eq!(plain(l), "u*sign(log(u))^2"),
        other => panic!("the limit at p = 0: {other:?}"),
    }
    // the named family is defined for p > 0 only
    let named = family("power");
    assert_eq!(named.cases.len(), 1);
    assert_eq!(named.cases[0].kind, CaseKind::Generic);
}

#[test]
fn the_gradient_check_stays_where_the_family_is_defined() {
    let fam = family(POWER);
    assert!(fam.gradient_checks.len() >= 5);
    for g in &fam.gradient_checks {
        assert!(g.value.is_positive(), "checked at {}", g.value);
        let c = g.check.as_ref().unwrap();
        assert_eq!(c.verdict, fcorr::Verdict::Holds, "at p = {}", g.value);
    }
    let used: Vec<String> = fam
        .gradient_checks
        .iter()
        .map(|g| g.value.to_string())
        .collect();
    assert!(used.contains(&"1/1000".to_string()), "{used:?}");
}

#[test]
fn the_gamma_generator_goes_back_to_the_power_loss() {
    let subject = Subject::divergence("p*u*sign(log(u))*lowergamma(p, log(u))").unwrap();
    let fam = derive(
        &subject,
        Direction::FromDivergence,
        Residual::TargetMinusModel,
        &[],
        &[],
    )
    .unwrap();
    let generic = fam.generic().unwrap();
    let pair = generic.pair.as_ref().unwrap();
    assert_eq!(plain(pair.loss.as_ref().unwrap()), "abs(t)^p");
    let conditions: Vec<String> = generic
        .conditions
        .iter()
        .map(|c| fcorr::family::assume::text(c, "p"))
        .collect();
    assert_eq!(conditions, ["p > 0"]);
    let undefined: Vec<String> = fam
        .cases
        .iter()
        .filter(|c| c.kind == CaseKind::Undefined)
        .flat_map(|c| {
            c.conditions
                .iter()
                .map(|c| fcorr::family::assume::text(c, "p"))
        })
        .collect();
    assert_eq!(undefined, ["p ≤ 0"]);
}

#[test]
fn the_command_line_derives_the_family_and_its_members() {
    use assert_cmd::Command;
    let run = |args: &[&str]| -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
            .args(args)
            .assert()
            .code(0)
            .get_output()
            .clone();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let family = run(&["--from-loss", "power"]);
    assert!(
        family.contains("p*u*sign(log(u))*lowergamma(p, log(u))"),
        "{family}"
    );
    // the named family is assumed p > 0
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--from-loss", "power", "--assume", "p < 0"])
        .assert()
        .code(2);
    let member = run(&["--from-loss", "power", "--param", "p=3/2"]);
    assert!(
        member.contains("3*u*sign(log(u))*lowergamma(3/2, log(u))/2"),
        "{member}"
    );
}

#[test]
fn the_power_family_reads_as_a_person_writes_it() {
    let o = fcorr::Options::default();
    let power = fcorr::family_from_loss(POWER, &o).unwrap();
    insta::assert_snapshot!("power_text", power.text());
    let json = serde_json::to_string_pretty(&power.json()).unwrap();
    insta::assert_snapshot!("power_json", json);
}
