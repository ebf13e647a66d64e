// Conversations change from outside the window (the local API, other
// operators): the core tells the window after committed changes (several
// that come together as one), and screens subscribe here instead of
// refreshing by hand.
import { events, type ConversationsChanged } from "./bindings";

type Subscriber = (change: ConversationsChanged) => void;
const subscribers = new Set<Subscriber>();
let started = false;

function start() {
  if (started) return;
  started = true;
  void events.conversationsChanged.listen((e) => subscribers.forEach((s) => s(e.payload)));
}

/// Runs `read` after each change that `concerns` the screen: at once when it
/// is idle, and once more when it finishes if changes came meanwhile, never
/// two at a time. While the tenant API writes hundreds of changes a second, a
/// screen reads what it shows once for all those that came during its last
/// read. Returns the unsubscribe function.
export function onConversationsChanged(
  read: () => unknown,
  concerns: (change: ConversationsChanged) => boolean = () => true,
): () => void {
  start();
  let reading = false;
  let again = false;
  async function run() {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      await read();
    } finally {
      reading = false;
      if (again) {
        again = false;
        void run();
      }
    }
  }
  const subscriber: Subscriber = (change) => {
    if (concerns(change)) void run();
  };
  subscribers.add(subscriber);
  return () => subscribers.delete(subscriber);
}
