//! The `fcorr` command: a thin front over the library.
//!
//! Results go to stdout, messages to stderr. Exit codes: 0 success, 1 a check failed or a value
//! is not trustworthy, 2 bad input or usage.

use clap::{Args, Parser, Subcommand, ValueEnum};
use fcorr::Expr;
use fcorr::eval::{Params, cancellation, compile};
use fcorr::simplify::Assumptions;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "fcorr",
    version,
    about = "Symbolic loss–divergence correspondence calculator",
    long_about = "Symbolic loss–divergence correspondence calculator.\n\n\
        Reads expressions in t (a loss g(t) on the residual t = log q − log pθ) or u (a divergence \
        generator f(u), u = q/pθ > 0) and simplifies, differentiates and evaluates them exactly.",
    after_help = "Examples:\n  fcorr --from-loss \"t^2\"\n  fcorr --from-divergence \"u*log(u)\" --at 0.5,2\n  fcorr --from-loss \"exp(t) - t - 1\" --residual model-minus-target\n  fcorr --from-loss \"(exp(a*t) - a*t - 1)/a^2\" --param a=1/2 --json\n  fcorr simplify \"4*(exp(t/2) - t/2 - 1)\"\n  fcorr diff \"u*log(u)\"\n  fcorr eval \"log(cosh(t))\" --at 0.5,2\n  fcorr --from-loss \"exp(t) - t - 1\" --residual model-minus-target --emit torch"
)]
struct Cli {
    /// When to colour diagnostics (only on a terminal with `auto`; `NO_COLOR` is honoured).
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    /// No messages on standard error beyond errors: a failed check is then told by the exit
    /// code alone.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(flatten)]
    derive: Derive,
    #[command(subcommand)]
    command: Option<Command>,
}

/// Derive the partner of a loss or a divergence generator.
#[derive(Args, Debug)]
struct Derive {
    /// A loss g(t), e.g. "t^2", or a catalog name (`fcorr catalog`); derives the divergence generator f(u) it minimises.
    #[arg(
        long,
        value_name = "EXPR",
        allow_hyphen_values = true,
        conflicts_with = "from_divergence"
    )]
    from_loss: Option<String>,
    /// A divergence generator f(u), e.g. "u*log(u)", or a catalog name such as `hellinger`; derives the loss g(t) that trains it.
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    from_divergence: Option<String>,
    /// The residual the loss is written on.
    #[arg(long, value_enum, default_value_t = ResidualArg::TargetMinusModel)]
    residual: ResidualArg,
    /// Comma-separated points at which to evaluate the derived function (u for f, t for g).
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    at: Vec<f64>,
    /// A parameter value, `NAME=VALUE` (exact: `alpha=1/2`); repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Print the report as JSON (the same as `--format json`).
    #[arg(long)]
    json: bool,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Also derive and prove the generator of one training regime (Hu et al. 2025, Thm B.1).
    #[arg(long, value_enum)]
    regime: Option<RegimeArg>,
    /// Also draw the pair's figure (f, f′, g, g′) to FILE, `.svg` or `.png`, one column wide.
    #[arg(long, value_name = "FILE")]
    plot: Option<std::path::PathBuf>,
    /// Print Python training code (loss, grad_weight, reward of log_q and log_p) instead of the report.
    #[arg(long, value_enum, value_name = "BACKEND", conflicts_with_all = ["json", "at", "regime"])]
    emit: Option<EmitArg>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum EmitArg {
    /// NumPy (`import numpy as np`).
    Numpy,
    /// PyTorch (`import torch`), differentiable by autograd.
    Torch,
    /// JAX (`import jax.numpy as jnp`), differentiable by `jax.grad`.
    Jax,
}

impl From<EmitArg> for fcorr::emit::Backend {
    fn from(b: EmitArg) -> Self {
        match b {
            EmitArg::Numpy => fcorr::emit::Backend::Numpy,
            EmitArg::Torch => fcorr::emit::Backend::Torch,
            EmitArg::Jax => fcorr::emit::Backend::Jax,
        }
    }
}

