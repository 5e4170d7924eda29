//! Training code: a derived pair emitted as Python functions of `log_q` and `log_p`.
//!
//! The functions take the log-probabilities themselves, not a residual, so that the residual's
//! sign is written into the code where a reader sees it: `t = log_q - log_p` (target minus
//! model, the convention of Hu et al. 2025), or `r = log_p - log_q` for a loss written on the
//! model-minus-target residual, which is then applied as written, `G(r)`, the same as
//! `g(t) = G(−t)` (the sign trap: applying `G` to `t` trains another divergence). Each backend (NumPy, PyTorch, JAX) gets the same
//! functions, written with its own stable primitives (`expm1`, `log1p`, softplus,
//! log-sigmoid) by the printer in `python`, so the code is as accurate near `t = 0` as fcorr's
//! own evaluator. The emitted module is text; nothing here runs Python.

mod python;
mod series;
mod special;

use crate::Error;
use crate::diff::diff;
use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};
use crate::print::plain;
use crate::simplify::simplify;
use crate::transform::{Correspondence, DIVERGENCE, Direction, Residual};
use python::Printer;

/// The Python array library the code is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// NumPy (`import numpy as np`).
    Numpy,
    /// PyTorch (`import torch`); every function is differentiable by autograd.
    Torch,
    /// JAX (`import jax.numpy as jnp`); every function is differentiable by `jax.grad`.
    Jax,
}

impl Backend {
    /// Every backend.
    pub const ALL: [Backend; 3] = [Backend::Numpy, Backend::Torch, Backend::Jax];

    /// The name used on the command line (`numpy`, `torch`, `jax`).
    pub fn name(self) -> &'static str {
        match self {
            Backend::Numpy => "numpy",
            Backend::Torch => "torch",
            Backend::Jax => "jax",
        }
    }

    /// How the code stops the gradient of `name`, for the docstrings.
    fn stop_gradient(self, name: &str) -> String {
        match self {
            Backend::Numpy => name.to_string(),
            Backend::Torch => format!("{name}.detach()"),
            Backend::Jax => format!("jax.lax.stop_gradient({name})"),
        }
    }
}

/// The stable forms the printer recognises in a sum, each as `pattern = replacement`.
///
/// In addition, `log(1 + e^X)` is written as softplus, `log(1 + X)` as `log1p(X)`,
/// `log(sigmoid(X))` as log-sigmoid, and NumPy's sigmoid as `exp(-logaddexp(0, -X))`.
pub fn stable_forms() -> impl Iterator<Item = &'static str> {
    python::STABLE_SUMS.iter().map(|(doc, _)| *doc)
}

/// `e`, an expression in `var`, as one Python expression for `backend`, the variable printed as
/// `name`.
///
/// Powers are `**`, exact rationals are `p / q`, variable-free calls are folded to `repr`
/// floats, and the stable forms of [`stable_forms`] are used; `min`/`max` are the library's
/// `minimum`/`maximum` (`torch.clamp` against a number), and `Li2`/`lambertw` call the helpers
/// `_li2`/`_lambertw` that [`emit`] defines in the module. Fails on a symbol other than
/// `var` (an unset parameter).
pub fn expression(e: &Expr, var: &str, name: &str, backend: Backend) -> Result<String, Error> {
    Printer::new(backend, var, name).print(e)
}

/// The body of one emitted function: its docstring, the residual and the returned value.
struct Function {
    name: &'static str,
    doc: String,
    /// The comment above the residual line, if any.
    comment: Vec<String>,
    /// `t` or `r`.
    residual: &'static str,
    value: Expr,
}

