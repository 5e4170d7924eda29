//! Figures: the drawing's snapshot, golden images, the PDF's fonts and page, the pgfplots file
//! (compiled when `pdflatex` is installed), ranges that show every curve, atomic writes and the
//! `plot` command.

use assert_cmd::Command;
use fcorr::plot::{Figure, Format, Input, Legend, Options, PlotError, Size, write_atomic};
use fcorr::transform::{Bindings, Residual, from_divergence, from_loss};

fn loss(text: &str) -> Input {
    let e = fcorr::parse::parse(text).expect("parses");
    let pair = from_loss(&e, Residual::TargetMinusModel, &Bindings::new()).expect("derives");
    Input::new(text, pair)
}

fn divergence(text: &str) -> Input {
    let e = fcorr::parse::parse(text).expect("parses");
    let pair = from_divergence(&e, Residual::TargetMinusModel, &Bindings::new()).expect("derives");
    Input::new(text, pair)
}

fn figure(inputs: &[Input]) -> Figure {
    Figure::new(inputs).expect("samples")
}

#[test]
fn squared_loss_against_linex_svg() {
    let inputs = [
        Input::labelled(loss("t^2").pair, Legend::Expr),
        Input::labelled(loss("exp(t)-t-1").pair, Legend::Expr),
    ];
    let fig = figure(&inputs);
    let source = fig.svg_source(Size::Column).expect("lays out");
    assert!(source.starts_with("<svg"));
    insta::assert_snapshot!(source);
    // The file outlines the glyphs: no text left, sized in inches.
    let svg = fig.svg(Size::Column).expect("renders");
    assert!(svg.starts_with(r#"<svg width="3.5in" height="3.5in" viewBox="0 0 252 252""#));
    assert!(!svg.contains("<text"));
    assert!(svg.matches("<path").count() > 100);
}

#[test]
fn png_has_the_size_asked_for() {
    let fig = figure(&[loss("t^2")]);
    for (size, w, h) in [
        (Size::Column, 1050, 1050),
        (Size::Page, 2100, 1260),
        (Size::Pixels(640), 640, 640),
    ] {
        let bytes = fig.png(size).expect("renders");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().expect("a PNG");
        let info = reader.info();
        assert_eq!((info.width, info.height), (w, h), "{size:?}");
    }
}

#[test]
fn numeric_sides_are_sampled_with_the_identities() {
    // log(cosh(t)) has no closed-form f; Jensen–Shannon has no closed-form g.
    let fig = figure(&[
        loss("log(cosh(t))"),
        divergence("u*log(u) - (u+1)*log((1+u)/2)"),
    ]);
    for panel in &fig.panels {
        for s in &panel.series {
            let known = s.points.iter().filter(|p| p.1.is_some()).count();
            assert!(known >= 190, "{} {}: {known} of 200", panel.title, s.label);
        }
    }
    // f'(u) = (f(u) + g'(ln u))/u at u = 1 is f'(1) = g'(0) = 0.
    let fp = &fig.panels[1].series[0].points;
    let (_, at_one) = fp
        .iter()
        .min_by(|a, b| (a.0 - 1.0).abs().total_cmp(&(b.0 - 1.0).abs()))
        .copied()
        .unwrap_or((0.0, None));
    assert!(at_one.is_some_and(|v| v.abs() < 0.05), "{at_one:?}");
}

#[test]
fn bad_sizes_and_formats_are_errors() {
    let fig = figure(&[loss("t^2")]);
    assert_eq!(fig.png(Size::Pixels(10)), Err(PlotError::Size(10)));
    assert!(matches!(
        Format::from_path(std::path::Path::new("fig.jpg")),
        Err(PlotError::Format(_))
    ));
    assert!(matches!(
        Format::from_path(std::path::Path::new("fig")),
        Err(PlotError::Format(_))
    ));
    for (name, format) in [
        ("a.pdf", Format::Pdf),
        ("a.PNG", Format::Png),
        ("a.tex", Format::Tex),
    ] {
        assert_eq!(Format::from_path(std::path::Path::new(name)), Ok(format));
    }
    assert_eq!(
        Format::from_path(std::path::Path::new("FIG.SVG")),
        Ok(Format::Svg)
    );
    assert_eq!(Figure::new(&[]), Err(PlotError::Empty));
}

#[test]
fn an_unwritable_path_is_an_error_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let missing = dir.path().join("no such dir").join("fig.svg");
    let err = write_atomic(&missing, b"<svg/>").expect_err("cannot write");
    assert!(err.to_string().starts_with("cannot write `"), "{err}");
    let target = dir.path().join("fig.svg");
    write_atomic(&target, b"<svg/>").expect("writes");
    assert_eq!(std::fs::read(&target).expect("reads"), b"<svg/>");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("lists")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("fig.svg")]);
}

