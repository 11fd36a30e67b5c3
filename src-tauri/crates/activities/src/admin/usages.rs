//! Usages and restrictions of a definition: read, add, update, delete, preview and save.

use crate::*;

/// What one kind of usage write is called in the audit log, and how it goes out.
struct UsageWrite {
    action: &'static str,
    method: &'static str,
    /// The audit outcome when it landed.
    outcome: &'static str,
    /// What a read-back that finds it says.
    found_text: &'static str,
}

const ADD_USAGE: UsageWrite = UsageWrite {
    action: "Add activity usage",
    method: "POST",
    outcome: "Created",
    found_text: "found in Protime",
};
const EDIT_USAGE: UsageWrite = UsageWrite {
    action: "Edit activity usage",
    method: "PUT",
    outcome: "Updated",
    found_text: "the change is visible in Protime",
};
const DELETE_USAGE: UsageWrite = UsageWrite {
    action: "Delete activity usage",
    method: "DELETE",
    outcome: "Deleted",
    found_text: "the usage is gone from Protime",
};

impl UsageWrite {
    /// The request as the audit log records it.
    fn request(&self, at: &LevelPath, id: &str, body: &impl Serialize) -> String {
        let def = DefinitionRef::Id(id.to_string());
        format!(
            "{} {} {}",
            self.method,
            path_of(at, Some(&def), "/usages"),
            body_text(body)
        )
    }
}

