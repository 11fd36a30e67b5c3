import { darken, type CSSVariablesResolver } from "@mantine/core";

/**
 * Text colours that pass WCAG AA (4.5:1) on the app's backgrounds, as axe-core measures them in the
 * real window. Mantine's defaults miss it in a few places: the dimmed grey (3.3:1 on white, 4.0:1 on
 * the dark body) and coloured text on the pale "light" variants (teal on pale teal is 2.3:1). Light
 * mode takes each colour's darkest shade, darkened, for text on its palest tint, dark mode a pale one; filled buttons and badges
 * get black or white text by their background (`autoContrast` in the theme).
 */
export const readableColors: CSSVariablesResolver = (theme) => {
  const light: Record<string, string> = { "--mantine-color-dimmed": theme.colors.gray[7] };
  const dark: Record<string, string> = { "--mantine-color-dimmed": theme.colors.dark[1] };
  for (const [name, shades] of Object.entries(theme.colors)) {
    if (name === "dark") continue;
    // The darkest shade, darkened a quarter (green's and yellow's darkest are still too light), on
    // the palest tint of the colour.
    light[`--mantine-color-${name}-light-color`] = darken(shades[9], 0.25);
    light[`--mantine-color-${name}-text`] = darken(shades[9], 0.25);
    light[`--mantine-color-${name}-light`] = shades[0];
    dark[`--mantine-color-${name}-light-color`] = shades[3];
    dark[`--mantine-color-${name}-text`] = shades[3];
  }
  return { variables: {}, light, dark };
};

/**
 * The luminance above which a filled background gets black text instead of white: the point where
 * both reach 4.5:1 (white needs luminance ≤ 0.183, black ≥ 0.175).
 */
export const CONTRAST_LUMINANCE = 0.179;
