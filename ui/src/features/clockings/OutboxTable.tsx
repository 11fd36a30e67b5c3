import { Alert, Badge, Button, Group, Modal, ScrollArea, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBackend, type OutboxItem, type OutboxStatus, type Reference } from "../../backend";
import { useConfirmWrite } from "../../shell/ConfirmWrite";
import { ErrorNotice } from "../../components/ErrorNotice";

const COLORS: Record<OutboxStatus, string> = {
  Pending: "gray",
  Sending: "blue",
  Sent: "green",
  Rejected: "red",
  Queued: "yellow",
  Unknown: "orange",
  Discarded: "gray",
};

export function referenceText(r: Reference): string {
  return r.by === "Id" ? r.id : `${r.name}=${r.value}`;
}

/** An RFC 3339 time as the user's local `YYYY-MM-DD HH:MM`. */
export function localDateTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The local `HH:MM` of an RFC 3339 time. */
export function localClock(rfc3339: string): string {
  return localDateTime(rfc3339).slice(11);
}

/** Recent submissions with their outcome; items that were not sent can be retried or discarded. */
export function OutboxTable() {
  const { t } = useTranslation();
  const backend = useBackend();
  const confirmWrite = useConfirmWrite();
  const queryClient = useQueryClient();
  const people = useQuery({ queryKey: ["people"], queryFn: () => backend.listPeople() });
  const names = new Map((people.data ?? []).map((p) => [String(p.id), p.name]));
  const personText = (r: Reference) => (r.by === "Id" ? (names.get(r.id) ?? r.id) : referenceText(r));
  const recent = useQuery({ queryKey: ["outbox", "recent"], queryFn: () => backend.outboxRecent(), refetchInterval: 15_000 });
  const [discarding, setDiscarding] = useState<OutboxItem | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["outbox"] });
  const retry = useMutation({
    mutationFn: ({ id, confirmed }: { id: number; confirmed: boolean }) => backend.outboxRetry(id, confirmed),
    onSettled: refresh,
  });
  // "Retry" on an uncertain item never sends: Protime is being checked, and the screen says until when.
  const stillChecking = retry.data?.status === "Unknown" && retry.data.checking_until ? retry.data.checking_until : null;
  const discard = useMutation({
    mutationFn: (id: number) => backend.outboxDiscard(id),
    onSettled: () => {
      setDiscarding(null);
      refresh();
    },
  });

  return (
    <>
      <Title order={3}>{t("outbox.title")}</Title>
      {recent.isError && <ErrorNotice error={recent.error} onRetry={() => void recent.refetch()} />}
      {(retry.isError || discard.isError) && <ErrorNotice error={retry.error ?? discard.error} />}
      {stillChecking && (
        <Alert color="orange" role="status" title={t("outbox.notResentTitle")}>
          {t("outbox.notResent", { time: localClock(stillChecking) })}
        </Alert>
      )}
      <ScrollArea h={260} type="auto">
        <Table striped stickyHeader aria-label={t("outbox.title")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("outbox.person")}</Table.Th>
              <Table.Th>{t("outbox.date")}</Table.Th>
              <Table.Th>{t("outbox.time")}</Table.Th>
              <Table.Th>{t("outbox.kind")}</Table.Th>
              <Table.Th>{t("outbox.statusLabel")}</Table.Th>
              <Table.Th>{t("outbox.protimeId")}</Table.Th>
              <Table.Th>{t("outbox.message")}</Table.Th>
              <Table.Th>{t("outbox.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(recent.data ?? []).length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text size="sm" c="dimmed">
                    {t("outbox.empty")}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {(recent.data ?? []).map((item) => (
              <Table.Tr key={item.id} data-status={item.status}>
                <Table.Td>{personText(item.draft.person)}</Table.Td>
                <Table.Td>{item.draft.date}</Table.Td>
                <Table.Td>{item.time_text}</Table.Td>
                <Table.Td>{t(`clockings.kinds.${item.draft.kind}`)}</Table.Td>
                <Table.Td>
                  <Badge color={COLORS[item.status]}>{t(`outbox.status.${item.status}`)}</Badge>
                </Table.Td>
                <Table.Td>{item.remote_id ?? "—"}</Table.Td>
                <Table.Td>
                  {item.status === "Unknown" && item.checking_until && (
                    <Text size="xs" fw={500}>
                      {t("outbox.checkingUntil", { time: localClock(item.checking_until) })}
                    </Text>
                  )}
                  <Text size="xs" lineClamp={2}>
                    {[item.message, ...item.reasons].filter(Boolean).join(" · ")}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {["Rejected", "Queued", "Unknown"].includes(item.status) && (
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="light" onClick={() => confirmWrite((confirmed) => retry.mutate({ id: item.id, confirmed }))}>
                        {t("outbox.retry")}
                      </Button>
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setDiscarding(item)}>
                        {t("outbox.discard")}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <Modal opened={discarding !== null} onClose={() => setDiscarding(null)} title={t("outbox.discardTitle")}>
        <Text size="sm" mb="md">
          {t("outbox.discardText")}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setDiscarding(null)}>
            {t("outbox.keep")}
          </Button>
          <Button color="red" loading={discard.isPending} onClick={() => discarding && discard.mutate(discarding.id)}>
            {t("outbox.discardConfirm")}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
