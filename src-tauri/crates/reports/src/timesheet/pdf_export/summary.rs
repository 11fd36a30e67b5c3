//! The closing pages: the summary (per employee, per ISO week, overall, with the rules stated) and
//! the "Page n of m" footers added to every page at the end.

use super::*;

impl Layout<'_> {
    pub(super) fn summary(&mut self, by_employee: &[Vec<&DayRow>], columns: &[Column]) {
        self.section = Section::Summary;
        self.section_pages = 0;
        self.start_page();
        let hours = self.options.hours;
        let totalled: Vec<Column> = columns.iter().filter(|c| c.totalled()).copied().collect();

        let mut titles = vec!["Employee", "Name / e-mail", "Days"];
        titles.extend(totalled.iter().map(|c| c.title));
        let mut aligns = vec![Align::Left, Align::Natural, Align::Right];
        aligns.extend(totalled.iter().map(|_| Align::Right));
        let fixed: f32 = 80.0 + 40.0 + totalled.iter().map(|c| c.width).sum::<f32>();
        let name_width = (CONTENT_WIDTH - fixed).clamp(60.0, 320.0);
        let mut widths = vec![80.0, name_width, 40.0];
        widths.extend(totalled.iter().map(|c| c.width));
        let line = |key: String, name: String, rows: &[&DayRow]| -> Vec<String> {
            let mut cells = vec![key, name, rows.len().to_string()];
            cells.extend(totalled.iter().map(|c| total_cell(c, rows, hours)));
            cells
        };

        self.table_header(&titles, &widths, &aligns);
        for (i, rows) in by_employee.iter().enumerate() {
            if !self.room_for(ROW_HEIGHT) {
                self.table_header(&titles, &widths, &aligns);
            }
            let number = rows[0].employee_number.clone();
            let name = self
                .options
                .employee_names
                .get(&number)
                .cloned()
                .or_else(|| rows[0].email.clone())
                .unwrap_or_default();
            let cells = line(number, name, rows);
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
        }

        let all: Vec<&DayRow> = self.report.rows.iter().collect();
        let mut weeks: BTreeMap<&str, Vec<&DayRow>> = BTreeMap::new();
        for r in &all {
            weeks.entry(r.iso_week.as_str()).or_default().push(r);
        }
        if !self.room_for(ROW_HEIGHT * 2.0 + 16.0) {
            self.table_header(&titles, &widths, &aligns);
        }
        self.y -= 10.0;
        let mut week_titles = titles.clone();
        week_titles[0] = "ISO week";
        week_titles[1] = "";
        self.table_header(&week_titles, &widths, &aligns);
        for (i, (week, rows)) in weeks.iter().enumerate() {
            if !self.room_for(ROW_HEIGHT) {
                self.table_header(&week_titles, &widths, &aligns);
            }
            let cells = line(week.to_string(), String::new(), rows);
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
        }

        if !self.room_for(ROW_HEIGHT + 40.0) {
            self.table_header(&titles, &widths, &aligns);
        }
        self.y -= 2.0;
        self.line(MARGIN_X, self.y, PAGE_WIDTH - MARGIN_X, self.y, 0.8, 0.0);
        let cells = line(
            "All employees".into(),
            format!("{} employees", by_employee.len()),
            &all,
        );
        self.row(
            &cells,
            &widths,
            &aligns,
            Weight::Bold,
            TABLE_FONT,
            ROW_HEIGHT,
            Some(0.84),
            0.0,
        );

        for warning in self
            .report
            .warnings
            .iter()
            .take(1)
            .cloned()
            .collect::<Vec<_>>()
        {
            self.y -= 14.0;
            let more = self.report.warnings.len() - 1;
            let text = if more > 0 {
                format!("Note: {warning} (and {more} more notes in the CSV/XLSX export)")
            } else {
                format!("Note: {warning}")
            };
            self.text(
                &text,
                Weight::Regular,
                7.5,
                MARGIN_X,
                self.y,
                CONTENT_WIDTH,
                Align::Left,
                0.35,
            );
        }
    }

    pub(super) fn footers(&mut self) {
        let total = self.canvas.pages.len();
        let left = match (
            self.options.profile_name.is_empty(),
            self.options.generated_at.is_empty(),
        ) {
            (true, true) => "Timebridge".to_string(),
            (false, true) => format!("Timebridge · {}", self.options.profile_name),
            (true, false) => format!("Timebridge · generated {}", self.options.generated_at),
            (false, false) => format!(
                "Timebridge · {} · generated {}",
                self.options.profile_name, self.options.generated_at
            ),
        };
        for n in 0..total {
            self.canvas.current = n;
            self.line(
                MARGIN_X,
                FOOTER_Y + 10.0,
                PAGE_WIDTH - MARGIN_X,
                FOOTER_Y + 10.0,
                0.4,
                0.6,
            );
            self.text(
                &left,
                Weight::Regular,
                7.5,
                MARGIN_X,
                FOOTER_Y,
                CONTENT_WIDTH / 2.0,
                Align::Left,
                0.35,
            );
            self.text(
                &format!("Page {} of {total}", n + 1),
                Weight::Regular,
                8.0,
                PAGE_WIDTH / 2.0,
                FOOTER_Y,
                CONTENT_WIDTH / 2.0,
                Align::Right,
                0.0,
            );
        }
    }
}
