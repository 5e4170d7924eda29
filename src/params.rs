//! The parameter language: `NAME=VALUE`, read the same way by every command and by the library.
//!
//! A value is an exact rational written as a number literal of the expression language, with an
//! optional sign and an optional `/` (`2`, `-0.5`, `1/3`, `-3/2`, `1e-3`, `2.5E+4`). A name is a
//! name the expression language reads as a parameter (`alpha`, `a_1`, or a Greek letter: `α=2`
//! is `alpha=2`); the variables `t` and `u`, the constants `e` and `pi` and the function names
//! are refused. Binding checks the assignments against what they are for — an expression as
//! typed or a catalog entry ([`Subject`]): a name the subject does not use (with a suggestion), a
//! name given twice, and a value that makes the subject undefined (`alpha = 0` in Linex's
//! `/alpha^2`, with the limit the catalog knows) are errors that name the parameter and echo the
//! value as written. Catalog defaults fill the parameters left unset and are reported as such.
//!
//! ```
//! use fcorr::params::{Subject, bind};
//! use fcorr::transform::{Residual, from_loss};
//!
//! let linex = Subject::loss("linex")?;
//! let refused = bind(&linex, &["t", "u"], &["a=2"]).unwrap_err();
//! assert_eq!(refused.to_string(), "`linex` has no parameter `a`; did you mean `alpha`?");
//! let refused = bind(&linex, &["t", "u"], &["alpha=0"]).unwrap_err();
//! assert_eq!(refused.to_string(), "alpha = 0 makes `linex` undefined; its limit α → 0 is t²/2");
//! let used = bind(&linex, &["t", "u"], &["α=-1/2"])?;
//! let pair = from_loss(&linex.expr, Residual::TargetMinusModel, &used.bindings)?;
//! assert_eq!(fcorr::print::plain(&pair.written), "4*exp(-t/2) + 2*t - 4");
//! # Ok::<(), fcorr::Error>(())
//! ```

mod in_formula;
mod on_residual;
mod other_side;
pub mod sweep;

use crate::Error;
use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};
use crate::simplify::simplify;
use crate::transform::Bindings;
use num_rational::BigRational;

/// One assignment `NAME=VALUE` as read.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// The parameter's name in the language (`alpha` for `α`).
    pub name: String,
    /// The name as written (`α`).
    pub spelled: String,
    /// The value as written (`1/2`).
    pub text: String,
    /// The exact value.
    pub value: BigRational,
}

