//! Families derived with their parameter symbolic: the generic result at 20 random rational
//! values equals the member derived with the value bound (exactly: the difference simplifies to
//! zero), and the special values are their own cases with the right members.

use fcorr::Expr;
use fcorr::family::{CaseKind, Family, LimitCheck, derive};
use fcorr::params::Subject;
use fcorr::print::plain;
use fcorr::simplify::simplify;
use fcorr::transform::{Bindings, Direction, Residual, from_divergence, from_loss};
use num_rational::BigRational;

const CRESSIE_READ: &str = "(u^(lambda + 1) - u - lambda*(u - 1))/(lambda*(lambda + 1))";

/// 20 rational values `n/d` (`|n| ≤ 40`, `1 ≤ d ≤ 12`) from a fixed linear congruential
/// sequence, none of them special.
fn random_values(seed: u64, special: &[BigRational]) -> Vec<BigRational> {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as i64
    };
    let mut out = Vec::new();
    while out.len() < 20 {
        let n = next() % 81 - 40;
        let d = next() % 12 + 1;
        let v = BigRational::new(n.into(), d.into());
        if !special.contains(&v) && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn family(text: &str, direction: Direction) -> Family {
    let subject = match direction {
        Direction::FromLoss => Subject::loss(text),
        Direction::FromDivergence => Subject::divergence(text),
    }
    .unwrap();
    derive(&subject, direction, Residual::TargetMinusModel, &[], &[]).unwrap()
}

fn derived(pair: &fcorr::Correspondence) -> &Expr {
    match pair.direction {
        Direction::FromLoss => pair.divergence.as_ref().unwrap(),
        Direction::FromDivergence => pair.loss.as_ref().unwrap(),
    }
}

/// The member of `text` at `param = v`, derived as `--param` does.
fn member(text: &str, direction: Direction, param: &str, v: &BigRational) -> fcorr::Correspondence {
    let subject = match direction {
        Direction::FromLoss => Subject::loss(text),
        Direction::FromDivergence => Subject::divergence(text),
    }
    .unwrap();
    let mut b = Bindings::new();
    b.set(param, Expr::Num(v.clone())).unwrap();
    match direction {
        Direction::FromLoss => from_loss(&subject.expr, Residual::TargetMinusModel, &b),
        Direction::FromDivergence => from_divergence(&subject.expr, Residual::TargetMinusModel, &b),
    }
    .unwrap()
}

#[track_caller]
fn substituted_equals_members(text: &str, direction: Direction, seed: u64) {
    let fam = family(text, direction);
    let generic = fam.generic().expect("a generic case");
    let pair = generic.pair.as_ref().expect("a generic pair");
    let special: Vec<BigRational> = fam.cases.iter().filter_map(|c| c.value.clone()).collect();
    for v in random_values(seed, &special) {
        let at = derived(pair).substitute(&fam.param, &Expr::Num(v.clone()));
        let m = member(text, direction, &fam.param, &v);
        let difference = simplify(&(at.clone() - derived(&m).clone())).unwrap();
        assert!(
            difference.is_zero(),
            "{text} at {} = {v}: generic {} vs member {} (difference {})",
            fam.param,
            plain(&at),
            plain(derived(&m)),
            plain(&difference)
        );
    }
}

#[track_caller]
fn special_case(text: &str, direction: Direction, value: i64, kind: CaseKind, expected: &str) {
    let fam = family(text, direction);
    let v = BigRational::from_integer(value.into());
    let case = fam
        .at(&v)
        .unwrap_or_else(|| panic!("{text}: no case {} = {value}", fam.param));
    assert_eq!(case.kind, kind, "{text} at {value}");
    let pair = case.pair.as_ref().expect("a member");
    assert_eq!(plain(derived(pair)), expected, "{text} at {value}");
    assert!(
        matches!(case.generic_limit, Some(LimitCheck::Agrees(_))),
        "{text} at {value}: the generic result's limit {:?}",
        case.generic_limit
    );
    assert_eq!(kind == CaseKind::Limit, case.undefined.is_some());
}

#[test]
fn linex_generic_equals_its_members() {
    substituted_equals_members("linex", Direction::FromLoss, 1);
    let fam = family("linex", Direction::FromLoss);
    let pair = fam.generic().unwrap().pair.as_ref().unwrap();
    assert_eq!(
        plain(pair.divergence.as_ref().unwrap()),
        "(u^alpha - alpha*u + alpha - 1)/(alpha*(alpha - 1))"
    );
}

#[test]
fn alpha_divergence_generic_equals_its_members() {
    substituted_equals_members("alpha", Direction::FromDivergence, 2);
    let fam = family("alpha", Direction::FromDivergence);
    let pair = fam.generic().unwrap().pair.as_ref().unwrap();
    assert_eq!(
        plain(pair.loss.as_ref().unwrap()),
        "(exp(alpha*t) - alpha*t - 1)/alpha^2"
    );
}

#[test]
fn cressie_read_generic_equals_its_members() {
    substituted_equals_members(CRESSIE_READ, Direction::FromDivergence, 3);
}

#[test]
fn special_values_are_cases_of_their_own() {
    use CaseKind::{Limit, Value};
    use Direction::{FromDivergence, FromLoss};
    special_case("linex", FromLoss, 0, Limit, "u - 1 - log(u)");
    special_case("linex", FromLoss, 1, Value, "u*log(u) - u + 1");
    special_case("alpha", FromDivergence, 0, Limit, "t^2/2");
    special_case("alpha", FromDivergence, 1, Limit, "exp(t) - t - 1");
    special_case(CRESSIE_READ, FromDivergence, 0, Limit, "exp(t) - t - 1");
    special_case(CRESSIE_READ, FromDivergence, -1, Limit, "t^2/2");
    // only those
    for (text, direction, n) in [
        ("linex", FromLoss, 3),
        ("alpha", FromDivergence, 3),
        (CRESSIE_READ, FromDivergence, 3),
    ] {
        assert_eq!(family(text, direction).cases.len(), n, "{text}");
    }
}

#[test]
fn conditions_of_the_generic_case() {
    let fam = family("linex", Direction::FromLoss);
    let texts: Vec<String> = fam
        .generic()
        .unwrap()
        .conditions
        .iter()
        .map(|c| fcorr::family::assume::text(c, &fam.param))
        .collect();
    assert_eq!(texts, ["alpha ≠ 0", "alpha ≠ 1"]);
}

#[test]
fn an_input_undefined_on_a_region_says_so() {
    for (text, region) in [
        ("log(a)*t^2", "a ≤ 0"),
        ("sqrt(a)*t^2", "a < 0"),
        ("Li2(a)*t^2", "a > 1"),
    ] {
        let fam = family(text, Direction::FromLoss);
        let undefined: Vec<String> = fam
            .cases
            .iter()
            .filter(|c| c.kind == CaseKind::Undefined)
            .flat_map(|c| {
                c.conditions
                    .iter()
                    .map(|c| fcorr::family::assume::text(c, "a"))
            })
            .collect();
        assert_eq!(undefined, [region], "{text}");
        assert!(fam.generic().unwrap().pair.is_ok(), "{text}");
    }
}

#[test]
fn the_gradient_check_runs_near_the_special_values() {
    let fam = family("linex", Direction::FromLoss);
    let used: Vec<String> = fam
        .gradient_checks
        .iter()
        .map(|g| g.value.to_string())
        .collect();
    for near in ["-1/1000", "1/1000", "999/1000", "1001/1000"] {
        assert!(used.contains(&near.to_string()), "{used:?}");
    }
    assert!(!used.contains(&"0".to_string()) && !used.contains(&"1".to_string()));
    for g in &fam.gradient_checks {
        let c = g.check.as_ref().unwrap();
        assert_eq!(c.verdict, fcorr::Verdict::Holds, "at {}", g.value);
    }
}

#[test]
fn family_reports_read_as_a_person_writes_them() {
    let o = fcorr::Options::default();
    let linex = fcorr::family_from_loss("linex", &o).unwrap();
    insta::assert_snapshot!("linex_text", linex.text());
    insta::assert_snapshot!("linex_markdown", linex.markdown());
    insta::assert_snapshot!("linex_latex", linex.latex());
    let alpha = fcorr::family_from_divergence("alpha", &o.clone().assume("alpha > 0")).unwrap();
    insta::assert_snapshot!("alpha_assumed_positive_text", alpha.text());
    let log = fcorr::family_from_loss("log(a)*t^2", &o).unwrap();
    insta::assert_snapshot!("log_a_text", log.text());
    let json = serde_json::to_string_pretty(&linex.json()).unwrap();
    insta::assert_snapshot!("linex_json", json);
}

#[test]
fn assumptions_drop_cases() {
    let o = fcorr::Options::default();
    let fam = fcorr::family_from_loss("linex", &o.clone().assume("alpha >= 1/2")).unwrap();
    let values: Vec<String> = fam
        .cases
        .iter()
        .filter_map(|c| c.value.as_ref().map(|v| v.to_string()))
        .collect();
    assert_eq!(values, ["1"]);
    let fam = fcorr::family_from_loss("linex", &o.clone().assume("alpha > 1")).unwrap();
    assert_eq!(fam.cases.len(), 1);
    assert!(
        fam.generic().unwrap().conditions.is_empty(),
        "implied by alpha > 1"
    );
    let fam = fcorr::family_from_loss("log(a)*t^2", &o.clone().assume("a > 0")).unwrap();
    assert!(fam.cases.iter().all(|c| c.kind != CaseKind::Undefined));
    for (assume, kind) in [
        ("alpha >> 0", fcorr::ErrorKind::InvalidParameter),
        ("beta > 0", fcorr::ErrorKind::UnknownParameter),
        ("alpha", fcorr::ErrorKind::InvalidParameter),
    ] {
        let e = fcorr::family_from_loss("linex", &o.clone().assume(assume)).unwrap_err();
        assert_eq!(e.kind(), kind, "{assume}: {e}");
    }
    let e = fcorr::family_from_loss("linex", &o.clone().assume("alpha > 1").assume("alpha < 0"))
        .unwrap_err();
    assert!(e.to_string().contains("leave no value"), "{e}");
}

#[test]
fn a_value_for_the_parameter_gives_the_member() {
    // `--param` still gives the member, not the family
    let d = fcorr::from_loss("linex", &fcorr::Options::default().param("alpha=1")).unwrap();
    assert_eq!(d.f().as_deref(), Some("u*log(u) - u + 1"));
    let subject = Subject::loss("linex").unwrap();
    assert!(!fcorr::family::derive::is_family(
        &subject,
        &["alpha=1".into()]
    ));
    assert!(fcorr::family::derive::is_family(&subject, &[]));
    let pseudo = Subject::loss("pseudo-huber").unwrap();
    assert!(!fcorr::family::derive::is_family(&pseudo, &[]));
}

#[test]
fn cressie_read_and_skewed_jensen_shannon_are_named_families() {
    let cr = family("cressie-read", Direction::FromDivergence);
    assert_eq!(cr.param, "lambda");
    special_case(
        "cressie-read",
        Direction::FromDivergence,
        -1,
        CaseKind::Limit,
        "t^2/2",
    );
    let js = family("skew-js", Direction::FromDivergence);
    let generic = js.generic().unwrap();
    // the range 0 < w < 1 is assumed, and implies the conditions of the dilogarithm
    assert!(generic.conditions.is_empty());
    let pair = generic.pair.as_ref().unwrap();
    for (n, d) in [(1, 2), (1, 3), (2, 3), (1, 7), (5, 6), (3, 10)] {
        let v = BigRational::new(n.into(), d.into());
        let at = simplify(&derived(pair).substitute("w", &Expr::Num(v.clone()))).unwrap();
        let m = member("skew-js", Direction::FromDivergence, "w", &v);
        let difference = simplify(&(at.clone() - derived(&m).clone())).unwrap();
        assert!(
            difference.is_zero(),
            "w = {v}: generic {} vs member {}",
            plain(&at),
            plain(derived(&m))
        );
    }
    for g in &js.gradient_checks {
        assert_eq!(g.check.as_ref().unwrap().verdict, fcorr::Verdict::Holds);
    }
}

#[test]
fn special_members_derive_where_the_generic_member_cannot() {
    // a rate a^2 is not affine: the generic member is refused, the limit a → 0 still derives
    let fam = family("(exp(a^2*t) - 1)/a", Direction::FromLoss);
    let generic = fam.generic().unwrap();
    let refused = generic.pair.as_ref().unwrap_err();
    assert_eq!(refused.kind, fcorr::ErrorKind::NoClosedForm);
    let zero = fam.at(&BigRational::from_integer(0.into())).unwrap();
    assert_eq!(zero.kind, CaseKind::Limit);
    assert_eq!(plain(derived(zero.pair.as_ref().unwrap())), "0");
    assert!(fam.gradient_checks.is_empty());
    // a limit that is not finite is said so
    let fam = family("cosh(a*t)/a^2", Direction::FromLoss);
    let zero = fam.at(&BigRational::from_integer(0.into())).unwrap();
    let why = &zero.pair.as_ref().unwrap_err().reason;
    assert!(why.contains("the limit is not finite"), "{why}");
}

#[test]
fn the_command_line_prints_families() {
    use assert_cmd::Command;
    let run = |args: &[&str], code: i32| -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
            .args(args)
            .assert()
            .code(code)
            .get_output()
            .clone();
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    assert!(run(&["--from-loss", "linex", "--format", "latex"], 0).contains("% case (generic)"));
    assert!(run(&["--from-loss", "linex", "--format", "markdown"], 0).contains("| case |"));
    let j: serde_json::Value =
        serde_json::from_str(&run(&["--from-divergence", "cressie-read", "--json"], 0)).unwrap();
    assert_eq!(j["command"], "family");
    assert_eq!(j["cases"].as_array().unwrap().len(), 3);
    // nothing derived: exit 1; a flag that needs a member, or a bad assumption: exit 2
    assert!(run(&["--from-loss", "t^a"], 1).contains("no member of the family"));
    for flag in [
        &["--at", "2"][..],
        &["--regime", "model-samples-target-gradient"][..],
        &["--emit", "numpy"][..],
    ] {
        let mut args = vec!["--from-loss", "linex"];
        args.extend_from_slice(flag);
        assert!(
            run(&args, 2).contains("needs a member of the family"),
            "{flag:?}"
        );
    }
    assert!(
        run(&["--from-loss", "linex", "--assume", "alpha < "], 2).contains("no value after `<`")
    );
    assert!(run(&["--from-loss", "t^2", "--assume", "a > 0"], 2).contains("is for a family"));
    // `--param` gives the member, and its errors are as they were
    assert!(
        run(&["--from-loss", "linex", "--param", "alpha=1"], 0)
            .contains("identified      1 × KL(q‖pθ)")
    );
    assert!(
        run(&["--from-loss", "linex", "--param", "α=0"], 2).contains("its limit α → 0 is t²/2")
    );
}

/// The done-when of the regions: Linex is zero-forcing exactly for `α ≤ 0` and zero-avoiding
/// exactly for `α ≥ 1`, in the report derived from the catalog name.
#[test]
fn linex_regions_from_the_derived_family() {
    let linex = family("linex", Direction::FromLoss);
    let r = linex.regions.as_ref().expect("the regions are computed");
    assert_eq!(r.zero_forcing.holds.text("α"), "α ≤ 0");
    assert_eq!(r.zero_forcing.fails.text("α"), "α > 0");
    assert_eq!(r.zero_avoiding.holds.text("α"), "α ≥ 1");
    assert_eq!(r.zero_avoiding.fails.text("α"), "α < 1");
    assert!(r.zero_forcing.undecided.is_empty() && r.zero_avoiding.undecided.is_empty());
    assert_eq!(r.convex.holds.text("α"), "every α");
}

/// The README's regions table is the one the report prints.
#[test]
fn the_readme_regions_table_is_the_reports() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("reads the README");
    let linex = family("linex", Direction::FromLoss);
    let table = fcorr::family::regions::render::markdown(linex.regions.as_ref().expect("regions"));
    assert!(readme.contains(&table), "README lacks:\n{table}");
}
