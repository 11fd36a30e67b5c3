//! Writes to definitions: create (reading back first), edit, upsert, deactivate, move.

use crate::*;

impl Admin<'_> {
    /// `POST`: checks the form against the level and creates the definition; returns its id (also
    /// when the definition was found already saved by an earlier, unanswered send).
    pub async fn create(&self, at: &LevelPath, form: &DefinitionForm) -> Result<String, AppError> {
        Ok(self.create_outcome(at, form).await?.value)
    }

    /// [`Admin::create`], saying how the definition got there: sent, found after an uncertain send,
    /// sent again after two read-backs found nothing, or already there (nothing sent).
    pub async fn create_outcome(
        &self,
        at: &LevelPath,
        form: &DefinitionForm,
    ) -> Result<Written<String>, WriteFailed> {
        let siblings = self.raw_list(at).await?;
        if let Some(found) = self.already_there(at, form, &siblings) {
            return Ok(found);
        }
        let input = check_form(
            form,
            &CheckContext {
                level: at.level,
                siblings: &siblings,
                editing: None,
                creating: true,
            },
        )?;
        self.post("Create activity definition", at, &input, &siblings)
            .await
    }

    /// Read back before any create: when the level already holds the definition the user means (same
    /// name and parent, and the same external reference; without one the same data entry code;
    /// without either the same short code), an earlier send that went unanswered saved it. Nothing
    /// is sent; the audit log says so. Without any of the three codes nothing identifies it, and the
    /// create goes ahead.
    pub(crate) fn already_there(
        &self,
        at: &LevelPath,
        form: &DefinitionForm,
        siblings: &[ActivityDefinition],
    ) -> Option<Written<String>> {
        let name = form.name.trim();
        let parent = non_empty(&form.parent_id);
        let ext = non_empty(&form.external_reference);
        let dec = non_empty(&form.data_entry_code);
        let short = non_empty(&form.short_code);
        if name.is_empty() || (ext.is_none() && dec.is_none() && short.is_none()) {
            return None;
        }
        let found = siblings.iter().find(|d| {
            d.name.default.trim() == name
                && parent_of(d) == parent.as_deref()
                && match (&ext, &dec) {
                    (Some(e), _) => opt(&d.external_reference) == Some(e.as_str()),
                    (None, Some(c)) => {
                        opt(&d.external_reference).is_none()
                            && opt(&d.data_entry_code) == Some(c.as_str())
                    }
                    (None, None) => {
                        opt(&d.external_reference).is_none()
                            && opt(&d.short_code) == short.as_deref()
                    }
                }
        })?;
        self.audit_row(
            "Create activity definition",
            &format!("POST {} {} (not sent)", path_of(at, None, ""), body_text(form)),
            "Created",
            Some(&found.id),
            Some("already in Protime with the same name, parent and external reference (or data entry code, or short code), saved by an earlier send; not sent again"),
        );
        Some(Written {
            value: found.id.clone(),
            how: How::AlreadyThere,
        })
    }

    pub(crate) async fn post(
        &self,
        action: &str,
        at: &LevelPath,
        input: &ActivityDefinitionInput,
        siblings: &[ActivityDefinition],
    ) -> Result<Written<String>, WriteFailed> {
        let before: BTreeSet<String> = siblings.iter().map(|d| d.id.clone()).collect();
        let (this, before) = (self, &before);
        self.send_checked(
            WriteSpec {
                action,
                request: format!("POST {} {}", path_of(at, None, ""), body_text(input)),
                remote_id: None,
                found_text: "found in Protime",
            },
            |id: &String| ("Created", Some(id.clone())),
            move || this.client.create_activity_definition(at, input),
            // Ours: on the level now, not before the send, and the same definition.
            move || async move {
                Ok::<_, AppError>(
                    this.raw_list(at)
                        .await?
                        .into_iter()
                        .find(|d| !before.contains(&d.id) && same_created(d, input))
                        .map(|d| d.id),
                )
            },
        )
        .await
    }

    /// `PUT` by id or reference. `existing` is the stored definition when there is one (then the PUT
    /// updates; otherwise a PUT by reference creates). After an uncertain send the definition is read
    /// back and the write counts as done when it shows what was sent.
    pub(crate) async fn put(
        &self,
        action: &str,
        at: &LevelPath,
        def: &DefinitionRef,
        input: &ActivityDefinitionInput,
        existing: Option<&ActivityDefinition>,
    ) -> Result<Written<Upserted>, WriteFailed> {
        let remote_id = match def {
            DefinitionRef::Id(id) => Some(id.clone()),
            DefinitionRef::External { .. } => existing.map(|d| d.id.clone()),
        };
        let (this, was_there) = (self, existing.is_some());
        self.send_checked(
            WriteSpec {
                action,
                request: format!("PUT {} {}", path_of(at, Some(def), ""), body_text(input)),
                remote_id: remote_id.as_deref(),
                found_text: if was_there {
                    "the change is visible in Protime"
                } else {
                    "found in Protime"
                },
            },
            |u: &Upserted| match u {
                Upserted::Created { id } => ("Created", id.clone()),
                Upserted::Updated => ("Updated", None),
            },
            move || this.client.put_activity_definition(at, def, input),
            move || async move {
                match this.client.activity_definition(at, def, false).await {
                    Ok(d) if shows(&d, input) => Ok(Some(if was_there {
                        Upserted::Updated
                    } else {
                        Upserted::Created { id: Some(d.id) }
                    })),
                    Ok(_) => Ok(None),
                    Err(e) if e.kind == timebridge_protime::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(AppError::from(e)),
                }
            },
        )
        .await
    }

    /// Checks an edit and returns what it changes, without saving.
    pub async fn edit_preview(
        &self,
        at: &LevelPath,
        id: &str,
        form: &DefinitionForm,
    ) -> Result<Vec<FieldChange>, AppError> {
        let stored = self.stored(at, id).await?;
        let siblings = self.raw_list(at).await?;
        check_edit(&stored, form, at.level, &siblings)?;
        Ok(diff(&form_of(&stored), form))
    }

    /// `PUT` by internal id with the full record (fields left out would be cleared); the stored parent
    /// is sent unchanged. Returns the changes made.
    pub async fn edit(
        &self,
        at: &LevelPath,
        id: &str,
        form: &DefinitionForm,
    ) -> Result<Vec<FieldChange>, AppError> {
        let stored = self.stored(at, id).await?;
        let siblings = self.raw_list(at).await?;
        let input = check_edit(&stored, form, at.level, &siblings)?;
        let changes = diff(&form_of(&stored), form);
        self.put(
            "Edit activity definition",
            at,
            &DefinitionRef::Id(id.to_string()),
            &input,
            Some(&stored),
        )
        .await?;
        Ok(changes)
    }

    /// `PUT` by external reference (`@external-reference`, `@data-entry-code` or a custom name):
    /// updates the definition that has it, or creates one (with the form's parent).
    pub async fn upsert(
        &self,
        at: &LevelPath,
        reference_name: &str,
        reference_value: &str,
        form: &DefinitionForm,
    ) -> Result<UpsertOutcome, AppError> {
        let (name, value) = (reference_name.trim(), reference_value.trim());
        if name.is_empty() || value.is_empty() {
            return Err(AppError::validation(
                "An upsert needs the reference name and its value",
            ));
        }
        let def = DefinitionRef::External {
            name: name.to_string(),
            value: value.to_string(),
        };
        let existing = match self.client.activity_definition(at, &def, false).await {
            Ok(d) => Some(d),
            Err(e) if e.kind == timebridge_protime::ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let mut form = form.clone();
        match name {
            "@external-reference" if form.external_reference.trim().is_empty() => {
                form.external_reference = value.to_string()
            }
            "@data-entry-code" if form.data_entry_code.trim().is_empty() => {
                form.data_entry_code = value.to_string()
            }
            _ => {}
        }
        let siblings = self.raw_list(at).await?;
        let input = match &existing {
            Some(stored) => check_edit(stored, &form, at.level, &siblings)?,
            None => check_form(
                &form,
                &CheckContext {
                    level: at.level,
                    siblings: &siblings,
                    editing: None,
                    creating: true,
                },
            )?,
        };
        let done = self
            .put(
                "Upsert activity definition",
                at,
                &def,
                &input,
                existing.as_ref(),
            )
            .await?;
        Ok(match done.value {
            Upserted::Created { id } => UpsertOutcome { created: true, id },
            Upserted::Updated => UpsertOutcome {
                created: false,
                id: existing.map(|d| d.id),
            },
        })
    }

    /// Ends a definition on `until` (the API has no delete): the full record is sent with
    /// `activeUntil` set, so nothing else changes.
    pub async fn deactivate(
        &self,
        at: &LevelPath,
        id: &str,
        until: NaiveDate,
    ) -> Result<Vec<FieldChange>, AppError> {
        let stored = self.stored(at, id).await?;
        let mut form = form_of(&stored);
        form.active_until = until.format("%Y-%m-%d").to_string();
        let siblings = self.raw_list(at).await?;
        let input = check_edit(&stored, &form, at.level, &siblings)?;
        let changes = diff(&form_of(&stored), &form);
        self.put(
            "Deactivate activity definition",
            at,
            &DefinitionRef::Id(id.to_string()),
            &input,
            Some(&stored),
        )
        .await?;
        Ok(changes)
    }

    /// The guided "move": the parent can only be set at creation, so a new definition is created
    /// under `form.parent_id` (active from the day after `end` unless the form says otherwise),
    /// then the old one is ended on `end`. The new definition needs codes of its own: the old
    /// one keeps its data entry code and external reference.
    pub async fn move_definition(
        &self,
        at: &LevelPath,
        id: &str,
        end: NaiveDate,
        form: &DefinitionForm,
    ) -> Result<MoveOutcome, AppError> {
        let stored = self.stored(at, id).await?;
        let old_parent = stored.parent.as_ref().and_then(|p| p.id.clone());
        if non_empty(&form.parent_id).is_none() || non_empty(&form.parent_id) == old_parent {
            return Err(refused(
                "The move cannot start",
                vec!["Choose a different parent for the new definition".into()],
            ));
        }
        let mut ended = form_of(&stored);
        ended.active_until = end.format("%Y-%m-%d").to_string();
        let siblings = self.raw_list(at).await?;
        let end_input = check_edit(&stored, &ended, at.level, &siblings)?;
        let mut new_form = form.clone();
        if new_form.active_from.trim().is_empty() {
            let next = end.checked_add_days(Days::new(1)).ok_or_else(|| {
                refused(
                    "The move cannot start",
                    vec![format!(
                        "{end} has no following day; give the new definition's 'active from'"
                    )],
                )
            })?;
            new_form.active_from = next.format("%Y-%m-%d").to_string();
        }
        // A move tried before whose create went unanswered may have created the new definition.
        let new_id = match self.already_there(at, &new_form, &siblings) {
            Some(found) => found.value,
            None => {
                let new_input = check_form(
                    &new_form,
                    &CheckContext {
                        level: at.level,
                        siblings: &siblings,
                        editing: None,
                        creating: true,
                    },
                )
                .map_err(|mut e| {
                    e.message = "The new definition cannot be created; the old one keeps its data entry code and external reference, so give the new one codes of its own".into();
                    e
                })?;
                self.post("Create activity definition", at, &new_input, &siblings)
                    .await?
                    .value
            }
        };
        self.put(
            "Move activity definition (end the old one)",
            at,
            &DefinitionRef::Id(id.to_string()),
            &end_input,
            Some(&stored),
        )
        .await
        .map_err(|f| {
            let mut e = f.error;
            let what = if f.uncertain {
                "ending the old one was not confirmed"
            } else {
                "the old one could not be ended"
            };
            e.message = format!(
                "The new definition {new_id} was created, but {what}: {}",
                e.message
            );
            e
        })?;
        Ok(MoveOutcome {
            new_id,
            ended_on: ended.active_until,
        })
    }
}
