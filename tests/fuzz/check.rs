//! One fuzz case: every stage on one input, and the differential checks against the oracle.
//!
//! A value is compared only where it is *well-conditioned*: evaluated at 64 bits with a
//! relative error of `±2⁻⁵²` injected at every node (a model of `f64` rounding, two draws), it
//! moves by at most 1e-8 from its 128-bit value, and moving the point by 2⁻⁵⁰ relative moves
//! it by at most 2⁻⁵⁰·1e6 (a condition number of at most a million). The compiled value must
//! then agree with the 128-bit value to `1e-13 + 16·(noise error) + (condition)·2⁻⁵²`: no
//! worse than the form itself allows. Elsewhere the compiled evaluator may lose digits (the
//! README's accuracy contract says so), and the value counts as skipped, never as passed.
//! Likewise a value printed where the reference is undefined is a failure unless the point's
//! side of the domain's edge changes under that noise (rounding decides it there). A case is a
//! hang when it takes more than [`HANG`] of its thread's CPU time, whatever the load.

use super::generate::{PARAMS, Var};
use super::oracle::{Oracle, Point, relative_difference, to_f64};
use astro_float::{BigFloat, RoundingMode};
use fcorr::eval::{Params, compile};
use fcorr::expr::Expr;
use fcorr::simplify::{MathErrorKind, simplify};
use std::time::{Duration, Instant};

const RM: RoundingMode = RoundingMode::ToEven;
/// The precision of the reference values.
pub const HIGH: usize = 128;
/// The precision of the noisy evaluations that measure conditioning.
pub const LOW: usize = 64;
/// The largest noise error (see [`Reference`]) of a compared value.
const CONDITIONED: f64 = 1e-8;
/// Largest condition number `|x·f'(x)/f(x)|` of a compared value.
const MAX_CONDITION: f64 = 1e6;
/// A case that takes more of its thread's CPU time than this is a hang.
pub const HANG: Duration = Duration::from_secs(2);

/// The CPU time the calling thread has used (`CLOCK_THREAD_CPUTIME_ID`), so that a verdict of
/// "hang" does not depend on how busy the machine is; the wall clock where there is none.
pub fn thread_time() -> Duration {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec and the clock id is a constant of libc.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32);
        }
    }
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// What went wrong, with the input that shows it.
#[derive(Clone, Debug)]
pub struct Failure {
    pub kind: &'static str,
    pub input: String,
    pub detail: String,
}

/// Counts over a run.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub cases: u64,
    pub parse_errors: u64,
    pub undefined_everywhere: u64,
    pub work_limits: u64,
    pub simplify_compared: u64,
    pub diff_compared: u64,
    pub eval_compared: u64,
    pub ill_conditioned: u64,
    pub refused_finite: u64,
    pub pipelines: u64,
    /// Runs of the binary whose exit code was checked.
    pub cli_runs: u64,
    pub panics: u64,
    pub hangs: u64,
    pub slowest: Duration,
    pub failures: Vec<Failure>,
    /// The inputs of the hangs.
    pub slow_inputs: Vec<String>,
    /// Failures beyond the first 50 kept.
    pub more_failures: u64,
}

impl Tally {
    pub fn merge(&mut self, o: Tally) {
        self.cases += o.cases;
        self.parse_errors += o.parse_errors;
        self.undefined_everywhere += o.undefined_everywhere;
        self.work_limits += o.work_limits;
        self.simplify_compared += o.simplify_compared;
        self.diff_compared += o.diff_compared;
        self.eval_compared += o.eval_compared;
        self.ill_conditioned += o.ill_conditioned;
        self.refused_finite += o.refused_finite;
        self.pipelines += o.pipelines;
        self.cli_runs += o.cli_runs;
        self.panics += o.panics;
        self.hangs += o.hangs;
        self.slowest = self.slowest.max(o.slowest);
        self.more_failures += o.more_failures;
        self.slow_inputs.extend(o.slow_inputs);
        for f in o.failures {
            self.fail(f);
        }
    }

