// Repeats a refresh until the page goes away. The tick returns the delay before the next one,
// or null to stop; kick() refreshes now (after a button press) and restarts a stopped loop.

export interface Poller {
  kick(): void;
}

export function poller(signal: AbortSignal, tick: () => Promise<number | null>): Poller {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;

  const run = async (): Promise<void> => {
    if (signal.aborted) return;
    clearTimeout(timer);
    running = true;
    let delay: number | null;
    try {
      delay = await tick();
    } catch (e) {
      if (signal.aborted) return;
      console.warn("refresh failed", e);
      delay = 5000;
    } finally {
      running = false;
    }
    if (signal.aborted) return;
    if (again) {
      again = false;
      delay = 0;
    }
    if (delay !== null) timer = setTimeout(() => void run(), delay);
  };

  signal.addEventListener("abort", () => clearTimeout(timer));
  void run();
  return {
    kick(): void {
      if (running) again = true;
      else void run();
    },
  };
}
