import { Alert, Badge, Button, Card, Checkbox, Group, Select, Stack, Table, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { BackendError, useBackend, type AccessClockingView, type AccessStatusKind, type PersonSummary } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ScreenHeader } from "../../components/ScreenHeader";
import { StrictDateInput } from "../../components/StrictDateInput";
import { isStrictDate } from "../../components/dates";

export const STATUS_KINDS: AccessStatusKind[] = [
  "AccessOk",
  "AccessRefused",
  "WrongPinCode",
  "AlarmCode",
  "AntiPassbackError",
  "OutZone",
  "UnknownBadge",
  "Unrecognised",
];

function statusColor(kind: AccessStatusKind): string {
  if (kind === "AccessOk") return "green";
  if (kind === "UnknownBadge" || kind === "Unrecognised") return "gray";
  if (kind === "AlarmCode") return "orange";
  return "red";
}

function StatusBadge({ item }: { item: AccessClockingView }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t(`access.status.${item.status_kind}`)} multiline w={320}>
      <Badge color={statusColor(item.status_kind)} variant="light" tt="none">
        {item.status}
      </Badge>
    </Tooltip>
  );
}

function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "Lotte Peeters (76515)": the person's name with the id Protime gave, or the id alone when the name is not known. */
function personLabel(people: PersonSummary[] | undefined, id: number): string {
  const name = people?.find((p) => p.id === id)?.name;
  return name ? `${name} (${id})` : String(id);
}

