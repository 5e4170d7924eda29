//! The native half of the Python package `fcorr`: thin wrappers over the crate-root facade.
//! Numbers cross as lists of floats; `fcorr/__init__.py` turns them into numpy arrays.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use std::cell::RefCell;

create_exception!(
    _fcorr,
    FcorrError,
    PyException,
    "Any failure of fcorr; `str()` is the diagnostic."
);
create_exception!(
    _fcorr,
    ParseError,
    FcorrError,
    "The text is not an expression of the language."
);
create_exception!(
    _fcorr,
    ParameterError,
    FcorrError,
    "A parameter is unknown, given twice, or not a usable number."
);
create_exception!(
    _fcorr,
    UnknownParameterError,
    ParameterError,
    "A parameter is not one of the input's, is given twice, or has no value."
);
create_exception!(
    _fcorr,
    InvalidParameterError,
    ParameterError,
    "A parameter's value is not a usable number."
);
create_exception!(
    _fcorr,
    UndefinedError,
    FcorrError,
    "A value is mathematically undefined."
);
create_exception!(
    _fcorr,
    DomainError,
    FcorrError,
    "A point is outside its variable's domain."
);
create_exception!(
    _fcorr,
    NoClosedFormError,
    FcorrError,
    "A closed form is needed and there is none."
);
create_exception!(
    _fcorr,
    QuadratureError,
    FcorrError,
    "A numeric integral failed or cannot be trusted."
);
create_exception!(
    _fcorr,
    LimitError,
    FcorrError,
    "The input asks for more work than fcorr allows."
);
create_exception!(
    _fcorr,
    InputError,
    FcorrError,
    "The input is well formed but not usable here."
);
create_exception!(
    _fcorr,
    InternalError,
    FcorrError,
    "A bug in fcorr: please report it."
);

/// The exception for `e`, raised while reading `text`, with the rendered diagnostic.
fn raise(e: &fcorr::Error, text: &str) -> PyErr {
    use fcorr::ErrorKind as K;
    let msg = fcorr::render_error(e, text, false).trim_end().to_string();
    match e.kind() {
        K::Parse => ParseError::new_err(msg),
        K::UnknownParameter => UnknownParameterError::new_err(msg),
        K::InvalidParameter => InvalidParameterError::new_err(msg),
        K::Undefined => UndefinedError::new_err(msg),
        K::OutOfDomain => DomainError::new_err(msg),
        K::NoClosedForm => NoClosedFormError::new_err(msg),
        K::Quadrature => QuadratureError::new_err(msg),
        K::LimitExceeded => LimitError::new_err(msg),
        K::Internal => InternalError::new_err(msg),
        K::Input => InputError::new_err(msg),
    }
}

fn options(residual: &str, params: Vec<String>) -> PyResult<fcorr::Options> {
    let residual = match residual {
        "target-minus-model" => fcorr::Residual::TargetMinusModel,
        "model-minus-target" => fcorr::Residual::ModelMinusTarget,
        other => {
            return Err(InputError::new_err(format!(
                "error: `{other}` is not a residual\n  = help: use \"target-minus-model\" (t = log q − log pθ) or \"model-minus-target\""
            )));
        }
    };
    Ok(fcorr::Options {
        residual,
        params,
        ..fcorr::Options::default()
    })
}

/// A derived pair: the loss g(t), the generator f(u) and everything fcorr says about them.
#[pyclass(frozen, module = "fcorr")]
struct Pair {
    inner: fcorr::Derivation,
}

#[pymethods]
impl Pair {
    /// f(u) in plain text, or None when it has no closed form.
    #[getter]
    fn f(&self) -> Option<String> {
        self.inner.f()
    }
    /// g(t) on t = log q − log pθ in plain text, or None when it has no closed form.
    #[getter]
    fn g(&self) -> Option<String> {
        self.inner.g()
    }
    /// Whether both sides are closed forms.
    #[getter]
    fn closed_form(&self) -> bool {
        self.inner.pair.closed_form()
    }
    /// The catalog keys of the named divergences f equals up to the class and a positive scale.
    #[getter]
    fn identified(&self) -> Vec<&'static str> {
        self.inner.identified()
    }
    /// The constant a of each entry of `identified`: D_f = k·D_named + a.
    #[getter]
    fn identified_offset(&self) -> Vec<f64> {
        self.inner
            .analysis
            .identified
            .as_ref()
            .map_or_else(|_| Vec::new(), |ids| ids.iter().map(|i| i.offset).collect())
    }
    /// Whether the gradient check proves the pair.
    #[getter]
    fn holds(&self) -> bool {
        self.inner.holds()
    }
    fn _f_at(&self, us: Vec<f64>) -> PyResult<Vec<f64>> {
        self.inner.f_at(&us).map_err(|e| raise(&e, ""))
    }
    fn _g_at(&self, ts: Vec<f64>) -> PyResult<Vec<f64>> {
        self.inner.g_at(&ts).map_err(|e| raise(&e, ""))
    }
    fn _json(&self) -> String {
        self.inner.report().json().to_string()
    }
    fn _text(&self) -> String {
        self.inner.report().text()
    }
    fn _latex(&self) -> String {
        self.inner.report().latex()
    }
    fn _svg(&self) -> PyResult<String> {
        let input =
            fcorr::plot::Input::labelled(self.inner.pair.clone(), fcorr::plot::Legend::Expr);
        fcorr::plot::Figure::new(&[input])
            .and_then(|f| f.svg(fcorr::plot::Size::Column))
            .map_err(|e| FcorrError::new_err(format!("error: {e}")))
    }
}

