//! Emitted Python agrees with fcorr: each loss is emitted as NumPy code, `python3` runs it at
//! several `(log_q, log_p)` pairs, and `loss`, `grad_weight` and `reward` must match fcorr's own
//! compiled `g`, `−g'` and `u·f'(u) − f(u)` (at `u = q/pθ`, or `g'` when `f` is numeric) to 1e-9
//! relative. Without python3 or
//! NumPy the agreement test says so on stderr and returns. Two emissions are snapshots.

mod support;
use fcorr::emit::{Backend, emit};
use fcorr::eval::{Params, compile};
use fcorr::parse::parse;
use fcorr::transform::{Bindings, Correspondence, Residual, from_loss};
use std::process::Command;

/// The published rows of Hu et al. 2025 (Table 2), `t^2`, a model-minus-target loss, a loss whose generator is
/// numeric, and one that uses softplus.
const CASES: [(&str, Residual); 8] = [
    ("t^2/2", Residual::TargetMinusModel),
    ("exp(t) - t - 1", Residual::TargetMinusModel),
    ("4*exp(t/2) - 2*t - 4", Residual::TargetMinusModel),
    ("exp(t) + exp(-t) - 2", Residual::TargetMinusModel),
    ("t^2", Residual::TargetMinusModel),
    ("exp(t) - t - 1", Residual::ModelMinusTarget),
    ("log(cosh(t))", Residual::TargetMinusModel),
    ("softplus(t) - t/2 - log(2)", Residual::TargetMinusModel),
];

/// `(log q, log p)`: t = log q − log p at 0, ±1e-3, ±0.9, ±2.5 and 6.
const POINTS: [(f64, f64); 8] = [
    (-1.0, -1.0),
    (-2.0, -2.001),
    (-2.001, -2.0),
    (-1.3, -0.4),
    (-0.2, -1.1),
    (-0.7, -3.2),
    (-4.0, -1.5),
    (-0.5, -6.5),
];

/// Relative tolerance, with an absolute floor for values that are zero.
const TOLERANCE: f64 = 1e-9;
const FLOOR: f64 = 1e-15;

fn pair(loss: &str, residual: Residual) -> Correspondence {
    from_loss(&parse(loss).unwrap(), residual, &Bindings::new()).unwrap()
}

/// fcorr's own values at `t`: `g`, the gradient weight `w = −g'` and the reward
/// `R = u·f'(u) − f(u)` (from `f` when it is closed, else `g'`).
fn expected(p: &Correspondence, t: f64) -> (f64, f64, f64) {
    let none = Params::new();
    let g = compile(p.loss.as_ref().unwrap(), "t", &none).unwrap();
    let gp = compile(p.loss_derivative.as_ref().unwrap(), "t", &none).unwrap();
    let reward = match (&p.divergence, &p.divergence_derivative) {
        (Some(f), Some(fp)) => {
            let f = compile(f, "u", &none).unwrap();
            let fp = compile(fp, "u", &none).unwrap();
            let u = t.exp();
            u * fp.eval(u) - f.eval(u)
        }
        _ => gp.eval(t),
    };
    (g.eval(t), -gp.eval(t), reward)
}

/// Whether `python3` can import NumPy; says why not on stderr.
fn numpy_available() -> bool {
    match Command::new("python3")
        .args(["-c", "import numpy"])
        .output()
    {
        Err(_) => {
            eprintln!("skipped: python3 is not installed");
            false
        }
        Ok(out) if !out.status.success() => {
            eprintln!("skipped: numpy is not installed");
            false
        }
        Ok(_) => true,
    }
}

/// `Σ |term|` of the sum `e` at `t` (`|e|` for any other expression).
fn terms_size(e: &fcorr::expr::Expr, t: f64) -> f64 {
    let terms = match e {
        fcorr::expr::Expr::Add(ts) => ts.clone(),
        e => vec![e.clone()],
    };
    terms
        .iter()
        .map(|x| compile(x, "t", &Params::new()).unwrap().eval(t).abs())
        .sum()
}

