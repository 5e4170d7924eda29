use super::*;

/// Correct pairs must agree this well.
const TIGHT: f64 = 1e-9;
/// Wrong pairs must miss by at least this much.
const WRONG: f64 = 1e-3;

fn run(
    regime: Regime,
    g_prime: impl Fn(f64) -> f64,
    f: impl Fn(f64) -> f64,
    f_prime: impl Fn(f64) -> f64,
) -> Result<GradientCheck, CheckError> {
    let pair = Pair {
        g_prime: &g_prime,
        f: &f,
        f_prime: &f_prime,
        error: None,
    };
    let opts = CheckOptions {
        regime,
        ..CheckOptions::default()
    };
    check(&pair, &opts)
}

#[track_caller]
fn regime_passes(
    regime: Regime,
    g_prime: impl Fn(f64) -> f64,
    f: impl Fn(f64) -> f64,
    f_prime: impl Fn(f64) -> f64,
) {
    let result = run(regime, g_prime, f, f_prime).expect("finite pair");
    assert!(result.passes(TIGHT), "{regime:?}: {result:?}");
}

#[track_caller]
fn regime_fails(
    regime: Regime,
    g_prime: impl Fn(f64) -> f64,
    f: impl Fn(f64) -> f64,
    f_prime: impl Fn(f64) -> f64,
) {
    let result = run(regime, g_prime, f, f_prime).expect("finite pair");
    assert!(result.max_rel_error > WRONG, "{regime:?}: {result:?}");
}

#[track_caller]
fn pair_passes(g_prime: impl Fn(f64) -> f64, f: impl Fn(f64) -> f64, f_prime: impl Fn(f64) -> f64) {
    regime_passes(Regime::ModelSamplesModelGradient, g_prime, f, f_prime);
}

#[track_caller]
fn pair_fails(g_prime: impl Fn(f64) -> f64, f: impl Fn(f64) -> f64, f_prime: impl Fn(f64) -> f64) {
    regime_fails(Regime::ModelSamplesModelGradient, g_prime, f, f_prime);
}

#[track_caller]
fn fails_with(result: Result<GradientCheck, CheckError>, expected: impl Fn(&CheckError) -> bool) {
    match result {
        Err(e) if expected(&e) => {}
        other => panic!("unexpected outcome {other:?}"),
    }
}

#[test]
#[rustfmt::skip]
fn published_pairs_pass() {
    pair_passes(|t| t,                        |u| u - u.ln() - 1.0,                       |u| 1.0 - 1.0 / u);
    pair_passes(|t| t.exp() - 1.0,            |u| u * u.ln() - u + 1.0,                   |u| u.ln());
    pair_passes(|t| 2.0 * (t / 2.0).exp() - 2.0, |u| 2.0 * u - 4.0 * u.sqrt() + 2.0,      |u| 2.0 - 2.0 / u.sqrt());
    pair_passes(|t| t.exp() - (-t).exp(),     |u| u * u.ln() - u / 2.0 + 1.0 / (2.0 * u), |u| u.ln() + 0.5 - 1.0 / (2.0 * u * u));
}

#[test]
#[rustfmt::skip]
fn named_generators_pass() {
    pair_passes(|t| t.exp(),                  |u| u * u.ln(),                             |u| u.ln() + 1.0);
    pair_passes(|t| (2.0 * t).exp() - 1.0,    |u| (u - 1.0).powi(2),                      |u| 2.0 * (u - 1.0));
}

#[test]
#[rustfmt::skip]
fn equivalence_class_passes() {
    for c in [-2.0, 0.7, 3.0] {
        pair_passes(|t| t + c,                |u| u - u.ln() - 1.0 + c * (u - 1.0),       |u| 1.0 - 1.0 / u + c);
        pair_passes(|t| t.exp() - 1.0 + c,    |u| u * u.ln() - u + 1.0,                   |u| u.ln());
        pair_passes(|t| t.exp() - 1.0,        |u| u * u.ln() - u + 1.0 + c * (u - 1.0),   |u| u.ln() + c);
    }
}

