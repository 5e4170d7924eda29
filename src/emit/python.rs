//! An [`Expr`] printed as a Python expression for one array library.
//!
//! The canonical IR spells `expm1(x)` as `exp(x) − 1` and `log1p(x)` as `log(1 + x)`; printed
//! literally these lose every digit near `t = 0`, the minimum of every loss. The printer looks
//! for the shapes of [`STABLE_SUMS`] in every sum and for `log(1 + e^x)`, `log(1 + y)` and
//! `log(sigmoid(x))` in every logarithm, and writes the library's stable function instead.
//! Numbers stay exact where Python can say them exactly (`t**2 / 2`); a sub-expression free of
//! the variable that calls a function is folded to its `f64` value written with `repr`
//! precision, so that `torch.log(2)` (an error: `log` needs a tensor) never appears.

use super::Backend;
use crate::Error;
use crate::eval::stable::{Kernel, LogShape};
use crate::expr::{Constant, Expr, Func, Func2, rational_to_f64};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// How tightly a printed expression holds together, as Python parses it.
mod level {
    /// `a + b`, `a - b`.
    pub const SUM: u8 = 1;
    /// `-a`.
    pub const NEG: u8 = 2;
    /// `a * b`, `a / b`.
    pub const PROD: u8 = 3;
    /// `a ** b`.
    pub const POW: u8 = 4;
    /// Names, literals, calls.
    pub const ATOM: u8 = 5;
}

/// A stable replacement for some terms of a sum: `scale · kernel`.
pub(crate) struct Stable {
    /// The kernel, printed.
    text: String,
    /// The kernel's precedence level.
    level: u8,
    /// The exact factor in front.
    scale: BigRational,
    /// The indices of the replaced terms.
    used: Vec<usize>,
}

/// A rule: given the sum's terms and one term split into `(c, rest)`, the stable form anchored
/// at that term.
type StableRule =
    fn(&mut Printer<'_>, &[Expr], usize, &BigRational, &Expr) -> Result<Option<Stable>, Error>;

/// The stable forms recognised in a sum, most specific first, each as `pattern = replacement`.
pub(crate) const STABLE_SUMS: [(&str, StableRule); 3] = [
    ("c*exp(X) - c*X - c = c*(expm1(X) - X)", expm1_minus_x),
    (
        "c*exp(X) + c*exp(-X) - 2*c = 4*c*sinh(X/2)**2",
        cosh_minus_1,
    ),
    ("c*exp(X) - c = c*expm1(X)", expm1),
];

/// Prints expressions in one variable for one backend.
pub(crate) struct Printer<'a> {
    backend: Backend,
    /// The variable of the expression (`t`).
    var: &'a str,
    /// The Python name it is printed as (`t` or `r`).
    name: &'a str,
    /// Whether `math.` was used (the torch backend's constants).
    pub(crate) uses_math: bool,
    /// Whether `jax.` was used (`jax.nn`).
    pub(crate) uses_jax: bool,
    /// Whether the `_li2` helper was called.
    pub(crate) uses_li2: bool,
    /// Whether the `_lambertw` helper was called.
    pub(crate) uses_lambertw: bool,
    /// Whether the `_lowergamma` helper was called (it needs `math.gamma`).
    pub(crate) uses_lowergamma: bool,
}

impl<'a> Printer<'a> {
    pub(crate) fn new(backend: Backend, var: &'a str, name: &'a str) -> Self {
        Printer {
            backend,
            var,
            name,
            uses_math: false,
            uses_jax: false,
            uses_li2: false,
            uses_lambertw: false,
            uses_lowergamma: false,
        }
    }

    /// `e` as Python source.
    pub(crate) fn print(&mut self, e: &Expr) -> Result<String, Error> {
        Ok(self.expr(e)?.0)
    }

