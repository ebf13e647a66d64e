// What a person does at the window, heard once for everyone who needs it: the
// idle lock counts from it, and live screens hold their redraws while it goes
// on. A pointermove where the pointer did not move (another window mapped
// under it, the page laid out again) is not a person.
const INPUT_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart"] as const;
type Listener = (e: Event) => void;
const listeners = new Set<Listener>();
let pointerAt = "";

function heard(e: Event) {
  if (e instanceof PointerEvent && e.type === "pointermove") {
    const at = `${e.screenX},${e.screenY}`;
    if (at === pointerAt) return;
    pointerAt = at;
  }
  listeners.forEach((listener) => listener(e));
}

/// Calls `listener` on each input of the person; returns the stop.
export function onPersonInput(listener: Listener): () => void {
  if (listeners.size === 0) {
    for (const name of INPUT_EVENTS) window.addEventListener(name, heard, { capture: true, passive: true });
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      for (const name of INPUT_EVENTS) window.removeEventListener(name, heard, { capture: true });
    }
  };
}
