//! The way in: text or catalog names in, typed values out.
//!
//! The stage modules (`parse`, `transform`, `analysis`, …) stay public for those who need a
//! single step; a program that wants "what does this loss train?" needs only the functions here:
//! [`from_loss`], [`from_divergence`], [`check`] and [`verify_fn`] (a loss written as code), with
//! one [`Options`]. Every function returns an [`Error`] a program can match ([`Error::kind`]), and
//! [`render_error`] gives the diagnostic the command line prints.

use crate::Error;
use crate::analysis::Analysis;
use crate::analysis::claim::Claim;
use crate::check::{CheckOptions, Regime, Verdict};
use crate::expr::{DIVERGENCE_VAR, LOSS_VAR};
use crate::params::{Bound, Subject};
use crate::report::{GradientSummary, Report};
use crate::transform::{Correspondence, Point, Residual};

/// What every entry point of the facade takes: the residual, the parameters, an optional
/// training regime and the points at which to evaluate the derived side.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// The residual the loss is written on (default `t = log q − log pθ`).
    pub residual: Residual,
    /// Parameter values as typed, `NAME=VALUE` (exact: `alpha=1/2`).
    pub params: Vec<String>,
    /// A training regime to derive and prove as well (Hu et al. 2025, Thm B.1).
    pub regime: Option<Regime>,
    /// Points at which to evaluate the derived side (`u` for `f`, `t` for `g`).
    pub points: Vec<f64>,
    /// Assumptions on a family's parameter as typed (`a > 0`, `a integer`), for
    /// [`family_from_loss`] and [`family_from_divergence`].
    pub assumptions: Vec<String>,
}

impl Options {
    /// The options with the residual `residual`.
    pub fn residual(mut self, residual: Residual) -> Options {
        self.residual = residual;
        self
    }

    /// The options with one more parameter value, `NAME=VALUE`.
    pub fn param(mut self, assignment: impl Into<String>) -> Options {
        self.params.push(assignment.into());
        self
    }

    /// The options with the derived side evaluated at `points`.
    pub fn points(mut self, points: &[f64]) -> Options {
        self.points = points.to_vec();
        self
    }

    /// The options with the regime `regime` derived as well.
    pub fn regime(mut self, regime: Regime) -> Options {
        self.regime = Some(regime);
        self
    }

    /// The options with one more assumption on a family's parameter (`a > 0`).
    pub fn assume(mut self, assumption: impl Into<String>) -> Options {
        self.assumptions.push(assumption.into());
        self
    }
}

/// A derived pair with everything fcorr says about it: the values asked for, the gradient
/// check, the analysis and the parameters used.
#[derive(Clone, Debug, PartialEq)]
pub struct Derivation {
    /// The loss `g(t)` and the generator `f(u)`.
    pub pair: Correspondence,
    /// The derived side at [`Options::points`], each a value or why it is refused.
    pub values: Vec<Point>,
    /// The gradient theorem `∇θ E_pθ[g(t)] = ∇θ D_f(q‖pθ)` on random softmax models.
    /// (Or why it could not be computed: a value of the loss or generator that is not finite
    /// on a model.)
    pub gradient: crate::analysis::Outcome<GradientSummary>,
    /// Normalisation, identification, reward, class, regime, tails, convexity, conjugate.
    pub analysis: Analysis,
    /// The parameter values used, given or a catalog entry's defaults.
    pub parameters: Vec<Bound>,
}

impl Derivation {
    /// Whether the gradient check proves the pair.
    pub fn holds(&self) -> bool {
        self.gradient
            .as_ref()
            .is_ok_and(|g| g.verdict == Verdict::Holds)
    }

    /// `f(u)` in plain text, or `None` when it has no closed form.
    pub fn f(&self) -> Option<String> {
        self.pair.divergence.as_ref().map(crate::print::plain)
    }

    /// `g(t)` on `t = log q − log pθ` in plain text, or `None` when it has no closed form.
    pub fn g(&self) -> Option<String> {
        self.pair.loss.as_ref().map(crate::print::plain)
    }