    fn np(&self) -> &'static str {
        match self.backend {
            Backend::Numpy => "np",
            Backend::Torch => "torch",
            Backend::Jax => "jnp",
        }
    }

    /// `library.name(arg)`.
    fn call(&self, name: &str, arg: &str) -> (String, u8) {
        (format!("{}.{name}({arg})", self.np()), level::ATOM)
    }

    fn expr(&mut self, e: &Expr) -> Result<(String, u8), Error> {
        if !e.contains_sym(self.var) && needs_folding(e) {
            let v = crate::eval::eval_constant(e, &crate::eval::Params::new())?;
            return Ok(float(v));
        }
        match e {
            Expr::Num(r) => Ok(number(r)),
            Expr::Const(c) => Ok((self.constant(*c), level::ATOM)),
            Expr::Sym(s) if &**s == self.var => Ok((self.name.to_string(), level::ATOM)),
            Expr::Sym(s) => Err(Error::UnknownParameter(format!(
                "parameter `{s}` has no value"
            ))),
            Expr::Add(ts) => self.sum(ts),
            Expr::Mul(fs) => self.product(fs),
            Expr::Pow(b, x) => self.power(b, x),
            Expr::Func(f, a) => self.func(*f, a),
            Expr::Func2(Func2::LowerGamma, p, x) => {
                if p.contains_sym(self.var) {
                    return Err(Error::Input(format!(
                        "`{}` cannot be emitted: its first argument must not depend on `{}`",
                        crate::print::plain(e),
                        self.var
                    )));
                }
                let (p, x) = (self.print(p)?, self.print(x)?);
                self.uses_lowergamma = true;
                self.uses_math = true;
                Ok((format!("_lowergamma({p}, {x})"), level::ATOM))
            }
        }
    }

    fn constant(&mut self, c: Constant) -> String {
        let name = match c {
            Constant::E => "e",
            Constant::Pi => "pi",
        };
        match self.backend {
            Backend::Numpy => format!("np.{name}"),
            Backend::Jax => format!("jnp.{name}"),
            Backend::Torch => {
                self.uses_math = true;
                format!("math.{name}")
            }
        }
    }

    /// `e` printed, parenthesised when its level is below `min`.
    fn child(&mut self, e: &Expr, min: u8) -> Result<String, Error> {
        let (s, l) = self.expr(e)?;
        Ok(paren(s, l, min))
    }

    fn sum(&mut self, ts: &[Expr]) -> Result<(String, u8), Error> {
        let mut rest: Vec<Expr> = ts.to_vec();
        let mut terms: Vec<(bool, String, u8)> = Vec::new();
        // `c·min(a, b) + rest`, written with the library's minimum (exact, unlike the `abs`
        // form the canonical IR stores).
        if let Some(m) = crate::expr::minmax::find(ts) {
            let call = self.min_max(&m)?;
            terms.push(scaled_call(&m.coeff, call));
            rest = match m.rest {
                Expr::Add(xs) => xs,
                r if r.is_zero() => Vec::new(),
                r => vec![r],
            };
        }
        // `c·(|x − a| − |x − b|)`, a difference of kinks that cancels near its middle (Huber's
        // `g'`, `abs(t + 1)/2 - abs(t - 1)/2`, lost every digit of a small `t`): the library's
        // clip, exact, `2c·clip(x, a, b) − c·(a + b)` for `a < b`.
        if let Some(c) = find_clip(&rest, self.var) {
            let call = self.clip(&c)?;
            terms.push(scaled_call(&c.coeff, call));
            rest = crate::eval::stable::without(rest, &c.used);
            if !c.constant.is_zero() {
                rest.push(Expr::Num(c.constant));
            }
        }
        while let Some(s) = self.find_stable(&rest)? {
            let neg = s.scale.is_negative();
            let magnitude = s.scale.abs();
            if magnitude.is_one() && !neg {
                terms.push((neg, s.text, s.level));
            } else if magnitude.is_one() {
                terms.push((neg, paren(s.text, s.level, level::PROD), level::PROD));
            } else {
                let kernel = paren(s.text, s.level, level::PROD);
                terms.push((neg, scaled(&magnitude, &kernel), level::PROD));
            }
            rest = crate::eval::stable::without(rest, &s.used);
        }
        for t in &rest {
            let (c, r) = t.split_coeff();
            let magnitude = Expr::mul(vec![Expr::Num(c.abs()), r]);
            let (text, l) = self.expr(&magnitude)?;
            terms.push((
                c.is_negative(),
                paren(text, l, level::PROD),
                l.max(level::PROD),
            ));
        }
        let mut out = String::new();
        for (i, (neg, t, _)) in terms.iter().enumerate() {
            out.push_str(match (i, neg) {
                (0, false) => "",
                (0, true) => "-",
                (_, false) => " + ",
                (_, true) => " - ",
            });
            out.push_str(t);
        }
        let l = match terms.as_slice() {
            [(true, ..)] => level::NEG,
            [(false, _, l)] => *l,
            _ => level::SUM,
        };
        Ok((out, l))
    }

    /// `min(a, b)` or `max(a, b)`: `np.minimum`, `jnp.minimum`, and for PyTorch
    /// `torch.minimum` of two tensors or `torch.clamp` against a number.
    fn min_max(&mut self, m: &crate::expr::minmax::Found) -> Result<String, Error> {
        use crate::expr::minmax::Kind;
        let a = self.print(&m.a)?;
        let b = self.print(&m.b)?;
        let name = match m.kind {
            Kind::Min => "minimum",
            Kind::Max => "maximum",
        };
        if self.backend == Backend::Torch {
            let bound = match m.kind {
                Kind::Min => "max",
                Kind::Max => "min",
            };
            if !m.b.contains_sym(self.var) {
                return Ok(format!("torch.clamp({a}, {bound}={b})"));
            }
            if !m.a.contains_sym(self.var) {
                return Ok(format!("torch.clamp({b}, {bound}={a})"));
            }
        }
        Ok(format!("{}.{name}({a}, {b})", self.np()))
    }

    /// `clip(x, lo, hi)` in the backend's words.
    fn clip(&mut self, c: &Clip) -> Result<String, Error> {
        let x = self.print(&c.x)?;
        let (lo, hi) = (number(&c.lo).0, number(&c.hi).0);
        Ok(match self.backend {
            Backend::Torch => format!("torch.clamp({x}, min={lo}, max={hi})"),
            _ => format!("{}.clip({x}, {lo}, {hi})", self.np()),
        })
    }

    /// Whether the sum of `ts`, printed, keeps a constant term beside its stable forms and
    /// terms in the variable (a constant that cancels where the sum vanishes).
    pub(crate) fn leaves_constant(&mut self, ts: &[Expr]) -> Result<bool, Error> {
        let mut rest: Vec<Expr> = match crate::expr::minmax::find(ts) {
            Some(m) => match m.rest {
                Expr::Add(xs) => xs,
                r if r.is_zero() => Vec::new(),
                r => vec![r],
            },
            None => ts.to_vec(),
        };
        while let Some(s) = self.find_stable(&rest)? {
            rest = crate::eval::stable::without(rest, &s.used);
        }
        let constant = rest.iter().any(|t| !t.contains_sym(self.var));
        Ok(constant && ts.iter().any(|t| t.contains_sym(self.var)))
    }

    fn find_stable(&mut self, ts: &[Expr]) -> Result<Option<Stable>, Error> {
        for (_, rule) in STABLE_SUMS {
            for (i, t) in ts.iter().enumerate() {
                let (c, rest) = t.split_coeff();
                if let Some(s) = rule(self, ts, i, &c, &rest)? {
                    return Ok(Some(s));
                }
            }
        }
        match crate::eval::stable::find_in_sum(ts) {
            Some(s) if s.arg.contains_sym(self.var) => {
                let (text, level) = self.kernel(s.kernel, &s.arg)?;
                Ok(Some(Stable {
                    text,
                    level,
                    scale: s.scale,
                    used: s.used,
                }))
            }
            _ => Ok(None),
        }
    }

    /// `where(|x| < bound, x^power·(c₀ + s·(c₁ + …)), direct)` with `s = x²` (odd series,
    /// `power` odd) or `s = x`: a Taylor series near 0 and the direct formula elsewhere. The
    /// series is computed on `x_ := clip(x, −bound, bound)` (named once with `:=`), so that
    /// both branches stay finite (a `where` whose unused branch is infinite gives NaN
    /// gradients).
    fn series_where(
        &mut self,
        x: &Expr,
        bound: f64,
        power: u32,
        coeffs: &[f64],
        direct: &str,
    ) -> Result<String, Error> {
        let step = if power % 2 == 1 { "x_**2" } else { "x_" };
        self.series_in(x, bound, power, coeffs, step, direct)
    }

    /// [`Printer::series_where`] with every power of `x` in the series (`s = x`).
    pub(crate) fn full_series_where(
        &mut self,
        x: &Expr,
        bound: f64,
        power: u32,
        coeffs: &[f64],
        direct: &str,
    ) -> Result<String, Error> {
        self.series_in(x, bound, power, coeffs, "x_", direct)
    }

    fn series_in(
        &mut self,
        x: &Expr,
        bound: f64,
        power: u32,
        coeffs: &[f64],
        step: &str,
        direct: &str,
    ) -> Result<String, Error> {
        let np = self.np();
        let xt = self.print(x)?;
        let (b, _) = float(bound);
        let clip = match self.backend {
            Backend::Torch => format!("torch.clamp({xt}, -{b}, {b})"),
            _ => format!("{np}.clip({xt}, -{b}, {b})"),
        };
        let mut poly = String::new();
        for (j, c) in coeffs.iter().enumerate() {
            let (ct, _) = float(*c);
            if j + 1 == coeffs.len() {
                poly.push_str(&ct);
            } else {
                poly.push_str(&format!("{ct} + {step} * ("));
            }
        }
        poly.push_str(&")".repeat(coeffs.len().saturating_sub(1)));
        Ok(format!(
            "{np}.where({np}.abs({xt}) < {b}, (x_ := {clip})**{power} * ({poly}), {direct})"
        ))
    }

    /// A kernel shared with the evaluator ([`crate::eval::stable`]) applied to `x`, written
    /// so that it is finite and accurate in `float32` and `float64` alike.
    fn kernel(&mut self, k: Kernel, x: &Expr) -> Result<(String, u8), Error> {
        let np = self.np();
        let xt = self.print(x)?;
        let xa = self.child(x, level::PROD)?;
        Ok(match k {
            Kernel::CoshMinus1 => {
                let half = self.print(&(x.clone() / Expr::int(2)))?;
                (format!("2 * {np}.sinh({half}) ** 2"), level::PROD)
            }
            Kernel::CosMinus1 => {
                let half = self.print(&(x.clone() / Expr::int(2)))?;
                (format!("-2 * {np}.sin({half}) ** 2"), level::NEG)
            }
            Kernel::Sqrt1pMinus1 => {
                let one_plus = self.print(&(x.clone() + Expr::one()))?;
                (format!("{xa} / ({np}.sqrt({one_plus}) + 1)"), level::PROD)
            }
            Kernel::XMinusSin => {
                let direct = format!("{xa} - {np}.sin({xt})");
                let coeffs = crate::eval::stable::x_minus_sin_series();
                (self.series_where(x, 1.0, 3, &coeffs, &direct)?, level::ATOM)
            }
            Kernel::SigmoidOfMinus => {
                let (text, level) = self.func(Func::Sigmoid, &-x.clone())?;
                (text, level)
            }
            Kernel::SechSquared => {
                // 4e/(1 + e)² with e = exp(−2|x|): no cancellation, no overflow.
                let e = format!("{np}.exp(-2 * {np}.abs({xt}))");
                (format!("4 * {e} / (1 + {e}) ** 2"), level::PROD)
            }
            Kernel::LogCosh => {
                // log1p(2 sinh(|x|/2)²) below 1 (no cancellation), |x| + log1p(e^(−2|x|)) − log 2
                // above (no overflow); the first on min(|x|, 1), so that it stays finite.
                let a = format!("{np}.abs({xt})");
                let small = match self.backend {
                    Backend::Torch => format!("torch.clamp({a}, max=1)"),
                    _ => format!("{np}.minimum({a}, 1)"),
                };
                let (ln2, _) = float(std::f64::consts::LN_2);
                (
                    format!(
                        "{np}.where({a} < 1, {np}.log1p(2 * {np}.sinh({small} / 2) ** 2), \
                         {a} + {np}.log1p({np}.exp(-2 * {a})) - {ln2})"
                    ),
                    level::ATOM,
                )
            }
        })
    }

    /// `±p * num / (q * den)`: the coefficient `p/q`, negative powers below the line.
    fn product(&mut self, fs: &[Expr]) -> Result<(String, u8), Error> {
        let (folded, kept): (Vec<Expr>, Vec<Expr>) = fs.iter().cloned().partition(|f| {
            matches!(f, Expr::Num(_)) || (!f.contains_sym(self.var) && needs_folding(f))
        });
        if folded.iter().any(|f| !matches!(f, Expr::Num(_))) {
            // A variable-free factor that calls a function joins the coefficient as one float.
            let k = crate::eval::eval_constant(&Expr::mul(folded), &crate::eval::Params::new())?;
            let (rest, l) = self.product(&kept)?;
            let (kt, _) = float(k.abs());
            let magnitude = format!("{kt} * {}", paren(rest, l, level::POW));
            return Ok(if k < 0.0 {
                (format!("-{magnitude}"), level::NEG)
            } else {
                (magnitude, level::PROD)
            });
        }
        let (coeff, rest) = match fs.first() {
            Some(Expr::Num(c)) => (c.clone(), &fs[1..]),
            _ => (BigRational::one(), fs),
        };
        let mut num = Vec::new();
        let mut den = Vec::new();
        if !coeff.numer().abs().is_one() {
            num.push(int(&coeff.numer().abs()));
        }
        if !coeff.denom().is_one() {
            den.push(int(coeff.denom()));
        }
        for f in rest {
            match negated_exponent(f) {
                Some(inverse) => den.push(self.child(&inverse, level::POW)?),
                None => num.push(self.child(f, level::POW)?),
            }
        }
        let top = if num.is_empty() {
            "1".to_string()
        } else {
            num.join(" * ")
        };
        let magnitude = match den.len() {
            0 => top,
            1 => format!("{top} / {}", den[0]),
            _ => format!("{top} / ({})", den.join(" * ")),
        };
        // A product with one factor and no denominator is `-1·x`: its sign is printed below.
        let l = if num.len() == 1 && den.is_empty() {
            level::POW
        } else {
            level::PROD
        };
        if coeff.is_negative() {
            Ok((format!("-{}", paren(magnitude, l, level::PROD)), level::NEG))
        } else {
            Ok((magnitude, l))
        }
    }

    fn power(&mut self, b: &Expr, x: &Expr) -> Result<(String, u8), Error> {
        if x.split_coeff().0.is_negative() {
            let inverse = Expr::pow(b.clone(), -x.clone());
            let d = self.child(&inverse, level::POW)?;
            return Ok((format!("1 / {d}"), level::PROD));
        }
        let half = BigRational::new(1.into(), 2.into());
        if let Expr::Num(r) = x {
            if *r == half {
                let arg = self.print(b)?;
                return Ok(self.call("sqrt", &arg));
            }
        }
        // `**` is right-associative and binds tighter than unary minus on its left.
        let base = self.child(b, level::ATOM)?;
        let exponent = match x {
            Expr::Num(r) if r.is_integer() => int(r.numer()),
            _ => self.child(x, level::ATOM)?,
        };
        Ok((pow_op(&base, &exponent), level::POW))
    }

    fn func(&mut self, f: Func, a: &Expr) -> Result<(String, u8), Error> {
        if f == Func::Log {
            if let Some(y) = Expr::minus_one(a) {
                if let Expr::Func(Func::Exp, x) = &y {
                    return self.softplus(x);
                }
                let arg = self.print(&y)?;
                return Ok(self.call("log1p", &arg));
            }
            if let Expr::Func(Func::Sigmoid, x) = a {
                return self.log_sigmoid(x);
            }
            match crate::eval::stable::find_in_log(a) {
                Some(LogShape::LogCosh(x)) => return self.kernel(Kernel::LogCosh, &x),
                Some(LogShape::Log1pPow(b, y)) => {
                    return self.softplus(&Expr::mul(vec![y, Expr::func(Func::Log, b)]));
                }
                _ => {}
            }
        }
        let arg = self.print(a)?;
        Ok(match (f, self.backend) {
            (Func::Softplus, _) => return self.softplus(a),
            (Func::Sigmoid, Backend::Numpy) => {
                // sigmoid(x) = exp(-softplus(-x)), finite for every x.
                let minus = self.print(&-a.clone())?;
                (format!("np.exp(-np.logaddexp(0, {minus}))"), level::ATOM)
            }
            (Func::Sigmoid, Backend::Torch) => self.call("sigmoid", &arg),
            (Func::Sigmoid, Backend::Jax) => {
                self.uses_jax = true;
                (format!("jax.nn.sigmoid({arg})"), level::ATOM)
            }
            (Func::Li2, _) => {
                self.uses_li2 = true;
                (format!("_li2({arg})"), level::ATOM)
            }
            (Func::LambertW, _) => {
                self.uses_lambertw = true;
                (format!("_lambertw({arg})"), level::ATOM)
            }
            (Func::Atan, Backend::Numpy | Backend::Jax) => self.call("arctan", &arg),
            (Func::Asinh, Backend::Numpy | Backend::Jax) => self.call("arcsinh", &arg),
            (f, _) => self.call(f.name(), &arg),
        })
    }

    /// `softplus(x) = log(1 + e^x)`, finite for every `x`.
    fn softplus(&mut self, x: &Expr) -> Result<(String, u8), Error> {
        let arg = self.print(x)?;
        Ok(match self.backend {
            Backend::Numpy => (format!("np.logaddexp(0, {arg})"), level::ATOM),
            Backend::Torch => (format!("torch.nn.functional.softplus({arg})"), level::ATOM),
            Backend::Jax => {
                self.uses_jax = true;
                (format!("jax.nn.softplus({arg})"), level::ATOM)
            }
        })
    }

    /// `log(sigmoid(x)) = −softplus(−x)`, finite for every `x`.
    fn log_sigmoid(&mut self, x: &Expr) -> Result<(String, u8), Error> {
        Ok(match self.backend {
            Backend::Numpy => {
                let minus = self.print(&-x.clone())?;
                (format!("-np.logaddexp(0, {minus})"), level::NEG)
            }
            Backend::Torch => {
                let arg = self.print(x)?;
                (
                    format!("torch.nn.functional.logsigmoid({arg})"),
                    level::ATOM,
                )
            }
            Backend::Jax => {
                self.uses_jax = true;
                let arg = self.print(x)?;
                (format!("jax.nn.log_sigmoid({arg})"), level::ATOM)
            }
        })
    }
}