    pub fn fail(&mut self, f: Failure) {
        if self.failures.len() < 50 {
            self.failures.push(f);
        } else {
            self.more_failures += 1;
        }
    }

    pub fn failure_count(&self) -> u64 {
        self.failures.len() as u64 + self.more_failures
    }

    pub fn summary(&self) -> String {
        format!(
            "{} cases: {} parse errors, {} undefined everywhere, {} work limits; compared {} \
             simplifications, {} derivatives, {} f64 values ({} ill-conditioned skipped, {} \
             finite values refused); {} whole pipelines, {} runs of the binary; {} panics, {} hangs (> 2 s CPU), slowest \
             case {:.0} ms; {} failures",
            self.cases,
            self.parse_errors,
            self.undefined_everywhere,
            self.work_limits,
            self.simplify_compared,
            self.diff_compared,
            self.eval_compared,
            self.ill_conditioned,
            self.refused_finite,
            self.pipelines,
            self.cli_runs,
            self.panics,
            self.hangs,
            self.slowest.as_secs_f64() * 1e3,
            self.failure_count(),
        )
    }
}

/// The two oracles a thread uses.
pub struct Oracles {
    pub high: Oracle,
    pub low: Oracle,
    /// 1024 bits, for a second look at a reference of exactly 0.
    pub extra: Oracle,
}

impl Oracles {
    pub fn new() -> Oracles {
        Oracles {
            high: Oracle::new(HIGH),
            low: Oracle::new(LOW),
            extra: Oracle::new(1024),
        }
    }
}

fn params() -> Vec<(&'static str, f64)> {
    PARAMS.iter().map(|(n, _, v)| (*n, *v)).collect()
}

/// The expression with every parameter replaced by its exact value.
pub fn bound(e: &Expr) -> Expr {
    let mut out = e.clone();
    for (n, _, v) in PARAMS {
        let exact = num_rational::BigRational::from_float(v).expect("finite");
        out = out.substitute(n, &Expr::Num(exact));
    }
    out
}

/// A value of the oracle with its conditioning.
struct Reference {
    value: BigFloat,
    /// The largest relative change of the value under two draws of `f64`-sized rounding
    /// noise at every node: what an `f64` evaluation of this form can be expected to lose.
    noise_error: f64,
}

impl Reference {
    fn conditioned(&self) -> bool {
        self.noise_error <= CONDITIONED && to_f64(&self.value).is_finite()
    }
}

/// `e` at `x` from the oracles: `None` where undefined.
fn reference(o: &mut Oracles, e: &Expr, var: &str, x: &BigFloat) -> Option<Reference> {
    let ps = params();
    let at = |x: BigFloat| Point {
        var,
        x,
        params: &ps,
    };
    o.high.gave_up = false;
    let value = o.high.eval(e, &at(x.clone()));
    if o.high.gave_up {
        // No verdict: an infinite reference is compared with nothing.
        return Some(Reference {
            value: BigFloat::from_f64(f64::INFINITY, HIGH),
            noise_error: f64::INFINITY,
        });
    }
    let value = value?;
    let mut noise_error: f64 = 0.0;
    for seed in [0x5eed_u64, 0xfeed] {
        o.low
            .set_noise(Some(seed ^ x.exponent().unwrap_or(0) as u64));
        let noisy = o.low.eval(e, &at(x.clone()));
        o.low.set_noise(None);
        noise_error = noise_error.max(match noisy {
            Some(v) => relative_difference(&v, &value, HIGH),
            None => f64::INFINITY,
        });
    }
    Some(Reference { value, noise_error })
}

/// Whether `e` is defined at `x` under either draw of the noise of [`reference`].
fn noisy_defined(o: &mut Oracles, e: &Expr, var: &str, x: &BigFloat) -> bool {
    let ps = params();
    let mut defined = false;
    for seed in [0x5eed_u64, 0xfeed] {
        o.low
            .set_noise(Some(seed ^ x.exponent().unwrap_or(0) as u64));
        let at = Point {
            var,
            x: x.clone(),
            params: &ps,
        };
        defined |= o.low.eval(e, &at).is_some();
        o.low.set_noise(None);
    }
    defined
}

