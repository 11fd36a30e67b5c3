//! PDF timesheets to print and sign: A4 landscape, one section per employee starting on a new page
//! (page header with product, profile, period and employee; the day table with work logs under
//! their day, a total after each ISO week and for the employee; signature lines), then a summary
//! (per employee, per ISO week, overall) with the rounding rule stated. Every page has
//! "Page n of m" in its footer.
//!
//! Typesetting is [`crate::typeset`]'s: text uses DejaVu Sans Condensed, embedded as a subset with a
//! ToUnicode map so the text can be searched and extracted. It covers Latin and Hebrew. Hebrew (and
//! mixed Hebrew / Latin / digits) is laid out with the Unicode bidi algorithm into visual order,
//! brackets mirrored in right-to-left runs, and right-to-left cells are right-aligned. Text
//! extraction (poppler, pdf.js) rebuilds the logical order from the glyph positions; an `ActualText`
//! span is deliberately not added, because poppler then reverses the already logical text a second
//! time.
//!
//! Totals add the displayed units of the rows (minutes for `h:mm`, hundredths for decimal hours),
//! so a total always equals the sum of the rows printed above it.

use super::csv_export::{unit, HoursFormat};
use super::engine::{DayRow, NightShifts, Report, RoundingScope};
use super::optional_columns::{self, OptionalColumn};
use crate::typeset::{Align, Canvas, Weight};
use chrono::NaiveDate;
#[cfg(test)]
use columns::day_columns;
use columns::{day_cell, day_columns_with, show_units, total_cell, widths, Column};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the person exporting chooses (`hours`), plus what the caller knows about the context.
/// The context fields are not sent by the UI: the service fills them from the active profile and
/// the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PdfOptions {
    pub hours: HoursFormat,
    /// Shown in every page header.
    #[serde(skip)]
    pub profile_name: String,
    /// When the file was made, as the reader should see it (e.g. `2026-11-22 14:05`).
    #[serde(skip)]
    pub generated_at: String,
    /// Employee number → display name, for sources that know names (TimeClock 365 sessions carry
    /// only numbers and e-mail addresses). Sections of employees without a name show the number.
    #[serde(skip)]
    pub employee_names: BTreeMap<String, String>,
    /// Optional columns to add; the PDF prints Protime's further totals among them (weekly hours
    /// types, pay-period hours, shift definition) where the report has Protime's totals.
    #[serde(default)]
    pub extra_columns: Vec<OptionalColumn>,
}

impl PdfOptions {
    pub fn new(hours: HoursFormat) -> Self {
        Self {
            hours,
            profile_name: String::new(),
            generated_at: String::new(),
            employee_names: BTreeMap::new(),
            extra_columns: Vec::new(),
        }
    }
}

/// A4 landscape in points.
pub const PAGE_WIDTH: f32 = 842.0;
pub const PAGE_HEIGHT: f32 = 595.0;
const MARGIN_X: f32 = 32.0;
const TOP: f32 = PAGE_HEIGHT - 30.0;
/// Content stops here; the footer sits below.
const BOTTOM: f32 = 46.0;
const FOOTER_Y: f32 = 24.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
const CELL_PAD: f32 = 3.0;

const ROW_HEIGHT: f32 = 12.5;
const LOG_ROW_HEIGHT: f32 = 10.5;
const TABLE_FONT: f32 = 8.0;
const LOG_FONT: f32 = 7.0;

// ---------------------------------------------------------------------------------------------
// Layout

/// What the page header shows; repeated on every page of the section.
#[derive(Clone)]
enum Section {
    Employee {
        number: String,
        email: Option<String>,
    },
    Summary,
}

/// The timesheet document, drawn on a [`Canvas`].
struct Layout<'a> {
    report: &'a Report,
    options: &'a PdfOptions,
    canvas: Canvas,
    section: Section,
    /// Pages already started in the current section (the header says "continued" after the first).
    section_pages: usize,
    y: f32,
}

