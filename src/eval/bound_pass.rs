//! An integrand's propagated rounding bound and the size of its terms in one pass.
//!
//! The error of a numeric side includes the integral of a bound on the integrand's rounding:
//! the larger of the propagated bound ([`Compiled::eval_with_error`], each instruction compared
//! at the corners of its operands' error box) and a few ulps of `Σ |t_i|`, the size of the
//! terms of its top-level sum. Computed apart, that is one interpreted pass of the bound and
//! one evaluation per term, every term computed twice; for a sum of 999 terms each point costs
//! a thousand calls. The program of a sum computes each term whole before it adds it, so the
//! bound's pass can add up the terms' sizes where each term is complete: [`BoundPass`] is the
//! program with those places marked (found by comparing it, shared values expanded, with the
//! terms' own programs) and its instructions decoded once, so that the common arithmetic runs
//! as its own step instead of through the dispatch on the instruction.
//!
//! The bound is the propagated bound's own step applied in the same order, so it keeps its
//! bits. The size is `((|t_0| + |t_1|) + |t_2|) + …` of the values the pass computes; where
//! every intermediate is a normal number, each term's value is the one its own program gives
//! ([`Compiled::eval`] refuses nothing there), so the size has the bits of the terms evaluated
//! one by one. Elsewhere the pass gives no size, and the caller evaluates the terms.

use super::Compiled;
use super::error::{constant_error, sign, step, step_inline};
use super::machine::Op;
use super::underflow::LOST;
use crate::expr::Func;

const EPS: f64 = f64::EPSILON;

/// One decoded instruction of a [`BoundPass`].
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    /// Push a constant with the rounding of its stored value.
    Const(f64, f64),
    /// Push the variable with its error.
    Var,
    /// Push a saved value with its bound.
    Load(usize),
    /// Save the top with its bound.
    Store(usize),
    /// `a + b`.
    Add,
    /// `a + b` where `b`, the top, is a whole term: its size is added first.
    AddTerm,
    /// `a · b`.
    Mul,
    /// `a / b`.
    Div,
    /// `top + c`, with the rounding of `c`.
    AddC(f64, f64),
    /// `top + c` where the constant `c` is the last term: `|c|` is added to the size.
    AddConstTerm(f64, f64),
    /// `top · c`, with the rounding of `c`.
    MulC(f64, f64),
    /// The top is the first term: its size starts the sum.
    Term,
    /// `Load(i)` then `AddC(c)`: push the saved value plus `c`.
    LoadAddC(usize, f64, f64),
    /// `Var` then `MulC(c)`: push `x·c`.
    VarMulC(f64, f64),
    /// `Div` then `MulC(c)`: `(a/b)·c`.
    DivMulC(f64, f64),
    /// `exp(top)`.
    Exp,
    /// `log(top)`.
    Log,
    /// Any other unary instruction.
    Unary(Op),
    /// Any other binary instruction.
    Binary(Op),
}

/// The value of a program, its propagated rounding bound and the size of its terms, from
/// [`BoundPass::eval`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounded {
    /// The value, with the bits of [`Compiled::eval_with_error`]'s.
    pub value: f64,
    /// The bound, with the bits of [`Compiled::eval_with_error`]'s.
    pub bound: f64,
    /// `Σ |t_i|` with the bits of `terms.iter().map(|t| t.eval(x).abs()).sum()`, where the pass
    /// found the terms in the program and every intermediate is a normal number.
    pub size: Option<f64>,
}

/// A program decoded for [`BoundPass::eval`], built by [`Compiled::bound_pass`].
#[derive(Clone, Debug, PartialEq)]
pub struct BoundPass {
    steps: Box<[Step]>,
    /// The greatest height of the stack.
    height: usize,
    /// The slots of saved values (indexed as the program's `Store` and `Load` do).
    slots: usize,
    /// Whether the terms are marked.
    marked: bool,
}

/// What a place in the sum's expanded program holds.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mark {
    /// The first term ends just before it.
    FirstEnd,
    /// The `Add` of a later term.
    AddTerm,
    /// The `AddC` of a constant last term.
    ConstTerm,
}

