//! At the transform's anchor, `t = 0` for a derived loss and `u = 1` for a derived generator,
//! the closed form's value is exact and is said to be the closed form's: Le Cam's `g(0)` was
//! printed as quadrature of an empty interval, `0 ± 0.0e0`, among rows saying "closed form".

use fcorr::{Options, from_divergence, from_loss};

/// The options with every parameter of `params` at its catalog default, and `points`.
fn options(params: &[(&str, &str)], points: &[f64]) -> Options {
    params
        .iter()
        .fold(Options::default().points(points), |o, (k, v)| {
            o.param(format!("{k}={v}"))
        })
}

#[test]
fn every_catalog_divergence_has_its_closed_form_at_t_0() {
    for d in fcorr::catalog::DIVERGENCES {
        let derived = from_divergence(d.key, &options(d.params, &[0.0, 0.5])).unwrap();
        for v in &derived.values {
            let v = v.as_ref().unwrap_or_else(|r| panic!("{}: {r:?}", d.key));
            assert_eq!(v.error, None, "{} at t = {}: {v:?}", d.key, v.x);
        }
        // g(0) = f(1), which is 0 for every entry but GAN's −2·ln 2.
        let g0 = derived.values[0].as_ref().unwrap().value;
        let f1 = derived.f_at(&[1.0]).unwrap()[0];
        assert!(
            (g0 - f1).abs() <= 1e-15,
            "{}: g(0) = {g0}, f(1) = {f1}",
            d.key
        );
    }
}

#[test]
fn every_catalog_loss_has_its_closed_form_at_u_1() {
    for l in fcorr::catalog::LOSSES {
        let derived = from_loss(l.key, &options(l.params, &[1.0])).unwrap();
        if derived.f().is_none() {
            continue; // numeric: no closed form to speak of
        }
        let v = derived.values[0].as_ref().unwrap();
        assert_eq!((v.value, v.error), (0.0, None), "{} at u = 1", l.key);
    }
}

#[test]
fn the_le_cam_row_at_0_says_closed_form() {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--from-divergence", "le-cam", "--at", "0,0.5"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with(
            "           0                         0  closed form\n         0.5       0.06694094483661361  closed form\n"
        ),
        "{text}"
    );
}
