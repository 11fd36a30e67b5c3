use super::csv::{parse, upsert_all};
use super::*;
use timebridge_sandbox::{RunningSandbox, SandboxConfig};

mod dates;
mod uncertain;

const V: &str = "b2347a7a-d60d-446f-b03b-7es2cc8c3281";
const ACME_BE: &str = "a7d853ea-89eb-4735-83d1-b891c6fde398";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn def(id: &str, dec: &str, ext: &str) -> ActivityDefinition {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": {"default": format!("Def {id}")},
        "dataEntryCode": dec, "externalReference": ext
    }))
    .unwrap()
}

fn form(name: &str) -> DefinitionForm {
    DefinitionForm {
        name: name.into(),
        ..Default::default()
    }
}

// ------------------------------------------------------------------ unit tests

#[test]
fn active_state_relative_to_a_date() {
    let on = day("2025-03-01");
    assert!(is_active(None, None, on));
    assert!(is_active(
        Some(day("2025-03-01")),
        Some(day("2025-03-01")),
        on
    ));
    assert!(!is_active(Some(day("2025-03-02")), None, on));
    assert!(!is_active(None, Some(day("2025-02-28")), on));
}

#[test]
fn form_checks_list_every_reason() {
    let siblings = vec![def("a", "00001", "EXT-1")];
    let mut f = form("  ");
    f.data_entry_code = "00001".into();
    f.external_reference = "X".repeat(17);
    f.active_from = "2025-02-01".into();
    f.active_until = "2025-01-01".into();
    let e = check_form(
        &f,
        &CheckContext {
            level: 2,
            siblings: &siblings,
            editing: None,
            creating: true,
        },
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    let all = e.reasons.join("\n");
    assert!(all.contains("name is required"), "{all}");
    assert!(all.contains("17 characters"), "{all}");
    assert!(all.contains("'00001' is already used"), "{all}");
    assert!(all.contains("before 'active from'"), "{all}");
    // No parent below the first level is allowed (the seed makes it optional).
    assert!(!all.contains("parent"), "{all}");
    assert_eq!(e.reasons.len(), 4);
}

#[test]
fn editing_excludes_itself_from_uniqueness_and_keeps_the_parent() {
    let mut stored = def("a", "00001", "EXT-1");
    stored.parent = Some(Ref::id("p".to_string()));
    let siblings = vec![stored.clone(), def("b", "00002", "EXT-2")];
    let mut f = form_of(&stored);
    f.parent_id.clear();
    let input = check_edit(&stored, &f, 2, &siblings).unwrap();
    assert_eq!(input.parent, Some(Ref::id("p".to_string())));
    assert_eq!(input.data_entry_code.as_deref(), Some("00001"));
    f.parent_id = "other".into();
    let e = check_edit(&stored, &f, 2, &siblings).unwrap_err();
    assert!(e.reasons[0].contains("use Move"));
    f.parent_id.clear();
    f.external_reference = "EXT-2".into();
    assert!(check_edit(&stored, &f, 2, &siblings).is_err());
}

#[test]
fn first_level_refuses_a_parent_and_translations_are_trimmed() {
    let mut f = form("Cleaning");
    f.parent_id = "x".into();
    let ctx = CheckContext {
        level: 1,
        siblings: &[],
        editing: None,
        creating: true,
    };
    assert!(check_form(&f, &ctx).unwrap_err().reasons[0].contains("first level"));
    f.parent_id.clear();
    f.translations.insert("nl".into(), " Schoonmaken ".into());
    f.translations.insert("fr".into(), "  ".into());
    let input = check_form(&f, &ctx).unwrap();
    assert_eq!(input.name.translations.len(), 1);
    assert_eq!(input.name.translations["nl"], "Schoonmaken");
    assert_eq!(input.short_code, None);
}

#[test]
fn diff_shows_changed_fields_only() {
    let mut a = form("Cleaning");
    a.translations.insert("nl".into(), "Schoonmaken".into());
    a.info = "old".into();
    let mut b = a.clone();
    b.info = String::new();
    b.translations.insert("fr".into(), "Nettoyer".into());
    let d = diff(&a, &b);
    assert_eq!(
        d,
        vec![
            FieldChange {
                field: "name_fr".into(),
                before: "".into(),
                after: "Nettoyer".into()
            },
            FieldChange {
                field: "info".into(),
                before: "old".into(),
                after: "".into()
            },
        ]
    );
    assert!(diff(&a, &a).is_empty());
}

#[test]
fn usage_overlap_rules() {
    let u = |from: &str, until: Option<&str>| Usage {
        activity_usage_kind: UsageKind::Person,
        usage_reference: Ref::id(1),
        from: day(from),
        until: until.map(day),
    };
    assert!(overlaps(&u("2025-01-01", None), &u("2030-01-01", None)));
    assert!(overlaps(
        &u("2025-01-01", Some("2025-01-31")),
        &u("2025-01-31", None)
    ));
    assert!(!overlaps(
        &u("2025-01-01", Some("2025-01-31")),
        &u("2025-02-01", None)
    ));
    let mut other = u("2025-01-01", None);
    other.usage_reference = Ref::id(2);
    assert!(!overlaps(&u("2025-01-01", None), &other));
    let e = usage_of(&UsageForm {
        kind: "Team".into(),
        reference: "abc".into(),
        reference_name: String::new(),
        from: String::new(),
        until: "x".into(),
    })
    .unwrap_err();
    assert_eq!(e.reasons.len(), 4, "{:?}", e.reasons);
}

#[test]
fn restriction_changes_per_combination_and_level() {
    let row = |level: u32, ids: &[&str]| RestrictionRow {
        level,
        ids: ids.iter().map(|s| s.to_string()).collect(),
    };
    let cur = vec![vec![row(2, &["a", "b"])]];
    let new = vec![
        vec![row(2, &["b", "c"])],
        vec![row(1, &["x"]), row(3, &["y"])],
    ];
    let change =
        |combination: u32, level: u32, added: &[&str], removed: &[&str]| RestrictionChange {
            combination,
            level,
            added: added.iter().map(|s| s.to_string()).collect(),
            removed: removed.iter().map(|s| s.to_string()).collect(),
        };
    assert_eq!(
        restriction_changes(&cur, &new),
        vec![
            change(1, 2, &["c"], &["a"]),
            change(2, 1, &["x"], &[]),
            change(2, 3, &["y"], &[]),
        ]
    );
    // Dropping the second combination removes all of it; the same set changes nothing.
    assert_eq!(
        restriction_changes(&new, &cur),
        vec![
            change(1, 2, &["a"], &["c"]),
            change(2, 1, &[], &["x"]),
            change(2, 3, &[], &["y"]),
        ]
    );
    assert!(restriction_changes(&new, &new).is_empty());
}

#[test]
fn tree_is_depth_first_with_orphans_last() {
    let row = |id: &str, level: u32, parent: Option<&str>| DefinitionRow {
        id: id.into(),
        level,
        name: id.into(),
        translations: BTreeMap::new(),
        parent_id: parent.map(str::to_string),
        short_code: None,
        data_entry_code: None,
        external_reference: None,
        info: None,
        active_from: None,
        active_until: None,
        active: true,
    };
    let t = build_tree(&[
        vec![row("A", 1, None), row("B", 1, None)],
        vec![
            row("b1", 2, Some("B")),
            row("a1", 2, Some("A")),
            row("x", 2, Some("gone")),
        ],
    ]);
    let ids: Vec<(&str, u32)> = t.iter().map(|r| (r.row.id.as_str(), r.depth)).collect();
    assert_eq!(
        ids,
        vec![("A", 0), ("a1", 1), ("B", 0), ("b1", 1), ("x", 1)]
    );
}

#[test]
fn csv_file_checks_name_line_and_column() {
    let plan = parse(
        "externalReference;name;name_nl;dataEntryCode;activeFrom;activeUntil;parent\n\
         NEW-1;New one;Nieuw;D1;2025-01-01;;ACM-1\n\
         ;No key;;;;;\n\
         NEW-1;Dup;;D1;2025-05-01;2025-04-01;\n\
         THIS-IS-MUCH-TOO-LONG;Long;;;nope;;\n",
    );
    assert_eq!(plan.rows.len(), 1);
    assert_eq!(plan.rows[0].form.translations["nl"], "Nieuw");
    assert_eq!(plan.rows[0].parent, "ACM-1");
    let errs: Vec<String> = plan.errors.iter().map(|e| e.to_string()).collect();
    let all = errs.join("\n");
    assert!(all.contains("line 3, column externalReference"), "{all}");
    assert!(
        all.contains("line 4, column externalReference: 'NEW-1' is already on line 2"),
        "{all}"
    );
    assert!(all.contains("line 4, column dataEntryCode"), "{all}");
    assert!(all.contains("line 4, column activeUntil"), "{all}");
    assert!(
        all.contains("line 5, column externalReference: 'THIS-IS-MUCH-TOO-LONG' has 21"),
        "{all}"
    );
    assert!(all.contains("line 5, column activeFrom"), "{all}");
    let bad = parse("key,name\nA,B\n");
    assert!(bad.errors[0].message.contains("Unknown column 'key'"));
    assert!(parse("").errors[0].message.contains("empty"));
}

// ------------------------------------------------------ contract tests (sandbox over HTTP)

struct Env {
    sandbox: RunningSandbox,
    client: ProtimeClient,
    log: timebridge_core::audit::AuditLog,
    _dir: tempfile::TempDir,
}

impl Env {
    async fn new() -> Self {
        let sandbox = timebridge_sandbox::start(
            0,
            SandboxConfig {
                seed: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let (client, _) =
            timebridge_core::workspace::clients_for_sandbox_url(&sandbox.base_url()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let log = timebridge_core::audit::AuditLog::open(&dir.path().join("audit.sqlite")).unwrap();
        Self {
            sandbox,
            client,
            log,
            _dir: dir,
        }
    }
    fn admin(&self) -> Admin<'_> {
        Admin::new(
            &self.client,
            Some(Audit {
                log: &self.log,
                profile_id: "sandbox",
            }),
        )
    }
    fn stored(&self, id: &str) -> serde_json::Value {
        self.sandbox
            .protime
            .activity_definitions()
            .into_iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("no definition {id} in the sandbox"))
    }
    fn audit(&self) -> Vec<timebridge_core::audit::AuditEntry> {
        self.log.audit("sandbox", 100).unwrap()
    }
}

fn at(level: u32) -> LevelPath {
    LevelPath::new(V, level)
}

#[tokio::test]
async fn browse_structure_list_tree_and_detail() {
    let env = Env::new().await;
    let admin = env.admin();
    let s = admin.structures().await.unwrap();
    assert_eq!(s[0].id, V);
    let names: Vec<&str> = s[0].levels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Company", "Department", "Task"]);
    let list = admin.list(&at(1), day("2025-06-01")).await.unwrap();
    assert!(list.len() >= 3);
    assert!(list
        .windows(2)
        .all(|w| w[0].name.to_lowercase() <= w[1].name.to_lowercase()));
    let tree = admin.tree(V, &[1, 2, 3], day("2025-06-01")).await.unwrap();
    assert_eq!(tree[0].depth, 0);
    for (i, r) in tree.iter().enumerate().skip(1) {
        if r.depth > 0 {
            // A child comes after its parent.
            let parent = r.row.parent_id.as_deref().unwrap();
            assert!(tree[..i].iter().any(|p| p.row.id == parent));
        }
    }
    let child = tree.iter().find(|r| r.depth == 1).unwrap();
    let d = admin
        .detail(&at(2), &child.row.id, day("2025-06-01"))
        .await
        .unwrap();
    assert_eq!(d.row.id, child.row.id);
    let e = admin
        .detail(
            &at(1),
            "00000000-0000-0000-0000-000000000000",
            day("2025-06-01"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn create_edit_deactivate_and_move_with_audit() {
    let env = Env::new().await;
    let admin = env.admin();
    let mut parent = form("Timebridge Co");
    parent.external_reference = "TB-CO".into();
    parent.data_entry_code = "TB001".into();
    parent
        .translations
        .insert("nl".into(), "Timebridge Bedrijf".into());
    let pid = admin.create(&at(1), &parent).await.unwrap();
    assert_eq!(env.stored(&pid)["externalReference"], "TB-CO");
    assert_eq!(
        env.stored(&pid)["name"]["translations"]["nl"],
        "Timebridge Bedrijf"
    );

    let mut child = form("Timebridge Dept");
    child.external_reference = "TB-DEPT".into();
    child.info = "first".into();
    child.short_code = "TBD".into();
    // Below the first level the parent is optional (the seed): created without one.
    let mut orphan = form("Timebridge Free Dept");
    orphan.external_reference = "TB-FREE".into();
    let oid = admin.create(&at(2), &orphan).await.unwrap();
    assert!(env.stored(&oid).get("parent").is_none());
    child.parent_id = pid.clone();
    let cid = admin.create(&at(2), &child).await.unwrap();
    assert_eq!(env.stored(&cid)["parent"]["id"], pid.as_str());

    // The same definition again (same external reference, name and parent) is read back, not sent
    // twice; another one with its external reference is refused against the loaded list.
    let again = admin.create_outcome(&at(1), &parent).await.unwrap();
    assert_eq!(
        (again.value.as_str(), again.how),
        (pid.as_str(), How::AlreadyThere)
    );
    let mut other = parent.clone();
    other.name = "Another company".into();
    let e = admin.create(&at(1), &other).await.unwrap_err();
    assert!(e
        .reasons
        .iter()
        .any(|r| r.contains("'TB-CO' is already used")));

    // Edit: preview then save; the parent stays.
    let mut edited = form_of(&admin.stored(&at(2), &cid).await.unwrap());
    assert_eq!(edited.info, "first");
    edited.info = String::new();
    edited.name = "Timebridge Department".into();
    let preview = admin.edit_preview(&at(2), &cid, &edited).await.unwrap();
    let fields: Vec<&str> = preview.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["name", "info"]);
    let done = admin.edit(&at(2), &cid, &edited).await.unwrap();
    assert_eq!(done, preview);
    let s = env.stored(&cid);
    assert_eq!(s["name"]["default"], "Timebridge Department");
    assert!(s.get("info").is_none_or(|v| v.is_null() || v == ""));
    assert_eq!(s["parent"]["id"], pid.as_str());
    assert_eq!(s["shortCode"], "TBD");

    // The parent cannot change by edit.
    let mut wrong = edited.clone();
    wrong.parent_id = ACME_BE.into();
    let e = admin.edit(&at(2), &cid, &wrong).await.unwrap_err();
    assert!(e.message.contains("parent cannot be changed"));

    // Deactivate: until before from is refused locally.
    let mut dated = edited.clone();
    dated.active_from = "2025-01-01".into();
    admin.edit(&at(2), &cid, &dated).await.unwrap();
    let e = admin
        .deactivate(&at(2), &cid, day("2024-12-31"))
        .await
        .unwrap_err();
    assert!(e.reasons[0].contains("before"));
    let ch = admin
        .deactivate(&at(2), &cid, day("2025-06-30"))
        .await
        .unwrap();
    assert_eq!(ch[0].field, "activeUntil");
    assert_eq!(env.stored(&cid)["activeUntil"], "2025-06-30");
    assert_eq!(env.stored(&cid)["shortCode"], "TBD");

    // Move: the new one needs codes of its own.
    let mut moved = edited.clone();
    moved.parent_id = ACME_BE.into();
    let e = admin
        .move_definition(&at(2), &cid, day("2025-07-31"), &moved)
        .await
        .unwrap_err();
    assert!(e.message.contains("codes of its own"), "{e}");
    moved.external_reference = "TB-DEPT-2".into();
    moved.data_entry_code = String::new();
    let m = admin
        .move_definition(&at(2), &cid, day("2025-07-31"), &moved)
        .await
        .unwrap();
    assert_eq!(env.stored(&cid)["activeUntil"], "2025-07-31");
    let n = env.stored(&m.new_id);
    assert_eq!(n["parent"]["id"], ACME_BE);
    assert_eq!(n["activeFrom"], "2025-08-01");

    // Unknown internal id → 404 from the server.
    let e = admin
        .edit(&at(2), "00000000-0000-0000-0000-000000000000", &edited)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);

    let audit = env.audit();
    let actions: Vec<&str> = audit.iter().rev().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "Create activity definition",
            "Create activity definition",
            "Create activity definition",
            "Create activity definition",
            "Edit activity definition",
            "Edit activity definition",
            "Deactivate activity definition",
            "Create activity definition",
            "Move activity definition (end the old one)",
        ]
    );
    assert!(audit.iter().all(|a| a.outcome != "Refused"));
    assert_eq!(
        audit.last().unwrap().remote_id.as_deref(),
        Some(pid.as_str())
    );
    assert!(audit
        .last()
        .unwrap()
        .request
        .starts_with("POST /activity-structure-versions/"));
}

#[tokio::test]
async fn upsert_by_external_reference_creates_then_updates() {
    let env = Env::new().await;
    let admin = env.admin();
    let mut f = form("Upserted");
    f.parent_id = ACME_BE.into();
    let out = admin
        .upsert(&at(2), "@external-reference", "UP-1", &f)
        .await
        .unwrap();
    assert!(out.created);
    let id = out.id.clone().unwrap();
    assert_eq!(env.stored(&id)["externalReference"], "UP-1");
    f.name = "Upserted again".into();
    f.parent_id.clear();
    let out = admin
        .upsert(&at(2), "@external-reference", "UP-1", &f)
        .await
        .unwrap();
    assert_eq!(
        out,
        UpsertOutcome {
            created: false,
            id: Some(id.clone())
        }
    );
    assert_eq!(env.stored(&id)["name"]["default"], "Upserted again");
    // By data entry code.
    let dec = env.stored(&id)["dataEntryCode"]
        .as_str()
        .unwrap()
        .to_string();
    let mut g = form("By code");
    g.external_reference = "UP-1".into();
    let out = admin
        .upsert(&at(2), "@data-entry-code", &dec, &g)
        .await
        .unwrap();
    assert!(!out.created);
    assert_eq!(env.stored(&id)["name"]["default"], "By code");
    // A custom reference: created on level 2 without a parent (optional, as the seed says).
    let out = admin
        .upsert(
            &at(2),
            "CustomActivityReference",
            "CAR-NEW",
            &form("Custom"),
        )
        .await
        .unwrap();
    assert!(out.created);
    assert!(env
        .stored(out.id.as_deref().unwrap())
        .get("parent")
        .is_none());
    // Server refusal passes its reasons through: an unknown parent.
    let mut h = form("Orphan");
    h.parent_id = "00000000-0000-0000-0000-000000000000".into();
    let e = admin
        .upsert(&at(2), "@external-reference", "UP-2", &h)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let audit = env.audit();
    assert_eq!(audit.iter().filter(|a| a.outcome == "Refused").count(), 1);
    assert_eq!(audit.iter().filter(|a| a.outcome == "Created").count(), 2);
    assert_eq!(audit.iter().filter(|a| a.outcome == "Updated").count(), 2);
}

#[tokio::test]
async fn usages_add_edit_delete_with_overlap_checks() {
    let env = Env::new().await;
    let admin = env.admin();
    let mut f = form("Usage host");
    f.external_reference = "USE-1".into();
    let id = admin.create(&at(1), &f).await.unwrap();
    let u = UsageForm {
        kind: "Person".into(),
        reference: "76547".into(),
        reference_name: String::new(),
        from: "2025-01-01".into(),
        until: "2025-03-31".into(),
    };
    let rows = admin.add_usage(&at(1), &id, &u).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].until.as_deref(), Some("2025-03-31"));
    // Overlap refused before the call.
    let before = env.sandbox.protime.received().len();
    let e = admin
        .add_usage(
            &at(1),
            &id,
            &UsageForm {
                from: "2025-03-01".into(),
                until: String::new(),
                ..u.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(e.message.contains("overlaps"));
    let posts = env.sandbox.protime.received()[before..]
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 0);
    // A second, later one.
    let later = UsageForm {
        from: "2025-05-01".into(),
        until: String::new(),
        ..u.clone()
    };
    admin.add_usage(&at(1), &id, &later).await.unwrap();
    // Edit the first: stretching it into the second is refused, shortening works.
    let e = admin
        .update_usage(
            &at(1),
            &id,
            &rows[0],
            &UsageForm {
                until: "2025-05-15".into(),
                ..u.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(e.message.contains("overlaps"));
    let rows = admin
        .update_usage(
            &at(1),
            &id,
            &rows[0],
            &UsageForm {
                until: "2025-02-28".into(),
                ..u.clone()
            },
        )
        .await
        .unwrap();
    assert!(rows
        .iter()
        .any(|r| r.until.as_deref() == Some("2025-02-28")));
    // A stale row is refused.
    let stale = UsageRow {
        kind: "Person".into(),
        reference: "76547".into(),
        reference_name: None,
        from: "2025-01-01".into(),
        until: Some("2025-03-31".into()),
    };
    let e = admin
        .update_usage(&at(1), &id, &stale, &u)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    // Delete: the server refuses an unknown usage with 404.
    let e = admin.delete_usage(&at(1), &id, &stale).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let first = rows
        .iter()
        .find(|r| r.until.as_deref() == Some("2025-02-28"))
        .unwrap()
        .clone();
    let rows = admin.delete_usage(&at(1), &id, &first).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].from, "2025-05-01");
    assert_eq!(env.stored(&id)["id"], id.as_str());
    let actions: Vec<(String, String)> = env
        .audit()
        .iter()
        .rev()
        .map(|a| (a.action.clone(), a.outcome.clone()))
        .collect();
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        actions,
        [
            s("Create activity definition", "Created"),
            s("Add activity usage", "Created"),
            s("Add activity usage", "Created"),
            s("Edit activity usage", "Updated"),
            s("Delete activity usage", "Refused"),
            s("Delete activity usage", "Deleted"),
        ]
    );
}

