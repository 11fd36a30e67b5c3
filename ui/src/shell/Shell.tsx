import { AppShell, Group, NavLink, Select, Title, useDirection } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { LANGUAGES, directionOf, rememberLanguage, type LanguageCode } from "../i18n";
import { ClockingsScreen } from "../features/clockings/ClockingsScreen";
import { TimesheetsScreen } from "../features/timesheets/TimesheetsScreen";
import { ActivitiesScreen } from "../features/activities/ActivitiesScreen";
import { AccessScreen } from "../features/access/AccessScreen";
import { SettingsScreen } from "../features/settings/SettingsScreen";
import { AuditScreen } from "../features/audit/AuditScreen";
import { ConfirmWriteProvider } from "./ConfirmWrite";
import { StatusBar } from "./StatusBar";
import { ProfileFrame } from "./ProfileFrame";
import { ColorSchemeSwitch } from "./ColorSchemeSwitch";
import { MAIN_ID, SkipLink } from "./SkipLink";
import { KeyboardShortcuts, ShortcutsButton } from "./Shortcuts";

export const SCREENS = [
  { path: "/clockings", key: "nav.clockings", element: <ClockingsScreen /> },
  { path: "/timesheets", key: "nav.timesheets", element: <TimesheetsScreen /> },
  { path: "/activities", key: "nav.activities", element: <ActivitiesScreen /> },
  { path: "/access", key: "nav.access", element: <AccessScreen /> },
  { path: "/audit", key: "nav.audit", element: <AuditScreen /> },
  { path: "/settings", key: "nav.settings", element: <SettingsScreen /> },
] as const;

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { setDirection } = useDirection();
  const language = (i18n.resolvedLanguage ?? "en") as LanguageCode;

  // Keep <html dir/lang> and Mantine's direction in step with the language (Hebrew is right-to-left).
  useEffect(() => {
    const dir = directionOf(language);
    document.documentElement.setAttribute("dir", dir);
    document.documentElement.setAttribute("lang", language);
    setDirection(dir);
  }, [language, setDirection]);

  return (
    <Select
      label={t("language.label")}
      data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      value={language}
      allowDeselect={false}
      w={150}
      size="xs"
      onChange={(value) => {
        if (!value) return;
        rememberLanguage(value as LanguageCode);
        void i18n.changeLanguage(value);
      }}
    />
  );
}

/** The window's title names the screen, so a screen reader (and the task switcher) says where one is. */
function useScreenTitle(pathname: string) {
  const { t } = useTranslation();
  const screen = SCREENS.find((s) => s.path === pathname);
  const title = screen ? `${t(screen.key)} · ${t("app.title")}` : t("app.title");
  useEffect(() => {
    document.title = title;
  }, [title]);
}

export function Shell() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [shortcutsOpen, shortcuts] = useDisclosure(false);
  useScreenTitle(location.pathname);
  return (
    <ProfileFrame>
      <ConfirmWriteProvider>
      <SkipLink />
      <KeyboardShortcuts screens={SCREENS} opened={shortcutsOpen} onOpen={shortcuts.open} onClose={shortcuts.close} />
      <AppShell header={{ height: 64 }} navbar={{ width: 220, breakpoint: 0 }} footer={{ height: 40 }} padding="md">
        <AppShell.Header px="md">
          <Group h="100%" justify="space-between" align="center">
            <Title order={3}>{t("app.title")}</Title>
            <Group gap="md" align="flex-end" wrap="nowrap">
              <ColorSchemeSwitch />
              <LanguageSwitch />
              <ShortcutsButton onClick={shortcuts.open} />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" component="nav" aria-label={t("nav.label")}>
          {SCREENS.map((s) => (
            <NavLink
              key={s.path}
              href={`#${s.path}`}
              label={t(s.key)}
              active={location.pathname === s.path}
              aria-current={location.pathname === s.path ? "page" : undefined}
              onClick={(event) => {
                event.preventDefault();
                navigate(s.path);
              }}
            />
          ))}
        </AppShell.Navbar>
        {/* Focusable from script only: the skip link and the screen shortcuts move the focus here. */}
        <AppShell.Main id={MAIN_ID} tabIndex={-1}>
          <Routes>
            {SCREENS.map((s) => (
              <Route key={s.path} path={s.path} element={s.element} />
            ))}
            <Route path="*" element={<Navigate to="/clockings" replace />} />
          </Routes>
        </AppShell.Main>
        <AppShell.Footer px="md">
          <StatusBar />
        </AppShell.Footer>
      </AppShell>
      </ConfirmWriteProvider>
    </ProfileFrame>
  );
}
