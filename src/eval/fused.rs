//! A closed form's value, its running rounding bound and the size of its terms in one pass.
//!
//! Whether a closed form `t_0 + t_1 + …` can be printed at a point takes three numbers: its
//! value, a bound on its rounding error ([`Compiled::eval_with_running_error`]) and how much
//! its terms cancel, `Σ |t_i|` ([`Compiled::sum_of_abs`] run by [`Compiled::eval_normal`]).
//! Computed apart, that is two passes of the interpreter, every term computed twice (two
//! `atan` calls for `1 − u + 2u·atan(u) − πu/2`) and a dispatch per instruction per pass. The
//! program of a sum computes each term whole before it adds it, so one pass can add up the
//! terms' sizes where each term is complete: [`SumPass`] is the sum's program with those places
//! marked, its instructions decoded once (the rounding of each constant computed ahead, the
//! common instructions given their own steps). It computes the same three numbers with the same
//! bits: the value and the bound by the same rules as the running bound, in the same order, and
//! the size as the same sum `((|t_0| + |t_1|) + |t_2|) + …`.

use super::Compiled;
use super::error::{constant_error, step};
use super::machine::Op;
use super::running::{add, add_const, atan, binary_step, mul, mul_const, normal, unary_step};

const EPS: f64 = f64::EPSILON;

/// One decoded instruction of a [`SumPass`].
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    /// Push a constant with the rounding of its stored value.
    Const(f64, f64),
    /// Push the variable (exact).
    Var,
    /// `a + b`.
    Add,
    /// `a + b` where `b`, the top, is a whole term: its size is added first.
    AddTerm,
    /// `a · b`.
    Mul,
    /// `top + c`, with the rounding of `c`.
    AddC(f64, f64),
    /// `top + c` where the constant `c` is the last term: `|c|` is added to the size.
    AddConstTerm(f64, f64),
    /// `top · c`, with the rounding of `c`.
    MulC(f64, f64),
    /// `atan(top)`.
    Atan,
    /// The top is the first term: its size starts the sum.
    Term,
    /// Any other unary instruction, by the running bound's rules.
    Unary(Op),
    /// Any other binary instruction, by the running bound's rules.
    Binary(Op),
    /// `Var` then `AddC`: push `x + c`.
    VarAddC(f64, f64),
    /// `Var` then `MulC`: push `x·c`.
    VarMulC(f64, f64),
    /// `Var` then `atan`: push `atan(x)`.
    VarAtan,
}

impl Step {
    /// The one step that pushes `x` and applies `self` to it, for the common unary steps (not
    /// every one: the compiler would compute each rule of [`Step::Unary`] at `x` ahead of the
    /// loop, divisions and square roots included, whatever the program).
    fn of_var(self) -> Option<Step> {
        Some(match self {
            Step::AddC(c, e) => Step::VarAddC(c, e),
            Step::MulC(c, e) => Step::VarMulC(c, e),
            Step::Atan => Step::VarAtan,
            _ => return None,
        })
    }
}

/// `steps` with each `Var` followed by a common unary step as one step: one dispatch less.
fn fuse_var(steps: Vec<Step>) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for s in steps {
        match (out.last_mut(), s.of_var()) {
            (Some(last), Some(fused)) if *last == Step::Var => *last = fused,
            _ => out.push(s),
        }
    }
    out
}

/// The value of a sum, the running bound on its rounding error and the size of its terms,
/// from [`SumPass::eval`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Certified {
    /// The value, with the bits of [`Compiled::eval`].
    pub value: f64,
    /// The bound of [`Compiled::eval_with_running_error`], with the same bits.
    pub bound: f64,
    /// `Σ |t_i|`, with the bits of [`Compiled::eval_normal`] of [`Compiled::sum_of_abs`].
    pub size: f64,
}

/// A sum's program decoded for [`SumPass::eval`], built by [`Compiled::sum_pass`].
#[derive(Clone, Debug, PartialEq)]
pub struct SumPass {
    steps: Box<[Step]>,
    depth: usize,
    /// The enlargement of the bound for its own rounding, `1 + 4·n·ε` for `n` instructions of
    /// the sum's program.
    enlarge: f64,
    /// Whether the program pushes the variable.
    has_var: bool,
}

/// The step of one instruction outside the marks of the terms.
fn decode(op: Op) -> Step {
    match op {
        Op::Const(c) => Step::Const(c, constant_error(c)),
        Op::Var => Step::Var,
        Op::Add => Step::Add,
        Op::Mul => Step::Mul,
        Op::AddC(c) => Step::AddC(c, constant_error(c)),
        Op::MulC(c) => Step::MulC(c, constant_error(c)),
        Op::Func(crate::expr::Func::Atan) => Step::Atan,
        Op::Div | Op::Pow | Op::MinMax(_) | Op::Func2(_) => Step::Binary(op),
        op => Step::Unary(op),
    }
}

/// `|v|`'s bits less those of the smallest normal number, wrapping: below
/// [`OFF_NORMAL_LIMIT`] exactly where `v` is normal (`|v|` from `f64::MIN_POSITIVE` to
/// `f64::MAX`); zero and subnormal numbers wrap around to the top of the range, infinities and
/// NaNs lie at or above the limit. The largest of these over a pass says whether every
/// intermediate was normal with one comparison at the end.
#[inline(always)]
fn off_normal(v: f64) -> u64 {
    (v.to_bits() & !SIGN).wrapping_sub(f64::MIN_POSITIVE.to_bits())
}

const SIGN: u64 = 1 << 63;
/// [`off_normal`] of the infinity: every normal number is below it.
const OFF_NORMAL_LIMIT: u64 = f64::INFINITY.to_bits() - f64::MIN_POSITIVE.to_bits();