fn relative_error(got: f64, want: f64) -> f64 {
    (got - want).abs() / got.abs().max(want.abs()).max(FLOOR)
}

#[test]
fn emitted_numpy_agrees_with_fcorr() {
    if !numpy_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("fcorr-emit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pairs: Vec<Correspondence> = CASES.iter().map(|(g, r)| pair(g, *r)).collect();
    for (i, p) in pairs.iter().enumerate() {
        let code = emit(p, Backend::Numpy).unwrap();
        std::fs::write(dir.join(format!("emitted_{i}.py")), code).unwrap();
    }
    let script = format!(
        "import importlib, sys\n\
         import numpy as np\n\
         sys.path.insert(0, {dir:?})\n\
         log_q = np.array([{q}])\n\
         log_p = np.array([{p}])\n\
         for i in range({n}):\n\
         \x20   m = importlib.import_module(f'emitted_{{i}}')\n\
         \x20   cols = [m.loss(log_q, log_p), m.grad_weight(log_q, log_p), m.reward(log_q, log_p)]\n\
         \x20   for k in range(len(log_q)):\n\
         \x20       print(i, *[repr(float(c[k])) for c in cols])\n",
        dir = dir.to_string_lossy(),
        q = POINTS.map(|(q, _)| format!("{q:?}")).join(", "),
        p = POINTS.map(|(_, p)| format!("{p:?}")).join(", "),
        n = pairs.len(),
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "python3 failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), pairs.len() * POINTS.len(), "{stdout}");
    let (mut worst, mut worst_at, mut compared) = (0.0f64, String::new(), 0);
    for (line, (i, k)) in lines
        .iter()
        .zip((0..pairs.len()).flat_map(|i| (0..POINTS.len()).map(move |k| (i, k))))
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[0], i.to_string(), "{line}");
        let got: Vec<f64> = fields[1..].iter().map(|s| s.parse().unwrap()).collect();
        let (q, p) = POINTS[k];
        let t = q - p;
        let (g, w, reward) = expected(&pairs[i], t);
        let want = [g, w, reward];
        assert_eq!(got.len(), want.len(), "case {}", CASES[i].0);
        for (name, (a, b)) in ["loss", "grad_weight", "reward"]
            .iter()
            .zip(got.iter().zip(&want))
        {
            let err = relative_error(*a, *b);
            compared += 1;
            if err > worst {
                worst = err;
                worst_at = format!("{name} of {} at t = {t:?}", CASES[i].0);
            }
            assert!(
                err <= TOLERANCE,
                "{} on {}: {name} at t = {t:?}: python {a:?}, fcorr {b:?} (relative error {err:.2e})",
                CASES[i].0,
                CASES[i].1.name(),
            );
        }
    }
    eprintln!(
        "emitted numpy agrees with fcorr: {compared} values, max relative error {worst:.2e} ({worst_at})"
    );
}

#[test]
fn model_minus_target_is_the_reflected_loss() {
    let written = pair("exp(t) - t - 1", Residual::ModelMinusTarget);
    let reflected = pair("exp(-t) + t - 1", Residual::TargetMinusModel);
    for t in [-2.0, -1e-3, 0.5, 3.0] {
        assert_eq!(expected(&written, t), expected(&reflected, t));
    }
    let code = emit(&written, Backend::Numpy).unwrap();
    assert!(code.contains("r = log_p - log_q"));
    assert!(!code.contains("t = log_q - log_p\n    return np.expm1(t) - t"));
}

#[test]
fn numeric_generator_still_emits_loss() {
    let code = emit(
        &pair("log(1 + t^2)", Residual::TargetMinusModel),
        Backend::Torch,
    )
    .unwrap();
    assert!(code.contains("def loss(log_q, log_p):"));
    assert!(code.contains("def grad_weight(log_q, log_p):"));
    assert!(code.contains("def reward(log_q, log_p):"));
    assert!(code.contains("f is numeric"));
}