/// A Linex(1) loss `G(r) = e^r − r − 1` on `r = log pθ − log q = −t` is `g(t) = e^{−t} + t − 1`.
#[test]
#[rustfmt::skip]
fn sign_trap_fails() {
    pair_fails(|t| 1.0 - (-t).exp(),          |u| u * u.ln() - u + 1.0,                   |u| u.ln());
    pair_passes(|t| t.exp() - 1.0,            |u| u * u.ln() - u + 1.0,                   |u| u.ln());
}

/// `g'(t) = −G'(−t)` for the reflected loss `g(t) = G(−t)`; even `G` are unaffected.
#[test]
#[rustfmt::skip]
fn sign_trap_is_harmless_for_even_losses() {
    pair_passes(|t| -(-t),                    |u| u - u.ln() - 1.0,                       |u| 1.0 - 1.0 / u);
    pair_passes(|t| -((-t).exp() - t.exp()),  |u| u * u.ln() - u / 2.0 + 1.0 / (2.0 * u), |u| u.ln() + 0.5 - 1.0 / (2.0 * u * u));
}

#[test]
#[rustfmt::skip]
fn wrong_pairs_fail() {
    pair_fails(|t| 2.0 * t,                   |u| u - u.ln() - 1.0,                       |u| 1.0 - 1.0 / u);
    pair_fails(|t| t,                         |u| u * u.ln(),                             |u| u.ln() + 1.0);
}

#[test]
#[rustfmt::skip]
fn quadratic_passes_in_every_regime() {
    use Regime::*;
    regime_passes(ModelSamplesModelGradient,   |t| t, |u| u - u.ln() - 1.0,           |u| 1.0 - 1.0 / u);
    regime_passes(ModelSamplesTargetGradient,  |t| t, |u| u.ln().powi(2) / 2.0,       |u| u.ln() / u);
    regime_passes(TargetSamplesModelGradient,  |t| t, |u| u * u.ln().powi(2) / 2.0,   |u| u.ln().powi(2) / 2.0 + u.ln());
    regime_passes(TargetSamplesTargetGradient, |t| t, |u| u * u.ln() - u + 1.0,       |u| u.ln());
}

#[test]
#[rustfmt::skip]
fn linex_passes_in_every_regime() {
    use Regime::*;
    regime_passes(ModelSamplesModelGradient,   |t| t.exp() - 1.0, |u| u * u.ln() - u + 1.0,             |u| u.ln());
    regime_passes(ModelSamplesTargetGradient,  |t| t.exp() - 1.0, |u| u - u.ln() - 1.0,                 |u| 1.0 - 1.0 / u);
    regime_passes(TargetSamplesModelGradient,  |t| t.exp() - 1.0, |u| u * u - u * u.ln() - u,           |u| 2.0 * u - u.ln() - 2.0);
    regime_passes(TargetSamplesTargetGradient, |t| t.exp() - 1.0, |u| (u * u - 1.0) / 2.0 - (u - 1.0), |u| u - 1.0);
}

#[test]
#[rustfmt::skip]
fn on_policy_generator_fails_off_policy() {
    use Regime::*;
    regime_fails(ModelSamplesTargetGradient,   |t| t, |u| u - u.ln() - 1.0,           |u| 1.0 - 1.0 / u);
    regime_fails(TargetSamplesModelGradient,   |t| t, |u| u - u.ln() - 1.0,           |u| 1.0 - 1.0 / u);
    regime_fails(TargetSamplesTargetGradient,  |t| t, |u| u - u.ln() - 1.0,           |u| 1.0 - 1.0 / u);
}

#[test]
#[rustfmt::skip]
fn non_finite_functions_are_errors() {
    use Regime::*;
    let is = |name: &'static str| move |e: &CheckError| matches!(e, CheckError::NonFinite { function, .. } if *function == name);
    fails_with(run(ModelSamplesModelGradient,   |t| t,        |u| u - u.ln() - 1.0, |u| (u - 1.0).sqrt()), is("f'(u)"));
    fails_with(run(ModelSamplesModelGradient,   |t| t,        |u| (u - 1.0).ln(),   |u| 1.0 - 1.0 / u),    is("f(u)"));
    fails_with(run(ModelSamplesModelGradient,   |t| if t > 0.5 { f64::INFINITY } else { t }, |u| u, |_| 1.0), is("g'(t)"));
    fails_with(run(ModelSamplesModelGradient,   |_| f64::NAN, |u| u,                |_| 1.0),              is("g'(t)"));
    fails_with(run(TargetSamplesTargetGradient, |t| t,        |u| u,                |u| 1.0 / (u - u)),    is("f'(u)"));
}

