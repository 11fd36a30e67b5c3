import { Stack, Text, Title } from "@mantine/core";

/** Title and one-paragraph purpose of a screen. The title is the screen's main heading. */
export function ScreenHeader({ title, intro }: { title: string; intro: string }) {
  return (
    <Stack gap={4} mb="md">
      <Title order={2}>{title}</Title>
      <Text c="dimmed" maw={860}>
        {intro}
      </Text>
    </Stack>
  );
}