function Lookup({ withEmployeeNumber }: { withEmployeeNumber: boolean }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const [id, setId] = useState("");
  const people = useQuery({ queryKey: ["people"], queryFn: () => backend.listPeople() });
  const lookup = useMutation({ mutationFn: (n: number) => backend.accessClocking(n, withEmployeeNumber) });
  // Not finding an id is an answer, not a failure: said plainly, not as a red error.
  const notFound = lookup.error instanceof BackendError && lookup.error.code === "NotFound";
  const parsed = Number(id.trim());
  const valid = Number.isInteger(parsed) && parsed > 0;
  const item = lookup.data;
  return (
    <Card withBorder component="section" aria-label={t("access.lookup.title")}>
      <Title order={3} mb="sm">
        {t("access.lookup.title")}
      </Title>
      <Group align="flex-end" component="form" onSubmit={(e) => e.preventDefault()}>
        <TextInput
          label={t("access.lookup.id")}
          placeholder={t("access.lookup.idPlaceholder")}
          value={id}
          onChange={(e) => setId(e.currentTarget.value)}
          error={id.trim() !== "" && !valid ? t("access.lookup.idInvalid") : undefined}
          w={200}
        />
        <Button type="submit" disabled={!valid} loading={lookup.isPending} onClick={() => lookup.mutate(parsed)}>
          {t("access.lookup.go")}
        </Button>
      </Group>
      {notFound && (
        <Alert color="gray" role="status" mt="md" maw={720}>
          {t("access.lookup.notFound", { id: lookup.variables })}
        </Alert>
      )}
      {lookup.isError && !notFound && <ErrorNotice error={lookup.error} />}
      {item && (
        <Table mt="md" aria-label={t("access.lookup.result")} maw={720}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th>{t("access.columns.id")}</Table.Th>
              <Table.Td>{item.id}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("access.columns.when")}</Table.Th>
              <Table.Td>
                {item.date} {item.time}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("access.columns.person")}</Table.Th>
              <Table.Td>{item.person_id != null ? personLabel(people.data, item.person_id) : t("access.noPerson")}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("access.columns.employeeNumber")}</Table.Th>
              <Table.Td>{item.employee_number ?? "—"}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("access.columns.terminal")}</Table.Th>
              <Table.Td>{item.terminal_id ?? "—"}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("access.columns.status")}</Table.Th>
              <Table.Td>
                <Group gap="xs">
                  <StatusBadge item={item} />
                  <Text size="sm">{t(`access.status.${item.status_kind}`)}</Text>
                </Group>
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function Listing({ withEmployeeNumber }: { withEmployeeNumber: boolean }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 6 * 86_400_000)));
  const [until, setUntil] = useState(isoDay(today));
  const [attempted, setAttempted] = useState(false);
  const [person, setPerson] = useState<string | null>(null);
  const people = useQuery({ queryKey: ["people"], queryFn: () => backend.listPeople() });
  const list = useMutation({
    mutationFn: () => backend.accessClockings(from, until, person === null ? null : Number(person), withEmployeeNumber),
  });
  return (
    <Card withBorder component="section" aria-label={t("access.list.title")}>
      <Title order={3} mb="sm">
        {t("access.list.title")}
      </Title>
      <Group align="flex-end" component="form" onSubmit={(e) => e.preventDefault()}>
        <StrictDateInput label={t("access.list.from")} value={from} onChange={setFrom} showError={attempted} w={160} />
        <StrictDateInput label={t("access.list.until")} value={until} onChange={setUntil} showError={attempted} w={160} />
        <Select
          label={t("access.list.person")}
          placeholder={t("access.list.everyone")}
          data={(people.data ?? []).map((p) => ({ value: String(p.id), label: `${p.name} · ${p.employee_number ?? "—"}` }))}
          value={person}
          onChange={setPerson}
          searchable
          clearable
          w={320}
        />
        <Button
          type="submit"
          loading={list.isPending}
          onClick={() => {
            setAttempted(true);
            if (isStrictDate(from) && isStrictDate(until)) list.mutate();
          }}
        >
          {t("access.list.go")}
        </Button>
      </Group>
      {list.isError && <ErrorNotice error={list.error} />}
      {list.data && (
        <Stack mt="md" gap="xs">
          <Text size="sm" aria-label={t("access.list.count")}>
            {t("access.list.found", { count: list.data.length })}
          </Text>
          <Table aria-label={t("access.list.results")} striped stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("access.columns.id")}</Table.Th>
                <Table.Th>{t("access.columns.when")}</Table.Th>
                <Table.Th>{t("access.columns.person")}</Table.Th>
                <Table.Th>{t("access.columns.employeeNumber")}</Table.Th>
                <Table.Th>{t("access.columns.terminal")}</Table.Th>
                <Table.Th>{t("access.columns.status")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.slice(0, 500).map((a) => (
                <Table.Tr key={a.id} data-status={a.status_kind}>
                  <Table.Td>{a.id}</Table.Td>
                  <Table.Td>
                    {a.date} {a.time}
                  </Table.Td>
                  <Table.Td>{a.person_id != null ? personLabel(people.data, a.person_id) : t("access.noPerson")}</Table.Td>
                  <Table.Td>{a.employee_number ?? "—"}</Table.Td>
                  <Table.Td>{a.terminal_id ?? "—"}</Table.Td>
                  <Table.Td>
                    <StatusBadge item={a} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {list.data.length > 500 && <Text size="sm">{t("access.list.truncated")}</Text>}
        </Stack>
      )}
    </Card>
  );
}

export function AccessScreen() {
  const { t } = useTranslation();
  const [withEmployeeNumber, setWithEmployeeNumber] = useState(true);
  return (
    <Stack>
      <ScreenHeader title={t("access.title")} intro={t("access.intro")} />
      <Checkbox
        label={t("access.withEmployeeNumber")}
        checked={withEmployeeNumber}
        onChange={(e) => setWithEmployeeNumber(e.currentTarget.checked)}
      />
      <Lookup withEmployeeNumber={withEmployeeNumber} />
      <Listing withEmployeeNumber={withEmployeeNumber} />
      <Card withBorder component="section" aria-label={t("access.legend")}>
        <Title order={4} mb="xs">
          {t("access.legend")}
        </Title>
        <Table aria-label={t("access.legend")}>
          <Table.Tbody>
            {STATUS_KINDS.map((k) => (
              <Table.Tr key={k}>
                <Table.Th w={220}>{k === "UnknownBadge" ? "UnknownBadgeNumber / UnknownBadge" : k}</Table.Th>
                <Table.Td>{t(`access.status.${k}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
