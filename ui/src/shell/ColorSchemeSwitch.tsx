import { SegmentedControl, Stack, Text, useMantineColorScheme, type MantineColorScheme } from "@mantine/core";
import { useTranslation } from "react-i18next";

const SCHEMES: MantineColorScheme[] = ["auto", "light", "dark"];

/**
 * Light, dark, or "auto" (follow the operating system, the default). Mantine remembers the choice in
 * localStorage, so it survives a restart.
 */
export function ColorSchemeSwitch() {
  const { t } = useTranslation();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <Stack gap={2}>
      {/* A visible label tied to the radio group, as the language Select has one. */}
      <Text size="xs" fw={500} id="color-scheme-label">
        {t("colorScheme.label")}
      </Text>
      <SegmentedControl
        aria-labelledby="color-scheme-label"
        size="xs"
        value={colorScheme}
        data={SCHEMES.map((scheme) => ({ value: scheme, label: t(`colorScheme.${scheme}`) }))}
        onChange={(value) => setColorScheme(value as MantineColorScheme)}
      />
    </Stack>
  );
}