#[test]
fn torch_and_jax_use_no_numpy() {
    for g in [
        "t^2/2",
        "exp(t) - t - 1",
        "softplus(t) - t/2 - log(2)",
        "pi*t^2",
        "-Li2(-exp(t)) - pi^2/12",
        "lambertw(exp(t)) - lambertw(1)",
        "max(t, 0)^2 + min(t, 1)",
        "lowergamma(3/2, t) + lowergamma(5/2, t/2)",
    ] {
        for b in [Backend::Torch, Backend::Jax] {
            let code = emit(&pair(g, Residual::TargetMinusModel), b).unwrap();
            assert!(
                !code.replace("jnp.", "").contains("np."),
                "{g} {b:?}:\n{code}"
            );
        }
    }
}

#[test]
fn numpy_t_squared_snapshot() {
    insta::assert_snapshot!(
        emit(&pair("t^2", Residual::TargetMinusModel), Backend::Numpy).unwrap()
    );
}

#[test]
fn torch_linex_model_minus_target_snapshot() {
    insta::assert_snapshot!(
        emit(
            &pair("exp(t) - t - 1", Residual::ModelMinusTarget),
            Backend::Torch
        )
        .unwrap()
    );
}

/// Losses with the special functions and `min`/`max`, emitted as NumPy and run at t from −40
/// to 40: `loss` and `grad_weight` agree with fcorr's compiled values.
#[test]
fn emitted_special_functions_agree_with_fcorr() {
    if !numpy_available() {
        return;
    }
    let ts = [-40.0, -5.0, -1.0, -1e-3, 0.0, 0.7, 1.0, 3.0, 30.0, 40.0];
    for loss in [
        "-Li2(-exp(t)) - pi^2/12",
        "dilog(-exp(-t)) + t",
        "lambertw(exp(t)) - lambertw(1)",
        "lambertw(t^2 - exp(-1)/2)",
        "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)",
        "max(t, 0)^2 + min(t, 1)",
        "lowergamma(3/2, t) + lowergamma(5/2, t/2)",
    ] {
        let p = pair(loss, Residual::TargetMinusModel);
        let code = emit(&p, Backend::Numpy).unwrap();
        let script = format!(
            "t = np.array([{}])\nz = np.zeros_like(t)\n\
             for a, b in zip(emitted.loss(t, z), emitted.grad_weight(t, z)):\n\
             \x20   print(repr(float(a)), repr(float(b)))\n",
            ts.map(|t| format!("{t:?}")).join(", ")
        );
        let stdout = support::run_with_module(&code, &script, "the emitted module");
        let gp = p.loss_derivative.clone().unwrap();
        for (line, t) in stdout.lines().zip(ts) {
            let got: Vec<f64> = line.split(' ').map(|s| s.parse().unwrap()).collect();
            let (g, w, _) = expected(&p, t);
            let sides = [
                ("loss", got[0], g, p.loss.as_ref().unwrap()),
                ("grad_weight", got[1], w, &gp),
            ];
            for (name, a, b, e) in sides {
                let err = relative_error(a, b);
                // Where the terms cancel (`g(0) = 0` from `Li2(−1) + π²/12`), fcorr's own
                // value is only as good as the rounding of its terms.
                let rounding = 4.0 * f64::EPSILON * terms_size(e, t);
                assert!(
                    err <= 1e-12 || (a - b).abs() <= rounding,
                    "{loss}: {name} at t = {t}: python {a:?}, fcorr {b:?} ({err:.1e})"
                );
            }
        }
    }
}

