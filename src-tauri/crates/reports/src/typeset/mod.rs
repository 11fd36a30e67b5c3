//! The PDF typesetting engine, generic over documents: fonts (embedded as subsets), right-to-left
//! text (bidi), and a canvas that lays text out in boxes. The timesheet PDF
//! ([`crate::timesheet::pdf_export`]) is one document on top of it.

mod bidi;
mod canvas;
mod font;

pub use bidi::visual_line;
pub use canvas::{Align, Canvas};
pub use font::{EmbeddedFont, Weight};
