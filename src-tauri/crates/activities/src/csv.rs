//! CSV bulk upsert of activity definitions by external reference (app and
//! `timebridge activities import`). Every row is checked first — in the file, then against the level
//! and the level above — and only the rows that pass are sent, each with
//! `PUT …/{externalReference}?externalReferences=(activity-definitions,@external-reference)`.
//!
//! Columns (header row required, `,` or `;`): `externalReference` (the key, required), `name`,
//! `name_<lang>` (translations, e.g. `name_nl`), `shortCode`, `dataEntryCode`, `info`, `activeFrom`,
//! `activeUntil`, `parent` (the external reference of the parent in the level above; only used when
//! the row creates a definition).
//!
//! Rows are sent one at a time. A row whose answer is lost is read back (see
//! [`super::readback`]) before the next row: found, it is reported `FoundAfterUncertain` and not sent
//! again; not confirmed, it is `Uncertain` (never `Refused`). The key is the external reference, so
//! running the same file again updates what an earlier run saved and never creates it twice. Dates
//! are exactly `YYYY-MM-DD`.

use super::{
    check_edit, check_form, strict_date, Admin, CheckContext, DefinitionForm, How, MAX_CODE,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use timebridge_core::csv_rows::{err, Columns, CsvTable, RowError};
use timebridge_core::AppError;
use timebridge_protime::models::ActivityDefinition;
use timebridge_protime::{DefinitionRef, LevelPath, Upserted};

const KNOWN: &[&str] = &[
    "externalReference",
    "name",
    "shortCode",
    "dataEntryCode",
    "info",
    "activeFrom",
    "activeUntil",
    "parent",
];

/// One row that passed the file checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CsvRow {
    pub line: u32,
    pub external_reference: String,
    /// The external reference of the parent (level above), empty when none.
    pub parent: String,
    pub form: DefinitionForm,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CsvPlan {
    pub rows: Vec<CsvRow>,
    pub errors: Vec<RowError>,
}

/// Row outcome: the definition was created by this run.
pub const CREATED: &str = "Created";
/// Row outcome: an existing definition was updated (also when the answer was lost and the change
/// was then seen in Protime).
pub const UPDATED: &str = "Updated";
/// Row outcome: the answer to the create was lost, and reading back found the definition in
/// Protime; it was not sent again.
pub const FOUND_AFTER_UNCERTAIN: &str = "FoundAfterUncertain";
/// Row outcome: refused (by the checks or by Protime); nothing was saved.
pub const REFUSED: &str = "Refused";
/// Row outcome: the answer was lost and reading back could not confirm it; it may have been saved.
/// Running the file again reads back first (the row then updates, never duplicates).
pub const UNCERTAIN: &str = "Uncertain";

/// What happened to one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RowOutcome {
    pub line: u32,
    pub external_reference: String,
    /// `Created`, `Updated`, `FoundAfterUncertain`, `Refused` or `Uncertain`.
    pub outcome: String,
    pub reasons: Vec<String>,
}

/// The counts of the rows. `created` includes the rows found after an uncertain send (this run
/// created them); `refused` counts only refused rows. Rows still uncertain are in `rows` only (see
/// [`UpsertReport::count`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct UpsertReport {
    pub created: u32,
    pub updated: u32,
    pub refused: u32,
    pub rows: Vec<RowOutcome>,
}

impl UpsertReport {
    /// How many rows ended with `outcome` (one of the row outcome constants).
    pub fn count(&self, outcome: &str) -> u32 {
        self.rows.iter().filter(|r| r.outcome == outcome).count() as u32
    }
}

fn canonical(header: &str) -> Option<String> {
    let h = header.trim();
    if let Some(lang) = h.strip_prefix("name_") {
        return (!lang.is_empty()).then(|| format!("name_{}", lang.to_ascii_lowercase()));
    }
    KNOWN
        .iter()
        .find(|k| k.eq_ignore_ascii_case(h))
        .map(|k| k.to_string())
}

