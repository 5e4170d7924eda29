//! The `fcorr` command: a thin front over the library.
//!
//! Results go to stdout, messages to stderr. Exit codes: 0 success, 1 a check failed or a value
//! is not trustworthy (for a report: the gradient check failed, or every value and regime asked
//! for was refused; one refused among others is reported on its line), 2 bad input or usage,
//! 3 an internal error (a bug, with an invitation to report it).

use clap::{Args, Parser, Subcommand, ValueEnum};
use fcorr::Expr;
use fcorr::eval::{cancellation, compile};
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
    #[arg(long, value_parser = points, allow_hyphen_values = true)]
    at: Vec<Points>,
    /// A parameter value, `NAME=VALUE` (exact: `alpha=1/2`); repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// An assumption on a family's parameter, `a > 0`, `a <= 1`, `a != 0` or `a integer`; repeatable.
    #[arg(long = "assume", value_name = "CONDITION", allow_hyphen_values = true)]
    assume: Vec<String>,
    /// Print the report as JSON (the same as `--format json`).
    #[arg(long)]
    json: bool,
    /// The report's format (default `text`).
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Also derive and prove the generator of one training regime (Hu et al. 2025, Thm B.1).
    #[arg(long, value_enum)]
    regime: Option<RegimeArg>,
    /// Also draw the pair's figure (f, f′, g, g′) to FILE, `.svg`, `.pdf`, `.png` or `.tex`, one column wide.
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
        /// The output format (default `text`).
        #[arg(long, value_enum)]
        format: Option<CatalogFormat>,
        /// Print the catalog as JSON (the same as `--format json`).
        #[arg(long)]
        json: bool,
    },
    /// Check that a loss trains a claimed divergence, up to an affine term a + b·u of the generator.
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
        #[command(flatten)]
        output: PlainOutput,
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
        #[command(flatten)]
        output: PlainOutput,
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
        #[command(flatten)]
        output: PlainOutput,
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
        #[arg(long, value_parser = points, required = true, allow_hyphen_values = true)]
        at: Vec<Points>,
        /// The variable (default: `t` or `u`, whichever the expression uses).
        #[arg(long)]
        var: Option<String>,
        /// A parameter value, `NAME=VALUE`; repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Also print the simplified expression in LaTeX.
        #[arg(long)]
        latex: bool,
        #[command(flatten)]
        output: PlainOutput,
    },
    /// Draw f(u), f′(u), g(t), g′(t) of one or more pairs as a paper figure (SVG, PDF, PNG or pgfplots).
    #[command(
        after_help = "The format follows the file name: `.svg`, `.pdf` (fonts embedded), `.png` (anti-aliased) or `.tex` (pgfplots). Sizes: `column` (3.5 in), `page` (7 in), `icml` (3.25 in), `icml-page` (6.75 in), `neurips` (5.5 in); a PNG is at 300 dpi, or `--width` pixels wide.\n\nExamples:\n  fcorr plot --from-loss \"t^2\" --from-loss \"exp(t) - t - 1\" --from-divergence js -o fig.pdf\n  fcorr plot --from-loss \"t^2\" --from-divergence hellinger --legend name -o fig.tex\n  fcorr plot --from-loss \"log(cosh(t))\" --u-range 0.1:10 --y-range \"f'=-2:2\" --canonical -o fig.png\n  fcorr plot --from-loss linex --sweep alpha=-1:2:7 -o linex.pdf"
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
        /// The figure file, `.svg`, `.pdf`, `.png` or `.tex`; written atomically.
        #[arg(short, long, value_name = "FILE")]
        output: std::path::PathBuf,
        /// The residual the losses are written on.
        #[arg(long, value_enum, default_value_t = ResidualArg::TargetMinusModel)]
        residual: ResidualArg,
        /// A parameter value, `NAME=VALUE` (exact); repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Draw the members of a family: `NAME=LO:HI:N`, N values of the parameter from LO to
        /// HI in equal exact steps, one curve each, the legend by value.
        #[arg(long, value_name = "NAME=LO:HI:N", allow_hyphen_values = true)]
        sweep: Option<String>,
        #[command(flatten)]
        figure: FigureArgs,
    },
    /// Exact gradient noise of losses on a categorical model: V(c), the optimal shift, off-policy bias and ESS.
    #[command(
        after_help = "Lists are numbers separated by commas or whitespace, or `@FILE`.\n\nExamples:\n  fcorr variance --from-loss \"t^2\" --logits 0,1,2 --target 1,1,1\n  fcorr variance --from-loss squared --from-loss linex --from-loss \"exp(t) - 1\" --outcomes 1000 --shift -2:2:41\n  fcorr variance --from-loss linex --outcomes 50 --behaviour mix-uniform:0.2 --samples 100000 --json"
    )]
    Variance(VarianceArgs),
}