/// The pair as a Python module for `backend`: `loss(log_q, log_p)` (the per-sample `g(t)`),
/// `grad_weight(log_q, log_p)` (`w = −g'(t) = (f◇)'(pθ/q)`, the weight in
/// `∇θ D_f(q‖pθ) = E_pθ[w·∇θ log pθ]`: descended) and `reward(log_q, log_p)`
/// (`R = g'(t) = −w`: ascended, REINFORCE-style, it decreases the divergence).
///
/// The module docstring names the divergence `D_f(q‖pθ) = E_pθ[f(q/pθ)]` with `f` printed (or
/// says that `f` is numeric) and the named divergences [`identify`](crate::catalog::identify) finds, and states the
/// gradient theorem `∇θ E_pθ[g(t)] = ∇θ D_f(q‖pθ)` with the sampler held fixed. Fails when the
/// loss has no closed form (a generator whose loss is numeric), since there is no code to write.
pub fn emit(pair: &Correspondence, backend: Backend) -> Result<String, Error> {
    let Some(g) = &pair.loss else {
        return Err(Error::NoClosedForm(
            "the loss of this generator has no closed form, so there is no code to emit".into(),
        ));
    };
    let t = Expr::sym(LOSS_VAR);
    let r_sym = Expr::sym("r");
    let gp = match &pair.loss_derivative {
        Some(gp) => gp.clone(),
        None => diff(g, LOSS_VAR)?,
    };
    // On the model-minus-target residual the code applies `G(r)` as the user wrote it; its
    // reward is `g'(t) = −G'(r)`.
    let (written, reward, residual) = match pair.residual {
        Residual::TargetMinusModel => (g.clone(), gp.clone(), "t"),
        Residual::ModelMinusTarget => {
            let big_g = match pair.direction {
                Direction::FromLoss => pair.written.clone(),
                Direction::FromDivergence => simplify(&g.substitute(LOSS_VAR, &-t.clone()))?,
            };
            let big_gp = diff(&big_g, LOSS_VAR)?;
            (big_g, simplify(&-big_gp)?, "r")
        }
    };
    let as_r = |e: &Expr| plain(&e.substitute(LOSS_VAR, &r_sym));
    let (residual_comment, g_text) = match pair.residual {
        Residual::TargetMinusModel => (Vec::new(), format!("g(t) = {}", plain(g))),
        Residual::ModelMinusTarget => (
            vec![
                "The loss is written on r = log pθ − log q (model minus target), so it is"
                    .to_string(),
                "applied to r as written; on t = log q − log pθ = −r it is g(t) = G(−t)".into(),
                "(the sign trap: applying G to t instead trains another divergence)".into(),
            ],
            format!("G(r) = {}", as_r(&written)),
        ),
    };

    let weight = simplify(&-reward.clone())?;
    // `R = u·f'(u) − f(u)` at `u = q/pθ`, for the docstring, when `f` is a closed form.
    let r_of_u = match (&pair.divergence, &pair.divergence_derivative) {
        (Some(f), Some(fp)) => Some(simplify(
            &(Expr::sym(DIVERGENCE_VAR) * fp.clone() - f.clone()),
        )?),
        _ => None,
    };
    let functions = vec![
        Function {
            name: "loss",
            doc: loss_doc(pair, &g_text),
            comment: residual_comment.clone(),
            residual,
            value: written,
        },
        Function {
            name: "grad_weight",
            doc: weight_doc(pair, &gp, backend)?,
            comment: residual_comment.clone(),
            residual,
            value: weight,
        },
        Function {
            name: "reward",
            doc: reward_doc(pair, &gp, r_of_u.as_ref(), backend),
            comment: residual_comment,
            residual,
            value: reward,
        },
    ];

    let mut bodies = Vec::new();
    let (mut uses_math, mut uses_jax) = (false, false);
    let (mut uses_li2, mut uses_lambertw, mut uses_lowergamma) = (false, false, false);
    for f in &functions {
        let mut p = Printer::new(backend, LOSS_VAR, f.residual);
        let value = if f.value.contains_sym(LOSS_VAR) {
            let direct = p.print(&f.value)?;
            match near_zero(&f.value, backend)? {
                Some(b) => p.full_series_where(&t, b.bound, b.power, &b.coeffs, &direct)?,
                None => direct,
            }
        } else {
            let c = p.print(&f.value)?;
            let lib = match backend {
                Backend::Numpy => "np",
                Backend::Torch => "torch",
                Backend::Jax => "jnp",
            };
            format!("{lib}.full_like({}, {c})", f.residual)
        };
        uses_math |= p.uses_math;
        uses_jax |= p.uses_jax;
        uses_li2 |= p.uses_li2;
        uses_lambertw |= p.uses_lambertw;
        uses_lowergamma |= p.uses_lowergamma;
        bodies.push(function(f, &value));
    }

    let mut out = module_doc(pair, g, backend)?;
    out.push('\n');
    match backend {
        Backend::Numpy => {
            if uses_math {
                out.push_str("import math\n\n");
            }
            out.push_str("import numpy as np\n");
        }
        Backend::Torch => {
            if uses_math {
                out.push_str("import math\n\n");
            }
            out.push_str("import torch\n");
        }
        Backend::Jax => {
            if uses_math {
                out.push_str("import math\n\n");
            }
            if uses_jax {
                out.push_str("import jax\n");
            }
            out.push_str("import jax.numpy as jnp\n");
        }
    }
    out.push_str(&special::helpers(backend, uses_li2, uses_lambertw));
    if uses_lowergamma {
        out.push_str(&special::lowergamma_helper(backend));
    }
    for b in bodies {
        out.push_str("\n\n");
        out.push_str(&b);
    }
    Ok(out)
}

