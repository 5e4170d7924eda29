//! The version and the envelope of every JSON output.
//!
//! Every JSON object fcorr prints (the report, `check`, `catalog`, `variance`, `simplify`,
//! `diff`, `eval`) carries `schema_version` and `command`, and is described by one JSON Schema,
//! `schema/fcorr.schema.json`, which names the same version. Adding a key is free; renaming or
//! removing one, or changing its meaning, raises [`SCHEMA_VERSION`] and is recorded in the
//! changelog. A number that is not finite is the string `"inf"`, `"-inf"` or `"nan"`.

use serde::Serialize;
use serde_json::Value;

/// The version of the JSON outputs' schema (`schema_version` in every output).
pub const SCHEMA_VERSION: u32 = 2;

/// `value` with `schema_version` and `command` added; a value that is not an object (a list)
/// goes under `entries`.
pub fn versioned(command: &str, value: Value) -> Value {
    let mut out = match value {
        Value::Object(m) => m,
        other => {
            let mut m = serde_json::Map::new();
            m.insert("entries".into(), other);
            m
        }
    };
    out.insert("schema_version".into(), SCHEMA_VERSION.into());
    out.insert("command".into(), command.into());
    Value::Object(out)
}

/// A simplified or differentiated expression, as `simplify --json` and `diff --json` print it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpressionOutput {
    /// The expression as typed.
    pub input: String,
    /// The variable of differentiation (`diff` only).
    pub variable: Option<String>,
    /// The result in plain text (parses back).
    pub expr: String,
    /// The result in LaTeX.
    pub latex: String,
    /// The result in Unicode mathematics.
    pub unicode: String,
}

impl ExpressionOutput {
    /// The output for `input`, whose result is `e` (`variable` for a derivative).
    pub fn new(input: &str, variable: Option<&str>, e: &crate::Expr) -> ExpressionOutput {
        ExpressionOutput {
            input: input.to_string(),
            variable: variable.map(str::to_string),
            expr: crate::print::plain(e),
            latex: crate::print::latex(e),
            unicode: crate::print::unicode(e),
        }
    }
}

/// One value of `eval --json`: `value` is a number, or `"inf"`, `"-inf"`, `"nan"`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalPoint {
    /// The value of the variable.
    #[serde(serialize_with = "number")]
    pub at: f64,
    /// The expression's value there.
    #[serde(serialize_with = "number")]
    pub value: f64,
    /// Whether the value is finite (a value that is not is not trusted: exit code 1).
    pub finite: bool,
}

/// What `eval --json` prints.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalOutput {
    /// The simplified expression that was evaluated, in plain text.
    pub expr: String,
    /// The variable.
    pub variable: String,
    /// The values, in the order asked.
    pub values: Vec<EvalPoint>,
}

/// Serialises a float as [`super::number`] writes it: finite numbers as numbers, others as
/// `"inf"`, `"-inf"` or `"nan"`.
pub(crate) fn number<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    super::number(*x).serialize(s)
}
