// Conversations change from outside the window (the local API, other
// operators): the core tells the window after committed changes (several
// that come together as one), and screens subscribe here instead of
// refreshing by hand.
import { events, type ConversationsChanged } from "./bindings";
import { onPersonInput } from "./personInput";

type Subscriber = (change: ConversationsChanged) => void;
const subscribers = new Set<Subscriber>();
let started = false;

// While the tenant API writes hundreds of changes a second, a screen that read
// again after each would redraw many times a second: rows moving under the
// pointer, and every draw holding the page's one thread while the person
// scrolls or types. So a read after a change waits until SPACING_MS after the
// screen's previous one began, and until QUIET_MS after the person's last
// wheel, key or press: a lone change still shows at once, a flood at most
// twice a second, and never in the middle of someone's scrolling or typing.
const SPACING_MS = 500;
const QUIET_MS = 300;
let lastInput = -Infinity;

function start() {
  if (started) return;
  started = true;
  // Moving the pointer alone does not hold redraws.
  onPersonInput((e) => {
    if (e.type !== "pointermove") lastInput = performance.now();
  });
  void events.conversationsChanged.listen((e) => subscribers.forEach((s) => s(e.payload)));
}

async function due(lastRead: number) {
  for (;;) {
    const now = performance.now();
    const wait = Math.max(lastRead + SPACING_MS - now, lastInput + QUIET_MS - now);
    if (wait <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/// Runs `read` after changes that `concern` the screen, paced as above and
/// never two at a time: changes that come while a read waits or runs are
/// covered by one more read after it. Returns the unsubscribe function.
export function onConversationsChanged(
  read: () => unknown,
  concerns: (change: ConversationsChanged) => boolean = () => true,
): () => void {
  start();
  let subscribed = true;
  let reading = false;
  let again = false;
  let lastRead = -Infinity;
  async function run() {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      await due(lastRead);
      if (!subscribed) return;
      lastRead = performance.now();
      await read();
    } finally {
      reading = false;
      if (again && subscribed) {
        again = false;
        void run();
      }
    }
  }
  const subscriber: Subscriber = (change) => {
    if (concerns(change)) void run();
  };
  subscribers.add(subscriber);
  return () => {
    subscribed = false;
    subscribers.delete(subscriber);
  };
}