    /// The named divergences `f` is, up to the class and a positive scale (catalog keys).
    pub fn identified(&self) -> Vec<&'static str> {
        self.analysis
            .identified
            .as_ref()
            .map_or_else(|_| Vec::new(), |ids| ids.iter().map(|i| i.key).collect())
    }

    /// `f` at the points `us` (each `u > 0`); a refused value (a numeric side out of its
    /// trusted range) is `NaN`.
    pub fn f_at(&self, us: &[f64]) -> Result<Vec<f64>, Error> {
        side_at(&self.pair, us, true)
    }

    /// `g` at the points `ts`, on `t = log q − log pθ`; a refused value is `NaN`.
    pub fn g_at(&self, ts: &[f64]) -> Result<Vec<f64>, Error> {
        side_at(&self.pair, ts, false)
    }

    /// The report, to render as text, JSON, LaTeX or Markdown.
    pub fn report(&self) -> Report {
        Report {
            pair: self.pair.clone(),
            values: self.values.clone(),
            gradient_check: Some(self.gradient.clone()),
            analysis: Some(self.analysis.clone()),
            parameters: self.parameters.clone(),
        }
    }

    /// Why the derivation is not a success, or `None` when it is ([`report_failure`]).
    pub fn failure(&self) -> Option<String> {
        report_failure(&self.report())
    }
}

/// Why `report` is not a success, as the command line says it, or `None` when it is: the
/// gradient check fails or is inconclusive, or every value and regime asked for was refused (one
/// refused among others is reported on its line and is no failure).
pub fn report_failure(report: &Report) -> Option<String> {
    match report.gradient_check.as_ref().map(|g| g.as_ref().map(|g| g.verdict)) {
        None | Some(Ok(Verdict::Holds)) => {}
        Some(Err(u)) => {
            return Some(format!(
                "the gradient check could not be computed: {}\n  = help: the pair is neither proved nor refuted",
                u.reason
            ));
        }
        Some(Ok(Verdict::Fails)) => return Some(
            "the gradient check failed: the derived pair does not have the same expected gradient"
                .into(),
        ),
        Some(Ok(Verdict::Inconclusive))
            if report
                .gradient_check
                .as_ref()
                .is_some_and(|g| g.as_ref().is_ok_and(|g| g.max_rel_noise == f64::INFINITY)) =>
        {
            return Some(format!(
                "the gradient check is inconclusive: {}\n  = help: the pair is neither proved nor refuted",
                crate::report::NOTHING_COMPARED
            ));
        }
        Some(Ok(Verdict::Inconclusive)) => return Some(
            "the gradient check is inconclusive: the difference is within the error of the numbers it uses\n  = help: the pair is neither proved nor refuted; the gradients are too small for the accuracy of the quadrature"
                .into(),
        ),
    }
    let regime = report.analysis.as_ref().and_then(|a| a.regime.as_ref());
    let asked = report.values.len() + usize::from(regime.is_some());
    let given = report.values.iter().filter(|v| v.is_ok()).count()
        + usize::from(regime.is_some_and(|r| r.is_ok()));
    if asked == 0 || given > 0 {
        return None;
    }
    Some(match (report.values.len(), regime) {
        (0, _) => "the regime asked for is not available".into(),
        (_, None) => "no value asked for could be given".into(),
        _ => "neither the values nor the regime asked for could be given".into(),
    })
}

fn side_at(pair: &Correspondence, xs: &[f64], divergence: bool) -> Result<Vec<f64>, Error> {
    let given = match pair.direction {
        crate::transform::Direction::FromLoss => !divergence,
        crate::transform::Direction::FromDivergence => divergence,
    };
    if !given {
        return Ok(pair
            .derived_points(xs)?
            .into_iter()
            .map(|p| p.map_or(f64::NAN, |v| v.value))
            .collect());
    }
    let (e, var) = if divergence {
        (pair.divergence.as_ref(), DIVERGENCE_VAR)
    } else {
        (pair.loss.as_ref(), LOSS_VAR)
    };
    let e = e.ok_or_else(|| {
        Error::Internal(
            "internal error: the given side of a pair has no expression; please report this".into(),
        )
    })?;
    let program = crate::eval::compile(e, var, &crate::eval::Params::new())?;
    if divergence && let Some(bad) = xs.iter().find(|u| u.is_nan() || **u <= 0.0) {
        return Err(Error::OutOfDomain(format!(
            "u = {} is outside the domain u > 0 (u is the ratio q/pθ)",
            crate::report::short(*bad)
        )));
    }
    Ok(xs.iter().map(|x| program.eval(*x)).collect())
}

