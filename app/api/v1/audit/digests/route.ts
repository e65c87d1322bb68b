import { z } from "zod";
import { listAuditDigests } from "@/server/audit";
import { authorizeRequest } from "@/server/identity";
import { json, parseQuery, route } from "@/server/shared/route";
import { bigintText } from "@/server/shared/input";

export const dynamic = "force-dynamic";

const digestQuery = z.object({
  format: z.enum(["json", "jsonl"]).default("json"),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  cursor: bigintText("cursor is the nextCursor of the previous page").optional(),
});

/** Signed digests of the audit chain's head, oldest first: JSON pages, or every digest as JSON Lines for audit:verify. */
export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "audit.read" });
  const query = parseQuery(request, digestQuery);
  if (query.format === "json") {
    return json(await listAuditDigests({ after: query.cursor ? BigInt(query.cursor) : undefined, limit: query.limit }));
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let after: bigint | undefined;
      for (;;) {
        const page = await listAuditDigests({ after, limit: 1000 });
        for (const digest of page.items) controller.enqueue(encoder.encode(`${JSON.stringify(digest)}\n`));
        if (!page.nextCursor) break;
        after = BigInt(page.nextCursor);
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson",
      "content-disposition": 'attachment; filename="slipway-audit-digests.jsonl"',
      "cache-control": "no-store",
    },
  });
});
