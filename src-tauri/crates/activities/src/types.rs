//! What the screens and the command line exchange with the admin: rows, forms, outcomes.

use crate::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct LevelInfo {
    pub level: u32,
    pub name: String,
}

/// A structure version and its level names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StructureInfo {
    pub id: String,
    pub name: String,
    pub levels: Vec<LevelInfo>,
}

/// One definition as the screens show it; dates are `YYYY-MM-DD`, `active` is relative to the date
/// the list was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DefinitionRow {
    pub id: String,
    pub level: u32,
    pub name: String,
    pub translations: BTreeMap<String, String>,
    pub parent_id: Option<String>,
    pub short_code: Option<String>,
    pub data_entry_code: Option<String>,
    pub external_reference: Option<String>,
    pub info: Option<String>,
    pub active_from: Option<String>,
    pub active_until: Option<String>,
    pub active: bool,
}

/// A row of the tree: depth 0 is the first level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct TreeRow {
    pub depth: u32,
    pub row: DefinitionRow,
}

/// A usage as the table shows it: `reference` is the person/group/circle id, or the value of the
/// custom external reference `reference_name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UsageRow {
    pub kind: String,
    pub reference: String,
    pub reference_name: Option<String>,
    pub from: String,
    pub until: Option<String>,
}

/// A usage as typed in the form; empty `until` is open-ended, empty `reference_name` means an id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UsageForm {
    pub kind: String,
    pub reference: String,
    pub reference_name: String,
    pub from: String,
    pub until: String,
}

/// The definitions of one other level this definition may be combined with, inside one combination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RestrictionRow {
    pub level: u32,
    pub ids: Vec<String>,
}

/// A definition's restrictions: the allowed combinations (Protime's `[[{levelIndex, …}, …], …]`).
/// A booking is allowed when one combination matches: every level restriction in it holds.
pub type RestrictionSet = Vec<Vec<RestrictionRow>>;

/// What saving a restriction set changes in one combination (1-based, in order) on one level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RestrictionChange {
    pub combination: u32,
    pub level: u32,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// A definition with its usages and restrictions (`?expand=usage,restrictions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DefinitionDetail {
    pub row: DefinitionRow,
    pub can_configure_restrictions: Option<bool>,
    pub usages: Vec<UsageRow>,
    pub restrictions: RestrictionSet,
}

/// The create/edit form. Empty strings are "not set"; dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DefinitionForm {
    pub name: String,
    pub translations: BTreeMap<String, String>,
    pub short_code: String,
    pub data_entry_code: String,
    pub external_reference: String,
    pub info: String,
    pub active_from: String,
    pub active_until: String,
    /// The parent at the level above; only used when creating.
    pub parent_id: String,
}

/// One field that an edit changes (`before`/`after` empty when not set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct UpsertOutcome {
    pub created: bool,
    pub id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct MoveOutcome {
    pub new_id: String,
    pub ended_on: String,
}

/// Where writes are recorded.
#[derive(Clone, Copy)]
pub struct Audit<'a> {
    pub log: &'a dyn AuditDb,
    pub profile_id: &'a str,
}

/// Which level of which activity structure version a screen works on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct LevelAt {
    pub structure_version: String,
    pub level: u32,
}

impl LevelAt {
    pub fn path(&self) -> LevelPath {
        LevelPath::new(&self.structure_version, self.level)
    }
}

/// One definition: the level it sits on and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DefinitionAt {
    pub structure_version: String,
    pub level: u32,
    pub id: String,
}

impl DefinitionAt {
    pub fn path(&self) -> LevelPath {
        LevelPath::new(&self.structure_version, self.level)
    }
}

/// An external reference that names a definition, e.g. `CustomActivityReference` = `PRJ-7`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReferenceKey {
    pub name: String,
    pub value: String,
}