/// `fcorr variance`: the inputs, the model, the shifts and what else to compute.
#[derive(Args, Debug)]
struct VarianceArgs {
    /// A loss g(t) or a catalog name; repeatable (the reports are side by side).
    #[arg(long = "from-loss", value_name = "EXPR", allow_hyphen_values = true)]
    losses: Vec<String>,
    /// A divergence generator f(u) or a catalog name; repeatable.
    #[arg(
        long = "from-divergence",
        value_name = "EXPR",
        allow_hyphen_values = true
    )]
    divergences: Vec<String>,
    /// The residual the losses are written on.
    #[arg(long, value_enum, default_value_t = ResidualArg::TargetMinusModel)]
    residual: ResidualArg,
    /// A parameter value, `NAME=VALUE` (exact); repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// The logits θ of pθ = softmax(θ): a list or `@FILE`.
    #[arg(
        long,
        value_name = "LIST",
        allow_hyphen_values = true,
        requires = "target",
        conflicts_with = "outcomes"
    )]
    logits: Option<String>,
    /// The target q (non-negative, normalised by its sum): a list or `@FILE`.
    #[arg(long, value_name = "LIST", requires = "logits")]
    target: Option<String>,
    /// Generate a model with this many outcomes (2 to 1000000) instead of `--logits`.
    #[arg(long, value_name = "K")]
    outcomes: Option<usize>,
    /// The seed of the generated model and of the Monte Carlo samples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The generated target: `uniform`, `zipf[:S]` or `peaked[:M]`.
    #[arg(long, value_name = "SHAPE", default_value = "zipf")]
    target_shape: fcorr::variance::TargetShape,
    /// The generated model's temperature: logits are standard normal over T.
    #[arg(long, value_name = "T", default_value_t = 1.0)]
    temperature: f64,
    /// The shifts c: `FROM:TO:COUNT` or a list.
    #[arg(
        long,
        value_name = "SHIFTS",
        default_value = "-2:2:9",
        allow_hyphen_values = true
    )]
    shift: String,
    /// Sample from μ instead of pθ: `uniform`, `tempered:T`, `mix-uniform:λ`, `mix-target:λ`, `target`, a list or `@FILE`.
    #[arg(long, value_name = "MU", allow_hyphen_values = true)]
    behaviour: Option<String>,
    /// Also `target-samples-model-gradient`: x ∼ q without weights.
    #[arg(long, value_enum)]
    regime: Option<RegimeArg>,
    /// Confirm by Monte Carlo with N samples (seeded by `--seed`).
    #[arg(long, value_name = "N")]
    samples: Option<usize>,
    /// Print the report as JSON (the same as `--format json`).
    #[arg(long)]
    json: bool,
    /// The report's format (default `text`).
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Also draw V(c) and ESS and bias against the mixture weight to FILE (`.svg`, `.pdf`, `.png` or `.tex`).
    #[arg(long, value_name = "FILE")]
    plot: Option<std::path::PathBuf>,
    /// The figure's size: `column` (3.5 in), `page` (7 in), `icml`, `icml-page`, `neurips`, or a PNG width in pixels.
    #[arg(long, default_value = "column")]
    size: fcorr::plot::Size,
}

/// What `fcorr plot` shows: ranges, legend, canonical members.
#[derive(Args, Debug)]
struct FigureArgs {
    /// `column` (3.5 in), `page` (7 in), `icml` (3.25 in), `icml-page` (6.75 in) or `neurips` (5.5 in).
    #[arg(long, default_value = "column", conflicts_with = "width")]
    size: fcorr::plot::Size,
    /// The width in pixels (240 to 8000), instead of `--size`.
    #[arg(long)]
    width: Option<u32>,
    /// Legend entries: `expr` (the loss g or generator f, typeset) or `name` (the identified named divergence, else the expression).
    #[arg(long, value_enum, default_value_t = LegendArg::Expr)]
    legend: LegendArg,
    /// The range of u = q/pθ, `LO:HI` (default 0.01:100).
    #[arg(long, value_name = "LO:HI", allow_hyphen_values = true)]
    u_range: Option<String>,
    /// The range of t = log q − log pθ, `LO:HI` (default -4:4).
    #[arg(long, value_name = "LO:HI", allow_hyphen_values = true)]
    t_range: Option<String>,
    /// A panel's y-range, `PANEL=LO:HI` with PANEL one of f, f', g, g'; repeatable.
    #[arg(long, value_name = "PANEL=LO:HI", allow_hyphen_values = true)]
    y_range: Vec<String>,
    /// Draw each pair's canonical member f − f′(1)(u − 1) ↔ g − g′(0)·t, so shapes compare fairly.
    #[arg(long)]
    canonical: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum LegendArg {
    /// The loss g or generator f as typeset math.
    Expr,
    /// The identified named divergence, e.g. 2 × KL(pθ‖q).
    Name,
}

impl FigureArgs {
    fn options(&self) -> Result<fcorr::plot::Options, Failure> {
        let mut o = fcorr::plot::Options::default();
        if let Some(r) = &self.u_range {
            o.u_range = fcorr::plot::parse_range(r).map_err(error)?;
        }
        if let Some(r) = &self.t_range {
            o.t_range = fcorr::plot::parse_range(r).map_err(error)?;
        }
        for r in &self.y_range {
            let (k, range) = fcorr::plot::parse_panel_range(r).map_err(error)?;
            o.y_ranges[k] = Some(range);
        }
        o.canonical = self.canonical;
        o.validate().map_err(error)?;
        Ok(o)
    }
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
    /// A bug in fcorr (exit 3); the message is already rendered and invites a report.
    Internal(String),
}

/// The arguments, parsed as `Cli::try_parse` parses them, with the same errors.
///
/// The command that clap builds to parse them holds a few hundred allocations: the process
/// ends soon after, so it is left to the operating system instead of being freed one by one
/// (about 70 K instructions a run).
fn parse_args() -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut command = Cli::command();
    let matches = command.try_get_matches_from_mut(std::env::args_os());
    std::mem::forget(command);
    let mut matches = matches?;
    let cli = Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut Cli::command()));
    std::mem::forget(matches);
    cli
}

