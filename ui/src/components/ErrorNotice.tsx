import { Alert, Button, List, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { BackendError } from "../backend";

/** What went wrong and what to do next, with the server's reasons when there are any. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : String(error);
  const reasons = error instanceof BackendError ? error.reasons : [];
  return (
    <Alert color="red" title={t("common.error")} role="alert">
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        {reasons.length > 0 && (
          <List size="sm">
            {reasons.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
        )}
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry} w="fit-content">
            {t("common.retry")}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
