/**
 * One abort listener per signal, however many calls wait on it. A caller may share one signal
 * across hundreds of calls (say, to cancel a batch); a listener per call and per attempt would
 * make Node warn of a leak past ten, and adding or removing a DOM listener costs more than a
 * Set operation.
 */

/** Registers `onAbort` to run when `signal` aborts; returns the function that unregisters it. */
export type WatchAbort = (signal: AbortSignal, onAbort: () => void) => () => void;

interface Watched {
  readonly callbacks: Set<() => void>;
  readonly fire: () => void;
}

/** Creates a watcher; the listener on a signal is removed as soon as no call waits on it. */
export function createAbortWatch(): WatchAbort {
  const watched = new WeakMap<AbortSignal, Watched>();
  return (signal, onAbort) => {
    let entry = watched.get(signal);
    if (entry === undefined) {
      const callbacks = new Set<() => void>();
      const fire = () => {
        watched.delete(signal);
        for (const callback of callbacks) callback();
        callbacks.clear();
      };
      entry = { callbacks, fire };
      watched.set(signal, entry);
      signal.addEventListener("abort", fire, { once: true });
    }
    const current = entry;
    current.callbacks.add(onAbort);
    return () => {
      current.callbacks.delete(onAbort);
      if (current.callbacks.size === 0 && watched.get(signal) === current) {
        watched.delete(signal);
        signal.removeEventListener("abort", current.fire);
      }
    };
  };
}