fn fcorr(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .assert()
}

#[test]
fn plot_command_writes_every_format() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let svg = dir.path().join("fig.svg");
    let png = dir.path().join("fig.png");
    let svg_arg = svg.to_str().expect("utf-8");
    fcorr(&[
        "plot",
        "--from-loss",
        "t^2",
        "--from-loss",
        "exp(t)-t-1",
        "-o",
        svg_arg,
    ])
    .success()
    .stdout("")
    .stderr(format!("wrote {svg_arg}\n"));
    let text = std::fs::read_to_string(&svg).expect("reads");
    assert!(text.starts_with("<svg") && !text.contains("<text"));
    for (name, magic) in [
        ("fig.pdf", &b"%PDF-"[..]),
        ("fig.tex", &b"% fcorr figure"[..]),
        ("fig.png", &b"\x89PNG"[..]),
    ] {
        let path = dir.path().join(name);
        fcorr(&[
            "plot",
            "--from-loss",
            "t^2",
            "--from-divergence",
            "js",
            "--legend",
            "name",
            "-o",
            path.to_str().expect("utf-8"),
        ])
        .success();
        assert!(
            std::fs::read(&path).expect("reads").starts_with(magic),
            "{name}"
        );
    }
    let tex = std::fs::read_to_string(dir.path().join("fig.tex")).expect("reads");
    for entry in [
        r"\addlegendentry{$2$ \ensuremath{\times} $\mathrm{KL}(p_\theta \,\|\, q)$}",
        r"\addlegendentry{$\mathrm{JS}(q, p_\theta)$}",
    ] {
        assert!(tex.contains(entry), "{entry} in\n{tex}");
    }
    fcorr(&[
        "plot",
        "--from-divergence",
        "hellinger",
        "--width",
        "500",
        "-o",
        png.to_str().expect("utf-8"),
    ])
    .success();
    assert!(std::fs::read(&png).expect("reads").starts_with(b"\x89PNG"));
}

#[test]
fn derive_writes_a_plot_too() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let svg = dir.path().join("pair.svg");
    fcorr(&["--from-loss", "t^2", "--plot", svg.to_str().expect("utf-8")])
        .success()
        .stdout(predicates::str::contains("2*u - 2 - 2*log(u)"));
    assert!(svg.exists());
}