/// Why an assignment or a set of assignments is refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// Not of the form `NAME=VALUE`.
    #[error("expected `NAME=VALUE`, found `{0}`")]
    Syntax(String),
    /// The name is a variable.
    #[error("`{0}` is a variable, not a parameter")]
    Variable(String),
    /// The name is a constant.
    #[error("`{0}` is a constant, not a parameter")]
    Constant(String),
    /// The name is a function.
    #[error("`{0}` is a function, not a parameter")]
    Function(String),
    /// The name is not a name of the language.
    #[error("`{0}` cannot be a parameter name")]
    Name(String),
    /// The value is not an exact number.
    #[error("the value `{text}` of parameter `{name}` is not a number")]
    Value {
        /// The name as written.
        name: String,
        /// The value as written.
        text: String,
    },
    /// The value has no `f64` close to it (an evaluation in `f64` needs one).
    #[error("the value `{text}` of parameter `{name}` is outside the range of `f64` numbers")]
    Range {
        /// The parameter.
        name: String,
        /// The value as written.
        text: String,
    },
    /// The same parameter is given twice.
    #[error("parameter `{name}` is given twice (`{first}` and `{second}`)")]
    Duplicate {
        /// The parameter.
        name: String,
        /// The first assignment as written.
        first: String,
        /// The second assignment as written.
        second: String,
    },
    /// The subject does not use the parameter.
    #[error("{}{}", unknown_name(name, subjects, *cancelled), suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    Unknown {
        /// Whether the name is written in the subject but cancels out of its canonical form
        /// (`t + a - a`).
        cancelled: bool,
        /// The name as written.
        name: String,
        /// What the parameters are for (`` `linex` ``), one or more; for a cancelled name,
        /// those it cancels out of.
        subjects: Vec<String>,
        /// The closest parameter the subject has, if one is close.
        suggestion: Option<String>,
        /// Every parameter the subject has.
        known: Vec<String>,
    },
    /// The value makes the subject undefined.
    #[error("{assignment} makes {subject} undefined{}", limit.as_ref().map(|l| format!("; its limit {l}")).unwrap_or_default())]
    Undefined {
        /// The assignment as written (`alpha = 0`).
        assignment: String,
        /// What the parameters are for.
        subject: String,
        /// Why, in the simplifier's words (`division by zero`).
        reason: String,
        /// The limit the catalog knows, `α → 0 is t²/2`.
        limit: Option<String>,
    },
    /// A sweep `NAME=LO:HI:N` that cannot be read.
    #[error("cannot read the sweep `{text}`: {reason}")]
    Sweep {
        /// The sweep as written.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// `` `linex` has no parameter `a` ``, or for a name written but cancelled,
/// `` `a` cancels out of `t + a - a` ``.
fn unknown_name(name: &str, subjects: &[String], cancelled: bool) -> String {
    if cancelled {
        let of = match subjects {
            [one] => one.clone(),
            all => all.join(", "),
        };
        format!("`{name}` cancels out of {of}, whose canonical form does not depend on it")
    } else {
        format!("{} `{name}`", none_has(subjects))
    }
}

/// `` `linex` has no parameter ``, `` neither `linex` nor `kl` has a parameter `` or
/// `` none of `a`, `b`, `c` has a parameter ``.
fn none_has(subjects: &[String]) -> String {
    match subjects {
        [one] => format!("{one} has no parameter"),
        [a, b] => format!("neither {a} nor {b} has a parameter"),
        all => format!("none of {} has a parameter", all.join(", ")),
    }
}

impl ParamError {
    /// A hint for the user, when there is one.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            ParamError::Syntax(_) => "write a parameter as `alpha=0.5`".into(),
            ParamError::Variable(_) | ParamError::Constant(_) | ParamError::Function(_) => {
                "a parameter is any other name: `a`, `alpha`, `α`".into()
            }
            ParamError::Name(_) => {
                "a name starts with a letter and goes on with letters, digits or `_` (or is one Greek letter)".into()
            }
            ParamError::Value { .. } => {
                "write a number such as `2`, `-0.5`, `1e-3` or a fraction such as `1/3`".into()
            }
            ParamError::Duplicate { .. } => "give each parameter once".into(),
            ParamError::Range { .. } => {
                "an `f64` holds magnitudes from about 2.2e-308 to 1.8e308, and 0".into()
            }
            ParamError::Unknown {
                cancelled: true, ..
            } => "an identity such as `x − x = 0`, `0·x = 0`, `x^0 = 1` or `1^x = 1` removed it, so a value for it changes nothing".into(),
            ParamError::Unknown {
                known, suggestion, ..
            } => match (known.as_slice(), suggestion) {
                (_, Some(_)) => return None,
                ([], None) => "it has no parameters".into(),
                (names, None) => format!(
                    "its parameters: {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            },
            ParamError::Undefined { reason, .. } => reason.clone(),
            ParamError::Sweep { .. } => format!(
                "write a sweep as `NAME=LO:HI:N`, N values from LO to HI in equal steps (N from 2 to {}), e.g. `alpha=-1:2:7`",
                sweep::MAX_MEMBERS
            ),
        })
    }
}

impl From<ParamError> for Error {
    fn from(e: ParamError) -> Error {
        Error::Param(e)
    }
}

/// Read one assignment `NAME=VALUE`.
pub fn parse_assignment(text: &str) -> Result<Assignment, ParamError> {
    let Some((spelled, value)) = text.split_once('=') else {
        return Err(ParamError::Syntax(text.trim().to_string()));
    };
    let spelled = spelled.trim();
    let name = parameter_name(spelled)?;
    let text = value.trim();
    let value = number(text).ok_or_else(|| ParamError::Value {
        name: spelled.to_string(),
        text: text.to_string(),
    })?;
    Ok(Assignment {
        name,
        spelled: spelled.to_string(),
        text: text.to_string(),
        value,
    })
}

/// Read every assignment; a parameter given twice (under any spelling) is an error.
pub fn parse_assignments<S: AsRef<str>>(texts: &[S]) -> Result<Vec<Assignment>, ParamError> {
    let mut out: Vec<Assignment> = Vec::new();
    for text in texts {
        let a = parse_assignment(text.as_ref())?;
        if let Some(first) = out.iter().find(|b| b.name == a.name) {
            return Err(ParamError::Duplicate {
                name: a.name,
                first: format!("{}={}", first.spelled, first.text),
                second: format!("{}={}", a.spelled, a.text),
            });
        }
        out.push(a);
    }
    Ok(out)
}

