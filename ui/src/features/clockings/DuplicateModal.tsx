import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { BackendError } from "../../backend";

/** True when the backend refused a submission because the same clocking was just submitted. */
export function isDuplicate(error: unknown): boolean {
  return error instanceof BackendError && error.code === "Duplicate";
}

/** "Send it again?" for a clocking identical to one submitted less than a minute ago. */
export function DuplicateModal({
  opened,
  busy,
  onSendAgain,
  onCancel,
}: {
  opened: boolean;
  busy: boolean;
  onSendAgain: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onCancel} title={t("clockings.duplicate.title")} centered>
      <Stack>
        <Text>{t("clockings.duplicate.body")}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("clockings.duplicate.cancel")}
          </Button>
          <Button color="orange" loading={busy} onClick={onSendAgain}>
            {t("clockings.duplicate.confirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