/// The emitted `_li2` and `_lambertw` against the 30-digit references: within 1e-15
/// relative in float64 at every reference point; in float32, at every reference point
/// rounded to float32, within 1e-6 of the float64 helper at the same input (W away from the
/// branch point, `x + 1/e ≥ 1e-3`: −1/e is not a float32 and W is ill-conditioned there).
#[test]
fn emitted_helpers_match_the_references_in_float64_and_float32() {
    if !numpy_available() {
        return;
    }
    let code = emit(
        &pair(
            "Li2(-exp(t)) + lambertw(exp(t))",
            Residual::TargetMinusModel,
        ),
        Backend::Numpy,
    )
    .unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/special");
    let script = format!(
        "import os\n\
         for name, f in [('li2', emitted._li2), ('lambertw', emitted._lambertw)]:\n\
         \x20   rows = [l.split() for l in open(os.path.join({fixtures:?}, name + '.txt')) if not l.startswith('#')]\n\
         \x20   x = np.array([float(r[0]) for r in rows])\n\
         \x20   want = np.array([float(r[1]) for r in rows])\n\
         \x20   with np.errstate(all='ignore'):\n\
         \x20       got = f(x)\n\
         \x20       rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-300)\n\
         \x20       print(name, 'f64', len(x), repr(float(np.max(rel))), repr(float(x[np.argmax(rel)])))\n\
         \x20       x32 = x.astype(np.float32)\n\
         \x20       keep = np.isfinite(x32) & (np.abs(x32) >= np.finfo(np.float32).tiny)\n\
         \x20       if name == 'lambertw':\n\
         \x20           keep &= x32.astype(np.float64) + 0.36787944117144233 >= 1e-3\n\
         \x20       x32 = x32[keep]\n\
         \x20       got32 = f(x32)\n\
         \x20       assert got32.dtype == np.float32, got32.dtype\n\
         \x20       want32 = f(x32.astype(np.float64))\n\
         \x20       rel32 = np.abs(got32.astype(np.float64) - want32) / np.maximum(np.abs(want32), 1e-30)\n\
         \x20       print(name, 'f32', len(x32), repr(float(np.max(rel32))), repr(float(x32[np.argmax(rel32)])))\n"
    );
    let stdout = support::run_with_module(&code, &script, "the emitted module");
    let mut lines = 0;
    for line in stdout.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let (count, worst): (usize, f64) = (f[2].parse().unwrap(), f[3].parse().unwrap());
        let limit = if f[1] == "f64" { 1e-15 } else { 1e-6 };
        assert!(count > 100, "{line}: too few points");
        assert!(
            worst <= limit,
            "{} in {}: relative error {worst:e} at x = {}",
            f[0],
            f[1],
            f[4]
        );
        eprintln!("{line}");
        lines += 1;
    }
    assert_eq!(lines, 4, "{stdout}");
}