#[test]
fn plot_command_errors_exit_2() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let jpg = dir.path().join("fig.jpg");
    let out = fcorr(&[
        "plot",
        "--from-loss",
        "t^2",
        "-o",
        jpg.to_str().expect("utf-8"),
    ])
    .code(2)
    .get_output()
    .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot tell the figure format"));
    assert!(!jpg.exists());
    let svg = dir.path().join("fig.svg");
    let svg = svg.to_str().expect("utf-8");
    for (flag, value, message) in [
        ("--u-range", "0:1", "the u-range 0:1 is outside"),
        ("--u-range", "2:1", "is empty or not finite"),
        ("--t-range", "-50:0", "the t-range -50:0 is outside"),
        ("--t-range", "x", "`x` is not a range"),
        ("--y-range", "h=0:1", "there is no panel `h`"),
        ("--y-range", "0:1", "names no panel"),
        ("--y-range", "f=1:1", "is empty or not finite"),
        ("--legend", "both", "invalid value 'both'"),
        ("--size", "a4", "not one of `column`"),
    ] {
        fcorr(&["plot", "--from-loss", "t^2", flag, value, "-o", svg])
            .code(2)
            .stderr(predicates::str::contains(message));
    }
    let bad = dir.path().join("missing").join("fig.svg");
    let out = fcorr(&[
        "plot",
        "--from-loss",
        "t^2",
        "-o",
        bad.to_str().expect("utf-8"),
    ])
    .code(2)
    .get_output()
    .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
    fcorr(&["plot", "-o", "fig.svg"])
        .code(2)
        .stderr(predicates::str::contains("nothing to plot"));
}

/// The example of the README: two losses and a generator with very different growth.
fn three_pairs(legend: Legend) -> Vec<Input> {
    vec![
        Input::labelled(loss("t^2").pair, legend),
        Input::labelled(loss("exp(t) - t - 1").pair, legend),
        Input::labelled(divergence("u*log(u) - (u+1)*log((1+u)/2)").pair, legend),
    ]
}

#[test]
fn every_curve_shows_its_shape_in_every_panel() {
    let fig = figure(&three_pairs(Legend::Expr));
    for panel in &fig.panels {
        let (lo, hi) = panel.y_range.expect("a range");
        let sx = |x: f64| if panel.log_x { x.log10() } else { x };
        let width = sx(panel.x_range.1) - sx(panel.x_range.0);
        for s in &panel.series {
            let cut = fcorr::plot::range::clip(&s.points, lo, hi, panel.log_x);
            let shown: f64 = cut
                .pieces
                .iter()
                .map(|p| sx(p[p.len() - 1].0) - sx(p[0].0))
                .sum();
            let ys: Vec<f64> = cut.pieces.iter().flatten().map(|p| p.1).collect();
            let tall = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                - ys.iter().copied().fold(f64::INFINITY, f64::min);
            // Most of the curve is inside, and it is not a flat line at the panel's scale.
            assert!(
                shown >= 0.6 * width,
                "{}: {} shown {shown}",
                panel.title,
                s.label
            );
            assert!(
                tall >= 0.05 * (hi - lo),
                "{}: {} spans {tall} of {}",
                panel.title,
                s.label,
                hi - lo
            );
        }
    }
    // The squared loss's f′(u) = 2 − 2/u leaves panel (b) at the bottom, and says so.
    let b = &fig.panels[1];
    let (lo, hi) = b.y_range.expect("a range");
    let cut = fcorr::plot::range::clip(&b.series[0].points, lo, hi, true);
    assert_eq!(cut.exits.len(), 1);
    assert!(!cut.exits[0].top && cut.exits[0].x > 0.01 && cut.exits[0].x < 0.2);
}

