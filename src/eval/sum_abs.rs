//! `Σ |t_i(x)|` of several compiled terms in one pass: the size of a sum's terms, which decides
//! how much a closed form cancels, without the start-up of one evaluation per term.

use super::Compiled;
use super::machine::{Op, binary, max_depth, unary};
use crate::expr::Func;

impl Compiled {
    /// One program computing `|t_0| + |t_1| + …` in this order (the bits of
    /// `terms.iter().map(|t| t.eval(x).abs()).sum()` wherever every intermediate of every term
    /// is finite and normal: see [`Compiled::eval_normal`]), or `None` for no terms or a term
    /// that shares values between its instructions (slots to renumber).
    pub fn sum_of_abs(terms: &[Compiled]) -> Option<Compiled> {
        let mut ops = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            if t.ops
                .iter()
                .any(|op| matches!(op, Op::Store(_) | Op::Load(_)))
            {
                return None;
            }
            ops.extend_from_slice(&t.ops);
            ops.push(Op::Func(Func::Abs));
            if i > 0 {
                ops.push(Op::Add);
            }
        }
        if ops.is_empty() {
            return None;
        }
        let depth = max_depth(&ops);
        Some(Compiled {
            ops: ops.into_boxed_slice(),
            depth,
        })
    }

    /// The value at `x` where every intermediate is finite and at least the smallest normal
    /// number in size (then it has the bits of [`Compiled::eval`]), `None` elsewhere.
    pub fn eval_normal(&self, x: f64) -> Option<f64> {
        if self.depth <= 8 {
            self.normal_with(x, &mut [0.0; 8])
        } else if self.depth <= super::STACK_SLOTS {
            self.normal_with(x, &mut [0.0; super::STACK_SLOTS])
        } else {
            None
        }
    }

    /// [`Compiled::eval_normal`] on at least `depth` slots, as [`Compiled::eval`] runs.
    #[inline(always)]
    fn normal_with(&self, x: f64, below: &mut [f64]) -> Option<f64> {
        let mut acc = 0.0;
        let mut sp = 0;
        let mut normal = true;
        for &op in self.ops.iter() {
            match op {
                Op::Const(c) => {
                    below[sp] = acc;
                    sp += 1;
                    acc = c;
                }
                Op::Var => {
                    below[sp] = acc;
                    sp += 1;
                    acc = x;
                }
                Op::Add | Op::Mul | Op::Div | Op::Pow | Op::MinMax(_) | Op::Func2(_) => {
                    sp = sp.saturating_sub(1);
                    acc = binary(op, below[sp], acc);
                }
                Op::Store(i) => below[i as usize] = acc,
                Op::Load(i) => {
                    below[sp] = acc;
                    sp += 1;
                    acc = below[i as usize];
                }
                op => acc = unary(op, acc),
            }
            normal &= super::running::normal(acc);
        }
        normal.then_some(acc)
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::{Compiled, Params, compile};
    use crate::parse::parse;

    fn program(text: &str) -> Compiled {
        compile(&parse(text).unwrap(), "u", &Params::new()).unwrap()
    }

    #[test]
    fn the_sum_of_sizes_has_the_bits_of_the_terms_summed_one_by_one() {
        let terms: Vec<Compiled> = ["2*u*atan(u)", "-pi*u/2", "-u", "1", "exp(-u/100)/3"]
            .iter()
            .map(|t| program(t))
            .collect();
        let sum = Compiled::sum_of_abs(&terms).unwrap();
        for i in 0..200 {
            let u = 10f64.powf(-3.0 + 6.0 * f64::from(i) / 199.0);
            let one_by_one: f64 = terms.iter().map(|t| t.eval(u).abs()).sum();
            assert_eq!(
                sum.eval_normal(u).unwrap().to_bits(),
                one_by_one.to_bits(),
                "{u}"
            );
        }
    }

    #[test]
    fn no_value_where_an_intermediate_is_zero_or_not_finite() {
        let terms = [program("u - 1"), program("exp(u)")];
        let sum = Compiled::sum_of_abs(&terms).unwrap();
        assert_eq!(sum.eval_normal(1.0), None);
        assert_eq!(sum.eval_normal(800.0), None);
        assert!(sum.eval_normal(2.0).is_some());
        assert_eq!(Compiled::sum_of_abs(&[]), None);
    }
}
