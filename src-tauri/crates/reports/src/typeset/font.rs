//! Fonts: a TrueType font embedded as a subset (CID font, Identity-H, with a ToUnicode map so the
//! text can be searched and extracted), its metrics, and the DejaVu Sans Condensed faces the reports
//! use (Latin and Hebrew).

use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::sync::OnceLock;
use subsetter::GlyphRemapper;

/// The faces as the binary carries them, deflated by `build.rs`.
static REGULAR_ZLIB: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/DejaVuSansCondensed.ttf.zlib"));
static BOLD_ZLIB: &[u8] = include_bytes!(concat!(
    env!("OUT_DIR"),
    "/DejaVuSansCondensed-Bold.ttf.zlib"
));

/// Inflates a face once per process; the font is the build's own, so a failure is a build defect.
fn inflated(cell: &'static OnceLock<Vec<u8>>, packed: &[u8]) -> &'static [u8] {
    cell.get_or_init(|| {
        let mut font = Vec::new();
        ZlibDecoder::new(packed)
            .read_to_end(&mut font)
            .expect("the embedded font was deflated by build.rs");
        font
    })
}

/// DejaVu Sans Condensed (TrueType).
pub fn regular_ttf() -> &'static [u8] {
    static FONT: OnceLock<Vec<u8>> = OnceLock::new();
    inflated(&FONT, REGULAR_ZLIB)
}

/// DejaVu Sans Condensed Bold (TrueType).
pub fn bold_ttf() -> &'static [u8] {
    static FONT: OnceLock<Vec<u8>> = OnceLock::new();
    inflated(&FONT, BOLD_ZLIB)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// A TrueType font embedded as a CID font with Identity-H encoding: the content streams hold the
/// subset's glyph ids, which the remapper hands out as glyphs are first used.
pub struct EmbeddedFont {
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    remapper: GlyphRemapper,
    /// Subset glyph id → the character it shows (for the ToUnicode map) and its advance in 1/1000 em.
    used: BTreeMap<u16, (char, f32)>,
    metrics: HashMap<char, (u16, f32)>,
    pub resource: Name<'static>,
    base_font: &'static str,
}

impl EmbeddedFont {
    pub fn load(
        data: &'static [u8],
        resource: Name<'static>,
        base_font: &'static str,
    ) -> Result<Self, String> {
        let face = ttf_parser::Face::parse(data, 0)
            .map_err(|e| format!("The PDF font could not be read: {e}"))?;
        Ok(Self {
            data,
            face,
            remapper: GlyphRemapper::new(),
            used: BTreeMap::new(),
            metrics: HashMap::new(),
            resource,
            base_font,
        })
    }

    fn scale(&self) -> f32 {
        1000.0 / f32::from(self.face.units_per_em())
    }

    /// The font's glyph for `c` (0, the missing-glyph box, when it has none) and its advance in
    /// 1/1000 em. Cached: a large report measures the same few dozen characters millions of times.
    pub fn metrics(&mut self, c: char) -> (u16, f32) {
        if let Some(m) = self.metrics.get(&c) {
            return *m;
        }
        let glyph = self.face.glyph_index(c).map(|g| g.0).unwrap_or(0);
        let advance = f32::from(
            self.face
                .glyph_hor_advance(ttf_parser::GlyphId(glyph))
                .unwrap_or(0),
        ) * self.scale();
        self.metrics.insert(c, (glyph, advance));
        (glyph, advance)
    }

    pub fn width(&mut self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.metrics(c).1).sum::<f32>() * size / 1000.0
    }

    /// Two bytes per glyph, big-endian subset glyph ids.
    pub fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (old, advance) = self.metrics(c);
            let new = self.remapper.remap(old);
            self.used.entry(new).or_insert((c, advance));
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    pub fn write(&self, pdf: &mut Pdf, alloc: &mut Ref) -> Result<Ref, String> {
        let type0 = alloc.bump();
        let cid = alloc.bump();
        let descriptor = alloc.bump();
        let to_unicode = alloc.bump();
        let file = alloc.bump();
        let base = Name(self.base_font.as_bytes());
        let identity = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        pdf.type0_font(type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(to_unicode);

        let mut font = pdf.cid_font(cid);
        font.subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(identity)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        {
            let mut widths = font.widths();
            for (gid, (_, advance)) in &self.used {
                widths.consecutive(*gid, [*advance]);
            }
        }
        font.finish();

        let s = self.scale();
        let bbox = self.face.global_bounding_box();
        let weight = self.face.weight().to_number();
        pdf.font_descriptor(descriptor)
            .name(base)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                f32::from(bbox.x_min) * s,
                f32::from(bbox.y_min) * s,
                f32::from(bbox.x_max) * s,
                f32::from(bbox.y_max) * s,
            ))
            .italic_angle(0.0)
            .ascent(f32::from(self.face.ascender()) * s)
            .descent(f32::from(self.face.descender()) * s)
            .cap_height(f32::from(self.face.capital_height().unwrap_or(self.face.ascender())) * s)
            // Readers only use StemV as a hint; this is the usual estimate from the weight class.
            .stem_v(10.0 + 0.244 * (f32::from(weight) - 50.0))
            .font_file2(file);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), identity);
        for (gid, (c, _)) in &self.used {
            cmap.pair(*gid, *c);
        }
        pdf.cmap(to_unicode, &cmap.finish());

        let subset = subsetter::subset(self.data, 0, &self.remapper)
            .map_err(|e| format!("The PDF font could not be subset: {e}"))?;
        pdf.stream(file, &deflate(&subset)?)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), subset.len() as i32);
        Ok(type0)
    }
}

pub fn deflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(bytes)
        .and_then(|_| z.finish())
        .map_err(|e| format!("Could not compress the PDF: {e}"))
}
