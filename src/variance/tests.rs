//! The laboratory end to end on small models: the analysis agrees with a brute-force O(K²)
//! computation of the estimator's moments, Monte Carlo agrees with the exact values, and pairs
//! of one class are found.

use super::*;
use crate::parse::parse;
use crate::transform::{Bindings, Residual, from_divergence, from_loss};

fn loss(g: &str) -> Input {
    Input {
        label: g.into(),
        pair: from_loss(
            &parse(g).unwrap(),
            Residual::TargetMinusModel,
            &Bindings::new(),
        )
        .unwrap(),
    }
}

fn generated(k: usize, seed: u64) -> Model {
    Model::generate(&Generated {
        outcomes: k,
        seed,
        shape: TargetShape::Zipf(1.0),
        temperature: 1.0,
    })
    .unwrap()
}

/// `E‖Y‖² − ‖E Y‖²` for `Y = −a(x)(w(x) + c)s(x)`, `x ∼ P`, by summing vectors: O(K²).
fn brute_trace(model: &Model, prob: &[f64], a: &[f64], w: &[f64], c: f64) -> (f64, Vec<f64>) {
    let k = model.outcomes();
    let mut mean = vec![0.0; k];
    let mut second = 0.0;
    for x in 0..k {
        if prob[x] == 0.0 {
            continue;
        }
        let scale = -a[x] * (w[x] + c);
        for (j, m) in mean.iter_mut().enumerate() {
            let s = if j == x { 1.0 } else { 0.0 } - model.p[j];
            *m += prob[x] * scale * s;
            second += prob[x] * scale * scale * s * s;
        }
    }
    (second - mean.iter().map(|m| m * m).sum::<f64>(), mean)
}

#[test]
fn exact_quantities_agree_with_brute_force() {
    let model = generated(12, 3);
    let b = Behaviour::MixUniform(0.3);
    let options = Options {
        shifts: vec![-1.5, 0.0, 0.7],
        behaviour: Some(b.clone()),
        target_sampling: true,
        monte_carlo: None,
        mixture_sweep: false,
    };
    let program = compile(&parse("exp(t) - 1").unwrap(), "t", &Params::new()).unwrap();
    let a = analyze(&|t| program.eval(t), &model, &options).unwrap();
    let w: Vec<f64> = model.t.iter().map(|t| t.exp_m1()).collect();
    let ones = vec![1.0; 12];
    let mu = b.distribution(&model).unwrap();
    let rho: Vec<f64> = model.p.iter().zip(&mu).map(|(p, m)| p / m).collect();
    let close = |got: f64, want: f64| {
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1.0),
            "{got} ≠ {want}"
        )
    };
    for (i, &c) in options.shifts.iter().enumerate() {
        let (v, mean) = brute_trace(&model, &model.p, &ones, &w, c);
        close(a.variance[i].trace, v);
        for (g, m) in a.gradient.iter().zip(&mean) {
            close(*g, *m);
        }
        let (v, _) = brute_trace(&model, &mu, &rho, &w, c);
        close(a.off_policy.as_ref().unwrap().variance[i].trace, v);
        let (v, mean) = brute_trace(&model, &model.target, &ones, &w, c);
        let ts = &a.target_sampling.as_ref().unwrap().variance[i];
        close(ts.trace, v);
        let diff: f64 = mean
            .iter()
            .zip(&a.gradient)
            .map(|(m, g)| (m - g) * (m - g))
            .sum();
        close(ts.bias_norm, diff.sqrt());
    }
    // c* minimises the brute-force trace.
    let c = a.optimal_shift.unwrap();
    let v = |c: f64| brute_trace(&model, &model.p, &ones, &w, c).0;
    close(a.variance_at_optimal, v(c));
    assert!(v(c - 1e-3) > v(c) && v(c + 1e-3) > v(c));
}

