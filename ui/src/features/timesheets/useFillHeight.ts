import { useCallback, useLayoutEffect, useState } from "react";

/** Below the element: the main area's bottom padding (16 px) and the table's borders and rounding (8 px). */
const GAP = 24;
/** The status bar's height where there is none to measure (a screen test). */
const STATUS_BAR = 40;

/**
 * The height that lets an element fill the window from where it starts down to the status bar, so
 * a report scrolls inside itself and the page does not; never less than `min` (at 900×600 the
 * toolbar wraps and the page scrolls a little instead of squeezing the table to nothing).
 *
 * Returns a callback ref for the element and the height. The element may appear later than the
 * screen (the report's tabs mount when the data arrive): it is measured when it mounts, when the
 * window resizes, and when anything in the main area above it changes height (a filter wraps, the
 * chart is switched on, a notice appears).
 */
export function useFillHeight(min = 240): [(element: HTMLElement | null) => void, number] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [height, setHeight] = useState(min);
  const ref = useCallback((el: HTMLElement | null) => setElement(el), []);
  useLayoutEffect(() => {
    if (!element) return;
    const measure = () => {
      // Where the element starts on the page, not in the window: measured while the page is
      // scrolled, the window-relative top would grow the table by the scroll.
      const top = element.getBoundingClientRect().top + window.scrollY;
      // The status bar is fixed at the window's bottom: the element ends above its top.
      const statusBarTop = document.querySelector("footer")?.getBoundingClientRect().top ?? window.innerHeight - STATUS_BAR;
      setHeight(Math.max(min, Math.floor(statusBarTop - top - GAP)));
    };
    measure();
    window.addEventListener("resize", measure);
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(measure);
    for (const above of [element.parentElement, element.closest("main")]) if (above) observer?.observe(above);
    return () => {
      window.removeEventListener("resize", measure);
      observer?.disconnect();
    };
  }, [element, min]);
  return [ref, height];
}