/// The language name of a parameter written `spelled`, or why it cannot be one.
pub(crate) fn parameter_name(spelled: &str) -> Result<String, ParamError> {
    let refuse = || ParamError::Name(spelled.to_string());
    if spelled.is_empty() {
        return Err(refuse());
    }
    if crate::parse::Callee::from_name(spelled).is_some() {
        return Err(ParamError::Function(spelled.to_string()));
    }
    let plain_chars = spelled
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !plain_chars && spelled.chars().count() != 1 {
        return Err(refuse());
    }
    match crate::parse::parse(spelled) {
        Ok(Expr::Sym(name)) if &*name == LOSS_VAR || &*name == DIVERGENCE_VAR => {
            Err(ParamError::Variable(spelled.to_string()))
        }
        Ok(Expr::Sym(name)) => Ok(name.to_string()),
        Ok(Expr::Const(_)) => Err(ParamError::Constant(spelled.to_string())),
        _ => Err(refuse()),
    }
}

/// An exact number: `[+-]literal` or `[+-]literal/[+-]literal`, literals as in the language.
pub(crate) fn number(text: &str) -> Option<BigRational> {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '+' | '-' | '/' | 'e' | 'E'));
    if !plain {
        return None;
    }
    let (p, q) = match text.split_once('/') {
        Some((p, q)) => (p, Some(q)),
        None => (text, None),
    };
    let signed = |s: &str| -> Option<BigRational> {
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let literal = digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            && !digits.contains('/')
            && digits
                .char_indices()
                .filter(|(_, c)| matches!(c, '+' | '-'))
                .all(|(i, _)| matches!(digits[..i].chars().last(), Some('e' | 'E')));
        if !literal {
            return None;
        }
        match crate::parse::parse(digits) {
            Ok(Expr::Num(r)) => Some(if negative { -r } else { r }),
            _ => None,
        }
    };
    let p = signed(p)?;
    match q {
        None => Some(p),
        Some(q) => {
            let q = signed(q)?;
            (q != BigRational::from_integer(0.into())).then(|| p / q)
        }
    }
}

/// What parameters are given for: a catalog entry or an expression as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Subject {
    /// How messages name it: `` `linex` `` or `` `(exp(a*t) - 1)/a` ``.
    pub label: String,
    /// The catalog key, for a catalog entry.
    pub key: Option<&'static str>,
    /// The expression, parameters unsubstituted.
    pub expr: Expr,
    /// Catalog defaults, `(name, value)`.
    pub defaults: &'static [(&'static str, &'static str)],
    /// Names written in the expression that its canonical form no longer holds (`a` in
    /// `t + a - a`, `1^a`, `0*a`): a value given for one is refused as changing nothing.
    pub cancelled: Vec<String>,
}

impl Subject {
    /// The named loss `text`, or else `text` parsed as a loss.
    pub fn loss(text: &str) -> Result<Subject, Error> {
        match crate::catalog::loss(text) {
            Some(l) => Subject::entry(l.key, l.g, l.params),
            None => match crate::family::catalog::loss_family(text) {
                Some(f) => Subject::entry(f.key, f.g, &[]),
                None => match other_side::named_on_other_side(text, true) {
                    Some(e) => Err(e),
                    None => Subject::formula(text, true),
                },
            },
        }
    }

    /// The named divergence `text`, or else `text` parsed as a generator.
    pub fn divergence(text: &str) -> Result<Subject, Error> {
        match crate::catalog::divergence(text) {
            Some(d) => Subject::entry(d.key, d.f, d.params),
            None => match crate::family::catalog::family(text) {
                Some(f) => Subject::entry(f.key, f.f, &[]),
                None => match other_side::named_on_other_side(text, false) {
                    Some(e) => Err(e),
                    None => Subject::formula(text, false),
                },
            },
        }
    }

    /// `text` parsed as a loss (`as_loss`) or generator that is not a catalog name: refused when
    /// it uses a catalog name inside, or is written in the capital of its variable.
    fn formula(text: &str, as_loss: bool) -> Result<Subject, Error> {
        if let Some(e) = in_formula::catalog_name_cased(text) {
            return Err(e);
        }
        if let Some(e) = in_formula::catalog_name_inside(text, as_loss) {
            return Err(e);
        }
        let subject = Subject::expression(text)?;
        match in_formula::capital_variable(text, &subject.expr, as_loss) {
            Some(e) => Err(e),
            None => Ok(subject),
        }
    }