/// `c·exp(X) − c·X − c = c·(expm1(X) − X)`, stable at `X → 0`.
/// Two terms `c·|x − a| − c·|x − b|` of a sum (`a ≠ b` rational, `x` the same in both up to
/// its sign), as `coeff·clip(x, lo, hi) + constant`.
struct Clip {
    coeff: BigRational,
    x: Expr,
    lo: BigRational,
    hi: BigRational,
    constant: BigRational,
    used: [usize; 2],
}

/// The first pair of terms of `ts` that [`Clip`] describes.
fn find_clip(ts: &[Expr], var: &str) -> Option<Clip> {
    let kinks: Vec<(usize, BigRational, Expr, BigRational)> = ts
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let (c, r) = t.split_coeff();
            let Expr::Func(Func::Abs, a) = r else {
                return None;
            };
            let (x, shift) = variable_and_shift(&a, var)?;
            Some((i, c, x, shift))
        })
        .collect();
    for (n, (i, ci, xa, alpha)) in kinks.iter().enumerate() {
        for (j, cj, xb, beta) in &kinks[n + 1..] {
            if *cj != -ci.clone() {
                continue;
            }
            // `|x + β|`, or `|−x + β| = |x − β|`.
            let beta = if xb == xa {
                beta.clone()
            } else if crate::simplify::simplify(&-xb.clone()).ok().as_ref() == Some(xa) {
                -beta.clone()
            } else {
                continue;
            };
            let (a, b) = (-alpha.clone(), -beta);
            if a == b {
                continue;
            }
            let two = BigRational::from_integer(2.into());
            let coeff = if a < b { ci * &two } else { -(ci * &two) };
            let constant = -(&coeff / &two) * (&a + &b);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            return Some(Clip {
                coeff,
                x: xa.clone(),
                lo,
                hi,
                constant,
                used: [*i, *j],
            });
        }
    }
    None
}

