//! An independent high-precision evaluator of canonical expressions (test-only oracle).
//!
//! It walks the [`Expr`] tree with `astro-float` big floats at a chosen precision and shares no
//! code with fcorr's compiled `f64` evaluator: no stable kernels, no constant folding, no
//! `libm`. Its domain is the language's: `log` needs a positive argument, a non-integer power
//! a non-negative base (positive for a negative exponent), `x^-n` a non-zero base. `None` means
//! "undefined here"; a result too large to represent is `Some(inf)` and is left out by callers.

use astro_float::{BigFloat, Consts, Radix, RoundingMode, Sign};
use fcorr::expr::{Constant, Expr, Func};
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive};

const RM: RoundingMode = RoundingMode::ToEven;

/// An evaluator at one precision, with its cache of constants.
pub struct Oracle {
    /// Bits of mantissa (rounded up to a multiple of 64 by `astro-float`).
    pub bits: usize,
    cc: Consts,
    /// When set, every computed node (and every number `f64` cannot hold exactly) is
    /// multiplied by `1 + δ`, `|δ|` drawn uniformly from `[2⁻⁵³, 2⁻⁵²]` and its sign at random
    /// with this state: a model of `f64` rounding, to measure how much a form amplifies it.
    noise: Option<u64>,
    /// Set when an evaluation met something the oracle cannot decide (`sin` of an argument
    /// beyond 2^60): its result is then no verdict. Reset by the caller.
    pub gave_up: bool,
}

/// The values of the variable and the parameters (exact `f64`s).
pub struct Point<'a> {
    pub var: &'a str,
    pub x: BigFloat,
    pub params: &'a [(&'a str, f64)],
}

impl Oracle {
    pub fn new(bits: usize) -> Oracle {
        Oracle {
            bits,
            cc: Consts::new().expect("astro-float constants"),
            noise: None,
            gave_up: false,
        }
    }

    /// Perturb every node from now on, with signs drawn from `seed` (`None`: exact).
    pub fn set_noise(&mut self, seed: Option<u64>) {
        self.noise = seed;
    }

    fn perturb(&mut self, v: BigFloat) -> BigFloat {
        let Some(state) = &mut self.noise else {
            return v;
        };
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = ((*state >> 11) & ((1 << 52) - 1)) as f64 / (1u64 << 52) as f64;
        let sign = if *state >> 63 == 0 { 1.0 } else { -1.0 };
        let delta = sign * (0.5 + 0.5 * r) * 2f64.powi(-52);
        let p = self.bits;
        // `1 + δ` in big floats: as an `f64` it would round to 1 for half the draws.
        let factor = BigFloat::from_i64(1, p).add(&BigFloat::from_f64(delta, p), p, RM);
        v.mul(&factor, p, RM)
    }

    /// The value of `e` at `at`, or `None` where `e` is undefined.
    pub fn eval(&mut self, e: &Expr, at: &Point<'_>) -> Option<BigFloat> {
        let p = self.bits;
        let v = match e {
            Expr::Num(r) if fcorr::expr::rational_to_f64(r).fract() == 0.0 && r.is_integer() => {
                return Some(self.rational(r));
            }
            Expr::Num(r) => self.rational(r),
            Expr::Const(Constant::Pi) => self.cc.pi(p, RM),
            Expr::Const(Constant::E) => self.cc.e(p, RM),
            Expr::Sym(s) if &**s == at.var => return Some(at.x.clone()),
            Expr::Sym(s) => {
                let (_, v) = at.params.iter().find(|(n, _)| *n == &**s)?;
                BigFloat::from_f64(*v, p)
            }
            Expr::Add(xs) => {
                let mut acc = BigFloat::from_i64(0, p);
                for x in xs {
                    acc = acc.add(&self.eval(x, at)?, p, RM);
                }
                acc
            }
            Expr::Mul(xs) => {
                let mut acc = BigFloat::from_i64(1, p);
                for x in xs {
                    acc = acc.mul(&self.eval(x, at)?, p, RM);
                }
                acc
            }
            Expr::Pow(b, x) => {
                let base = self.eval(b, at)?;
                match &**x {
                    Expr::Num(r) => self.pow_rational(&base, r)?,
                    other => {
                        let exponent = self.eval(other, at)?;
                        self.pow(&base, &exponent)?
                    }
                }
            }
            Expr::Func(f, a) => {
                let x = self.eval(a, at)?;
                self.func(*f, &x)?
            }
        };
        if v.is_inf() {
            // Beyond the oracle's exponent range (`exp(exp(cosh(u^2)))`): no verdict.
            self.gave_up = true;
        }
        if v.is_nan() {
            None
        } else {
            Some(self.perturb(v))
        }
    }

