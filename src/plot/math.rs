//! Typeset labels: a small subset of LaTeX laid out as positioned runs of text.
//!
//! Every label of a figure is written once as *markup* — text with `$…$` math, in LaTeX — so the
//! pgfplots output passes it to TeX as it is ([`to_latex`]) and the drawn outputs lay it out
//! here: letters in italic, real sub- and superscripts (smaller and shifted), `\frac{a}{b}`
//! inline as `a/b` (with parentheses when needed), Greek letters, primes, `\log` upright, and
//! TeX's spacing around binary operators and relations. The widths come from the bundled DejaVu
//! Sans, so a label is measured exactly as it will be drawn (kerning is turned off in the SVG).
//! Unknown commands are written as their name; nothing here fails on any input.

use std::sync::OnceLock;

/// A piece of a laid-out label, drawn at one size, slant and baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The characters (never empty, never with spaces at either end).
    pub text: String,
    /// Whether it is set in the oblique face (math letters).
    pub italic: bool,
    /// Its size relative to the label's size (1 for the base, 0.7 for a script).
    pub scale: f64,
    /// The baseline shift upwards, in ems of the label's size.
    pub rise: f64,
    /// Where it starts, in ems of the label's size from the label's left end.
    pub x: f64,
}

/// A laid-out label: its runs and its total width in ems.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Label {
    /// The runs, left to right.
    pub runs: Vec<Run>,
    /// The advance width of the whole label, in ems.
    pub width: f64,
}

/// Lay out `markup` (text with `$…$` math).
pub fn layout(markup: &str) -> Label {
    let mut b = Builder::default();
    for (k, part) in markup.split('$').enumerate() {
        if k % 2 == 0 {
            b.text(part);
        } else {
            let tokens = tokenize(part);
            let mut pos = 0;
            b.math(&tokens, &mut pos, Style::BASE, false);
        }
    }
    Label {
        width: b.x,
        runs: merge(b.runs),
    }
}

/// Adjacent runs of one style that touch become one (fewer, longer text elements).
fn merge(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    for run in runs {
        if let Some(last) = out.last_mut() {
            let end = last.x + last.scale * advance(&last.text, last.italic);
            if last.italic == run.italic
                && last.scale == run.scale
                && last.rise == run.rise
                && (end - run.x).abs() < 1e-9
            {
                last.text.push_str(&run.text);
                continue;
            }
        }
        out.push(run);
    }
    out
}

/// `label` cut so that it is at most `max` ems wide, ending in `…` when anything was cut.
pub fn shorten(mut label: Label, max: f64) -> Label {
    if label.width <= max {
        return label;
    }
    let ellipsis = advance("…", false);
    while let Some(last) = label.runs.last_mut() {
        let end = last.x + last.scale * advance(&last.text, last.italic);
        if end + ellipsis <= max {
            label.runs.push(Run {
                text: "…".into(),
                italic: false,
                scale: 1.0,
                rise: 0.0,
                x: end,
            });
            label.width = end + ellipsis;
            return label;
        }
        if last.text.chars().count() > 1 {
            last.text.pop();
        } else {
            label.runs.pop();
        }
    }
    Label {
        runs: vec![Run {
            text: "…".into(),
            italic: false,
            scale: 1.0,
            rise: 0.0,
            x: 0.0,
        }],
        width: ellipsis,
    }
}

/// `markup` for a LaTeX document: math as it is; in text, TeX's special characters escaped and
/// the non-ASCII characters fcorr writes (Greek, `‖`, `−`, `×`, `²`, …) as math.
pub fn to_latex(markup: &str) -> String {
    let mut out = String::new();
    for (k, part) in markup.split('$').enumerate() {
        if k % 2 == 1 {
            out.push('$');
            out.push_str(part);
            out.push('$');
            continue;
        }
        for c in part.chars() {
            match c {
                '\\' => out.push_str("\\textbackslash{}"),
                '&' | '%' | '#' | '_' | '{' | '}' => {
                    out.push('\\');
                    out.push(c);
                }
                '^' => out.push_str("\\^{}"),
                '~' => out.push_str("\\~{}"),
                '–' => out.push_str("--"),
                '…' => out.push_str("\\dots{}"),
                c if c.is_ascii() => out.push(c),
                c => match unicode_math(c) {
                    Some(m) => {
                        out.push_str("\\ensuremath{");
                        out.push_str(m);
                        out.push('}');
                    }
                    None => out.push('?'),
                },
            }
        }
    }
    out
}

