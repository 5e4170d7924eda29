//! The limit of a loss's weight `g'(t)` as `t → −∞` by its leading term, for weights the
//! series of `asymptotic.rs` cannot expand: algebraic and logarithmic growth in `t` itself
//! (pseudo-Huber `t/√(1 + t²) → −1`, `log(1 + t²)`'s `2t/(1 + t²) → 0`), where corrections are
//! powers of `t`, not of `u = e^t`.
//!
//! With `t = −s`, an expression is read as `c·e^{r·s}·s^p·(log s)^k·(1 + o(1))` as `s → ∞`
//! (exact constant `c ≠ 0`, rational `r`, `p`, `k`), or as exactly `0`. Products and powers
//! combine leading terms; a sum keeps its dominant class, and fails when the dominant
//! coefficients cancel (the limit then needs more terms than this keeps); `exp`, `log` and the
//! bounded functions use their behaviour at `±∞` or at a finite limit. `abs` and `sign` take
//! the sign of their argument's leading term, which is their value for every large `s`.

use super::Limit;
use crate::eval::{Params, eval_constant};
use crate::expr::{Constant, Expr, Func, LOSS_VAR};
use crate::simplify::simplify;
use num_rational::BigRational;
use num_traits::{One, Zero};

type Q = BigRational;

/// `c·e^{r·s}·s^p·(log s)^k` as `s → ∞`.
#[derive(Clone, Debug)]
struct Lead {
    c: Expr,
    r: Q,
    p: Q,
    k: Q,
}

impl Lead {
    fn constant(c: Expr) -> Option<Lead> {
        (!c.is_zero()).then(|| Lead {
            c,
            r: Q::zero(),
            p: Q::zero(),
            k: Q::zero(),
        })
    }

    /// `(r, p, k)`, compared lexicographically: the larger grows faster.
    fn class(&self) -> (Q, Q, Q) {
        (self.r.clone(), self.p.clone(), self.k.clone())
    }

    /// `1` when it grows without bound, `-1` when it tends to `0`, `0` when it tends to `c`.
    fn trend(&self) -> i32 {
        let zero = (Q::zero(), Q::zero(), Q::zero());
        match self.class().cmp(&zero) {
            std::cmp::Ordering::Greater => 1,
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
        }
    }

    fn sign(&self) -> Option<i64> {
        let v = eval_constant(&self.c, &Params::new()).ok()?;
        (v.is_finite() && v != 0.0).then(|| v.signum() as i64)
    }

    fn mul(&self, o: &Lead) -> Option<Lead> {
        Some(Lead {
            c: simplify(&(self.c.clone() * o.c.clone())).ok()?,
            r: &self.r + &o.r,
            p: &self.p + &o.p,
            k: &self.k + &o.k,
        })
    }
}

/// `None` for an expression that is exactly `0`.
type Asym = Option<Lead>;

/// The leading behaviour of `e`, a function of `s` ([`S`]), as `s → ∞`; `None` outside the
/// method (the outer `Option`).
fn of(e: &Expr) -> Option<Asym> {
    let s = Expr::sym(S);
    Some(match e {
        Expr::Num(_) | Expr::Const(_) => Lead::constant(e.clone()),
        Expr::Sym(x) if **x == *S => Some(Lead {
            c: Expr::one(),
            r: Q::zero(),
            p: Q::one(),
            k: Q::zero(),
        }),
        Expr::Sym(_) => return None,
        Expr::Add(xs) => {
            let leads: Vec<Lead> = xs
                .iter()
                .map(of)
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect();
            let top = leads.iter().map(Lead::class).max()?;
            let c = simplify(&Expr::add(
                leads
                    .iter()
                    .filter(|l| l.class() == top)
                    .map(|l| l.c.clone())
                    .collect(),
            ))
            .ok()?;
            if c.is_zero() {
                return None;
            }
            Some(Lead {
                c,
                r: top.0,
                p: top.1,
                k: top.2,
            })
        }
        Expr::Mul(xs) => {
            let mut acc = Lead::constant(Expr::one())?;
            for x in xs {
                match of(x)? {
                    None => return Some(None),
                    Some(l) => acc = acc.mul(&l)?,
                }
            }
            Some(acc)
        }
        Expr::Pow(b, x) => {
            let Expr::Num(q) = &**x else {
                return None;
            };
            let l = of(b)??;
            if !q.is_integer() && l.sign()? < 0 {
                return None;
            }
            Some(Lead {
                c: simplify(&Expr::pow(l.c.clone(), Expr::Num(q.clone()))).ok()?,
                r: &l.r * q,
                p: &l.p * q,
                k: &l.k * q,
            })
        }
        Expr::Func(f, a) => return func(*f, a, &s),
        Expr::Func2(..) => return None,
    })
}