#[test]
fn invalid_options_are_errors() {
    let g_prime = |t: f64| t;
    let f = |u: f64| u - u.ln() - 1.0;
    let f_prime = |u: f64| 1.0 - 1.0 / u;
    let pair = Pair {
        g_prime: &g_prime,
        f: &f,
        f_prime: &f_prime,
        error: None,
    };
    let invalid = |e: &CheckError| matches!(e, CheckError::InvalidOptions { .. });
    let with = |change: &dyn Fn(&mut CheckOptions)| {
        let mut opts = CheckOptions::default();
        change(&mut opts);
        check(&pair, &opts)
    };
    fails_with(with(&|o| o.categories = 0), invalid);
    fails_with(with(&|o| o.categories = 1), invalid);
    fails_with(with(&|o| o.categories = usize::MAX), invalid);
    fails_with(with(&|o| o.seeds.clear()), invalid);
    fails_with(with(&|o| o.logit_scale = 0.0), invalid);
    fails_with(with(&|o| o.logit_scale = -1.0), invalid);
    fails_with(with(&|o| o.logit_scale = f64::NAN), invalid);
    fails_with(with(&|o| o.logit_scale = f64::INFINITY), invalid);
    fails_with(with(&|o| o.logit_scale = 1e3), invalid);
    assert!(with(&|o| o.categories = 2).is_ok_and(|r| r.passes(TIGHT)));
    assert!(with(&|o| o.categories = 200).is_ok_and(|r| r.passes(TIGHT)));
}

#[test]
fn extreme_scales_never_panic() {
    let linex = (
        |t: f64| t.exp() - 1.0,
        |u: f64| u * u.ln() - u + 1.0,
        |u: f64| u.ln(),
    );
    let zero = |_: f64| 0.0;
    let pairs = [
        Pair {
            g_prime: &linex.0,
            f: &linex.1,
            f_prime: &linex.2,
            error: None,
        },
        Pair {
            g_prime: &zero,
            f: &zero,
            f_prime: &zero,
            error: None,
        },
    ];
    for logit_scale in [30.0, 1e3, 1e300, f64::MAX] {
        for regime in Regime::ALL {
            for pair in &pairs {
                let opts = CheckOptions {
                    logit_scale,
                    regime,
                    ..CheckOptions::default()
                };
                if let Ok(result) = check(pair, &opts) {
                    assert!(result.max_rel_error.is_finite() && result.max_abs_error.is_finite());
                }
            }
        }
    }
}

