import { Box } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useBackend } from "../backend";

/**
 * Frames the window in the active profile's colour: a band at the top, and for a production profile a
 * thick border all round, so a production profile is never missed.
 */
export function ProfileFrame({ children }: { children: ReactNode }) {
  const backend = useBackend();
  const profile = useQuery({ queryKey: ["activeProfile"], queryFn: () => backend.activeProfile() });
  const color = profile.data?.color ?? "transparent";
  const production = profile.data?.is_production ?? false;
  const frame = production ? { border: `6px solid ${color}` } : { borderTop: `4px solid ${color}` };
  return (
    <Box
      style={{ ...frame, minHeight: "100vh", boxSizing: "border-box" }}
      data-profile={profile.data?.id}
      data-production={production ? "true" : "false"}
    >
      {children}
    </Box>
  );
}
