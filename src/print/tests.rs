use super::{latex, plain, unicode};
use crate::expr::{Constant, Expr, Func};

fn t() -> Expr {
    Expr::sym("t")
}
fn u() -> Expr {
    Expr::sym("u")
}
fn n(i: i64) -> Expr {
    Expr::int(i)
}
fn r(p: i64, q: i64) -> Expr {
    Expr::ratio(p, q)
}
fn pow(b: Expr, x: Expr) -> Expr {
    Expr::pow(b, x)
}
fn sqrt(x: Expr) -> Expr {
    Expr::pow(x, r(1, 2))
}
fn f(g: Func, x: Expr) -> Expr {
    Expr::func(g, x)
}
fn exp(x: Expr) -> Expr {
    f(Func::Exp, x)
}
fn log(x: Expr) -> Expr {
    f(Func::Log, x)
}

#[track_caller]
fn prints_as(e: Expr, p: &str, uni: &str, tex: &str) {
    assert_eq!(
        (plain(&e).as_str(), unicode(&e).as_str(), latex(&e).as_str()),
        (p, uni, tex),
        "{e:?}"
    );
}

#[test]
#[rustfmt::skip]
fn divergence_generators() {
    prints_as(n(2) * u() - n(2) - n(2) * log(u()), "2*u - 2 - 2*log(u)", "2u − 2 − 2·ln(u)", r"2 u - 2 - 2 \log u");
    prints_as(exp(t()) - t() - n(1), "exp(t) - t - 1", "exp(t) − t − 1", "e^{t} - t - 1");
    prints_as(n(2) * u() - n(4) * sqrt(u()) + n(2), "2*u - 4*sqrt(u) + 2", "2u − 4√u + 2", r"2 u - 4 \sqrt{u} + 2");
    prints_as(n(4) * (exp(t() / n(2)) - t() / n(2) - n(1)), "4*exp(t/2) - 2*t - 4", "4·exp(t/2) − 2t − 4", "4 e^{t/2} - 2 t - 4");
    prints_as(u() * log(u()), "u*log(u)", "u·ln(u)", r"u \log u");
    prints_as((u() + n(1)) * log(u() + n(1)), "(u + 1)*log(u + 1)", "(u + 1)·ln(u + 1)", r"\left(u + 1\right) \log\left(u + 1\right)");
    prints_as(pow(u() - n(1), n(2)), "(u - 1)^2", "(u − 1)²", r"\left(u - 1\right)^{2}");
    prints_as(pow(u() + n(1), n(2)), "(u + 1)^2", "(u + 1)²", r"\left(u + 1\right)^{2}");
}

#[test]
#[rustfmt::skip]
fn quotients() {
    prints_as(pow(t(), n(2)) / n(2), "t^2/2", "t²/2", r"\frac{t^{2}}{2}");
    prints_as(n(2) / u(), "2/u", "2/u", r"\frac{2}{u}");
    prints_as(n(1) / (n(2) * u()), "1/(2*u)", "1/(2u)", r"\frac{1}{2 u}");
    prints_as(-u() / n(2), "-u/2", "−u/2", r"-\frac{u}{2}");
    prints_as(n(3) * u() / n(2), "3*u/2", "3u/2", r"\frac{3 u}{2}");
    prints_as(pow(u(), r(-1, 2)), "1/sqrt(u)", "1/√u", r"\frac{1}{\sqrt{u}}");
    prints_as(pow(u(), r(-3, 2)), "1/u^(3/2)", "1/u^(3/2)", r"\frac{1}{u^{3/2}}");
    prints_as(n(1) / (u() + n(1)), "1/(u + 1)", "1/(u + 1)", r"\frac{1}{u + 1}");
    prints_as(u().recip(), "1/u", "1/u", r"\frac{1}{u}");
    prints_as(n(-2) / pow(u(), n(2)), "-2/u^2", "−2/u²", r"-\frac{2}{u^{2}}");
    prints_as(pow(u(), -Expr::sym("a")), "1/u^a", "1/u^a", r"\frac{1}{u^{a}}");
    prints_as(log(u()) / u(), "log(u)/u", "ln(u)/u", r"\frac{\log u}{u}");
}

#[test]
#[rustfmt::skip]
fn powers_and_roots() {
    prints_as(exp(t() / n(2)), "exp(t/2)", "exp(t/2)", "e^{t/2}");
    prints_as(sqrt(u() + n(1)), "sqrt(u + 1)", "√(u + 1)", r"\sqrt{u + 1}");
    prints_as(sqrt(n(2)), "sqrt(2)", "√2", r"\sqrt{2}");
    prints_as(pow(n(10), Expr::int(10_000_000_000)), "10^10000000000", "10¹⁰⁰⁰⁰⁰⁰⁰⁰⁰⁰", "10^{10000000000}");
    prints_as(pow(u(), r(3, 2)), "u^(3/2)", "u^(3/2)", "u^{3/2}");
    prints_as(pow(t(), Expr::sym("a")), "t^a", "t^a", "t^{a}");
    prints_as(pow(t(), Expr::sym("alpha")), "t^alpha", "t^α", r"t^{\alpha}");
    prints_as(sqrt(pow(t(), n(2))), "sqrt(t^2)", "√(t²)", r"\sqrt{t^{2}}");
    prints_as(sqrt(n(2) * u()), "sqrt(2*u)", "√(2u)", r"\sqrt{2 u}");
    prints_as(pow(n(-2), t()), "(-2)^t", "(−2)^t", r"\left(-2\right)^{t}");
    prints_as(pow(r(1, 2), t()), "(1/2)^t", "(1/2)^t", r"\left(\frac{1}{2}\right)^{t}");
    prints_as(n(3) * pow(n(2), t()), "3*2^t", "3·2^t", r"3 \cdot 2^{t}");
    prints_as(pow(n(2), pow(t(), n(2))), "2^(t^2)", "2^(t²)", "2^{t^{2}}");
    prints_as(pow(sqrt(u()), Expr::sym("a")), "sqrt(u)^a", "(√u)^a", r"\left(\sqrt{u}\right)^{a}");
    prints_as(pow(pow(u(), Expr::sym("a")), r(1, 3)), "(u^a)^(1/3)", "(u^a)^(1/3)", r"\left(u^{a}\right)^{1/3}");
    prints_as(n(3) * pow(t(), n(2)), "3*t^2", "3t²", "3 t^{2}");
}

