import { SegmentedControl, Stack, Text } from "@mantine/core";

/** A label above a SegmentedControl, tied to it for assistive technology. */
export function Segmented<T extends string>(props: {
  label: string;
  value: T;
  data: { value: T; label: string }[];
  onChange: (v: T) => void;
}) {
  const id = `seg-${props.label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        {props.label}
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        value={props.value}
        data={props.data}
        onChange={(v) => props.onChange(v as T)}
      />
    </Stack>
  );
}
