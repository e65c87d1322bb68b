import { z } from "zod";
import { logLineSchema } from "@/server/logs/contract";

/** A `lines` event of the logs stream: the new lines (oldest first), where to carry on from, and whether some were dropped. */
export const logTailBatchSchema = z.object({ lines: z.array(logLineSchema), position: z.number(), truncated: z.boolean() });
