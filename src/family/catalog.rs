//! Families named on the command line beside the catalog's members: `cressie-read` (the power
//! divergences) and `skew-js` (Jensen–Shannon with a weight) as divergences, `power` (the power
//! losses `|t|^p`) as a loss. They have no default value, so they are derived as families
//! unless `--param` gives one, and they take no part in identification (the α-divergences
//! already name the same generators; the power losses' generators are not named divergences).

/// A named family of divergence generators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedFamily {
    /// The name on the command line (`--from-divergence cressie-read`).
    pub key: &'static str,
    /// A readable name.
    pub name: &'static str,
    /// The generator `f(u)` in the language, with its parameter.
    pub f: &'static str,
    /// The parameter.
    pub param: &'static str,
    /// The values the family is defined for, as assumptions (`w > 0`).
    pub range: &'static [&'static str],
}

/// The named families.
pub const FAMILIES: &[NamedFamily] = &[
    NamedFamily {
        key: "cressie-read",
        name: "Cressie–Read power divergence CR_λ(q‖pθ)",
        f: "(u^(lambda + 1) - u - lambda*(u - 1))/(lambda*(lambda + 1))",
        param: "lambda",
        range: &[],
    },
    NamedFamily {
        key: "skew-js",
        name: "skewed Jensen–Shannon JS_w(q‖pθ) = w·KL(q‖m) + (1 − w)·KL(pθ‖m), m = w·q + (1 − w)·pθ",
        f: "w*u*log(u) - (w*u + 1 - w)*log(w*u + 1 - w)",
        param: "w",
        range: &["w > 0", "w < 1"],
    },
];

/// The named family called `key`.
pub fn family(key: &str) -> Option<&'static NamedFamily> {
    FAMILIES.iter().find(|f| f.key == key)
}

/// A named family of losses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedLossFamily {
    /// The name on the command line (`--from-loss power`).
    pub key: &'static str,
    /// A readable name.
    pub name: &'static str,
    /// The loss `g(t)` in the language, with its parameter.
    pub g: &'static str,
    /// The parameter.
    pub param: &'static str,
    /// The values the family is defined for, as assumptions (`p > 0`).
    pub range: &'static [&'static str],
}

/// The named loss families.
pub const LOSS_FAMILIES: &[NamedLossFamily] = &[NamedLossFamily {
    key: "power",
    name: "power loss |t|^p",
    g: "abs(t)^p",
    param: "p",
    range: &["p > 0"],
}];

/// The named loss family called `key`.
pub fn loss_family(key: &str) -> Option<&'static NamedLossFamily> {
    LOSS_FAMILIES.iter().find(|f| f.key == key)
}

/// The range of the named family (of either side) called `key`; empty for any other.
pub fn range(key: &str) -> &'static [&'static str] {
    family(key)
        .map(|f| f.range)
        .or_else(|| loss_family(key).map(|f| f.range))
        .unwrap_or(&[])
}
