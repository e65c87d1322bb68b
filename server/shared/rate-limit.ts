import "server-only";
import type { Db } from "./db";
import { AppError } from "./errors";

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      429,
      "Too Many Requests",
      `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
      {},
      {
        "retry-after": String(retryAfterSeconds),
      },
    );
  }
}

/**
 * Fixed-window counter in Postgres, so every replica shares one budget per key.
 * Throws 429 with Retry-After once `limit` is exceeded within the window.
 */
export async function consumeRateLimit(db: Db, key: string, limit: number, windowSeconds: number): Promise<void> {
  const now = Date.now();
  const windowStart = new Date(Math.floor(now / (windowSeconds * 1000)) * windowSeconds * 1000);
  const [row] = await db.$queryRaw<Array<{ count: number }>>`
    INSERT INTO rate_limit (key, window_start, count) VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit.count + 1
    RETURNING count`;
  if (Math.random() < 0.01) {
    await db.$executeRaw`DELETE FROM rate_limit WHERE window_start < ${new Date(now - 3_600_000)}`;
  }
  if ((row?.count ?? 0) > limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now) / 1000));
    throw new TooManyRequestsError(retryAfter);
  }
}
