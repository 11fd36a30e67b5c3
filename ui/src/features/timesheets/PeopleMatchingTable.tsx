import { Badge, ScrollArea, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { PeopleMatching, PersonMatch } from "../../backend";

const STATUS_COLOR: Record<PersonMatch["status"], string> = {
  Matched: "green",
  Conflict: "red",
  OnlyTimeClock: "orange",
  OnlyProtime: "orange",
};

/**
 * How people were matched across TimeClock 365 and Protime (conflicts first, as the report sends
 * them). The first column is the number as compared; the next two show each system's own spelling,
 * so a zero-padded Protime number is visibly the same person as TimeClock's plain one.
 */
export function PeopleMatchingTable({ matching }: { matching: PeopleMatching }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={4}>{t("timesheets.matching.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("timesheets.matching.intro")}
      </Text>
      <Text size="sm" c="dimmed" data-testid="matching-rule">
        {t("timesheets.matching.rule")}
      </Text>
      <Text size="sm" data-testid="matching-summary" fw={500}>
        {t("timesheets.matching.summary", {
          matched: matching.matched,
          conflicts: matching.conflicts,
          onlyTimeClock: matching.only_timeclock,
          onlyProtime: matching.only_protime,
        })}
      </Text>
      <ScrollArea.Autosize mah={280} type="auto">
        <Table aria-label={t("timesheets.matching.title")} striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("timesheets.matching.number")}</Table.Th>
              <Table.Th>{t("timesheets.matching.timeclockNumber")}</Table.Th>
              <Table.Th>{t("timesheets.matching.protimeNumbers")}</Table.Th>
              <Table.Th>{t("timesheets.matching.status")}</Table.Th>
              <Table.Th>{t("timesheets.matching.timeclockEmail")}</Table.Th>
              <Table.Th>{t("timesheets.matching.protimeName")}</Table.Th>
              <Table.Th>{t("timesheets.matching.protimeEmail")}</Table.Th>
              <Table.Th>{t("timesheets.matching.note")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {matching.people.map((p) => (
              <Table.Tr key={`${p.employee_number}-${p.status}`} data-status={p.status}>
                <Table.Td>{p.employee_number}</Table.Td>
                <Table.Td data-testid="timeclock-number">{p.timeclock_number ?? ""}</Table.Td>
                <Table.Td data-testid="protime-numbers">{p.protime_numbers.join(", ")}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[p.status]} variant="light">
                    {t(`timesheets.matching.statuses.${p.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{p.timeclock_email ?? ""}</Table.Td>
                <Table.Td>{p.protime_name ?? ""}</Table.Td>
                <Table.Td>{p.protime_email ?? ""}</Table.Td>
                <Table.Td>
                  <Text size="sm">{p.note ?? ""}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}
