//! The drawn formats, all from the one SVG drawing: parsed once by `usvg` with the bundled
//! fonts (never the system's, so every machine gives the same figure), then written back with
//! the glyphs outlined (SVG), converted with the fonts embedded and subset (`svg2pdf`), or
//! rendered anti-aliased (`resvg`).

use super::{Layout, PlotError};
use std::sync::{Arc, OnceLock};

/// The bundled faces, DejaVu Sans and its oblique, as a font database.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::oblique().to_vec());
        db.set_sans_serif_family(super::draw::FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// The drawing parsed, its text shaped with the bundled fonts.
fn tree(svg: &str) -> Result<usvg::Tree, PlotError> {
    let options = usvg::Options {
        font_family: super::draw::FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| PlotError::Render(e.to_string()))
}

/// The SVG file: glyphs as outlines, sized in inches so it prints at the size it was laid
/// out for.
pub fn svg(source: &str, layout: Layout, inches: f64) -> Result<String, PlotError> {
    let tree = tree(source)?;
    let out = tree.to_string(&usvg::WriteOptions {
        coordinates_precision: 3,
        transforms_precision: 4,
        ..usvg::WriteOptions::default()
    });
    let height = inches * layout.height / layout.width;
    let (w, h) = (tree.size().width(), tree.size().height());
    let old = format!(r#"<svg width="{w}" height="{h}""#);
    let height = format!("{height:.4}");
    let height = height.trim_end_matches('0').trim_end_matches('.');
    let new = format!(r#"<svg width="{inches}in" height="{height}in" viewBox="0 0 {w} {h}""#);
    if !out.starts_with(&old) {
        return Err(PlotError::Render(
            "the outlined SVG has an unexpected size".into(),
        ));
    }
    Ok(out.replacen(&old, &new, 1))
}

/// The PDF file: one page of the figure's size (one SVG unit is one point), fonts embedded,
/// rewritten in a canonical form so that one drawing always gives the same bytes.
pub fn pdf(source: &str) -> Result<Vec<u8>, PlotError> {
    let tree = tree(source)?;
    let pdf = svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions::default(),
    )
    .map_err(|e| PlotError::Render(e.to_string()))?;
    super::pdf_order::canonical(&pdf).map_err(|e| PlotError::Render(e.to_string()))
}

/// The PNG file: `layout.pixels` wide, anti-aliased, opaque, its resolution recorded.
pub fn png(source: &str, layout: Layout, inches: f64) -> Result<Vec<u8>, PlotError> {
    let tree = tree(source)?;
    let scale = f64::from(layout.pixels) / layout.width;
    let (w, h) = (
        layout.pixels,
        (layout.height * scale).round().max(1.0) as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| PlotError::Render(format!("cannot make a {w}×{h} image")))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale as f32, scale as f32),
        &mut pixmap.as_mut(),
    );
    // Opaque (white under everything), so the premultiplied RGBA is plain RGB.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let dpi = f64::from(layout.pixels) / inches;
    encode_png(&rgb, w, h, dpi)
}

fn encode_png(rgb: &[u8], w: u32, h: u32, dpi: f64) -> Result<Vec<u8>, PlotError> {
    let fail = |e: png::EncodingError| PlotError::Render(e.to_string());
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Best);
        let per_metre = (dpi / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = encoder.write_header().map_err(fail)?;
        writer.write_image_data(rgb).map_err(fail)?;
        writer.finish().map_err(fail)?;
    }
    Ok(bytes)
}