impl Admin<'_> {
    // ------------------------------------------------------------------ usages

    pub async fn usages(&self, at: &LevelPath, id: &str) -> Result<Vec<UsageRow>, AppError> {
        Ok(self
            .client
            .usages(at, &DefinitionRef::Id(id.to_string()))
            .await?
            .usages
            .iter()
            .map(usage_row)
            .collect())
    }

    pub(crate) async fn stored_usages(
        &self,
        at: &LevelPath,
        id: &str,
    ) -> Result<Vec<Usage>, AppError> {
        Ok(self
            .client
            .usages(at, &DefinitionRef::Id(id.to_string()))
            .await?
            .usages)
    }

    /// `POST` a usage after checking it overlaps no usage of the same kind and reference.
    pub async fn add_usage(
        &self,
        at: &LevelPath,
        id: &str,
        form: &UsageForm,
    ) -> Result<Vec<UsageRow>, AppError> {
        let new = usage_of(form)?;
        let current = self.stored_usages(at, id).await?;
        let request = ADD_USAGE.request(at, id, &new);
        // Read back before posting: a POST adds a usage each time it lands.
        if current.contains(&new) {
            self.audit_row(
                ADD_USAGE.action,
                &format!("{request} (not sent)"),
                ADD_USAGE.outcome,
                Some(id),
                Some("this usage is already stored in Protime, saved by an earlier send; not sent again"),
            );
            return self.usages(at, id).await;
        }
        if let Some(c) = current.iter().find(|c| overlaps(c, &new)) {
            return Err(overlap_error(&new, c));
        }
        let (def, new) = (&DefinitionRef::Id(id.to_string()), &new);
        self.write_usage(
            at,
            id,
            &ADD_USAGE,
            request,
            move || self.client.add_usage(at, def, new),
            move || async move {
                Ok::<_, AppError>(
                    self.stored_usages(at, id)
                        .await?
                        .contains(new)
                        .then_some(()),
                )
            },
        )
        .await
    }

    /// `PUT` a usage: `originalFrom`/`originalUntil` from the stored row, `updatedFrom`/`updatedUntil`
    /// from the form (kind and reference cannot change; delete and add instead).
    pub async fn update_usage(
        &self,
        at: &LevelPath,
        id: &str,
        original: &UsageRow,
        form: &UsageForm,
    ) -> Result<Vec<UsageRow>, AppError> {
        let old = usage_of_row(original)?;
        let new = usage_of(form)?;
        if new.activity_usage_kind != old.activity_usage_kind
            || new.usage_reference != old.usage_reference
        {
            return Err(refused(
                "The usage cannot be changed this way",
                vec![
                    "Kind and reference of a usage cannot change; delete it and add a new one"
                        .into(),
                ],
            ));
        }
        let current = self.stored_usages(at, id).await?;
        if !current.contains(&old) {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "This usage is no longer stored as shown; reload the usages",
            ));
        }
        if let Some(c) = current.iter().find(|c| **c != old && overlaps(c, &new)) {
            return Err(overlap_error(&new, c));
        }
        let update = UsageUpdate {
            activity_usage_kind: old.activity_usage_kind.clone(),
            usage_reference: old.usage_reference.clone(),
            original_from: old.from,
            original_until: old.until,
            updated_from: new.from,
            updated_until: new.until,
        };
        let request = EDIT_USAGE.request(at, id, &update);
        let (def, update, old, new) = (&DefinitionRef::Id(id.to_string()), &update, &old, &new);
        self.write_usage(
            at,
            id,
            &EDIT_USAGE,
            request,
            move || self.client.update_usage(at, def, update),
            move || async move {
                let now = self.stored_usages(at, id).await?;
                Ok::<_, AppError>(
                    (now.contains(new) && (old == new || !now.contains(old))).then_some(()),
                )
            },
        )
        .await
    }

    /// `DELETE` a usage (the usage as JSON body).
    pub async fn delete_usage(
        &self,
        at: &LevelPath,
        id: &str,
        original: &UsageRow,
    ) -> Result<Vec<UsageRow>, AppError> {
        let old = usage_of_row(original)?;
        let request = DELETE_USAGE.request(at, id, &old);
        let (def, old) = (&DefinitionRef::Id(id.to_string()), &old);
        self.write_usage(
            at,
            id,
            &DELETE_USAGE,
            request,
            move || self.client.delete_usage(at, def, old),
            move || async move {
                Ok::<_, AppError>((!self.stored_usages(at, id).await?.contains(old)).then_some(()))
            },
        )
        .await
    }

    /// One usage write sent through the read-back path (an answer lost on the way is settled by
    /// reading the usages, so nothing lands twice), answered with the usages as they are now.
    async fn write_usage<S, SF, P, PF>(
        &self,
        at: &LevelPath,
        id: &str,
        kind: &'static UsageWrite,
        request: String,
        send: S,
        probe: P,
    ) -> Result<Vec<UsageRow>, AppError>
    where
        S: FnMut() -> SF,
        SF: std::future::Future<Output = Result<(), timebridge_protime::Error>>,
        P: FnMut() -> PF,
        PF: std::future::Future<Output = Result<Option<()>, AppError>>,
    {
        self.send_checked(
            WriteSpec {
                action: kind.action,
                request,
                remote_id: Some(id),
                found_text: kind.found_text,
            },
            |_: &()| (kind.outcome, None),
            send,
            probe,
        )
        .await?;
        self.usages(at, id).await
    }

    // ------------------------------------------------------------ restrictions

    pub async fn restrictions(&self, at: &LevelPath, id: &str) -> Result<RestrictionSet, AppError> {
        Ok(self
            .client
            .restrictions(at, &DefinitionRef::Id(id.to_string()))
            .await?
            .restrictions
            .iter()
            .map(|c| restriction_combination(c))
            .collect())
    }

    /// Every combination is checked: not the definition's own level, levels of this structure, each
    /// level at most once per combination, known definitions, no empty combination.
    pub(crate) async fn check_restrictions(
        &self,
        at: &LevelPath,
        levels: &[u32],
        proposed: &[Vec<RestrictionRow>],
    ) -> Result<(), AppError> {
        let mut reasons = Vec::new();
        let mut known: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
        for (i, combo) in proposed.iter().enumerate() {
            let n = i + 1;
            if combo.iter().all(|r| r.ids.is_empty()) {
                reasons.push(format!(
                    "Combination {n} has no definitions: choose some or remove the combination"
                ));
            }
            let mut seen = BTreeSet::new();
            for r in combo {
                if r.level == at.level {
                    reasons.push(format!(
                        "Combination {n}: restrictions are set on other levels, not on the definition's own level {}",
                        r.level
                    ));
                    continue;
                }
                if !levels.contains(&r.level) {
                    reasons.push(format!(
                        "Combination {n}: level {} is not part of this structure",
                        r.level
                    ));
                    continue;
                }
                if !seen.insert(r.level) {
                    reasons.push(format!(
                        "Combination {n}: level {} appears twice; put its definitions in one list",
                        r.level
                    ));
                }
                // Each level's list is loaded once for all combinations.
                let on_level = match known.entry(r.level) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => e.insert(
                        self.raw_list(&LevelPath::new(&at.structure_version, r.level))
                            .await?
                            .into_iter()
                            .map(|d| d.id)
                            .collect(),
                    ),
                };
                for id in &r.ids {
                    if !on_level.contains(id) {
                        reasons.push(format!(
                            "Combination {n}: no definition {id} on level {}",
                            r.level
                        ));
                    }
                }
            }
        }
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(refused("The restrictions cannot be saved", reasons))
        }
    }

    /// Checks a restriction set and says what saving it would change, without saving.
    pub async fn restrictions_preview(
        &self,
        at: &LevelPath,
        id: &str,
        levels: &[u32],
        proposed: &[Vec<RestrictionRow>],
    ) -> Result<Vec<RestrictionChange>, AppError> {
        let proposed = &without_empty_levels(proposed)[..];
        self.check_restrictions(at, levels, proposed).await?;
        let current = self.restrictions(at, id).await?;
        Ok(restriction_changes(&current, proposed))
    }

    /// `PUT` of the full restriction set, every combination as given (levels with no definitions are
    /// left out of their combination). Returns what changed.
    pub async fn set_restrictions(
        &self,
        at: &LevelPath,
        id: &str,
        levels: &[u32],
        proposed: &[Vec<RestrictionRow>],
    ) -> Result<Vec<RestrictionChange>, AppError> {
        let proposed = &without_empty_levels(proposed)[..];
        self.check_restrictions(at, levels, proposed).await?;
        let current = self.restrictions(at, id).await?;
        let body: Vec<Vec<Restriction>> = proposed
            .iter()
            .map(|c| {
                c.iter()
                    .map(|r| Restriction {
                        level_index: r.level,
                        activity_definitions: r.ids.iter().cloned().map(Ref::id).collect(),
                    })
                    .collect()
            })
            .collect();
        let def = DefinitionRef::Id(id.to_string());
        let (this, def_ref, body_ref) = (self, &def, &body);
        self.send_checked(
            WriteSpec {
                action: "Set activity restrictions",
                request: format!(
                    "PUT {} {}",
                    path_of(at, Some(&def), "/restrictions"),
                    body_text(&serde_json::json!({ "restrictions": &body }))
                ),
                remote_id: Some(id),
                found_text: "the restrictions are visible in Protime",
            },
            |_: &()| ("Updated", None),
            move || this.client.set_restrictions(at, def_ref, body_ref),
            move || async move {
                let now = this.restrictions(at, id).await?;
                Ok::<_, AppError>(restriction_changes(&now, proposed).is_empty().then_some(()))
            },
        )
        .await?;
        Ok(restriction_changes(&current, proposed))
    }
}

/// Level rows with no definitions chosen are not sent (the editor shows every level of a combination).
fn without_empty_levels(proposed: &[Vec<RestrictionRow>]) -> RestrictionSet {
    proposed
        .iter()
        .map(|c| c.iter().filter(|r| !r.ids.is_empty()).cloned().collect())
        .collect()
}
