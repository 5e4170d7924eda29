//! The derived side by quadrature, when it has no closed form.

use super::{Correspondence, Value};
use crate::Error;

/// The derived side of `pair` at `xs`, numerically.
pub(super) fn values(_pair: &Correspondence, _xs: &[f64]) -> Result<Vec<Value>, Error> {
    Err(Error::Input("numeric transforms are not available yet".into()))
}