// The variant names are the command-line values (`--regime model-samples-model-gradient`).
#[allow(clippy::enum_variant_names)]
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum RegimeArg {
    /// Samples from pθ, gradient w.r.t. the model (on-policy): f₁, the pair itself.
    ModelSamplesModelGradient,
    /// Samples from pθ, gradient w.r.t. a learned target: f₂(u) = g(ln u).
    ModelSamplesTargetGradient,
    /// Samples from q, gradient w.r.t. the model: f₃(u) = u·g(ln u).
    TargetSamplesModelGradient,
    /// Samples from q, gradient w.r.t. the target: f₄(u) = ∫_1^u g'(ln s) ds.
    TargetSamplesTargetGradient,
}

impl From<RegimeArg> for fcorr::check::Regime {
    fn from(r: RegimeArg) -> Self {
        use fcorr::check::Regime;
        match r {
            RegimeArg::ModelSamplesModelGradient => Regime::ModelSamplesModelGradient,
            RegimeArg::ModelSamplesTargetGradient => Regime::ModelSamplesTargetGradient,
            RegimeArg::TargetSamplesModelGradient => Regime::TargetSamplesModelGradient,
            RegimeArg::TargetSamplesTargetGradient => Regime::TargetSamplesTargetGradient,
        }
    }
}