impl Compiled {
    /// The program of this sum decoded for [`SumPass::eval`], where `self` is the sum of
    /// `terms` as the compiler writes one: `t_0, t_1, Add, t_2, Add, …` with every term's
    /// instructions as compiled alone, and a constant last term as `AddC(c)`. `None` for any
    /// other program, fewer than two terms, a term that shares values between its instructions
    /// (slots), a constant term that is not a normal number, or a program deeper than
    /// [`super::STACK_SLOTS`].
    pub fn sum_pass(&self, terms: &[Compiled]) -> Option<SumPass> {
        if terms.len() < 2 || self.depth > super::STACK_SLOTS {
            return None;
        }
        let mut steps = Vec::with_capacity(self.ops.len() + 1);
        let mut rest: &[Op] = &self.ops;
        for (i, term) in terms.iter().enumerate() {
            if term
                .ops
                .iter()
                .any(|op| matches!(op, Op::Store(_) | Op::Load(_)))
            {
                return None;
            }
            let last = i + 1 == terms.len();
            match &*term.ops {
                [Op::Const(c)] if i > 0 && last && rest == [Op::AddC(*c)] => {
                    if !normal(*c) {
                        return None;
                    }
                    steps.push(Step::AddConstTerm(*c, constant_error(*c)));
                    rest = &[];
                    continue;
                }
                ops => {
                    rest = rest.strip_prefix(ops)?;
                    steps.extend(ops.iter().map(|&op| decode(op)));
                }
            }
            if i == 0 {
                steps.push(Step::Term);
            } else {
                rest = rest.strip_prefix(&[Op::Add])?;
                steps.push(Step::AddTerm);
            }
        }
        if !rest.is_empty() {
            return None;
        }
        Some(SumPass {
            steps: fuse_var(steps).into_boxed_slice(),
            depth: self.depth,
            enlarge: 1.0 + 4.0 * self.ops.len() as f64 * EPS,
            has_var: self.ops.contains(&Op::Var),
        })
    }
}

impl SumPass {
    /// The value, running bound and size of the terms at `x` in one pass, where
    /// [`Compiled::eval_with_running_error`] and [`Compiled::eval_normal`] (of the terms'
    /// [`Compiled::sum_of_abs`]) both give theirs: then each has the bits of theirs. `None`
    /// where either gives none (an intermediate zero, subnormal or not finite, a bound that is
    /// not finite, a size that overflows).
    #[inline]
    pub fn eval(&self, x: f64) -> Option<Certified> {
        if self.depth <= 8 {
            self.run(x, &mut [(0.0, 0.0); 8])
        } else {
            self.run(x, &mut [(0.0, 0.0); super::STACK_SLOTS])
        }
    }

    #[inline(always)]
    fn run(&self, x: f64, stack: &mut [(f64, f64)]) -> Option<Certified> {
        // The variable is an intermediate wherever the program pushes it: checked once here
        // instead of at each step that does.
        if self.has_var && !normal(x) {
            return None;
        }
        let mut sp = 0;
        // The largest distance from the normal range of any intermediate (see `off_normal`).
        let mut worst = 0;
        let mut size = 0.0;
        // The top of the stack, as the value pass keeps it.
        let mut acc = (0.0, 0.0);
        for &s in self.steps.iter() {
            acc = match s {
                Step::Const(c, e) => {
                    stack[sp] = acc;
                    sp += 1;
                    (c, e)
                }
                Step::Var => {
                    stack[sp] = acc;
                    sp += 1;
                    (x, 0.0)
                }
                Step::Add => {
                    sp = sp.saturating_sub(1);
                    add(stack[sp], acc)
                }
                Step::AddTerm => {
                    size += acc.0.abs();
                    sp = sp.saturating_sub(1);
                    add(stack[sp], acc)
                }
                Step::Mul => {
                    sp = sp.saturating_sub(1);
                    mul(stack[sp], acc)
                }
                Step::AddC(c, e) => add_const(acc, c, e),
                Step::AddConstTerm(c, e) => {
                    size += c.abs();
                    add_const(acc, c, e)
                }
                Step::MulC(c, e) => mul_const(acc, c, e),
                Step::Atan => atan(acc),
                Step::Term => {
                    size = acc.0.abs();
                    continue;
                }
                Step::Unary(op) => {
                    unary_step(op, acc.0, acc.1).unwrap_or_else(|| step(op, acc, (0.0, 0.0)))
                }
                Step::Binary(op) => {
                    sp = sp.saturating_sub(1);
                    let a = stack[sp];
                    binary_step(op, a, acc).unwrap_or_else(|| step(op, a, acc))
                }
                Step::VarAddC(c, e) => {
                    stack[sp] = acc;
                    sp += 1;
                    add_const((x, 0.0), c, e)
                }
                Step::VarMulC(c, e) => {
                    stack[sp] = acc;
                    sp += 1;
                    mul_const((x, 0.0), c, e)
                }
                Step::VarAtan => {
                    stack[sp] = acc;
                    sp += 1;
                    atan((x, 0.0))
                }
            };
            worst = worst.max(off_normal(acc.0));
        }
        // A bound that became infinite or NaN stays so; a size that overflowed stays infinite.
        if !(worst < OFF_NORMAL_LIMIT && acc.1 < f64::INFINITY && size < f64::INFINITY) {
            return None;
        }
        Some(Certified {
            value: acc.0,
            bound: acc.1 * self.enlarge,
            size,
        })
    }
}

#[cfg(test)]
mod tests;
