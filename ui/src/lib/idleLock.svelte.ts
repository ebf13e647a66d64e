// The idle lock, on the window's side: input is reported to the core (at
// most every 20 s) so the core's own clock counts from it, and when no input
// came for the period the core names, the window covers itself and tells the
// core. The core refuses every call of a locked or idle window anyway.
import { call, commands, onSessionLocked } from "./api";
import { onPersonInput } from "./personInput";

const REPORT_EVERY_MS = 20_000;

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

  function onInput() {
    if (lock.locked) return;
    lastInput = Date.now();
    if (lastInput - reported >= REPORT_EVERY_MS) {
      reported = lastInput;
      call(commands.noteActivity()).catch(() => undefined);
    }
  }

  const timer = setInterval(() => {
    if (!lock.locked && Date.now() - lastInput >= minutes * 60_000) coverNow();
  }, 1_000);
  const stopListening = onPersonInput(onInput);
  onSessionLocked(() => {
    lock.locked = true;
  });
  return () => {
    clearInterval(timer);
    stopListening();
    onSessionLocked(null);
  };
}

/// After an unlock: the idle period counts from now.
export function unlocked() {
  lastInput = Date.now();
  lock.locked = false;
}
