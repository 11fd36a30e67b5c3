import { useLayoutEffect, useState, type RefObject } from "react";

/** What sits below the main area: the status bar (40 px) and the main area's bottom padding (16 px). */
const BELOW = 56;

/**
 * The height that lets the element fill the window from where it starts down to the status bar, so
 * a report scrolls inside itself and the page does not; never less than `min` (at 900×600 the
 * toolbar wraps and the page scrolls a little instead of squeezing the table to nothing).
 */
export function useFillHeight(ref: RefObject<HTMLElement | null>, min = 240): number {
  const [height, setHeight] = useState(min);
  useLayoutEffect(() => {
    const measure = () => {
      const top = ref.current?.getBoundingClientRect().top ?? 0;
      setHeight(Math.max(min, Math.floor(window.innerHeight - top - BELOW)));
    };
    measure();
    window.addEventListener("resize", measure);
    // The toolbar above can change height (a filter wraps, a notice appears): measure then too.
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(measure);
    if (ref.current?.parentElement) observer?.observe(ref.current.parentElement);
    return () => {
      window.removeEventListener("resize", measure);
      observer?.disconnect();
    };
  }, [ref, min]);
  return height;
}
