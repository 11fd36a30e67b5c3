import { ActionIcon, Badge, Group, Text, Tooltip } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useBackend, type StatusFigures, type SystemStatus } from "../backend";

/** What the check counted, in the user's language (Rust's English summary is the fallback). */
function figuresText(t: TFunction, figures: StatusFigures): string {
  switch (figures.kind) {
    case "Protime":
      return t("status.people", { count: figures.people });
    case "TimeClock":
      return `${t("status.employees", { count: figures.employees })} · ${t("status.sessionsToday", { count: figures.sessions_today })}`;
  }
}

function SystemBadge({ label, status, checking }: { label: string; status?: SystemStatus; checking: boolean }) {
  const { t } = useTranslation();
  const state = checking && !status ? "checking" : status?.ok ? "ok" : "error";
  const color = state === "ok" ? "green" : state === "checking" ? "gray" : "red";
  const word = state === "ok" ? t("status.connected") : state === "checking" ? t("status.checking") : t("status.failed");
  const figures = status?.figures ? figuresText(t, status.figures) : status?.summary;
  return (
    <Tooltip label={status?.error?.message ?? figures ?? word} multiline w={360}>
      <Group gap={6} role="status" aria-label={`${label}: ${word}`} data-state={state} wrap="nowrap">
        <Badge color={color} variant="dot" size="lg" tt="none" style={{ flexShrink: 0 }}>
          {label}: {word}
        </Badge>
        {figures && (
          <Text size="xs" c="dimmed" truncate="end" maw={240}>
            {figures}
          </Text>
        )}
      </Group>
    </Tooltip>
  );
}

/** Active profile and a live connection check of both systems, through the real clients. */
export function StatusBar() {
  const { t } = useTranslation();
  const backend = useBackend();
  const profile = useQuery({ queryKey: ["activeProfile"], queryFn: () => backend.activeProfile() });
  const outbox = useQuery({ queryKey: ["outbox", "counts"], queryFn: () => backend.outboxCounts(), refetchInterval: 15_000 });
  const status = useQuery({
    queryKey: ["connectionStatus"],
    queryFn: () => backend.connectionStatus(),
    refetchInterval: 60_000,
  });
  return (
    <Group h="100%" justify="space-between" wrap="nowrap">
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" fw={600}>
          {t("status.profile")}:
        </Text>
        <Badge color={profile.data?.color ?? "gray"} aria-label={t("status.profile")} style={{ flexShrink: 0 }}>
          {profile.data?.name ?? "…"}
        </Badge>
        {outbox.data && (
          <Text
            size="xs"
            c={outbox.data.rejected + outbox.data.unknown > 0 ? "orange" : "dimmed"}
            aria-label="Outbox"
            style={{ whiteSpace: "nowrap" }}
          >
            {t("status.outbox", {
              waiting: outbox.data.pending + outbox.data.queued,
              unknown: outbox.data.unknown,
              rejected: outbox.data.rejected,
            })}
          </Text>
        )}
      </Group>
      <Group gap="lg" wrap="nowrap">
        <SystemBadge label={t("status.protime")} status={status.data?.protime} checking={status.isFetching} />
        <SystemBadge label={t("status.timeclock")} status={status.data?.timeclock} checking={status.isFetching} />
        <ActionIcon
          variant="subtle"
          aria-label={t("status.recheck")}
          onClick={() => void status.refetch()}
          loading={status.isFetching}
        >
          ↻
        </ActionIcon>
      </Group>
    </Group>
  );
}
