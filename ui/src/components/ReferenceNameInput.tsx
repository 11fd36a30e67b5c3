import { Autocomplete } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { useBackend } from "../backend";

/**
 * What is wrong with a typed external reference name, as an i18n key under `activities.upsert`, or
 * null. The same rule as Rust's `check_reference_name`, which checks it again: it goes into
 * `?externalReferences=(collection,NAME)`. Predefined names start with `@`; custom ones are the
 * tenant's own (letters, digits, `-`, `_`, `.`, so no spaces or control characters).
 */
export function referenceNameProblem(name: string): "referenceNameEmpty" | "referenceNameChars" | null {
  const n = name.trim();
  const body = n.startsWith("@") ? n.slice(1) : n;
  if (!body) return "referenceNameEmpty";
  if (n.length > 64 || !/^[A-Za-z0-9._-]+$/.test(body)) return "referenceNameChars";
  return null;
}

/** A tenant's own name (not a predefined `@…` one) that is valid: worth remembering. */
export const isCustomReferenceName = (name: string) => !name.trim().startsWith("@") && referenceNameProblem(name) === null;

/** The profile's remembered custom reference names (shared by every reference-name input). */
export function useRememberedReferenceNames() {
  const backend = useBackend();
  return useQuery({ queryKey: ["referenceNames"], queryFn: () => backend.referenceNames() });
}

/** Remembers custom names for this profile once they were used; predefined and invalid ones are skipped. */
export function useRememberReferenceNames() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useCallback(
    async (names: string[]) => {
      const custom = [...new Set(names.map((n) => n.trim()).filter(isCustomReferenceName))];
      for (const name of custom) queryClient.setQueryData(["referenceNames"], await backend.referenceNameRemember(name));
    },
    [backend, queryClient],
  );
}

interface Props {
  label: string;
  description?: string;
  /** The predefined names offered first (e.g. `@badge-number`). */
  predefined: readonly string[];
  value: string;
  onChange: (name: string) => void;
}

/**
 * An external reference name: a predefined one, a custom name this profile used before, or a new
 * one typed in (checked as it is typed).
 */
export function ReferenceNameInput({ label, description, predefined, value, onChange }: Props) {
  const { t } = useTranslation();
  const remembered = useRememberedReferenceNames();
  const problem = referenceNameProblem(value);
  const data = [...new Set([...predefined, ...(remembered.data ?? [])])];
  return (
    <Autocomplete
      label={label}
      description={description}
      data={data}
      value={value}
      error={problem ? t(`activities.upsert.${problem}`) : undefined}
      onChange={onChange}
    />
  );
}
