import { Alert, Button, Group, List, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useInRouterContext, useNavigate } from "react-router";
import { BackendError } from "../backend";
import { adviceFor } from "./errorAdvice";

/** Opens the screen where the error's cause is fixed (only inside the app's router). */
function FixButton({ path, label }: { path: string; label: string }) {
  const navigate = useNavigate();
  return (
    <Button size="xs" variant="light" color="red" onClick={() => navigate(path)} w="fit-content">
      {label}
    </Button>
  );
}

/**
 * What went wrong and what to do next: a title and advice from the error's code, Rust's message, the
 * server's reasons when there are any, "Try again" when trying again can help, and a way to the screen
 * where the cause is fixed.
 */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const inRouter = useInRouterContext();
  const message = error instanceof Error ? error.message : String(error);
  const backendError = error instanceof BackendError ? error : null;
  const advice = backendError ? adviceFor(backendError.code) : null;
  const reasons = backendError?.reasons ?? [];
  return (
    <Alert color="red" title={advice ? t(advice.title) : t("common.error")} role="alert" data-error-code={backendError?.code}>
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        {reasons.length > 0 && (
          <List size="sm">
            {reasons.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
        )}
        {advice && <Text size="sm">{t(advice.advice)}</Text>}
        <Group gap="xs">
          {onRetry && (advice === null || advice.retryable) && (
            <Button size="xs" variant="light" color="red" onClick={onRetry} w="fit-content">
              {t("common.retry")}
            </Button>
          )}
          {advice?.fixAt && inRouter && <FixButton path={advice.fixAt} label={t("common.openSettings")} />}
        </Group>
      </Stack>
    </Alert>
  );
}
