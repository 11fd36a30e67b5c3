import { Box } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useBackend } from "../backend";

/**
 * Frames the window in the active profile's colour: a band at the top, and for a production profile a
 * thick border all round, so a production profile is never missed. The frame is drawn over the
 * window's edges (fixed, not in the layout): as a border around the app it made every page 4 px
 * (production: 12 px) taller than the window, so every screen scrolled a little.
 */
export function ProfileFrame({ children }: { children: ReactNode }) {
  const backend = useBackend();
  const profile = useQuery({ queryKey: ["activeProfile"], queryFn: () => backend.activeProfile() });
  const color = profile.data?.color ?? "transparent";
  const production = profile.data?.is_production ?? false;
  const frame = production ? { border: `6px solid ${color}` } : { borderTop: `4px solid ${color}` };
  return (
    <Box data-profile={profile.data?.id} data-production={production ? "true" : "false"}>
      {children}
      <div aria-hidden="true" data-testid="profile-frame" style={{ ...frame, position: "fixed", inset: 0, pointerEvents: "none", zIndex: 1000 }} />
    </Box>
  );
}
