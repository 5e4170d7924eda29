//! Names inside a formula that are not what they look like. `2*hellinger` parses as `2` times a
//! parameter `hellinger` (and `2*reverse-kl` as `2*reverse - kl`), `T^2` as the square of a
//! parameter `T`: each was derived as a family over that parameter, a constant, with exit code
//! 0. A catalog name stands only for a whole input, and a loss or generator without its variable
//! is a constant whatever its parameters are, so both are refused with the intended reading.
//!
//! Parameter names the catalog itself uses (`alpha`, `delta`, `lambda`, `w`, `p`) stay
//! parameters even where they are also a key (`alpha`). `T` or `U` beside the variable (`T*t^2`)
//! stays a parameter too: only an input without its lower-case variable is refused, since it is
//! a constant loss (or generator) for every value `--param` could give.

use crate::Error;

/// A run of names joined by hyphens, as typed: `reverse-kl`, `t-kl`, `alpha`.
struct Run<'a> {
    start: usize,
    parts: Vec<&'a str>,
}

fn name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The runs of `text`: names, with a hyphen between two names kept inside the run. A name right
/// after a digit (`2e-3`, `1e5`) is a number's exponent and starts no run.
fn runs(text: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if !name_start(c) || prev.is_some_and(|p| name_char(p) || p == '.') {
            prev = Some(c);
            continue;
        }
        let mut run = Run {
            start: i,
            parts: Vec::new(),
        };
        let mut part_start = i;
        let mut end = i + c.len_utf8();
        loop {
            match chars.peek() {
                Some(&(j, d)) if name_char(d) => {
                    end = j + d.len_utf8();
                    chars.next();
                }
                Some(&(j, '-')) if text[j + 1..].starts_with(name_start) => {
                    run.parts.push(&text[part_start..end]);
                    chars.next();
                    part_start = j + 1;
                    end = part_start;
                }
                _ => break,
            }
        }
        run.parts.push(&text[part_start..end]);
        prev = text[..end].chars().last();
        out.push(run);
    }
    out
}

/// A catalog entry's name, and what a formula should say instead.
struct Named {
    key: &'static str,
    side: &'static str,
    body: &'static str,
    variable: &'static str,
}

fn named(key: &str) -> Option<Named> {
    let divergence = |key, body| Named {
        key,
        side: "divergence",
        body,
        variable: "u",
    };
    let loss = |key, body| Named {
        key,
        side: "loss",
        body,
        variable: "t",
    };
    if let Some(d) = crate::catalog::divergence(key) {
        return Some(divergence(d.key, d.f));
    }
    if let Some(f) = crate::family::catalog::family(key) {
        return Some(divergence(f.key, f.f));
    }
    if let Some(l) = crate::catalog::loss(key) {
        return Some(loss(l.key, l.g));
    }
    crate::family::catalog::loss_family(key).map(|f| loss(f.key, f.g))
}

/// Whether `name` is a parameter of some catalog entry (`alpha`, `delta`, …).
fn catalog_parameter(name: &str) -> bool {
    let divergences = crate::catalog::DIVERGENCES.iter().map(|d| d.params);
    let losses = crate::catalog::LOSSES.iter().map(|l| l.params);
    divergences
        .chain(losses)
        .flat_map(|ps| ps.iter().map(|(p, _)| *p))
        .chain(crate::family::catalog::FAMILIES.iter().map(|f| f.param))
        .chain(["p"])
        .any(|p| p == name)
}

/// The first catalog name used inside the formula `text`: `(start, written, entry)`.
fn first_catalog_name(text: &str) -> Option<(usize, String, Named)> {
    for run in runs(text) {
        let n = run.parts.len();
        let mut offset = run.start;
        for i in 0..n {
            for j in (i..n).rev() {
                let written = run.parts[i..=j].join("-");
                let key = written.to_lowercase();
                if j == i && catalog_parameter(&key) {
                    continue;
                }
                if let Some(entry) = named(&key) {
                    return Some((offset, written, entry));
                }
            }
            offset += run.parts[i].len() + 1;
        }
    }
    None
}