#[test]
fn ranges_and_canonical_members_are_as_asked() {
    let mut options = Options {
        u_range: (0.5, 2.0),
        t_range: (-1.0, 3.0),
        ..Options::default()
    };
    options.y_ranges[1] = Some((-1.0, 1.0));
    let fig = Figure::with_options(&[loss("t^2 + t")], &options).expect("samples");
    assert_eq!(fig.panels[0].x_range, (0.5, 2.0));
    assert_eq!(fig.panels[2].x_range, (-1.0, 3.0));
    assert_eq!(fig.panels[1].y_range, Some((-1.0, 1.0)));
    // g = t² + t has g′(0) = f′(1) = 1; the canonical member has 0 there.
    let at = |fig: &Figure, panel: usize, x: f64| {
        fig.panels[panel].series[0]
            .points
            .iter()
            .min_by(|a, b| (a.0 - x).abs().total_cmp(&(b.0 - x).abs()))
            .and_then(|p| p.1)
            .expect("a value")
    };
    assert!((at(&fig, 3, 0.0) - 1.0).abs() < 0.05);
    options.canonical = true;
    let canon = Figure::with_options(&[loss("t^2 + t")], &options).expect("samples");
    assert!(at(&canon, 3, 0.0).abs() < 0.05);
    assert!(at(&canon, 1, 1.0).abs() < 0.05);
    // g − g′(0)·t = t² exactly.
    assert!((at(&canon, 2, 2.0) - at(&fig, 2, 2.0) + 2.0).abs() < 0.1);
    assert!(canon.panels[0].title.contains("canonical"));
    // Numeric sides too: this shifted Jensen–Shannon generator (f′(1) = 3) has its loss by
    // quadrature only.
    let js = [divergence("u*log(u) - (u+1)*log((1+u)/2) + 3*u - 3")];
    options.canonical = false;
    let shifted = Figure::with_options(&js, &options).expect("samples");
    assert!((at(&shifted, 1, 1.0) - 3.0).abs() < 0.01);
    assert!((at(&shifted, 3, 0.0) - 3.0).abs() < 0.01);
    options.canonical = true;
    let canon = Figure::with_options(&js, &options).expect("samples");
    assert!(at(&canon, 1, 1.0).abs() < 0.01);
    assert!(at(&canon, 3, 0.0).abs() < 0.01);
}

/// A PNG's width, height and RGB pixels.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    buf.truncate(info.buffer_size());
    let rgb = match info.color_type {
        png::ColorType::Rgb => buf,
        png::ColorType::Rgba => buf
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect(),
        other => panic!("unexpected colour type {other:?}"),
    };
    (info.width, info.height, rgb)
}

/// Luminance of `b`×`b` blocks: the scale at which a reader compares two figures, so that a
/// difference in the last anti-aliasing step does not count.
fn blocks(w: u32, h: u32, rgb: &[u8], b: usize) -> Vec<f64> {
    let (w, h) = (w as usize, h as usize);
    let lum = |x: usize, y: usize| {
        let p = &rgb[3 * (y * w + x)..3 * (y * w + x) + 3];
        0.2126 * f64::from(p[0]) + 0.7152 * f64::from(p[1]) + 0.0722 * f64::from(p[2])
    };
    let mut out = Vec::with_capacity(w * h / (b * b));
    for y in (0..=h - b).step_by(b) {
        for x in (0..=w - b).step_by(b) {
            let sum: f64 = (0..b)
                .flat_map(|dy| (0..b).map(move |dx| (dx, dy)))
                .map(|(dx, dy)| lum(x + dx, y + dy))
                .sum();
            out.push(sum / (b * b) as f64);
        }
    }
    out
}

/// How far an image is from a reference: the mean and the 99.5th percentile of the 2×2 blocks'
/// luminance differences (0 to 255).
fn difference(actual: &[u8], reference: &[u8]) -> (f64, f64) {
    difference_in_blocks(actual, reference, 2)
}

fn difference_in_blocks(actual: &[u8], reference: &[u8], block: usize) -> (f64, f64) {
    let (w, h, a) = decode(actual);
    let (rw, rh, r) = decode(reference);
    assert_eq!(
        (w, h),
        (rw, rh),
        "the image's size differs from the reference"
    );
    let (a, r) = (blocks(w, h, &a, block), blocks(w, h, &r, block));
    let mut d: Vec<f64> = a.iter().zip(&r).map(|(x, y)| (x - y).abs()).collect();
    let mean = d.iter().sum::<f64>() / d.len() as f64;
    d.sort_by(f64::total_cmp);
    (mean, d[(d.len() as f64 * 0.995) as usize])
}