#[test]
fn monte_carlo_agrees_within_standard_errors() {
    let model = generated(20, 5);
    let mut mu = Behaviour::MixTarget(0.5).distribution(&model).unwrap();
    // The behaviour never samples the model's two likeliest outcomes: the sampled mean must
    // show the bias.
    let mut order: Vec<usize> = (0..20).collect();
    order.sort_by(|a, b| model.p[*b].total_cmp(&model.p[*a]));
    let lost = mu[order[0]] + mu[order[1]];
    mu[order[0]] = 0.0;
    mu[order[1]] = 0.0;
    mu[order[2]] += lost;
    let options = Options {
        shifts: vec![-1.0, 0.0, 0.5, 2.0],
        behaviour: Some(Behaviour::Explicit(mu)),
        target_sampling: false,
        monte_carlo: Some((200_000, 11)),
        mixture_sweep: false,
    };
    let program = compile(&parse("t^2/2").unwrap(), "t", &Params::new()).unwrap();
    let a = analyze(&|t| program.eval(t), &model, &options).unwrap();
    let o = a.off_policy.as_ref().unwrap();
    assert!(o.support_mismatch.is_some() && o.bias_norm > 1e-3, "{o:?}");
    // The bias is visible along the gradient: the sampled mean misses ‖∇‖ by many errors.
    let off = a.monte_carlo.as_ref().unwrap().off_policy.as_ref().unwrap();
    let along = off.mean_along_gradient.as_ref().unwrap();
    let missed = (along.estimate - a.gradient_norm) / along.standard_error;
    assert!(
        missed.abs() > 10.0,
        "{along:?} vs ‖∇‖ = {}",
        a.gradient_norm
    );
    let mc = a.monte_carlo.as_ref().unwrap();
    for est in [&mc.on_policy, mc.off_policy.as_ref().unwrap()] {
        let m = est.mean_along_gradient.as_ref().unwrap();
        assert!(
            ((m.estimate - m.exact) / m.standard_error).abs() < 4.0,
            "{m:?}"
        );
        for row in &est.variance {
            let z = (row.estimate - row.exact) / row.standard_error;
            assert!(z.abs() < 4.0, "{row:?}");
        }
    }
    let off = mc.off_policy.as_ref().unwrap();
    for v in [
        off.mean_weight.as_ref().unwrap(),
        off.mean_squared_weight.as_ref().unwrap(),
    ] {
        assert!(
            ((v.estimate - v.exact) / v.standard_error).abs() < 4.0,
            "{v:?}"
        );
    }
    // The same seed gives the same numbers.
    assert_eq!(
        analyze(&|t| program.eval(t), &model, &options)
            .unwrap()
            .monte_carlo,
        a.monte_carlo
    );
}

#[test]
fn a_class_is_found_and_shares_the_gradient() {
    let model = generated(30, 2);
    let inputs = [
        loss("t^2"),
        loss("exp(t) - t - 1"),
        loss("exp(t) - 1"),
        loss("log(cosh(t))"),
    ];
    let options = Options {
        shifts: vec![0.0, 1.0],
        ..Options::default()
    };
    let r = variance(&inputs, &model, "test".into(), &options).unwrap();
    assert_eq!(r.same_divergence.len(), 1, "{:?}", r.same_divergence);
    let s = &r.same_divergence[0];
    assert_eq!((s.a, s.b, s.difference, s.method), (1, 2, 1.0, "exact"));
    let (a, b) = (&r.losses[1].analysis, &r.losses[2].analysis);
    for (x, y) in a.gradient.iter().zip(&b.gradient) {
        assert!((x - y).abs() < 1e-15);
    }
    // exp(t) − 1 at c is exp(t) − t − 1 at c + 1.
    assert!((b.variance[0].trace - a.variance[1].trace).abs() < 1e-12);
    assert!((a.optimal_shift.unwrap() - 1.0 - b.optimal_shift.unwrap()).abs() < 1e-12);
    assert!((a.variance_at_optimal - b.variance_at_optimal).abs() < 1e-12);
    assert_eq!(b.canonical_shift, -1.0);
}

/// A generator whose loss has no closed form gets its weight from `e^t f′(e^t) − f(e^t)`; it
/// agrees with a central difference of the numeric loss.
#[test]
fn weights_of_a_numeric_loss() {
    let f = "u*log(u) - (u + 1)*log((1 + u)/2)";
    let pair = from_divergence(
        &parse(f).unwrap(),
        Residual::TargetMinusModel,
        &Bindings::new(),
    )
    .unwrap();
    let e = weight_expr(&pair).unwrap();
    let program = compile(&e, "t", &Params::new()).unwrap();
    for t in [-3.0, -0.5, 0.0, 1.0, 4.0] {
        let h = 1e-4;
        let g = pair.derived_values(&[t - h, t + h]).unwrap();
        let fd = (g[1].value - g[0].value) / (2.0 * h);
        assert!(
            (program.eval(t) - fd).abs() < 1e-6,
            "{t}: {} vs {fd}",
            program.eval(t)
        );
    }
}

#[test]
fn bad_input_is_an_error() {
    let model = Model::new(vec![0.0, 1.0, 2.0], vec![0.0, 1.0, 1.0]).unwrap();
    let program = compile(&parse("2*t").unwrap(), "t", &Params::new()).unwrap();
    let err = analyze(&|t| program.eval(t), &model, &Options::default()).unwrap_err();
    assert!(err.to_string().contains("outcome 0 (q = 0"), "{err}");
    let ok_model = generated(4, 1);
    let bad = |o: Options| {
        analyze(&|t| program.eval(t), &ok_model, &o)
            .unwrap_err()
            .to_string()
    };
    assert!(
        bad(Options {
            shifts: vec![f64::NAN],
            ..Options::default()
        })
        .contains("not a finite")
    );
    assert!(
        bad(Options {
            monte_carlo: Some((1, 0)),
            ..Options::default()
        })
        .contains("2 to")
    );
    assert!(
        bad(Options {
            behaviour: Some(Behaviour::Explicit(vec![0.5, 0.5])),
            ..Options::default()
        })
        .contains("2 probabilities but the model has 4")
    );
}