/// Run one case; failures and counts go to `tally`.
pub fn run(
    text: &str,
    var: Var,
    points: &[f64],
    pipeline: bool,
    o: &mut Oracles,
    tally: &mut Tally,
) {
    let start = thread_time();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut local = Tally::default();
        stages(text, var, points, pipeline, o, &mut local);
        local
    }));
    let elapsed = thread_time().saturating_sub(start);
    tally.cases += 1;
    tally.slowest = tally.slowest.max(elapsed);
    match outcome {
        Ok(local) => {
            // Printed at once, so that a run stopped early still shows what it found.
            for f in &local.failures {
                eprintln!("failure: {}: {:?} — {}", f.kind, f.input, f.detail);
            }
            tally.merge(Tally { cases: 0, ..local })
        }
        Err(_) => {
            tally.panics += 1;
            tally.fail(Failure {
                kind: "panic",
                input: text.to_string(),
                detail: String::new(),
            });
        }
    }
    if elapsed > HANG {
        // Counted, and printed with the input, but not a failure by itself: a time limit
        // belongs to the long release run, not to a debug build.
        tally.hangs += 1;
        eprintln!(
            "hang: {text:?} took {:.1} s of CPU time",
            elapsed.as_secs_f64()
        );
        tally.slow_inputs.push(text.to_string());
    }
}