impl From<ResidualArg> for fcorr::transform::Residual {
    fn from(r: ResidualArg) -> Self {
        match r {
            ResidualArg::TargetMinusModel => fcorr::transform::Residual::TargetMinusModel,
            ResidualArg::ModelMinusTarget => fcorr::transform::Residual::ModelMinusTarget,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ResidualArg {
    /// t = log q − log pθ (Hu et al.).
    TargetMinusModel,
    /// r = log pθ − log q (the trajectory-balance form); the loss is reflected, g(t) = G(−t).
    ModelMinusTarget,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum CatalogFormat {
    Text,
    Json,
    Markdown,
    Latex,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// Aligned text for a terminal.
    Text,
    /// One JSON object (see the README for the keys).
    Json,
    /// Lines for a LaTeX `align` environment.
    Latex,
    /// A Markdown table.
    Markdown,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List every named divergence with its loss, closed forms and properties.
    #[command(
        after_help = "Examples:\n  fcorr catalog\n  fcorr catalog --format markdown\n  fcorr catalog --format json"
    )]
    Catalog {
        /// The output format.
        #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
        format: CatalogFormat,
    },
    /// Check that a loss trains a claimed divergence, up to the equivalence class.
    #[command(
        after_help = "Exit code 0 when the claim holds, 1 when it does not (with evidence), 2 on bad input.\n\nExamples:\n  fcorr check --loss \"t^2/2\" --divergence reverse-kl\n  fcorr check --loss \"exp(t) - t - 1\" --divergence \"u*log(u)\"\n  fcorr check --loss linex --divergence kl --residual model-minus-target"
    )]
    Check {
        /// The loss g, an expression in t or a catalog name (`fcorr catalog`).
        #[arg(long, allow_hyphen_values = true)]
        loss: String,
        /// The claimed divergence generator F, an expression in u or a catalog name.
        #[arg(long, allow_hyphen_values = true)]
        divergence: String,
        /// The residual the loss is written on.
        #[arg(long, value_enum, default_value_t = ResidualArg::TargetMinusModel)]
        residual: ResidualArg,
        /// A parameter value, `NAME=VALUE` (exact); repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Print the verdict as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Simplify an expression to canonical form.
    #[command(
        after_help = "Examples:\n  fcorr simplify \"4*(exp(t/2) - t/2 - 1)\"\n  fcorr simplify \"sqrt(t^2)\" --latex\n  fcorr simplify \"log(u^a)\" --unicode"
    )]
    Simplify {
        /// The expression, e.g. "2*u - 2 - 2*log(u)"; `-` reads it from standard input.
        #[arg(allow_hyphen_values = true)]
        expr: String,
        #[command(flatten)]
        out: Output,
        #[command(flatten)]
        facts: Facts,
    },
    /// Differentiate an expression symbolically and simplify the result.
    #[command(
        after_help = "Examples:\n  fcorr diff \"u*log(u)\"\n  fcorr diff \"t^a\" --var a\n  fcorr diff \"log(cosh(t))\" --latex"
    )]
    Diff {
        /// The expression to differentiate; `-` reads it from standard input.
        #[arg(allow_hyphen_values = true)]
        expr: String,
        /// The variable (default: `t` or `u`, whichever the expression uses).
        #[arg(long)]
        var: Option<String>,
        #[command(flatten)]
        out: Output,
        #[command(flatten)]
        facts: Facts,
    },
    /// Evaluate an expression at points.
    #[command(
        after_help = "Examples:\n  fcorr eval \"exp(t) - t - 1\" --at 1e-8,0.5,2\n  fcorr eval \"(u^a - a*u + a - 1)/(a*(a - 1))\" --at 2 --param a=0.5"
    )]
    Eval {
        /// The expression to evaluate; `-` reads it from standard input.
        #[arg(allow_hyphen_values = true)]
        expr: String,
        /// Comma-separated values of the variable, e.g. `--at 0.5,2`.
        #[arg(
            long,
            value_delimiter = ',',
            required = true,
            allow_hyphen_values = true
        )]
        at: Vec<f64>,
        /// The variable (default: `t` or `u`, whichever the expression uses).
        #[arg(long)]
        var: Option<String>,
        /// A parameter value, `NAME=VALUE`; repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Also print the simplified expression in LaTeX.
        #[arg(long)]
        latex: bool,
    },
    /// Draw f(u), f′(u), g(t), g′(t) of one or more pairs as a paper figure (SVG or PNG).
    #[command(
        after_help = "The format follows the file name: `.svg` or `.png`. Sizes: `column` (3.5 in), `page` (7 in) at 300 dpi, or `--width` in pixels.\n\nExamples:\n  fcorr plot --from-loss \"t^2\" --from-loss \"exp(t) - t - 1\" -o fig.svg\n  fcorr plot --from-divergence hellinger --from-loss \"log(cosh(t))\" --size page -o fig.png"
    )]
    Plot {
        /// A loss g(t) or a catalog name; repeatable.
        #[arg(long = "from-loss", value_name = "EXPR", allow_hyphen_values = true)]
        losses: Vec<String>,
        /// A divergence generator f(u) or a catalog name; repeatable.
        #[arg(
            long = "from-divergence",
            value_name = "EXPR",
            allow_hyphen_values = true
        )]
        divergences: Vec<String>,
        /// The figure file, `.svg` or `.png`; written atomically.
        #[arg(short, long, value_name = "FILE")]
        output: std::path::PathBuf,
        /// `column` (3.5 in) or `page` (7 in), at 300 dpi.
        #[arg(long, default_value = "column", conflicts_with = "width")]
        size: fcorr::plot::Size,
        /// The width in pixels (240 to 8000), instead of `--size`.
        #[arg(long)]
        width: Option<u32>,
        /// The residual the losses are written on.
        #[arg(long, value_enum, default_value_t = ResidualArg::TargetMinusModel)]
        residual: ResidualArg,
        /// A parameter value, `NAME=VALUE` (exact); repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
    },
}

#[derive(Args, Debug)]
struct Output {
    /// Print LaTeX instead of plain text.
    #[arg(long, conflicts_with = "unicode")]
    latex: bool,
    /// Print Unicode mathematics instead of plain text.
    #[arg(long)]
    unicode: bool,
}

#[derive(Args, Debug)]
struct Facts {
    /// Treat a parameter as strictly positive (repeatable), e.g. `--positive a`.
    #[arg(long, value_name = "NAME")]
    positive: Vec<String>,
}

impl Facts {
    fn assumptions(&self) -> Assumptions {
        Assumptions::with_positive(self.positive.iter().map(String::as_str))
    }
}

/// A failure, with the exit code it maps to.
enum Failure {
    /// Bad input or usage (exit 2); the message is already rendered.
    Input(String),
    /// A value that cannot be trusted (exit 1).
    Check(String),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let quiet = cli.quiet;
    let result = match cli.command {
        Some(_) if cli.derive.from_loss.is_some() || cli.derive.from_divergence.is_some() => Err(
            error("`--from-loss` and `--from-divergence` cannot be combined with a subcommand"),
        ),
        Some(command) => run(command, color, quiet),
        None => derive(cli.derive, color),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(Failure::Input(msg)) => {
            eprint!("{msg}");
            ExitCode::from(2)
        }
        Err(Failure::Check(msg)) => {
            if !quiet {
                eprint!("{msg}");
            }
            ExitCode::from(1)
        }
    }
}

