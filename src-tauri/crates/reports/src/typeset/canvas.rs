//! A canvas of pages in one regular and one bold font: clipped, aligned, right-to-left-aware text,
//! filled boxes and lines; [`Canvas::finish`] writes the PDF (fonts subset, content compressed).

use super::bidi::visual_line;
use super::font::{bold_ttf, deflate, regular_ttf, EmbeddedFont, Weight};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// Where a line of text sits in its box.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    /// Left for left-to-right text, right for right-to-left text (decided per cell).
    Natural,
}

pub struct Canvas {
    pub regular: EmbeddedFont,
    pub bold: EmbeddedFont,
    /// What is still to be drawn on each page: everything on the last page, only the footer on
    /// the pages before it (see [`Canvas::new_page`]).
    pub pages: Vec<Content>,
    /// The compressed drawing of every page but the last, in page order.
    finished: Vec<Result<Vec<u8>, String>>,
    /// The page being drawn on (the last one, except while footers are added).
    pub current: usize,
}

impl Canvas {
    /// A canvas with no pages yet in DejaVu Sans Condensed, regular and bold.
    pub fn dejavu() -> Result<Self, String> {
        Ok(Self {
            regular: EmbeddedFont::load(regular_ttf(), Name(b"F1"), "TBAAAA+DejaVuSansCondensed")?,
            bold: EmbeddedFont::load(bold_ttf(), Name(b"F2"), "TBAAAB+DejaVuSansCondensed-Bold")?,
            pages: Vec::new(),
            finished: Vec::new(),
            current: 0,
        })
    }

    pub fn font(&mut self, weight: Weight) -> &mut EmbeddedFont {
        match weight {
            Weight::Regular => &mut self.regular,
            Weight::Bold => &mut self.bold,
        }
    }

    /// Starts a page and draws on it. The page before it is complete but for the footer, which
    /// needs the page count: its drawing is compressed now and a fresh stream takes the footer.
    /// Holding every page's drawing until the end took over 300 MB for a month of 4,000
    /// employees; compressed it is about a tenth.
    pub fn new_page(&mut self) {
        if let Some(last) = self.pages.last_mut() {
            let drawn = std::mem::replace(last, Content::new()).finish();
            self.finished.push(deflate(&drawn));
        }
        self.pages.push(Content::new());
        self.current = self.pages.len() - 1;
    }

    pub fn page(&mut self) -> &mut Content {
        &mut self.pages[self.current]
    }

    /// Cuts `text` (logical order) with an ellipsis so it fits `max` points.
    pub fn fit(&mut self, text: &str, weight: Weight, size: f32, max: f32) -> String {
        let font = self.font(weight);
        if font.width(text, size) <= max {
            return text.to_string();
        }
        let budget = max - font.width("…", size);
        if budget <= 0.0 {
            return String::new();
        }
        let mut kept = String::new();
        let mut used = 0.0;
        for c in text.chars() {
            let w = font.metrics(c).1 * size / 1000.0;
            if used + w > budget {
                break;
            }
            used += w;
            kept.push(c);
        }
        format!("{}…", kept.trim_end())
    }

    /// Draws one line of text in the box `x..x+width` at baseline `y`; returns its drawn width.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        text: &str,
        weight: Weight,
        size: f32,
        x: f32,
        y: f32,
        width: f32,
        align: Align,
        gray: f32,
    ) -> f32 {
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let logical = self.fit(clean.trim(), weight, size, width);
        if logical.is_empty() {
            return 0.0;
        }
        let (visual, rtl) = visual_line(&logical);
        let font = self.font(weight);
        let drawn = font.width(&visual, size);
        let bytes = font.encode(&visual);
        let resource = font.resource;
        let left = match align {
            Align::Left => x,
            Align::Right => x + width - drawn,
            Align::Center => x + (width - drawn) / 2.0,
            Align::Natural if rtl => x + width - drawn,
            Align::Natural => x,
        };
        self.page()
            .set_fill_gray(gray)
            .begin_text()
            .set_font(resource, size)
            .set_text_matrix([1.0, 0.0, 0.0, 1.0, left, y])
            .show(Str(&bytes))
            .end_text();
        drawn
    }

    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, gray: f32) {
        self.page()
            .set_fill_gray(gray)
            .rect(x, y, w, h)
            .fill_nonzero();
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, gray: f32) {
        self.page()
            .set_stroke_gray(gray)
            .set_line_width(width)
            .move_to(x1, y1)
            .line_to(x2, y2)
            .stroke();
    }

    /// The document: every page `width` × `height` points, fonts subset to the glyphs drawn, the
    /// title in the document information.
    pub fn finish(self, width: f32, height: f32, title: &str) -> Result<Vec<u8>, String> {
        let mut pdf = Pdf::new();
        let mut alloc = Ref::new(1);
        let catalog = alloc.bump();
        let tree = alloc.bump();
        let info = alloc.bump();
        let regular = self.regular.write(&mut pdf, &mut alloc)?;
        let bold = self.bold.write(&mut pdf, &mut alloc)?;

        let mut page_ids = Vec::with_capacity(self.pages.len());
        let mut finished = self.finished.into_iter();
        for content in self.pages {
            let page_id = alloc.bump();
            // A page drawn before the next one began has two streams: its drawing, then its
            // footer (a viewer reads them as one).
            let drawn = match finished.next() {
                Some(compressed) => Some((alloc.bump(), compressed?)),
                None => None,
            };
            let content_id = alloc.bump();
            page_ids.push(page_id);
            let mut page = pdf.page(page_id);
            page.media_box(Rect::new(0.0, 0.0, width, height))
                .parent(tree);
            match &drawn {
                Some((drawn_id, _)) => page.contents_array([*drawn_id, content_id]),
                None => page.contents(content_id),
            };
            page.resources()
                .fonts()
                .pair(Name(b"F1"), regular)
                .pair(Name(b"F2"), bold);
            page.finish();
            if let Some((drawn_id, compressed)) = &drawn {
                pdf.stream(*drawn_id, compressed)
                    .filter(Filter::FlateDecode);
            }
            pdf.stream(content_id, &deflate(&content.finish())?)
                .filter(Filter::FlateDecode);
        }
        let count = page_ids.len() as i32;
        pdf.pages(tree).kids(page_ids).count(count);
        pdf.catalog(catalog).pages(tree);
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("Timebridge"))
            .creator(TextStr("Timebridge"));
        pdf.set_file_id((title.as_bytes().to_vec(), title.as_bytes().to_vec()));
        Ok(pdf.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_its_cell() {
        let mut canvas = Canvas::dejavu().unwrap();
        let long = "Sick leave, certificate from the hospital received on Monday".repeat(3);
        let cut = canvas.fit(&long, Weight::Regular, 8.0, 100.0);
        assert!(cut.ends_with('…') && cut.len() < long.len());
        assert!(canvas.regular.width(&cut, 8.0) <= 100.0);
        assert_eq!(canvas.fit("Sick", Weight::Regular, 8.0, 100.0), "Sick");
    }
}
