import { ActionIcon, Group, Kbd, Modal, Table, Text, Tooltip } from "@mantine/core";
import { useHotkeys, type HotkeyItem } from "@mantine/hooks";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { MAIN_ID } from "./SkipLink";
import { submitFocusedForm } from "./submitFocusedForm";

/** A screen the number shortcuts lead to, in navigation order. */
export interface ShortcutScreen {
  path: string;
  /** Its name's translation key. */
  key: string;
}

// macOS calls the modifiers Option and Command, and Cmd+Enter is its "send".
const IS_MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const ALT = IS_MAC ? "⌥ Option" : "Alt";
const MOD = IS_MAC ? "⌘ Cmd" : "Ctrl";

/** The keys of each shortcut, one list per way of pressing it. */
function shortcutList(screens: readonly ShortcutScreen[], t: (key: string, options?: Record<string, string>) => string) {
  return [
    ...screens.map((screen, index) => ({
      combos: [[ALT, String(index + 1)]],
      action: t("shortcuts.goTo", { screen: t(screen.key) }),
    })),
    { combos: [["Shift", "?"], ["F1"]], action: t("shortcuts.showHelp") },
    { combos: [[MOD, "Enter"]], action: t("shortcuts.submit") },
  ];
}

/**
 * The app's keyboard shortcuts, and the dialog that lists them:
 * - Alt+1 … Alt+6 open the screens in navigation order and put the focus on the screen;
 * - Shift+? (outside text fields) and F1 open this list;
 * - Ctrl+Enter (Cmd+Enter on macOS) sends the form the focus is in, even from inside a text field.
 */
export function KeyboardShortcuts({
  screens,
  opened,
  onOpen,
  onClose,
}: {
  screens: readonly ShortcutScreen[];
  opened: boolean;
  onOpen: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();

  const goTo = (path: string) => {
    onClose();
    navigate(path);
    // The main area stays mounted across screens: a screen reader lands on the new screen.
    document.getElementById(MAIN_ID)?.focus();
  };

  // Not in text fields: there "?" is a character, and on macOS Option+digit types one ("¡", "{", …).
  // The digits are matched by physical key, so Alt+1 is the same key on AZERTY, where "1" needs Shift.
  const outsideTextFields: HotkeyItem[] = [
    ...screens.map(
      (screen, index): HotkeyItem => [`alt+Digit${index + 1}`, () => goTo(screen.path), { preventDefault: true, usePhysicalKeys: true }],
    ),
    ["shift+?", onOpen],
    // Layouts where "?" is typed without Shift.
    ["?", onOpen],
  ];
  useHotkeys(outsideTextFields);

  // Everywhere, text fields included: these keys type nothing. Ctrl+Enter lets the browser have the
  // key when there is no form to send.
  const everywhere: HotkeyItem[] = [
    ["F1", onOpen],
    [
      "mod+Enter",
      (event) => {
        if (submitFocusedForm()) event.preventDefault();
      },
      { preventDefault: false },
    ],
  ];
  useHotkeys(everywhere, [], true);

  return (
    <Modal opened={opened} onClose={onClose} title={t("shortcuts.title")} size="lg">
      <Table aria-label={t("shortcuts.title")} verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("shortcuts.keys")}</Table.Th>
            <Table.Th scope="col">{t("shortcuts.action")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shortcutList(screens, t).map((shortcut) => (
            <Table.Tr key={shortcut.action}>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                {/* Key combinations read left to right in Hebrew too, as on the keyboard. */}
                <Group gap={6} dir="ltr" wrap="nowrap" justify="flex-start">
                  {shortcut.combos.map((combo, index) => (
                    <Fragment key={combo.join("+")}>
                      {index > 0 && (
                        <Text span size="sm" c="dimmed" dir="auto">
                          {t("shortcuts.or")}
                        </Text>
                      )}
                      <span>
                        {combo.map((key, k) => (
                          <Fragment key={key}>
                            {k > 0 && " + "}
                            <Kbd>{key}</Kbd>
                          </Fragment>
                        ))}
                      </span>
                    </Fragment>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{shortcut.action}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed" mt="sm">
        {t("shortcuts.note")}
      </Text>
    </Modal>
  );
}

/** The header's "?" button: opens the list of keyboard shortcuts. */
export function ShortcutsButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  // As tall as the header's other controls (xs inputs), so the row lines up.
  return (
    <Tooltip label={t("shortcuts.title")}>
      <ActionIcon variant="default" size="input-xs" radius="xl" aria-label={t("shortcuts.title")} onClick={onClick}>
        ?
      </ActionIcon>
    </Tooltip>
  );
}