    /// `text` parsed as an expression.
    pub fn expression(text: &str) -> Result<Subject, Error> {
        let expr = crate::parse::parse(text)?;
        let kept = expr.symbols();
        let mut cancelled = Vec::new();
        if let Ok(tree) = crate::parse::parse_tree(text) {
            written_names(&tree, &mut |name| {
                if !kept.iter().any(|k| &**k == name) && !cancelled.iter().any(|c| c == name) {
                    cancelled.push(name.to_string());
                }
            });
        }
        let label = if text.chars().count() <= 40 && !text.contains('\n') {
            format!("`{}`", text.trim())
        } else {
            "the expression".to_string()
        };
        Ok(Subject {
            label,
            key: None,
            expr,
            defaults: &[],
            cancelled,
        })
    }

    fn entry(
        key: &'static str,
        body: &str,
        defaults: &'static [(&'static str, &'static str)],
    ) -> Result<Subject, Error> {
        Ok(Subject {
            label: format!("`{key}`"),
            key: Some(key),
            expr: crate::parse::parse(body)?,
            defaults,
            cancelled: Vec::new(),
        })
    }

    /// The parameters of the subject: its symbols other than `variables`, sorted.
    pub fn parameters(&self, variables: &[&str]) -> Vec<String> {
        self.expr
            .symbols()
            .iter()
            .filter(|s| !variables.contains(&&***s))
            .map(|s| s.to_string())
            .collect()
    }
}

/// Every name in a parse tree, as written (variables and parameters), in order.
fn written_names<'a>(tree: &crate::parse::Ast<'a>, out: &mut impl FnMut(&'a str)) {
    use crate::parse::AstKind;
    match &tree.kind {
        AstKind::Num(_) | AstKind::Const(_) => {}
        AstKind::Sym(name) => out(name),
        AstKind::Sum(first, rest) => {
            written_names(first, out);
            rest.iter().for_each(|(_, x)| written_names(x, out));
        }
        AstKind::Product(first, rest) => {
            written_names(first, out);
            rest.iter().for_each(|(_, x)| written_names(x, out));
        }
        AstKind::Neg(x) | AstKind::Call(_, x) | AstKind::Group(x) => written_names(x, out),
        AstKind::Pow(a, b) | AstKind::Call2(_, a, b) => {
            written_names(a, out);
            written_names(b, out);
        }
    }
}

/// A parameter's value as used, given or a catalog default.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Bound {
    /// The parameter.
    pub name: String,
    /// Its value as written (by the user or in the catalog).
    pub value: String,
    /// The catalog entry whose default it is, or `None` when given.
    pub default_of: Option<String>,
}

/// Parameters bound for one or more subjects: the exact bindings and what was used.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolved {
    /// Name to exact value.
    pub bindings: Bindings,
    /// Every value used, given ones first, in the order given, then defaults.
    pub used: Vec<Bound>,
}

impl Resolved {
    /// The values as `f64`s, for [`crate::eval::compile`]; a value too large for an `f64`, or
    /// non-zero but too small for a normal one, is refused.
    pub fn values(&self) -> Result<crate::eval::Params, ParamError> {
        let mut out = crate::eval::Params::new();
        for b in &self.used {
            let exact = number(&b.value).unwrap_or_else(|| BigRational::from_integer(0.into()));
            let x = crate::expr::rational_to_f64(&exact);
            let zero = exact == BigRational::from_integer(0.into());
            if !x.is_finite() || (!zero && x.abs() < f64::MIN_POSITIVE) {
                return Err(ParamError::Range {
                    name: b.name.clone(),
                    text: b.value.clone(),
                });
            }
            out.set(b.name.clone(), x);
        }
        Ok(out)
    }
}

/// Bind the assignments `given` (as typed, `alpha=1/2`) for one subject.
///
/// `variables` are the names that are not parameters (`t`, `u`, and `eval`'s variable).
pub fn bind<S: AsRef<str>>(
    subject: &Subject,
    variables: &[&str],
    given: &[S],
) -> Result<Resolved, ParamError> {
    let mut all = bind_each(&[subject], variables, given)?;
    Ok(all.pop().unwrap_or_default())
}

/// Bind the assignments `given` for several subjects read together (`check`, `plot`): one
/// [`Resolved`] per subject, in order.
///
/// Every given name must be a parameter of at least one subject and binds it in every subject
/// that uses it; each catalog entry's defaults fill its own parameters left unset; no subject
/// may become undefined.
pub fn bind_each<S: AsRef<str>>(
    subjects: &[&Subject],
    variables: &[&str],
    given: &[S],
) -> Result<Vec<Resolved>, ParamError> {
    let assignments = parse_assignments(given)?;
    let mut known: Vec<String> = Vec::new();
    for name in subjects.iter().flat_map(|s| s.parameters(variables)) {
        if !known.contains(&name) {
            known.push(name);
        }
    }
    for a in &assignments {
        if variables.contains(&a.name.as_str()) {
            return Err(ParamError::Variable(a.spelled.clone()));
        }
        if !known.contains(&a.name) {
            let cancelled = subjects.iter().any(|s| s.cancelled.contains(&a.name));
            return Err(ParamError::Unknown {
                cancelled,
                name: a.spelled.clone(),
                subjects: subjects
                    .iter()
                    .filter(|s| !cancelled || s.cancelled.contains(&a.name))
                    .map(|s| s.label.clone())
                    .collect(),
                suggestion: suggest(&a.name, &known).filter(|_| !cancelled),
                known,
            });
        }
    }
    subjects.iter().map(|s| resolve(s, &assignments)).collect()
}

