import { useTranslation } from "react-i18next";

/** The id of the main area, which the skip link moves focus to. */
export const MAIN_ID = "main-content";

/**
 * The first thing Tab reaches: "Skip to content" jumps over the header and the navigation to the
 * screen itself. Hidden until focused (styles in focus.css). The app routes on the URL's hash, so the
 * link moves focus itself instead of letting the browser follow "#main-content", which would be read
 * as a route.
 */
export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a
      className="skip-link"
      href={`#${MAIN_ID}`}
      onClick={(event) => {
        event.preventDefault();
        document.getElementById(MAIN_ID)?.focus();
      }}
    >
      {t("shell.skipToContent")}
    </a>
  );
}