/// The error for a catalog name inside the formula `text` of a loss (`as_loss`) or generator:
/// `None` when there is none, or when `text` is only that name in parentheses (the constant,
/// which `(kl)` asks for).
pub(super) fn catalog_name_inside(text: &str, as_loss: bool) -> Option<Error> {
    let (start, written, entry) = first_catalog_name(text)?;
    let bare = text
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    if bare == written {
        return None;
    }
    let this = if as_loss { "t" } else { "u" };
    let help = if entry.variable == this {
        let end = start + written.len();
        format!(
            "write its formula in its place: `{}({}){}`",
            &text[..start],
            entry.body,
            &text[end..]
        )
    } else {
        let (what, of) = match entry.side {
            "loss" => ("loss", "g(t)"),
            _ => ("divergence generator", "f(u)"),
        };
        format!(
            "`{}` is a {what}, {of} = {}, not a function of `{this}`",
            entry.key, entry.body
        )
    };
    Some(Error::Input(format!(
        "`{written}` is the name of a catalog {side}; a name stands only for a whole input \
         (`--from-{side} {key}`), never for a part of a formula\n  = help: {help}",
        side = entry.side,
        key = entry.key,
    )))
}

/// The error for a whole input that is a catalog name written in other letter cases (`KL`,
/// `Huber`): as a formula it would be a constant over a parameter of that name.
pub(super) fn catalog_name_cased(text: &str) -> Option<Error> {
    let written = text.trim();
    let key = written.to_lowercase();
    if key == written {
        return None;
    }
    let entry = named(&key)?;
    Some(Error::Input(format!(
        "`{written}` is not a name: the catalog writes its names in lower case, and as a formula \
         `{written}` is a constant for every value of a parameter `{written}`\n  = help: did you \
         mean `{key}`? (`--from-{side} {key}`)",
        key = entry.key,
        side = entry.side,
    )))
}

