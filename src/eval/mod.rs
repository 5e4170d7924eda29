//! Evaluation: a canonical expression compiled once to an allocation-free `f64` program.
//!
//! [`compile`] substitutes the parameters, folds everything that does not depend on the
//! variable, restores the numerically stable forms the canonical IR spells out (`expm1`,
//! `log1p`, `e^x − 1 − x`, `log(1 + y) − y`, …; see [`stable_forms`]) and flattens the tree into
//! a stack-machine program. [`Compiled::eval`] then runs that program in a single pass over a
//! fixed-size array on the call stack.
//!
//! Evaluation never fails, and follows the crate's one rule for undefined values (README,
//! "Undefined values"): at a point where the expression is undefined the result is not
//! finite (`log(0)` is `-inf`, `log(-1)` is `NaN`, `10^10000000000` is `inf`), and a result that
//! passed through `±inf` or `NaN` on the way is `NaN`, never a finite number (`atan(1/t)` at
//! `t = 0`). The stable forms compute what would otherwise overflow (`log(cosh(t))` at
//! `t = 800`) without an infinite intermediate. The caller decides how to report a non-finite
//! value; [`cancellation`] tells where a finite one lost digits.

mod bound_pass;
mod cancel;
mod compile;
pub(crate) mod enclose;
mod error;
mod fused;
mod kernels;
mod machine;
mod params;
mod running;
pub(crate) mod stable;
mod sum_abs;
mod underflow;

pub use bound_pass::{BoundPass, Bounded};
pub use cancel::{Cancellation, WARN_RATIO, cancellation};
pub use fused::{Certified, SumPass};
pub use machine::TRIG_LIMIT;
pub use params::{Params, parse_assignment};

use crate::expr::Expr;
use machine::{Op, run, run_absolute};

/// Why an expression cannot be compiled, or a parameter cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// A symbol is neither the variable nor a parameter with a value.
    #[error("parameter `{0}` has no value")]
    MissingParam(String),
    /// A parameter assignment is not of the form `name=value`.
    #[error("expected `name=value`, found `{0}`")]
    ParamSyntax(String),
    /// A parameter assignment names something that cannot be a parameter.
    #[error("`{0}` cannot be a parameter name")]
    ParamName(String),
    /// A parameter assignment's value is not a finite number.
    #[error("the value `{text}` of parameter `{name}` is not a finite number")]
    ParamValue {
        /// The parameter's name.
        name: String,
        /// The value as written.
        text: String,
    },
}

impl EvalError {
    /// A hint for the user, shown as a `help:` line under the message.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            EvalError::MissingParam(name) => format!("give it a value with `--param {name}=…`"),
            EvalError::ParamSyntax(_) => "write a parameter as `a=0.5`".to_string(),
            EvalError::ParamName(_) => {
                "a name starts with a letter and is not `e`, `pi` or a function".to_string()
            }
            EvalError::ParamValue { .. } => {
                "write a decimal number such as `0.5` or a fraction such as `1/3`".to_string()
            }
        })
    }
}

/// Slots of the stack array every evaluation uses; a program deeper than this (rare: it needs
/// an expression nested more than this many levels on its right-hand side) uses a heap vector
/// per evaluation instead.
pub const STACK_SLOTS: usize = 32;

/// A compiled expression in one variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Compiled {
    ops: Box<[Op]>,
    /// Slots of the evaluation array: the stack's greatest height, then one per shared value.
    depth: usize,
}

/// Compile `e` as a function of `var`, with every other symbol taken from `params`.
///
/// If `params` also gives `var` a value, the variable wins. Fails with
/// [`EvalError::MissingParam`] on the first symbol (in sorted order) that has no value.
pub fn compile(e: &Expr, var: &str, params: &Params) -> Result<Compiled, EvalError> {
    compile_in(e, Some(var), params)
}

/// The value of an expression with no variable, every symbol taken from `params`.
///
/// Like [`Compiled::eval`], a non-finite value is returned, not reported as an error.
pub fn eval_constant(e: &Expr, params: &Params) -> Result<f64, EvalError> {
    Ok(compile_in(e, None, params)?.eval(0.0))
}

fn compile_in(e: &Expr, var: Option<&str>, params: &Params) -> Result<Compiled, EvalError> {
    if let Some(missing) = e
        .symbols()
        .into_iter()
        .find(|s| Some(&**s) != var && params.get(s).is_none())
    {
        return Err(EvalError::MissingParam(missing.to_string()));
    }
    let mut emitter = compile::Emitter::new(var, params);
    emitter.emit(e)?;
    let (ops, depth) = emitter.finish();
    Ok(Compiled {
        ops: ops.into_boxed_slice(),
        depth,
    })
}

/// The stable forms [`compile`] recognises in a sum, each as `pattern = replacement`.
///
/// In addition, `log(1 + X)` is evaluated as `log1p(X)`.
pub fn stable_forms() -> impl Iterator<Item = &'static str> {
    compile::STABLE_FORMS.iter().map(|(doc, _)| *doc)
}

impl Compiled {
    /// The value at `x`.
    ///
    /// Allocates nothing when [`Compiled::needs_heap`] is false (programs up to
    /// [`STACK_SLOTS`] deep); never fails: out-of-domain points give `NaN` or `±inf`.
    #[inline]
    pub fn eval(&self, x: f64) -> f64 {
        if self.depth <= 8 {
            run(&self.ops, x, &mut [0.0; 8])
        } else if self.depth <= STACK_SLOTS {
            run(&self.ops, x, &mut [0.0; STACK_SLOTS])
        } else {
            run(&self.ops, x, &mut vec![0.0; self.depth])
        }
    }

    /// The value at `x` without the refusal of underflowed digits: where an intermediate fell
    /// below the normal range, the value is right only to an absolute error of about
    /// `7.9e-323` times what multiplies it afterwards, which [`Compiled::eval_with_error`]
    /// includes in its bound. For integrands and sums, where absolute error is what counts;
    /// a value to be printed comes from [`Compiled::eval`]. Allocates as `eval` does.
    #[inline]
    pub fn eval_absolute(&self, x: f64) -> f64 {
        if self.depth <= STACK_SLOTS {
            run_absolute(&self.ops, x, &mut [0.0; STACK_SLOTS])
        } else {
            run_absolute(&self.ops, x, &mut vec![0.0; self.depth])
        }
    }

    /// `out[i] = self.eval(xs[i])` for every `i` below the shorter length (the rest of `out`
    /// is left as it is). Allocates only when [`Compiled::needs_heap`], once per call.
    pub fn eval_many(&self, xs: &[f64], out: &mut [f64]) {
        let mut heap = Vec::new();
        let mut small = [0.0; STACK_SLOTS];
        let below: &mut [f64] = if self.depth <= STACK_SLOTS {
            &mut small
        } else {
            heap.resize(self.depth, 0.0);
            &mut heap
        };
        for (x, y) in xs.iter().zip(out.iter_mut()) {
            *y = run(&self.ops, *x, below);
        }
    }

    /// Whether [`Compiled::eval`] allocates (the program is deeper than [`STACK_SLOTS`]).
    pub fn needs_heap(&self) -> bool {
        self.depth > STACK_SLOTS
    }

    /// The number of instructions, a measure of evaluation cost.
    pub fn instructions(&self) -> usize {
        self.ops.len()
    }
}

#[cfg(test)]
mod tests;
