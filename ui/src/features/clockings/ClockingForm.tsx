import {
  Alert,
  Button,
  Card,
  Checkbox,
  Code,
  Fieldset,
  Grid,
  Group,
  List,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useMemo, useRef, useState, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { Segmented } from "../../components/Segmented";
import { useBackend, type ClockingEntryInput, type ClockingKind, type OutboxItem, type Reference } from "../../backend";
import { useConfirmWrite } from "../../shell/ConfirmWrite";
import { DuplicateModal, isDuplicate } from "./DuplicateModal";
import { ErrorNotice } from "../../components/ErrorNotice";
import { DateMessage, StrictDateInput, useDateProblem } from "../../components/StrictDateInput";
import { isStrictDate } from "../../components/dates";
import { ReferenceNameInput, useRememberReferenceNames } from "../../components/ReferenceNameInput";
import { clockingInWords } from "./clockingInWords";
import { buildDraft, emptyForm, INVALID_DATE, type DayOffset, type FormState } from "./draftInput";

const KINDS: ClockingKind[] = ["InOut", "Reason", "Activity", "ActivityEnd"];
const DAYS: DayOffset[] = ["PreviousDay", "SameDay", "NextDay"];
/** The predefined reference names the seeds show; the tenant's custom ones are typed or remembered. */
const PERSON_REFERENCES = ["@badge-number", "@employee-number"];
const ACTIVITY_REFERENCES = ["@data-entry-code", "@external-reference"];
/** The shortest time Submit stays locked after a press, however fast the backend answers. */
const LOCK_MIN_MS = 1000;

/** The problem field each form entry answers to: a field's problem shows once the user has touched it. */
const FIELD_OF: Partial<Record<keyof FormState, string>> = {
  personId: "person",
  personRefValue: "person",
  date: "date",
  time: "time",
  day: "time",
  reasonId: "reason",
  reasonText: "reason",
  activities: "activities",
  activityRefs: "activities",
  terminal: "terminal",
  latitude: "latitude",
  longitude: "longitude",
};

/**
 * The manual clocking form. `initial` pre-fills it (the report's day detail opens it with the person,
 * the date and the time the other system suggests); `onSent` hears every submission's outcome;
 * `stickyActions` keeps Submit in view while the page scrolls (off inside a dialog).
 */
export function ClockingForm({
  initial,
  onSent,
  stickyActions = true,
}: { initial?: Partial<FormState>; onSent?: (item: OutboxItem) => void; stickyActions?: boolean } = {}) {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const confirmWrite = useConfirmWrite();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<FormState>(() => ({ ...emptyForm(), ...initial }));
  // Fields the user has changed: the form does not open in red; a problem shows at its field once the
  // field was touched, and the list beside Submit always says what is still needed.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [lastSent, setLastSent] = useState<OutboxItem | null>(null);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    const field = FIELD_OF[key];
    if (field) setTouched((seen) => (seen.has(field) ? seen : new Set(seen).add(field)));
  };
  const clear = () => {
    setForm(emptyForm());
    setTouched(new Set());
  };

  const people = useQuery({ queryKey: ["people"], queryFn: () => backend.listPeople() });
  const reasons = useQuery({
    queryKey: ["reasons"],
    queryFn: () => backend.listReasons(),
    enabled: form.kind === "Reason",
  });
  const choices = useMemo(
    () => Object.entries(form.activities).map(([level, id]) => ({ level: Number(level), id })),
    [form.activities],
  );
  const personForActivities = form.personMode === "pick" ? form.personId : null;
  const levels = useQuery({
    queryKey: ["activityLevels", form.date, personForActivities, choices],
    queryFn: () => backend.activityLevels(form.date, personForActivities, choices),
    enabled: form.kind === "Activity" && isStrictDate(form.date),
  });

  const { draft, localIssues } = useMemo(() => buildDraft(form), [form]);
  const preview = useQuery({
    queryKey: ["clockingPreview", draft],
    queryFn: () => backend.clockingPreview(draft!),
    enabled: draft !== null,
  });
  // What Protime already holds for this person on this day: shown beside the form, an identical
  // clocking is a warning, and a date in a closed period is a problem before anything is sent.
  const day = useQuery({
    queryKey: ["clockingDay", draft],
    queryFn: () => backend.clockingDay(draft!),
    enabled: draft !== null && draft.person !== null,
    placeholderData: (previous) => previous,
    retry: false,
  });
  const closedUpTo = day.data?.period_closing_date ?? null;
  const dateProblem = useDateProblem();
  const issues: Record<string, string> = { ...localIssues };
  if (issues.date === INVALID_DATE) issues.date = dateProblem(form.date) ?? "";
  if (!issues.date && closedUpTo !== null && form.date <= closedUpTo) issues.date = t("clockings.onDay.closed", { date: closedUpTo });
  for (const i of preview.data?.issues ?? []) issues[i.field] ??= i.message;
  const canSend =
    draft !== null && preview.data !== undefined && preview.data.issues.length === 0 && !(closedUpTo !== null && form.date <= closedUpTo);
  const inWords = canSend
    ? clockingInWords(form.date, form.time, {
        language: i18n.language,
        who:
          form.personMode === "pick"
            ? (people.data?.find((p) => String(p.id) === form.personId)?.name ?? form.personId ?? "")
            : `${form.personRefName}=${form.personRefValue}`,
        kindLabel: t(`clockings.kinds.${form.kind}`),
        dayNote: form.day === "SameDay" ? undefined : t(`clockings.days.${form.day}`).toLowerCase(),
        reason:
          form.kind === "Reason"
            ? (reasons.data?.find((r) => String(r.id) === (form.reasonMode === "pick" ? form.reasonId : form.reasonText.trim()))?.name ??
              (form.reasonMode === "pick" ? (form.reasonId ?? undefined) : form.reasonText.trim()))
            : undefined,
        activities:
          form.kind === "Activity" || form.kind === "ActivityEnd"
            ? form.activityMode === "pick"
              ? (levels.data ?? []).flatMap((l) => l.options.filter((o) => o.id === form.activities[l.level]).map((o) => o.name))
              : Object.values(form.activityRefs)
                  .filter((r) => r.value.trim())
                  .map((r) => `${r.name}=${r.value.trim()}`)
            : [],
      })
    : null;
  /** A field's problem, once the user has touched the field. */
  const shown: Record<string, string> = Object.fromEntries(Object.entries(issues).filter(([field]) => touched.has(field)));

  // One press sends once. The button locks from the first press (synchronously, through the ref, so a
  // second click or Enter that lands before React re-renders is refused too) until the backend call
  // has returned, and for at least LOCK_MIN_MS after the press: the sandbox and a fast tenant answer
  // within the gap between the two clicks of a double-click. The second click of a double-click
  // (`detail` 2) is never a new press. A cancelled production confirmation unlocks it too.
  const inFlight = useRef(false);
  const pressedAt = useRef(0);
  const [locked, setLocked] = useState(false);
  const release = () => {
    const wait = Math.max(0, pressedAt.current + LOCK_MIN_MS - Date.now());
    window.setTimeout(() => {
      inFlight.current = false;
      setLocked(false);
    }, wait);
  };
  const rememberNames = useRememberReferenceNames();
  /** The draft of the submission in flight (the form may change while it is sent). */
  const submitted = useRef<ClockingEntryInput | null>(null);
  const submit = useMutation({
    mutationFn: ({ confirmed, sendAgain }: { confirmed: boolean; sendAgain: boolean }) => {
      submitted.current = draft;
      return backend.submitClocking(draft!, confirmed, sendAgain);
    },
    // A new submission replaces the previous result at once, so nobody mistakes the old one for it.
    onMutate: () => setLastSent(null),
    onSuccess: (item) => {
      setLastSent(item);
      onSent?.(item);
      void queryClient.invalidateQueries({ queryKey: ["outbox"] });
      // A custom reference name is remembered for this profile once the clocking was queued or
      // sent with it (not when Protime refused it: the name may be what was wrong).
      if (item.status !== "Rejected" && item.status !== "Discarded" && submitted.current) {
        void rememberNames(externalNames(submitted.current)).catch(() => undefined);
      }
    },
    onSettled: release,
  });
  const press = (event: MouseEvent) => {
    if (event.detail > 1 || inFlight.current || !canSend) return;
    inFlight.current = true;
    pressedAt.current = Date.now();
    setLocked(true);
    confirmWrite((confirmed) => submit.mutate({ confirmed, sendAgain: false }), release);
  };

  const personOptions = (people.data ?? []).map((p) => ({
    value: String(p.id),
    label: `${p.name} · ${p.employee_number ?? "—"} · ${t("people.badgeShort")} ${p.badge_number ?? "—"}`,
  }));

  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack component="form" aria-label={t("clockings.form")} onSubmit={(e) => e.preventDefault()}>
          <Segmented
            label={t("clockings.personBy")}
            value={form.personMode}
            data={[
              { value: "pick", label: t("clockings.personPick") },
              { value: "reference", label: t("clockings.personReference") },
            ]}
            onChange={(v) => set("personMode", v)}
          />
          {people.isError && <ErrorNotice error={people.error} onRetry={() => void people.refetch()} />}
          {form.personMode === "pick" ? (
            <Select
              label={t("clockings.person")}
              placeholder={t("clockings.searchHint")}
              searchable
              data={personOptions}
              value={form.personId}
              onChange={(v) => set("personId", v)}
              error={shown.person}
              nothingFoundMessage={t("people.noMatchShort")}
              limit={100}
            />
          ) : (
            <Group grow align="flex-start">
              <ReferenceNameInput
                label={t("clockings.referenceName")}
                description={t("clockings.referenceNameHint")}
                predefined={PERSON_REFERENCES}
                value={form.personRefName}
                onChange={(v) => set("personRefName", v)}
              />
              <TextInput
                label={t("clockings.referenceValue")}
                value={form.personRefValue}
                onChange={(e) => set("personRefValue", e.currentTarget.value)}
                error={shown.person}
              />
            </Group>
          )}
          <Group grow align="flex-start">
            <StrictDateInput
              label={t("clockings.date")}
              value={form.date}
              onChange={(v) => set("date", v)}
              error={localIssues.date ? undefined : shown.date}
            />
            <TextInput
              label={t("clockings.time")}
              description={t("clockings.timeHelp")}
              value={form.time}
              onChange={(e) => set("time", e.currentTarget.value)}
              error={shown.time}
            />
          </Group>
          <Segmented
            label={t("clockings.day")}
            value={form.day}
            data={DAYS.map((d) => ({ value: d, label: t(`clockings.days.${d}`) }))}
            onChange={(v) => set("day", v)}
          />
          <Segmented
            label={t("clockings.kind")}
            value={form.kind}
            data={KINDS.map((k) => ({ value: k, label: t(`clockings.kinds.${k}`) }))}
            onChange={(v) => set("kind", v)}
          />
          {form.kind === "Reason" && (
            <Stack gap="xs">
              <Segmented
                label={t("clockings.reasonBy")}
                value={form.reasonMode}
                data={[
                  { value: "pick", label: t("clockings.reasonModes.pick") },
                  { value: "id", label: t("clockings.reasonModes.id") },
                ]}
                onChange={(v) => set("reasonMode", v)}
              />
              <Group align="flex-end">
                {form.reasonMode === "pick" ? (
                  <Select
                    label={t("clockings.reason")}
                    data={(reasons.data ?? []).map((r) => ({ value: String(r.id), label: `${r.name} (${r.code ?? r.id})` }))}
                    value={form.reasonId}
                    onChange={(v) => set("reasonId", v)}
                    error={shown.reason ?? (reasons.isError ? String(reasons.error) : undefined)}
                    searchable
                    miw={280}
                  />
                ) : (
                  <TextInput
                    label={t("clockings.reasonId")}
                    description={t("clockings.reasonIdHelp")}
                    value={form.reasonText}
                    onChange={(e) => set("reasonText", e.currentTarget.value)}
                    error={shown.reason}
                    inputMode="numeric"
                    miw={280}
                  />
                )}
                <Checkbox
                  label={t("clockings.reasonOpen")}
                  checked={form.isOpen}
                  onChange={(e) => set("isOpen", e.currentTarget.checked)}
                  mb={8}
                />
              </Group>
            </Stack>
          )}
          {form.kind === "Activity" && (
            <Fieldset legend={t("clockings.activities")}>
              <Stack gap="xs">
                <Segmented
                  label={t("clockings.activitiesBy")}
                  value={form.activityMode}
                  data={[
                    { value: "pick", label: t("clockings.activitiesPick") },
                    { value: "reference", label: t("clockings.personReference") },
                  ]}
                  onChange={(v) => set("activityMode", v)}
                />
                {form.activityMode === "pick" && levels.isError && (
                  <ErrorNotice error={levels.error} onRetry={() => void levels.refetch()} />
                )}
                {form.activityMode === "pick" &&
                  (levels.data ?? []).map((l) => (
                    <Select
                      key={l.level}
                      label={t("clockings.level", { level: l.level, name: l.name })}
                      data={l.options.map((o) => ({
                        value: o.id,
                        label: `${o.name}${o.data_entry_code ? ` (${o.data_entry_code})` : ""}${o.limited_to_groups ? ` · ${t("clockings.groupsOnly")}` : ""}`,
                      }))}
                      value={l.chosen}
                      description={l.hint ?? undefined}
                      searchable
                      onChange={(v) =>
                        setForm((f) => {
                          // Changing a level clears the levels below it: they hang under the old choice.
                          const next: Record<number, string> = {};
                          for (const [lv, id] of Object.entries(f.activities)) if (Number(lv) < l.level) next[Number(lv)] = id;
                          if (v) next[l.level] = v;
                          return { ...f, activities: next };
                        })
                      }
                    />
                  ))}
                {form.activityMode === "reference" &&
                  (levels.data?.map((l) => ({ level: l.level, name: l.name })) ?? [1, 2, 3].map((level) => ({ level, name: "" }))).map(
                    (l) => {
                      const ref = form.activityRefs[l.level] ?? { name: "@data-entry-code", value: "" };
                      const update = (next: { name: string; value: string }) =>
                        setForm((f) => ({ ...f, activityRefs: { ...f.activityRefs, [l.level]: next } }));
                      return (
                        <Group key={l.level} grow align="flex-start">
                          <ReferenceNameInput
                            label={t("clockings.levelReference", { level: l.level, name: l.name })}
                            predefined={ACTIVITY_REFERENCES}
                            value={ref.name}
                            onChange={(v) => update({ ...ref, name: v })}
                          />
                          <TextInput
                            label={t("clockings.levelValue", { level: l.level })}
                            value={ref.value}
                            onChange={(e) => update({ ...ref, value: e.currentTarget.value })}
                          />
                        </Group>
                      );
                    },
                  )}
                {shown.activities && (
                  <Text c="red" size="sm">
                    {shown.activities}
                  </Text>
                )}
              </Stack>
            </Fieldset>
          )}
          <Fieldset legend={t("clockings.optional")}>
            <Group grow align="flex-start">
              <TextInput
                label={t("clockings.terminal")}
                description={t("clockings.terminalHint")}
                value={form.terminal}
                onChange={(e) => set("terminal", e.currentTarget.value)}
                error={shown.terminal}
              />
              <TextInput
                label={t("clockings.latitude")}
                value={form.latitude}
                onChange={(e) => set("latitude", e.currentTarget.value)}
                error={shown.latitude}
              />
              <TextInput
                label={t("clockings.longitude")}
                value={form.longitude}
                onChange={(e) => set("longitude", e.currentTarget.value)}
                error={shown.longitude}
              />
            </Group>
          </Fieldset>
          {/* Submit, why it cannot be pressed yet, and the result stay together and in view above the
              status bar, however long the form is. In a dialog the bar stays in place: there WebKitGTK
              moved a stuck bar between a mouse press and its release, and the click was lost. */}
          <Paper
            withBorder
            p="sm"
            shadow="xs"
            pos={stickyActions ? "sticky" : undefined}
            style={stickyActions ? { bottom: "calc(var(--app-shell-footer-offset, 40px) + 8px)", zIndex: 2 } : undefined}
          >
            <Group align="center" wrap="nowrap">
              <Button
                type="submit"
                disabled={!canSend || locked}
                loading={locked}
                onClick={press}
                aria-describedby={canSend ? undefined : "clocking-still-needed"}
              >
                {t("clockings.submit")}
              </Button>
              <Button variant="default" onClick={clear}>
                {t("clockings.clear")}
              </Button>
              {!canSend && Object.keys(issues).length > 0 && (
                <Text id="clocking-still-needed" size="sm" c="dimmed" lineClamp={2}>
                  {t("clockings.stillNeeded", { count: Object.keys(issues).length })}
                </Text>
              )}
            </Group>
          </Paper>
          {submit.isError && !isDuplicate(submit.error) && <ErrorNotice error={submit.error} />}
          <DuplicateModal
            opened={isDuplicate(submit.error)}
            busy={submit.isPending}
            onSendAgain={() => submit.variables && submit.mutate({ confirmed: submit.variables.confirmed, sendAgain: true })}
            onCancel={() => submit.reset()}
          />
          {lastSent && <SubmitResult item={lastSent} />}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card withBorder>
          <Title order={4} mb="xs">
            {t("clockings.preview")}
          </Title>
          {inWords && (
            <Text fw={600} mb={4} aria-label={t("clockings.inWords")}>
              {inWords.map((part, i) => (
                <Fragment key={i}>
                  {i > 0 && " · "}
                  <bdi>{part}</bdi>
                </Fragment>
              ))}
            </Text>
          )}
          {day.data && (
            <Stack gap={4} mb="xs" aria-label={t("clockings.onDay.title")}>
              <Text size="sm" fw={500}>
                {t("clockings.onDay.title")}
              </Text>
              {day.data.clockings.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("clockings.onDay.none")}
                </Text>
              ) : (
                <List size="sm">
                  {day.data.clockings.map((c) => (
                    <List.Item key={c.id}>
                      <span dir="ltr">{c.time_text}</span> · {t(`clockings.kinds.${c.kind}`, { defaultValue: c.kind })}
                      {c.generated ? ` · ${t("clockings.onDay.generated")}` : ""}
                    </List.Item>
                  ))}
                </List>
              )}
              {day.data.identical.length > 0 && (
                <Alert color="yellow" variant="light" role="note">
                  {t("clockings.onDay.identical", { ids: day.data.identical.join(", ") })}
                </Alert>
              )}
            </Stack>
          )}
          {preview.data?.time_description && (
            <Text size="sm" fw={500} aria-label={t("clockings.timeInWords")}>
              {preview.data.time_description}
            </Text>
          )}
          {preview.data?.extended_range_note && (
            <Alert color="yellow" variant="light" mt="xs" role="note">
              {preview.data.extended_range_note}
            </Alert>
          )}
          {Object.keys(issues).length > 0 && (
            <List size="sm" mt="xs" aria-label={t("clockings.problems")}>
              {Object.entries(issues).map(([field, message]) => (
                <List.Item key={field} c={touched.has(field) ? "red" : "dimmed"}>
                  {field === "date" && localIssues.date ? <DateMessage message={message} /> : message}
                </List.Item>
              ))}
            </List>
          )}
          <details style={{ marginTop: "var(--mantine-spacing-sm)" }}>
            <summary style={{ cursor: "pointer" }}>{t("clockings.showBody")}</summary>
            <Code block mt="xs" dir="ltr" aria-label={t("clockings.body")}>
              {preview.data?.body ?? "…"}
            </Code>
          </details>
        </Card>
      </Grid.Col>
    </Grid>
  );
}

/** The external reference names a submitted entry uses (person, terminal, reason, activity levels). */
function externalNames(entry: ClockingEntryInput): string[] {
  const refs: (Reference | null | undefined)[] = [entry.person, entry.terminal, entry.reason, ...entry.activity_levels.map((l) => l.activity)];
  return refs.flatMap((r) => (r && r.by === "External" ? [r.name] : []));
}

function SubmitResult({ item }: { item: OutboxItem }) {
  const { t } = useTranslation();
  const color = item.status === "Sent" ? "green" : item.status === "Rejected" ? "red" : "yellow";
  return (
    <Alert color={color} title={t(`outbox.status.${item.status}`)} role="status" aria-label={t("clockings.result")}>
      {item.status === "Sent" && item.remote_id !== null
        ? t("clockings.created", { id: item.remote_id })
        : (item.message ?? "")}
      {item.reasons.length > 0 && (
        <List size="sm">
          {item.reasons.map((r) => (
            <List.Item key={r}>{r}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
