//! Every JSON output of the `fcorr` command validates against `schema/fcorr.schema.json`.
//!
//! The validator is the subset of JSON Schema (draft 2020-12) the schema uses: `$ref` into
//! `$defs`, `type`, `enum`, `const`, `properties`, `required`, `additionalProperties: false`,
//! `items`, `anyOf`, `oneOf`, `minimum`. A keyword outside that subset fails the test, so the
//! schema cannot say something this check would silently skip.

use assert_cmd::Command;
use serde_json::{Value, json};

/// Keywords that only annotate.
const ANNOTATIONS: &[&str] = &["$schema", "title", "description", "schema_version", "$defs"];

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/fcorr.schema.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The reasons `value` (at `path`) does not match `s`, empty when it does.
fn errors(root: &Value, s: &Value, value: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let s = s.as_object().expect("a schema is an object");
    for (key, arg) in s {
        match key.as_str() {
            "$ref" => {
                let name = arg.as_str().unwrap().strip_prefix("#/$defs/").unwrap();
                let target = &root["$defs"][name];
                assert!(!target.is_null(), "no definition {name}");
                out.extend(errors(root, target, value, path));
            }
            "type" => {
                let types: Vec<&str> = match arg {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                    _ => panic!("bad type {arg}"),
                };
                if !types.iter().any(|t| has_type(value, t)) {
                    out.push(format!("{path}: {value} is not of type {arg}"));
                }
            }
            "enum" => {
                if !arg.as_array().unwrap().contains(value) {
                    out.push(format!("{path}: {value} is not one of {arg}"));
                }
            }
            "const" => {
                if arg != value {
                    out.push(format!("{path}: {value} is not {arg}"));
                }
            }
            "minimum" => {
                if value.as_f64().is_some_and(|x| x < arg.as_f64().unwrap()) {
                    out.push(format!("{path}: {value} is below {arg}"));
                }
            }
            "properties" => {
                if let Value::Object(m) = value {
                    for (k, sub) in arg.as_object().unwrap() {
                        if let Some(v) = m.get(k) {
                            out.extend(errors(root, sub, v, &format!("{path}.{k}")));
                        }
                    }
                }
            }
            "required" => {
                if let Value::Object(m) = value {
                    for k in arg.as_array().unwrap() {
                        if !m.contains_key(k.as_str().unwrap()) {
                            out.push(format!("{path}: missing key {k}"));
                        }
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(arg, &json!(false), "only `false` is supported");
                if let Value::Object(m) = value {
                    let known = s.get("properties").and_then(Value::as_object);
                    for k in m.keys() {
                        if !known.is_some_and(|p| p.contains_key(k)) {
                            out.push(format!("{path}: key `{k}` is not in the schema"));
                        }
                    }
                }
            }
            "items" => {
                if let Value::Array(xs) = value {
                    for (i, x) in xs.iter().enumerate() {
                        out.extend(errors(root, arg, x, &format!("{path}[{i}]")));
                    }
                }
            }
            "anyOf" | "oneOf" => {
                let branches = arg.as_array().unwrap();
                let fits = branches
                    .iter()
                    .filter(|b| errors(root, b, value, path).is_empty())
                    .count();
                let ok = if key == "anyOf" { fits >= 1 } else { fits == 1 };
                if !ok {
                    let why: Vec<String> = branches
                        .iter()
                        .flat_map(|b| errors(root, b, value, path))
                        .take(6)
                        .collect();
                    out.push(format!(
                        "{path}: {fits} branches of {key} match: {}",
                        why.join("; ")
                    ));
                }
            }
            k if ANNOTATIONS.contains(&k) => {}
            k => panic!("keyword `{k}` is not supported by this validator"),
        }
    }
    out
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        _ => panic!("unknown type {t}"),
    }
}

fn validate(v: &Value) -> Vec<String> {
    let root = schema();
    errors(&root, &root, v, "$")
}

/// The JSON `fcorr args` prints (with exit code `code`).
fn output(args: &[&str], code: i32) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .clone();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[track_caller]
fn valid(args: &[&str], code: i32) {
    let v = output(args, code);
    let errs = validate(&v);
    assert!(errs.is_empty(), "{args:?}:\n{}", errs.join("\n"));
    assert_eq!(
        v["schema_version"],
        fcorr::report::SCHEMA_VERSION,
        "{args:?}"
    );
}

#[test]
fn the_schema_names_the_version_of_the_outputs() {
    let s = schema();
    assert_eq!(s["schema_version"], fcorr::report::SCHEMA_VERSION);
    assert_eq!(
        s["$defs"]["schema_version"]["const"],
        fcorr::report::SCHEMA_VERSION
    );
}

#[test]
fn reports_validate() {
    valid(&["--from-loss", "t^2", "--json"], 0);
    valid(
        &[
            "--from-loss",
            "t^2 + 1",
            "--at",
            "0.5,2",
            "--format",
            "json",
        ],
        0,
    );
    valid(
        &[
            "--from-loss",
            "log(1 + t^2)",
            "--at",
            "0.001,2,1e13",
            "--regime",
            "target-samples-target-gradient",
            "--json",
        ],
        0,
    );
    valid(
        &[
            "--from-loss",
            "log(cosh(t))",
            "--regime",
            "target-samples-target-gradient",
            "--json",
        ],
        0,
    );
    valid(
        &["--from-divergence", "le-cam", "--at", "-1,0,50", "--json"],
        0,
    );
    valid(&["--from-divergence", "tv", "--json"], 0);
    // Convexity decided piece by piece: convex (pieces and kinks), and not (the falling kink).
    valid(
        &[
            "--from-loss",
            "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)",
            "--json",
        ],
        0,
    );
    valid(&["--from-loss", "min(abs(t), 1)^2", "--json"], 0);
    valid(&["--from-divergence", "sign(u - 2)*(u - 1)", "--json"], 0);
    valid(
        &[
            "--from-divergence",
            "abs(u - 2) - abs(sign(u - 2))",
            "--json",
        ],
        0,
    );
    // Parts that cannot be computed: the normalisation (`g'(0)` undefined); the gradient check,
    // class and reward on overflowing models; a regime with no closed form.
    valid(&["--from-loss", "sqrt(abs(t))", "--json"], 0);
    valid(&["--from-divergence", "abs(u-1)^(1/2)", "--json"], 0);
    valid(&["--from-loss", "exp(exp(exp(t)))", "--json"], 1);
    valid(
        &[
            "--from-loss",
            "exp(t^2)",
            "--regime",
            "target-samples-target-gradient",
            "--json",
        ],
        1,
    );
    valid(
        &[
            "--from-loss",
            "linex",
            "--residual",
            "model-minus-target",
            "--json",
        ],
        0,
    );
}

#[test]
fn family_validates() {
    valid(&["--from-loss", "linex", "--json"], 0);
    valid(&["--from-divergence", "alpha", "--json"], 0);
    valid(&["--from-loss", "log(a)*t^2", "--json"], 0);
    valid(&["--from-loss", "abs(t)^p", "--json"], 0);
    valid(&["--from-divergence", "cressie-read", "--json"], 0);
    valid(
        &["--from-loss", "linex", "--assume", "alpha > 0", "--json"],
        0,
    );
}

#[test]
fn check_validates() {
    valid(
        &[
            "check",
            "--loss",
            "t^2/2",
            "--divergence",
            "reverse-kl",
            "--json",
        ],
        0,
    );
    valid(
        &[
            "check",
            "--loss",
            "exp(t) - t - 1",
            "--divergence",
            "kl",
            "--residual",
            "model-minus-target",
            "--format",
            "json",
        ],
        1,
    );
    valid(
        &[
            "check",
            "--loss",
            "log(1 + t^2)",
            "--divergence",
            "kl",
            "--json",
        ],
        1,
    );
}

#[test]
fn a_partial_check_validates() {
    valid(
        &[
            "check",
            "--loss",
            "exp(exp(exp(t)))",
            "--divergence",
            "kl",
            "--json",
        ],
        1,
    );
}

#[test]
fn catalog_validates() {
    valid(&["catalog", "--json"], 0);
}

#[test]
fn variance_validates() {
    valid(
        &[
            "variance",
            "--from-loss",
            "t^2",
            "--from-loss",
            "linex",
            "--logits",
            "0,1,2",
            "--target",
            "1,1,1",
            "--regime",
            "target-samples-model-gradient",
            "--json",
        ],
        0,
    );
    valid(
        &[
            "variance",
            "--from-loss",
            "linex",
            "--outcomes",
            "20",
            "--behaviour",
            "mix-uniform:0.2",
            "--samples",
            "500",
            "--json",
        ],
        0,
    );
}

#[test]
fn expression_commands_validate() {
    valid(&["simplify", "u*u", "--json"], 0);
    valid(&["diff", "t^a", "--var", "a", "--format", "json"], 0);
    valid(&["eval", "log(t)", "--at", "1,0", "--json"], 1);
}

#[test]
fn the_validator_rejects_what_the_schema_does_not_say() {
    let good = output(&["--from-loss", "t^2", "--json"], 0);
    assert!(validate(&good).is_empty());
    let broken = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        assert!(!validate(&v).is_empty(), "accepted: {v:#}");
    };
    broken(&|v| {
        v.as_object_mut().unwrap().remove("residual");
    });
    broken(&|v| v["closed_form"] = json!("yes"));
    broken(&|v| v["tails"]["f_at_0"] = json!("∞"));
    broken(&|v| v["gradient_check"]["verdict"] = json!("maybe"));
    broken(&|v| v["unknown_key"] = json!(1));
    broken(&|v| v["schema_version"] = json!(0));
    broken(&|v| v["values"] = json!([{"u": 1.0, "f": 0.0}]));
}