/// The Taylor branch near `t = 0` of a function whose printed sum keeps a constant that
/// cancels there ([`series`]); `None` when the printed form does not cancel at 0.
fn near_zero(value: &Expr, backend: Backend) -> Result<Option<series::Branch>, Error> {
    let Expr::Add(ts) = value else {
        return Ok(None);
    };
    if !Printer::new(backend, LOSS_VAR, LOSS_VAR).leaves_constant(ts)? {
        return Ok(None);
    }
    let params = crate::eval::Params::new();
    let Ok(terms) = ts
        .iter()
        .map(|t| crate::eval::compile(t, LOSS_VAR, &params))
        .collect::<Result<Vec<_>, _>>()
    else {
        return Ok(None);
    };
    let terms_at = |x: f64| {
        let s: f64 = terms.iter().map(|t| t.eval(x).abs()).sum();
        s.is_finite().then_some(s)
    };
    Ok(series::branch(value, LOSS_VAR, terms_at))
}

/// One `def`, with the residual built from the arguments and the value returned.
fn function(f: &Function, value: &str) -> String {
    let mut out = format!("def {}(log_q, log_p):\n", f.name);
    out.push_str(&docstring(&f.doc, "    "));
    for c in &f.comment {
        out.push_str(&format!("    # {c}\n"));
    }
    out.push_str(&match f.residual {
        "r" => "    r = log_p - log_q\n".to_string(),
        _ => "    t = log_q - log_p\n".to_string(),
    });
    let line = format!("    return {value}");
    if line.chars().count() <= 88 {
        out.push_str(&line);
        out.push('\n');
    } else {
        out.push_str(&format!("    return (\n        {value}\n    )\n"));
    }
    out
}

/// A docstring indented by `indent`, closing quotes on their own line when it has several.
fn docstring(text: &str, indent: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}\"\"\"{}\"\"\"\n", lines[0]);
    }
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == 0 {
            out.push_str(&format!("{indent}\"\"\"{l}\n"));
        } else if l.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{indent}{l}\n"));
        }
    }
    out.push_str(&format!("{indent}\"\"\"\n"));
    out
}

/// The module docstring's paragraph on the model-minus-target residual: the loss on it in `r`,
/// `G(r)`, as written (`--from-loss`) or as the derived `g` reflected, `G(r) = g(−r)`
/// (`--from-divergence`; the given side there is the generator `f(u)`, never a loss).
fn model_residual_doc(pair: &Correspondence, g: &Expr) -> Result<String, Error> {
    let r = Expr::sym("r");
    let tail = "(model minus target). The code builds r = log_p - log_q and applies G to it,\n\
                which is the loss g(t) = G(−t) on t = log q − log pθ. Applying G to t instead\n\
                would train a different divergence (the sign trap).\n\n";
    Ok(match pair.direction {
        Direction::FromLoss => format!(
            "Residual: the loss was written as G(r) = {} on r = log pθ − log q\n{tail}",
            plain(&pair.written.substitute(LOSS_VAR, &r))
        ),
        Direction::FromDivergence => format!(
            "Residual: the derived loss on r = log pθ − log q is G(r) = g(−r) = {}\n{tail}",
            plain(&simplify(&g.substitute(LOSS_VAR, &-r))?)
        ),
    })
}