/// The LaTeX math for a character fcorr may put in a label's text.
fn unicode_math(c: char) -> Option<&'static str> {
    if let Some((name, _)) = GREEK.iter().find(|(_, g)| *g == c) {
        return Some(name);
    }
    Some(match c {
        '‖' => "\\|",
        '−' => "-",
        '×' => "\\times",
        '·' => "\\cdot",
        '²' => "^{2}",
        '³' => "^{3}",
        '′' => "'",
        '◇' => "\\diamond",
        '∞' => "\\infty",
        '≤' => "\\le",
        '≥' => "\\ge",
        _ => return None,
    })
}

/// LaTeX names of Greek letters and their characters.
const GREEK: [(&str, char); 31] = [
    ("\\alpha", 'α'),
    ("\\beta", 'β'),
    ("\\gamma", 'γ'),
    ("\\delta", 'δ'),
    ("\\epsilon", 'ϵ'),
    ("\\varepsilon", 'ε'),
    ("\\zeta", 'ζ'),
    ("\\eta", 'η'),
    ("\\theta", 'θ'),
    ("\\iota", 'ι'),
    ("\\kappa", 'κ'),
    ("\\lambda", 'λ'),
    ("\\mu", 'μ'),
    ("\\nu", 'ν'),
    ("\\xi", 'ξ'),
    ("\\pi", 'π'),
    ("\\rho", 'ρ'),
    ("\\sigma", 'σ'),
    ("\\tau", 'τ'),
    ("\\phi", 'ϕ'),
    ("\\varphi", 'φ'),
    ("\\chi", 'χ'),
    ("\\psi", 'ψ'),
    ("\\omega", 'ω'),
    ("\\Gamma", 'Γ'),
    ("\\Delta", 'Δ'),
    ("\\Theta", 'Θ'),
    ("\\Lambda", 'Λ'),
    ("\\Sigma", 'Σ'),
    ("\\Phi", 'Φ'),
    ("\\Omega", 'Ω'),
];

/// Operator names set upright.
const FUNCTIONS: [&str; 16] = [
    "log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arctan", "arsinh", "max",
    "min", "sgn", "sign", "lim",
];

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Char(char),
    Command(String),
    Open,
    Close,
    Sup,
    Sub,
}

fn tokenize(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(match c {
            '{' => Token::Open,
            '}' => Token::Close,
            '^' => Token::Sup,
            '_' => Token::Sub,
            '\\' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphabetic() {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if name.is_empty()
                    && let Some(n) = chars.next()
                {
                    name.push(n);
                }
                Token::Command(name)
            }
            c => Token::Char(c),
        });
    }
    out
}

#[derive(Clone, Copy)]
struct Style {
    scale: f64,
    rise: f64,
}

impl Style {
    const BASE: Style = Style {
        scale: 1.0,
        rise: 0.0,
    };

    fn sup(self) -> Style {
        Style {
            scale: (self.scale * 0.7).max(0.5),
            rise: self.rise + 0.42 * self.scale,
        }
    }

    fn sub(self) -> Style {
        Style {
            scale: (self.scale * 0.7).max(0.5),
            rise: self.rise - 0.22 * self.scale,
        }
    }
}

/// What the last thing set was, for TeX's spacing rules.
#[derive(Clone, Copy, PartialEq, Default)]
enum Last {
    #[default]
    Nothing,
    Operand,
    Operator,
    Function,
}

/// What a group held at its top level: how many operands side by side, and whether a binary
/// operator; `\frac` and `\sqrt` use it to decide on parentheses.
#[derive(Default)]
struct Shape {
    items: usize,
    binary: bool,
}

#[derive(Default)]
struct Builder {
    runs: Vec<Run>,
    x: f64,
    last: Last,
    depth: usize,
}