fn library_error(e: fcorr::Error, text: &str, color: bool) -> Failure {
    match e {
        fcorr::Error::Parse(p) => Failure::Input(fcorr::parse::render(&p, text, color)),
        fcorr::Error::Eval(e) => eval_error(e),
        other => error(other),
    }
}

/// `fcorr --from-loss EXPR` and `fcorr --from-divergence EXPR`.
fn derive(args: Derive, color: bool) -> Result<String, Failure> {
    use fcorr::transform::{Residual, from_divergence, from_loss};
    let residual: Residual = args.residual.into();
    let (text, loss) = match (args.from_loss, args.from_divergence) {
        (Some(g), None) => (read_expr(g)?, true),
        (None, Some(f)) => (read_expr(f)?, false),
        _ => {
            return Err(error(
                "nothing to do\n  = help: give `--from-loss EXPR`, `--from-divergence EXPR` or a subcommand; see `fcorr --help`",
            ));
        }
    };
    let (e, defaults) = named_or_parse(&text, loss, color)?;
    let bindings = bindings(&defaults, &args.params)?;
    let pair = if loss {
        from_loss(&e, residual, &bindings)
    } else {
        from_divergence(&e, residual, &bindings)
    }
    .map_err(|err| library_error(err, &text, color))?;
    if let Some(backend) = args.emit {
        return fcorr::emit::emit(&pair, backend.into())
            .map_err(|err| library_error(err, &text, color));
    }
    let values = pair
        .derived_values(&args.at)
        .map_err(|err| library_error(err, &text, color))?;
    let check = pair
        .gradient_check(&fcorr::check::CheckOptions::default())
        .map_err(|err| library_error(err, &text, color))?;
    let summary = fcorr::report::GradientSummary {
        max_rel_error: check.max_rel_error,
        models: check.models,
        categories: check.categories,
        holds: check.max_rel_error <= fcorr::report::proved_below(&pair),
    };
    let holds = summary.holds;
    let analysis = fcorr::analysis::analyze(
        &pair,
        &fcorr::check::CheckOptions::default(),
        args.regime.map(Into::into),
    )
    .map_err(|err| library_error(err, &text, color))?;
    if let Some(path) = &args.plot {
        let input = fcorr::plot::Input::new(text.clone(), pair.clone());
        fcorr::plot::plot_to_file(&[input], path, fcorr::plot::Size::Column).map_err(error)?;
    }
    let report = fcorr::report::Report {
        pair,
        values,
        gradient_check: Some(summary),
        analysis: Some(analysis),
    };
    let format = if args.json {
        ReportFormat::Json
    } else {
        args.format
    };
    let out = match format {
        ReportFormat::Text => report.text(),
        ReportFormat::Json => format!("{:#}\n", report.json()),
        ReportFormat::Latex => report.latex(),
        ReportFormat::Markdown => report.markdown(),
    };
    if holds {
        Ok(out)
    } else {
        print!("{out}");
        Err(Failure::Check(
            "error: the gradient check failed: the derived pair does not have the same expected gradient\n"
                .into(),
        ))
    }
}

