import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  ColorInput,
  Group,
  List,
  Loader,
  Modal,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBackend, type ConnectionTest, type ProfileView, type SystemTest, type UnsentChoice } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ScreenHeader } from "../../components/ScreenHeader";
import { Segmented } from "../../components/Segmented";
import { emptyFields, fieldsOf, inputOf, type Environment, type ProfileFields } from "./profileForm";
import { isUnsentClockings, UnsentClockingsModal } from "./UnsentClockingsModal";

function targetLabel(t: (k: string) => string, p: ProfileView): string {
  const target = p.settings.protime;
  switch (target.kind) {
    case "BuiltinSandbox":
      return t("settings.env.builtin");
    case "Production":
      return `${t("settings.env.Production")} · ${target.tenant}`;
    case "SandboxEnvironment":
      return `${t("settings.env.SandboxEnvironment")} · ${target.tenant}`;
    case "Custom":
      return `${t("settings.env.Custom")} · ${target.api_base}`;
  }
}

function SystemResult({ label, result }: { label: string; result: SystemTest }) {
  const { t } = useTranslation();
  const problem = result.problem;
  return (
    <Stack gap={4} role="status" aria-label={`${label}: ${result.ok ? t("settings.test.ok") : t("settings.test.failed")}`}>
      <Group gap="xs">
        <Badge color={result.ok ? "green" : "red"}>{label}</Badge>
        <Text fw={600} size="sm">
          {result.ok ? t("settings.test.ok") : t(`settings.problem.${problem?.kind ?? "Other"}`)}
        </Text>
        <Text size="xs" c="dimmed">
          {result.latency_ms} ms
        </Text>
      </Group>
      <Text size="sm">{result.message}</Text>
      {problem?.kind === "MissingScope" && (
        <Table withTableBorder aria-label={t("settings.test.scopes")}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th>{t("settings.test.missing")}</Table.Th>
              <Table.Td>{problem.missing.join(", ") || "—"}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("settings.test.granted")}</Table.Th>
              <Table.Td>{problem.granted.join(", ") || "—"}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("settings.test.requested")}</Table.Th>
              <Table.Td>{problem.requested.join(", ")}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function TestResult({ test, name }: { test: ConnectionTest; name: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder aria-label={t("settings.test.title", { name })} component="section">
      <Title order={4} mb="xs">
        {t("settings.test.title", { name })}
      </Title>
      <Stack>
        <SystemResult label={t("status.protime")} result={test.protime} />
        <SystemResult label={t("status.timeclock")} result={test.timeclock} />
      </Stack>
    </Card>
  );
}

function ProfileForm({ initial, onDone }: { initial: ProfileFields; onDone: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [f, setF] = useState<ProfileFields>(initial);
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
    <Card withBorder component="form" aria-label={editing ? t("settings.form.edit") : t("settings.form.add")} onSubmit={(e) => e.preventDefault()}>
      <Title order={3} mb="sm">
        {editing ? t("settings.form.edit") : t("settings.form.add")}
      </Title>
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
            <TextInput label={t("settings.form.apiBase")} value={f.apiBase} onChange={(e) => set("apiBase", e.currentTarget.value)} />
            <TextInput label={t("settings.form.tokenUrl")} value={f.tokenUrl} onChange={(e) => set("tokenUrl", e.currentTarget.value)} />
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
        <Textarea
          label={t("settings.form.scopes")}
          description={t("settings.form.scopesHelp")}
          value={f.scopes}
          onChange={(e) => set("scopes", e.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={8}
        />
        <Textarea
          label={t("settings.form.versions")}
          description={t("settings.form.versionsHelp")}
          value={f.structureVersions}
          onChange={(e) => set("structureVersions", e.currentTarget.value)}
          autosize
          minRows={2}
        />
        {f.environment !== "Production" && (
          <Checkbox
            label={t("settings.form.treatAsProduction")}
            checked={f.treatAsProduction}
            onChange={(e) => set("treatAsProduction", e.currentTarget.checked)}
          />
        )}
        <Title order={4}>{t("status.timeclock")}</Title>
        <Group grow align="flex-start">
          <TextInput
            label={t("settings.form.endpoint")}
            value={f.timeclockEndpoint}
            onChange={(e) => set("timeclockEndpoint", e.currentTarget.value)}
          />
          <PasswordInput
            label={t("settings.form.apiKey")}
            description={editing ? t("settings.form.keepSecret") : t("settings.form.secretHelp")}
            value={f.apiKey}
            onChange={(e) => set("apiKey", e.currentTarget.value)}
            autoComplete="off"
          />
        </Group>
        <TextInput
          label={t("settings.form.defaultZone")}
          description={t("settings.form.defaultZoneHelp")}
          placeholder="Europe/Brussels"
          value={f.defaultZone}
          onChange={(e) => set("defaultZone", e.currentTarget.value)}
          maw={420}
        />
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
    </Card>
  );
}

export function SettingsScreen() {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const profile = useQuery({ queryKey: ["activeProfile"], queryFn: () => backend.activeProfile() });
  const info = useQuery({ queryKey: ["appInfo"], queryFn: () => backend.appInfo() });
  const profiles = useQuery({ queryKey: ["profiles"], queryFn: () => backend.listProfiles() });
  const [form, setForm] = useState<ProfileFields | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [toDelete, setToDelete] = useState<ProfileView | null>(null);
  const [test, setTest] = useState<{ name: string; result: ConnectionTest } | null>(null);

  const refreshAll = () => void queryClient.invalidateQueries();
  const openLogs = useMutation({ mutationFn: () => backend.openLogFolder() });
  const switchTo = useMutation({ mutationFn: (id: string) => backend.switchProfile(id), onSuccess: refreshAll });
  const duplicate = useMutation({ mutationFn: (id: string) => backend.duplicateProfile(id), onSuccess: refreshAll });
  const remove = useMutation({
    mutationFn: ({ id, unsent }: { id: string; unsent?: UnsentChoice }) => backend.deleteProfile(id, unsent ?? null),
    onSuccess: () => {
      setToDelete(null);
      refreshAll();
    },
  });
  const removeUnsent = isUnsentClockings(remove.error) ? remove.error : null;
  const testConnection = useMutation({
    mutationFn: (p: ProfileView) => backend.testConnection(p.settings.id),
    onSuccess: (result, p) => setTest({ name: p.settings.name, result }),
  });
  const openForm = (fields: ProfileFields) => {
    setForm(fields);
    setFormKey((k) => k + 1);
  };
  const actionError = switchTo.error ?? duplicate.error ?? testConnection.error;

  return (
    <Stack>
      <ScreenHeader title={t("settings.title")} intro={t("settings.intro")} />
      <Card withBorder maw={1100}>
        <Title order={3} mb="sm">
          {t("settings.activeProfile")}
        </Title>
        {profile.isPending && <Loader aria-label={t("common.loading")} />}
        {profile.isError && <ErrorNotice error={profile.error} />}
        {profile.data && (
          <Stack gap="xs">
            <Group>
              <Badge color={profile.data.color} size="lg">
                {profile.data.name}
              </Badge>
              {profile.data.is_builtin && <Text size="sm">{t("settings.builtin")}</Text>}
              {profile.data.is_production && (
                <Badge color="red" variant="outline">
                  {t("settings.production")}
                </Badge>
              )}
            </Group>
            <Table aria-label={t("settings.activeProfile")}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th>{t("settings.sandboxUrl")}</Table.Th>
                  <Table.Td>{info.data?.sandbox_url ?? "—"}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t("settings.secretStore")}</Table.Th>
                  <Table.Td>{info.data?.secret_store ?? "…"}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t("settings.logFolder")}</Table.Th>
                  <Table.Td>
                    <Group gap="xs">
                      <Text size="sm" ff="monospace">
                        {info.data?.log_dir ?? "…"}
                      </Text>
                      <Button size="compact-xs" variant="light" onClick={() => openLogs.mutate()} loading={openLogs.isPending}>
                        {t("settings.openLogFolder")}
                      </Button>
                    </Group>
                    {openLogs.isError && <ErrorNotice error={openLogs.error} />}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t("settings.version")}</Table.Th>
                  <Table.Td>{info.data?.version ?? "…"}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </Card>

      <Card withBorder maw={1100}>
        <Group justify="space-between" mb="sm">
          <Title order={3}>{t("settings.profiles")}</Title>
          <Button onClick={() => openForm(emptyFields())}>{t("settings.add")}</Button>
        </Group>
        {profiles.isPending && <Loader aria-label={t("common.loading")} />}
        {profiles.isError && <ErrorNotice error={profiles.error} />}
        {profiles.data && (
          <Table aria-label={t("settings.profiles")} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("settings.columns.name")}</Table.Th>
                <Table.Th>{t("status.protime")}</Table.Th>
                <Table.Th>{t("settings.columns.secrets")}</Table.Th>
                <Table.Th>{t("settings.columns.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {profiles.data.map((p) => (
                <Table.Tr key={p.settings.id} data-profile-id={p.settings.id} data-active={p.is_active ? "true" : "false"}>
                  <Table.Td>
                    <Group gap="xs">
                      <Badge color={p.settings.color} tt="none" styles={{ root: { maxWidth: "none" }, label: { overflow: "visible" } }}>
                        {p.settings.name}
                      </Badge>
                      {p.is_active && <Text size="xs">{t("settings.activeMark")}</Text>}
                      {p.is_production && (
                        <Badge color="red" variant="outline" size="xs">
                          {t("settings.production")}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" truncate="end" maw={320}>
                      {targetLabel(t, p)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {p.is_builtin
                        ? t("settings.secretsBuiltin")
                        : p.has_client_secret && p.has_api_key
                          ? t("settings.secretsStored")
                          : t("settings.secretsMissing")}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="compact-sm"
                        disabled={p.is_active}
                        aria-label={t("settings.actions.switchTo", { name: p.settings.name })}
                        loading={switchTo.isPending && switchTo.variables === p.settings.id}
                        onClick={() => switchTo.mutate(p.settings.id)}
                      >
                        {t("settings.actions.switch")}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="light"
                        aria-label={t("settings.actions.testOf", { name: p.settings.name })}
                        loading={testConnection.isPending && testConnection.variables?.settings.id === p.settings.id}
                        onClick={() => testConnection.mutate(p)}
                      >
                        {t("settings.actions.test")}
                      </Button>
                      {!p.is_builtin && (
                        <>
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={t("settings.actions.editOf", { name: p.settings.name })}
                            onClick={() => openForm(fieldsOf(p.settings))}
                          >
                            {t("settings.actions.edit")}
                          </Button>
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={t("settings.actions.duplicateOf", { name: p.settings.name })}
                            onClick={() => duplicate.mutate(p.settings.id)}
                          >
                            {t("settings.actions.duplicate")}
                          </Button>
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            aria-label={t("settings.actions.deleteOf", { name: p.settings.name })}
                            onClick={() => setToDelete(p)}
                          >
                            {t("settings.actions.delete")}
                          </Button>
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {actionError && <ErrorNotice error={actionError} />}
      </Card>

      {test && <TestResult test={test.result} name={test.name} />}
      {form && <ProfileForm key={formKey} initial={form} onDone={() => setForm(null)} />}

      <Modal opened={toDelete !== null} onClose={() => setToDelete(null)} title={t("settings.delete.title")} centered>
        <Stack>
          <Text>{t("settings.delete.body", { name: toDelete?.settings.name ?? "" })}</Text>
          {remove.isError && !removeUnsent && <ErrorNotice error={remove.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setToDelete(null)}>
              {t("settings.cancel")}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => toDelete && remove.mutate({ id: toDelete.settings.id })}>
              {t("settings.delete.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <UnsentClockingsModal
        error={removeUnsent}
        deleting
        busy={remove.isPending}
        onChoose={(unsent) => toDelete && remove.mutate({ id: toDelete.settings.id, unsent })}
        onCancel={() => remove.reset()}
      />
      <Alert color="gray" maw={1100} title={t("settings.secretsTitle")}>
        <List size="sm">
          <List.Item>{t("settings.secretsNote1")}</List.Item>
          <List.Item>{t("settings.secretsNote2")}</List.Item>
        </List>
      </Alert>
    </Stack>
  );
}