fn main() -> ExitCode {
    let cli = match parse_args() {
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
            emit(&text);
            ExitCode::SUCCESS
        }
        Err(Failure::Input(msg)) => {
            emit_err(&msg);
            ExitCode::from(2)
        }
        Err(Failure::Check(msg)) => {
            if !quiet {
                emit_err(&msg);
            }
            ExitCode::from(1)
        }
        Err(Failure::Internal(msg)) => {
            emit_err(&msg);
            ExitCode::from(3)
        }
    }
}

fn library_error(e: fcorr::Error, text: &str, color: bool) -> Failure {
    let rendered = fcorr::render_error(&e, text, color);
    match e.kind() {
        fcorr::ErrorKind::Internal => Failure::Internal(rendered),
        _ => Failure::Input(rendered),
    }
}

/// `fcorr --from-loss EXPR` and `fcorr --from-divergence EXPR`.
fn derive(args: Derive, color: bool) -> Result<String, Failure> {
    use fcorr::transform::{Residual, from_divergence, from_loss};
    let residual: Residual = args.residual.into();
    let (text, loss) = match (args.from_loss.clone(), args.from_divergence.clone()) {
        (Some(g), None) => (read_expr(g)?, true),
        (None, Some(f)) => (read_expr(f)?, false),
        _ => {
            return Err(error(
                "nothing to do\n  = help: give `--from-loss EXPR`, `--from-divergence EXPR` or a subcommand; see `fcorr --help`",
            ));
        }
    };
    let subject = match subject(&text, loss, color)? {
        s if loss => s.on_residual(residual),
        s => s,
    };
    if fcorr::family::derive::is_family(&subject, &args.params) {
        return family(args, &subject, loss, &text, color);
    }
    if let Some(a) = args.assume.first() {
        return Err(error(format!(
            "`--assume {a}` is for a family, but every parameter of the input has a value\n  = help: leave the parameter without `--param` to derive the family"
        )));
    }
    let resolved = fcorr::params::bind(&subject, VARIABLES, &args.params).map_err(param_error)?;
    // The analysis shares its parts with a second thread, started while the pair is derived.
    if args.emit.is_none() {
        fcorr::analysis::prepare_threads();
    }
    let pair = if loss {
        from_loss(&subject.expr, residual, &resolved.bindings)
    } else {
        from_divergence(&subject.expr, residual, &resolved.bindings)
    }
    .map_err(|err| library_error(err, &text, color))?;
    if let Some(backend) = args.emit {
        return fcorr::emit::emit(&pair, backend.into())
            .map_err(|err| library_error(err, &text, color));
    }
    // The values and the gradient check run alongside the analysis (on two threads where
    // there are two cores); a refused point is reported before anything the analysis says.
    let (analysis, (values, summary)) = fcorr::analysis::analyze_alongside(
        &pair,
        &fcorr::check::CheckOptions::default(),
        args.regime.map(Into::into),
        || {
            let values = pair.derived_points(&Points::all(&args.at));
            let summary = pair
                .gradient_check(&fcorr::check::CheckOptions::default())
                .map(|check| fcorr::report::GradientSummary::of(&pair, &check))
                .map_err(Into::into);
            (values, summary)
        },
    );
    let values = values.map_err(|err| library_error(err, &text, color))?;
    let analysis = analysis.map_err(|err| library_error(err, &text, color))?;
    if let Some(path) = &args.plot {
        let input = fcorr::plot::Input::labelled(pair.clone(), fcorr::plot::Legend::Expr);
        fcorr::plot::plot_to_file(&[input], path, fcorr::plot::Size::Column).map_err(error)?;
    }
    let report = fcorr::report::Report {
        pair,
        values,
        gradient_check: Some(summary),
        analysis: Some(analysis),
        parameters: resolved.used,
    };
    let format = chosen_format(
        args.json,
        args.format,
        ReportFormat::Json,
        ReportFormat::Text,
    )?;
    let out = match format {
        ReportFormat::Text => report.text(),
        ReportFormat::Json => report.json_text(),
        ReportFormat::Latex => report.latex(),
        ReportFormat::Markdown => report.markdown(),
    };
    // A part that failed by a bug is on its line; the exit code says so too.
    let internal = report
        .analysis
        .as_ref()
        .and_then(|a| a.internal_error())
        .map(str::to_string);
    if let Some(why) = internal {
        emit(&out);
        return Err(Failure::Internal(format!("error: {why}\n")));
    }
    match fcorr::report_failure(&report) {
        None => Ok(out),
        Some(why) => {
            emit(&out);
            Err(Failure::Check(format!("error: {why}\n")))
        }
    }
}