/// Parses and checks the file on its own (no server): header, dates, lengths, names, duplicates.
pub fn parse(text: &str) -> CsvPlan {
    let mut plan = CsvPlan {
        rows: Vec::new(),
        errors: Vec::new(),
    };
    let known = format!("{}, name_<language>", KNOWN.join(", "));
    let columns = Columns {
        item: "definition",
        canonical: &canonical,
        known: &known,
        required: &["externalReference", "name"],
    };
    let Some(table) = CsvTable::read(text, &columns, &mut plan.errors) else {
        return plan;
    };
    let mut seen_ext: HashMap<String, u32> = HashMap::new();
    let mut seen_dec: HashMap<String, u32> = HashMap::new();
    for (line, values) in table.rows() {
        let get = |name: &str| values.get(name);
        let translations: BTreeMap<String, String> = values
            .cells()
            .filter_map(|(column, v)| Some((column.strip_prefix("name_")?, v.trim())))
            .filter(|(_, v)| !v.is_empty())
            .map(|(lang, v)| (lang.to_string(), v.to_string()))
            .collect();
        let row = CsvRow {
            line,
            external_reference: get("externalReference"),
            parent: get("parent"),
            form: DefinitionForm {
                name: get("name"),
                translations,
                short_code: get("shortCode"),
                data_entry_code: get("dataEntryCode"),
                external_reference: get("externalReference"),
                info: get("info"),
                active_from: get("activeFrom"),
                active_until: get("activeUntil"),
                parent_id: String::new(),
            },
        };
        let before = plan.errors.len();
        check_row(&row, &mut plan.errors);
        if let Some(first) = seen_ext.get(&row.external_reference) {
            plan.errors.push(err(
                line,
                "externalReference",
                format!(
                    "'{}' is already on line {first}; each definition may appear once",
                    row.external_reference
                ),
            ));
        } else if !row.external_reference.is_empty() {
            seen_ext.insert(row.external_reference.clone(), line);
        }
        if !row.form.data_entry_code.is_empty() {
            if let Some(first) = seen_dec.get(&row.form.data_entry_code) {
                plan.errors.push(err(
                    line,
                    "dataEntryCode",
                    format!(
                        "'{}' is also on line {first}; data entry codes must be unique on the level",
                        row.form.data_entry_code
                    ),
                ));
            } else {
                seen_dec.insert(row.form.data_entry_code.clone(), line);
            }
        }
        if plan.errors.len() == before {
            plan.rows.push(row);
        }
    }
    if plan.rows.is_empty() && plan.errors.is_empty() {
        plan.errors
            .push(err(1, "", "The file has a header row but no definitions"));
    }
    plan
}

fn check_row(row: &CsvRow, errors: &mut Vec<RowError>) {
    let line = row.line;
    if row.external_reference.is_empty() {
        errors.push(err(
            line,
            "externalReference",
            "The external reference (the key) is required",
        ));
    }
    if row.form.name.is_empty() {
        errors.push(err(
            line,
            "name",
            "The name is required (a PUT replaces the whole definition)",
        ));
    }
    for (column, v) in [
        ("externalReference", &row.external_reference),
        ("dataEntryCode", &row.form.data_entry_code),
        ("parent", &row.parent),
    ] {
        let n = v.chars().count();
        if n > MAX_CODE {
            errors.push(err(
                line,
                column,
                format!("'{v}' has {n} characters; at most {MAX_CODE} are allowed"),
            ));
        }
    }
    let date = |column: &str, v: &str, errors: &mut Vec<RowError>| {
        if v.is_empty() {
            return None;
        }
        match strict_date(v) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(err(line, column, e));
                None
            }
        }
    };
    let from = date("activeFrom", &row.form.active_from, errors);
    let until = date("activeUntil", &row.form.active_until, errors);
    if let (Some(a), Some(b)) = (from, until) {
        if b < a {
            errors.push(err(
                line,
                "activeUntil",
                format!("{b} is before activeFrom {a}; it must be the same day or later"),
            ));
        }
    }
}

fn refused(line: u32, key: &str, reasons: Vec<String>) -> RowOutcome {
    RowOutcome {
        line,
        external_reference: key.to_string(),
        outcome: REFUSED.into(),
        reasons,
    }
}