#[pyfunction]
#[pyo3(signature = (expr, residual = "target-minus-model", params = Vec::new()))]
fn from_loss(expr: &str, residual: &str, params: Vec<String>) -> PyResult<Pair> {
    let o = options(residual, params)?;
    fcorr::from_loss(expr, &o)
        .map(|inner| Pair { inner })
        .map_err(|e| raise(&e, expr))
}

#[pyfunction]
#[pyo3(signature = (expr, residual = "target-minus-model", params = Vec::new()))]
fn from_divergence(expr: &str, residual: &str, params: Vec<String>) -> PyResult<Pair> {
    let o = options(residual, params)?;
    fcorr::from_divergence(expr, &o)
        .map(|inner| Pair { inner })
        .map_err(|e| raise(&e, expr))
}

/// The verdict on a claim or a loss function.
#[pyclass(frozen, get_all, module = "fcorr")]
struct Verdict {
    /// Whether the loss trains the claimed divergence (up to the class and a positive scale).
    holds: bool,
    /// "holds", "fails" or "inconclusive".
    verdict: &'static str,
    /// The worst relative error: of the gradient check against the claimed generator for a
    /// claim, of the fit of g′ for a function.
    max_rel_error: f64,
    /// The class constant c (F = k·f + a + c·(u − 1)), as text for a claim, a number for a
    /// function.
    shift: Option<PyObject>,
    /// The constant a (F = k·f + a + c·(u − 1)), as text for a claim that holds; `None` for a
    /// function, whose g′ does not fix it.
    offset: Option<String>,
    /// The positive scale k (1 for a claim on expressions).
    scale: f64,
    /// The catalog keys of what the loss trains.
    trains: Vec<String>,
    /// The scale of each entry of `trains`.
    trains_scale: Vec<f64>,
    /// The constant a of each entry of `trains` (D_f = k·D_named + a); NaN for a function,
    /// whose g′ does not fix it.
    trains_offset: Vec<f64>,
}

#[pymethods]
impl Verdict {
    fn __bool__(&self) -> bool {
        self.holds
    }
    fn __repr__(&self) -> String {
        format!(
            "Verdict(holds={}, verdict={:?}, max_rel_error={:.3e}, trains={:?})",
            if self.holds { "True" } else { "False" },
            self.verdict,
            self.max_rel_error,
            self.trains
        )
    }
}

fn verdict_name(v: fcorr::Verdict) -> &'static str {
    match v {
        fcorr::Verdict::Holds => "holds",
        fcorr::Verdict::Fails => "fails",
        fcorr::Verdict::Inconclusive => "inconclusive",
    }
}

#[pyfunction]
#[pyo3(signature = (loss, claimed, residual = "target-minus-model", params = Vec::new()))]
fn check(
    py: Python<'_>,
    loss: &str,
    claimed: &str,
    residual: &str,
    params: Vec<String>,
) -> PyResult<Verdict> {
    let o = options(residual, params)?;
    // Each text alone first, so a parse error points into the text it came from.
    fcorr::params::Subject::loss(loss).map_err(|e| raise(&e, loss))?;
    fcorr::params::Subject::divergence(claimed).map_err(|e| raise(&e, claimed))?;
    let c = fcorr::check(loss, claimed, &o).map_err(|e| raise(&e, loss))?;
    let max_rel_error = c
        .gradient_check
        .as_ref()
        .map_or(f64::NAN, |g| g.max_rel_error);
    Ok(Verdict {
        holds: c.holds,
        verdict: verdict_name(c.verdict),
        max_rel_error,
        shift: c
            .shift
            .as_ref()
            .map(|s| {
                fcorr::print::plain(s)
                    .into_pyobject(py)
                    .map(|o| o.into_any().unbind())
            })
            .transpose()?,
        offset: c.offset.as_ref().map(fcorr::print::plain),
        scale: 1.0,
        trains: c
            .derived_identified
            .iter()
            .map(|i| i.key.to_string())
            .collect(),
        trains_scale: c.derived_identified.iter().map(|i| i.scale).collect(),
        trains_offset: c.derived_identified.iter().map(|i| i.offset).collect(),
    })
}