/// `fcorr --from-loss linex` (a parameter left without a value): the family's cases.
fn family(
    args: Derive,
    subject: &fcorr::params::Subject,
    loss: bool,
    text: &str,
    color: bool,
) -> Result<String, Failure> {
    use fcorr::transform::Direction;
    let needs_value = [
        (!args.at.is_empty(), "--at"),
        (args.regime.is_some(), "--regime"),
        (args.plot.is_some(), "--plot"),
        (args.emit.is_some(), "--emit"),
    ];
    if let Some((_, flag)) = needs_value.iter().find(|(given, _)| *given) {
        let params = subject.parameters(VARIABLES).join("`, `");
        return Err(error(format!(
            "`{flag}` needs a member of the family: give `{params}` a value with `--param`"
        )));
    }
    let assumptions = args
        .assume
        .iter()
        .map(|a| fcorr::family::parse_assumption(a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| library_error(err, text, color))?;
    let direction = if loss {
        Direction::FromLoss
    } else {
        Direction::FromDivergence
    };
    let family = fcorr::family::derive(
        subject,
        direction,
        args.residual.into(),
        &args.params,
        &assumptions,
    )
    .map_err(|err| library_error(err, text, color))?;
    let format = chosen_format(
        args.json,
        args.format,
        ReportFormat::Json,
        ReportFormat::Text,
    )?;
    let out = match format {
        ReportFormat::Text => family.text(),
        ReportFormat::Json => format!("{:#}\n", family.json()),
        ReportFormat::Latex => family.latex(),
        ReportFormat::Markdown => family.markdown(),
    };
    match family.failure() {
        None => Ok(out),
        Some(why) => {
            emit(&out);
            Err(Failure::Check(format!("error: {why}\n")))
        }
    }
}

/// Writes `text` to standard output. A reader that has gone away (`fcorr … | head`) ends the
/// run quietly with exit code 0; any other failure to write is reported, with exit code 2.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        emit_err(&format!("error: cannot write the output: {e}\n"));
        std::process::exit(2);
    }
}

/// Writes `text` to standard error, ignoring a failure to write there (nothing is left to tell).
fn emit_err(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
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

/// `--json` and `--format` of a subcommand whose result is text or JSON.
#[derive(Args, Debug)]
struct PlainOutput {
    /// Print the result as JSON (the same as `--format json`).
    #[arg(long)]
    json: bool,
    /// The output format (default `text`).
    #[arg(long, value_enum)]
    format: Option<PlainFormat>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum PlainFormat {
    /// Text for a terminal.
    Text,
    /// One JSON object (see the README for the keys).
    Json,
    /// A Markdown table.
    Markdown,
    /// LaTeX.
    Latex,
}

impl PlainFormat {
    /// The name as `--format` takes it.
    fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    }
}

impl PlainOutput {
    /// The format asked for (a usage error when `--json` and `--format` disagree).
    fn format(&self) -> Result<PlainFormat, Failure> {
        chosen_format(self.json, self.format, PlainFormat::Json, PlainFormat::Text)
    }

    /// The same, where `--latex` and `--unicode` choose the text's notation: they conflict with
    /// JSON and Markdown, and `--unicode` with LaTeX (`--latex --format latex` is LaTeX).
    fn format_with(&self, out: &Output) -> Result<PlainFormat, Failure> {
        let format = self.format()?;
        let flag = match format {
            PlainFormat::Text => None,
            PlainFormat::Latex => out.unicode.then_some("--unicode"),
            PlainFormat::Json | PlainFormat::Markdown => (out.latex || out.unicode)
                .then_some(if out.latex { "--latex" } else { "--unicode" }),
        };
        match (flag, format) {
            (None, _) => Ok(format),
            (Some(flag), PlainFormat::Json) => Err(error(format!(
                "`{flag}` conflicts with JSON output\n  = help: the JSON object has `expr`, `latex` and `unicode`; give one of the flags"
            ))),
            (Some(flag), f) => Err(error(format!(
                "`{flag}` conflicts with `--format {}`\n  = help: `--latex` and `--unicode` choose the notation of the text output; give one of them",
                f.name()
            ))),
        }
    }
}

/// The format chosen by `--json` (which is `--format json`) and `--format`: giving both with
/// different formats is a usage error.
fn chosen_format<F: ValueEnum + Copy + PartialEq>(
    json: bool,
    format: Option<F>,
    as_json: F,
    default: F,
) -> Result<F, Failure> {
    match (json, format) {
        (true, Some(f)) if f != as_json => {
            let name = f
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string());
            Err(error(format!(
                "`--json` conflicts with `--format {name}`\n  = help: `--json` is `--format json`; give one of them"
            )))
        }
        (true, _) => Ok(as_json),
        (false, f) => Ok(f.unwrap_or(default)),
    }
}