/// The module docstring: residual, divergence with its arguments and name, gradient theorem.
fn module_doc(pair: &Correspondence, g: &Expr, backend: Backend) -> Result<String, Error> {
    let mut d = String::new();
    d.push_str(&format!(
        "Training code for the loss g(t) = {} (generated by fcorr, {}).\n\n",
        plain(g),
        backend.name()
    ));
    match pair.residual {
        Residual::TargetMinusModel => d.push_str(
            "Residual: t = log q − log pθ (target minus model), with pθ the model and q the\n\
             target; every function takes log_q and log_p and builds t itself.\n\n",
        ),
        Residual::ModelMinusTarget => d.push_str(&model_residual_doc(pair, g)?),
    }
    d.push_str(&format!("Divergence minimised: {DIVERGENCE}, with\n"));
    match &pair.divergence {
        Some(f) => d.push_str(&format!("    f(u) = {}\n", plain(f))),
        None => d.push_str(
            "    f(u) = u ∫_0^{ln u} g'(τ) e^{−τ} dτ\n\
             which has no closed form: f is numeric (fcorr evaluates it by quadrature); loss,\n\
             grad_weight and reward need only g.\n",
        ),
    }
    // A derived generator is always known (closed or by quadrature); a given one is closed.
    // Identified as the report does, on the logarithms split.
    let named = crate::catalog::identify_pair(&pair.with_expanded_logs())?;
    if !named.is_empty() {
        d.push_str(
            "It equals, up to a term a + c·(u − 1) that changes no gradient (and the value\n\
             only by a) for normalized distributions:\n",
        );
        for n in &named {
            let scale = n.exact_scale.as_ref().map_or_else(
                || format!("{:.6}", n.scale),
                |k| {
                    if k.is_one() { String::new() } else { plain(k) }
                },
            );
            let sep = if scale.is_empty() { "" } else { " × " };
            d.push_str(&format!(
                "    {scale}{sep}{} (identified {})\n",
                n.name,
                if n.method == "exact" {
                    "exactly"
                } else {
                    "numerically"
                }
            ));
        }
    }
    d.push_str(
        "\nGradient: with x ~ pθ and the sampler held fixed (no gradient through the sampling,\n\
         on-policy),\n    ∇θ E_pθ[g(t)] = ∇θ D_f(q‖pθ)\n\
         so the mean of loss(log_q, log_p) over such samples is a surrogate for the\n\
         divergence. Per sample, ∇θ g(t) = −g'(t) ∇θ log pθ(x) = w ∇θ log pθ(x) with\n\
         w = grad_weight(log_q, log_p) = −g'(t). Equivalently, with w and R held fixed,\n",
    );
    d.push_str(&format!(
        "descend mean({} * log_p), or ascend mean({} * log_p) with the reward\n\
         R = reward(log_q, log_p) = g'(t) = −w (REINFORCE-style).\n",
        backend.stop_gradient("w"),
        backend.stop_gradient("R")
    ));
    for n in &pair.notes {
        d.push_str(&format!("\nNote: {n}.\n"));
    }
    Ok(docstring(&d, ""))
}

fn loss_doc(pair: &Correspondence, g_text: &str) -> String {
    let on = match pair.residual {
        Residual::TargetMinusModel => "at t = log q − log pθ",
        Residual::ModelMinusTarget => "at r = log pθ − log q",
    };
    format!(
        "Per-sample loss {g_text} {on}.\n\n\
         Its mean over samples x ~ pθ, with no gradient through the sampler, has\n\
         gradient ∇θ D_f(q‖pθ)."
    )
}

fn weight_doc(pair: &Correspondence, gp: &Expr, backend: Backend) -> Result<String, Error> {
    let w = simplify(&-gp.clone())?;
    let extra = match pair.residual {
        Residual::TargetMinusModel => String::new(),
        Residual::ModelMinusTarget => " = G'(r)".into(),
    };
    Ok(format!(
        "Per-sample gradient weight w = −g'(t) = {}{extra}, t = log q − log pθ.\n\n\
         Convention: w is the weight in ∇θ D_f(q‖pθ) = E_pθ[w ∇θ log pθ(x)], x ~ pθ, and it\n\
         is descended: the gradient of mean({} * log_p), w held fixed, is the loss's\n\
         gradient. w = (f◇)'(v) at v = pθ/q, f◇(v) = v·f(1/v), and w = −reward.",
        plain(&w),
        backend.stop_gradient("w")
    ))
}

fn reward_doc(pair: &Correspondence, gp: &Expr, r_of_u: Option<&Expr>, backend: Backend) -> String {
    let extra = match pair.residual {
        Residual::TargetMinusModel => String::new(),
        Residual::ModelMinusTarget => " = −G'(r)".into(),
    };
    let in_u = r_of_u.map_or_else(
        || "u·f'(u) − f(u) at u = q/pθ".to_string(),
        |r| format!("u·f'(u) − f(u) = {} at u = q/pθ", plain(r)),
    );
    format!(
        "Per-sample reward R = g'(t) = {}{extra}, t = log q − log pθ.\n\n\
         Convention: R is ascended, REINFORCE-style: E_pθ[R ∇θ log pθ(x)] = −∇θ D_f(q‖pθ),\n\
         so ascending mean({} * log_p) over samples x ~ pθ, R held fixed, decreases\n\
         the divergence. R = {in_u}, and R = −grad_weight.",
        plain(gp),
        backend.stop_gradient("R")
    )
}

#[cfg(test)]
mod tests;
