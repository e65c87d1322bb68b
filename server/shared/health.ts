import "server-only";
import { database } from "./db";

/** The database answers a trivial query within the deadline. */
export async function databaseIsHealthy(timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const { prisma } = await database();
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    });
    await Promise.race([prisma.$queryRaw`SELECT 1`, deadline]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