/// The error for an input whose only name that looks like its variable is the capital (`T`
/// for `t`, `U` for `u`): without its variable it is a constant whatever the parameter is.
pub(super) fn capital_variable(text: &str, expr: &crate::Expr, as_loss: bool) -> Option<Error> {
    let (var, capital, what) = if as_loss {
        ("t", "T", "a loss")
    } else {
        ("u", "U", "a divergence generator")
    };
    if !expr.contains_sym(capital) || expr.contains_sym(var) {
        return None;
    }
    let mut meant = String::new();
    let mut last = 0;
    for run in runs(text) {
        let mut offset = run.start;
        for part in &run.parts {
            if *part == capital {
                meant.push_str(&text[last..offset]);
                meant.push_str(var);
                last = offset + part.len();
            }
            offset += part.len() + 1;
        }
    }
    meant.push_str(&text[last..]);
    Some(Error::Input(format!(
        "`{capital}` is not a variable: {what} is written in `{var}` (lower case), and without \
         `{var}` it is a constant for every value of a parameter `{capital}`\n  = help: did you \
         mean `{var}`? `{}`",
        meant.trim()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn refused(text: &str, as_loss: bool, message: &str) {
        let e = catalog_name_inside(text, as_loss)
            .or_else(|| capital_variable(text, &crate::parse::parse(text).unwrap(), as_loss))
            .unwrap_or_else(|| panic!("`{text}` was not refused"));
        assert_eq!(e.to_string(), message, "{text}");
    }

    #[track_caller]
    fn kept(text: &str, as_loss: bool) {
        let e = catalog_name_inside(text, as_loss)
            .or_else(|| capital_variable(text, &crate::parse::parse(text).unwrap(), as_loss));
        assert!(e.is_none(), "`{text}`: {e:?}");
    }

    #[test]
    fn catalog_names_in_other_cases_are_refused_with_the_name() {
        for (text, message) in [
            (
                "KL",
                "`KL` is not a name: the catalog writes its names in lower case, and as a formula `KL` is a constant for every value of a parameter `KL`\n  = help: did you mean `kl`? (`--from-divergence kl`)",
            ),
            (
                " Huber ",
                "`Huber` is not a name: the catalog writes its names in lower case, and as a formula `Huber` is a constant for every value of a parameter `Huber`\n  = help: did you mean `huber`? (`--from-loss huber`)",
            ),
            (
                "Reverse-KL",
                "`Reverse-KL` is not a name: the catalog writes its names in lower case, and as a formula `Reverse-KL` is a constant for every value of a parameter `Reverse-KL`\n  = help: did you mean `reverse-kl`? (`--from-divergence reverse-kl`)",
            ),
            (
                "Alpha",
                "`Alpha` is not a name: the catalog writes its names in lower case, and as a formula `Alpha` is a constant for every value of a parameter `Alpha`\n  = help: did you mean `alpha`? (`--from-divergence alpha`)",
            ),
        ] {
            assert_eq!(
                catalog_name_cased(text).unwrap().to_string(),
                message,
                "{text}"
            );
        }
        for text in ["kl", "K*t^2", "(KL)", "KL*u"] {
            assert!(catalog_name_cased(text).is_none(), "{text}");
        }
    }

    #[test]
    fn catalog_names_inside_a_formula_are_refused() {
        refused(
            "2*hellinger",
            false,
            "`hellinger` is the name of a catalog divergence; a name stands only for a whole input (`--from-divergence hellinger`), never for a part of a formula\n  = help: write its formula in its place: `2*((sqrt(u) - 1)^2)`",
        );
        refused(
            "2*reverse-kl",
            false,
            "`reverse-kl` is the name of a catalog divergence; a name stands only for a whole input (`--from-divergence reverse-kl`), never for a part of a formula\n  = help: write its formula in its place: `2*(-log(u))`",
        );
        refused(
            "2*KL",
            false,
            "`KL` is the name of a catalog divergence; a name stands only for a whole input (`--from-divergence kl`), never for a part of a formula\n  = help: write its formula in its place: `2*(u*log(u))`",
        );
        refused(
            "t^2 + kl",
            true,
            "`kl` is the name of a catalog divergence; a name stands only for a whole input (`--from-divergence kl`), never for a part of a formula\n  = help: `kl` is a divergence generator, f(u) = u*log(u), not a function of `t`",
        );
        refused(
            "2*log-cosh",
            true,
            "`log-cosh` is the name of a catalog loss; a name stands only for a whole input (`--from-loss log-cosh`), never for a part of a formula\n  = help: write its formula in its place: `2*(log(cosh(t)))`",
        );
        refused(
            "t-js",
            true,
            "`js` is the name of a catalog divergence; a name stands only for a whole input (`--from-divergence js`), never for a part of a formula\n  = help: `js` is a divergence generator, f(u) = u*log(u) - (u + 1)*log((1 + u)/2), not a function of `t`",
        );
        refused(
            "power + t",
            true,
            "`power` is the name of a catalog loss; a name stands only for a whole input (`--from-loss power`), never for a part of a formula\n  = help: write its formula in its place: `(abs(t)^p) + t`",
        );
    }

    #[test]
    fn the_capital_of_the_variable_alone_is_refused() {
        refused(
            "T^2",
            true,
            "`T` is not a variable: a loss is written in `t` (lower case), and without `t` it is a constant for every value of a parameter `T`\n  = help: did you mean `t`? `t^2`",
        );
        refused(
            "exp(T) - T - 1",
            true,
            "`T` is not a variable: a loss is written in `t` (lower case), and without `t` it is a constant for every value of a parameter `T`\n  = help: did you mean `t`? `exp(t) - t - 1`",
        );
        refused(
            "U*log(U)",
            false,
            "`U` is not a variable: a divergence generator is written in `u` (lower case), and without `u` it is a constant for every value of a parameter `U`\n  = help: did you mean `u`? `u*log(u)`",
        );
    }

    #[test]
    fn parameters_and_whole_names_are_kept() {
        for (text, as_loss) in [
            ("alpha*t^2", true),
            ("(exp(alpha*t) - alpha*t - 1)/alpha^2", true),
            ("delta^2*(sqrt(1 + (t/delta)^2) - 1)", true),
            ("a*t^2 + b", true),
            ("w*u*log(u)", false),
            ("lambda*u^2", false),
            ("abs(t)^p", true),
            ("(kl)", true),
            ("T*t^2", true),
            ("U*u*log(u)", false),
            ("t^2*1e-3", true),
            ("log(cosh(t))", true),
            ("t", true),
        ] {
            kept(text, as_loss);
        }
    }
}
