// Conversations change from outside the window (the local API, other
// operators): the core emits `sessions-changed` after every committed change,
// and screens subscribe here instead of refreshing by hand.
import { events, type ConversationsChanged } from "./bindings";

type Listener = (change: ConversationsChanged) => void;
const listeners = new Set<Listener>();
let started = false;

function start() {
  if (started) return;
  started = true;
  void events.conversationsChanged.listen((e) => listeners.forEach((l) => l(e.payload)));
}

/// Calls `listener` after each change; returns the unsubscribe function.
export function onConversationsChanged(listener: Listener): () => void {
  start();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