impl Builder {
    fn text(&mut self, s: &str) {
        let space = advance(" ", false);
        for (k, word) in s.split(' ').enumerate() {
            if k > 0 {
                self.x += space;
            }
            if !word.is_empty() {
                self.put(word, false, Style::BASE);
            }
        }
        self.last = Last::Nothing;
    }

    fn put(&mut self, text: &str, italic: bool, style: Style) {
        self.runs.push(Run {
            text: text.to_string(),
            italic,
            scale: style.scale,
            rise: style.rise,
            x: self.x,
        });
        self.x += style.scale * advance(text, italic);
    }

    fn space(&mut self, em: f64, style: Style) {
        self.x += em * style.scale;
    }

    /// An operand: after a function name it gets a thin space.
    fn operand(&mut self, text: &str, italic: bool, style: Style, shape: &mut Shape) {
        if self.last == Last::Function {
            self.space(0.17, style);
        }
        if self.depth == 0 {
            shape.items += 1;
        }
        self.put(text, italic, style);
        self.last = Last::Operand;
    }

    fn binary(&mut self, text: &str, style: Style, shape: &mut Shape, relation: bool) {
        if self.last == Last::Operand {
            let gap = if relation { 0.28 } else { 0.22 };
            self.space(gap, style);
            self.put(text, false, style);
            self.space(gap, style);
            if self.depth == 0 && !relation {
                shape.binary = true;
            }
            if relation {
                shape.binary = true;
            }
        } else {
            self.put(text, false, style);
        }
        self.last = Last::Operator;
    }

    /// Set tokens from `pos` to the end of the current group (a `}` or the end).
    fn math(&mut self, tokens: &[Token], pos: &mut usize, style: Style, group: bool) -> Shape {
        let mut shape = Shape::default();
        while *pos < tokens.len() {
            let token = tokens[*pos].clone();
            *pos += 1;
            match token {
                Token::Close if group => return shape,
                Token::Close => {}
                Token::Open => {
                    let inner = self.math(tokens, pos, style, true);
                    if self.depth == 0 {
                        shape.items += inner.items.min(1);
                        shape.binary |= inner.binary;
                    }
                }
                Token::Sup | Token::Sub => {
                    let s = if token == Token::Sup {
                        style.sup()
                    } else {
                        style.sub()
                    };
                    let last = std::mem::replace(&mut self.last, Last::Nothing);
                    let depth = std::mem::replace(&mut self.depth, 1);
                    self.argument(tokens, pos, s);
                    self.depth = depth;
                    self.last = if last == Last::Nothing {
                        Last::Nothing
                    } else {
                        Last::Operand
                    };
                }
                Token::Char(c) => self.char(c, style, &mut shape),
                Token::Command(name) => self.command(&name, tokens, pos, style, &mut shape),
            }
        }
        shape
    }

    /// One argument: a `{…}` group or a single token.
    fn argument(&mut self, tokens: &[Token], pos: &mut usize, style: Style) -> Shape {
        match tokens.get(*pos) {
            Some(Token::Open) => {
                *pos += 1;
                self.math(tokens, pos, style, true)
            }
            Some(_) => {
                let one = [tokens[*pos].clone()];
                *pos += 1;
                let mut p = 0;
                self.math(&one, &mut p, style, false)
            }
            None => Shape::default(),
        }
    }

