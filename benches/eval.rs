//! `cargo bench --bench eval`: one evaluation of a compiled divergence generator.

use fcorr::Expr;
use fcorr::eval::{Compiled, Params, compile};
use fcorr::expr::Func;

fn main() {
    divan::main();
}

fn compiled(e: &Expr, var: &str) -> Compiled {
    match compile(e, var, &Params::new()) {
        Ok(c) => c,
        Err(err) => panic!("{err}"),
    }
}

/// `4*exp(t/2) - 2*t - 4`, the canonical form of `4*(exp(t/2) - t/2 - 1)`.
#[divan::bench]
fn exp_loss(bencher: divan::Bencher) {
    let t = Expr::sym("t");
    let e = Expr::int(4) * Expr::func(Func::Exp, t.clone() / Expr::int(2))
        - Expr::int(2) * t
        - Expr::int(4);
    let c = compiled(&e, "t");
    bencher.bench(|| c.eval(divan::black_box(0.3)));
}

/// `u - log(u) - 1`, the reverse-KL generator.
#[divan::bench]
fn reverse_kl(bencher: divan::Bencher) {
    let u = Expr::sym("u");
    let e = u.clone() - Expr::func(Func::Log, u) - Expr::int(1);
    let c = compiled(&e, "u");
    bencher.bench(|| c.eval(divan::black_box(1.3)));
}
