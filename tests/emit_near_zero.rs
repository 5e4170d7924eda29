//! Emitted code near `t = 0` where the stable forms still cancel: Jensen–Shannon
//! (`−π²/12 − Li2(−e^t)`), Le Cam and triangular discrimination (softplus and sigmoid beside
//! constants). Their `loss` and `grad_weight` are emitted with a Taylor branch below a switch each;
//! run with NumPy in `float32` and `float64` at `t = ±1e-8, ±1e-4, ±0.01`, on both sides of the
//! switch and far out, they agree with 40-digit mpmath values to 1e-5 relative in `float32`
//! and 1e-12 in `float64`, and keep the input's precision. Without python3, NumPy or mpmath
//! the test says so on stderr and returns.

use fcorr::emit::{Backend, emit};
use fcorr::parse::parse;
use fcorr::transform::{Bindings, Residual, from_divergence};
mod support;
use std::process::Command;

/// Catalog key, the loss fcorr derives (checked), and that loss for mpmath in `t`.
const CASES: [(&str, &str, &str); 3] = [
    (
        "js",
        "-t*log(2) - pi^2/12 - Li2(-exp(t))",
        "-t*mp.log(2) - mp.pi**2/12 - mp.polylog(2, -mp.exp(t))",
    ),
    (
        "le-cam",
        "-t/2 + 2*softplus(t) + 2*sigmoid(-t) - 1 - 2*log(2)",
        "-t/2 + 2*mp.log(1 + mp.exp(t)) + 2/(1 + mp.exp(t)) - 1 - 2*mp.log(2)",
    ),
    (
        "triangular",
        "-t + 4*softplus(t) + 4*sigmoid(-t) - 2 - 4*log(2)",
        "-t + 4*mp.log(1 + mp.exp(t)) + 4/(1 + mp.exp(t)) - 2 - 4*mp.log(2)",
    ),
];

fn python_with(modules: &str) -> bool {
    match Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output()
    {
        Ok(out) if out.status.success() => true,
        _ => {
            eprintln!("skipped: python3 with {modules} is not available");
            false
        }
    }
}

/// The switches of the emitted code: the bound of each `np.abs(t) < B`.
fn switches(code: &str) -> Vec<f64> {
    let mut out: Vec<f64> = code
        .split("np.abs(t) < ")
        .skip(1)
        .map(|rest| rest[..rest.find(',').unwrap()].parse().unwrap())
        .collect();
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

#[test]
fn emitted_losses_hold_near_zero_in_float32_and_float64() {
    if !python_with("numpy, mpmath") {
        return;
    }
    for (key, g, g_mp) in CASES {
        let f = parse(fcorr::catalog::divergence(key).unwrap().f).unwrap();
        let pair = from_divergence(&f, Residual::TargetMinusModel, &Bindings::new()).unwrap();
        assert_eq!(
            fcorr::print::plain(pair.loss.as_ref().unwrap()),
            g,
            "the loss of {key}"
        );
        let code = emit(&pair, Backend::Numpy).unwrap();
        let edges = switches(&code)
            .into_iter()
            .flat_map(|b| [b * (1.0 - 1e-6), b * (1.0 + 1e-6)])
            .flat_map(|t| [t, -t]);
        let mut points = vec![
            1e-8, -1e-8, 1e-4, -1e-4, 0.01, -0.01, 0.3, 3.0, -3.0, 30.0, -30.0,
        ];
        points.extend(edges);
        let list: Vec<String> = points.iter().map(|t| format!("{t:?}")).collect();
        let list = list.join(", ");
        let script = format!(
            "import mpmath as mp\nmp.mp.dps = 40\n\
             g = lambda t: {g_mp}\n\
             worst = {{}}\n\
             for dt, tol in ((np.float32, 1e-5), (np.float64, 1e-12)):\n\
             \x20   t = np.array([{list}], dtype=dt)\n\
             \x20   with np.errstate(over='raise', invalid='raise', divide='raise'):\n\
             \x20       v, w = emitted.loss(t, np.zeros_like(t)), emitted.grad_weight(t, np.zeros_like(t))\n\
             \x20   assert v.dtype == dt and w.dtype == dt, (v.dtype, w.dtype, dt)\n\
             \x20   for x, a, b in zip(t, v, w):\n\
             \x20       x = mp.mpf(float(x))\n\
             \x20       for name, got, want in (('loss', a, g(x)), ('grad_weight', b, -mp.diff(g, x))):\n\
             \x20           err = float(abs(mp.mpf(float(got)) - want) / abs(want))\n\
             \x20           print(np.dtype(dt).itemsize, name, repr(float(x)), repr(float(got)), err, tol)\n"
        );
        let stdout = support::run_with_module(&code, &script, key);
        assert_eq!(stdout.lines().count(), 2 * 2 * points.len(), "{stdout}");
        for line in stdout.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (err, tol): (f64, f64) = (f[4].parse().unwrap(), f[5].parse().unwrap());
            assert!(
                err <= tol,
                "{key}: {} in float{} at t = {}: {} (relative error {err:.1e} > {tol:.0e})",
                f[1],
                f[0].parse::<usize>().unwrap() * 8,
                f[2],
                f[3]
            );
        }
    }
}

/// Huber's `g'` is `abs(t + delta)/2 - abs(t - delta)/2`, whose terms cancel near `t = 0`
/// (`float32` lost every digit of `t = 1e-8`): it is emitted as the library's clip, so
/// `grad_weight = −g'` and `reward = g'` are exact in `float32` and `float64`, at both sides of
/// each kink and far out, for `delta` = 1, 2 and 1/2.
#[test]
fn emitted_huber_weight_is_exact_near_zero() {
    if !python_with("numpy") {
        return;
    }
    for (delta, d) in [("1", 1.0), ("2", 2.0), ("1/2", 0.5)] {
        let mut b = Bindings::new();
        b.set_from_str(&format!("delta={delta}")).unwrap();
        let g = fcorr::catalog::loss("huber").unwrap().loss(&b).unwrap();
        let pair = fcorr::transform::from_loss(&g, Residual::TargetMinusModel, &b).unwrap();
        let code = emit(&pair, Backend::Numpy).unwrap();
        let script = format!(
            "d = {d:?}\n\
             pts = [1e-30, 1e-8, 1e-4, 0.3, d * (1 - 1e-6), d, d * (1 + 1e-6), 3.0, 1e6]\n\
             pts = pts + [-x for x in pts] + [0.0]\n\
             for dt in (np.float32, np.float64):\n\
             \x20   t = np.array(pts, dtype=dt)\n\
             \x20   z = np.zeros_like(t)\n\
             \x20   w, r = emitted.grad_weight(t, z), emitted.reward(t, z)\n\
             \x20   assert w.dtype == dt and r.dtype == dt, (w.dtype, r.dtype)\n\
             \x20   for x, a, b in zip(t, w, r):\n\
             \x20       x = float(x)\n\
             \x20       gp = float(dt(d)) if x > d else (-float(dt(d)) if x < -d else x)\n\
             \x20       assert float(a) == -gp and float(b) == gp, (dt, x, float(a), float(b), gp)\n\
             print('ok')\n"
        );
        let stdout = support::run_with_module(&code, &script, &format!("delta = {delta}:\n{code}"));
        assert_eq!(stdout.trim(), "ok", "delta = {delta}:\n{code}");
        assert!(code.contains("np.clip(t, "), "delta = {delta}:\n{code}");
    }
}