impl Compiled {
    /// This program decoded for [`BoundPass::eval`], with the places where each of `terms` is
    /// complete marked when the program is their sum as the compiler writes one: `t_0, t_1,
    /// Add, t_2, Add, …` (a constant last term as `AddC(c)`), each term's instructions as
    /// compiled alone once the values it shares with earlier terms (`Load`) are expanded.
    /// Terms that share values within themselves, or a program of another shape, are not
    /// marked (the pass gives no size). `None` only for a program that is not well formed.
    pub fn bound_pass(&self, terms: &[Compiled]) -> Option<BoundPass> {
        let (height, slots) = (super::machine::max_depth(&self.ops), self.depth);
        if !well_formed(&self.ops, slots) {
            return None;
        }
        let marks = term_marks(&self.ops, slots, terms);
        let mut steps = Vec::with_capacity(self.ops.len() + 1);
        for (i, &op) in self.ops.iter().enumerate() {
            let mark = marks.as_ref().and_then(|m| m[i]);
            steps.push(match (op, mark) {
                (Op::Add, Some(Mark::AddTerm)) => Step::AddTerm,
                (Op::AddC(c), Some(Mark::ConstTerm)) => Step::AddConstTerm(c, constant_error(c)),
                _ => decode(op),
            });
            if mark == Some(Mark::FirstEnd) {
                steps.push(Step::Term);
            }
        }
        Some(BoundPass {
            steps: fuse(steps).into_boxed_slice(),
            height,
            slots,
            marked: marks.is_some(),
        })
    }
}

/// The step of one instruction outside the marks of the terms.
fn decode(op: Op) -> Step {
    match op {
        Op::Const(c) => Step::Const(c, constant_error(c)),
        Op::Var => Step::Var,
        Op::Load(i) => Step::Load(i as usize),
        Op::Store(i) => Step::Store(i as usize),
        Op::Add => Step::Add,
        Op::Mul => Step::Mul,
        Op::Div => Step::Div,
        Op::AddC(c) => Step::AddC(c, constant_error(c)),
        Op::MulC(c) => Step::MulC(c, constant_error(c)),
        Op::Func(Func::Exp) => Step::Exp,
        Op::Func(Func::Log) => Step::Log,
        Op::Pow | Op::MinMax(_) | Op::Func2(_) => Step::Binary(op),
        op => Step::Unary(op),
    }
}

/// `steps` with the common pairs of steps as one step each: one dispatch and one stack
/// transfer less, the same operations.
fn fuse(steps: Vec<Step>) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for s in steps {
        let fused = match (out.last(), s) {
            (Some(&Step::Load(i)), Step::AddC(c, e)) => Step::LoadAddC(i, c, e),
            (Some(&Step::Var), Step::MulC(c, e)) => Step::VarMulC(c, e),
            (Some(&Step::Div), Step::MulC(c, e)) => Step::DivMulC(c, e),
            _ => {
                out.push(s);
                continue;
            }
        };
        if let Some(last) = out.last_mut() {
            *last = fused;
        }
    }
    out
}

/// How many operands an instruction takes from the stack and how many it leaves.
fn stack_effect(op: Op) -> (usize, usize) {
    match op {
        Op::Const(_) | Op::Var | Op::Load(_) => (0, 1),
        Op::Store(_) => (1, 1),
        Op::Add | Op::Mul | Op::Div | Op::Pow | Op::MinMax(_) | Op::Func2(_) => (2, 1),
        _ => (1, 1),
    }
}

/// Whether `ops` never takes an operand the stack does not hold, ends with a value, and names
/// only slots below `slots`, each stored before it is loaded: then the pass on arrays of the
/// program's height and slots gives what [`Compiled::eval_with_error`] gives.
fn well_formed(ops: &[Op], slots: usize) -> bool {
    let mut stored = vec![false; slots];
    let mut h = 0usize;
    for &op in ops {
        let (take, give) = stack_effect(op);
        if h < take {
            return false;
        }
        match op {
            Op::Store(i) if (i as usize) < slots => stored[i as usize] = true,
            Op::Load(i) if stored.get(i as usize) == Some(&true) => {}
            Op::Store(_) | Op::Load(_) => return false,
            _ => {}
        }
        h = h - take + give;
    }
    h >= 1
}

