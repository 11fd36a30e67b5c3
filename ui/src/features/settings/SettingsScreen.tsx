import { Alert, Badge, Button, Card, Drawer, Group, List, Loader, Modal, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Fragment, useState } from "react";
import { useBackend, type ConnectionTest, type ProfileView, type UnsentChoice } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ScreenHeader } from "../../components/ScreenHeader";
import { ConnectionTestResult } from "./ConnectionTestResult";
import { ProfileForm } from "./ProfileForm";
import { emptyFields, fieldsOf, type ProfileFields } from "./profileForm";
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
  const [test, setTest] = useState<{ id: string; name: string; result: ConnectionTest } | null>(null);

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
    onSuccess: (result, p) => setTest({ id: p.settings.id, name: p.settings.name, result }),
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
                <Fragment key={p.settings.id}>
                  <Table.Tr data-profile-id={p.settings.id} data-active={p.is_active ? "true" : "false"}>
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
                  {test?.id === p.settings.id && (
                    <Table.Tr>
                      <Table.Td colSpan={4}>
                        <ConnectionTestResult test={test.result} name={test.name} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {actionError && <ErrorNotice error={actionError} />}
      </Card>

      <Drawer
        opened={form !== null}
        onClose={() => setForm(null)}
        position="right"
        size={640}
        title={form?.id ? t("settings.form.edit") : t("settings.form.add")}
      >
        {form && <ProfileForm key={formKey} initial={form} onDone={() => setForm(null)} />}
      </Drawer>

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
