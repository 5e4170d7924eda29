//! The data of `catalog --json`: each entry the report of a named divergence's pair with its
//! catalog key, name, generator as written and parameter defaults.

use super::ReportData;
use serde::Serialize;

/// A catalog parameter's default.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DefaultData {
    /// The parameter.
    pub name: &'static str,
    /// Its default as written.
    pub value: String,
}

/// One entry of `catalog --json`: the report of the divergence's pair with its catalog data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CatalogEntryData {
    /// The report keys.
    #[serde(flatten)]
    pub report: ReportData,
    /// The catalog key.
    pub key: &'static str,
    /// The divergence's name.
    pub name: &'static str,
    /// The generator as written in the catalog.
    pub generator: &'static str,
    /// The parameters' defaults.
    pub defaults: Vec<DefaultData>,
}

/// What `catalog --json` prints (inside [`super::Versioned`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CatalogData {
    /// One entry per named divergence.
    pub entries: Vec<CatalogEntryData>,
}