/// For each instruction of `ops` (a sum of `terms`, see [`Compiled::bound_pass`]), the mark it
/// carries, or `None` where the program is not that sum.
fn term_marks(ops: &[Op], slots: usize, terms: &[Compiled]) -> Option<Vec<Option<Mark>>> {
    if terms.len() < 2 {
        return None;
    }
    // The sum written out, with the place of each mark.
    let mut expanded: Vec<Op> = Vec::new();
    let mut places: Vec<(usize, Mark)> = Vec::with_capacity(terms.len());
    for (i, term) in terms.iter().enumerate() {
        if term
            .ops
            .iter()
            .any(|op| matches!(op, Op::Store(_) | Op::Load(_)))
        {
            return None;
        }
        match &*term.ops {
            [Op::Const(c)] if i > 0 && i + 1 == terms.len() => {
                if !super::running::normal(*c) {
                    return None;
                }
                places.push((expanded.len(), Mark::ConstTerm));
                expanded.push(Op::AddC(*c));
            }
            code => {
                expanded.extend_from_slice(code);
                if i == 0 {
                    places.push((expanded.len(), Mark::FirstEnd));
                } else {
                    places.push((expanded.len(), Mark::AddTerm));
                    expanded.push(Op::Add);
                }
            }
        }
    }
    // The program, its shared values expanded, must be that sum: `pos` is how far it has
    // matched, `starts` where each value on the stack began, `saved` the code of each slot.
    let mut marks = vec![None; ops.len()];
    let mut saved: Vec<Option<(usize, usize)>> = vec![None; slots];
    let mut starts: Vec<usize> = Vec::new();
    let mut pos = 0usize;
    let mut next = places.iter().peekable();
    for (i, &op) in ops.iter().enumerate() {
        let len = match op {
            Op::Store(k) => {
                let start = *starts.last()?;
                *saved.get_mut(k as usize)? = Some((start, pos));
                0
            }
            Op::Load(k) => {
                let (a, b) = (*saved.get(k as usize)?)?;
                if expanded.get(pos..pos + (b - a))? != &expanded[a..b] {
                    return None;
                }
                starts.push(pos);
                b - a
            }
            op => {
                if expanded.get(pos) != Some(&op) {
                    return None;
                }
                let (take, give) = stack_effect(op);
                let start = match take {
                    0 => pos,
                    _ => {
                        let first = starts.len().checked_sub(take)?;
                        starts.drain(first..).next()?
                    }
                };
                starts.extend(std::iter::repeat_n(start, give));
                1
            }
        };
        // The marks within this instruction's span of the written-out sum.
        while let Some(&&(place, mark)) = next.peek() {
            let here = match mark {
                Mark::FirstEnd => place <= pos + len,
                Mark::AddTerm | Mark::ConstTerm => place < pos + len,
            };
            if !here {
                break;
            }
            // A term ends where an instruction ends; an `Add` or `AddC` of the sum is an
            // instruction of the program, not part of a shared value.
            let fits = match mark {
                Mark::FirstEnd => place == pos + len && len > 0,
                Mark::AddTerm | Mark::ConstTerm => {
                    place == pos && len == 1 && !matches!(op, Op::Load(_))
                }
            };
            if !fits {
                return None;
            }
            marks[i] = Some(mark);
            next.next();
        }
        pos += len;
    }
    (pos == expanded.len() && next.peek().is_none() && starts.len() == 1).then_some(marks)
}

impl BoundPass {
    /// The value and propagated rounding bound at `x` (given with the absolute error
    /// `x_error`), each with the bits of [`Compiled::eval_with_error`], and the size of the
    /// terms where the program is their sum and every intermediate is a normal number.
    /// Allocates only for a program more than [`super::STACK_SLOTS`] deep.
    pub fn eval(&self, x: f64, x_error: f64) -> Bounded {
        const N: usize = super::STACK_SLOTS;
        if self.height <= 8 && self.slots <= 8 {
            self.run(x, x_error, &mut [(0.0, 0.0); 8], &mut [(0.0, 0.0); 8])
        } else if self.height <= N && self.slots <= N {
            self.run(x, x_error, &mut [(0.0, 0.0); N], &mut [(0.0, 0.0); N])
        } else {
            let mut stack = vec![(0.0, 0.0); self.height.max(1)];
            let mut saved = vec![(0.0, 0.0); self.slots];
            self.run(x, x_error, &mut stack, &mut saved)
        }
    }