/// Derive the divergence generator `f(u)` that the loss `text` trains (an expression in `t`
/// or a catalog name such as `linex`), with its gradient check and analysis.
///
/// ```
/// let d = fcorr::from_loss("t^2", &fcorr::Options::default())?;
/// assert_eq!(d.f().as_deref(), Some("2*u - 2 - 2*log(u)"));
/// assert!(d.holds());
/// assert_eq!(d.identified(), ["reverse-kl"]);
/// # Ok::<(), fcorr::Error>(())
/// ```
pub fn from_loss(text: &str, options: &Options) -> Result<Derivation, Error> {
    derive(
        Subject::loss(text)?.on_residual(options.residual),
        true,
        options,
    )
}

/// Derive the loss `g(t)` that trains the divergence generator `text` (an expression in `u`
/// or a catalog name such as `hellinger`).
///
/// ```
/// let o = fcorr::Options::default().param("alpha=1/2");
/// let d = fcorr::from_divergence("alpha", &o)?;
/// assert_eq!(d.g().as_deref(), Some("4*exp(t/2) - 2*t - 4"));
/// assert_eq!(d.parameters[0].value, "1/2");
/// # Ok::<(), fcorr::Error>(())
/// ```
pub fn from_divergence(text: &str, options: &Options) -> Result<Derivation, Error> {
    derive(Subject::divergence(text)?, false, options)
}

fn derive(subject: Subject, loss: bool, options: &Options) -> Result<Derivation, Error> {
    // The analysis shares its parts with a second thread, started while the pair is derived.
    crate::analysis::prepare_threads();
    let resolved = crate::params::bind(&subject, &[LOSS_VAR, DIVERGENCE_VAR], &options.params)?;
    let pair = if loss {
        crate::transform::from_loss(&subject.expr, options.residual, &resolved.bindings)
    } else {
        crate::transform::from_divergence(&subject.expr, options.residual, &resolved.bindings)
    }?;
    let opts = CheckOptions::default();
    // The values and the gradient check run alongside the analysis; a refused point is
    // reported first.
    let (analysis, (values, gradient)) =
        crate::analysis::analyze_alongside(&pair, &opts, options.regime, || {
            let values = pair.derived_points(&options.points);
            let gradient = pair
                .gradient_check(&opts)
                .map(|c| GradientSummary::of(&pair, &c))
                .map_err(Into::into);
            (values, gradient)
        });
    let values = values?;
    let analysis = analysis?;
    Ok(Derivation {
        pair,
        values,
        gradient,
        analysis,
        parameters: resolved.used,
    })
}

/// Derive the family of the loss `text` (an expression in `t` with one parameter left without
/// a value in [`Options::params`], or a catalog family such as `linex`): the generic pair with
/// its conditions and each special value as a case of its own
/// ([`crate::family::Family`]), under [`Options::assumptions`].
///
/// ```
/// let fam = fcorr::family_from_loss("linex", &fcorr::Options::default())?;
/// let generic = fam.generic().unwrap().pair.as_ref().unwrap();
/// assert_eq!(
///     fcorr::print::plain(generic.divergence.as_ref().unwrap()),
///     "(u^alpha - alpha*u + alpha - 1)/(alpha*(alpha - 1))"
/// );
/// assert_eq!(fam.cases.len(), 3); // generic, alpha = 0 (a limit), alpha = 1
/// # Ok::<(), fcorr::Error>(())
/// ```
pub fn family_from_loss(text: &str, options: &Options) -> Result<crate::family::Family, Error> {
    family(
        Subject::loss(text)?.on_residual(options.residual),
        crate::transform::Direction::FromLoss,
        options,
    )
}

/// Derive the family of the divergence generator `text` (an expression in `u`, or a catalog
/// family such as `alpha`), as [`family_from_loss`] does for a loss.
pub fn family_from_divergence(
    text: &str,
    options: &Options,
) -> Result<crate::family::Family, Error> {
    family(
        Subject::divergence(text)?,
        crate::transform::Direction::FromDivergence,
        options,
    )
}

fn family(
    subject: Subject,
    direction: crate::transform::Direction,
    options: &Options,
) -> Result<crate::family::Family, Error> {
    let assumptions = options
        .assumptions
        .iter()
        .map(|a| crate::family::parse_assumption(a))
        .collect::<Result<Vec<_>, _>>()?;
    crate::family::derive(
        &subject,
        direction,
        options.residual,
        &options.params,
        &assumptions,
    )
}

