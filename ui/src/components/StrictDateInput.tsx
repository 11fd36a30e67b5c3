import { ActionIcon, Popover, TextInput, type TextInputProps } from "@mantine/core";
import { DatePicker } from "@mantine/dates";
import "dayjs/locale/fr";
import "dayjs/locale/he";
import "dayjs/locale/nl";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { DATE_EXAMPLE, DATE_FORMAT, isBlankOrStrictDate, isStrictDate, parseStrictDate } from "./dates";

export interface StrictDateInputProps extends Omit<TextInputProps, "value" | "onChange" | "error" | "label"> {
  label: string;
  /** Exactly what the user typed (or picked): this field never replaces it with a parsed value. */
  value: string;
  onChange: (text: string) => void;
  /** Empty means "any date" (filters); otherwise empty is an error too. */
  optional?: boolean;
  /** Show the format error even before the field was left (after a submit attempt). */
  showError?: boolean;
  /** Another problem with a well-formed date (a cross-field rule, the server's reason). */
  error?: ReactNode;
}

/**
 * The message with the format and the example kept on one line each (a line break after "2026-"
 * would read as two values), for every place the message is shown. Its text stays the same.
 */
export function DateMessage({ message }: { message: string }) {
  const parts = message.split(new RegExp(`(${DATE_FORMAT}|${DATE_EXAMPLE})`));
  return (
    <>
      {parts.map((part, i) =>
        part === DATE_FORMAT || part === DATE_EXAMPLE ? (
          <span key={i} style={{ whiteSpace: "nowrap" }}>
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** The format problem of `text`, translated, or null when it is a valid date (or blank and optional). */
export function useDateProblem() {
  const { t } = useTranslation();
  return (text: string, optional = false): string | null =>
    (optional ? isBlankOrStrictDate(text) : isStrictDate(text)) ? null : t("dates.invalid", { format: DATE_FORMAT, example: DATE_EXAMPLE });
}

function CalendarIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <rect x="3" y="5" width="18" height="16" rx="2" />
      <path d="M3 10h18M8 3v4M16 3v4" />
    </svg>
  );
}

/**
 * A date field that accepts only `YYYY-MM-DD` real calendar dates (the shared strict parser in
 * `dates.ts`), keeps the text exactly as typed, and offers Mantine's calendar to pick a date. The
 * format error shows once the field was left, or when the form asks for it (`showError`).
 */
export function StrictDateInput({
  label,
  value,
  onChange,
  optional = false,
  showError = false,
  error,
  onBlur,
  description,
  ...rest
}: StrictDateInputProps) {
  const { t, i18n } = useTranslation();
  const problem = useDateProblem();
  const [touched, setTouched] = useState(false);
  const [opened, setOpened] = useState(false);
  const parsed = parseStrictDate(value);
  const formatError = touched || showError ? problem(value, optional) : null;
  return (
    <TextInput
      label={label}
      description={
        description ? (
          <>
            {description} · <span style={{ whiteSpace: "nowrap" }}>{DATE_FORMAT}</span>
          </>
        ) : (
          DATE_FORMAT
        )
      }
      autoComplete="off"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      onBlur={(e) => {
        setTouched(true);
        onBlur?.(e);
      }}
      error={formatError ? <DateMessage message={formatError} /> : error}
      rightSectionPointerEvents="all"
      rightSection={
        <Popover opened={opened} onChange={setOpened} position="bottom-end" withinPortal trapFocus returnFocus shadow="md">
          <Popover.Target>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t("dates.pick", { field: label })}
              onClick={() => setOpened((o) => !o)}
            >
              <CalendarIcon />
            </ActionIcon>
          </Popover.Target>
          <Popover.Dropdown>
            <DatePicker
              locale={i18n.language}
              value={parsed}
              defaultDate={parsed ?? undefined}
              onChange={(picked) => {
                if (picked) {
                  onChange(picked);
                  setTouched(true);
                  setOpened(false);
                }
              }}
            />
          </Popover.Dropdown>
        </Popover>
      }
      {...rest}
    />
  );
}
