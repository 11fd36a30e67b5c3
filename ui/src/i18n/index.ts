import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import nl from "./nl.json";
import fr from "./fr.json";
import he from "./he.json";

export const LANGUAGES = [
  { code: "en", label: "English", dir: "ltr" },
  { code: "nl", label: "Nederlands", dir: "ltr" },
  { code: "fr", label: "Français", dir: "ltr" },
  { code: "he", label: "עברית", dir: "rtl" },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]["code"];

export function directionOf(code: string): "ltr" | "rtl" {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? "ltr";
}

const STORAGE_KEY = "timebridge.language";

export function savedLanguage(): LanguageCode {
  const saved = typeof localStorage !== "undefined" ? localStorage.getItem(STORAGE_KEY) : null;
  return (LANGUAGES.find((l) => l.code === saved)?.code ?? "en") as LanguageCode;
}

export function rememberLanguage(code: LanguageCode) {
  localStorage.setItem(STORAGE_KEY, code);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, nl: { translation: nl }, fr: { translation: fr }, he: { translation: he } },
  lng: savedLanguage(),
  fallbackLng: "en",
  interpolation: { escapeValue: false },
});

export default i18n;