    fn char(&mut self, c: char, style: Style, shape: &mut Shape) {
        match c {
            ' ' | '\t' | '\n' => {}
            '-' | '−' => self.binary("−", style, shape, false),
            '+' | '±' | '·' | '×' => self.binary(&c.to_string(), style, shape, false),
            '=' | '<' | '>' | '≤' | '≥' | '≠' | '≈' | '→' => {
                self.binary(&c.to_string(), style, shape, true)
            }
            ',' | ';' => {
                self.put(&c.to_string(), false, style);
                self.space(0.17, style);
                self.last = Last::Operator;
                if self.depth == 0 {
                    shape.binary = true;
                }
            }
            '(' | '[' => {
                if self.last == Last::Function {
                    self.last = Last::Nothing;
                }
                if self.depth == 0 {
                    shape.items += 1;
                }
                self.put(&c.to_string(), false, style);
                self.depth += 1;
                self.last = Last::Nothing;
            }
            ')' | ']' => {
                self.depth = self.depth.saturating_sub(1);
                self.put(&c.to_string(), false, style);
                self.last = Last::Operand;
            }
            '\'' => {
                self.put("′", false, style);
                self.last = Last::Operand;
            }
            '/' | '|' | '!' | '.' => {
                self.put(&c.to_string(), false, style);
                if c == '/' {
                    self.last = Last::Nothing;
                }
            }
            c if c.is_ascii_digit() => {
                if self.last == Last::Operand
                    && self
                        .runs
                        .last()
                        .is_some_and(|r| r.text.ends_with(|d: char| d.is_ascii_digit() || d == '.'))
                {
                    self.put(&c.to_string(), false, style);
                } else {
                    self.operand(&c.to_string(), false, style, shape);
                }
            }
            c if c.is_alphabetic() => {
                let italic = !c.is_uppercase() || c.is_ascii();
                self.operand(&c.to_string(), italic, style, shape);
            }
            c => self.operand(&c.to_string(), false, style, shape),
        }
    }

    fn command(
        &mut self,
        name: &str,
        tokens: &[Token],
        pos: &mut usize,
        style: Style,
        shape: &mut Shape,
    ) {
        if let Some((_, g)) = GREEK.iter().find(|(n, _)| &n[1..] == name) {
            self.operand(&g.to_string(), g.is_lowercase(), style, shape);
            return;
        }
        if FUNCTIONS.contains(&name) {
            if self.last == Last::Operand {
                self.space(0.17, style);
            }
            if self.depth == 0 {
                shape.items += 1;
            }
            self.put(name, false, style);
            self.last = Last::Function;
            return;
        }
        match name {
            "," => self.space(0.17, style),
            ":" | ">" => self.space(0.22, style),
            ";" => self.space(0.28, style),
            " " => self.space(0.25, style),
            "quad" => self.space(1.0, style),
            "qquad" => self.space(2.0, style),
            "!" => {}
            "|" | "Vert" => self.put("‖", false, style),
            "{" | "}" | "%" | "&" | "#" | "_" => self.put(name, false, style),
            "left" | "right" | "bigl" | "bigr" | "big" | "Big" => {
                // `(` and `)` keep their own count of depth; `|` and `\|` are delimiters here.
                let opening = name == "left" || name == "bigl";
                let paren = matches!(tokens.get(*pos), Some(Token::Char('(' | ')' | '[' | ']')));
                if !opening && !paren {
                    self.depth = self.depth.saturating_sub(1);
                }
                if opening && !paren && self.depth == 0 {
                    shape.items += 1;
                }
                if let Some(Token::Char(c)) = tokens.get(*pos) {
                    *pos += 1;
                    if *c != '.' {
                        let c = *c;
                        self.char(c, style, shape);
                    }
                } else if let Some(Token::Command(c)) = tokens.get(*pos) {
                    *pos += 1;
                    let c = c.clone();
                    self.command(&c, tokens, pos, style, shape);
                }
                if opening && !paren {
                    self.depth += 1;
                    self.last = Last::Nothing;
                } else if !opening {
                    self.last = Last::Operand;
                }
            }
            "lvert" | "rvert" => self.put("|", false, style),
            "cdot" => self.binary("·", style, shape, false),
            "times" => self.binary("×", style, shape, false),
            "pm" => self.binary("±", style, shape, false),
            "le" | "leq" => self.binary("≤", style, shape, true),
            "ge" | "geq" => self.binary("≥", style, shape, true),
            "ne" | "neq" => self.binary("≠", style, shape, true),
            "approx" => self.binary("≈", style, shape, true),
            "to" | "rightarrow" => self.binary("→", style, shape, true),
            "leftrightarrow" => self.binary("↔", style, shape, true),
            "prime" => {
                self.put("′", false, style);
                self.last = Last::Operand;
            }
            "infty" => self.operand("∞", false, style, shape),
            "diamond" => self.operand("◇", false, style, shape),
            "dots" | "ldots" | "cdots" => self.operand("…", false, style, shape),
            "operatorname" | "mathrm" | "text" | "textrm" | "mathit" => {
                let text = raw_group(tokens, pos);
                let italic = name == "mathit";
                if name == "operatorname" {
                    if self.last == Last::Operand {
                        self.space(0.17, style);
                    }
                    if self.depth == 0 {
                        shape.items += 1;
                    }
                    self.put(&text, false, style);
                    self.last = Last::Function;
                } else {
                    self.operand(&text, italic, style, shape);
                }
            }
            "frac" | "tfrac" | "dfrac" => self.frac(tokens, pos, style, shape),
            "sqrt" => {
                self.operand("√", false, style, shape);
                self.last = Last::Nothing;
                self.wrapped(tokens, pos, style, |s| s.items > 1 || s.binary);
                self.last = Last::Operand;
            }
            other => self.operand(other, false, style, shape),
        }
    }