/// A JSON output of `command`, with its `schema_version`, as printed.
fn json_text(command: &'static str, value: &impl serde::Serialize) -> String {
    let value = serde_json::to_value(fcorr::report::model::Versioned::new(command, value))
        .unwrap_or(serde_json::Value::Null);
    format!("{value:#}\n")
}

/// The result of `simplify` or `diff` (`command`) in `format`; text in the notation `out` asks
/// for.
fn expression_output(
    command: &'static str,
    format: PlainFormat,
    result: &fcorr::report::ExpressionOutput,
    out: &Output,
) -> String {
    match format {
        PlainFormat::Text if out.unicode => format!("{}\n", result.unicode),
        PlainFormat::Text if !out.latex => format!("{}\n", result.expr),
        PlainFormat::Text | PlainFormat::Latex => result.latex_line(),
        PlainFormat::Json => json_text(command, result),
        PlainFormat::Markdown => result.markdown(),
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

/// The names that are never parameters.
const VARIABLES: &[&str] = &[fcorr::expr::LOSS_VAR, fcorr::expr::DIVERGENCE_VAR];

/// A catalog entry of the given kind, or the expression `text`.
fn subject(text: &str, loss: bool, color: bool) -> Result<fcorr::params::Subject, Failure> {
    let s = if loss {
        fcorr::params::Subject::loss(text)
    } else {
        fcorr::params::Subject::divergence(text)
    };
    s.map_err(|e| library_error(e, text, color))
}

fn param_error(e: fcorr::params::ParamError) -> Failure {
    match e.help() {
        Some(help) => error(format!("{e}\n  = help: {help}")),
        None => error(e),
    }
}

/// The points of one `--at`, read in one pass: a thousand of them cost one string split and a
/// float parse each, not a command-line value each.
#[derive(Clone, Debug)]
struct Points(Vec<f64>);

impl Points {
    /// Every point of every `--at`, in order.
    fn all(lists: &[Points]) -> Vec<f64> {
        lists.iter().flat_map(|p| p.0.iter().copied()).collect()
    }
}

/// `--at 0.5,2,1e3`: numbers separated by commas (spaces around them allowed).
///
/// A plain byte loop finds the commas and a point without spaces is not trimmed: with
/// `str::split`, `trim` and `collect` a point cost 560 instructions, now 440, of which the float
/// parse (`core`'s Eisel–Lemire, the fast_float algorithm) is 290.
fn points(text: &str) -> Result<Points, String> {
    let mut points = Vec::new();
    let mut rest = text;
    loop {
        let (point, tail) = match rest.bytes().position(|b| b == b',') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let point = trimmed(point);
        if point.is_empty() {
            return Err("a point is missing between two commas or at an end".to_string());
        }
        let x = point
            .parse::<f64>()
            .map_err(|_| format!("`{point}` is not a number"))?;
        representable(point, x)?;
        points.push(x);
        match tail {
            Some(tail) => rest = tail,
            None => return Ok(Points(points)),
        }
    }
}

/// A point written as a number that a 64-bit float cannot hold is refused, not read as `inf` or
/// `0` (`1e400`, `1e-400`); `inf` written as such is kept, for the domain check to name.
fn representable(point: &str, x: f64) -> Result<(), String> {
    let mantissa = point.split(['e', 'E']).next().unwrap_or(point);
    let digits = mantissa.bytes().any(|b| b.is_ascii_digit());
    if x.is_infinite() && digits {
        return Err(format!(
            "`{point}` is too large for a 64-bit float (the largest is about 1.8e308)"
        ));
    }
    if x == 0.0 && mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        return Err(format!(
            "`{point}` is too small for a 64-bit float: it would be read as 0 (the smallest positive is about 4.9e-324)"
        ));
    }
    Ok(())
}

/// `text` without white space at either end, as `str::trim` returns it; a text that starts and
/// ends with a visible ASCII character is returned after two comparisons.
fn trimmed(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// What `fcorr plot` draws: the inputs as typed, the residual, the parameters and the sweep.
struct PlotInputs {
    losses: Vec<String>,
    divergences: Vec<String>,
    residual: ResidualArg,
    params: Vec<String>,
    sweep: Option<String>,
}

/// `fcorr plot`: derive every pair, then draw them overlaid in one figure.
fn plot(
    inputs: PlotInputs,
    output: &std::path::Path,
    figure: &FigureArgs,
    color: bool,
) -> Result<String, Failure> {
    use fcorr::transform::{from_divergence, from_loss};
    let size = figure.width.map_or(figure.size, fcorr::plot::Size::Pixels);
    fcorr::plot::Format::from_path(output).map_err(error)?;
    size.layout().map_err(error)?;
    let options = figure.options()?;
    let legend = match figure.legend {
        LegendArg::Expr => fcorr::plot::Legend::Expr,
        LegendArg::Name => fcorr::plot::Legend::Name,
    };
    let residual = inputs.residual;
    let params = &inputs.params;
    let typed = inputs.losses.into_iter().map(|t| (t, true));
    let typed = typed.chain(inputs.divergences.into_iter().map(|t| (t, false)));
    let mut subjects = Vec::new();
    for (text, loss) in typed {
        let text = read_expr(text)?;
        let s = subject(&text, loss, color)?;
        let s = if loss {
            s.on_residual(residual.into())
        } else {
            s
        };
        subjects.push((s, text, loss));
    }
    let derive = |s: &fcorr::params::Subject,
                  bindings: &fcorr::transform::Bindings,
                  text: &str,
                  loss: bool| {
        if loss {
            from_loss(&s.expr, residual.into(), bindings)
        } else {
            from_divergence(&s.expr, residual.into(), bindings)
        }
        .map_err(|err| library_error(err, text, color))
    };
    let mut pairs = Vec::new();
    if let Some(text) = &inputs.sweep {
        let sweep = fcorr::params::sweep::Sweep::parse(text).map_err(param_error)?;
        let swept: Vec<bool> = subjects
            .iter()
            .map(|(s, _, _)| s.parameters(VARIABLES).contains(&sweep.name))
            .collect();
        check_sweep(&sweep, &subjects, &swept, params)?;
        let several = subjects.len() > 1;
        for ((s, text, loss), swept) in subjects.iter().zip(swept) {
            if !swept {
                let r = fcorr::params::bind(s, VARIABLES, params).map_err(param_error)?;
                let pair = derive(s, &r.bindings, text, *loss)?;
                pairs.push(fcorr::plot::Input::labelled(pair, legend));
                continue;
            }
            for value in &sweep.values {
                let mut given = params.clone();
                given.push(sweep.assignment(value));
                let mut label = sweep.label(value);
                let pair = match fcorr::params::bind(s, VARIABLES, &given) {
                    Ok(r) => derive(s, &r.bindings, text, *loss)?,
                    Err(e) => {
                        // A member undefined at the value is drawn at its limit there.
                        let fcorr::params::ParamError::Undefined { .. } = &e else {
                            return Err(param_error(e));
                        };
                        let Ok(limit) = fcorr::family::limit(&s.expr, &sweep.name, value) else {
                            return Err(param_error(e));
                        };
                        label.push_str(" (limit)");
                        let at_limit = fcorr::params::Subject {
                            label: s.label.clone(),
                            key: None,
                            expr: limit,
                            defaults: s.defaults,
                            cancelled: Vec::new(),
                        };
                        let others: Vec<String> = params
                            .iter()
                            .filter(|p| {
                                fcorr::params::parse_assignment(p)
                                    .is_ok_and(|a| at_limit.parameters(VARIABLES).contains(&a.name))
                            })
                            .cloned()
                            .collect();
                        let r = fcorr::params::bind(&at_limit, VARIABLES, &others)
                            .map_err(param_error)?;
                        derive(&at_limit, &r.bindings, text, *loss)?
                    }
                };
                if several {
                    label = format!("{}, {label}", text.replace('$', ""));
                }
                pairs.push(fcorr::plot::Input { label, pair });
            }
        }
    } else {
        let refs: Vec<_> = subjects.iter().map(|(s, _, _)| s).collect();
        let resolved = fcorr::params::bind_each(&refs, VARIABLES, params).map_err(param_error)?;
        for ((s, text, loss), r) in subjects.iter().zip(resolved) {
            let pair = derive(s, &r.bindings, text, *loss)?;
            pairs.push(fcorr::plot::Input::labelled(pair, legend));
        }
    }
    fcorr::plot::plot_with_options(&pairs, output, size, &options).map_err(error)?;
    Ok(format!("wrote {}\n", output.display()))
}

/// A sweep's parameter must be a parameter of some input and not also given a value.
fn check_sweep(
    sweep: &fcorr::params::sweep::Sweep,
    subjects: &[(fcorr::params::Subject, String, bool)],
    swept: &[bool],
    params: &[String],
) -> Result<(), Failure> {
    if !swept.contains(&true) {
        let refs: Vec<_> = subjects.iter().map(|(s, _, _)| s).collect();
        // The parameter language's own message, with its suggestion, for an unknown name.
        let unknown =
            fcorr::params::bind_each(&refs, VARIABLES, &[sweep.assignment(&sweep.values[0])]);
        return Err(match unknown {
            Err(e @ fcorr::params::ParamError::Unknown { .. }) => param_error(e),
            _ => error(format!("no input has the parameter `{}`", sweep.spelled)),
        });
    }
    let given = fcorr::params::parse_assignments(params).map_err(param_error)?;
    if given.iter().any(|a| a.name == sweep.name) {
        return Err(error(format!(
            "`{}` is swept and given a value with --param\n  = help: give it either with --sweep or with --param",
            sweep.spelled
        )));
    }
    Ok(())
}

/// A list argument: the text itself, or the contents of the file after `@` (at most 64 MiB,
/// room for a million numbers written in full).
fn read_list(arg: &str) -> Result<String, Failure> {
    const LIMIT: u64 = 64 << 20;
    let Some(path) = arg.strip_prefix('@') else {
        return Ok(arg.to_string());
    };
    let cannot = |e: std::io::Error| error(format!("cannot read `{path}`: {e}"));
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(LIMIT + 1).read_to_string(&mut text))
        .map_err(cannot)?;
    if text.len() as u64 > LIMIT {
        return Err(error(format!(
            "`{path}` holds more than {LIMIT} bytes, the limit of a list"
        )));
    }
    Ok(text)
}

/// `fcorr variance`: derive every pair, build the model, and hand both to the library.
fn variance(args: VarianceArgs, color: bool, quiet: bool) -> Result<String, Failure> {
    use fcorr::transform::{from_divergence, from_loss};
    use fcorr::variance::{Behaviour, Generated, Model, Options, parse_numbers, parse_shifts};
    let inputs = args.losses.into_iter().map(|t| (t, true));
    let inputs = inputs.chain(args.divergences.into_iter().map(|t| (t, false)));
    let mut subjects = Vec::new();
    for (text, loss) in inputs {
        let text = read_expr(text)?;
        let s = subject(&text, loss, color)?;
        let s = if loss {
            s.on_residual(args.residual.into())
        } else {
            s
        };
        subjects.push((s, text, loss));
    }
    let refs: Vec<_> = subjects.iter().map(|(s, _, _)| s).collect();
    let resolved = fcorr::params::bind_each(&refs, VARIABLES, &args.params).map_err(param_error)?;
    let mut pairs = Vec::new();
    for ((s, text, loss), r) in subjects.into_iter().zip(resolved) {
        let pair = if loss {
            from_loss(&s.expr, args.residual.into(), &r.bindings)
        } else {
            from_divergence(&s.expr, args.residual.into(), &r.bindings)
        }
        .map_err(|err| library_error(err, &text, color))?;
        pairs.push(fcorr::variance::Input { label: text, pair });
    }
    let (model, source) = match (&args.logits, &args.target, args.outcomes) {
        (Some(l), Some(q), None) => {
            let logits = parse_numbers(&read_list(l)?, "--logits").map_err(error)?;
            let target = parse_numbers(&read_list(q)?, "--target").map_err(error)?;
            (
                Model::new(logits, target).map_err(error)?,
                "given".to_string(),
            )
        }
        (None, None, Some(k)) => {
            let spec = Generated {
                outcomes: k,
                seed: args.seed,
                shape: args.target_shape,
                temperature: args.temperature,
            };
            let source = format!(
                "generated: seed {}, target {}, temperature {}",
                spec.seed, spec.shape, spec.temperature
            );
            (Model::generate(&spec).map_err(error)?, source)
        }
        _ => {
            return Err(error(
                "no model\n  = help: give `--logits LIST --target LIST`, or `--outcomes K` to generate one",
            ));
        }
    };
    let behaviour = match &args.behaviour {
        None => None,
        Some(b) if b.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            Some(b.parse::<Behaviour>().map_err(error)?)
        }
        Some(b) => Some(Behaviour::Explicit(
            parse_numbers(&read_list(b)?, "--behaviour").map_err(error)?,
        )),
    };
    let target_sampling = match args.regime {
        None | Some(RegimeArg::ModelSamplesModelGradient) => false,
        Some(RegimeArg::TargetSamplesModelGradient) => true,
        Some(_) => {
            return Err(error(
                "`fcorr variance` differentiates the model: the regime must be `model-samples-model-gradient` or `target-samples-model-gradient`",
            ));
        }
    };
    let options = Options {
        shifts: parse_shifts(&read_list(&args.shift)?).map_err(error)?,
        behaviour,
        target_sampling,
        monte_carlo: args.samples.map(|n| (n, args.seed)),
        mixture_sweep: args.plot.is_some(),
    };
    if let Some(path) = &args.plot {
        fcorr::plot::Format::from_path(path).map_err(error)?;
        args.size.layout().map_err(error)?;
    }
    let report = fcorr::variance::variance(&pairs, &model, source, &options).map_err(error)?;
    if let Some(path) = &args.plot {
        fcorr::plot::variance::plot_to_file(&report, path, args.size).map_err(error)?;
    }
    if !quiet {
        for r in &report.losses {
            if let Some(m) = r
                .analysis
                .off_policy
                .as_ref()
                .and_then(fcorr::variance::mismatch_sentence)
            {
                eprintln!("warning: {}: {m}", r.input);
            }
        }
    }
    let format = chosen_format(
        args.json,
        args.format,
        ReportFormat::Json,
        ReportFormat::Text,
    )?;
    Ok(match format {
        ReportFormat::Text => report.text(),
        ReportFormat::Json => json_text("variance", &report),
        ReportFormat::Latex => report.latex(),
        ReportFormat::Markdown => report.markdown(),
    })
}

