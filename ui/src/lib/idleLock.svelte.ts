// The idle lock, on the window's side: input is reported to the core (at
// most every 20 s) so the core's own clock counts from it, and when no input
// came for the period the core names, the window covers itself and tells the
// core. The core refuses every call of a locked or idle window anyway.
import { call, commands, onSessionLocked } from "./api";

const REPORT_EVERY_MS = 20_000;
const INPUT_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart"] as const;
// The pointer's last place: a pointermove where it did not move (another
// window mapped under it, the page laid out again) is not a person.
let pointerAt = "";

export const lock = $state({ locked: false });
let lastInput = Date.now();

/// Watches the window while a person is signed in; returns the stop.
export function watchIdle(minutes: number, startLocked: boolean): () => void {
  lock.locked = startLocked;
  lastInput = Date.now();
  let reported = 0;

  function coverNow() {
    if (lock.locked) return;
    lock.locked = true;
    call(commands.lockSession()).catch(() => undefined);
  }

  function onInput(e: Event) {
    if (lock.locked) return;
    if (e instanceof PointerEvent && e.type === "pointermove") {
      const at = `${e.screenX},${e.screenY}`;
      if (at === pointerAt) return;
      pointerAt = at;
    }
    lastInput = Date.now();
    if (lastInput - reported >= REPORT_EVERY_MS) {
      reported = lastInput;
      call(commands.noteActivity()).catch(() => undefined);
    }
  }

  const timer = setInterval(() => {
    if (!lock.locked && Date.now() - lastInput >= minutes * 60_000) coverNow();
  }, 1_000);
  for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { capture: true, passive: true });
  onSessionLocked(() => {
    lock.locked = true;
  });
  return () => {
    clearInterval(timer);
    for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true });
    onSessionLocked(null);
  };
}

/// After an unlock: the idle period counts from now.
export function unlocked() {
  lastInput = Date.now();
  lock.locked = false;
}
