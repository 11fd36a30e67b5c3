import { Alert, Badge, Button, Card, Code, Group, Select, Stack, Table, Text, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBackend, type AuditFilter } from "../../backend";
import { detailsOf } from "./auditSummary";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ScreenHeader } from "../../components/ScreenHeader";
import { StrictDateInput } from "../../components/StrictDateInput";
import { isBlankOrStrictDate } from "../../components/dates";

const OUTCOMES = ["Created", "Refused", "Uncertain", "NotSent"];

function outcomeColor(o: string): string {
  return o === "Created" ? "green" : o === "Refused" ? "red" : o === "Uncertain" ? "orange" : "gray";
}

/** Blank fields mean "any". Dates go out exactly as typed (the screen only asks when they are valid). */
export function filterOf(f: { profile: string | null; from: string; until: string; outcome: string | null; text: string }): AuditFilter {
  const blank = (s: string | null) => (s === null || s.trim() === "" ? null : s.trim());
  return {
    profile_id: blank(f.profile),
    from: f.from === "" ? null : f.from,
    until: f.until === "" ? null : f.until,
    outcome: blank(f.outcome),
    text: blank(f.text),
  };
}

export function AuditScreen() {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const people = useQuery({ queryKey: ["people"], queryFn: () => backend.listPeople() });
  const personName = (id: string) => people.data?.find((p) => String(p.id) === id)?.name;
  // Local time in the language's own format; the UTC time the log keeps is on hover.
  const localTime = (at: string) => new Date(at).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "medium" });
  const profiles = useQuery({ queryKey: ["profiles"], queryFn: () => backend.listProfiles() });
  const [profile, setProfile] = useState<string | null>(null);
  const [from, setFrom] = useState("");
  const [until, setUntil] = useState("");
  const [outcome, setOutcome] = useState<string | null>(null);
  const [text, setText] = useState("");
  const filter = filterOf({ profile, from, until, outcome, text });
  // A half-typed or impossible date never reaches the log query (the field says what to type).
  const datesOk = isBlankOrStrictDate(from) && isBlankOrStrictDate(until);
  const rows = useQuery({ queryKey: ["audit", filter], queryFn: () => backend.auditLog(filter), enabled: datesOk });
  const csv = useMutation({ mutationFn: () => backend.auditCsv(filter) });
  const save = useMutation({ mutationFn: () => backend.auditSaveCsv(filter) });
  const names = new Map((profiles.data ?? []).map((p) => [p.settings.id, p.settings.name]));

  return (
    <Stack>
      <ScreenHeader title={t("audit.title")} intro={t("audit.intro")} />
      <Card withBorder component="form" aria-label={t("audit.filter")} onSubmit={(e) => e.preventDefault()}>
        <Group align="flex-end">
          <Select
            label={t("audit.profile")}
            placeholder={t("audit.any")}
            data={(profiles.data ?? []).map((p) => ({ value: p.settings.id, label: p.settings.name }))}
            value={profile}
            onChange={setProfile}
            clearable
            w={200}
          />
          <StrictDateInput label={t("audit.from")} optional value={from} onChange={setFrom} w={160} />
          <StrictDateInput label={t("audit.until")} optional value={until} onChange={setUntil} w={160} />
          <Select
            label={t("audit.outcome")}
            placeholder={t("audit.any")}
            data={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))}
            value={outcome}
            onChange={setOutcome}
            clearable
            w={170}
          />
          <TextInput label={t("audit.search")} value={text} onChange={(e) => setText(e.currentTarget.value)} w={220} />
        </Group>
        <Group mt="md">
          <Button variant="light" disabled={!datesOk} onClick={() => save.mutate()} loading={save.isPending}>
            {t("audit.saveCsv")}
          </Button>
          <Button variant="default" disabled={!datesOk} onClick={() => csv.mutate()} loading={csv.isPending}>
            {t("audit.showCsv")}
          </Button>
        </Group>
        {save.data && (
          <Alert color="green" mt="sm" role="status" aria-label={t("audit.saved")}>
            {t("audit.savedTo")} <Code>{save.data}</Code>
          </Alert>
        )}
        {save.isError && <ErrorNotice error={save.error} />}
        {csv.isError && <ErrorNotice error={csv.error} />}
        {csv.data !== undefined && (
          <Textarea mt="sm" label={t("audit.csvText")} value={csv.data} readOnly autosize minRows={3} maxRows={10} ff="monospace" />
        )}
      </Card>
      {rows.isError && <ErrorNotice error={rows.error} />}
      {rows.data && (
        <Stack gap="xs">
          <Text size="sm">{t("audit.count", { count: rows.data.length })}</Text>
          {/* Wide rows scroll inside the table at narrow windows; the page never scrolls sideways. */}
          <Table.ScrollContainer minWidth={760}>
          <Table aria-label={t("audit.table")} striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("audit.columns.at")}</Table.Th>
                <Table.Th>{t("audit.columns.profile")}</Table.Th>
                <Table.Th>{t("audit.columns.tenant")}</Table.Th>
                <Table.Th>{t("audit.columns.action")}</Table.Th>
                <Table.Th>{t("audit.columns.outcome")}</Table.Th>
                <Table.Th>{t("audit.columns.created")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.map((e) => {
                const details = detailsOf(e.request, personName);
                return (
                  <Table.Tr key={e.id} data-outcome={e.outcome}>
                    <Table.Td style={{ whiteSpace: "nowrap" }} title={`${e.at.replace("T", " ").slice(0, 19)} UTC`}>
                      {localTime(e.at)}
                    </Table.Td>
                    <Table.Td>{names.get(e.profile_id) ?? e.profile_id}</Table.Td>
                    <Table.Td dir="ltr">{e.tenant}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {e.action}
                      </Text>
                      {(details.who || details.when) && (
                        <Text size="sm">
                          {/* Each part isolated: a Hebrew name must not pull the date and time into its direction. */}
                          {details.who && <bdi>{details.who}</bdi>}
                          {details.who && details.when && " · "}
                          {details.when && <bdi>{details.when}</bdi>}
                        </Text>
                      )}
                      {e.message && (
                        <Text size="xs" c="dimmed">
                          {e.message}
                        </Text>
                      )}
                      <details>
                        <summary style={{ cursor: "pointer", fontSize: "var(--mantine-font-size-xs)" }}>{t("audit.showRequest")}</summary>
                        <Text size="xs" ff="monospace" dir="ltr" style={{ wordBreak: "break-all" }} maw={560}>
                          {e.request}
                        </Text>
                      </details>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      <Badge color={outcomeColor(e.outcome)} variant="light" tt="none" styles={{ label: { overflow: "visible" } }}>
                        {t(`audit.outcomes.${e.outcome}`, { defaultValue: e.outcome })}
                      </Badge>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      {e.remote_id ? (
                        <Text size="sm" ff="monospace" dir="ltr" title={e.remote_id}>
                          {e.remote_id.length > 14 ? `${e.remote_id.slice(0, 8)}…${e.remote_id.slice(-4)}` : e.remote_id}
                        </Text>
                      ) : (
                        "—"
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
    </Stack>
  );
}
