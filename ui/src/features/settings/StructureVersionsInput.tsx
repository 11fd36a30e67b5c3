import { ActionIcon, Button, Fieldset, Group, Stack, TagsInput, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { StrictDateInput } from "../../components/StrictDateInput";
import { emptyVersion, type VersionRow } from "./profileForm";

/**
 * The activity structure versions of a profile, one box per version. Protime has no endpoint that
 * lists them, so the user copies each id from myProtime; the start date says from which day the
 * clocking form uses that version (the one in force on the clocking's date, as Protime books it).
 */
export function StructureVersionsInput({ value, onChange }: { value: VersionRow[]; onChange: (rows: VersionRow[]) => void }) {
  const { t } = useTranslation();
  const update = (index: number, patch: Partial<VersionRow>) =>
    onChange(value.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs">
      <div>
        <Text size="sm" fw={500}>
          {t("settings.versions.title")}
        </Text>
        <Text size="xs" c="dimmed">
          {t("settings.versions.help")}
        </Text>
      </div>
      {value.map((row, index) => {
        const legend = row.name.trim() || row.id.trim() || t("settings.versions.number", { number: index + 1 });
        return (
          <Fieldset key={index} legend={legend} p="sm">
            <Group align="flex-start" gap="sm" wrap="nowrap">
              <Stack gap="xs" style={{ flex: 1 }}>
                <Group grow align="flex-start">
                  <TextInput
                    label={t("settings.versions.id")}
                    placeholder="b2347a7a-d60d-446f-b03b-7e52cc8c3281"
                    ff="monospace"
                    dir="ltr"
                    value={row.id}
                    onChange={(e) => update(index, { id: e.currentTarget.value })}
                  />
                  <TextInput
                    label={t("settings.versions.name")}
                    value={row.name}
                    onChange={(e) => update(index, { name: e.currentTarget.value })}
                  />
                </Group>
                <Group grow align="flex-start">
                  <TagsInput
                    label={t("settings.versions.levels")}
                    description={t("settings.versions.levelsHelp")}
                    value={row.levels}
                    onChange={(levels) => update(index, { levels })}
                    splitChars={[">"]}
                  />
                  <StrictDateInput
                    label={t("settings.versions.validFrom")}
                    description={t("settings.versions.validFromHelp")}
                    optional
                    value={row.validFrom}
                    onChange={(validFrom) => update(index, { validFrom })}
                  />
                </Group>
              </Stack>
              <ActionIcon
                mt={28}
                variant="subtle"
                color="red"
                aria-label={t("settings.versions.remove", { name: legend })}
                onClick={() => onChange(value.filter((_, i) => i !== index))}
              >
                ×
              </ActionIcon>
            </Group>
          </Fieldset>
        );
      })}
      <Group>
        <Button variant="light" size="compact-sm" onClick={() => onChange([...value, emptyVersion()])}>
          {t("settings.versions.add")}
        </Button>
      </Group>
    </Stack>
  );
}