/// The expression text: the argument itself, or standard input when it is `-`.
///
/// At most one byte more than the parser's limit is read, so an endless stream ends in the
/// parser's "too long" error rather than in memory exhaustion.
fn read_expr(arg: String) -> Result<String, Failure> {
    if arg != "-" {
        return Ok(arg);
    }
    let limit = u64::try_from(fcorr::parse::MAX_INPUT_BYTES).unwrap_or(u64::MAX) + 1;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| error(format!("cannot read standard input: {e}")))?;
    if bytes.len() as u64 >= limit {
        return Err(error(format!(
            "standard input holds more than {} bytes, the limit of an expression",
            fcorr::parse::MAX_INPUT_BYTES
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        error(format!(
            "standard input is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}

fn parse(text: &str, color: bool) -> Result<Expr, Failure> {
    fcorr::parse::parse(text).map_err(|e| Failure::Input(fcorr::parse::render(&e, text, color)))
}

fn error(msg: impl std::fmt::Display) -> Failure {
    Failure::Input(format!("error: {msg}\n"))
}

fn eval_error(e: fcorr::eval::EvalError) -> Failure {
    match e.help() {
        Some(help) => error(format!("{e}\n  = help: {help}")),
        None => error(e),
    }
}

fn show(e: &Expr, out: &Output) -> String {
    if out.latex {
        fcorr::print::latex(e)
    } else if out.unicode {
        fcorr::print::unicode(e)
    } else {
        fcorr::print::plain(e)
    }
}

/// A number as a person reads it: the shortest text that reads back to the same `f64`,
/// in scientific notation when very small or very large.
fn number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if a != 0.0 && !(1e-4..1e15).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The variable to use: the one given, or the one of `t`/`u` the expression contains.
fn pick_var(e: &Expr, given: Option<String>) -> Result<String, Failure> {
    if let Some(v) = given {
        return Ok(v);
    }
    match (e.contains_sym("t"), e.contains_sym("u")) {
        (true, true) => Err(error(
            "the expression uses both `t` and `u`\n  = help: choose one with `--var t` or `--var u`",
        )),
        (false, true) => Ok("u".into()),
        _ => Ok("t".into()),
    }
}

/// An expression, or the expression of a catalog entry of the given kind.
fn named_or_parse(
    text: &str,
    loss: bool,
    color: bool,
) -> Result<(Expr, Vec<(String, String)>), Failure> {
    let named = if loss {
        fcorr::catalog::loss(text).map(|l| (l.g, l.params))
    } else {
        fcorr::catalog::divergence(text).map(|d| (d.f, d.params))
    };
    match named {
        Some((body, params)) => Ok((
            parse(body, color)?,
            params
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        )),
        None => Ok((parse(text, color)?, Vec::new())),
    }
}

/// Parameter bindings: catalog defaults first, then the user's `--param` values.
fn bindings(
    defaults: &[(String, String)],
    params: &[String],
) -> Result<fcorr::transform::Bindings, Failure> {
    let mut b = fcorr::transform::Bindings::new();
    for (n, v) in defaults {
        if !params
            .iter()
            .any(|p| p.split('=').next().map(str::trim) == Some(n.as_str()))
        {
            b.set_from_str(&format!("{n}={v}")).map_err(error)?;
        }
    }
    for p in params {
        b.set_from_str(p).map_err(error)?;
    }
    Ok(b)
}

/// `fcorr plot`: derive every pair, then draw them overlaid in one figure.
fn plot(
    losses: Vec<String>,
    divergences: Vec<String>,
    output: &std::path::Path,
    size: fcorr::plot::Size,
    residual: ResidualArg,
    params: &[String],
    color: bool,
) -> Result<String, Failure> {
    use fcorr::transform::{from_divergence, from_loss};
    fcorr::plot::Format::from_path(output).map_err(error)?;
    size.layout().map_err(error)?;
    let inputs = losses.into_iter().map(|t| (t, true));
    let inputs = inputs.chain(divergences.into_iter().map(|t| (t, false)));
    let mut pairs = Vec::new();
    for (text, loss) in inputs {
        let text = read_expr(text)?;
        let (e, defaults) = named_or_parse(&text, loss, color)?;
        let b = bindings(&defaults, params)?;
        let pair = if loss {
            from_loss(&e, residual.into(), &b)
        } else {
            from_divergence(&e, residual.into(), &b)
        }
        .map_err(|err| library_error(err, &text, color))?;
        pairs.push(fcorr::plot::Input::new(text, pair));
    }
    fcorr::plot::plot_to_file(&pairs, output, size).map_err(error)?;
    Ok(format!("wrote {}\n", output.display()))
}

fn run(cmd: Command, color: bool, quiet: bool) -> Result<String, Failure> {
    match cmd {
        Command::Plot {
            losses,
            divergences,
            output,
            size,
            width,
            residual,
            params,
        } => {
            let size = width.map_or(size, fcorr::plot::Size::Pixels);
            // The figure is the result; the confirmation is a message, on standard error.
            let message = plot(losses, divergences, &output, size, residual, &params, color)?;
            if !quiet {
                eprint!("{message}");
            }
            Ok(String::new())
        }
        Command::Catalog { format } => {
            let rows = fcorr::report::catalog_rows().map_err(error)?;
            Ok(match format {
                CatalogFormat::Text => fcorr::report::catalog_text(&rows),
                CatalogFormat::Json => format!("{:#}\n", fcorr::report::catalog_json(&rows)),
                CatalogFormat::Markdown => fcorr::report::catalog_markdown(&rows),
                CatalogFormat::Latex => fcorr::report::catalog_latex(&rows),
            })
        }
        Command::Check {
            loss,
            divergence,
            residual,
            params,
            json,
        } => {
            let residual = residual.into();
            let loss = read_expr(loss)?;
            let (g, mut defaults) = named_or_parse(&loss, true, color)?;
            let (f, more) = named_or_parse(&divergence, false, color)?;
            defaults.extend(more);
            let b = bindings(&defaults, &params)?;
            let claim = fcorr::analysis::claim::check_claim(&g, &f, residual, &b)
                .map_err(|e| library_error(e, &loss, color))?;
            let text = if json {
                format!("{:#}\n", fcorr::report::claim_json(&claim))
            } else {
                fcorr::report::claim_text(&claim)
            };
            if claim.holds {
                Ok(text)
            } else {
                print!("{text}");
                Err(Failure::Check(
                    "error: the claim does not hold: the loss does not train this divergence\n"
                        .into(),
                ))
            }
        }
        Command::Simplify { expr, out, facts } => {
            let expr = read_expr(expr)?;
            let e = parse(&expr, color)?;
            let s = fcorr::simplify::simplify_with(&e, &facts.assumptions()).map_err(error)?;
            Ok(format!("{}\n", show(&s, &out)))
        }
        Command::Diff {
            expr,
            var,
            out,
            facts,
        } => {
            let expr = read_expr(expr)?;
            let e = parse(&expr, color)?;
            let var = pick_var(&e, var)?;
            let d = fcorr::diff::diff_with(&e, &var, &facts.assumptions()).map_err(error)?;
            Ok(format!("{}\n", show(&d, &out)))
        }
        Command::Eval {
            expr,
            at,
            var,
            params,
            latex,
        } => {
            let expr = read_expr(expr)?;
            let e = parse(&expr, color)?;
            let s = fcorr::simplify::simplify(&e).map_err(error)?;
            let var = pick_var(&s, var)?;
            let mut values = Params::new();
            for p in &params {
                values.set_from_str(p).map_err(eval_error)?;
            }
            let params = values;
            let program = compile(&s, &var, &params).map_err(eval_error)?;
            let mut text = String::new();
            if latex {
                text.push_str(&format!("{}\n", fcorr::print::latex(&s)));
            }
            let mut untrusted = Vec::new();
            for x in at {
                if var == "u" && (x.is_nan() || x <= 0.0) {
                    return Err(error(format!(
                        "u = {x} is outside the domain u > 0\n  = help: u is the ratio q/pθ of two probabilities"
                    )));
                }
                let y = program.eval(x);
                if y.is_finite() {
                    text.push_str(&format!("{var} = {}\t{}\n", number(x), number(y)));
                    if let (false, Ok(Some(c))) = (quiet, cancellation(&s, &var, &params, x)) {
                        eprintln!(
                            "warning: at {var} = {} the sum `{}` cancels: about {} of 16 digits are lost\n  = help: rewrite it in a form that does not subtract nearly equal terms (see the README, \"Accuracy\")",
                            number(x),
                            c.sum,
                            c.digits_lost()
                        );
                    }
                } else {
                    text.push_str(&format!("{var} = {}\tnot finite ({y})\n", number(x)));
                    untrusted.push(x);
                }
            }
            if untrusted.is_empty() {
                Ok(text)
            } else {
                print!("{text}");
                Err(Failure::Check(format!(
                    "error: the value is not finite at {var} = {}\n",
                    untrusted
                        .iter()
                        .map(|x| number(*x))
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