/// Compare with `tests/golden/NAME`, or write it there when `FCORR_BLESS=1`.
fn golden(name: &str, actual: &[u8], tolerance: (f64, f64)) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    golden_at(&path, actual, tolerance);
}

/// Compare with the image at `path`, or write it there when `FCORR_BLESS=1`.
fn golden_at(path: &std::path::Path, actual: &[u8], tolerance: (f64, f64)) {
    let name = path.display();
    if std::env::var_os("FCORR_BLESS").is_some() {
        std::fs::write(path, actual).expect("writes the reference");
        return;
    }
    let reference = std::fs::read(path)
        .unwrap_or_else(|e| panic!("{}: {e} (FCORR_BLESS=1 writes it)", path.display()));
    let (mean, p995) = difference(actual, &reference);
    assert!(
        mean <= tolerance.0 && p995 <= tolerance.1,
        "{name}: mean difference {mean:.2}, 99.5th percentile {p995:.1} (allowed {tolerance:?})"
    );
}

/// The tolerance of a PNG against its reference: half a grey level on average, and no more
/// than a tenth of the range in all but 0.5% of the blocks.
const PNG_TOLERANCE: (f64, f64) = (0.5, 24.0);

#[test]
fn png_matches_its_golden_image() {
    let fig = figure(&three_pairs(Legend::Name));
    golden(
        "three_pairs_column.png",
        &fig.png(Size::Pixels(400)).expect("renders"),
        PNG_TOLERANCE,
    );
    let mut options = Options {
        canonical: true,
        ..Options::default()
    };
    options.y_ranges[1] = Some((-3.0, 3.0));
    let fig = Figure::with_options(&three_pairs(Legend::Expr), &options).expect("samples");
    golden(
        "three_pairs_canonical.png",
        &fig.png(Size::Pixels(500)).expect("renders"),
        PNG_TOLERANCE,
    );
}

#[test]
fn a_changed_figure_does_not_match_the_golden_image() {
    // The comparison can fail: the figure without the Jensen–Shannon curve differs.
    let reference = figure(&three_pairs(Legend::Name))
        .png(Size::Pixels(400))
        .expect("renders");
    let fewer = figure(&three_pairs(Legend::Name)[..2])
        .png(Size::Pixels(400))
        .expect("renders");
    let (mean, p995) = difference(&fewer, &reference);
    eprintln!("a curve less: mean {mean:.2}, p99.5 {p995:.1}");
    assert!(
        mean > PNG_TOLERANCE.0 || p995 > PNG_TOLERANCE.1,
        "{mean} {p995}"
    );
    assert_eq!(difference(&reference, &reference), (0.0, 0.0));
}

#[test]
fn png_lines_are_anti_aliased() {
    // Pixels that blend the first curve's blue (0, 114, 178) with the white paper: an
    // aliased line has none, only pure blue and white.
    let (w, h, rgb) = decode(&figure(&[loss("t^2")]).png(Size::Column).expect("renders"));
    let blends = rgb
        .chunks_exact(3)
        .filter(|p| {
            let a = (255.0 - f64::from(p[0])) / 255.0;
            let expect = |c: f64| 255.0 - a * (255.0 - c);
            (0.15..0.85).contains(&a)
                && (f64::from(p[1]) - expect(114.0)).abs() < 4.0
                && (f64::from(p[2]) - expect(178.0)).abs() < 4.0
        })
        .count();
    assert!(blends > 500, "{blends} blended pixels of {}", w * h);
}

