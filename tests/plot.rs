//! Figures: an SVG snapshot, PNG dimensions, atomic writes and the `plot` command.

use assert_cmd::Command;
use fcorr::plot::{Figure, Format, Input, PlotError, Size, write_atomic};
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
    let svg = figure(&[loss("t^2"), loss("exp(t)-t-1")])
        .svg(Size::Column)
        .expect("renders");
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("u = q/pθ") && svg.contains("t = log q − log pθ"));
    insta::assert_snapshot!(svg);
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
        Format::from_path(std::path::Path::new("fig.pdf")),
        Err(PlotError::Format(_))
    ));
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
fn plot_command_writes_svg_and_png() {
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
    assert!(text.contains("exp(t)-t-1"));
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
    let pdf = dir.path().join("fig.pdf");
    let out = fcorr(&[
        "plot",
        "--from-loss",
        "t^2",
        "-o",
        pdf.to_str().expect("utf-8"),
    ])
    .code(2)
    .get_output()
    .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot tell the figure format"));
    assert!(!pdf.exists());
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
