//! The day table (the Timesheet sheet, and each per-employee sheet): one row per employee and day,
//! then a bold total row after each employee's last day.

use super::*;

pub(super) fn write_rows(
    ws: &mut Worksheet,
    rows: &[&DayRow],
    fm: &Formats,
) -> Result<u32, XlsxError> {
    let headers: Vec<&str> = HEADERS
        .iter()
        .chain(EXTRA_HEADERS[..fm.extra].iter())
        .copied()
        .chain(fm.optional.iter().map(|c| c.title()))
        .collect();
    let first_optional = (14 + fm.extra) as u16;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &fm.header)?;
    }
    for c in 14..headers.len() {
        ws.set_column_width(c as u16, if c == 14 { 22.0 } else { 12.0 })?;
    }
    let widths = [
        11.0, 28.0, 11.0, 10.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 12.0, 24.0, 12.0, 16.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut r: u32 = 1;
    let mut start = 0;
    for (i, row) in rows.iter().enumerate() {
        ws.write_string(r, 0, &row.employee_number)?;
        ws.write_string(r, 1, row.email.as_deref().unwrap_or(""))?;
        ws.write_string(r, 2, &row.date)?;
        ws.write_string(r, 3, &row.iso_week)?;
        ws.write_string(r, 4, row.first_in.as_deref().unwrap_or(""))?;
        ws.write_string(r, 5, row.last_out.as_deref().unwrap_or(""))?;
        ws.write_number(r, 6, row.sessions)?;
        ws.write_number_with_format(r, 7, value(row.worked_minutes, fm.hours), &fm.duration)?;
        ws.write_number_with_format(r, 8, value(row.lunch_minutes, fm.hours), &fm.duration)?;
        ws.write_number_with_format(r, 9, value(row.net_minutes, fm.hours), &fm.duration)?;
        ws.write_number_with_format(
            r,
            10,
            value(row.lunch_outside_minutes, fm.hours),
            &fm.duration,
        )?;
        ws.write_string(r, 11, row.absences.join(" | "))?;
        ws.write_string(r, 12, if row.open_session { "yes" } else { "no" })?;
        ws.write_string(r, 13, &row.zone)?;
        if fm.extra > 0 {
            ws.write_string(r, 14, row.name.as_deref().unwrap_or(""))?;
            if let Some(p) = &row.protime {
                for (k, f) in PROTIME_SUMMED.iter().enumerate() {
                    ws.write_number_with_format(
                        r,
                        15 + k as u16,
                        value(f(p), fm.hours),
                        &fm.duration,
                    )?;
                }
                ws.write_number_with_format(
                    r,
                    19,
                    value(p.flextime_balance_minutes, fm.hours),
                    &fm.duration,
                )?;
            }
        }
        if fm.extra > 6 {
            if let Some(d) = row.difference_minutes {
                ws.write_number_with_format(r, 20, value(d, fm.hours), &fm.duration)?;
            }
            ws.write_string(r, 21, if row.outside_tolerance { "yes" } else { "no" })?;
        }
        for (k, c) in fm.optional.iter().enumerate() {
            let col = first_optional + k as u16;
            match c.cell(row) {
                Cell::Minutes(Some(m)) => {
                    ws.write_number_with_format(r, col, value(m, fm.hours), &fm.duration)?;
                }
                Cell::Minutes(None) => {}
                Cell::Text(t) => {
                    ws.write_string(r, col, t)?;
                }
            }
        }
        r += 1;
        let last = rows
            .get(i + 1)
            .is_none_or(|n| n.employee_number != row.employee_number);
        if last {
            let group = &rows[start..=i];
            ws.write_string_with_format(r, 0, "Total", &fm.bold)?;
            ws.write_string_with_format(r, 1, &row.employee_number, &fm.bold)?;
            ws.write_number_with_format(
                r,
                6,
                group.iter().map(|x| x.sessions).sum::<u32>(),
                &fm.bold,
            )?;
            ws.write_number_with_format(
                r,
                7,
                total_value(group, |x| x.worked_minutes, fm.hours),
                &fm.bold_duration,
            )?;
            ws.write_number_with_format(
                r,
                8,
                total_value(group, |x| x.lunch_minutes, fm.hours),
                &fm.bold_duration,
            )?;
            ws.write_number_with_format(
                r,
                9,
                total_value(group, |x| x.net_minutes, fm.hours),
                &fm.bold_duration,
            )?;
            ws.write_number_with_format(
                r,
                10,
                total_value(group, |x| x.lunch_outside_minutes, fm.hours),
                &fm.bold_duration,
            )?;
            if fm.extra > 0 {
                for (k, f) in PROTIME_SUMMED.iter().enumerate() {
                    ws.write_number_with_format(
                        r,
                        15 + k as u16,
                        total_value(group, |x| x.protime.as_ref().map_or(0, f), fm.hours),
                        &fm.bold_duration,
                    )?;
                }
            }
            if fm.extra > 6 {
                ws.write_number_with_format(
                    r,
                    20,
                    total_value(group, |x| x.difference_minutes.unwrap_or(0), fm.hours),
                    &fm.bold_duration,
                )?;
                ws.write_number_with_format(
                    r,
                    21,
                    group.iter().filter(|x| x.outside_tolerance).count() as u32,
                    &fm.bold,
                )?;
            }
            for (k, c) in fm.optional.iter().enumerate() {
                if c.is_duration() {
                    let minutes = |x: &DayRow| match c.cell(x) {
                        Cell::Minutes(m) => m.unwrap_or(0),
                        Cell::Text(_) => 0,
                    };
                    ws.write_number_with_format(
                        r,
                        first_optional + k as u16,
                        total_value(group, minutes, fm.hours),
                        &fm.bold_duration,
                    )?;
                }
            }
            r += 1;
            start = i + 1;
        }
    }
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), (headers.len() - 1) as u16)?;
    Ok(r)
}
