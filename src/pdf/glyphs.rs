//! Positioned glyphs: the `pdf-extract` output device that records every shown character with
//! its page position, advance and size, in top-down page points.
//!
//! pdf-extract's own text output guesses line breaks from the drawing order; prescriptions are
//! tables whose cells are drawn column by column, so we keep the geometry and rebuild lines
//! ourselves (see [`super::lines`]).

use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

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

/// A ruling line of a table (a stroked segment, or a thin filled rectangle, or a rectangle's
/// edge), in top-down page points. Rules tell table cells and rows apart where gaps cannot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub page: u32,
    /// Horizontal (constant y) or vertical (constant x).
    pub horizontal: bool,
    /// y of a horizontal rule, x of a vertical one.
    pub pos: f32,
    /// Extent along the rule (x range of a horizontal rule, y range of a vertical one).
    pub from: f32,
    pub to: f32,
}

/// Collects rules from path segments and rectangles given in page space (PDF, bottom-up).
#[derive(Debug, Default)]
pub struct RuleSink {
    pub rules: Vec<Rule>,
    pub top: f64,
    pub left: f64,
    pub page: u32,
}

/// Most rules kept per file.
const MAX_RULES: usize = 100_000;

impl RuleSink {
    /// A straight segment between two page-space points.
    pub fn segment(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64)) {
        if self.rules.len() >= MAX_RULES || ![x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            return;
        }
        let (x0, x1) = ((x0 - self.left) as f32, (x1 - self.left) as f32);
        let (y0, y1) = ((self.top - y0) as f32, (self.top - y1) as f32);
        if (y0 - y1).abs() < 0.8 && (x1 - x0).abs() > 2.0 {
            self.rules.push(Rule {
                page: self.page,
                horizontal: true,
                pos: (y0 + y1) / 2.0,
                from: x0.min(x1),
                to: x0.max(x1),
            });
        } else if (x0 - x1).abs() < 0.8 && (y1 - y0).abs() > 2.0 {
            self.rules.push(Rule {
                page: self.page,
                horizontal: false,
                pos: (x0 + x1) / 2.0,
                from: y0.min(y1),
                to: y0.max(y1),
            });
        }
    }

    /// An axis-aligned rectangle (corners in page space): a thin one is one rule, a larger
    /// one (a cell box) gives its four edges.
    pub fn rect(&mut self, (ax, ay): (f64, f64), (bx, by): (f64, f64)) {
        let (w, h) = ((bx - ax).abs(), (by - ay).abs());
        if w < 2.5 && h < 2.5 {
            return;
        }
        if h < 2.5 {
            let y = (ay + by) / 2.0;
            self.segment((ax, y), (bx, y));
        } else if w < 2.5 {
            let x = (ax + bx) / 2.0;
            self.segment((x, ay), (x, by));
        } else {
            self.segment((ax, ay), (bx, ay));
            self.segment((ax, by), (bx, by));
            self.segment((ax, ay), (ax, by));
            self.segment((bx, ay), (bx, by));
        }
    }
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
    pub rules: RuleSink,
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
        self.rules.page = page_num;
        self.rules.top = self.top;
        self.rules.left = self.left;
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
        let mut w = (width * font_size * trm.m11.abs()).max(0.0);
        if w == 0.0 && !char.trim().is_empty() {
            // No width in the font dictionary (seen for fallback fonts' marks such as ✓):
            // half an em for narrow characters, one em for wide ones, so x1 is not x0.
            w = size
                * if unicode_width::UnicodeWidthStr::width(char) <= 1 {
                    0.5
                } else {
                    1.0
                };
        }
        self.glyphs.push(Glyph {
            page: self.page,
            x: x as f32,
            y: y as f32,
            w: w as f32,
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

    fn stroke(
        &mut self,
        ctm: &Transform,
        _cs: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.path_rules(ctm, path);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _cs: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.path_rules(ctm, path);
        Ok(())
    }
}

impl Collector {
    fn path_rules(&mut self, ctm: &Transform, path: &Path) {
        let t = |x: f64, y: f64| {
            (
                ctm.m11 * x + ctm.m21 * y + ctm.m31,
                ctm.m12 * x + ctm.m22 * y + ctm.m32,
            )
        };
        let mut cur: Option<(f64, f64)> = None;
        let mut start: Option<(f64, f64)> = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    cur = Some(t(x, y));
                    start = cur;
                }
                PathOp::LineTo(x, y) => {
                    let p = t(x, y);
                    if let Some(c) = cur {
                        self.rules.segment(c, p);
                    }
                    cur = Some(p);
                }
                PathOp::CurveTo(.., x, y) => cur = Some(t(x, y)),
                PathOp::Rect(x, y, w, h) => self.rules.rect(t(x, y), t(x + w, y + h)),
                PathOp::Close => {
                    if let (Some(c), Some(s)) = (cur, start) {
                        self.rules.segment(c, s);
                    }
                    cur = start;
                }
            }
        }
    }
}
