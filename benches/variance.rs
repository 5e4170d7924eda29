//! The exact variance report of one loss: V(c) at 41 shifts, c*, V(c*), the gradient, on a
//! generated model with K = 1,000 (target under 5 ms) and K = 100,000 outcomes (target under
//! 200 ms), from the derived pair to the report struct; and the same with an off-policy
//! behaviour. Run with `cargo bench --bench variance`.

use fcorr::parse::parse;
use fcorr::transform::{Bindings, Residual, from_loss};
use fcorr::variance::{
    Behaviour, Generated, Input, Model, Options, TargetShape, parse_shifts, variance,
};

fn main() {
    divan::main();
}

fn model(k: usize) -> Model {
    Model::generate(&Generated {
        outcomes: k,
        seed: 1,
        shape: TargetShape::Zipf(1.0),
        temperature: 1.0,
    })
    .expect("generates")
}

fn input() -> Input {
    let pair = from_loss(
        &parse("exp(t) - t - 1").expect("parses"),
        Residual::TargetMinusModel,
        &Bindings::new(),
    )
    .expect("derives");
    Input {
        label: "linex".into(),
        pair,
    }
}

#[divan::bench(args = [1_000, 100_000])]
fn exact_report_41_shifts(bencher: divan::Bencher, k: usize) {
    let m = model(k);
    let inputs = [input()];
    let options = Options {
        shifts: parse_shifts("-2:2:41").expect("shifts"),
        ..Options::default()
    };
    bencher
        .bench(|| variance(divan::black_box(&inputs), &m, String::new(), &options).expect("runs"));
}

#[divan::bench(args = [1_000, 100_000])]
fn exact_report_41_shifts_off_policy(bencher: divan::Bencher, k: usize) {
    let m = model(k);
    let inputs = [input()];
    let options = Options {
        shifts: parse_shifts("-2:2:41").expect("shifts"),
        behaviour: Some(Behaviour::MixUniform(0.1)),
        ..Options::default()
    };
    bencher
        .bench(|| variance(divan::black_box(&inputs), &m, String::new(), &options).expect("runs"));
}
