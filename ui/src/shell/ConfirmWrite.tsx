import { Alert, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useBackend } from "../backend";

/**
 * Resolves to the `confirmed` flag a write command needs: `false` on a non-production profile (no
 * question asked), `true` once the user confirmed a write to a production profile, `null` when they
 * cancelled.
 */
type ConfirmWrite = () => Promise<boolean | null>;

const ConfirmWriteContext = createContext<ConfirmWrite>(async () => false);

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
  const resolver = useRef<((v: boolean | null) => void) | null>(null);
  const name = profile.data?.name ?? "";

  const confirm = useCallback<ConfirmWrite>(() => {
    if (!profile.data?.is_production) return Promise.resolve(false);
    setTyped("");
    setOpen(true);
    return new Promise((resolve) => {
      resolver.current = resolve;
    });
  }, [profile.data?.is_production]);

  const close = (value: boolean | null) => {
    setOpen(false);
    resolver.current?.(value);
    resolver.current = null;
  };

  return (
    <ConfirmWriteContext.Provider value={confirm}>
      {children}
      <Modal opened={open} onClose={() => close(null)} title={t("settings.confirmWrite.title")} centered>
        <Stack>
          <Alert color="red">{t("settings.confirmWrite.body", { name })}</Alert>
          <TextInput
            label={t("settings.confirmWrite.typeName", { name })}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close(null)}>
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