    /// `\frac{a}{b}` as `a/b`: `a` in parentheses when it is a sum, `b` when it is not a
    /// single operand.
    fn frac(&mut self, tokens: &[Token], pos: &mut usize, style: Style, shape: &mut Shape) {
        if self.last == Last::Function {
            self.space(0.17, style);
        }
        if self.depth == 0 {
            shape.items += 1;
        }
        self.last = Last::Nothing;
        self.wrapped(tokens, pos, style, |s| s.binary);
        self.put("/", false, style);
        self.last = Last::Nothing;
        self.wrapped(tokens, pos, style, |s| s.items > 1 || s.binary);
        self.last = Last::Operand;
    }

    /// Set one argument, then put it in parentheses if `needs` says so of its shape.
    fn wrapped(
        &mut self,
        tokens: &[Token],
        pos: &mut usize,
        style: Style,
        needs: impl Fn(&Shape) -> bool,
    ) {
        let (runs, x, start) = (self.runs.len(), self.x, *pos);
        let depth = std::mem::replace(&mut self.depth, 0);
        let inner = self.argument(tokens, pos, style);
        if needs(&inner) {
            self.runs.truncate(runs);
            self.x = x;
            self.put("(", false, style);
            self.last = Last::Nothing;
            *pos = start;
            self.argument(tokens, pos, style);
            self.put(")", false, style);
        }
        self.depth = depth;
    }
}

/// The characters of a `{…}` group (or of one token), as written.
fn raw_group(tokens: &[Token], pos: &mut usize) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    while let Some(t) = tokens.get(*pos) {
        *pos += 1;
        match t {
            Token::Open => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
                out.push('{');
            }
            Token::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
                out.push('}');
            }
            Token::Char(c) => out.push(*c),
            Token::Command(c) => out.push_str(c),
            Token::Sup => out.push('^'),
            Token::Sub => out.push('_'),
        }
        if depth == 0 {
            break;
        }
    }
    out
}

/// The bundled faces: DejaVu Sans and DejaVu Sans Oblique.
fn faces() -> &'static (
    Option<ttf_parser::Face<'static>>,
    Option<ttf_parser::Face<'static>>,
) {
    static FACES: OnceLock<(
        Option<ttf_parser::Face<'static>>,
        Option<ttf_parser::Face<'static>>,
    )> = OnceLock::new();
    FACES.get_or_init(|| {
        (
            ttf_parser::Face::parse(dejavu::sans::regular(), 0).ok(),
            ttf_parser::Face::parse(dejavu::sans::oblique(), 0).ok(),
        )
    })
}

