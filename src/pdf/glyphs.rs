//! Positioned glyphs: the `pdf-extract` output device that records every shown character with
//! its page position, advance and size, in top-down page points.
//!
//! pdf-extract's own text output guesses line breaks from the drawing order; prescriptions are
//! tables whose cells are drawn column by column, so we keep the geometry and rebuild lines
//! ourselves (see [`super::lines`]).

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// One shown character (or the string a ToUnicode map gives for one code).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// 1-based page number.
    pub page: u32,
    /// Left edge, points from the left of the page.
    pub x: f32,
    /// Baseline, points from the top of the page.
    pub y: f32,
    /// Advance width in points (0 when the font gives none).
    pub w: f32,
    /// Font size in points after the text and graphics transforms (the "em").
    pub size: f32,
    /// The Unicode text of the glyph as decoded.
    pub text: String,
}

/// Page facts the gate needs besides the glyphs.
#[derive(Debug, Clone, Default)]
pub struct PageInfo {
    /// Page height in points (to flip y).
    pub height: f32,
}

/// Collects glyphs from `pdf_extract::output_doc`.
#[derive(Default)]
pub struct Collector {
    pub glyphs: Vec<Glyph>,
    pub pages: Vec<PageInfo>,
    page: u32,
    top: f64,
    left: f64,
    /// Stop collecting past this many glyphs: a hostile file must not eat memory.
    pub limit: usize,
}

impl Collector {
    /// A collector that keeps at most `limit` glyphs.
    pub fn new(limit: usize) -> Self {
        Collector {
            limit,
            ..Default::default()
        }
    }
}

/// Scale of a 2×2 matrix: the side of the square with the same area, so rotated or
/// anamorphic text still gets a sensible em.
pub(crate) fn matrix_scale(a: f64, b: f64, c: f64, d: f64) -> f64 {
    (a * d - b * c).abs().sqrt()
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page = page_num;
        self.top = media_box.ury.max(media_box.lly);
        self.left = media_box.llx.min(media_box.urx);
        self.pages.push(PageInfo {
            height: (media_box.ury - media_box.lly).abs() as f32,
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        if self.glyphs.len() >= self.limit {
            return Ok(());
        }
        let scale = matrix_scale(trm.m11, trm.m12, trm.m21, trm.m22);
        let size = (font_size * scale).abs();
        let x = trm.m31 - self.left;
        let y = self.top - trm.m32;
        if !(x.is_finite() && y.is_finite() && size.is_finite()) {
            return Ok(());
        }
        self.glyphs.push(Glyph {
            page: self.page,
            x: x as f32,
            y: y as f32,
            w: (width * font_size * trm.m11.abs()).max(0.0) as f32,
            size: size as f32,
            text: char.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