#[tokio::test]
async fn restrictions_preview_and_save_the_full_set() {
    let env = Env::new().await;
    let admin = env.admin();
    let l2 = admin.list(&at(2), day("2025-01-01")).await.unwrap();
    let l3 = admin.list(&at(3), day("2025-01-01")).await.unwrap();
    let first = &l2[0].id;
    // Two combinations: (level 1 ACME_BE and level 3 one of two), or level 3 the third alone.
    let set = vec![
        vec![
            RestrictionRow {
                level: 1,
                ids: vec![ACME_BE.into()],
            },
            RestrictionRow {
                level: 3,
                ids: vec![l3[0].id.clone(), l3[1].id.clone()],
            },
        ],
        vec![RestrictionRow {
            level: 3,
            ids: vec![l3[2].id.clone()],
        }],
    ];
    let levels = [1, 2, 3];
    let current = admin.restrictions(&at(2), first).await.unwrap();
    let preview = admin
        .restrictions_preview(&at(2), first, &levels, &set)
        .await
        .unwrap();
    assert_eq!(preview, restriction_changes(&current, &set));
    let done = admin
        .set_restrictions(&at(2), first, &levels, &set)
        .await
        .unwrap();
    assert_eq!(done, preview);
    let after = admin.restrictions(&at(2), first).await.unwrap();
    assert_eq!(after, set, "read back as two combinations, as saved");
    // Refused locally: own level, unknown level, unknown id, a level twice, an empty combination.
    let bad = vec![
        vec![
            RestrictionRow {
                level: 2,
                ids: vec![first.clone()],
            },
            RestrictionRow {
                level: 7,
                ids: vec!["x".into()],
            },
            RestrictionRow {
                level: 3,
                ids: vec!["nope".into()],
            },
        ],
        vec![
            RestrictionRow {
                level: 3,
                ids: vec![l3[0].id.clone()],
            },
            RestrictionRow {
                level: 3,
                ids: vec![l3[1].id.clone()],
            },
        ],
        vec![RestrictionRow {
            level: 1,
            ids: vec![],
        }],
    ];
    let e = admin
        .set_restrictions(&at(2), first, &levels, &bad)
        .await
        .unwrap_err();
    assert_eq!(e.reasons.len(), 5, "{:?}", e.reasons);
    assert!(e
        .reasons
        .iter()
        .any(|r| r.starts_with("Combination 2: level 3 appears twice")));
    assert!(e
        .reasons
        .iter()
        .any(|r| r.starts_with("Combination 3 has no definitions")));
    // Clearing the set.
    admin
        .set_restrictions(&at(2), first, &levels, &[])
        .await
        .unwrap();
    assert!(admin.restrictions(&at(2), first).await.unwrap().is_empty());
    assert_eq!(
        env.audit()
            .iter()
            .filter(|a| a.action == "Set activity restrictions")
            .count(),
        2
    );
}

