// client-go's retry.RetryOnConflict with retry.DefaultBackoff, which the ImageStreamTag update uses for blind writes.

/** retry.DefaultBackoff: 4 tries, 10 ms between the first two, five times longer each time after, 10% jitter. */
const DEFAULT_BACKOFF = { steps: 4, durationMs: 10, factor: 5, jitter: 0.1 };

/** What one try ended with: an answer, or a conflict worth another try. Other errors are thrown. */
export type Attempt<T> = { result: T } | { conflict: unknown };

/** Runs `attempt` until it answers, at most 4 times; then the last conflict is thrown. */
export async function retryOnConflict<T>(attempt: () => Promise<Attempt<T>>, random: () => number = Math.random): Promise<T> {
  let delay = DEFAULT_BACKOFF.durationMs;
  for (let step = 1; ; step++) {
    const outcome = await attempt();
    if ('result' in outcome) return outcome.result;
    if (step >= DEFAULT_BACKOFF.steps) throw outcome.conflict;
    await new Promise((resolve) => setTimeout(resolve, delay + random() * DEFAULT_BACKOFF.jitter * delay));
    delay *= DEFAULT_BACKOFF.factor;
  }
}
