import { z } from "zod";
import { auditCsvColumns, auditQuerySchema, csvCell, exportAuditEvents } from "@/server/audit";
import { authorizeRequest } from "@/server/identity";
import { parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const exportQuery = auditQuerySchema.extend({ format: z.enum(["jsonl", "csv"]).default("jsonl") });

/** Streams every matching event, oldest first, as JSON Lines or CSV, for auditors. */
export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "audit.read" });
  const query = parseQuery(request, exportQuery);
  const events = await exportAuditEvents(query);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      if (query.format === "csv") controller.enqueue(encoder.encode(`${auditCsvColumns.join(",")}\r\n`));
      for await (const event of events) {
        const line = query.format === "csv" ? `${auditCsvColumns.map((c) => csvCell(event[c])).join(",")}\r\n` : `${JSON.stringify(event)}\n`;
        controller.enqueue(encoder.encode(line));
      }
      controller.close();
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": query.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
      "content-disposition": `attachment; filename="slipway-audit-${stamp}.${query.format}"`,
      "cache-control": "no-store",
    },
  });
});