/// K = 100,000 with a peaked target: the compensated sums keep `V(c*)` and `c*` equal to a
/// computation in 128-bit-like accuracy (pairs of sums in a different order).
#[test]
fn large_models_stay_accurate() {
    let model = Model::generate(&Generated {
        outcomes: 100_000,
        seed: 9,
        shape: TargetShape::Peaked(5),
        temperature: 0.5,
    })
    .unwrap();
    let program = compile(&parse("2*t").unwrap(), "t", &Params::new()).unwrap();
    let a = analyze(&|t| program.eval(t), &model, &Options::default()).unwrap();
    // The same sums in reverse order, plainly summed in pairs of f64 (two-level).
    let w: Vec<f64> = model.t.iter().map(|t| 2.0 * t).collect();
    let n: Vec<f64> = (0..100_000).map(|x| model.score_norm_squared(x)).collect();
    let rev = |f: &dyn Fn(usize) -> f64| -> f64 {
        (0..100_000)
            .rev()
            .collect::<Vec<_>>()
            .chunks(100)
            .map(|c| c.iter().map(|&x| f(x)).sum::<f64>())
            .sum()
    };
    let c = rev(&|x| model.p[x] * n[x]);
    let b = rev(&|x| model.p[x] * n[x] * w[x]);
    let got = a.optimal_shift.unwrap();
    assert!(
        (got + b / c).abs() < 1e-10 * (b / c).abs().max(1.0),
        "{got} vs {}",
        -b / c
    );
    assert!(a.variance_at_optimal > 0.0 && a.variance_at_optimal < a.variance_at_zero + 1e-12);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn case() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<f64>, f64)> {
        (2usize..12).prop_flat_map(|k| {
            (
                prop::collection::vec(-60.0..60.0f64, k),
                prop::collection::vec(prop_oneof![Just(0.0), 0.0..1.0f64], k),
                prop::collection::vec(prop_oneof![Just(0.0), 0.0..1.0f64], k),
                -5.0..5.0f64,
            )
        })
    }

    proptest! {
        /// Any model, target and behaviour: a result or an error, never a panic; a result's
        /// traces are non-negative, its ESS a fraction, and `c*` minimises the trace.
        #[test]
        fn never_panics_and_stays_sane((logits, target, mu, c) in case()) {
            let Ok(model) = Model::new(logits, target) else { return Ok(()); };
            let total: f64 = mu.iter().sum();
            let behaviour = (total > 0.0).then(|| Behaviour::Explicit(mu.iter().map(|m| m / total).collect()));
            let options = Options {
                shifts: vec![c, 0.0],
                behaviour,
                target_sampling: true,
                monte_carlo: Some((50, 1)),
                mixture_sweep: true,
            };
            let w = |t: f64| t.exp_m1();
            let Ok(a) = analyze(&w, &model, &options) else { return Ok(()); };
            let scale = a.variance_at_zero.abs() + a.gradient_norm.powi(2) + 1.0;
            prop_assert!(a.variance.iter().all(|r| r.trace >= -1e-9 * scale), "{a:?}");
            prop_assert!(a.variance_at_optimal <= a.variance[0].trace + 1e-9 * scale);
            if let Some(t) = &a.target_sampling {
                let size = t.variance_at_zero.abs() + t.gradient_norm.powi(2) + scale;
                prop_assert!(t.variance.iter().all(|r| r.trace >= -1e-9 * size), "{t:?}");
            }
            if let Some(o) = &a.off_policy {
                prop_assert!(o.ess_fraction > 0.0 && o.ess_fraction <= 1.0 + 1e-12, "{o:?}");
                prop_assert!(o.variance.iter().all(|r| r.trace >= -1e-9 * (r.trace.abs() + scale)));
            }
        }
    }
}

/// The case the property test found: `pθ = (1 − ε, ε)` with `ε = e^−49.5`, and a behaviour that
/// samples only the unlikely outcome. The estimator is then deterministic (`V = 0` for every
/// `c`), Kish's ESS is 1 and the missed mass is `1 − ε`; computed plainly, `1 − pθ(0)` rounds to
/// zero and the trace came out as −1 with `c* = −3e21`.
#[test]
fn off_policy_near_a_point_mass() {
    let model = Model::new(vec![0.0, -49.49915123061377], vec![0.0, 0.8]).unwrap();
    let options = Options {
        shifts: vec![-1.0, 0.0, 2.0],
        behaviour: Some(Behaviour::Explicit(vec![0.0, 1.0])),
        ..Options::default()
    };
    let a = analyze(&|t: f64| t.exp_m1(), &model, &options).unwrap();
    let o = a.off_policy.unwrap();
    assert_eq!(o.optimal_shift, None, "{o:?}");
    // ρ = ε and w = q/pθ − 1 ≈ 1/ε: the terms of the trace are of order (ρw)² ≈ 1.
    for row in &o.variance {
        assert!(row.trace.abs() <= 1e-12, "{row:?}");
    }
    assert!((o.ess_fraction - 1.0).abs() < 1e-12, "{o:?}");
    assert_eq!(o.support_mismatch.unwrap().outcomes, vec![0]);
}