    fn rational(&mut self, r: &BigRational) -> BigFloat {
        let p = self.bits;
        let n = self.integer(r.numer());
        if r.is_integer() {
            return n;
        }
        let d = self.integer(r.denom());
        n.div(&d, p, RM)
    }

    fn integer(&mut self, i: &num_bigint::BigInt) -> BigFloat {
        let p = self.bits;
        match i.to_i64() {
            Some(small) => BigFloat::from_i64(small, p),
            None => BigFloat::parse(&i.to_string(), Radix::Dec, p, RM, &mut self.cc),
        }
    }

    /// `b^r` for an exact rational `r`.
    fn pow_rational(&mut self, b: &BigFloat, r: &BigRational) -> Option<BigFloat> {
        let p = self.bits;
        if r.is_integer() {
            if b.is_zero() {
                return (!r.is_negative()).then(|| BigFloat::from_i64(0, p));
            }
            let n = r.numer().abs().to_usize()?;
            let m = b.powi(n, p, RM);
            return Some(if r.is_negative() {
                m.reciprocal(p, RM)
            } else {
                m
            });
        }
        // Zero first: `atan(0)` may be a negative zero, which is still 0.
        if b.is_zero() {
            return r.is_positive().then(|| BigFloat::from_i64(0, p));
        }
        if b.is_negative() {
            return None;
        }
        let e = self.rational(r);
        let l = self.ln(b);
        Some(self.exp(&e.mul(&l, p, RM)))
    }

    /// `b^x` for a computed exponent, as `powf` defines it on the reals.
    fn pow(&mut self, b: &BigFloat, x: &BigFloat) -> Option<BigFloat> {
        let p = self.bits;
        if b.is_zero() {
            return match x.cmp(&BigFloat::from_i64(0, p))? {
                c if c > 0 => Some(BigFloat::from_i64(0, p)),
                0 => Some(BigFloat::from_i64(1, p)),
                _ => None,
            };
        }
        if b.is_negative() {
            if !x.is_int() {
                return None;
            }
            let even = x.div(&BigFloat::from_i64(2, p), p, RM).is_int();
            let l = self.ln(&b.abs());
            let m = self.exp(&x.mul(&l, p, RM));
            return Some(if even { m } else { m.neg() });
        }
        let l = self.ln(b);
        Some(self.exp(&x.mul(&l, p, RM)))
    }

    fn ln(&mut self, x: &BigFloat) -> BigFloat {
        x.ln(self.bits, RM, &mut self.cc)
    }

    /// `log(1 + y)` for `0 ≤ y ≤ 1`, also where `1 + y` rounds to 1.
    fn ln_1p(&mut self, y: &BigFloat) -> BigFloat {
        // With 128 guard bits, `1 + y` keeps `y` to the full precision down to `y = 2⁻¹²⁸`.
        let p = self.bits + 128;
        let tiny = BigFloat::from_f64(2f64.powi(-(p as i32) / 2 - 8), p);
        if y.cmp(&tiny).unwrap_or(1) < 0 {
            // y − y²/2, the rest below the precision
            let half_y2 = y.mul(y, p, RM).div(&BigFloat::from_i64(2, p), p, RM);
            return y.sub(&half_y2, p, RM);
        }
        let mut v = BigFloat::from_i64(1, p)
            .add(y, p, RM)
            .ln(p, RM, &mut self.cc);
        let _ = v.set_precision(self.bits, RM);
        v
    }

    fn exp(&mut self, x: &BigFloat) -> BigFloat {
        let v = x.exp(self.bits, RM, &mut self.cc);
        if v.is_zero() && !x.is_inf() {
            // Below the oracle's exponent range (`exp(-expm1(23))`, about `2^-1.3e10`): the
            // value is positive, but no verdict on what it is.
            self.gave_up = true;
        }
        v
    }

    /// `n` when `x` is `n·π/2` to within the last 32 bits of the precision (an exact multiple
    /// of `π` the canonical form wrote, such as `abs(pi)`); `None` for any other argument and
    /// whenever the noise is on (a perturbed `π` is no multiple of it).
    fn half_pi_multiple(&mut self, x: &BigFloat) -> Option<i64> {
        if self.noise.is_some() || x.exponent().unwrap_or(0) > 40 {
            return None;
        }
        let p = self.bits;
        let half_pi = self.cc.pi(p, RM).div(&BigFloat::from_i64(2, p), p, RM);
        let q = x.div(&half_pi, p, RM);
        let n = q.round(0, RM);
        let off = q.sub(&n, p, RM).abs();
        let tolerance = BigFloat::from_f64(2f64.powi(32 - p as i32), p);
        if off.cmp(&tolerance)? > 0 {
            return None;
        }
        Some(to_f64(&n) as i64)
    }

