use super::*;

/// A catalog divergence, or else a catalog loss or an expression.
fn subject(text: &str) -> Subject {
    match crate::catalog::divergence(text) {
        Some(_) => Subject::divergence(text).unwrap(),
        None => Subject::loss(text).unwrap(),
    }
}

#[track_caller]
fn reads(text: &str, name: &str, value: &str) {
    let a = parse_assignment(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(a.name, name, "{text}");
    assert_eq!(a.value, value.parse::<BigRational>().unwrap(), "{text}");
}

#[track_caller]
fn refused(text: &str, message: &str) {
    let err = parse_assignment(text).expect_err(text);
    assert_eq!(err.to_string(), message, "{text}");
}

#[track_caller]
fn bind_refused(subjects: &[&str], given: &[&str], message: &str) {
    let subjects: Vec<Subject> = subjects.iter().map(|s| subject(s)).collect();
    let refs: Vec<&Subject> = subjects.iter().collect();
    let err = bind_each(&refs, &["t", "u"], given).expect_err(&given.join(" "));
    assert_eq!(err.to_string(), message, "{given:?}");
}

#[track_caller]
fn binds(subject: &str, given: &[&str], used: &[(&str, &str, Option<&str>)]) {
    let s = super::tests::subject(subject);
    let r = bind(&s, &["t", "u"], given).unwrap_or_else(|e| panic!("{given:?}: {e}"));
    let got: Vec<(&str, &str, Option<&str>)> = r
        .used
        .iter()
        .map(|b| (b.name.as_str(), b.value.as_str(), b.default_of.as_deref()))
        .collect();
    assert_eq!(got, used, "{given:?}");
}

#[test]
fn values_are_exact_numbers() {
    reads("a=2", "a", "2");
    reads("a=1/2", "a", "1/2");
    reads("a = 0.5", "a", "1/2");
    reads("a=-2", "a", "-2");
    reads("a=+2", "a", "2");
    reads("a=-3/2", "a", "-3/2");
    reads("a=3/-2", "a", "-3/2");
    reads("a=1e-3", "a", "1/1000");
    reads("a=2.5E+4", "a", "25000");
    reads("a=.5", "a", "1/2");
    reads("a=2.", "a", "2");
    reads("a=0.1", "a", "1/10");
    reads("a=1e-3/2", "a", "1/2000");
    reads("alpha_2=1", "alpha_2", "1");
}

#[test]
fn greek_letters_are_their_names() {
    reads("α=2", "alpha", "2");
    reads("δ = 1/2", "delta", "1/2");
    reads("Δ=1", "Delta", "1");
}

#[test]
fn each_refusal_names_the_parameter_and_echoes_the_value() {
    refused("alpha", "expected `NAME=VALUE`, found `alpha`");
    refused("=2", "`` cannot be a parameter name");
    refused("2a=1", "`2a` cannot be a parameter name");
    refused("a b=1", "`a b` cannot be a parameter name");
    refused("αβ=1", "`αβ` cannot be a parameter name");
    refused("a-b=1", "`a-b` cannot be a parameter name");
    refused("t=1", "`t` is a variable, not a parameter");
    refused("u=1", "`u` is a variable, not a parameter");
    refused("e=1", "`e` is a constant, not a parameter");
    refused("pi=3", "`pi` is a constant, not a parameter");
    refused("π=3", "`π` is a constant, not a parameter");
    refused("log=1", "`log` is a function, not a parameter");
    refused("ln=1", "`ln` is a function, not a parameter");
    refused("softplus=1", "`softplus` is a function, not a parameter");
    refused("a=", "the value `` of parameter `a` is not a number");
    refused("a=x", "the value `x` of parameter `a` is not a number");
    refused("a=inf", "the value `inf` of parameter `a` is not a number");
    refused("a=NaN", "the value `NaN` of parameter `a` is not a number");
    refused("a=pi", "the value `pi` of parameter `a` is not a number");
    refused("a=1/0", "the value `1/0` of parameter `a` is not a number");
    refused(
        "a=1/2/3",
        "the value `1/2/3` of parameter `a` is not a number",
    );
    refused("a=--1", "the value `--1` of parameter `a` is not a number");
    refused("a=1e", "the value `1e` of parameter `a` is not a number");
    refused(
        "a=1e99999",
        "the value `1e99999` of parameter `a` is not a number",
    );
    refused(
        "α=0x10",
        "the value `0x10` of parameter `α` is not a number",
    );
    refused("a=1=2", "the value `1=2` of parameter `a` is not a number");
}

#[test]
fn binding_refuses_what_the_subject_does_not_use() {
    let linex_a = "`linex` has no parameter `a`; did you mean `alpha`?";
    bind_refused(&["linex"], &["a=2"], linex_a);
    bind_refused(
        &["linex"],
        &["alhpa=2"],
        "`linex` has no parameter `alhpa`; did you mean `alpha`?",
    );
    bind_refused(
        &["linex"],
        &["beta=2"],
        "`linex` has no parameter `beta`; did you mean `alpha`?",
    );
    bind_refused(&["kl"], &["alpha=2"], "`kl` has no parameter `alpha`");
    bind_refused(&["t^2"], &["a=2"], "`t^2` has no parameter `a`");
    bind_refused(
        &["a*t^2 + b*t"],
        &["c=2"],
        "`a*t^2 + b*t` has no parameter `c`",
    );
    bind_refused(
        &["alpha*t^2 + beta*t"],
        &["alph=2"],
        "`alpha*t^2 + beta*t` has no parameter `alph`; did you mean `alpha`?",
    );
    bind_refused(
        &["linex", "kl"],
        &["a=1"],
        "neither `linex` nor `kl` has a parameter `a`; did you mean `alpha`?",
    );
    bind_refused(
        &["linex", "t^2", "kl"],
        &["zeta=1"],
        "none of `linex`, `t^2`, `kl` has a parameter `zeta`; did you mean `alpha`?",
    );
}

#[test]
fn binding_refuses_duplicates_and_variables() {
    bind_refused(
        &["linex"],
        &["alpha=1", "alpha=2"],
        "parameter `alpha` is given twice (`alpha=1` and `alpha=2`)",
    );
    bind_refused(
        &["linex"],
        &["alpha=1", "α=2"],
        "parameter `alpha` is given twice (`alpha=1` and `α=2`)",
    );
    bind_refused(&["linex"], &["t=1"], "`t` is a variable, not a parameter");
}

#[test]
fn binding_refuses_values_that_make_the_subject_undefined() {
    bind_refused(
        &["linex"],
        &["alpha=0"],
        "alpha = 0 makes `linex` undefined; its limit α → 0 is t²/2",
    );
    bind_refused(
        &["linex"],
        &["α=0.0"],
        "α = 0.0 makes `linex` undefined; its limit α → 0.0 is t²/2",
    );
    bind_refused(
        &["alpha"],
        &["alpha=0"],
        "alpha = 0 makes `alpha` undefined; its limit α → 0 is u − 1 − ln(u)",
    );
    bind_refused(
        &["alpha"],
        &["alpha=1"],
        "alpha = 1 makes `alpha` undefined; its limit α → 1 is u·ln(u) − u + 1",
    );
    bind_refused(
        &["pseudo-huber"],
        &["delta=0"],
        "delta = 0 makes `pseudo-huber` undefined",
    );
    bind_refused(&["t^2/a"], &["a=0"], "a = 0 makes `t^2/a` undefined");
    bind_refused(
        &["log(a)*t^2"],
        &["a=-1"],
        "a = -1 makes `log(a)*t^2` undefined",
    );
    bind_refused(
        &["t^2/(a - b)"],
        &["a=1", "b=1"],
        "a = 1, b = 1 makes `t^2/(a - b)` undefined",
    );
}

#[test]
fn catalog_defaults_fill_what_is_not_given() {
    binds("linex", &[], &[("alpha", "1", Some("linex"))]);
    binds("linex", &["alpha=1/2"], &[("alpha", "1/2", None)]);
    binds("linex", &["α=-2"], &[("alpha", "-2", None)]);
    binds("alpha", &[], &[("alpha", "1/2", Some("alpha"))]);
    binds("kl", &[], &[]);
    binds("a*t^2", &["a=3"], &[("a", "3", None)]);
}

#[test]
fn each_subject_of_several_gets_its_own_defaults() {
    let (linex, alpha, ab) = (subject("linex"), subject("alpha"), subject("a*t + b"));
    let used = |given: &[&str]| -> Vec<Vec<(String, String)>> {
        bind_each(&[&linex, &alpha, &ab], &["t", "u"], given)
            .unwrap()
            .iter()
            .map(|r| {
                r.used
                    .iter()
                    .map(|b| (b.name.clone(), b.value.clone()))
                    .collect()
            })
            .collect()
    };
    let pairs = |xs: &[(&str, &str)]| {
        xs.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        used(&[]),
        vec![
            pairs(&[("alpha", "1")]),
            pairs(&[("alpha", "1/2")]),
            pairs(&[])
        ]
    );
    assert_eq!(
        used(&["alpha=2", "b=1"]),
        vec![
            pairs(&[("alpha", "2")]),
            pairs(&[("alpha", "2")]),
            pairs(&[("b", "1")])
        ]
    );
}

#[test]
fn every_catalog_limit_is_the_limit() {
    for (key, param, value, limit) in crate::catalog::LIMITS {
        let s = subject(key);
        let var = if s.expr.contains_sym("t") { "t" } else { "u" };
        let at: f64 = value.parse::<f64>().unwrap() + 1e-6;
        let near = crate::eval::compile(
            &simplify(&s.expr).unwrap(),
            var,
            &crate::eval::Params::from_pairs([(*param, at)]),
        )
        .unwrap();
        let l = crate::eval::compile(
            &crate::parse::parse(limit).unwrap(),
            var,
            &crate::eval::Params::new(),
        )
        .unwrap();
        for x in [0.3, 0.7, 1.5, 2.0] {
            let (a, b) = (near.eval(x), l.eval(x));
            assert!(
                (a - b).abs() <= 1e-5 * (1.0 + b.abs()),
                "{key} {param} → {value} at {x}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn suggestions() {
    let known = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(suggest("a", &known(&["alpha"])), Some("alpha".into()));
    assert_eq!(
        suggest("delt", &known(&["alpha", "delta"])),
        Some("delta".into())
    );
    assert_eq!(suggest("zeta", &known(&["alpha", "delta"])), None);
    assert_eq!(suggest("x", &known(&[])), None);
}

#[test]
fn values_for_f64_evaluation_must_fit_an_f64() {
    let s = subject("a*t");
    let values = |given: &str| bind(&s, &["t", "u"], &[given]).unwrap().values();
    assert_eq!(values("a=1e308").unwrap().get("a"), Some(1e308));
    assert_eq!(values("a=0").unwrap().get("a"), Some(0.0));
    assert_eq!(values("a=-2.5e-308").unwrap().get("a"), Some(-2.5e-308));
    for too in ["a=1e309", "a=-1e999", "a=1e-400", "a=-1/1e310"] {
        let err = values(too).expect_err(too);
        assert!(matches!(err, ParamError::Range { .. }), "{too}: {err}");
    }
}

/// A name written in the expression that its canonical form dropped is named as cancelled, not
/// as absent (it was `` `t + a - a` has no parameter `a` ``, help "it has no parameters").
#[test]
#[rustfmt::skip]
fn a_value_for_a_cancelled_name_says_it_cancelled() {
    let cancels = |name: &str, of: &str| format!("`{name}` cancels out of {of}, whose canonical form does not depend on it");
    bind_refused(&["t + a - a"], &["a=2"], &cancels("a", "`t + a - a`"));
    bind_refused(&["0*a + t^2"], &["a=2"], &cancels("a", "`0*a + t^2`"));
    bind_refused(&["t^2 + 1^(1/(a - 1))"], &["a=1"], &cancels("a", "`t^2 + 1^(1/(a - 1))`"));
    bind_refused(&["t^2 + (a + 1)^0"], &["a=1"], &cancels("a", "`t^2 + (a + 1)^0`"));
    bind_refused(&["alpha*t^2 + 0*alpah"], &["alpah=1"], &cancels("alpah", "`alpha*t^2 + 0*alpah`"));
    bind_refused(&["t^2 + 0*c", "kl"], &["c=1"], &cancels("c", "`t^2 + 0*c`"));
    bind_refused(&["t^2"], &["a=2"], "`t^2` has no parameter `a`");
    let subjects = [subject("t + a - a")];
    let err = bind_each(&[&subjects[0]], &["t", "u"], &["a=2"]).unwrap_err();
    assert_eq!(err.help().as_deref(), Some("an identity such as `x − x = 0`, `0·x = 0`, `x^0 = 1` or `1^x = 1` removed it, so a value for it changes nothing"));
}
