import { DirectionProvider, MantineProvider, createTheme } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { HashRouter } from "react-router";
import { useState } from "react";
import { BackendContext, tauriBackend, type Backend } from "../backend";
import { Shell } from "./Shell";

const theme = createTheme({
  primaryColor: "teal",
  fontFamily: "Inter, 'Segoe UI', 'Noto Sans', 'Noto Sans Hebrew', system-ui, sans-serif",
  defaultRadius: "md",
});

/** Providers around the shell. Tests pass their own backend; the app uses Tauri IPC. */
export function App({ backend = tauriBackend }: { backend?: Backend }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
  );
  return (
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={queryClient}>
        <DirectionProvider>
          {/* Light or dark follows the operating system. */}
          <MantineProvider theme={theme} defaultColorScheme="auto">
            <HashRouter>
              <Shell />
            </HashRouter>
          </MantineProvider>
        </DirectionProvider>
      </QueryClientProvider>
    </BackendContext.Provider>
  );
}