    #[allow(unreachable_patterns)]
    fn func(&mut self, f: Func, x: &BigFloat) -> Option<BigFloat> {
        let p = self.bits;
        let one = BigFloat::from_i64(1, p);
        Some(match f {
            Func::Exp => self.exp(x),
            Func::Log => {
                if !x.is_positive() || x.is_zero() {
                    return None;
                }
                self.ln(x)
            }
            Func::Abs => x.abs(),
            Func::Sign => {
                if x.is_zero() {
                    BigFloat::from_i64(0, p)
                } else if x.is_negative() {
                    BigFloat::from_i64(-1, p)
                } else {
                    one
                }
            }
            // Beyond 2^60 the argument reduction needs π to as many bits as the argument has
            // (minutes of work, and f64's own sin is then noise): no verdict.
            Func::Sin | Func::Cos | Func::Tan if x.exponent().unwrap_or(0) > 60 => {
                self.gave_up = true;
                BigFloat::from_f64(f64::INFINITY, p)
            }
            // At an exact multiple of `π/2` the zeros are exact (`tan(abs(pi))^(1/3)` is 0, not
            // a negative number to a fractional power) and `tan` has its poles.
            Func::Sin | Func::Cos | Func::Tan if self.half_pi_multiple(x).is_some() => {
                let n = self.half_pi_multiple(x).unwrap_or(0);
                let (s, c) = match n.rem_euclid(4) {
                    0 => (0, 1),
                    1 => (1, 0),
                    2 => (0, -1),
                    _ => (-1, 0),
                };
                match f {
                    Func::Sin => BigFloat::from_i64(s, p),
                    Func::Cos => BigFloat::from_i64(c, p),
                    _ if c == 0 => return None,
                    _ => BigFloat::from_i64(0, p),
                }
            }
            Func::Sin => x.sin(p, RM, &mut self.cc),
            Func::Cos => x.cos(p, RM, &mut self.cc),
            Func::Tan => x.tan(p, RM, &mut self.cc),
            Func::Atan => x.atan(p, RM, &mut self.cc),
            Func::Sinh => x.sinh(p, RM, &mut self.cc),
            Func::Cosh => x.cosh(p, RM, &mut self.cc),
            Func::Tanh => x.tanh(p, RM, &mut self.cc),
            Func::Asinh => x.asinh(p, RM, &mut self.cc),
            Func::Softplus => {
                // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), exact in exact arithmetic.
                let m = if x.is_positive() {
                    x.clone()
                } else {
                    BigFloat::from_i64(0, p)
                };
                let e = self.exp(&x.abs().neg());
                m.add(&self.ln_1p(&e), p, RM)
            }
            Func::Sigmoid => {
                let e = self.exp(&x.neg());
                one.div(&one.add(&e, p, RM), p, RM)
            }
            // A function the oracle does not know yet: no verdict.
            _ => return None,
        })
    }
}

/// `v` as the nearest `f64` (to within one unit in the last place), `±inf` beyond its range.
pub fn to_f64(v: &BigFloat) -> f64 {
    if v.is_nan() {
        return f64::NAN;
    }
    if v.is_inf_pos() {
        return f64::INFINITY;
    }
    if v.is_inf_neg() {
        return f64::NEG_INFINITY;
    }
    if v.is_zero() {
        return 0.0;
    }
    let Some((words, _, sign, exponent, _)) = v.as_raw_parts() else {
        return f64::NAN;
    };
    let Some(top) = words.last() else {
        return 0.0;
    };
    // `v = 0.top… × 2^exponent`.
    let shift = exponent as i64 - 64;
    let mut m = *top as f64;
    let mut s = shift;
    while s > 0 {
        let step = s.min(1000);
        m *= 2f64.powi(step as i32);
        s -= step;
    }
    while s < 0 {
        let step = (-s).min(1000);
        m /= 2f64.powi(step as i32);
        s += step;
    }
    if sign == Sign::Neg { -m } else { m }
}

/// `|a − b| / max(|a|, |b|)` computed in big floats, as an `f64` (0 when both are 0).
pub fn relative_difference(a: &BigFloat, b: &BigFloat, bits: usize) -> f64 {
    let d = a.sub(b, bits, RM).abs();
    if d.is_zero() {
        return 0.0;
    }
    let scale = if a.abs().cmp(&b.abs()).unwrap_or(0) >= 0 {
        a.abs()
    } else {
        b.abs()
    };
    to_f64(&d.div(&scale, bits, RM))
}
