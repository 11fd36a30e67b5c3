/** A button or input that submits its form when pressed. */
function isSubmitButton(element: Element): element is HTMLButtonElement | HTMLInputElement {
  if (element instanceof HTMLButtonElement) return element.type === "submit";
  return element instanceof HTMLInputElement && (element.type === "submit" || element.type === "image");
}

/**
 * Presses the default button (the first submit button) of the form that holds the keyboard focus,
 * the way Enter in a text field does, and says whether it did. Nothing happens outside a form, or
 * when that button is disabled (a form still incomplete, or already sending).
 *
 * The button is clicked rather than `form.requestSubmit()` called: the screens do their work in the
 * submit button's click handler and only cancel the submit event (the browser's own Enter does the
 * same: it fires a click at the default button), so a bare submit event would do nothing.
 */
export function submitFocusedForm(): boolean {
  const focused = document.activeElement;
  if (!(focused instanceof HTMLElement)) return false;
  // A field may belong to a form elsewhere in the page through its `form` attribute.
  const owner = "form" in focused ? (focused as HTMLInputElement).form : null;
  const form = owner ?? focused.closest("form");
  if (!form) return false;
  const button = Array.from(form.elements).find(isSubmitButton);
  if (!button || button.disabled) return false;
  button.click();
  return true;
}
