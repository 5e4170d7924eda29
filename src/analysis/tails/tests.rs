//! Tails, one case per line: `∞`, `-∞`, `?` or the limit's value.

use super::*;
use crate::parse::parse;
use crate::print::plain;

fn show(l: &Limit) -> String {
    match l {
        Limit::Finite(Some(e), _) => plain(e),
        Limit::Finite(None, v) => format!("{v:.9} (numeric)"),
        Limit::PlusInfinity => "∞".to_string(),
        Limit::MinusInfinity => "-∞".to_string(),
        Limit::Unknown(why) => format!("? {}", crate::report::undecided_text(why)),
    }
}

#[track_caller]
fn check(t: Tails, input: &str, at_0: &str, at_inf: &str, method: Method) {
    assert_eq!(
        (
            show(&t.f_at_0).as_str(),
            show(&t.f_prime_at_inf).as_str(),
            t.method
        ),
        (at_0, at_inf, method),
        "{input}"
    );
}

#[track_caller]
fn generator(f: &str, at_0: &str, at_inf: &str, method: Method) {
    check(
        of_generator(&parse(f).unwrap()).unwrap(),
        f,
        at_0,
        at_inf,
        method,
    );
}

#[track_caller]
fn loss(g: &str, at_0: &str, at_inf: &str, method: Method) {
    check(
        of_loss(&parse(g).unwrap()).unwrap(),
        g,
        at_0,
        at_inf,
        method,
    );
}

#[test]
fn generators() {
    generator("u*log(u)", "0", "∞", Method::Proved);
    generator("-log(u)", "∞", "0", Method::Proved);
    generator(
        "u*log(u) - (u + 1)*log((1 + u)/2)",
        "log(2)",
        "log(2)",
        Method::Proved,
    );
    generator("abs(u - 1)/2", "1/2", "1/2", Method::Proved);
    generator("(u - 1)^2", "1", "∞", Method::Proved);
    generator("(sqrt(u) - 1)^2", "1", "1", Method::Proved);
    generator("(1 - u)^2/u", "∞", "1", Method::Proved);
    generator("(u - 1)*log(u)", "∞", "∞", Method::Proved);
    generator("u*log(u) - (u + 1)*log(u + 1)", "0", "0", Method::Proved);
    generator("u - 1 - log(u)", "∞", "1", Method::Proved);
    generator("u*atan(u)", "0", "pi/2", Method::Proved);
    // the generator of log(cosh(t)): f'(∞) = π/2 − 1 from atan(u) → π/2 − 1/u + …
    generator(
        "1 - u + 2*u*atan(u) - pi*u/2",
        "1",
        "pi/2 - 1",
        Method::Proved,
    );
    generator("abs(u - 1)", "1", "1", Method::Proved);
}

#[test]
fn undecided() {
    let t = of_generator(&parse("sin(log(u))").unwrap()).unwrap();
    assert!(matches!(t.f_at_0, Limit::Unknown(_)), "{:?}", t.f_at_0);
    assert_eq!(t.zero_forcing, None);
    assert!(of_loss(&parse("a*t^2").unwrap()).is_err());
    let t = of_generator(&parse("u*log(u)^(1/2)").unwrap()).unwrap();
    assert_eq!(t.f_at_0_method, Method::Numeric);
}

#[test]
fn losses() {
    loss("t^2/2", "∞", "1", Method::Proved);
    loss(
        "log(cosh(t))",
        "1",
        "0.570796327 (numeric)",
        Method::Numeric,
    );
    loss("exp(2*t)/2 - t - 1/2", "1", "∞", Method::Proved);
    loss(
        "softplus(t) - t/2 - log(2)",
        "1/2",
        "0.193147181 (numeric)",
        Method::Numeric,
    );
}