fn run(cmd: Command, color: bool, quiet: bool) -> Result<String, Failure> {
    match cmd {
        Command::Plot {
            losses,
            divergences,
            output,
            residual,
            params,
            sweep,
            figure,
        } => {
            // The figure is the result; the confirmation is a message, on standard error.
            let inputs = PlotInputs {
                losses,
                divergences,
                residual,
                params,
                sweep,
            };
            let message = plot(inputs, &output, &figure, color)?;
            if !quiet {
                eprint!("{message}");
            }
            Ok(String::new())
        }
        Command::Variance(args) => variance(args, color, quiet),
        Command::Catalog { format, json } => {
            let format = chosen_format(json, format, CatalogFormat::Json, CatalogFormat::Text)?;
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
            output,
        } => {
            let format = output.format()?;
            let residual = residual.into();
            let loss = read_expr(loss)?;
            let g = subject(&loss, true, color)?.on_residual(residual);
            let f = subject(&divergence, false, color)?;
            let claim = fcorr::analysis::claim::check_claim_of(&g, &f, residual, &params)
                .map_err(|e| library_error(e, &loss, color))?;
            let text = match format {
                PlainFormat::Text => fcorr::report::claim_text(&claim),
                PlainFormat::Json => format!("{:#}\n", fcorr::report::claim_json(&claim)),
                PlainFormat::Markdown => fcorr::report::claim_markdown(&claim),
                PlainFormat::Latex => fcorr::report::claim_latex(&claim),
            };
            match fcorr::claim_failure(&claim) {
                None => Ok(text),
                Some(why) => {
                    emit(&text);
                    Err(Failure::Check(format!("error: {why}\n")))
                }
            }
        }
        Command::Simplify {
            expr,
            out,
            facts,
            output,
        } => {
            let format = output.format_with(&out)?;
            let expr = read_expr(expr)?;
            let e = parse(&expr, color)?;
            let s = fcorr::simplify::simplify_with(&e, &facts.assumptions()).map_err(error)?;
            let result = fcorr::report::ExpressionOutput::new(&expr, None, &s);
            Ok(expression_output("simplify", format, &result, &out))
        }
        Command::Diff {
            expr,
            var,
            out,
            facts,
            output,
        } => {
            let format = output.format_with(&out)?;
            let expr = read_expr(expr)?;
            let e = parse(&expr, color)?;
            let var = pick_var(&e, var)?;
            let d = fcorr::diff::diff_with(&e, &var, &facts.assumptions()).map_err(error)?;
            let result = fcorr::report::ExpressionOutput::new(&expr, Some(&var), &d);
            Ok(expression_output("diff", format, &result, &out))
        }
        Command::Eval {
            expr,
            at,
            var,
            params,
            latex,
            output,
        } => {
            let format = output.format()?;
            match format {
                PlainFormat::Text => {}
                PlainFormat::Json if latex => {
                    return Err(error(
                        "`--latex` conflicts with `--json`\n  = help: the JSON output has no LaTeX form; give one of them",
                    ));
                }
                f if latex => {
                    return Err(error(format!(
                        "`--latex` conflicts with `--format {}`\n  = help: `--latex` adds the expression in LaTeX to the text output; give one of them",
                        f.name()
                    )));
                }
                _ => {}
            }
            let expr = read_expr(expr)?;
            let subject = fcorr::params::Subject::expression(&expr)
                .map_err(|e| library_error(e, &expr, color))?;
            let var = pick_var(&subject.expr, var)?;
            let variables = [
                fcorr::expr::LOSS_VAR,
                fcorr::expr::DIVERGENCE_VAR,
                var.as_str(),
            ];
            let resolved =
                fcorr::params::bind(&subject, &variables, &params).map_err(param_error)?;
            let s = fcorr::simplify::simplify(&subject.expr).map_err(error)?;
            let params = resolved.values().map_err(param_error)?;
            let program = compile(&s, &var, &params).map_err(eval_error)?;
            let mut text = String::new();
            if latex {
                text.push_str(&format!("{}\n", fcorr::print::latex(&s)));
            }
            let mut untrusted = Vec::new();
            let mut points = Vec::new();
            let at = Points::all(&at);
            fcorr::transform::points_in_domain(&var, &at)
                .map_err(|e| library_error(e, &expr, color))?;
            for x in at {
                let y = program.eval(x);
                points.push(fcorr::report::EvalPoint {
                    at: x,
                    value: y,
                    finite: y.is_finite(),
                });
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
            let result = fcorr::report::EvalOutput {
                expr: fcorr::print::plain(&s),
                variable: var.clone(),
                values: points,
            };
            match format {
                PlainFormat::Text => {}
                PlainFormat::Json => text = json_text("eval", &result),
                PlainFormat::Markdown => text = result.markdown(),
                PlainFormat::Latex => text = result.latex(&s),
            }
            if untrusted.is_empty() {
                Ok(text)
            } else {
                emit(&text);
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