    #[inline(always)]
    fn run(
        &self,
        x: f64,
        x_error: f64,
        stack: &mut [(f64, f64)],
        saved: &mut [(f64, f64)],
    ) -> Bounded {
        const NONE: (f64, f64) = (0.0, 0.0);
        let mut sp = 0;
        // Whether every intermediate so far is a normal number.
        let mut normal = true;
        let mut size = 0.0;
        // The top of the stack; below it, `stack[1..sp]` (the first push saves the empty top).
        let mut acc = NONE;
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
                    (x, x_error)
                }
                Step::Load(i) => {
                    stack[sp] = acc;
                    sp += 1;
                    saved[i]
                }
                Step::Store(i) => {
                    saved[i] = acc;
                    continue;
                }
                Step::Add => {
                    sp -= 1;
                    add(stack[sp], acc)
                }
                Step::AddTerm => {
                    size += acc.0.abs();
                    sp -= 1;
                    add(stack[sp], acc)
                }
                Step::Mul => {
                    sp -= 1;
                    step_inline(Op::Mul, stack[sp], acc)
                }
                Step::Div => {
                    sp -= 1;
                    div(stack[sp], acc)
                }
                Step::AddC(c, ce) => add_const(acc, c, ce),
                Step::AddConstTerm(c, ce) => {
                    size += c.abs();
                    add_const(acc, c, ce)
                }
                Step::MulC(c, ce) => mul_const(acc, c, ce),
                Step::Term => {
                    size = acc.0.abs();
                    continue;
                }
                Step::LoadAddC(i, c, ce) => {
                    stack[sp] = acc;
                    sp += 1;
                    add_const(saved[i], c, ce)
                }
                Step::VarMulC(c, ce) => {
                    stack[sp] = acc;
                    sp += 1;
                    normal &= super::running::normal(x);
                    mul_const((x, x_error), c, ce)
                }
                Step::DivMulC(c, ce) => {
                    sp -= 1;
                    let q = div(stack[sp], acc);
                    // the quotient is an intermediate too
                    normal &= super::running::normal(q.0);
                    mul_const(q, c, ce)
                }
                Step::Exp => step_inline(Op::Func(Func::Exp), acc, NONE),
                Step::Log => step_inline(Op::Func(Func::Log), acc, NONE),
                Step::Unary(op) => step(op, acc, NONE),
                Step::Binary(op) => {
                    sp -= 1;
                    step(op, stack[sp], acc)
                }
            };
            normal &= super::running::normal(acc.0);
        }
        Bounded {
            value: acc.0,
            bound: acc.1,
            size: (self.marked && normal).then_some(size),
        }
    }
}

// The steps of `+`, `/` and of a constant operand, written out: the propagated bound's step
// ([`super::error`]) for these instructions, with the same corners and the same operations in
// the same order (a sum or a constant operand is not finite wherever an operand is not, so the
// check of finite operands changes nothing there). The tests compare them with it bit for bit.

/// The larger distance of two corners' values from the value: infinite where either is `NaN`.
#[inline(always)]
fn spread(d0: f64, d1: f64) -> f64 {
    // `0.max(d0).max(d1)` of distances (never `−0`), infinite where either is `NaN`.
    if d0.is_nan() || d1.is_nan() {
        f64::INFINITY
    } else if d1 > d0 {
        d1
    } else {
        d0
    }
}

/// The bound of a result `v` with its `spread` and the rounding of one arithmetic operation,
/// and the digits lost where it fell below the normal range (`zero_lost`: a zero result that
/// lost them, from operands that were not zero).
#[inline(always)]
fn finish(v: f64, spread: f64, zero_lost: bool) -> (f64, f64) {
    let lost = if v == 0.0 {
        zero_lost
    } else {
        v.abs() < f64::MIN_POSITIVE
    };
    (v, spread + EPS * v.abs() + if lost { LOST } else { 0.0 })
}

