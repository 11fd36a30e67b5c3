import { Alert, DirectionProvider, Drawer, MantineProvider, Modal, createTheme } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { HashRouter } from "react-router";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { BackendContext, tauriBackend, type Backend } from "../backend";
import { Shell } from "./Shell";
import { CONTRAST_LUMINANCE, readableColors } from "./readableColors";

/**
 * The app's look. The × that closes a dialog, a drawer or a notice is an icon without text: every one
 * gets its name here, in the current language, so none is an unnamed button to a screen reader.
 */
function appTheme(closeLabel: string) {
  return createTheme({
    primaryColor: "teal",
    // Teal's darkest shade carries white text at 4.9:1; the default shades do not reach 4.5:1.
    primaryShade: { light: 9, dark: 9 },
    autoContrast: true,
    luminanceThreshold: CONTRAST_LUMINANCE,
    fontFamily: "Inter, 'Segoe UI', 'Noto Sans', 'Noto Sans Hebrew', system-ui, sans-serif",
    defaultRadius: "md",
    components: {
      Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": closeLabel } } }),
      Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { "aria-label": closeLabel } } }),
      Alert: Alert.extend({ defaultProps: { closeButtonLabel: closeLabel } }),
    },
  });
}

/** Providers around the shell. Tests pass their own backend; the app uses Tauri IPC. */
export function App({ backend = tauriBackend }: { backend?: Backend }) {
  const { t } = useTranslation();
  const closeLabel = t("common.close");
  const theme = useMemo(() => appTheme(closeLabel), [closeLabel]);
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
  );
  return (
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={queryClient}>
        <DirectionProvider>
          {/* Light or dark follows the operating system. */}
          <MantineProvider theme={theme} cssVariablesResolver={readableColors} defaultColorScheme="auto">
            <HashRouter>
              <Shell />
            </HashRouter>
          </MantineProvider>
        </DirectionProvider>
      </QueryClientProvider>
    </BackendContext.Provider>
  );
}
