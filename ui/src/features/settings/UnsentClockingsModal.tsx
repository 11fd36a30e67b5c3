import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { BackendError, type UnsentChoice } from "../../backend";

/** True when the backend refused a profile change because clockings of its tenant are unsent. */
export function isUnsentClockings(error: unknown): error is BackendError {
  return error instanceof BackendError && error.code === "UnsentClockings";
}

/**
 * Asks what happens to a tenant's unsent clockings before its profile points elsewhere or is
 * deleted: send them to the old tenant, discard them, or keep them waiting for that tenant. They are
 * never redirected to the new one.
 */
export function UnsentClockingsModal({
  error,
  deleting,
  busy,
  onChoose,
  onCancel,
}: {
  error: BackendError | null;
  deleting: boolean;
  busy: boolean;
  onChoose: (choice: UnsentChoice) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const count = Number(error?.reasons[0] ?? 0);
  return (
    <Modal opened={error !== null} onClose={onCancel} title={t("settings.unsent.title")} centered size="lg">
      <Stack>
        <Text>{t(deleting ? "settings.unsent.bodyDelete" : "settings.unsent.bodyChange", { count })}</Text>
        <Text size="sm" c="dimmed">
          {t("settings.unsent.never")}
        </Text>
        <Group justify="flex-end" wrap="wrap">
          <Button variant="default" onClick={onCancel}>
            {t("settings.cancel")}
          </Button>
          <Button variant="light" color="red" loading={busy} onClick={() => onChoose("Discard")}>
            {t("settings.unsent.discard", { count })}
          </Button>
          <Button variant="light" loading={busy} onClick={() => onChoose("KeepWaiting")}>
            {t("settings.unsent.keep")}
          </Button>
          <Button loading={busy} onClick={() => onChoose("SendToOldTenant")}>
            {t("settings.unsent.send")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