/// The larger distance of four corners' values from the value: infinite where any is `NaN`.
#[inline(always)]
fn spread4(d0: f64, d1: f64, d2: f64, d3: f64) -> f64 {
    let mut s = 0.0f64;
    for d in [d0, d1, d2, d3] {
        s = if d.is_nan() { f64::INFINITY } else { s.max(d) };
    }
    s
}

/// `a/b` with its propagated bound: the two corners that hold the least and the greatest
/// quotient where the box's corners are finite and `b`'s range does not reach zero (see
/// [`super::error`]), all four elsewhere; a finite quotient of an operand that is not finite
/// is `NaN`, as the program runs it.
#[inline(always)]
pub(super) fn div((a, ea): (f64, f64), (b, eb): (f64, f64)) -> (f64, f64) {
    let quotient = |x: f64, y: f64| {
        let q = x / y;
        if (x.is_finite() && y.is_finite()) || !q.is_finite() {
            q
        } else {
            f64::NAN
        }
    };
    let v = quotient(a, b);
    let s = if ea != 0.0 || eb != 0.0 {
        let (a_lo, a_hi, b_lo, b_hi) = (a - ea, a + ea, b - eb, b + eb);
        let d = |x: f64, y: f64| (quotient(x, y) - v).abs();
        let finite = a_lo.is_finite() && a_hi.is_finite() && b_lo.is_finite() && b_hi.is_finite();
        if finite && (b_lo > 0.0 || b_hi < 0.0) {
            // `a/b` grows with `a` where `b > 0`, and with `b` where `a ≤ 0`.
            let ((x0, y0), (x1, y1)) = match (sign(a_lo, a_hi), b_lo > 0.0) {
                (1, true) | (-1, false) => ((a_hi, b_lo), (a_lo, b_hi)),
                (1, false) | (-1, true) => ((a_lo, b_lo), (a_hi, b_hi)),
                (_, true) => ((a_lo, b_lo), (a_hi, b_lo)),
                (_, false) => ((a_lo, b_hi), (a_hi, b_hi)),
            };
            spread(d(x0, y0), d(x1, y1))
        } else {
            spread4(d(a_lo, b_lo), d(a_lo, b_hi), d(a_hi, b_lo), d(a_hi, b_hi))
        }
    } else {
        0.0
    };
    finish(v, s, a != 0.0 && b != 0.0)
}

/// `a + b` with its propagated bound (corners `(−, −)` and `(+, +)`).
#[inline(always)]
pub(super) fn add((a, ea): (f64, f64), (b, eb): (f64, f64)) -> (f64, f64) {
    let v = a + b;
    let s = if ea != 0.0 || eb != 0.0 {
        spread(
            (((a - ea) + (b - eb)) - v).abs(),
            (((a + ea) + (b + eb)) - v).abs(),
        )
    } else {
        0.0
    };
    finish(v, s, a != 0.0 && b != 0.0)
}

/// `a + c` with its propagated bound, where `ce` is the rounding of `c` as stored.
#[inline(always)]
pub(super) fn add_const((a, ea): (f64, f64), c: f64, ce: f64) -> (f64, f64) {
    let v = a + c;
    let s = if ea != 0.0 {
        spread((((a - ea) + c) - v).abs(), (((a + ea) + c) - v).abs())
    } else {
        0.0
    };
    finish(v, s + ce, a != 0.0)
}

/// `a·c` with its propagated bound, where `ce` is the rounding of `c` as stored.
#[inline(always)]
pub(super) fn mul_const((a, ea): (f64, f64), c: f64, ce: f64) -> (f64, f64) {
    let v = a * c;
    let s = if ea != 0.0 {
        spread((((a - ea) * c) - v).abs(), (((a + ea) * c) - v).abs())
    } else {
        0.0
    };
    finish(v, s + ce * (a.abs() + ea), a != 0.0)
}

#[cfg(test)]
mod tests;
