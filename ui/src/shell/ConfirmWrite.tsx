import { Alert, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useBackend } from "../backend";

/**
 * Runs a write with the `confirmed` flag its command needs: at once with `false` on a non-production
 * profile (no question asked), with `true` once the user confirmed a write to a production profile,
 * and not at all when they cancelled (then `cancelled` runs, so a form can unlock its button).
 */
type ConfirmWrite = (write: (confirmed: boolean) => void, cancelled?: () => void) => void;

const ConfirmWriteContext = createContext<ConfirmWrite>((write) => write(false));

export function useConfirmWrite(): ConfirmWrite {
  return useContext(ConfirmWriteContext);
}

/** Asks "write to production?" before every write while a production profile is active. */
export function ConfirmWriteProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const profile = useQuery({ queryKey: ["activeProfile"], queryFn: () => backend.activeProfile() });
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const pending = useRef<((confirmed: boolean) => void) | null>(null);
  const onCancel = useRef<(() => void) | null>(null);
  const name = profile.data?.name ?? "";

  const confirm = useCallback<ConfirmWrite>(
    (write, cancelled) => {
      if (!profile.data?.is_production) {
        write(false);
        return;
      }
      onCancel.current?.();
      pending.current = write;
      onCancel.current = cancelled ?? null;
      setTyped("");
      setOpen(true);
    },
    [profile.data?.is_production],
  );

  const close = (confirmed: boolean) => {
    setOpen(false);
    if (confirmed) pending.current?.(true);
    else onCancel.current?.();
    pending.current = null;
    onCancel.current = null;
  };

  return (
    <ConfirmWriteContext.Provider value={confirm}>
      {children}
      <Modal opened={open} onClose={() => close(false)} title={t("settings.confirmWrite.title")} centered>
        <Stack>
          <Alert color="red">{t("settings.confirmWrite.body", { name })}</Alert>
          <TextInput
            label={t("settings.confirmWrite.typeName", { name })}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close(false)}>
              {t("settings.cancel")}
            </Button>
            <Button color="red" disabled={typed.trim() !== name} onClick={() => close(true)}>
              {t("settings.confirmWrite.confirm")}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t("settings.confirmWrite.why")}
          </Text>
        </Stack>
      </Modal>
    </ConfirmWriteContext.Provider>
  );
}
