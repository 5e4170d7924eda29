//! The report's JSON as text, written in one pass.
//!
//! A report's values can be many (`--at` a thousand points), and building each one as a
//! `serde_json::Value` (an ordered map of owned keys) before printing it cost about ten times
//! the printing itself. The values are therefore serialised straight from the data model, with
//! their keys in the order a `Value` map sorts them (`error`, `f`/`g`, `refused`, `u`/`t`), and
//! only the rest of the report, whose size does not grow with the points, goes through a
//! `Value`: the text is byte for byte what printing the whole report as one `Value` gives.

use super::model::ValueData;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// The report `tree` (a JSON object whose `values` are left empty) with `values` in their place,
/// pretty-printed with two spaces, as `format!("{:#}", value)` prints the whole report.
pub(crate) fn pretty(tree: &Value, values: &[ValueData]) -> String {
    let mut out = Vec::with_capacity(4096 + 120 * values.len());
    let whole = WithValues { tree, values };
    // Writing to memory fails only if a map key is not a string, which a `Value` rules out.
    if serde_json::to_writer_pretty(&mut out, &whole).is_err() {
        return format!("{tree:#}");
    }
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A report object whose `values` key is written from the typed values.
struct WithValues<'a> {
    tree: &'a Value,
    values: &'a [ValueData],
}

impl Serialize for WithValues<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Value::Object(map) = self.tree else {
            return self.tree.serialize(s);
        };
        let mut m = s.serialize_map(Some(map.len()))?;
        for (k, v) in map {
            if k == "values" {
                m.serialize_entry(k, &Values(self.values))?;
            } else {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

/// The values as a JSON array.
struct Values<'a>(&'a [ValueData]);

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for v in self.0 {
            seq.serialize_element(&Sorted(v))?;
        }
        seq.end()
    }
}

/// One value with its keys in sorted order.
struct Sorted<'a>(&'a ValueData);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (x_key, y_key, x, y, error, refused) = match self.0 {
            ValueData::Divergence {
                u,
                f,
                error,
                refused,
            } => ("u", "f", u, f, error, refused),
            ValueData::Loss {
                t,
                g,
                error,
                refused,
            } => ("t", "g", t, g, error, refused),
        };
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("error", &error.map(Num))?;
        m.serialize_entry(y_key, &y.map(Num))?;
        m.serialize_entry("refused", refused)?;
        m.serialize_entry(x_key, &Num(*x))?;
        m.end()
    }
}

/// A float as the JSON outputs write numbers (see [`super::schema::number`]).
#[derive(Clone, Copy)]
struct Num(f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        super::schema::number(&self.0, s)
    }
}

#[cfg(test)]
mod tests {
    use crate::check::CheckOptions;
    use crate::report::Report;
    use crate::transform::{Bindings, Residual, from_divergence, from_loss};

    /// The report of `text` (a loss or a generator) at `xs`, with its analysis when `analyse`.
    fn report(text: &str, loss: bool, xs: &[f64], analyse: bool) -> Report {
        let e = crate::parse::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let b = Bindings::new();
        let pair = if loss {
            from_loss(&e, Residual::TargetMinusModel, &b)
        } else {
            from_divergence(&e, Residual::TargetMinusModel, &b)
        }
        .unwrap_or_else(|e| panic!("{e}"));
        let values = pair.derived_points(xs).unwrap_or_else(|e| panic!("{e}"));
        let analysis = analyse.then(|| {
            crate::analysis::analyze(&pair, &CheckOptions::default(), None)
                .unwrap_or_else(|e| panic!("{e}"))
        });
        Report {
            pair,
            values,
            gradient_check: None,
            analysis,
            parameters: vec![],
        }
    }

    #[track_caller]
    fn same_text_as_the_value_tree(r: &Report) {
        assert_eq!(r.json_text(), format!("{:#}\n", r.json()));
    }

    #[test]
    fn the_text_is_the_value_tree_printed() {
        // Numeric values with errors, refusals (out of range), a closed form
        // (no error), a derived loss, none at all, and the analysis' keys beside `values`.
        let (numeric, closed) = ([0.5, 2.0, 1e20, 1e-13, 1e-12], [0.25, 1.0, 4e3]);
        same_text_as_the_value_tree(&report("log(1 + t^2)", true, &numeric, false));
        same_text_as_the_value_tree(&report("t^2", true, &closed, false));
        same_text_as_the_value_tree(&report("t^2", true, &[], false));
        same_text_as_the_value_tree(&report("u*log(u)", false, &[-50.0, 0.0, 3.5], false));
        same_text_as_the_value_tree(&report("sqrt(u)*log(u) - u + 1", false, &[0.5, 1.5], false));
        same_text_as_the_value_tree(&report("exp(t) - t - 1", true, &closed, true));
    }
}