fn stages(
    text: &str,
    var: Var,
    points: &[f64],
    pipeline: bool,
    o: &mut Oracles,
    tally: &mut Tally,
) {
    let fail = |tally: &mut Tally, kind: &'static str, detail: String| {
        tally.fail(Failure {
            kind,
            input: text.to_string(),
            detail,
        })
    };
    let Ok(e) = fcorr::parse::parse(text) else {
        tally.parse_errors += 1;
        return;
    };
    let _ = (fcorr::print::unicode(&e), fcorr::print::latex(&e));
    let v = var.name();
    let ps = params();
    let known = e
        .symbols()
        .iter()
        .all(|s| &**s == v || ps.iter().any(|(n, _)| *n == &**s));
    let s = match simplify(&e) {
        Ok(s) => s,
        Err(err) if err.kind == MathErrorKind::WorkLimit => {
            tally.work_limits += 1;
            return;
        }
        Err(err) => {
            tally.undefined_everywhere += 1;
            // Refused as undefined everywhere: it must be undefined wherever we look.
            if known {
                for x in points {
                    let bx = BigFloat::from_f64(*x, HIGH);
                    if let Some(r) = reference(o, &e, v, &bx) {
                        if r.conditioned() {
                            fail(
                                tally,
                                "refused a defined expression",
                                format!("{err}; value {:e} at {v} = {x:e}", to_f64(&r.value)),
                            );
                            break;
                        }
                    }
                }
            }
            return;
        }
    };
    // What is printed parses back to the same canonical form.
    for form in [&e, &s] {
        let printed = fcorr::print::plain(form);
        match fcorr::parse::parse(&printed) {
            Ok(again) if again == *form => {}
            _ => fail(tally, "print round trip", printed.clone()),
        }
    }
    let mut underivable = None;
    let d = match fcorr::diff::diff(&e, v) {
        Ok(d) => Some(d),
        Err(err) if err.kind == MathErrorKind::WorkLimit => {
            tally.work_limits += 1;
            None
        }
        Err(err) => {
            // The derivative is undefined everywhere (`(-1)^t`): checked at the points below.
            underivable = Some(err.to_string());
            None
        }
    };
    if !known {
        return;
    }
    let none = Params::new();
    let compiled = compile(&bound(&s), v, &none).ok();
    let compiled_d = d.as_ref().and_then(|d| compile(&bound(d), v, &none).ok());
    // The oracle evaluates what fcorr compiles: the parameters' exact values substituted, so
    // that `cos(pi*alpha)` at `alpha = 5/2` is the exact 0 on both sides.
    let (e, s) = (bound(&e), bound(&s));
    let d = d.as_ref().map(bound);
    for &x in points {
        let bx = BigFloat::from_f64(x, HIGH);
        let re = reference(o, &e, v, &bx);
        let rs = reference(o, &s, v, &bx);
        // simplify preserves the value and the domain
        match (&re, &rs) {
            (Some(a), Some(b)) if a.conditioned() && b.conditioned() => {
                tally.simplify_compared += 1;
                let rel = relative_difference(&a.value, &b.value, HIGH);
                if rel > 1e-25 {
                    fail(
                        tally,
                        "simplify changed the value",
                        format!("{} at {v} = {x:e}: {rel:.1e}", fcorr::print::plain(&s)),
                    );
                }
            }
            (None, Some(b)) if b.conditioned() => fail(
                tally,
                "simplify widened the domain",
                format!("{} defined at {v} = {x:e}", fcorr::print::plain(&s)),
            ),
            (Some(a), None) if a.conditioned() => fail(
                tally,
                "simplify narrowed the domain",
                format!("{} undefined at {v} = {x:e}", fcorr::print::plain(&s)),
            ),
            (Some(_), Some(_)) => tally.ill_conditioned += 1,
            _ => {}
        }
        // the compiled f64 value is right or refused
        if let (Some(c), Some(r)) = (&compiled, &rs) {
            compare_f64(c.eval(x), r, &s, v, x, o, tally, text);
        } else if let (Some(c), None) = (&compiled, &rs) {
            let y = c.eval(x);
            // `undefined` at 128 bits may be `1 + 1e-143` rounded to 1: look again at 1024.
            o.extra.gave_up = false;
            let at = Point {
                var: v,
                x: bx.clone(),
                params: &[],
            };
            let defined = o.extra.eval(&s, &at).is_some() || o.extra.gave_up;
            if y.is_finite() && !defined && noisy_defined(o, &s, v, &bx) {
                // Defined under `f64`-sized noise: the point is so close to the edge of the
                // domain that rounding decides the side (`sqrt(cos(t))` at a zero of `cos`),
                // an infinite condition number.
                tally.ill_conditioned += 1;
            } else if y.is_finite() && !defined {
                fail(
                    tally,
                    "printed a value where undefined",
                    format!("{} = {y:e} at {v} = {x:e}", fcorr::print::plain(&s)),
                );
            }
        }
        // a derivative refused as undefined everywhere has no difference quotient here
        if let (Some(err), Some(re)) = (&underivable, &re) {
            if re.conditioned() && quotients(o, &e, v, x).is_some() {
                fail(
                    tally,
                    "diff refused a differentiable expression",
                    format!("{err}; {v} = {x:e}"),
                );
            }
        }
        // the derivative agrees with a difference quotient of the oracle
        if let (Some(d), Some(re)) = (&d, &re) {
            derivative(d, &e, re, v, x, o, tally, text);
            if let (Some(c), Some(rd)) = (&compiled_d, reference(o, d, v, &bx)) {
                compare_f64(c.eval(x), &rd, d, v, x, o, tally, text);
            }
        }
    }
    if pipeline {
        whole_pipeline(&bound(&e), var);
        tally.pipelines += 1;
        for x in points {
            for args in [
                vec!["eval", text, "--at", &x.to_string()],
                vec!["diff", text],
            ] {
                tally.cli_runs += 1;
                if let Some(bad) = cli_exit(&args, &e) {
                    fail(
                        tally,
                        "bad exit code",
                        format!("fcorr {}: {bad}", args.join(" ")),
                    );
                }
            }
        }
    }
}

/// A wall-clock bound on one process of the binary (its CPU time is not this thread's).
const CLI_TIMEOUT: Duration = Duration::from_secs(20);