/// `x + s` as `(x, s)`: `s` the rational term of a sum (`0` when there is none), `x` the rest,
/// which holds the variable.
fn variable_and_shift(e: &Expr, var: &str) -> Option<(Expr, BigRational)> {
    let (x, shift) = match e {
        Expr::Add(ts) => match ts.split_last() {
            Some((Expr::Num(s), rest)) => (
                match rest {
                    [one] => one.clone(),
                    _ => Expr::Add(rest.to_vec()),
                },
                s.clone(),
            ),
            _ => (e.clone(), BigRational::zero()),
        },
        _ => (e.clone(), BigRational::zero()),
    };
    x.contains_sym(var).then_some((x, shift))
}

fn expm1_minus_x(
    p: &mut Printer<'_>,
    ts: &[Expr],
    i: usize,
    c: &BigRational,
    rest: &Expr,
) -> Result<Option<Stable>, Error> {
    let Expr::Func(Func::Exp, x) = rest else {
        return Ok(None);
    };
    let others = Expr::mul(vec![Expr::Num(-c), (**x).clone()]) - Expr::Num(c.clone());
    let Some(used) = Expr::matching_terms(ts, i, &others) else {
        return Ok(None);
    };
    let arg = p.print(x)?;
    let (e, _) = p.call("expm1", &arg);
    let neg_x = -(**x).clone();
    let direct = if neg_x.split_coeff().0.is_positive() {
        format!("{e} + {}", p.child(&neg_x, level::PROD)?)
    } else {
        format!("{e} - {}", p.child(x, level::PROD)?)
    };
    // `expm1(X) − X` still cancels near 0 (to 1e-3 relative at X = 1e-4 in float32): the
    // Taylor series of the evaluator's kernel there.
    let coeffs = crate::eval::stable::expm1_minus_x_series();
    let text = p.series_where(x, 0.5, 2, &coeffs, &direct)?;
    Ok(Some(Stable {
        text,
        level: level::ATOM,
        scale: c.clone(),
        used,
    }))
}

