import { describe, expect, it } from "vitest";
import en from "./en.json";
import nl from "./nl.json";
import fr from "./fr.json";
import he from "./he.json";

type Tree = { [key: string]: string | Tree };

/** Every key path of a translation file, with its text. */
function entries(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [[`${prefix}${key}`, value] as [string, string]] : entries(value, `${prefix}${key}.`),
  );
}

/** The {{placeholders}} of a text, which every language must fill the same way. */
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("translations", () => {
  const english = new Map(entries(en));
  for (const [code, file] of Object.entries({ nl, fr, he })) {
    it(`${code} has every English key, no other, with the same placeholders`, () => {
      const other = new Map(entries(file as Tree));
      // i18next plurals: "_one"/"_other" and the like may differ by language.
      const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");
      const missing = [...english.keys()].filter((key) => !other.has(key) && ![...other.keys()].some((k) => base(k) === base(key)));
      const extra = [...other.keys()].filter((key) => !english.has(key) && ![...english.keys()].some((k) => base(k) === base(key)));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      // A plural form may say its number in words ("one person"): {{count}} is optional there.
      const compared = (key: string, text: string) =>
        placeholders(text).filter((p) => !(p === "count" && base(key) !== key)).join();
      const different = [...other].filter(([key, text]) => english.has(key) && compared(key, text) !== compared(key, english.get(key)!));
      expect(different.map(([key]) => key)).toEqual([]);
    });
  }
});
