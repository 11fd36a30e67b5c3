import { ActionIcon, Group, Popover, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * Title and one-paragraph purpose of a screen. The title is the screen's main heading. With
 * `introAsHelp` the paragraph sits behind a "?" beside the title, for screens whose content must
 * start high on the page (the report viewer); `actions` then sit at the other end of the title line.
 */
export function ScreenHeader({ title, intro, introAsHelp = false, actions }: { title: string; intro: string; introAsHelp?: boolean; actions?: ReactNode }) {
  const { t } = useTranslation();
  if (introAsHelp) {
    return (
      <Group justify="space-between" wrap="nowrap" mb={4}>
      <Group gap="xs">
        <Title order={2}>{title}</Title>
        <Popover width={420} position="bottom-start" withArrow shadow="md">
          <Popover.Target>
            <ActionIcon variant="subtle" radius="xl" aria-label={t("common.aboutScreen")}>
              ?
            </ActionIcon>
          </Popover.Target>
          <Popover.Dropdown>
            <Text size="sm">{intro}</Text>
          </Popover.Dropdown>
        </Popover>
      </Group>
      {actions}
      </Group>
    );
  }
  return (
    <Stack gap={4} mb="md">
      <Title order={2}>{title}</Title>
      <Text c="dimmed" maw={860}>
        {intro}
      </Text>
    </Stack>
  );
}
