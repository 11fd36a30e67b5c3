// jsdom lacks matchMedia, which Mantine's colour-scheme detection uses.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver ??= ResizeObserverStub;
// jsdom does not scroll; Mantine's combobox scrolls the selected option into view.
if (!Element.prototype.scrollIntoView) {
  Element.prototype.scrollIntoView = () => {};
}

// findBy…/waitFor give up after 1 s by default; on a 2-core machine that is busy building, a screen's
// first queries can take longer. A wider window changes no assertion, only how long a test may wait.
import { configure } from "@testing-library/react";
configure({ asyncUtilTimeout: 5000 });