#[test]
fn pdf_has_its_page_size_and_embedded_fonts() {
    let fig = figure(&three_pairs(Legend::Name));
    for (size, page) in [
        (Size::Column, "/MediaBox [0 0 252 252]"),
        (Size::IcmlPage, "/MediaBox [0 0 486 291.6]"),
    ] {
        let pdf = fig.pdf(size).expect("renders");
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-"));
        assert!(text.contains(page), "{size:?}");
        // Both faces, subset and embedded as TrueType font programs.
        for face in ["+DejaVuSans\n", "+DejaVuSans-Oblique\n"] {
            assert!(
                text.lines()
                    .any(|l| l.contains("/FontName /") && format!("{l}\n").ends_with(face)),
                "{face} not named"
            );
        }
        assert_eq!(text.matches("/FontFile2").count(), 2, "{size:?}");
        assert!(
            !text.contains("/Subtype /Image"),
            "the figure is vector, not an image"
        );
    }
}

/// `program` when it is on the `PATH`.
fn on_path(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

#[test]
fn pdf_page_matches_the_png_golden_image_where_pdftoppm_is_installed() {
    let Some(pdftoppm) = on_path("pdftoppm") else {
        eprintln!("skipped: pdftoppm is not on PATH (the PDF's structure is checked instead)");
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let pdf = dir.path().join("fig.pdf");
    let fig = figure(&three_pairs(Legend::Name));
    std::fs::write(&pdf, fig.pdf(Size::Column).expect("renders")).expect("writes");
    // 400 pixels across 3.5 in.
    let status = std::process::Command::new(pdftoppm)
        .args([
            "-png",
            "-singlefile",
            "-scale-to-x",
            "400",
            "-scale-to-y",
            "400",
        ])
        .arg(&pdf)
        .arg(dir.path().join("page"))
        .status()
        .expect("runs pdftoppm");
    assert!(status.success());
    let page = std::fs::read(dir.path().join("page.png")).expect("reads the page");
    let reference = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/three_pairs_column.png"),
    )
    .expect("reads the reference");
    // Another rasteriser, whose thin lines and glyphs differ a little: compared in 4×4 blocks,
    // and it must be far nearer the reference than a figure with a curve less is.
    let fewer = figure(&three_pairs(Legend::Name)[..2])
        .png(Size::Pixels(400))
        .expect("renders");
    let (mean, p995) = difference_in_blocks(&page, &reference, 4);
    let (_, other) = difference_in_blocks(&page, &fewer, 4);
    eprintln!(
        "pdf page vs reference: mean {mean:.2}, p99.5 {p995:.1}; vs a curve less: p99.5 {other:.1}"
    );
    assert!(
        mean <= 4.0 && p995 <= 48.0,
        "mean {mean:.2}, 99.5th percentile {p995:.1}"
    );
    assert!(other > 1.5 * p995, "{other} against {p995}");
}

#[test]
fn pgfplots_file_is_well_formed() {
    let tex = figure(&three_pairs(Legend::Name))
        .tex(Size::Column)
        .expect("writes");
    assert!(tex.starts_with("% fcorr figure"));
    assert!(tex.contains("%   \\usepgfplotslibrary{groupplots}"));
    assert!(tex.is_ascii(), "pdflatex reads it without a Unicode set-up");
    for (what, count) in [
        ("\\begin{tikzpicture}", 1),
        ("\\end{tikzpicture}", 1),
        ("\\begin{groupplot}", 1),
        ("\\nextgroupplot", 4),
        ("\\addlegendentry", 3),
        ("xmode=log", 2),
        ("\\pgfplotslegendfromname{fcorrlegend}", 1),
    ] {
        assert_eq!(tex.matches(what).count(), count, "{what}");
    }
    // Braces balance; every line of data is `(x,y)` pairs of finite numbers or a break.
    let mut depth = 0i64;
    for c in tex.chars() {
        depth += match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        };
        assert!(depth >= 0);
    }
    assert_eq!(depth, 0);
    assert!(tex.contains("(0.01,"));
    assert!(tex.contains("\\nextgroupplot[title={(b) derivative $f'(u)$}"));
    assert!(tex.contains("xlabel={$t = \\log q - \\log p_\\theta$}"));
    // The clipped squared loss in (b) is marked where it leaves, pointing down.
    assert!(tex.contains("mark=triangle*, mark size=1.8pt, mark options={rotate=180}"));
    assert!(!tex.contains("inf") && !tex.contains("NaN"));
}