/// Robust losses: `g'` tends to a finite limit or grows like a power or a logarithm, and
/// `f(0+) = −lim_{t→−∞} g'(t)` is read from the leading term in `t`; `f'(∞)` is exact for
/// losses whose `g'` is an exponential polynomial between kinks.
#[test]
fn robust_losses() {
    loss(
        "sqrt(1 + t^2) - 1",
        "1",
        "0.538862285 (numeric)",
        Method::Numeric,
    );
    loss(
        "log(1 + t^2)",
        "0",
        "0.686755923 (numeric)",
        Method::Numeric,
    );
    loss("abs(t)", "1", "1", Method::Proved);
    loss("abs(t)/2", "1/2", "1/2", Method::Proved);
    loss("abs(t - 1)", "1", "2*exp(-1) - 1", Method::Proved);
    let huber = "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)";
    loss(huber, "1", "1 - exp(-1)", Method::Proved);
    loss("max(t, 0)^2", "0", "2", Method::Proved);
    loss("abs(t)^3", "∞", "6", Method::Proved);
    loss(
        "t*atan(t)",
        "pi/2",
        "0.964827586 (numeric)",
        Method::Numeric,
    );
    loss(
        "sqrt(1 + t^2)*t",
        "-∞",
        "2.323114544 (numeric)",
        Method::Numeric,
    );
    loss(
        "log(cosh(t))",
        "1",
        "0.570796327 (numeric)",
        Method::Numeric,
    );
    loss("t^4", "∞", "24", Method::Proved);
}

/// A small integral is integrated to its own scale: a narrow bump of mass `1e-10·√π` far out
/// (at τ = 22, where the first pass, content with an absolute error of 1e-12, sees nothing)
/// is found, not printed as a value near zero.
#[test]
fn a_small_integral_is_integrated_to_its_own_scale() {
    let want = 1e-10 * std::f64::consts::PI.sqrt();
    match super::numeric_integral(|t| 1e-10 * (-(t - 22.0) * (t - 22.0)).exp()) {
        Limit::Finite(None, v) => assert!((v - want).abs() <= 1e-9 * want, "{v:e} vs {want:e}"),
        other => panic!("{other:?}"),
    }
}

/// Generators with huge coefficients: the remembered tails hold no more than their bound
/// (lowered to `3000` for this thread, for speed), generators and limits counted, and a
/// repeated generator is still answered the same.
#[test]
fn remembered_tails_keep_to_their_bound() {
    use num_rational::BigRational;
    RECENT_TAILS.with(|r| r.borrow_mut().limited_to(3000));
    let u = Expr::sym("u");
    let huge = BigRational::from_integer(10.into()).pow(4000);
    let generator = |seed: i64| {
        let c = Expr::Num(&huge + BigRational::from_integer(seed.into()));
        c.clone() * u.clone() * Expr::func(crate::expr::Func::Log, u.clone()) + c
    };
    let holds = || {
        RECENT_TAILS.with(|r| {
            let r = r.borrow();
            let counted: usize = r
                .iter()
                .map(|(f, t)| crate::per_thread::held(f) + held(t))
                .sum();
            assert_eq!(counted, r.total());
            assert_eq!(r.limit(), 3000);
            counted
        })
    };
    let mut most = 0;
    for seed in 0..12 {
        let t = of_generator(&generator(seed)).unwrap();
        assert_eq!(t.f_prime_at_inf, Limit::PlusInfinity);
        most = most.max(holds());
        assert!(holds() <= 3000, "{} after {seed}", holds());
    }
    assert!(most > 1500, "{most}");
    let again = of_generator(&generator(11)).unwrap();
    assert_eq!(Ok(again), generator_tails(&generator(11)));
}

/// `f(0+)` of the loss `g` and how it was found.
#[track_caller]
fn loss_at_zero(g: &str, at_0: &str, method: Method) {
    let t = of_loss(&parse(g).unwrap()).unwrap();
    assert_eq!(
        (show(&t.f_at_0).as_str(), t.f_at_0_method),
        (at_0, method),
        "{g}"
    );
}

