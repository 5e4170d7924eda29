//! The report as a person reads it: aligned text, Markdown tables and LaTeX (`booktabs`).
//! Every format states the setting and names a support mismatch; JSON is the report's serde
//! serialisation.

use super::{Analysis, LossReport, McEstimates, OffPolicy, Report};

/// A number to six significant digits, without trailing zeros; scientific when very small or
/// very large.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "nan".into()
        } else if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let a = x.abs();
    if (1e-4..1e6).contains(&a) {
        let decimals = (5 - a.log10().floor() as i32).clamp(0, 12) as usize;
        let s = format!("{x:.decimals$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        };
        if s == "-0" { "0".into() } else { s }
    } else {
        let s = format!("{x:.5e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = m.trim_end_matches('0').trim_end_matches('.');
        format!("{m}e{e}")
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "none (V does not depend on c)".into(), num)
}

/// At most `max` items, then `… (N in all)`.
fn list<T>(xs: &[T], max: usize, show: impl Fn(&T) -> String) -> String {
    let mut out: Vec<String> = xs.iter().take(max).map(show).collect();
    if xs.len() > max {
        out.push(format!("… ({} in all)", xs.len()));
    }
    out.join(", ")
}

/// The support mismatch of an off-policy estimator in words, the same in every format
/// (`None` when there is none).
pub fn mismatch_sentence(o: &OffPolicy) -> Option<String> {
    let s = o.support_mismatch.as_ref()?;
    Some(format!(
        "SUPPORT MISMATCH: μ = 0 where pθ > 0 on {} outcome{} ({}), pθ-mass {}: they are never sampled, so the mean misses their part Σ pθ·(w + c)·s, a bias of ‖b(0)‖ = {} at c = 0",
        s.outcomes.len(),
        if s.outcomes.len() == 1 { "" } else { "s" },
        list(&s.outcomes, 10, |x| x.to_string()),
        num(s.mass),
        num(o.bias_norm)
    ))
}

fn line(out: &mut String, key: &str, value: impl AsRef<str>) {
    out.push_str(&format!("{key:<16}{}\n", value.as_ref()));
}

impl Report {
    fn source(&self) -> String {
        format!(
            "pθ = softmax(θ) over K = {} outcomes ({}); losses on {}",
            self.model.outcomes,
            self.model.source,
            match self.model.residual {
                "model-minus-target" =>
                    "r = log pθ − log q as G(r) (an input's t stands for r), reflected to g(t) = G(−t) on t = log q − log pθ",
                _ => "t = log q − log pθ",
            }
        )
    }

    /// Aligned text: each input's quantities, then `V(c)` side by side and the inputs that
    /// train the same divergence.
    pub fn text(&self) -> String {
        let mut out = String::new();
        line(&mut out, "setting", super::SETTING);
        line(&mut out, "model", self.source());
        for r in &self.losses {
            out.push('\n');
            self.text_loss(&mut out, r);
        }
        out.push('\n');
        self.text_table(&mut out);
        for s in &self.same_divergence {
            out.push_str(&format!(
                "same divergence {} and {}: g′ differ by the constant {} ({}), so their gradients are equal and only the noise differs; {} at c is {} at c + {}\n",
                self.losses[s.a].input,
                self.losses[s.b].input,
                num(s.difference),
                s.method,
                self.losses[s.b].input,
                self.losses[s.a].input,
                num(s.difference),
            ));
        }
        out
    }

    fn text_loss(&self, out: &mut String, r: &LossReport) {
        let a = &r.analysis;
        line(
            out,
            "input",
            format!("{}    (g′(t) = {})", r.input, r.weight),
        );
        line(
            out,
            "gradient",
            format!(
                "∇θ D_f(q‖pθ) = [{}]   ‖∇‖ = {}",
                list(&a.gradient, 6, |x| num(*x)),
                num(a.gradient_norm)
            ),
        );
        line(
            out,
            "canonical",
            format!(
                "at c = {} the estimator is the canonical member's (g′(0) = 0) unshifted one",
                num(a.canonical_shift)
            ),
        );
        line(
            out,
            "optimal shift",
            format!("c* = −E[w‖s‖²]/E[‖s‖²] = {}", opt(a.optimal_shift)),
        );
        line(
            out,
            "variance",
            format!(
                "V(0) = {}   V(c*) = {}   saving V(0)/V(c*) = {}",
                num(a.variance_at_zero),
                num(a.variance_at_optimal),
                num(a.saving)
            ),
        );
        line(
            out,
            "signal/noise",
            format!(
                "‖∇‖²/V(0) = {}   ‖∇‖²/V(c*) = {}",
                num(a.snr_at_zero),
                num(a.snr_at_optimal)
            ),
        );
        if let Some(o) = &a.off_policy {
            text_off_policy(out, o);
        }
        if let Some(t) = &a.target_sampling {
            line(
                out,
                "target sampling",
                format!(
                    "x ∼ q, no weights: mean −E_q[(w + c)s], at c = 0 ∇θ D_f₃(q‖pθ) with f₃(u) = u·g(ln u), ‖·‖ = {}; it differs from ∇θ D_f by {} (the mean moves with c)",
                    num(t.gradient_norm),
                    num(t.bias_norm)
                ),
            );
            line(
                out,
                "",
                format!(
                    "V(0) = {}   c* = {}   V(c*) = {}",
                    num(t.variance_at_zero),
                    opt(t.optimal_shift),
                    num(t.variance_at_optimal)
                ),
            );
        }
        if let Some(mc) = &a.monte_carlo {
            text_mc(out, "monte carlo", "x ∼ pθ", &mc.on_policy);
            if let Some(o) = &mc.off_policy {
                text_mc(out, "", "x ∼ μ", o);
            }
        }
    }

    fn text_table(&self, out: &mut String) {
        let width = self
            .losses
            .iter()
            .map(|r| r.input.chars().count().max(14))
            .collect::<Vec<_>>();
        let single = self.losses.len() == 1;
        let a0 = &self.losses[0].analysis;
        let mut head = format!("{:>12}", "c");
        for (r, w) in self.losses.iter().zip(&width) {
            let title = if single {
                "V(c)".to_string()
            } else {
                format!("V(c) {}", r.input)
            };
            head.push_str(&format!("  {title:>w$}", w = w.max(&title.chars().count())));
        }
        if single {
            head.push_str(&format!("  {:>14}", "‖∇‖²/V(c)"));
            if a0.off_policy.is_some() {
                head.push_str(&format!("  {:>14}  {:>14}", "V_μ(c)", "‖bias_μ(c)‖"));
            }
            if a0.target_sampling.is_some() {
                head.push_str(&format!("  {:>14}  {:>14}", "V_q(c)", "‖bias_q(c)‖"));
            }
        }
        out.push_str(head.trim_end());
        out.push('\n');
        for (i, c) in self.options.shifts.iter().enumerate() {
            let mut row = format!("{:>12}", num(*c));
            for (r, w) in self.losses.iter().zip(&width) {
                let title = if single {
                    4
                } else {
                    r.input.chars().count() + 5
                };
                row.push_str(&format!(
                    "  {:>w$}",
                    num(r.analysis.variance[i].trace),
                    w = w.max(&title)
                ));
            }
            if single {
                row.push_str(&format!("  {:>14}", num(a0.variance[i].snr)));
                if let Some(o) = &a0.off_policy {
                    let v = &o.variance[i];
                    row.push_str(&format!("  {:>14}  {:>14}", num(v.trace), num(v.bias_norm)));
                }
                if let Some(t) = &a0.target_sampling {
                    let v = &t.variance[i];
                    row.push_str(&format!("  {:>14}  {:>14}", num(v.trace), num(v.bias_norm)));
                }
            }
            out.push_str(&row);
            out.push('\n');
        }
    }

    /// Markdown: the setting, a table with one column per input, `V(c)` side by side, and the
    /// support mismatch as a warning line.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "**Setting.** {}. {}.\n\n",
            super::SETTING,
            self.source()
        ));
        let rows = summary_rows(&self.losses);
        out.push_str(&format!(
            "| quantity | {} |\n|---|{}\n",
            self.losses
                .iter()
                .map(|r| format!("`{}`", r.input))
                .collect::<Vec<_>>()
                .join(" | "),
            "---|".repeat(self.losses.len())
        ));
        for (name, values) in &rows {
            out.push_str(&format!("| {name} | {} |\n", values.join(" | ")));
        }
        out.push('\n');
        out.push_str(&format!(
            "| c | {} |\n|---|{}\n",
            self.losses
                .iter()
                .map(|r| format!("V(c) `{}`", r.input))
                .collect::<Vec<_>>()
                .join(" | "),
            "---|".repeat(self.losses.len())
        ));
        for (i, c) in self.options.shifts.iter().enumerate() {
            out.push_str(&format!(
                "| {} | {} |\n",
                num(*c),
                self.losses
                    .iter()
                    .map(|r| num(r.analysis.variance[i].trace))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
        for r in &self.losses {
            if let Some(m) = r.analysis.off_policy.as_ref().and_then(mismatch_sentence) {
                out.push_str(&format!("\n> **`{}`:** {m}.\n", r.input));
            }
        }
        for s in &self.same_divergence {
            out.push_str(&format!(
                "\n`{}` and `{}` train the same divergence (g′ differ by {}): equal gradients, only the noise differs.\n",
                self.losses[s.a].input,
                self.losses[s.b].input,
                num(s.difference)
            ));
        }
        out
    }

    /// LaTeX: a `booktabs` table with one column per input (`\usepackage{booktabs}`), the
    /// setting and any support mismatch in comments and in the caption.
    pub fn latex(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "% fcorr variance: {}\n% {}\n",
            super::SETTING,
            self.source()
        ));
        let mut caption = String::from("Exact gradient noise of the score-function estimator.");
        for r in &self.losses {
            let Some(o) = r.analysis.off_policy.as_ref() else {
                continue;
            };
            if let (Some(m), Some(s)) = (mismatch_sentence(o), o.support_mismatch.as_ref()) {
                out.push_str(&format!("% {}: {m}\n", r.input));
                caption.push_str(&format!(
                    " Support mismatch for {}: $\\mu = 0$ where $p_\\theta > 0$ on {} outcome{} of $p_\\theta$-mass {}, a bias of $\\|b(0)\\| = {}$.",
                    tex_text(&r.input),
                    s.outcomes.len(),
                    if s.outcomes.len() == 1 { "" } else { "s" },
                    num(s.mass),
                    num(o.bias_norm)
                ));
            }
        }
        out.push_str("\\begin{table}\n\\centering\n");
        out.push_str(&format!(
            "\\begin{{tabular}}{{l{}}}\n\\toprule\n",
            "r".repeat(self.losses.len())
        ));
        out.push_str(&format!(
            "quantity & {} \\\\\n\\midrule\n",
            self.losses
                .iter()
                .map(|r| format!("\\texttt{{{}}}", tex_text(&r.input)))
                .collect::<Vec<_>>()
                .join(" & ")
        ));
        for (name, values) in summary_rows(&self.losses) {
            out.push_str(&format!(
                "{} & {} \\\\\n",
                tex_quantity(&name),
                values.join(" & ")
            ));
        }
        out.push_str("\\midrule\n");
        for (i, c) in self.options.shifts.iter().enumerate() {
            out.push_str(&format!(
                "$V({})$ & {} \\\\\n",
                num(*c),
                self.losses
                    .iter()
                    .map(|r| num(r.analysis.variance[i].trace))
                    .collect::<Vec<_>>()
                    .join(" & ")
            ));
        }
        out.push_str("\\bottomrule\n\\end{tabular}\n");
        out.push_str(&format!("\\caption{{{caption}}}\n\\end{{table}}\n"));
        out
    }
}