/// `c·exp(X) + c·exp(−X) − 2c = 4c·sinh(X/2)²`, stable at `X → 0`.
fn cosh_minus_1(
    p: &mut Printer<'_>,
    ts: &[Expr],
    i: usize,
    c: &BigRational,
    rest: &Expr,
) -> Result<Option<Stable>, Error> {
    let Expr::Func(Func::Exp, x) = rest else {
        return Ok(None);
    };
    if x.split_coeff().0.is_negative() {
        return Ok(None);
    }
    let two = BigRational::from_integer(2.into());
    let others = Expr::mul(vec![
        Expr::Num(c.clone()),
        Expr::func(Func::Exp, -(**x).clone()),
    ]) - Expr::Num(&two * c);
    let Some(used) = Expr::matching_terms(ts, i, &others) else {
        return Ok(None);
    };
    let half = (**x).clone() / Expr::int(2);
    let arg = p.print(&half)?;
    let (s, _) = p.call("sinh", &arg);
    Ok(Some(Stable {
        text: format!("{s} ** 2"),
        level: level::POW,
        scale: c * BigRational::from_integer(4.into()),
        used,
    }))
}

/// `c·exp(X) − c = c·expm1(X)`, stable at `X → 0`.
fn expm1(
    p: &mut Printer<'_>,
    ts: &[Expr],
    i: usize,
    c: &BigRational,
    rest: &Expr,
) -> Result<Option<Stable>, Error> {
    let Expr::Func(Func::Exp, x) = rest else {
        return Ok(None);
    };
    let Some(used) = Expr::matching_terms(ts, i, &Expr::Num(-c)) else {
        return Ok(None);
    };
    let arg = p.print(x)?;
    let (text, level) = p.call("expm1", &arg);
    Ok(Some(Stable {
        text,
        level,
        scale: c.clone(),
        used,
    }))
}

