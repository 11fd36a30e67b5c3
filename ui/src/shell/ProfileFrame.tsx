import { Box } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useBackend } from "../backend";

/** Frames the whole window in the active profile's colour, so a production profile is never missed. */
export function ProfileFrame({ children }: { children: ReactNode }) {
  const backend = useBackend();
  const profile = useQuery({ queryKey: ["activeProfile"], queryFn: () => backend.activeProfile() });
  const color = profile.data?.color ?? "transparent";
  return (
    <Box style={{ borderTop: `4px solid ${color}`, minHeight: "100vh" }} data-profile={profile.data?.id}>
      {children}
    </Box>
  );
}
