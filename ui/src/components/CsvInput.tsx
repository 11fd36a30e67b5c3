import { Alert, FileInput, Group, ScrollArea, Table, Textarea } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** One problem in a CSV file, as the Rust importers report it. */
export interface CsvProblem {
  line: number;
  column: string;
  message: string;
}

/**
 * A CSV file picked or pasted, and the problems Rust found in it by line and column. Both importers
 * (clockings, activity definitions) use it; what to do with a clean file is theirs.
 */
export function CsvInput({
  text,
  onText,
  fileLabel,
  pasteLabel,
  problemsTitle,
  problemsTableLabel,
  problems,
}: {
  text: string;
  onText: (text: string) => void;
  fileLabel: string;
  pasteLabel: string;
  problemsTitle: string;
  problemsTableLabel: string;
  problems: CsvProblem[];
}) {
  const { t } = useTranslation();
  return (
    <>
      <Group align="flex-start" grow>
        <FileInput label={fileLabel} accept=".csv,text/csv,text/plain" clearable onChange={async (file) => onText(file ? await file.text() : "")} />
        <Textarea
          label={pasteLabel}
          autosize
          minRows={3}
          maxRows={8}
          value={text}
          onChange={(e) => onText(e.currentTarget.value)}
          styles={{ input: { fontFamily: "monospace" } }}
        />
      </Group>
      {problems.length > 0 && (
        <Alert color="red" title={problemsTitle} role="alert">
          <ScrollArea.Autosize mah={220}>
            <Table aria-label={problemsTableLabel}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("import.line")}</Table.Th>
                  <Table.Th>{t("import.column")}</Table.Th>
                  <Table.Th>{t("import.problem")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {problems.map((e, i) => (
                  <Table.Tr key={`${e.line}-${e.column}-${i}`}>
                    <Table.Td>{e.line}</Table.Td>
                    <Table.Td>{e.column}</Table.Td>
                    <Table.Td>{e.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </Alert>
      )}
    </>
  );
}