/// `b^(−x)` when `e = b^x` with a negative coefficient in `x`.
fn negated_exponent(e: &Expr) -> Option<Expr> {
    match e {
        Expr::Pow(b, x) if x.split_coeff().0.is_negative() => {
            Some(Expr::pow((**b).clone(), -(**x).clone()))
        }
        _ => None,
    }
}

/// Whether a variable-free `e` must be folded to a number to be valid for every backend: it
/// calls a function or raises to a power (`torch.log(2)` and `2 ** 0.5` on tensors are not
/// what a reader expects; a float literal is).
fn needs_folding(e: &Expr) -> bool {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => false,
        // A sum that cancels (`pi - 355/113`) is written as the `f64` nearest it.
        Expr::Add(xs) => xs.iter().any(needs_folding) || crate::eval::enclose::cancels(e),
        Expr::Mul(xs) => xs.iter().any(needs_folding),
        Expr::Pow(..) | Expr::Func(..) | Expr::Func2(..) => true,
    }
}

/// `base ** exponent` spaced as black spaces it: hugged when both operands are simple (a
/// name, a number or an attribute, possibly negated), e.g. `t**2` but `np.exp(t) ** 2`.
fn pow_op(base: &str, exponent: &str) -> String {
    let simple = |s: &str| {
        let s = s.strip_prefix('-').unwrap_or(s);
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    };
    if simple(base) && simple(exponent) {
        format!("{base}**{exponent}")
    } else {
        format!("{base} ** {exponent}")
    }
}