/// Checks every row against the level (and the level above for parents), then sends the rows that
/// pass. Rows with file errors are reported as refused and not sent.
pub async fn upsert_all(
    admin: &Admin<'_>,
    at: &LevelPath,
    plan: &CsvPlan,
) -> Result<UpsertReport, AppError> {
    let mut report = UpsertReport::default();
    let mut by_line: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for e in &plan.errors {
        let text = if e.column.is_empty() {
            e.message.clone()
        } else {
            format!("{}: {}", e.column, e.message)
        };
        by_line.entry(e.line).or_default().push(text);
    }
    for (line, reasons) in by_line {
        report.rows.push(refused(line, "", reasons));
    }
    if plan.rows.is_empty() {
        report.refused = report.rows.len() as u32;
        return Ok(report);
    }
    let siblings = admin.raw_list(at).await?;
    let parents: Vec<ActivityDefinition> = if at.level > 1 {
        admin
            .raw_list(&LevelPath::new(&at.structure_version, at.level - 1))
            .await?
    } else {
        Vec::new()
    };
    // Check every row before sending any.
    let mut ready = Vec::new();
    for row in &plan.rows {
        let existing = siblings
            .iter()
            .find(|d| d.external_reference.as_deref() == Some(row.external_reference.as_str()));
        // A row is sent when it passed: update (found on the level) or create.
        let checked = match existing {
            Some(stored) => check_edit(stored, &row.form, at.level, &siblings),
            None => {
                let mut form = row.form.clone();
                let mut reasons = Vec::new();
                if !row.parent.is_empty() {
                    match parents
                        .iter()
                        .find(|p| p.external_reference.as_deref() == Some(row.parent.as_str()))
                    {
                        Some(p) => form.parent_id = p.id.clone(),
                        None => reasons.push(format!(
                            "parent: no definition with external reference '{}' on level {}",
                            row.parent,
                            at.level.saturating_sub(1)
                        )),
                    }
                }
                if reasons.is_empty() {
                    check_form(
                        &form,
                        &CheckContext {
                            level: at.level,
                            siblings: &siblings,
                            editing: None,
                            creating: true,
                        },
                    )
                } else {
                    Err(AppError {
                        code: timebridge_core::ErrorCode::Validation,
                        message: "The row cannot be sent".into(),
                        reasons,
                    })
                }
            }
        };
        match checked {
            Ok(input) => ready.push((row, input, existing)),
            Err(e) => report
                .rows
                .push(refused(row.line, &row.external_reference, e.reasons)),
        }
    }
    // One row at a time: a row whose answer was lost is resolved by reading back before the next
    // row is sent, and is never sent twice.
    for (row, input, existing) in ready {
        let def = DefinitionRef::External {
            name: "@external-reference".into(),
            value: row.external_reference.clone(),
        };
        let outcome = |outcome: &str, reasons: Vec<String>| RowOutcome {
            line: row.line,
            external_reference: row.external_reference.clone(),
            outcome: outcome.into(),
            reasons,
        };
        let done = admin
            .put(
                "Upsert activity definition (CSV)",
                at,
                &def,
                &input,
                existing,
            )
            .await;
        report.rows.push(match done {
            Ok(w) => match (w.value, w.how) {
                (Upserted::Created { .. }, How::FoundAfterUncertain) => outcome(
                    FOUND_AFTER_UNCERTAIN,
                    vec!["Protime did not answer, but reading back found the definition; not sent again".into()],
                ),
                (Upserted::Created { .. }, How::SentAgain) => outcome(
                    CREATED,
                    vec!["sent again after two read-backs found nothing".into()],
                ),
                (Upserted::Created { .. }, _) => outcome(CREATED, Vec::new()),
                (Upserted::Updated, How::FoundAfterUncertain) => outcome(
                    UPDATED,
                    vec!["Protime did not answer, but reading back shows the change; not sent again".into()],
                ),
                (Upserted::Updated, _) => outcome(UPDATED, Vec::new()),
            },
            Err(f) => {
                let mut reasons = vec![f.error.message.clone()];
                reasons.extend(f.error.reasons);
                outcome(if f.uncertain { UNCERTAIN } else { REFUSED }, reasons)
            }
        });
    }
    report.rows.sort_by_key(|r| r.line);
    report.created = report.count(CREATED) + report.count(FOUND_AFTER_UNCERTAIN);
    report.updated = report.count(UPDATED);
    report.refused = report.count(REFUSED);
    Ok(report)
}