#[test]
fn pgfplots_file_compiles_where_pdflatex_is_installed() {
    let Some(pdflatex) = on_path("pdflatex") else {
        eprintln!("skipped: pdflatex is not on PATH (the file's structure is checked instead)");
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut inputs = three_pairs(Legend::Name);
    inputs.push(Input::new(
        "exp(t) - t - 1 & 50% #_{}",
        loss("exp(t) - t - 1").pair,
    ));
    for (name, inputs, size) in [
        ("column", &inputs[..], Size::Column),
        ("page", &inputs[..2], Size::Page),
    ] {
        let fig = figure(inputs);
        std::fs::write(
            dir.path().join(format!("{name}.tex")),
            fig.tex(size).expect("writes"),
        )
        .expect("writes");
        let doc = format!(
            "\\documentclass{{article}}\n{}\\begin{{document}}\n\\input{{{name}.tex}}\n\\end{{document}}\n",
            fcorr::plot::PGFPLOTS_PREAMBLE
        );
        std::fs::write(dir.path().join(format!("doc-{name}.tex")), doc).expect("writes");
        let out = std::process::Command::new(&pdflatex)
            .args(["-interaction=nonstopmode", "-halt-on-error"])
            .arg(format!("doc-{name}.tex"))
            .current_dir(dir.path())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("runs pdflatex");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(dir.path().join(format!("doc-{name}.pdf")).exists());
    }
}

#[test]
fn the_readme_figures_are_what_their_commands_write() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("reads the README");
    let lines: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("fcorr plot ") && l.contains(" -o docs/figures/"))
        .collect();
    // The pair figure and the sweep figure, at least.
    assert!(lines.len() >= 2, "{lines:?}");
    for line in lines {
        let committed = line
            .rsplit_once(" -o ")
            .map(|(_, p)| p)
            .expect("ends in -o FILE");
        assert!(
            readme.contains(&format!("]({committed})")),
            "the README shows {committed}"
        );
        // The command's words (double quotes group), its output redirected to a temp file.
        let mut words = Vec::new();
        for (k, part) in line.split('"').enumerate() {
            if k % 2 == 1 {
                words.push(part.to_string());
            } else {
                words.extend(part.split_whitespace().map(String::from));
            }
        }
        let dir = tempfile::tempdir().expect("a temp dir");
        let out = dir.path().join("figure.png");
        let n = words.len();
        words[n - 1] = out.to_str().expect("utf-8").to_string();
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        fcorr(&args).success();
        golden_at(
            &root.join(committed),
            &std::fs::read(&out).expect("reads"),
            PNG_TOLERANCE,
        );
    }
}

#[test]
fn every_catalog_divergence_gets_a_typeset_name_and_expression() {
    for d in fcorr::catalog::DIVERGENCES {
        let f = d.generator(&Bindings::new()).expect("instantiates");
        let pair =
            from_divergence(&f, Residual::TargetMinusModel, &Bindings::new()).expect("derives");
        for legend in [Legend::Name, Legend::Expr] {
            let input = Input::labelled(pair.clone(), legend);
            let label = fcorr::plot::math::layout(&input.label);
            // Everything was typeset: no markup left in the drawn text.
            for run in &label.runs {
                assert!(
                    !run.text.contains(['\\', '_', '^', '{', '}', '$']),
                    "{}: `{}` in {:?}",
                    d.key,
                    run.text,
                    input.label
                );
            }
            assert!(label.width > 1.0, "{}: {:?}", d.key, input.label);
            if legend == Legend::Name {
                assert!(
                    !input.label.starts_with("$f ="),
                    "{}: not identified",
                    d.key
                );
            }
            assert!(fcorr::plot::math::to_latex(&input.label).is_ascii());
        }
    }
}
