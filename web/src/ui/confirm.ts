// A delete button that asks for a second click instead of a blocking confirm() dialog.
import { h } from "./dom.ts";

export function deleteButton(testid: string, onConfirm: () => Promise<void>, label = "Delete"): HTMLButtonElement {
  const btn = h("button", { type: "button", class: "btn small danger", "data-testid": testid }, label);
  let timer: ReturnType<typeof setTimeout> | undefined;
  btn.addEventListener("click", async () => {
    if (btn.dataset["confirm"] !== "true") {
      btn.dataset["confirm"] = "true";
      btn.textContent = `Confirm ${label.toLowerCase()}`;
      timer = setTimeout(() => {
        delete btn.dataset["confirm"];
        btn.textContent = label;
      }, 4000);
      return;
    }
    clearTimeout(timer);
    delete btn.dataset["confirm"];
    btn.textContent = label;
    btn.disabled = true;
    await onConfirm();
    btn.disabled = false;
  });
  return btn;
}
