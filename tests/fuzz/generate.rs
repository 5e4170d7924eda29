//! A grammar-aware generator of expressions as a person types them.
//!
//! It writes text, not trees, so that the lexer and parser are exercised too: numbers in every
//! spelling the grammar allows (`2`, `0.5`, `.5`, `2.`, `1e-3`, `3/4`), the variables `t` and
//! `u`, parameters (`a`, `alpha`, `α`, `β`), constants (`e`, `pi`, `π`), every function (also
//! `ln`, `log1p`, `expm1`, `sqrt`, `√`), ASCII and Unicode operators (`−`, `·`, `×`, `÷`, `**`,
//! `²`, `³`), and implicit multiplication (`2t`, `3 log(u)`, `(t + 1)(t − 1)`, `2√u`, `a u`).
//! Each case is drawn from its own seed, so any case can be regenerated from its number.

/// The library's SplitMix64 stream ([`fcorr::variance::Rng`]) with the draws the generator
/// uses (`below` by remainder, so that a seed draws the same cases as before).
#[derive(Clone)]
pub struct Rng(fcorr::variance::Rng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(fcorr::variance::Rng::new(seed))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// The seed of case `i` of a run seeded with `seed`.
pub fn case_seed(seed: u64, i: u64) -> u64 {
    Rng::new(seed ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

/// Which variable a case is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    T,
    U,
}

impl Var {
    pub fn name(self) -> &'static str {
        match self {
            Var::T => "t",
            Var::U => "u",
        }
    }
}

/// The parameters a case may use, with the exactly representable values they are given.
pub const PARAMS: [(&str, &[&str], f64); 3] = [
    ("a", &["a"], 0.75),
    ("alpha", &["alpha", "α"], 2.5),
    ("beta", &["beta", "β"], -1.5),
];

const FUNCS: [&str; 19] = [
    "exp", "log", "ln", "sqrt", "abs", "sign", "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh",
    "asinh", "softplus", "sigmoid", "log1p", "expm1", "exp",
];

/// One generated expression.
pub struct Case {
    pub text: String,
    pub var: Var,
}

/// Draw one case: an expression in `t` or `u`, at most `depth` levels deep.
pub fn case(rng: &mut Rng, depth: usize) -> Case {
    let var = if rng.chance(0.5) { Var::T } else { Var::U };
    let mut g = Gen { rng, var };
    let text = g.expr(depth);
    Case { text, var }
}

struct Gen<'a> {
    rng: &'a mut Rng,
    var: Var,
}

impl Gen<'_> {
    fn expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(0.25) {
            return self.leaf();
        }
        let d = depth - 1;
        match self.rng.below(11) {
            0 | 1 => {
                let op = *self.rng.pick(&[" + ", " - ", " − ", "+", "-"]);
                format!("{}{op}{}", self.expr(d), self.expr(d))
            }
            2 | 3 => {
                let op = *self.rng.pick(&["*", " * ", "·", " × ", "⋅"]);
                format!("{}{op}{}", self.group(d), self.group(d))
            }
            4 => {
                let op = *self.rng.pick(&["/", " / ", " ÷ "]);
                format!("{}{op}{}", self.group(d), self.group(d))
            }
            5 => self.power(d),
            6..=8 => self.call(d),
            9 => self.implicit(d),
            _ => format!("-{}", self.group(d)),
        }
    }

    /// An operand that binds as one unit: a leaf or a parenthesised expression.
    fn group(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(0.4) {
            self.leaf()
        } else if self.rng.chance(0.5) {
            self.call(depth - 1)
        } else {
            format!("({})", self.expr(depth - 1))
        }
    }

    fn power(&mut self, depth: usize) -> String {
        let base = self.group(depth);
        match self.rng.below(6) {
            0 => format!("{base}²"),
            1 => format!("{base}³"),
            2 => format!("{base}**{}", self.rng.pick(&["2", "3", "-1", "0.5"])),
            3 => format!("{base}^(1/{})", self.rng.pick(&["2", "3", "4"])),
            4 if self.rng.chance(0.25) => self.tower(base),
            4 => format!("{base}^{}", self.leaf()),
            _ => format!(
                "{base}^{}",
                self.rng
                    .pick(&["2", "3", "-1", "-2", "4", "(-1/2)", "(3/2)", "0"])
            ),
        }
    }

    /// `base^a^b^…`, 2 to 24 levels of leaves (right-associative: `t^t^t` is `t^(t^t)`),
    /// the shape whose derivative nests a product of a sum in every level.
    fn tower(&mut self, base: String) -> String {
        let levels = 1 + self.rng.below(23);
        let mut text = base;
        for _ in 0..levels {
            let leaf = if self.rng.chance(0.7) {
                self.var.name().to_string()
            } else {
                self.leaf()
            };
            text = format!("{text}^{leaf}");
        }
        text
    }

    fn call(&mut self, depth: usize) -> String {
        let f = *self.rng.pick(&FUNCS);
        let arg = self.expr(depth);
        if f == "sqrt" && self.rng.chance(0.4) {
            return format!("√({arg})");
        }
        format!("{f}({arg})")
    }

    fn implicit(&mut self, depth: usize) -> String {
        let n = self.integer();
        match self.rng.below(5) {
            0 => format!("{n}{}", self.var.name()),
            1 => format!("{n} {}", self.call(depth)),
            2 => format!("({})({})", self.expr(depth), self.expr(depth)),
            3 => format!("{n}√{}", self.var.name()),
            _ => format!("{} {}", self.param(), self.var.name()),
        }
    }

    fn leaf(&mut self) -> String {
        match self.rng.below(10) {
            0..=3 => self.var.name().to_string(),
            4 | 5 => self.number(),
            6 => self.param(),
            7 => self.rng.pick(&["e", "pi", "π"]).to_string(),
            8 => self.integer(),
            _ => format!("{}²", self.var.name()),
        }
    }

    fn param(&mut self) -> String {
        let (_, spellings, _) = self.rng.pick(&PARAMS);
        self.rng.pick(spellings).to_string()
    }

    fn integer(&mut self) -> String {
        (1 + self.rng.below(9)).to_string()
    }

    fn number(&mut self) -> String {
        self.rng
            .pick(&[
                "2", "0.5", ".5", "2.", "1e-3", "3/4", "1.5", "10", "0.1", "2.5E+1", "7",
            ])
            .to_string()
    }
}

/// The points a case is checked at: residuals `t` in `[−4, 4]`, ratios `u` in `[0.02, 50]`,
/// both exactly representable (drawn as `f64`, so the oracle sees the same number).
pub fn point(rng: &mut Rng, var: Var) -> f64 {
    match var {
        Var::T => (rng.unit() * 8.0 - 4.0) * if rng.chance(0.1) { 1e-6 } else { 1.0 },
        Var::U => (rng.unit() * 7.8 - 3.9).exp(),
    }
}