/// Run the binary with `args` (and `--param` for each parameter `e` uses): `None` when it
/// exits with 0, 1 or 2 in time, else what it did.
fn cli_exit(args: &[&str], e: &Expr) -> Option<String> {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_fcorr"));
    cmd.args(args);
    for (name, _, value) in PARAMS {
        if e.symbols().iter().any(|s| &**s == name) {
            cmd.args(["--param", &format!("{name}={value}")]);
        }
    }
    let mut child = match cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(err) => return Some(format!("could not start: {err}")),
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return match status.code() {
                    Some(0..=2) => None,
                    Some(c) => Some(format!("exit code {c}")),
                    None => Some("killed by a signal".into()),
                };
            }
            Ok(None) if start.elapsed() > CLI_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Some(format!("still running after {} s", CLI_TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(err) => return Some(err.to_string()),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn compare_f64(
    y: f64,
    r: &Reference,
    e: &Expr,
    v: &str,
    x: f64,
    o: &mut Oracles,
    tally: &mut Tally,
    text: &str,
) {
    let want = to_f64(&r.value);
    if !want.is_finite() {
        return;
    }
    if !y.is_finite() {
        tally.refused_finite += 1;
        return;
    }
    if want.abs() < f64::MIN_POSITIVE && y.abs() <= 4.0 * f64::MIN_POSITIVE {
        // Both in or below the subnormal range: an underflow, right.
        tally.eval_compared += 1;
        return;
    }
    if r.value.is_zero() && !r.conditioned() {
        // An exact zero from terms that cancel (`sign(t)/t - abs(t)/t^2`): f64 keeps their
        // rounding, as the accuracy contract says.
        tally.ill_conditioned += 1;
        return;
    }
    if r.value.is_zero() && y != 0.0 {
        // A zero reference may be a cancellation below 128 bits (`1 - sigmoid(103)`): look
        // again at 1024 bits.
        let ps = params();
        let at = Point {
            var: v,
            x: BigFloat::from_f64(x, HIGH),
            params: &ps,
        };
        o.extra.gave_up = false;
        match o.extra.eval(e, &at) {
            _ if o.extra.gave_up => tally.ill_conditioned += 1,
            Some(z) if !z.is_zero() => tally.ill_conditioned += 1,
            _ => tally.fail(Failure {
                kind: "f64 value wrong",
                input: text.to_string(),
                detail: format!(
                    "{} at {v} = {x:e}: f64 {y:e}, reference 0",
                    fcorr::print::plain(e)
                ),
            }),
        }
        return;
    }
    if want.abs() < f64::MIN_POSITIVE {
        // Below the normal range the correctly rounded value has few or no digits: an
        // underflow to 0 is right, anything larger is not.
        tally.eval_compared += 1;
        if y.abs() > 4.0 * f64::MIN_POSITIVE {
            tally.fail(Failure {
                kind: "f64 value wrong",
                input: text.to_string(),
                detail: format!(
                    "{} at {v} = {x:e}: f64 {y:e}, reference {want:e}",
                    fcorr::print::plain(e)
                ),
            });
        }
        return;
    }
    // The condition number from a perturbed point.
    let dx = x.abs().max(1e-300) * 2f64.powi(-50);
    let ps = params();
    o.high.gave_up = false;
    let moved = o.high.eval(
        e,
        &Point {
            var: v,
            x: BigFloat::from_f64(x + dx, HIGH),
            params: &ps,
        },
    );
    let condition = match &moved {
        Some(_) if o.high.gave_up => f64::INFINITY,
        Some(m) => relative_difference(m, &r.value, HIGH) / 2f64.powi(-50),
        None => f64::INFINITY,
    };
    if !r.conditioned() || condition > MAX_CONDITION {
        tally.ill_conditioned += 1;
        return;
    }
    tally.eval_compared += 1;
    let tolerance = 1e-13 + 16.0 * r.noise_error + condition * 2f64.powi(-52);
    let rel = relative_difference(&BigFloat::from_f64(y, HIGH), &r.value, HIGH);
    if rel > tolerance {
        tally.fail(Failure {
            kind: "f64 value wrong",
            input: text.to_string(),
            detail: format!(
                "{} at {v} = {x:e}: f64 {y:e}, reference {want:e} (relative error {rel:.1e})",
                fcorr::print::plain(e)
            ),
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn derivative(
    d: &Expr,
    e: &Expr,
    re: &Reference,
    v: &str,
    x: f64,
    o: &mut Oracles,
    tally: &mut Tally,
    text: &str,
) {
    let Some(rd) = reference(o, d, v, &BigFloat::from_f64(x, HIGH)) else {
        return;
    };
    if !re.conditioned() || !rd.conditioned() {
        tally.ill_conditioned += 1;
        return;
    }
    let Some((coarse, fine)) = quotients(o, e, v, x) else {
        return;
    };
    // Scale: the derivative, or the function's own size (a derivative that vanishes at the
    // point cannot be compared relatively).
    let scale = to_f64(&rd.value)
        .abs()
        .max(to_f64(&re.value).abs() / x.abs().max(1.0) * 1e-6)
        .max(1e-300);
    let spread = to_f64(&coarse.sub(&fine, HIGH, RM).abs());
    if spread > 1e-18 * scale {
        tally.ill_conditioned += 1;
        return;
    }
    let diff = to_f64(&fine.sub(&rd.value, HIGH, RM).abs());
    tally.diff_compared += 1;
    if diff.is_nan() || diff > 1e-18 * scale + spread {
        tally.fail(Failure {
            kind: "derivative wrong",
            input: text.to_string(),
            detail: format!(
                "d/d{v} = {} at {v} = {x:e}: symbolic {:e}, difference quotient {:e}",
                fcorr::print::plain(d),
                to_f64(&rd.value),
                to_f64(&fine)
            ),
        });
    }
}

/// Central difference quotients of `e` at `x` with steps `h` and `h/4` (in 128 bits): their
/// truncation errors differ by a factor of 16, so their agreement bounds the error of the
/// second. `None` where `e` is undefined on either side.
fn quotients(o: &mut Oracles, e: &Expr, v: &str, x: f64) -> Option<(BigFloat, BigFloat)> {
    let ps = params();
    let at = |x: BigFloat| Point {
        var: v,
        x,
        params: &ps,
    };
    let bx = BigFloat::from_f64(x, HIGH);
    o.high.gave_up = false;
    let mut quotient = |step: f64| {
        let h = BigFloat::from_f64(x.abs().max(1.0) * step, HIGH);
        let plus = o.high.eval(e, &at(bx.add(&h, HIGH, RM)))?;
        let minus = o.high.eval(e, &at(bx.sub(&h, HIGH, RM)))?;
        if o.high.gave_up {
            return None;
        }
        let two_h = h.mul(&BigFloat::from_i64(2, HIGH), HIGH, RM);
        Some(plus.sub(&minus, HIGH, RM).div(&two_h, HIGH, RM))
    };
    Some((quotient(2f64.powi(-36))?, quotient(2f64.powi(-38))?))
}

/// The transform, the gradient check, the analysis and every report format: only that they
/// return (a panic is caught by the caller).
pub fn whole_pipeline(e: &Expr, var: Var) {
    use fcorr::check::CheckOptions;
    use fcorr::transform::{Bindings, Residual, from_divergence, from_loss};
    let b = Bindings::new();
    let pair = match var {
        Var::T => from_loss(e, Residual::TargetMinusModel, &b),
        Var::U => from_divergence(e, Residual::TargetMinusModel, &b),
    };
    let Ok(pair) = pair else { return };
    let _ = pair.derived_values(&[0.5, 2.0]);
    if let Ok(a) = fcorr::analysis::analyze(&pair, &CheckOptions::default(), None) {
        let report = fcorr::report::Report {
            pair,
            values: vec![],
            gradient_check: None,
            analysis: Some(a),
            parameters: vec![],
        };
        let _ = (report.text(), report.json());
    }
}