/// The rows every table shows: `(name, one value per input)`.
fn summary_rows(losses: &[LossReport]) -> Vec<(String, Vec<String>)> {
    let col = |f: &dyn Fn(&Analysis) -> String| losses.iter().map(|r| f(&r.analysis)).collect();
    let mut rows: Vec<(String, Vec<String>)> = vec![
        ("‖∇θ D_f‖".into(), col(&|a| num(a.gradient_norm))),
        ("V(0)".into(), col(&|a| num(a.variance_at_zero))),
        ("c*".into(), col(&|a| opt_short(a.optimal_shift))),
        ("V(c*)".into(), col(&|a| num(a.variance_at_optimal))),
        ("V(0)/V(c*)".into(), col(&|a| num(a.saving))),
        ("‖∇‖²/V(0)".into(), col(&|a| num(a.snr_at_zero))),
        ("‖∇‖²/V(c*)".into(), col(&|a| num(a.snr_at_optimal))),
        ("canonical at c".into(), col(&|a| num(a.canonical_shift))),
    ];
    if losses.iter().any(|r| r.analysis.off_policy.is_some()) {
        let off = |f: &dyn Fn(&OffPolicy) -> String| -> Vec<String> {
            losses
                .iter()
                .map(|r| r.analysis.off_policy.as_ref().map_or("".into(), f))
                .collect()
        };
        rows.push(("behaviour μ".into(), off(&|o| o.behaviour.clone())));
        rows.push(("max ρ".into(), off(&|o| num(o.max_weight))));
        rows.push(("ESS fraction".into(), off(&|o| num(o.ess_fraction))));
        rows.push((
            "support mismatch".into(),
            off(&|o| match &o.support_mismatch {
                None => "none".into(),
                Some(s) => format!(
                    "{} outcome{}, mass {}",
                    s.outcomes.len(),
                    if s.outcomes.len() == 1 { "" } else { "s" },
                    num(s.mass)
                ),
            }),
        ));
        rows.push(("‖bias_μ(0)‖".into(), off(&|o| num(o.bias_norm))));
        rows.push((
            "‖bias_μ(c*_μ)‖".into(),
            off(&|o| num(o.bias_norm_at_optimal)),
        ));
        rows.push(("V_μ(0)".into(), off(&|o| num(o.variance_at_zero))));
        rows.push(("c*_μ".into(), off(&|o| opt_short(o.optimal_shift))));
        rows.push(("V_μ(c*_μ)".into(), off(&|o| num(o.variance_at_optimal))));
    }
    if losses.iter().any(|r| r.analysis.target_sampling.is_some()) {
        let ts = |f: &dyn Fn(&super::TargetSampling) -> String| -> Vec<String> {
            losses
                .iter()
                .map(|r| r.analysis.target_sampling.as_ref().map_or("".into(), f))
                .collect()
        };
        rows.push(("x ∼ q: ‖mean − ∇θ D_f‖".into(), ts(&|t| num(t.bias_norm))));
        rows.push(("x ∼ q: V(0)".into(), ts(&|t| num(t.variance_at_zero))));
    }
    rows
}