#[test]
fn default_models_spread_ratios() {
    let opts = CheckOptions::default();
    let mut widest: f64 = 0.0;
    for &seed in &opts.seeds {
        let (theta, phi) = random_logits(opts.categories, opts.logit_scale, seed);
        let model = Model::new(&theta, &phi);
        widest = widest.max(inf_norm(&model.t));
        assert!((model.p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((model.q.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
    assert!((1.5..8.0).contains(&widest), "max |t| = {widest}");
}

#[test]
fn gradients_are_reproducible_and_reported() {
    let g_prime = |t: f64| t;
    let f = |u: f64| u - u.ln() - 1.0;
    let f_prime = |u: f64| 1.0 - 1.0 / u;
    let pair = Pair {
        g_prime: &g_prime,
        f: &f,
        f_prime: &f_prime,
        error: None,
    };
    let opts = CheckOptions::default();
    let a = gradients(&pair, &opts, 7).expect("finite");
    assert_eq!(a, gradients(&pair, &opts, 7).expect("finite"));
    assert_ne!(a.model, gradients(&pair, &opts, 8).expect("finite").model);
    assert_eq!(
        (
            a.loss.len(),
            a.divergence.len(),
            a.model.len(),
            a.target.len()
        ),
        (8, 8, 8, 8)
    );
    assert!(a.loss.iter().sum::<f64>().abs() < 1e-12);
    let result = check(&pair, &opts).expect("finite");
    assert_eq!((result.models, result.categories), (5, 8));
}

#[test]
fn worst_coordinate_points_at_the_disagreement() {
    let result = run(
        Regime::ModelSamplesModelGradient,
        |t| 1.0 - (-t).exp(),
        |u| u * u.ln() - u + 1.0,
        |u| u.ln(),
    )
    .expect("finite");
    let worst = result.worst;
    assert_eq!(worst.rel_error, result.max_rel_error);
    assert!(result.max_abs_error >= (worst.loss_gradient - worst.divergence_gradient).abs());
    assert!(worst.coordinate < result.categories);
}

// Finite-difference validation of the two gradient formulas, independently of each other.

fn divergence_value(f: &dyn Fn(f64) -> f64, theta: &[f64], phi: &[f64]) -> f64 {
    let model = Model::new(theta, phi);
    model
        .p
        .iter()
        .zip(&model.t)
        .map(|(p, t)| p * f(t.exp()))
        .sum()
}

fn frozen_loss(g: &dyn Fn(f64) -> f64, weights: &[f64], theta: &[f64], phi: &[f64]) -> f64 {
    let model = Model::new(theta, phi);
    weights.iter().zip(&model.t).map(|(s, &t)| s * g(t)).sum()
}

fn central_differences(
    value: &dyn Fn(&[f64], &[f64]) -> f64,
    theta: &[f64],
    phi: &[f64],
    wrt_model: bool,
) -> Vec<f64> {
    let h = 1e-5;
    (0..theta.len())
        .map(|j| {
            let (mut tp, mut tm, mut pp, mut pm) =
                (theta.to_vec(), theta.to_vec(), phi.to_vec(), phi.to_vec());
            if wrt_model {
                tp[j] += h;
                tm[j] -= h;
            } else {
                pp[j] += h;
                pm[j] -= h;
            }
            (value(&tp, &pp) - value(&tm, &pm)) / (2.0 * h)
        })
        .collect()
}

#[track_caller]
fn close(exact: &[f64], approx: &[f64]) {
    let scale = inf_norm(exact).max(inf_norm(approx));
    let err = exact
        .iter()
        .zip(approx)
        .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()));
    assert!(
        scale > 0.0 && err <= 1e-7 * scale,
        "exact {exact:?}\napprox {approx:?}"
    );
}

#[track_caller]
fn loss_gradient_matches_differences(g: impl Fn(f64) -> f64, g_prime: impl Fn(f64) -> f64) {
    for regime in Regime::ALL {
        for seed in [1, 2, 3] {
            let (theta, phi) = random_logits(8, 1.0, seed);
            let model = Model::new(&theta, &phi);
            let exact = loss_gradient(&g_prime, &model, regime, seed).expect("finite");
            let weights = model.sampler(regime).to_vec();
            let value = |th: &[f64], ph: &[f64]| frozen_loss(&g, &weights, th, ph);
            close(
                &exact,
                &central_differences(&value, &theta, &phi, regime.differentiates_model()),
            );
        }
    }
}

#[track_caller]
fn divergence_gradient_matches_differences(f: impl Fn(f64) -> f64, f_prime: impl Fn(f64) -> f64) {
    let unused = |_: f64| f64::NAN;
    let pair = Pair {
        g_prime: &unused,
        f: &f,
        f_prime: &f_prime,
        error: None,
    };
    for regime in Regime::ALL {
        for seed in [1, 2, 3] {
            let (theta, phi) = random_logits(8, 1.0, seed);
            let model = Model::new(&theta, &phi);
            let exact = divergence_gradient(&pair, &model, regime, seed).expect("finite");
            let value = |th: &[f64], ph: &[f64]| divergence_value(&f, th, ph);
            close(
                &exact,
                &central_differences(&value, &theta, &phi, regime.differentiates_model()),
            );
        }
    }
}

#[test]
fn loss_gradient_matches_finite_differences() {
    loss_gradient_matches_differences(|t| t * t / 2.0, |t| t);
    loss_gradient_matches_differences(|t| t.exp() - t - 1.0, |t| t.exp() - 1.0);
    loss_gradient_matches_differences(|t| (-t).exp() + t - 1.0, |t| 1.0 - (-t).exp());
}

#[test]
fn divergence_gradient_matches_finite_differences() {
    divergence_gradient_matches_differences(|u| u * u.ln(), |u| u.ln() + 1.0);
    divergence_gradient_matches_differences(|u| u - u.ln() - 1.0, |u| 1.0 - 1.0 / u);
    divergence_gradient_matches_differences(|u| (u - 1.0).powi(2), |u| 2.0 * (u - 1.0));
}

/// The verdict of the on-policy check of `(g', f, f')` with every value stated to be within
/// `stated` (absolute) of the truth.
fn verdict_with(
    g_prime: impl Fn(f64) -> f64,
    f: impl Fn(f64) -> f64,
    f_prime: impl Fn(f64) -> f64,
    stated: f64,
) -> (Verdict, GradientCheck) {
    let error = move |_: Function, _: f64| stated;
    let pair = Pair {
        g_prime: &g_prime,
        f: &f,
        f_prime: &f_prime,
        error: Some(&error),
    };
    let c = check(&pair, &CheckOptions::default()).expect("finite pair");
    (c.verdict(1e-6), c)
}

#[test]
fn a_verdict_needs_numbers_more_accurate_than_the_difference() {
    // KL's pair, right and with a factor-of-two mistake in f, each scaled by `k`.
    let kl = |k: f64, wrong: f64| {
        (
            move |t: f64| k * (t.exp() - 1.0),
            move |u: f64| k * wrong * (u * u.ln() - u + 1.0),
            move |u: f64| k * wrong * u.ln(),
        )
    };
    let cases: &[(f64, f64, f64, Verdict)] = &[
        // (scale of the pair, factor on f, stated error of each value, verdict)
        (1.0, 1.0, 0.0, Verdict::Holds),
        (1.0, 2.0, 0.0, Verdict::Fails),
        (1.0, 1.0, 1e-9, Verdict::Holds),
        (1.0, 2.0, 1e-3, Verdict::Fails),
        (1.0, 1.0, 1e-3, Verdict::Inconclusive),
        (1.0, 2.0, 1.0, Verdict::Inconclusive),
        (1e-20, 1.0, 1e-15, Verdict::Inconclusive),
        (1e-20, 2.0, 1e-15, Verdict::Inconclusive),
        (1e-20, 2.0, 1e-30, Verdict::Fails),
        (1e-20, 1.0, 1e-30, Verdict::Holds),
        (1e-300, 1.0, 0.0, Verdict::Holds),
        (1e-300, 2.0, 0.0, Verdict::Fails),
        (1e-310, 1.0, 0.0, Verdict::Inconclusive),
        (1e-310, 2.0, 0.0, Verdict::Inconclusive),
        (0.0, 1.0, 0.0, Verdict::Inconclusive),
    ];
    for &(k, wrong, stated, expected) in cases {
        let (g, f, fp) = kl(k, wrong);
        let (v, c) = verdict_with(g, f, fp, stated);
        assert_eq!(v, expected, "k = {k}, f × {wrong}, error {stated}: {c:?}");
    }
}

#[test]
fn without_stated_errors_the_noise_is_rounding() {
    let (v, c) = verdict_with(
        |t: f64| t.exp() - 1.0,
        |u: f64| u * u.ln() - u + 1.0,
        |u: f64| u.ln(),
        0.0,
    );
    assert_eq!(v, Verdict::Holds);
    assert!(c.max_rel_noise > 0.0 && c.max_rel_noise < 1e-12, "{c:?}");
}

/// Gradients that are zero, or lost to underflow, on every model compare nothing: the noise is
/// infinite and the check inconclusive (it held on `0 = 0` before).
#[test]
fn nothing_compared_is_inconclusive() {
    let zero = |_: f64| 0.0;
    let (v, c) = verdict_with(zero, zero, zero, 0.0);
    assert_eq!(
        (v, c.max_rel_error, c.max_rel_noise),
        (Verdict::Inconclusive, 0.0, f64::INFINITY)
    );
}