/// The given values `s` uses, then its catalog defaults for the rest; refused when undefined.
fn resolve(s: &Subject, assignments: &[Assignment]) -> Result<Resolved, ParamError> {
    let mut resolved = Resolved::default();
    for a in assignments.iter().filter(|a| s.expr.contains_sym(&a.name)) {
        set(&mut resolved.bindings, &a.name, &a.value);
        resolved.used.push(Bound {
            name: a.name.clone(),
            value: a.text.clone(),
            default_of: None,
        });
    }
    for (name, value) in s.defaults {
        if resolved.used.iter().any(|b| b.name == *name) {
            continue;
        }
        let Some(v) = number(value) else { continue };
        set(&mut resolved.bindings, name, &v);
        resolved.used.push(Bound {
            name: name.to_string(),
            value: value.to_string(),
            default_of: s.key.map(str::to_string),
        });
    }
    defined(s, &resolved.bindings, assignments)?;
    Ok(resolved)
}

fn set(b: &mut Bindings, name: &str, value: &BigRational) {
    // A constant value of a name already checked to be a parameter: `set` cannot refuse it.
    let _ = b.set(name, Expr::num(value.clone()));
}

/// `Ok` when `subject` with `bindings` is defined; else which assignment makes it undefined.
fn defined(
    subject: &Subject,
    bindings: &Bindings,
    assignments: &[Assignment],
) -> Result<(), ParamError> {
    let mine: Vec<&Assignment> = assignments
        .iter()
        .filter(|a| subject.expr.contains_sym(&a.name))
        .collect();
    if mine.is_empty() || simplify(&subject.expr).is_err() {
        // Undefined whatever the values: the expression's own error, reported where it is used.
        return Ok(());
    }
    let Err(err) = simplify(&bindings.apply(&subject.expr)) else {
        return Ok(());
    };
    let alone = |a: &Assignment| {
        simplify(
            &subject
                .expr
                .substitute(&a.name, &Expr::num(a.value.clone())),
        )
        .is_err()
    };
    let culprits: Vec<&Assignment> = match mine.iter().copied().find(|a| alone(a)) {
        Some(a) => vec![a],
        None => mine,
    };
    let assignment = culprits
        .iter()
        .map(|a| format!("{} = {}", a.spelled, a.text))
        .collect::<Vec<_>>()
        .join(", ");
    let limit = match (subject.key, culprits.as_slice()) {
        (Some(key), [a]) => crate::catalog::limit(key, &a.name, &a.value).map(|l| {
            format!(
                "{} → {} is {}",
                greek(&a.name),
                a.text,
                crate::parse::parse(l).map_or(l.to_string(), |e| crate::print::unicode(&e))
            )
        }),
        _ => None,
    };
    Err(ParamError::Undefined {
        assignment,
        subject: subject.label.clone(),
        reason: err.to_string(),
        limit,
    })
}

/// The Greek letter a parameter is named after, or the name itself.
fn greek(name: &str) -> String {
    let unicode = crate::print::unicode(&Expr::sym(name));
    if unicode.chars().count() == 1 {
        unicode
    } else {
        name.to_string()
    }
}

/// The parameter of `known` that `name` was probably meant to be.
///
/// A prefix (`a` of `alpha`), a name of two letters or more one edit away (two for names of
/// five or more letters),
/// or the only parameter there is.
fn suggest(name: &str, known: &[String]) -> Option<String> {
    let limit = if name.chars().count() >= 5 { 2 } else { 1 };
    let close = known
        .iter()
        .map(|k| (edits(name, k), k))
        .filter(|(d, k)| (*d <= limit && name.chars().count() >= 2) || k.starts_with(name))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone());
    match (close, known) {
        (Some(k), _) => Some(k),
        (None, [only]) => Some(only.clone()),
        _ => None,
    }
}

/// The Levenshtein distance between two short names.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests;
