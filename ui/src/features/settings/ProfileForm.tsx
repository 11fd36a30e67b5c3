import { Button, Checkbox, Collapse, ColorInput, Group, PasswordInput, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBackend, type UnsentChoice } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Segmented } from "../../components/Segmented";
import { DEFAULT_SCOPES, emptyFields, inputOf, type Environment, type ProfileFields } from "./profileForm";
import { StructureVersionsInput } from "./StructureVersionsInput";
import { isUnsentClockings, UnsentClockingsModal } from "./UnsentClockingsModal";

/** True when the profile uses something other than the defaults HR never needs to see. */
function usesAdvanced(f: ProfileFields): boolean {
  const base = emptyFields();
  return (
    f.timeclockEndpoint !== base.timeclockEndpoint ||
    f.scopes.split(/\s+/).filter(Boolean).join(" ") !== DEFAULT_SCOPES.join(" ") ||
    f.structureVersions.length > 0 ||
    f.defaultZone.trim() !== ""
  );
}

/**
 * A connection profile as HR fills it in: name, the Protime tenant and its client id and secret,
 * and the TimeClock 365 key. Addresses, scopes, activity structure versions and the default time
 * zone sit under "Advanced", open from the start only when the profile already uses them.
 */
export function ProfileForm({ initial, onDone }: { initial: ProfileFields; onDone: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [f, setF] = useState<ProfileFields>(initial);
  const [advanced, setAdvanced] = useState(() => usesAdvanced(initial));
  const set = <K extends keyof ProfileFields>(key: K, value: ProfileFields[K]) => setF((old) => ({ ...old, [key]: value }));
  const save = useMutation({
    mutationFn: (unsent?: UnsentChoice) => backend.saveProfile(inputOf(f), unsent ?? null),
    onSuccess: () => {
      void queryClient.invalidateQueries();
      onDone();
    },
  });
  const unsentError = isUnsentClockings(save.error) ? save.error : null;
  const editing = f.id !== null;
  const envs: Environment[] = ["Production", "SandboxEnvironment", "Custom"];
  return (
    <form aria-label={editing ? t("settings.form.edit") : t("settings.form.add")} onSubmit={(e) => e.preventDefault()}>
      <Stack>
        <Group grow align="flex-start">
          <TextInput label={t("settings.form.name")} value={f.name} onChange={(e) => set("name", e.currentTarget.value)} />
          <ColorInput label={t("settings.form.color")} value={f.color} onChange={(v) => set("color", v)} format="hex" />
        </Group>
        <Title order={4}>{t("status.protime")}</Title>
        <Segmented
          label={t("settings.form.environment")}
          value={f.environment}
          data={envs.map((e) => ({ value: e, label: t(`settings.env.${e}`) }))}
          onChange={(v) => set("environment", v)}
        />
        {f.environment === "Custom" ? (
          <Group grow align="flex-start">
            <TextInput dir="ltr" label={t("settings.form.apiBase")} value={f.apiBase} onChange={(e) => set("apiBase", e.currentTarget.value)} />
            <TextInput dir="ltr" label={t("settings.form.tokenUrl")} value={f.tokenUrl} onChange={(e) => set("tokenUrl", e.currentTarget.value)} />
          </Group>
        ) : (
          <TextInput
            label={t("settings.form.tenant")}
            description={t("settings.form.tenantHelp")}
            value={f.tenant}
            onChange={(e) => set("tenant", e.currentTarget.value)}
          />
        )}
        <Group grow align="flex-start">
          <TextInput label={t("settings.form.clientId")} value={f.clientId} onChange={(e) => set("clientId", e.currentTarget.value)} />
          <PasswordInput
            label={t("settings.form.clientSecret")}
            description={editing ? t("settings.form.keepSecret") : t("settings.form.secretHelp")}
            value={f.clientSecret}
            onChange={(e) => set("clientSecret", e.currentTarget.value)}
            autoComplete="off"
          />
        </Group>
        {f.environment !== "Production" && (
          <Checkbox
            label={t("settings.form.treatAsProduction")}
            checked={f.treatAsProduction}
            onChange={(e) => set("treatAsProduction", e.currentTarget.checked)}
          />
        )}
        <Title order={4}>{t("status.timeclock")}</Title>
        <PasswordInput
          label={t("settings.form.apiKey")}
          description={editing ? t("settings.form.keepSecret") : t("settings.form.secretHelp")}
          value={f.apiKey}
          onChange={(e) => set("apiKey", e.currentTarget.value)}
          autoComplete="off"
        />
        <div>
          <Button variant="subtle" px={0} aria-expanded={advanced} aria-controls="profile-advanced" onClick={() => setAdvanced((a) => !a)}>
            {advanced ? "▾ " : "▸ "}
            {t("settings.form.advanced")}
          </Button>
          <Text size="xs" c="dimmed">
            {t("settings.form.advancedHelp")}
          </Text>
        </div>
        <Collapse in={advanced} id="profile-advanced">
          <Stack>
            <TextInput
              dir="ltr"
              label={t("settings.form.endpoint")}
              description={t("settings.form.endpointHelp")}
              value={f.timeclockEndpoint}
              onChange={(e) => set("timeclockEndpoint", e.currentTarget.value)}
            />
            <TextInput
              label={t("settings.form.defaultZone")}
              description={t("settings.form.defaultZoneHelp")}
              placeholder="Europe/Brussels"
              value={f.defaultZone}
              onChange={(e) => set("defaultZone", e.currentTarget.value)}
            />
            <Textarea
              dir="ltr"
              label={t("settings.form.scopes")}
              description={t("settings.form.scopesHelp")}
              value={f.scopes}
              onChange={(e) => set("scopes", e.currentTarget.value)}
              autosize
              minRows={3}
              maxRows={8}
            />
            <StructureVersionsInput value={f.structureVersions} onChange={(rows) => set("structureVersions", rows)} />
          </Stack>
        </Collapse>
        {save.isError && !unsentError && <ErrorNotice error={save.error} />}
        <Group>
          <Button type="submit" onClick={() => save.mutate(undefined)} loading={save.isPending}>
            {t("settings.form.save")}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t("settings.cancel")}
          </Button>
        </Group>
      </Stack>
      <UnsentClockingsModal
        error={unsentError}
        deleting={false}
        busy={save.isPending}
        onChoose={(unsent) => save.mutate(unsent)}
        onCancel={() => save.reset()}
      />
    </form>
  );
}
