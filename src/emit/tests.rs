use super::{Backend, emit, expression};
use crate::parse::parse;
use crate::transform::{Bindings, Residual, from_loss};

#[track_caller]
fn prints_as(backend: Backend, cases: &[(&str, &str)]) {
    for (input, expected) in cases {
        let e = crate::simplify::simplify(&parse(input).unwrap()).unwrap();
        let got = expression(&e, "t", "t", backend).unwrap();
        assert_eq!(got, expand(expected), "{input}");
    }
}

/// `expected` with `SERIES[lib, x](direct)` written out: `e^x − 1 − x` by its Taylor series
/// where `|x| < 1/2`, `direct` elsewhere.
fn expand(expected: &str) -> String {
    let Some(start) = expected.find("SERIES[") else {
        return expected.to_string();
    };
    let rest = &expected[start + 7..];
    let close = rest.find(']').unwrap();
    let (lib, x) = rest[..close].split_once(", ").unwrap();
    let after = &rest[close + 2..];
    let end = after.find("#").unwrap();
    let direct = &after[..end];
    let clip = if lib == "torch" {
        format!("torch.clamp({x}, -0.5, 0.5)")
    } else {
        format!("{lib}.clip({x}, -0.5, 0.5)")
    };
    let coeffs = crate::eval::stable::expm1_minus_x_series();
    let mut poly: Vec<String> = coeffs.iter().map(|c| format!("{c:?}")).collect();
    let last = poly.pop().unwrap();
    let poly = poly
        .iter()
        .fold(String::new(), |acc, c| acc + c + " + x_ * (")
        + &last
        + &")".repeat(coeffs.len() - 1);
    let series =
        format!("{lib}.where({lib}.abs({x}) < 0.5, (x_ := {clip})**2 * ({poly}), {direct})");
    format!(
        "{}{series}{}",
        &expected[..start],
        expand(&after[end + 1..])
    )
}

#[test]
fn numpy_expressions() {
    prints_as(
        Backend::Numpy,
        &[
            ("t^2/2", "t**2 / 2"),
            ("exp(t) - 1", "np.expm1(t)"),
            ("exp(t) - t - 1", "SERIES[np, t](np.expm1(t) - t#"),
            (
                "4*exp(t/2) - 2*t - 4",
                "4 * SERIES[np, t / 2](np.expm1(t / 2) - t / 2#",
            ),
            ("exp(t) + exp(-t) - 2", "4 * np.sinh(t / 2) ** 2"),
            ("log(1 + t^2)", "np.log1p(t**2)"),
            ("log(1 + exp(t))", "np.logaddexp(0, t)"),
            ("softplus(-t)", "np.logaddexp(0, -t)"),
            ("sigmoid(t)", "np.exp(-np.logaddexp(0, -t))"),
            ("log(sigmoid(t))", "-np.logaddexp(0, -t)"),
            ("-t", "-t"),
            ("1 - exp(t)", "-np.expm1(t)"),
            ("2 - 2/sqrt(t)", "2 - 2 / np.sqrt(t)"),
            ("(-2)^t", "(-2) ** t"),
            ("t^(3/2)", "t ** (3 / 2)"),
            ("exp(t)^2", "np.exp(2 * t)"),
            ("log(2)*t", "0.6931471805599453 * t"),
            ("pi*t", "np.pi * t"),
            ("atan(t) + asinh(t)", "np.arctan(t) + np.arcsinh(t)"),
            ("1/(1 + t^2)", "1 / (t**2 + 1)"),
            ("t/(2*(t+1))", "t / (2 * t + 2)"),
            (
                "2*exp(-t/2) + t - 2",
                "2 * SERIES[np, -t / 2](np.expm1(-t / 2) + t / 2#",
            ),
            ("(exp(t) - t - 1)^2", "SERIES[np, t](np.expm1(t) - t# ** 2"),
            ("t*(exp(t) - 1)", "t * np.expm1(t)"),
        ],
    );
}

#[test]
fn torch_and_jax_expressions() {
    prints_as(
        Backend::Torch,
        &[
            ("exp(t) - t - 1", "SERIES[torch, t](torch.expm1(t) - t#"),
            ("log(1 + exp(t))", "torch.nn.functional.softplus(t)"),
            ("sigmoid(t)", "torch.sigmoid(t)"),
            ("log(sigmoid(t))", "torch.nn.functional.logsigmoid(t)"),
            ("pi*t", "math.pi * t"),
        ],
    );
    prints_as(
        Backend::Jax,
        &[
            ("exp(t) - 1", "jnp.expm1(t)"),
            ("softplus(t)", "jax.nn.softplus(t)"),
            ("log(sigmoid(t))", "jax.nn.log_sigmoid(t)"),
            ("atan(t)", "jnp.arctan(t)"),
        ],
    );
}

#[test]
fn model_minus_target_builds_r() {
    let g = parse("exp(t) - t - 1").unwrap();
    let pair = from_loss(&g, Residual::ModelMinusTarget, &Bindings::new()).unwrap();
    let code = emit(&pair, Backend::Numpy).unwrap();
    assert!(code.contains("r = log_p - log_q"), "{code}");
    assert!(code.contains(", np.expm1(r) - r)"), "{code}");
    assert!(code.contains("sign trap"), "{code}");
}

#[test]
fn unset_parameter_is_an_error() {
    let e = parse("a*t").unwrap();
    assert!(expression(&e, "t", "t", Backend::Numpy).is_err());
}