#[pyfunction]
#[pyo3(signature = (function, claimed, residual = "target-minus-model", params = Vec::new(), is_derivative = false))]
fn _verify(
    py: Python<'_>,
    function: Bound<'_, PyAny>,
    claimed: &str,
    residual: &str,
    params: Vec<String>,
    is_derivative: bool,
) -> PyResult<Verdict> {
    let o = options(residual, params)?;
    let raised: RefCell<Option<PyErr>> = RefCell::new(None);
    let call = |xs: &[f64]| -> Result<Vec<f64>, fcorr::Error> {
        function
            .call1((xs.to_vec(),))
            .and_then(|r| r.extract::<Vec<f64>>())
            .map_err(|e| {
                *raised.borrow_mut() = Some(e);
                fcorr::Error::Input("the loss function raised an exception".into())
            })
    };
    let v = fcorr::verify_batch(call, is_derivative, claimed, &o);
    if let Some(e) = raised.borrow_mut().take() {
        return Err(e);
    }
    let v = v.map_err(|e| raise(&e, claimed))?;
    Ok(Verdict {
        holds: v.holds,
        verdict: verdict_name(v.verdict),
        max_rel_error: v.max_rel_error,
        shift: Some(v.shift.into_pyobject(py)?.into_any().unbind()),
        offset: None,
        scale: v.scale,
        trains: v.trains.iter().map(|m| m.key.to_string()).collect(),
        trains_scale: v.trains.iter().map(|m| m.scale).collect(),
        trains_offset: v.trains.iter().map(|_| f64::NAN).collect(),
    })
}

/// The gradient-noise laboratory on one softmax model; the report as JSON (the project's schema).
#[pyfunction]
#[pyo3(signature = (losses, divergences, logits, target, shifts, behaviour = None, behaviour_probs = None, residual = "target-minus-model", params = Vec::new(), samples = None, seed = 1))]
#[allow(clippy::too_many_arguments)]
fn _variance(
    losses: Vec<String>,
    divergences: Vec<String>,
    logits: Vec<f64>,
    target: Vec<f64>,
    shifts: Vec<f64>,
    behaviour: Option<String>,
    behaviour_probs: Option<Vec<f64>>,
    residual: &str,
    params: Vec<String>,
    samples: Option<usize>,
    seed: u64,
) -> PyResult<String> {
    let o = options(residual, params)?;
    let model = fcorr::variance::Model::new(logits, target).map_err(|e| raise(&e, ""))?;
    let behaviour = match (behaviour, behaviour_probs) {
        (Some(name), _) => Some(
            name.parse::<fcorr::variance::Behaviour>()
                .map_err(|e| InputError::new_err(format!("error: {e}")))?,
        ),
        (None, Some(p)) => Some(fcorr::variance::Behaviour::Explicit(p)),
        (None, None) => None,
    };
    let lab = fcorr::variance::Options {
        shifts,
        behaviour,
        target_sampling: false,
        monte_carlo: samples.map(|n| (n, seed)),
        mixture_sweep: false,
    };
    let l: Vec<&str> = losses.iter().map(String::as_str).collect();
    let d: Vec<&str> = divergences.iter().map(String::as_str).collect();
    let text = losses.first().or(divergences.first()).cloned().unwrap_or_default();
    let report = fcorr::variance(&l, &d, &model, &o, &lab).map_err(|e| raise(&e, &text))?;
    Ok(fcorr::report::versioned("variance", serde_json::json!(report)).to_string())
}

/// A family: `(json, text)` of the report of `expr` with its parameter left symbolic.
#[pyfunction]
#[pyo3(signature = (expr, loss, residual = "target-minus-model", params = Vec::new(), assumptions = Vec::new()))]
fn _family(
    expr: &str,
    loss: bool,
    residual: &str,
    params: Vec<String>,
    assumptions: Vec<String>,
) -> PyResult<(String, String)> {
    let mut o = options(residual, params)?;
    o.assumptions = assumptions;
    let f = if loss {
        fcorr::family_from_loss(expr, &o)
    } else {
        fcorr::family_from_divergence(expr, &o)
    }
    .map_err(|e| raise(&e, expr))?;
    Ok((f.json().to_string(), f.text()))
}

#[pymodule]
fn _fcorr(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Pair>()?;
    m.add_class::<Verdict>()?;
    m.add_function(wrap_pyfunction!(from_loss, m)?)?;
    m.add_function(wrap_pyfunction!(from_divergence, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(_verify, m)?)?;
    m.add_function(wrap_pyfunction!(_variance, m)?)?;
    m.add_function(wrap_pyfunction!(_family, m)?)?;
    for (name, ty) in [
        ("FcorrError", py.get_type::<FcorrError>()),
        ("ParseError", py.get_type::<ParseError>()),
        ("ParameterError", py.get_type::<ParameterError>()),
        (
            "UnknownParameterError",
            py.get_type::<UnknownParameterError>(),
        ),
        (
            "InvalidParameterError",
            py.get_type::<InvalidParameterError>(),
        ),
        ("UndefinedError", py.get_type::<UndefinedError>()),
        ("DomainError", py.get_type::<DomainError>()),
        ("NoClosedFormError", py.get_type::<NoClosedFormError>()),
        ("QuadratureError", py.get_type::<QuadratureError>()),
        ("LimitError", py.get_type::<LimitError>()),
        ("InputError", py.get_type::<InputError>()),
        ("InternalError", py.get_type::<InternalError>()),
    ] {
        m.add(name, ty)?;
    }
    Ok(())
}