/// Check the claim that the loss `loss` trains the divergence `claimed` (expressions or
/// catalog names), up to the class `F = f + c·(u − 1)`.
///
/// The sign trap: Linex(1) written on the model-minus-target residual does not train the
/// forward KL.
///
/// ```
/// use fcorr::{Options, Residual, check};
/// assert!(check("exp(t) - t - 1", "kl", &Options::default())?.holds);
/// let tb = Options::default().residual(Residual::ModelMinusTarget);
/// let claim = check("exp(t) - t - 1", "kl", &tb)?;
/// assert!(!claim.holds);
/// assert_eq!(claim.derived_identified[0].key, "neyman");
/// # Ok::<(), fcorr::Error>(())
/// ```
pub fn check(loss: &str, claimed: &str, options: &Options) -> Result<Claim, Error> {
    let g = Subject::loss(loss)?.on_residual(options.residual);
    let f = Subject::divergence(claimed)?;
    crate::analysis::claim::check_claim_of(&g, &f, options.residual, &options.params)
}

/// Why a claim is not confirmed, as the command line says it, or `None` when it holds.
pub fn claim_failure(claim: &Claim) -> Option<String> {
    match claim.verdict {
        Verdict::Holds => None,
        Verdict::Fails => {
            Some("the claim does not hold: the loss does not train this divergence".into())
        }
        Verdict::Inconclusive => Some(
            "the claim check is inconclusive: the generators are not larger than the error of the numbers compared"
                .into(),
        ),
    }
}

/// The diagnostic the command line prints for `e`, raised while reading `text`: the source line
/// with a caret under the span for a parse error, `error: …` with a `= help:` line otherwise
/// (an internal error's message asks for a report).
/// Ends with a newline.
pub fn render_error(e: &Error, text: &str, color: bool) -> String {
    match e {
        Error::Parse(p) => crate::parse::render(p, text, color),
        Error::Eval(e) => with_help(e, e.help()),
        Error::Param(e) => with_help(e, e.help()),
        other => format!("error: {other}\n"),
    }
}

fn with_help(e: impl std::fmt::Display, help: Option<String>) -> String {
    match help {
        Some(help) => format!("error: {e}\n  = help: {help}\n"),
        None => format!("error: {e}\n"),
    }
}

pub use crate::verify::{Match, Verification, verify_derivative, verify_fn};

/// The gradient-noise laboratory ([`crate::variance`](mod@crate::variance)) on one softmax model: for each loss
/// (`losses`, loss texts or catalog names) and generator (`divergences`), the exact gradient of
/// `D_f(q‖pθ)`, the noise `V(c)` of the score-function estimator at `lab.shifts`, its optimal
/// shift, and with `lab.behaviour` the off-policy bias, weights, effective sample size and any
/// support mismatch. Parameters and the residual come from `options`, as for [`from_loss`].
///
/// ```
/// use fcorr::variance::{Model, Options as Lab};
/// let model = Model::new(vec![0.0, 1.0, 2.0], vec![1.0, 1.0, 2.0])?;
/// let lab = Lab { shifts: vec![0.0], ..Lab::default() };
/// let r = fcorr::variance(&["t^2", "linex"], &[], &model, &fcorr::Options::default(), &lab)?;
/// assert_eq!(r.losses.len(), 2);
/// # Ok::<(), fcorr::Error>(())
/// ```
pub fn variance(
    losses: &[&str],
    divergences: &[&str],
    model: &crate::variance::Model,
    options: &Options,
    lab: &crate::variance::Options,
) -> Result<crate::variance::Report, Error> {
    let mut subjects = Vec::new();
    for text in losses {
        subjects.push((
            Subject::loss(text)?.on_residual(options.residual),
            *text,
            true,
        ));
    }
    for text in divergences {
        subjects.push((Subject::divergence(text)?, *text, false));
    }
    let refs: Vec<&Subject> = subjects.iter().map(|(s, _, _)| s).collect();
    let resolved = crate::params::bind_each(&refs, &[LOSS_VAR, DIVERGENCE_VAR], &options.params)?;
    let mut inputs = Vec::with_capacity(subjects.len());
    for ((subject, text, loss), r) in subjects.iter().zip(resolved) {
        let pair = if *loss {
            crate::transform::from_loss(&subject.expr, options.residual, &r.bindings)
        } else {
            crate::transform::from_divergence(&subject.expr, options.residual, &r.bindings)
        }?;
        inputs.push(crate::variance::Input {
            label: (*text).to_string(),
            pair,
        });
    }
    crate::variance::variance(&inputs, model, "given".to_string(), lab)
}
