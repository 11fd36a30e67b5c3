import { Loader, ScrollArea, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useBackend, type PersonSummary } from "../../backend";
import { ComingNext } from "../../components/ComingNext";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ScreenHeader } from "../../components/ScreenHeader";

/** Case-insensitive match on name, employee number or badge number. */
export function matchesPerson(p: PersonSummary, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [p.name, p.employee_number ?? "", p.badge_number ?? ""].some((v) => v.toLowerCase().includes(q));
}

export function ClockingsScreen() {
  const { t } = useTranslation();
  const backend = useBackend();
  const [query, setQuery] = useState("");
  const people = useQuery({ queryKey: ["people"], queryFn: () => backend.listPeople() });
  const shown = useMemo(() => (people.data ?? []).filter((p) => matchesPerson(p, query)), [people.data, query]);

  return (
    <Stack>
      <ScreenHeader title={t("clockings.title")} intro={t("clockings.intro")} />
      <ComingNext
        items={[
          "Manual clocking form for InOut, Reason, Activity (one picker per level) and ActivityEnd",
          "Durable outbox with retry, reconcile and discard; CSV import",
        ]}
      />
      <Title order={3}>{t("clockings.people")}</Title>
      <TextInput
        label={t("clockings.search")}
        description={t("clockings.searchHint")}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        maw={420}
      />
      {people.isPending && <Loader aria-label={t("common.loading")} />}
      {people.isError && <ErrorNotice error={people.error} onRetry={() => void people.refetch()} />}
      {people.data && (
        <>
          <Text size="sm" c="dimmed">
            {t("people.count", { shown: shown.length, total: people.data.length })}
          </Text>
          <ScrollArea h={360} type="auto">
            <Table striped highlightOnHover stickyHeader aria-label={t("clockings.people")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("people.name")}</Table.Th>
                  <Table.Th>{t("people.employeeNumber")}</Table.Th>
                  <Table.Th>{t("people.badgeNumber")}</Table.Th>
                  <Table.Th>{t("people.email")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={4}>
                      <Text size="sm" c="dimmed">
                        {t("people.noMatch", { query: query.trim() })}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {shown.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>{p.name}</Table.Td>
                    <Table.Td>{p.employee_number}</Table.Td>
                    <Table.Td>{p.badge_number}</Table.Td>
                    <Table.Td>{p.email}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </>
      )}
    </Stack>
  );
}