#[tokio::test]
async fn csv_bulk_upsert_counts_created_updated_refused() {
    let env = Env::new().await;
    let admin = env.admin();
    let l1 = admin.raw_list(&at(1)).await.unwrap();
    let parent_ref = l1[0].external_reference.clone().unwrap();
    let taken_dec = admin.raw_list(&at(2)).await.unwrap()[0]
        .data_entry_code
        .clone()
        .unwrap();
    let text = format!(
        "externalReference,name,name_nl,name_fr,dataEntryCode,activeFrom,parent\n\
         CSV-1,Csv one,Csv een,Csv un,,2025-01-01,{parent_ref}\n\
         CSV-2,Csv two,,,{taken_dec},,{parent_ref}\n\
         CSV-3,Csv three,,,,,NOPE\n\
         CSV-4,Csv four,,,,,\n\
         ,No key,,,,,\n"
    );
    let plan = parse(&text);
    let report = upsert_all(&admin, &at(2), &plan).await.unwrap();
    assert_eq!(
        (report.created, report.updated, report.refused),
        (2, 0, 3),
        "{report:?}"
    );
    let why = |line: u32| {
        report
            .rows
            .iter()
            .find(|r| r.line == line)
            .unwrap()
            .reasons
            .join("; ")
    };
    assert!(why(3).contains("already used"), "{}", why(3));
    assert!(why(4).contains("no definition with external reference 'NOPE'"));
    // Line 5 has no parent: optional, so it is created.
    assert!(report
        .rows
        .iter()
        .all(|r| r.line != 5 || r.reasons.is_empty()));
    assert!(why(6).contains("externalReference"));
    let created = env
        .sandbox
        .protime
        .activity_definitions()
        .into_iter()
        .find(|d| d["externalReference"] == "CSV-1")
        .unwrap();
    assert_eq!(created["name"]["translations"]["fr"], "Csv un");
    assert_eq!(created["parent"]["id"], l1[0].id.as_str());
    // Second run updates.
    let again = parse("externalReference,name\nCSV-1,Csv one renamed\n");
    let report = upsert_all(&admin, &at(2), &again).await.unwrap();
    assert_eq!((report.created, report.updated, report.refused), (0, 1, 0));
    assert_eq!(
        env.stored(created["id"].as_str().unwrap())["name"]["default"],
        "Csv one renamed"
    );
    assert_eq!(
        env.audit()
            .iter()
            .filter(|a| a.action == "Upsert activity definition (CSV)")
            .count(),
        3
    );
}