fn opt_short(x: Option<f64>) -> String {
    x.map_or_else(|| "none".into(), num)
}

fn text_off_policy(out: &mut String, o: &OffPolicy) {
    line(
        out,
        "off-policy",
        format!(
            "x ∼ μ = {}, ρ = pθ/μ: largest weight {}, ESS (E ρ)²/E ρ² = {} of the samples",
            o.behaviour,
            num(o.max_weight),
            num(o.ess_fraction)
        ),
    );
    match &o.support_mismatch {
        None => line(
            out,
            "support",
            "μ > 0 wherever pθ > 0: unbiased for every c",
        ),
        Some(_) => {
            line(out, "support", mismatch_sentence(o).unwrap_or_default());
            line(
                out,
                "bias",
                format!(
                    "b(c) = Σ_{{μ=0<pθ}} pθ·(w + c)·s: ‖b(0)‖ = {}, ‖b(c*_μ)‖ = {}, b(0) = [{}]",
                    num(o.bias_norm),
                    num(o.bias_norm_at_optimal),
                    list(&o.bias, 6, |x| num(*x))
                ),
            );
        }
    }
    line(
        out,
        "",
        format!(
            "V_μ(0) = {}   c*_μ = {}   V_μ(c*_μ) = {}",
            num(o.variance_at_zero),
            opt(o.optimal_shift),
            num(o.variance_at_optimal)
        ),
    );
}