impl<'a> Layout<'a> {
    /// [`Canvas::text`].
    #[allow(clippy::too_many_arguments)]
    fn text(
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
        self.canvas
            .text(text, weight, size, x, y, width, align, gray)
    }

    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, gray: f32) {
        self.canvas.fill(x, y, w, h, gray)
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, gray: f32) {
        self.canvas.line(x1, y1, x2, y2, width, gray)
    }

    fn hours_label(&self) -> &'static str {
        match self.options.hours {
            HoursFormat::HoursMinutes => "hours as h:mm",
            HoursFormat::Decimal => "decimal hours",
        }
    }

    /// The rounding, night-shift and open-session rules, as the CSV and XLSX state them.
    fn rules(&self) -> String {
        let o = &self.report.options;
        let scope = match (o.rounding_scope, o.rounding.describe()) {
            (_, "no rounding") => "",
            (RoundingScope::PerSession, _) => ", per session",
            (RoundingScope::PerDay, _) => ", per day",
        };
        let night = match o.night_shifts {
            NightShifts::StartDay => "night shifts on the day they start",
            NightShifts::SplitAtMidnight => "night shifts split at midnight",
        };
        format!(
            "Worked time {}{scope}; {night}; open sessions (no punch-out yet) are flagged and not counted; {}. Every total is the sum of the rows above it as printed.",
            o.rounding.describe(),
            self.hours_label()
        )
    }

    fn start_page(&mut self) {
        self.canvas.new_page();
        self.section_pages += 1;
        let mut y = TOP;
        let title_width = self.text(
            "Timebridge · Timesheet",
            Weight::Bold,
            13.0,
            MARGIN_X,
            y,
            300.0,
            Align::Left,
            0.0,
        );
        let period = format!("Period {} to {}", self.report.from, self.report.to);
        let profile = if self.options.profile_name.is_empty() {
            String::new()
        } else {
            format!("Profile: {}", self.options.profile_name)
        };
        let right_x = MARGIN_X + title_width + 20.0;
        let right_w = PAGE_WIDTH - MARGIN_X - right_x;
        self.text(
            &period,
            Weight::Bold,
            10.0,
            right_x,
            y,
            right_w,
            Align::Right,
            0.0,
        );
        y -= 13.0;
        self.text(
            &profile,
            Weight::Regular,
            9.0,
            right_x,
            y,
            right_w,
            Align::Right,
            0.25,
        );

        y -= 6.0;
        match self.section.clone() {
            Section::Employee { number, email } => {
                let mut x = MARGIN_X;
                x += self.text(
                    "Employee",
                    Weight::Regular,
                    10.0,
                    x,
                    y,
                    80.0,
                    Align::Left,
                    0.35,
                ) + 6.0;
                if let Some(name) = self.options.employee_names.get(&number).cloned() {
                    x += self.text(&name, Weight::Bold, 12.0, x, y, 300.0, Align::Left, 0.0) + 10.0;
                }
                x += self.text(
                    &format!("No. {number}"),
                    Weight::Bold,
                    12.0,
                    x,
                    y,
                    200.0,
                    Align::Left,
                    0.0,
                ) + 10.0;
                if let Some(email) = email {
                    x += self.text(&email, Weight::Regular, 9.0, x, y, 260.0, Align::Left, 0.35)
                        + 10.0;
                }
                if self.section_pages > 1 {
                    self.text(
                        "(continued)",
                        Weight::Regular,
                        9.0,
                        x,
                        y,
                        100.0,
                        Align::Left,
                        0.35,
                    );
                }
            }
            Section::Summary => {
                let continued = if self.section_pages > 1 {
                    " (continued)"
                } else {
                    ""
                };
                self.text(
                    &format!("Summary: all employees{continued}"),
                    Weight::Bold,
                    12.0,
                    MARGIN_X,
                    y,
                    CONTENT_WIDTH,
                    Align::Left,
                    0.0,
                );
            }
        }
        y -= 13.0;
        let rules = self.rules();
        self.text(
            &rules,
            Weight::Regular,
            7.5,
            MARGIN_X,
            y,
            CONTENT_WIDTH,
            Align::Left,
            0.35,
        );
        y -= 6.0;
        self.line(MARGIN_X, y, PAGE_WIDTH - MARGIN_X, y, 0.8, 0.0);
        self.y = y - 6.0;
    }

    /// Starts a new page (header repeated) when `height` does not fit above the footer.
    fn room_for(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.start_page();
            return false;
        }
        true
    }

    fn table_header(&mut self, titles: &[&str], widths: &[f32], aligns: &[Align]) {
        let h = 15.0;
        self.fill(MARGIN_X, self.y - h, CONTENT_WIDTH, h, 0.86);
        let mut x = MARGIN_X;
        for ((title, w), align) in titles.iter().zip(widths).zip(aligns) {
            let align = if *align == Align::Natural {
                Align::Left
            } else {
                *align
            };
            self.text(
                title,
                Weight::Bold,
                TABLE_FONT,
                x + CELL_PAD,
                self.y - h + 4.5,
                w - 2.0 * CELL_PAD,
                align,
                0.0,
            );
            x += w;
        }
        self.y -= h;
    }

    /// One table row of already formatted cells.
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        cells: &[String],
        widths: &[f32],
        aligns: &[Align],
        weight: Weight,
        size: f32,
        height: f32,
        shade: Option<f32>,
        gray: f32,
    ) {
        if let Some(shade) = shade {
            self.fill(MARGIN_X, self.y - height, CONTENT_WIDTH, height, shade);
        }
        let baseline = self.y - height + (height - size) / 2.0 + 1.5;
        let mut x = MARGIN_X;
        for ((cell, w), align) in cells.iter().zip(widths).zip(aligns) {
            self.text(
                cell,
                weight,
                size,
                x + CELL_PAD,
                baseline,
                w - 2.0 * CELL_PAD,
                *align,
                gray,
            );
            x += w;
        }
        self.y -= height;
    }

    fn employee_section(&mut self, rows: &[&DayRow], columns: &[Column]) {
        let first = rows[0];
        self.section = Section::Employee {
            number: first.employee_number.clone(),
            email: first.email.clone(),
        };
        self.section_pages = 0;
        self.start_page();

        let widths = widths(columns, CONTENT_WIDTH);
        let titles: Vec<&str> = columns.iter().map(|c| c.title).collect();
        let aligns: Vec<Align> = columns.iter().map(|c| c.align).collect();
        let notes = columns.len() - 1;
        let hours = self.options.hours;
        self.table_header(&titles, &widths, &aligns);

        let mut week_start = 0;
        for (i, r) in rows.iter().enumerate() {
            // A day and at least its first work log stay together.
            let needed = ROW_HEIGHT
                + if r.work_logs.is_empty() {
                    0.0
                } else {
                    LOG_ROW_HEIGHT
                };
            if !self.room_for(needed) {
                self.table_header(&titles, &widths, &aligns);
            }
            let cells: Vec<String> = columns.iter().map(|c| day_cell(c, r, hours)).collect();
            let shade = (i % 2 == 1).then_some(0.965);
            self.row(
                &cells,
                &widths,
                &aligns,
                Weight::Regular,
                TABLE_FONT,
                ROW_HEIGHT,
                shade,
                0.0,
            );
            for log in &r.work_logs {
                if !self.room_for(LOG_ROW_HEIGHT) {
                    self.table_header(&titles, &widths, &aligns);
                }
                let mut cells = vec![String::new(); columns.len()];
                let mut put = |title: &str, value: String| {
                    if let Some(i) = columns.iter().position(|c| c.title == title) {
                        cells[i] = value;
                    }
                };
                put("First in", log.start.clone());
                put("Last out", log.end.clone().unwrap_or_else(|| "open".into()));
                // In brackets: a work log's time is part of the day's sessions, not added to it.
                put(
                    "Worked",
                    format!("({})", show_units(unit(log.minutes, hours), hours)),
                );
                cells[notes] = log.name.clone().unwrap_or_default();
                let top = self.y;
                self.row(
                    &cells,
                    &widths,
                    &aligns,
                    Weight::Regular,
                    LOG_FONT,
                    LOG_ROW_HEIGHT,
                    None,
                    0.4,
                );
                // The label and the work log's external id share the date and day columns.
                let label = match &log.external_id {
                    Some(id) => format!("work log {id}"),
                    None => "work log".into(),
                };
                self.text(
                    &label,
                    Weight::Regular,
                    LOG_FONT,
                    MARGIN_X + CELL_PAD,
                    top - LOG_ROW_HEIGHT + (LOG_ROW_HEIGHT - LOG_FONT) / 2.0 + 1.5,
                    widths[0] + widths[1] - 2.0 * CELL_PAD,
                    Align::Right,
                    0.4,
                );
            }
            let week_ends = rows.get(i + 1).is_none_or(|n| n.iso_week != r.iso_week);
            if week_ends {
                if !self.room_for(ROW_HEIGHT) {
                    self.table_header(&titles, &widths, &aligns);
                }
                let week = &rows[week_start..=i];
                let mut cells: Vec<String> =
                    columns.iter().map(|c| total_cell(c, week, hours)).collect();
                cells[0] = format!("Week {}", r.iso_week);
                self.row_spanning_label(&cells, &widths, &aligns, Weight::Bold, 0.92);
                week_start = i + 1;
            }
        }

        if !self.room_for(ROW_HEIGHT + 4.0) {
            self.table_header(&titles, &widths, &aligns);
        }
        self.y -= 2.0;
        self.line(MARGIN_X, self.y, PAGE_WIDTH - MARGIN_X, self.y, 0.8, 0.0);
        let mut cells: Vec<String> = columns.iter().map(|c| total_cell(c, rows, hours)).collect();
        cells[0] = format!("Total {}", first.employee_number);
        self.row_spanning_label(&cells, &widths, &aligns, Weight::Bold, 0.84);

        self.signatures();
    }

    /// A totals row whose label (cell 0) may run into the following text columns, which are empty
    /// in totals rows.
    fn row_spanning_label(
        &mut self,
        cells: &[String],
        widths: &[f32],
        aligns: &[Align],
        weight: Weight,
        shade: f32,
    ) {
        let span: f32 = widths
            .iter()
            .zip(cells)
            .enumerate()
            .take_while(|(i, (_, c))| *i == 0 || c.is_empty())
            .map(|(_, (w, _))| *w)
            .sum();
        let label = cells[0].clone();
        let mut rest = cells.to_vec();
        rest[0] = String::new();
        let top = self.y;
        self.row(
            &rest,
            widths,
            aligns,
            weight,
            TABLE_FONT,
            ROW_HEIGHT,
            Some(shade),
            0.0,
        );
        let baseline = top - ROW_HEIGHT + (ROW_HEIGHT - TABLE_FONT) / 2.0 + 1.5;
        let span = span.min(widths.iter().take(4).sum());
        self.text(
            &label,
            weight,
            TABLE_FONT,
            MARGIN_X + CELL_PAD,
            baseline,
            span - 2.0 * CELL_PAD,
            Align::Left,
            0.0,
        );
    }

    fn signatures(&mut self) {
        let block = 74.0;
        self.room_for(block);
        self.y -= 18.0;
        self.text(
            "Checked and approved",
            Weight::Bold,
            9.0,
            MARGIN_X,
            self.y,
            300.0,
            Align::Left,
            0.0,
        );
        let line_y = self.y - 34.0;
        let width = 220.0;
        let gap = (CONTENT_WIDTH - 3.0 * width) / 2.0;
        for (i, label) in ["Employee signature", "Manager signature", "Date"]
            .iter()
            .enumerate()
        {
            let x = MARGIN_X + i as f32 * (width + gap);
            self.line(x, line_y, x + width, line_y, 0.6, 0.0);
            self.text(
                label,
                Weight::Regular,
                8.0,
                x,
                line_y - 10.0,
                width,
                Align::Left,
                0.35,
            );
        }
        self.y = line_y - 14.0;
    }
}

/// Renders the report as a PDF.
pub fn write(report: &Report, options: &PdfOptions) -> Result<Vec<u8>, String> {
    let mut layout = Layout {
        report,
        options,
        canvas: Canvas::dejavu()?,
        section: Section::Summary,
        section_pages: 0,
        y: TOP,
    };
    let columns = day_columns_with(&columns::printable(optional_columns::chosen(
        report,
        &options.extra_columns,
    )));

    // Rows come sorted by employee, then date.
    let mut by_employee: Vec<Vec<&DayRow>> = Vec::new();
    for r in &report.rows {
        match by_employee.last_mut() {
            Some(group) if group[0].employee_number == r.employee_number => group.push(r),
            _ => by_employee.push(vec![r]),
        }
    }
    for rows in &by_employee {
        layout.employee_section(rows, &columns);
    }
    layout.summary(&by_employee, &columns);
    layout.footers();

    let title = format!("Timesheet {} to {}", report.from, report.to);
    layout.canvas.finish(PAGE_WIDTH, PAGE_HEIGHT, &title)
}

mod columns;
mod summary;

#[cfg(test)]
mod tests;