/// `s`, parenthesised when its level `l` is below `min`.
fn paren(s: String, l: u8, min: u8) -> String {
    if l < min { format!("({s})") } else { s }
}

/// `c * kernel` for `c ≥ 0`, with the kernel already at product level.
/// The term `c·call` of a sum, as `(negative, text, level)`.
fn scaled_call(c: &BigRational, call: String) -> (bool, String, u8) {
    let magnitude = c.abs();
    let text = if magnitude.is_one() {
        call
    } else {
        scaled(&magnitude, &call)
    };
    (c.is_negative(), text, level::PROD)
}

fn scaled(c: &BigRational, kernel: &str) -> String {
    let p = c.numer();
    let q = c.denom();
    let top = if p.is_one() {
        kernel.to_string()
    } else {
        format!("{} * {kernel}", int(p))
    };
    if q.is_one() {
        top
    } else {
        format!("{top} / {}", int(q))
    }
}

/// An integer as a Python literal: exact up to `2^53`, a float beyond (array libraries reject
/// integers wider than 64 bits).
fn int(i: &BigInt) -> String {
    match i.to_i64() {
        Some(n) if n.unsigned_abs() <= 1 << 53 => n.to_string(),
        _ => float(rational_to_f64(&BigRational::from_integer(i.clone()))).0,
    }
}

/// A rational as Python: an integer, or `p / q`.
fn number(r: &BigRational) -> (String, u8) {
    let magnitude = if r.is_integer() {
        (int(&r.numer().abs()), level::ATOM)
    } else {
        (
            format!("{} / {}", int(&r.numer().abs()), int(r.denom())),
            level::PROD,
        )
    };
    if r.is_negative() {
        (
            format!("-{}", paren(magnitude.0, magnitude.1, level::PROD)),
            level::NEG,
        )
    } else if r.is_zero() {
        ("0".to_string(), level::ATOM)
    } else {
        magnitude
    }
}

/// An `f64` with `repr` precision (the shortest text that reads back to the same value).
fn float(v: f64) -> (String, u8) {
    if v.is_nan() {
        ("float(\"nan\")".to_string(), level::ATOM)
    } else if v.is_infinite() {
        let sign = if v < 0.0 { "-" } else { "" };
        (format!("float(\"{sign}inf\")"), level::ATOM)
    } else if v < 0.0 {
        (format!("-{:?}", -v), level::NEG)
    } else {
        (format!("{v:?}"), level::ATOM)
    }
}