/// The name of the variable `s = −t`.
const S: &str = "__s";

/// `f(a)` as `s → ∞`.
fn func(f: Func, a: &Expr, s: &Expr) -> Option<Asym> {
    let inner = of(a)?;
    let pi = || Expr::constant(Constant::Pi);
    let limit_value = |l: &Asym| -> Option<Expr> {
        match l {
            None => Some(Expr::zero()),
            Some(l) if l.trend() == 0 => Some(l.c.clone()),
            Some(l) if l.trend() < 0 => Some(Expr::zero()),
            _ => None,
        }
    };
    // tending to a finite value: f of the limit, unless that is 0 and f(0) = 0 (then f ~ f'(0)·a)
    if let Some(v) = limit_value(&inner) {
        let at = simplify(&Expr::func(f, v.clone())).ok()?;
        if !at.is_zero() {
            eval_constant(&at, &Params::new())
                .ok()
                .filter(|x| x.is_finite())?;
            return Some(Lead::constant(at));
        }
        return match f {
            Func::Sin
            | Func::Tan
            | Func::Atan
            | Func::Sinh
            | Func::Tanh
            | Func::Asinh
            | Func::Li2
            | Func::LambertW
            | Func::Abs
                if v.is_zero() =>
            {
                match inner {
                    None => Some(None),
                    Some(l) if f == Func::Abs => Some(Some(Lead {
                        c: Expr::func(Func::Abs, l.c.clone()),
                        ..l
                    })),
                    Some(l) => Some(Some(l)),
                }
            }
            _ => None,
        };
    }
    let l = inner?;
    let sign = l.sign()?;
    match f {
        Func::Abs => Some(Some(Lead {
            c: simplify(&(Expr::int(sign) * l.c.clone())).ok()?,
            ..l
        })),
        Func::Sign => Some(Lead::constant(Expr::int(sign))),
        Func::Tanh | Func::Sigmoid if sign > 0 => Some(Lead::constant(Expr::one())),
        Func::Tanh => Some(Lead::constant(Expr::int(-1))),
        Func::Atan => Some(Lead::constant(Expr::ratio(sign, 2) * pi())),
        // log(c·e^{rs}·s^p·(log s)^k) = r·s + p·log s + …, for c > 0
        Func::Log if sign > 0 => {
            if !l.r.is_zero() {
                Some(Some(Lead {
                    c: Expr::Num(l.r),
                    r: Q::zero(),
                    p: Q::one(),
                    k: Q::zero(),
                }))
            } else if !l.p.is_zero() {
                Some(Some(Lead {
                    c: Expr::Num(l.p),
                    r: Q::zero(),
                    p: Q::zero(),
                    k: Q::one(),
                }))
            } else {
                None
            }
        }
        // exp of `c·s + (a part with a finite limit)`
        Func::Exp => {
            let terms: Vec<Expr> = match a {
                Expr::Add(ts) => ts.clone(),
                t => vec![t.clone()],
            };
            let (linear, rest): (Vec<Expr>, Vec<Expr>) =
                terms.into_iter().partition(|t| t.split_coeff().1 == *s);
            let rate = simplify(&Expr::add(linear))
                .ok()?
                .substitute(S, &Expr::one());
            let Expr::Num(r) = simplify(&rate).ok()? else {
                return None;
            };
            let rest_limit = limit_value(&of(&Expr::add(rest))?)?;
            Some(Some(Lead {
                c: simplify(&Expr::func(Func::Exp, rest_limit)).ok()?,
                r,
                p: Q::zero(),
                k: Q::zero(),
            }))
        }
        _ => None,
    }
}

/// `lim_{t→−∞} h(t)` for `h` in [`LOSS_VAR`], exact; `None` outside the method.
pub(super) fn limit_at_minus_infinity(h: &Expr) -> Option<Limit> {
    let in_s = simplify(&h.substitute(LOSS_VAR, &-Expr::sym(S))).ok()?;
    Some(match of(&in_s)? {
        None => Limit::Finite(Some(Expr::zero()), 0.0),
        Some(l) => match l.trend() {
            t if t < 0 => Limit::Finite(Some(Expr::zero()), 0.0),
            0 => {
                let v = eval_constant(&l.c, &Params::new()).ok()?;
                Limit::Finite(Some(l.c), v)
            }
            _ if l.sign()? > 0 => Limit::PlusInfinity,
            _ => Limit::MinusInfinity,
        },
    })
}
