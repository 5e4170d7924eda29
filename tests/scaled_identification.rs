//! A scaled named divergence is named with its scale as the user typed it, exactly.

mod support;

/// The `identified` lines of the report on `args`, which succeeds.
#[track_caller]
fn identified(args: &[&str]) -> Vec<String> {
    let (code, stdout) = support::run(args);
    assert_eq!(code, 0, "{args:?}: {stdout}");
    stdout
        .lines()
        .filter(|l| l.starts_with("identified"))
        .map(|l| l["identified".len()..].trim().to_string())
        .collect()
}

#[test]
fn scaled_generators_and_losses_are_identified_with_their_exact_scale() {
    for (args, want) in [
        (
            ["--from-divergence", "1e-9*u*log(u)"],
            "1/1000000000 × KL(q‖pθ)   (exact)",
        ),
        (
            ["--from-divergence", "3/7*u*log(u)"],
            "3/7 × KL(q‖pθ)   (exact)",
        ),
        (
            ["--from-divergence", "1e12*(u - 1)^2"],
            "1000000000000 × Pearson χ²(q‖pθ)   (exact)",
        ),
        (
            ["--from-divergence", "(u/100000 - 1/100000)^2"],
            "1/10000000000 × Pearson χ²(q‖pθ)   (exact)",
        ),
        (
            ["--from-loss", "1e-9*t^2"],
            "1/500000000 × KL(pθ‖q)   (exact)",
        ),
        (
            ["--from-loss", "-1e-9*t^2"],
            "no named divergence (up to the class and scale)",
        ),
        (
            ["--from-divergence", "-1e-9*u*log(u)"],
            "no named divergence (up to the class and scale)",
        ),
    ] {
        assert_eq!(identified(&args), [want], "{args:?}");
    }
    // A scale inside a power of a sum, where a divergence has two names.
    assert_eq!(
        identified(&["--from-divergence", "(sqrt(u)/1000 - 1/1000)^2"]),
        [
            "1/1000000 × squared Hellinger H²(q, pθ)   (exact)",
            "1/2000000 × α-divergence D_α(q‖pθ) with alpha = 1/2   (exact)"
        ]
    );
}