/// The advance width of `text` in ems, without kerning.
pub fn advance(text: &str, italic: bool) -> f64 {
    let (regular, oblique) = faces();
    let face = if italic { oblique } else { regular };
    let Some(face) = face.as_ref() else {
        return 0.6 * text.chars().count() as f64;
    };
    let em = f64::from(face.units_per_em());
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(0.6, |a| f64::from(a) / em)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs as `text` pieces: `^x` raised, `_x` lowered, `*x` italic.
    fn runs(markup: &str) -> String {
        layout(markup)
            .runs
            .iter()
            .map(|r| {
                let mark = if r.rise > 0.0 {
                    "^"
                } else if r.rise < 0.0 {
                    "_"
                } else {
                    ""
                };
                let slant = if r.italic { "*" } else { "" };
                format!("{mark}{slant}{}", r.text)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn math_is_typeset() {
        for (markup, expected) in [
            ("$t^{2}$", "*t ^2"),
            ("$e^{t} - t - 1$", "*e ^*t − *t − 1"),
            (r"$\frac{t^{2}}{2}$", "*t ^2 /2"),
            (r"$\frac{1}{2 u}$", "1/(2 *u )"),
            (r"$\frac{e^{t} - 1}{\alpha^{2}}$", "( *e ^*t − 1)/ *α ^2"),
            (r"$u \log u$", "*u log *u"),
            (r"$\sqrt{u + 1}$", "√( *u + 1)"),
            (r"$\sqrt{u}$", "√ *u"),
            (r"$D_f(q \,\|\, p_\theta)$", "*D _*f ( *q ‖ *p _*θ )"),
            ("$f'(u)$", "*f ′( *u )"),
            (r"$\left|u - 1\right|$", "| *u − 1|"),
            (r"$\frac{\left|u - 1\right|}{2}$", "| *u − 1|/2"),
            (r"$\frac{\left(u + 1\right) u}{2}$", "( *u + 1) *u /2"),
            (r"$\operatorname{softplus}\left(t\right)$", "softplus( *t )"),
            (r"$10^{-2}$", "10 ^−2"),
            (r"$D_{\mathrm{GAN}}$", "*D _GAN"),
            ("(a) loss $g(t)$", "(a) loss *g ( *t )"),
            (r"$\mathrm{KL}(p_\theta \,\|\, q)$", "KL( *p _*θ ‖ *q )"),
            (r"$\unknown x$", "unknown *x"),
        ] {
            assert_eq!(runs(markup), expected, "{markup}");
        }
    }

    #[test]
    fn scripts_are_smaller_and_shifted_and_operators_spaced() {
        let l = layout("$t^{2}$");
        assert_eq!((l.runs[1].scale, l.runs[1].rise), (0.7, 0.42));
        let l = layout("$p_\\theta$");
        assert!(l.runs[1].rise < 0.0 && l.runs[1].scale < 1.0);
        // `a - b` is wider than `-b` by the operator's spacing, not just the letter.
        let binary = layout("$a - b$").width;
        let unary = layout("$-b$").width + advance("a", true);
        assert!(binary > unary + 0.4, "{binary} {unary}");
        // Positions increase.
        let l = layout(r"$u \log u - \left(u + 1\right)$");
        assert!(l.runs.windows(2).all(|w| w[0].x < w[1].x));
    }

    #[test]
    fn long_labels_are_shortened_with_an_ellipsis() {
        let l = layout("$u \\log u - (u + 1)(\\log(u + 1) - \\log 2)$");
        let s = shorten(l.clone(), 5.0);
        assert!(s.width <= 5.0 && s.width > 3.0, "{}", s.width);
        assert_eq!(s.runs.last().map(|r| r.text.as_str()), Some("…"));
        assert_eq!(shorten(l.clone(), 100.0), l);
    }

    #[test]
    fn labels_become_latex() {
        assert_eq!(to_latex("(a) loss $g(t)$"), "(a) loss $g(t)$");
        assert_eq!(
            to_latex("t^2  [as G(−t)] 50% & pθ‖q"),
            "t\\^{}2  [as G(\\ensuremath{-}t)] 50\\% \\& p\\ensuremath{\\theta}\\ensuremath{\\|}q"
        );
    }

    #[test]
    fn no_input_makes_it_fail() {
        for markup in [
            "",
            "$",
            "$$",
            "${",
            "$}",
            "$^",
            "$_{",
            "$\\",
            "$\\frac",
            "$\\frac{1}",
            "$\\sqrt",
            "$\\left",
            "$((((",
            "$))))",
            "$a^{b^{c^{d}}}$",
            "$\\operatorname{",
            "$'^'_'$",
        ] {
            let l = layout(markup);
            assert!(l.width.is_finite(), "{markup}");
            let _ = to_latex(markup);
        }
    }
}
