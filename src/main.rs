//! The `fcorr` command: a thin front over the library.
//!
//! Results go to stdout, messages to stderr. Exit codes: 0 success, 1 a check failed or a value
//! is not trustworthy, 2 bad input or usage.

use clap::{Args, Parser, Subcommand, ValueEnum};
use fcorr::Expr;
use fcorr::eval::{Params, compile};
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
    after_help = "Examples:\n  fcorr simplify \"4*(exp(t/2) - t/2 - 1)\"\n  fcorr diff \"u*log(u)\"\n  fcorr eval \"log(cosh(t))\" --at 0.5,2"
)]
struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
enum Command {
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
    match run(cli.command, color) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(Failure::Input(msg)) => {
            eprint!("{msg}");
            ExitCode::from(2)
        }
        Err(Failure::Check(msg)) => {
            eprint!("{msg}");
            ExitCode::from(1)
        }
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

fn run(cmd: Command, color: bool) -> Result<String, Failure> {
    match cmd {
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
