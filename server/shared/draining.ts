import "server-only";

/**
 * Whether this process is shutting down (SIGTERM): it then takes no new background work and ends its open streams,
 * so browsers reconnect to another replica. Process-wide (the custom server and the Next.js bundles share it).
 */
const key = Symbol.for("slipway.draining");
type State = { draining: boolean; closers: Set<() => void> };
type Globals = typeof globalThis & { [key]?: State };

function state(): State {
  return ((globalThis as Globals)[key] ??= { draining: false, closers: new Set() });
}

/** Runs `close` when the process starts draining (at once if it already is); returns the way to forget it. */
export function onDrain(close: () => void): () => void {
  const s = state();
  if (s.draining) {
    close();
    return () => undefined;
  }
  s.closers.add(close);
  return () => s.closers.delete(close);
}

/** Starts draining: every registered stream ends now. Returns how many were open. */
export function beginDraining(): number {
  const s = state();
  s.draining = true;
  const closers = [...s.closers];
  s.closers.clear();
  for (const close of closers) {
    try {
      close();
    } catch {
      // A stream that cannot be closed has already gone.
    }
  }
  return closers.length;
}
