//! The coverage table (`examples/coverage`): it covers the catalog, the README's copy is what
//! the example prints (but for the time column), and every closed form in it differentiates back
//! to its integrand. Its values against 30-digit references are `tests/closed_forms.rs`.

#[path = "../examples/coverage/table.rs"]
mod table;

use fcorr::diff::diff;
use fcorr::eval::{Params, compile};
use fcorr::expr::{Expr, Func};
use fcorr::print::plain;
use fcorr::simplify::simplify;
use table::{Side, inputs, rows, without_time};

const START: &str = "<!-- coverage table: cargo run --release --example coverage -->";
const END: &str = "<!-- end of the coverage table -->";

#[test]
fn the_table_has_40_inputs_and_every_catalog_entry() {
    let all = inputs();
    assert!(all.len() >= 40, "{} inputs", all.len());
    let has = |side: Side, key: &str, expr: &str, params: &[(&str, &str)]| {
        let want: Vec<String> = params.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let want = (!want.is_empty()).then(|| want.join(","));
        all.iter().any(|i| {
            i.side == side && i.key.as_deref() == Some(key) && i.expr == expr && i.params == want
        })
    };
    for d in fcorr::catalog::DIVERGENCES {
        assert!(
            has(Side::Divergence, d.key, d.f, d.params),
            "catalog divergence {} ({}) with its defaults is not in the table",
            d.key,
            d.f
        );
    }
    for l in fcorr::catalog::LOSSES {
        assert!(
            has(Side::Loss, l.key, l.g, l.params),
            "catalog loss {} ({}) with its defaults is not in the table",
            l.key,
            l.g
        );
    }
}

#[test]
fn the_readme_table_is_what_the_example_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find(START)
        .expect("the README has the coverage table")
        + START.len();
    let end = readme[start..].find(END).expect("the end of the table") + start;
    let rows = rows(1);
    let printed = table::table(&rows) + "\n" + &table::summary(&rows) + "\n";
    let strip = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| without_time(l.trim_end()))
            .filter(|l| !l.is_empty())
            .collect()
    };
    let (want, got) = (strip(&readme[start..end]), strip(&printed));
    assert_eq!(
        want, got,
        "the README's coverage table differs from `cargo run --release --example coverage`; \
         paste the example's output between the markers"
    );
}

/// Rational probe points: `t` for a derived loss, `u` for a derived generator.
const T_PROBES: [(i64, i64); 6] = [(-7, 2), (-1, 1), (-1, 3), (1, 2), (2, 1), (9, 2)];
const U_PROBES: [(i64, i64); 6] = [(1, 30), (1, 3), (1, 2), (2, 1), (3, 1), (30, 1)];

/// `lhs − rhs` is zero symbolically, or else at every probe point to `1e-12` of the size of its
/// terms (or of 1, if smaller); `Ok(true)` when proved symbolically.
fn identity_holds(
    lhs: &Expr,
    rhs: &Expr,
    var: &str,
    probes: &[(i64, i64)],
) -> Result<bool, String> {
    let difference = simplify(&(lhs.clone() - rhs.clone())).map_err(|e| e.to_string())?;
    if difference.is_zero() {
        return Ok(true);
    }
    let p = Params::new();
    let (l, r) = (
        compile(lhs, var, &p).map_err(|e| e.to_string())?,
        compile(rhs, var, &p).map_err(|e| e.to_string())?,
    );
    for &(n, d) in probes {
        let x = n as f64 / d as f64;
        let (a, b) = (l.eval(x), r.eval(x));
        let scale = a.abs().max(b.abs()).max(1.0);
        let agrees = (a - b).abs() <= 1e-12 * scale; // false for a NaN
        if !agrees {
            return Err(format!("{var} = {n}/{d}: {a:e} vs {b:e}"));
        }
    }
    Ok(false)
}

#[test]
fn every_closed_form_differentiates_back_to_its_integrand() {
    let (t, u) = (Expr::sym("t"), Expr::sym("u"));
    let mut symbolic = 0;
    let mut closed = 0;
    let mut failures = Vec::new();
    for row in rows(1) {
        let Some(derived) = &row.closed else { continue };
        closed += 1;
        let pair = &row.pair;
        let label = row.input.label();
        // g′(ln u) = u·f′(u) − f(u), and the constant: f(1) = 0 for a derived f, g(0) = f(1)
        // for a derived g.
        let (lhs, rhs, constant, var, probes) = match row.input.side {
            Side::Divergence => {
                let f = pair.divergence.clone().expect("the given generator");
                let uf = u.clone() * diff(&f, "u").unwrap() - f.clone();
                (
                    diff(derived, "t").unwrap(),
                    uf.substitute("u", &Expr::func(Func::Exp, t.clone())),
                    (
                        derived.substitute("t", &Expr::zero()),
                        f.substitute("u", &Expr::one()),
                    ),
                    "t",
                    &T_PROBES,
                )
            }
            Side::Loss => {
                let g = pair.loss.clone().expect("the given loss");
                let gp = diff(&g, "t").unwrap();
                (
                    u.clone() * diff(derived, "u").unwrap() - derived.clone(),
                    gp.substitute("t", &Expr::func(Func::Log, u.clone())),
                    (derived.substitute("u", &Expr::one()), Expr::zero()),
                    "u",
                    &U_PROBES,
                )
            }
        };
        match identity_holds(&lhs, &rhs, var, probes) {
            Ok(true) => symbolic += 1,
            Ok(false) => {}
            Err(e) => failures.push(format!("{label}: {} ≠ {}: {e}", plain(&lhs), plain(&rhs))),
        }
        let c = simplify(&(constant.0.clone() - constant.1.clone())).unwrap();
        if !c.is_zero() {
            failures.push(format!(
                "{label}: the constant of integration is off by {}",
                plain(&c)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(closed >= 30, "only {closed} closed forms");
    eprintln!("{closed} closed forms: {symbolic} proved symbolically, the rest at probe points");
}