/// The emitted `_lowergamma` against the 30-digit references: within 1e-14 relative in
/// float64 at every reference point where the value is a normal float64; in float32, at every
/// reference point rounded to float32 where the float64 helper's value at the same input lies
/// in [1e-30, 1e30], within 1e-5 of it (a float32 sum of up to a hundred terms).
#[test]
fn emitted_lowergamma_matches_the_references_in_float64_and_float32() {
    if !numpy_available() {
        return;
    }
    let code = emit(
        &pair("lowergamma(3/2, t)", Residual::TargetMinusModel),
        Backend::Numpy,
    )
    .unwrap();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/special/lowergamma.txt"
    );
    let script = format!(
        "rows = [l.split() for l in open({fixture:?}) if not l.startswith('#')]\n\
         worst, worst32, n, n32 = (0.0, 0, 0), (0.0, 0, 0), 0, 0\n\
         for p in sorted(set(float(r[0]) for r in rows)):\n\
         \x20   x = np.array([float(r[1]) for r in rows if float(r[0]) == p])\n\
         \x20   want = np.array([float(r[2]) for r in rows if float(r[0]) == p])\n\
         \x20   with np.errstate(all='ignore'):\n\
         \x20       got = emitted._lowergamma(p, x)\n\
         \x20       assert not np.isnan(got).any(), (p, x[np.isnan(got)])\n\
         \x20       inf = np.isinf(want)\n\
         \x20       assert np.all(got[inf] == want[inf]), (p, x[inf], got[inf])\n\
         \x20       keep = ~inf & (np.abs(want) >= np.finfo(np.float64).tiny)\n\
         \x20       rel = np.abs(got[keep] - want[keep]) / np.abs(want[keep])\n\
         \x20       n += len(rel)\n\
         \x20       i = np.argmax(rel)\n\
         \x20       worst = max(worst, (float(rel[i]), p, float(x[keep][i])))\n\
         \x20       x32 = x.astype(np.float32)\n\
         \x20       got32 = emitted._lowergamma(p, x32)\n\
         \x20       assert got32.dtype == np.float32, got32.dtype\n\
         \x20       want32 = emitted._lowergamma(p, x32.astype(np.float64))\n\
         \x20       inside = np.abs(want32) <= np.finfo(np.float32).max\n\
         \x20       assert not np.isnan(got32[inside]).any(), (p, x32[inside & np.isnan(got32)])\n\
         \x20       keep = (np.abs(want32) >= 1e-30) & (np.abs(want32) <= 1e30)\n\
         \x20       rel32 = np.abs(got32[keep].astype(np.float64) - want32[keep]) / np.abs(want32[keep])\n\
         \x20       n32 += len(rel32)\n\
         \x20       if len(rel32):\n\
         \x20           j = np.argmax(rel32)\n\
         \x20           worst32 = max(worst32, (float(rel32[j]), p, float(x32[keep][j])))\n\
         print('f64', n, *worst)\n\
         print('f32', n32, *worst32)\n"
    );
    let stdout = support::run_with_module(&code, &script, "the emitted module");
    let mut lines = 0;
    for line in stdout.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let (count, worst): (usize, f64) = (f[1].parse().unwrap(), f[2].parse().unwrap());
        let limit = if f[0] == "f64" { 1e-14 } else { 1e-5 };
        assert!(count > 1000, "{line}: too few points");
        assert!(
            worst <= limit,
            "lowergamma in {}: relative error {worst:e} at p = {}, x = {}",
            f[0],
            f[3],
            f[4]
        );
        eprintln!("{line}");
        lines += 1;
    }
    assert_eq!(lines, 2, "{stdout}");
}

#[test]
fn torch_special_functions_snapshot() {
    insta::assert_snapshot!(
        emit(
            &pair(
                "-Li2(-exp(t)) - pi^2/12 + max(t, 0)",
                Residual::TargetMinusModel
            ),
            Backend::Torch
        )
        .unwrap()
    );
}

/// Losses whose naive form cancels near `t = 0` or overflows at large `|t|`, with the residuals
/// each is checked at (`float32` overflows `cosh` at `|t| ≈ 89`, `float64` at `|t| ≈ 710`).
const STABLE_CASES: [(&str, &[f64]); 9] = [
    (
        "log(cosh(t))",
        &[1e-4, -0.3, 0.99, 1.01, 30.0, 95.0, -800.0, 800.0],
    ),
    (
        "softplus(t) - log(2) - t/2",
        &[1e-4, -0.3, 1.5, 30.0, 200.0, -800.0],
    ),
    ("sqrt(1 + t^2) - 1", &[1e-4, -0.3, 3.0, 1e4]),
    ("cosh(t) - 1", &[1e-4, -0.3, 3.0, 50.0]),
    ("1 - cos(t)", &[1e-4, -0.3, 3.0, 50.0]),
    ("t - sin(t)", &[1e-4, -0.3, 0.999, 1.001, -7.0]),
    ("exp(t) - t - 1", &[1e-4, -0.3, 3.0, 50.0]),
    ("1 - sigmoid(t)", &[1e-4, -0.3, 20.0, 80.0, -800.0, 800.0]),
    ("1 - tanh(t)^2", &[1e-4, -0.3, 10.0, 40.0, -800.0, 800.0]),
];

