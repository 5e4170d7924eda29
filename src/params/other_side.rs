//! A catalog name given on the wrong side: `--from-loss kl` would otherwise be read as the
//! expression `kl`, a parameter, and derived as a constant loss over a family in `kl`, with
//! exit code 0. The names of the two sides never coincide, so the name is refused; the message
//! says both readings, since with `--param alpha=1/2` the expression `alpha` is a constant loss
//! too — a degenerate one, with zero gradient — which `(alpha)` still asks for.

use crate::Error;

/// The error for `text` given as a loss (`as_loss`) or as a generator, when it names an entry
/// of the other side of the catalog; `None` otherwise.
/// The name is compared as the catalog writes its names (lower case, no surrounding space), so
/// `KL` and ` kl` are caught too.
pub(super) fn named_on_other_side(text: &str, as_loss: bool) -> Option<Error> {
    let name = text.trim().to_lowercase();
    let (is_other, other, this, side) = if as_loss {
        let is = crate::catalog::divergence(&name).is_some()
            || crate::family::catalog::family(&name).is_some();
        (is, "a divergence", "a loss", "divergence")
    } else {
        let is = crate::catalog::loss(&name).is_some()
            || crate::family::catalog::loss_family(&name).is_some();
        (is, "a loss", "a divergence generator", "loss")
    };
    let text = name.as_str();
    is_other.then(|| {
        Error::Input(format!(
            "`{text}` names {other} in the catalog; as {this} it would be the constant `{text}`, \
             which has zero gradient and trains nothing\n  = help: give it with \
             `--from-{side} {text}` (`--{side} {text}` in `check`), or write `({text})` for the \
             constant"
        ))
    })
}