/// Geman–McClure-type losses: `g'` is rational in `t` and the leading terms of its summands
/// cancel (`2t/(1 + t²) − 2t³/(1 + t²)²`), so `f(0+) = −lim_{t→−∞} g'(t)` is read from the
/// degrees of one fraction, exactly (a numeric reading printed `−4.5e-10` for `0`).
#[rustfmt::skip]
#[test]
fn rational_weights_have_exact_limits() {
    loss_at_zero("t^2/(1 + t^2)", "0", Method::Proved);
    loss_at_zero("t^2/(2 + t^2)", "0", Method::Proved);
    loss_at_zero("t^4/(1 + t^4)", "0", Method::Proved);
    loss_at_zero("t^2/(1 + t^2) + t/2", "-1/2", Method::Proved);
    loss_at_zero("t^3/(1 + t^2)", "-1", Method::Proved);
    loss_at_zero("-t/(1 + t^2)", "0", Method::Proved);
    loss_at_zero("t^4/(1 + t^2)", "∞", Method::Proved);
    loss_at_zero("-t^5/(1 + t^2)", "∞", Method::Proved);
    loss_at_zero("t^5/(1 + t^2)", "-∞", Method::Proved);
}

/// The numeric limit of `h` as `t → side·∞` is `want` within `1e-9·(1 + |want|)` (`None`:
/// unsettled, not a number).
#[track_caller]
fn settles(h: fn(f64) -> f64, side: f64, want: Option<f64>, case: &str) {
    match (super::settle(h, side, "h(t)"), want) {
        (Limit::Finite(None, v), Some(w)) => {
            assert!(
                (v - w).abs() <= 1e-9 * (1.0 + w.abs()),
                "{case}: {v:e} vs {w:e}"
            );
        }
        (Limit::Unknown(Undecided::Unsettled { .. }), None) => {}
        (other, _) => panic!("{case}: {other:?}, want {want:?}"),
    }
}

/// A numeric limit is within its tolerance or unsettled: the geometric extrapolation of
/// `2t/(1 + t²)²`, `−4.5e-10` with an estimated error of `1.7e-9`, is not printed; one whose
/// value is below its error is `0`, not its noise.
#[rustfmt::skip]
#[test]
fn numeric_limits_are_within_their_tolerance() {
    settles(|t| 2.0 * t / (1.0 + t * t).powi(2), -1.0, None, "2t/(1 + t²)²");
    settles(|t| 4.0 * t / (2.0 + t * t).powi(2), -1.0, None, "4t/(2 + t²)²");
    settles(|t| 4.0 * t.powi(3) / (1.0 + t.powi(4)).powi(2), -1.0, Some(0.0), "4t³/(1 + t⁴)²");
    settles(|t| t.atan() + t / (1.0 + t * t), -1.0, Some(-std::f64::consts::FRAC_PI_2), "atan(t) + t/(1 + t²)");
    settles(|t| 1.0 + t.exp(), -1.0, Some(1.0), "1 + e^t");
    settles(|t| 2.0 + 1.0 / t.powi(4), 1.0, Some(2.0), "2 + 1/t⁴");
    settles(|t| (-t).exp(), 1.0, Some(0.0), "e^(−t)");
    match super::settle(|t| 4.0 * t.powi(3) / (1.0 + t.powi(4)).powi(2), -1.0, "h(t)") {
        Limit::Finite(None, v) => assert_eq!(v, 0.0, "4t³/(1 + t⁴)²: noise below the error"),
        other => panic!("{other:?}"),
    }
}

/// Huber's generator for `δ` past `log(f64::MAX)`: below `u = e^{−δ}` it is
/// `u − u·exp(δ) + δ`, whose coefficient `1 − exp(δ)` overflows an `f64`; `f(0+) = δ` all the
/// same (it read `∞` from the overflow for `δ ≥ 710`).
#[rustfmt::skip]
#[test]
fn huber_tails_past_the_largest_exponential() {
    let huber = |d: &str| format!("-u*exp(abs({d} - log(u))/2 - abs(log(u) + {d})/2) + u + abs({d} - log(u))/2 - abs(log(u) + {d})/2");
    let at_zero = |d: &str| show(&of_generator(&parse(&huber(d)).unwrap()).unwrap().f_at_0);
    assert_eq!(at_zero("709"), "709");
    assert_eq!(at_zero("710"), "710");
    assert_eq!(at_zero("745"), "745");
    assert_eq!(at_zero("800"), "800");
    assert_eq!(at_zero("1000"), "1000");
    assert_eq!(at_zero("5000"), "5000");
    let t = of_generator(&parse(&huber("710")).unwrap()).unwrap();
    assert_eq!((t.zero_forcing, t.f_at_0_method), (Some(false), Method::Proved));
}
