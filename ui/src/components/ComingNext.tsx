import { Alert, List } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** Says plainly which parts of a screen are still being built. */
export function ComingNext({ items }: { items: string[] }) {
  const { t } = useTranslation();
  return (
    <Alert variant="light" color="blue" title={t("coming.title")} maw={860} role="note">
      <List size="sm">
        {items.map((i) => (
          <List.Item key={i}>{i}</List.Item>
        ))}
      </List>
    </Alert>
  );
}