#[test]
#[rustfmt::skip]
fn signs() {
    prints_as(-pow(t(), n(2)), "-t^2", "−t²", "-t^{2}");
    prints_as(pow(-t(), n(2)), "t^2", "t²", "t^{2}");
    prints_as(pow(n(2), n(-3)), "1/8", "1/8", r"\frac{1}{8}");
    prints_as(exp(-t()), "exp(-t)", "exp(−t)", "e^{-t}");
    prints_as(-exp(t()), "-exp(t)", "−exp(t)", "-e^{t}");
    prints_as(r(-3, 2), "-3/2", "−3/2", r"-\frac{3}{2}");
    prints_as(n(-7), "-7", "−7", "-7");
    prints_as(n(0), "0", "0", "0");
    prints_as(n(1) - exp(-t()), "-exp(-t) + 1", "−exp(−t) + 1", "-e^{-t} + 1");
    prints_as(t() - r(3, 2), "t - 3/2", "t − 3/2", r"t - \frac{3}{2}");
}

#[test]
#[rustfmt::skip]
fn names_and_functions() {
    prints_as(Expr::constant(Constant::E), "e", "e", "e");
    prints_as(Expr::constant(Constant::Pi) * u(), "pi*u", "π·u", r"\pi u");
    prints_as(n(2) * Expr::constant(Constant::E) * u(), "2*e*u", "2e·u", "2 e u");
    prints_as(f(Func::Abs, t()), "abs(t)", "|t|", r"\left|t\right|");
    prints_as(f(Func::Sign, t()), "sign(t)", "sign(t)", r"\operatorname{sign}\left(t\right)");
    prints_as(f(Func::Atan, t()), "atan(t)", "atan(t)", r"\arctan t");
    prints_as(f(Func::Cosh, t()), "cosh(t)", "cosh(t)", r"\cosh t");
    prints_as(f(Func::Asinh, t()), "asinh(t)", "asinh(t)", r"\operatorname{asinh} t");
    prints_as(f(Func::Softplus, t()), "softplus(t)", "softplus(t)", r"\operatorname{softplus}\left(t\right)");
    prints_as(f(Func::Sigmoid, -t()), "sigmoid(-t)", "sigmoid(−t)", r"\operatorname{sigmoid}\left(-t\right)");
    prints_as(log(exp(-t()) + n(1)), "log(exp(-t) + 1)", "ln(exp(−t) + 1)", r"\log\left(e^{-t} + 1\right)");
    prints_as(log(u()) * f(Func::Sin, u()), "log(u)*sin(u)", "ln(u)·sin(u)", r"\log u \cdot \sin u");
    prints_as(f(Func::Sigmoid, pow(f(Func::Sin, t()), n(2))), "sigmoid(sin(t)^2)", "sigmoid(sin(t)²)", r"\operatorname{sigmoid}\left(\left(\sin t\right)^{2}\right)");
    prints_as(exp(pow(t(), n(2)) / n(2) - t() + n(1)), "exp(t^2/2 - t + 1)", "exp(t²/2 − t + 1)", r"\exp\left(\frac{t^{2}}{2} - t + 1\right)");
    prints_as(f(Func::Abs, t() - n(1)) * u(), "u*abs(t - 1)", "u·|t − 1|", r"u \left|t - 1\right|");
}

#[test]
#[rustfmt::skip]
fn special_functions_and_min_max() {
    use crate::expr::minmax;
    prints_as(f(Func::Li2, -exp(t())), "Li2(-exp(t))", "Li₂(−exp(t))", r"\operatorname{Li}_2\left(-e^{t}\right)");
    prints_as(f(Func::LambertW, u()), "lambertw(u)", "W₀(u)", r"W_0\left(u\right)");
    prints_as(minmax::min(t(), n(1)), "min(t, 1)", "min(t, 1)", r"\min\left(t, 1\right)");
    prints_as(minmax::max(t(), n(0)) / n(2) + u(), "max(t, 0)/2 + u", "max(t, 0)/2 + u", r"\frac{\max\left(t, 0\right)}{2} + u");
    prints_as(-n(3) * minmax::min(f(Func::Abs, t()), n(1)), "-3*min(abs(t), 1)", "−3·min(|t|, 1)", r"-3 \min\left(\left|t\right|, 1\right)");
    let gamma = |p: Expr, x: Expr| Expr::lower_gamma(p, x);
    prints_as(gamma(Expr::ratio(3, 2), log(u())), "lowergamma(3/2, log(u))", "γ(3/2, ln(u))", r"\gamma\left(\frac{3}{2}, \log u\right)");
    prints_as(n(2) * u() * gamma(Expr::sym("a"), -t()), "2*u*lowergamma(a, -t)", "2u·γ(a, −t)", r"2 u \gamma\left(a, -t\right)");
    prints_as(pow(gamma(Expr::ratio(1, 2), t()), n(2)), "lowergamma(1/2, t)^2", "γ(1/2, t)²", r"\left(\gamma\left(\frac{1}{2}, t\right)\right)^{2}");
}