/// The emitted NumPy `loss` of each stable case is finite and agrees with fcorr's `f64` value
/// at the same residual to 1e-5 relative in `float32` and to 1e-12 in `float64`, from `t = 1e-4`
/// (where the naive forms lose every `float32` digit) to `|t| = 800` (where they overflow).
#[test]
fn emitted_stable_forms_hold_in_float32_and_float64() {
    if !numpy_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("fcorr-emit-stable-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut script = format!(
        "import importlib, sys\nimport numpy as np\nsys.path.insert(0, {:?})\n",
        dir.to_string_lossy()
    );
    for (i, (g, ts)) in STABLE_CASES.iter().enumerate() {
        let code = emit(&pair(g, Residual::TargetMinusModel), Backend::Numpy).unwrap();
        std::fs::write(dir.join(format!("stable_{i}.py")), code).unwrap();
        let ts = ts
            .iter()
            .map(|t| format!("{t:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        script.push_str(&format!(
            "m = importlib.import_module('stable_{i}')\n\
             for dt in (np.float32, np.float64):\n\
             \x20   t = np.array([{ts}], dtype=dt)\n\
             \x20   with np.errstate(over='raise', invalid='raise', divide='raise'):\n\
             \x20       v = m.loss(t, np.zeros_like(t))\n\
             \x20   assert v.dtype == dt, (v.dtype, dt)\n\
             \x20   for x, y in zip(t, v):\n\
             \x20       print({i}, np.dtype(dt).itemsize, repr(float(x)), repr(float(y)))\n"
        ));
    }
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "python3 failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut compared = 0;
    for line in stdout.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (i, bytes): (usize, usize) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        let (t, got): (f64, f64) = (f[2].parse().unwrap(), f[3].parse().unwrap());
        let g = parse(STABLE_CASES[i].0).unwrap();
        let want = compile(&fcorr::simplify::simplify(&g).unwrap(), "t", &Params::new())
            .unwrap()
            .eval(t);
        let tolerance = if bytes == 4 { 1e-5 } else { 1e-12 };
        let err = relative_error(got, want);
        assert!(
            got.is_finite() && err <= tolerance,
            "{} in float{} at t = {t:?}: python {got:?}, fcorr {want:?} (relative error {err:.1e})",
            STABLE_CASES[i].0,
            bytes * 8
        );
        compared += 1;
    }
    let expected: usize = STABLE_CASES.iter().map(|(_, ts)| 2 * ts.len()).sum();
    assert_eq!(compared, expected, "{stdout}");
}

/// With the model-minus-target residual, the module docstring names the loss on that residual,
/// `G(r)`: as written for a loss, the derived loss reflected, `G(r) = g(−r)`, for a generator —
/// the same `G(r)` as the loss function's docstring and the report, never the generator `f(u)`.
#[test]
fn the_module_docstring_names_the_loss_on_r_not_the_generator() {
    for divergence in ["kl", "hellinger", "js"] {
        let (code, json) = support::run(&[
            "--from-divergence",
            divergence,
            "--residual",
            "model-minus-target",
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{json}");
        let j: serde_json::Value = serde_json::from_str(&json).unwrap();
        let big_g = j["model_minus_target"]["loss"].as_str().unwrap();
        assert!(!big_g.contains('u'), "{big_g}");
        for backend in ["numpy", "torch", "jax"] {
            let (code, py) = support::run(&[
                "--from-divergence",
                divergence,
                "--residual",
                "model-minus-target",
                "--emit",
                backend,
            ]);
            assert_eq!(code, 0, "{py}");
            assert!(
                py.contains(&format!(
                    "Residual: the derived loss on r = log pθ − log q is G(r) = g(−r) = {big_g}\n"
                )),
                "{divergence} {backend}: {py}"
            );
            assert!(
                py.contains(&format!("Per-sample loss G(r) = {big_g} at r")),
                "{divergence} {backend}: {py}"
            );
        }
    }
}
