//! Compiled closed forms kept for a run. The values at `--at`, the cross-check and the
//! gradient, reward and class checks each evaluate the same few closed forms of one pair;
//! compiling a form is the same work every time (a program is a pure function of the form and
//! its variable), so each thread keeps the last few programs and hands them out again, and a
//! check that asks for a form's value at a point it has just evaluated gets the same value back.
//! The checks draw the same random models too, so the gradients of a model are computed once
//! per pair.

use super::numeric::Conditioned;
use crate::Error;
use crate::check::{CheckError, CheckOptions, Gradients, Pair, Regime, gradients};
use crate::expr::Expr;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// How many programs each thread keeps: the sides of the pair and of the checks' other pair.
const REMEMBERED: usize = 8;

/// A form, its variable and its program.
type Compiled = (Expr, Box<str>, Rc<Conditioned>);

/// `e` compiled as a function of `var` with its rounding estimate ([`Conditioned::new`]),
/// compiled once per thread while it is among the last [`REMEMBERED`] asked for. A form that
/// does not compile is not kept: asking again gives the same error.
pub(crate) fn conditioned(e: &Expr, var: &str) -> Result<Rc<Conditioned>, Error> {
    thread_local! {
        static RECENT: RefCell<Vec<Compiled>> =
            const { RefCell::new(Vec::new()) };
    }
    if let Some(hit) = RECENT.with(|r| {
        r.borrow()
            .iter()
            .find(|(f, v, _)| &**v == var && f == e)
            .map(|(_, _, c)| Rc::clone(c))
    }) {
        return Ok(hit);
    }
    let built = Rc::new(Conditioned::new(e, var)?);
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() == REMEMBERED {
            r.remove(0);
        }
        r.push((e.clone(), var.into(), Rc::clone(&built)));
    });
    Ok(built)
}

/// A compiled form that remembers its last value: a check reads `f(u)` and then asks whether
/// `f` has a value at that `u` (and its rounding there), which is the same evaluation again.
pub(crate) struct LastValue {
    program: Rc<Conditioned>,
    /// The bits of the last point and [`Conditioned::eval`] there.
    last: Cell<Option<(u64, Option<f64>)>>,
}

impl LastValue {
    pub(crate) fn new(program: Rc<Conditioned>) -> LastValue {
        LastValue {
            program,
            last: Cell::new(None),
        }
    }

    /// [`Conditioned::eval`] at `x`, computed once for a point asked for twice in a row.
    pub(crate) fn eval(&self, x: f64) -> Option<f64> {
        let bits = x.to_bits();
        match self.last.get() {
            Some((at, v)) if at == bits => v,
            _ => {
                let v = self.program.eval(x);
                self.last.set(Some((bits, v)));
                v
            }
        }
    }

    /// The program itself.
    pub(crate) fn program(&self) -> &Conditioned {
        &self.program
    }
}

/// The gradients of the random models of one pair, by the options that draw the models and
/// the seed: the gradient, reward and class checks each ask for the same models' gradients.
#[derive(Default)]
pub(crate) struct GradientsMemo(RefCell<Vec<(GradientsKey, Gradients)>>);

/// What a model and its gradients depend on besides the pair: the seed and the options
/// other than the list of seeds.
type GradientsKey = (u64, usize, u64, Regime);

impl GradientsMemo {
    /// The most gradients kept per pair (a few option sets of five seeds).
    const LIMIT: usize = 32;

    /// [`gradients`] of `pair` for `opts` and `seed`, computed once: a result is kept when it
    /// is a value and `keep()` (no quadrature failed on the way) says so afterwards.
    pub(crate) fn gradients(
        &self,
        pair: &Pair,
        opts: &CheckOptions,
        seed: u64,
        keep: impl Fn() -> bool,
    ) -> Result<Gradients, CheckError> {
        let key = (
            seed,
            opts.categories,
            opts.logit_scale.to_bits(),
            opts.regime,
        );
        if let Some((_, g)) = self.0.borrow().iter().find(|(k, _)| *k == key) {
            return Ok(g.clone());
        }
        let g = gradients(pair, opts, seed)?;
        if keep() {
            let mut memo = self.0.borrow_mut();
            if memo.len() == Self::LIMIT {
                memo.clear();
            }
            memo.push((key, g.clone()));
        }
        Ok(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::DIVERGENCE_VAR;
    use crate::parse::parse;

    #[test]
    fn a_form_is_compiled_once_and_its_values_are_the_same() {
        let e = parse("u*log(u) - (u + 1)*log((1 + u)/2)").unwrap();
        let a = conditioned(&e, DIVERGENCE_VAR).unwrap();
        let b = conditioned(&e, DIVERGENCE_VAR).unwrap();
        assert!(Rc::ptr_eq(&a, &b));
        let fresh = Conditioned::new(&e, DIVERGENCE_VAR).unwrap();
        let last = LastValue::new(a);
        for x in [
            1e-3,
            0.5,
            0.5,
            1.0,
            1.0 + 1e-9,
            1.0 + 1e-9,
            7.0,
            f64::NAN,
            1e300,
        ] {
            assert_eq!(
                last.eval(x).map(f64::to_bits),
                fresh.eval(x).map(f64::to_bits),
                "{x}"
            );
        }
    }

    #[test]
    fn another_variable_is_another_program() {
        let e = parse("u^2").unwrap();
        assert_eq!(
            conditioned(&e, DIVERGENCE_VAR).unwrap().eval(3.0),
            Some(9.0)
        );
        // In `t`, `u` is a parameter without a value.
        assert!(conditioned(&e, "t").is_err());
    }

    #[test]
    fn a_form_that_does_not_compile_is_an_error_each_time() {
        let e = parse("u*a").unwrap();
        assert!(conditioned(&e, DIVERGENCE_VAR).is_err());
        assert!(conditioned(&e, DIVERGENCE_VAR).is_err());
    }
}