fn text_mc(out: &mut String, key: &str, what: &str, mc: &McEstimates) {
    line(
        out,
        key,
        format!(
            "{what}, N = {}, seed {}: exact and sampled ± standard error",
            mc.samples, mc.seed
        ),
    );
    if let Some(v) = &mc.mean_along_gradient {
        line(
            out,
            "",
            format!(
                "mean·∇/‖∇‖ at c = 0 exact {}   sampled {} ± {}",
                num(v.exact),
                num(v.estimate),
                num(v.standard_error)
            ),
        );
    }
    for v in &mc.variance {
        line(
            out,
            "",
            format!(
                "V({}) exact {}   sampled {} ± {}",
                num(v.shift),
                num(v.exact),
                num(v.estimate),
                num(v.standard_error)
            ),
        );
    }
    for (name, v) in [("E ρ", &mc.mean_weight), ("E ρ²", &mc.mean_squared_weight)] {
        if let Some(v) = v {
            line(
                out,
                "",
                format!(
                    "{name} exact {}   sampled {} ± {}",
                    num(v.exact),
                    num(v.estimate),
                    num(v.standard_error)
                ),
            );
        }
    }
}

/// Text for a LaTeX `\texttt` or caption: the special characters escaped.
fn tex_text(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\textbackslash{}"),
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// A summary row's name in LaTeX.
fn tex_quantity(name: &str) -> String {
    match name {
        "‖∇θ D_f‖" => r"$\|\nabla_\theta D_f\|$".into(),
        "V(0)" => "$V(0)$".into(),
        "c*" => "$c^*$".into(),
        "V(c*)" => "$V(c^*)$".into(),
        "V(0)/V(c*)" => "$V(0)/V(c^*)$".into(),
        "‖∇‖²/V(0)" => r"$\|\nabla\|^2/V(0)$".into(),
        "‖∇‖²/V(c*)" => r"$\|\nabla\|^2/V(c^*)$".into(),
        "canonical at c" => "canonical at $c$".into(),
        "behaviour μ" => r"behaviour $\mu$".into(),
        "max ρ" => r"$\max \rho$".into(),
        "‖bias_μ(0)‖" => r"$\|b_\mu(0)\|$".into(),
        "‖bias_μ(c*_μ)‖" => r"$\|b_\mu(c^*_\mu)\|$".into(),
        "V_μ(0)" => r"$V_\mu(0)$".into(),
        "c*_μ" => r"$c^*_\mu$".into(),
        "V_μ(c*_μ)" => r"$V_\mu(c^*_\mu)$".into(),
        "x ∼ q: ‖mean − ∇θ D_f‖" => {
            r"$x \sim q$: $\|\mathrm{mean} - \nabla_\theta D_f\|$".into()
        }
        "x ∼ q: V(0)" => r"$x \sim q$: $V(0)$".into(),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers() {
        for (x, s) in [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (0.5, "0.5"),
            (-1.25, "-1.25"),
            (1.0 / 3.0, "0.333333"),
            (123456.7, "123457"),
            (1e-5, "1e-5"),
            (1.5e7, "1.5e7"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(num(x), s, "{x}");
        }
    }
}
