import { slipway } from "@/server/composition";
import { getService } from "@/server/catalogue";
import { authorizeRequest } from "@/server/identity";
import { MAX_EXPORT_LINES } from "@/server/logs/contract";
import { environmentPolicy } from "@/server/releases";
import { parseQuery, route } from "@/server/shared/route";
import { logRangeQuery, rangeOf, rolloutImages, serviceLogScope } from "../service-log-scope";

export const dynamic = "force-dynamic";

const query = logRangeQuery.strict();

/**
 * The current view as NDJSON (one line object per line, newest first), streamed, up to MAX_EXPORT_LINES lines. A
 * last `{"_slipway": {"truncated": true, "cap": N}}` line says the cap was reached; `{"_slipway": {"error": …}}` says
 * the log store failed part-way.
 */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const { rollout, ...filters } = parseQuery(request, query);
  environmentPolicy(filters.environment);
  const service = await getService(name);
  const { scope, problem } = serviceLogScope(service, filters.environment);
  const range = rangeOf(filters);
  const images = await rolloutImages(service, filters.environment, rollout);
  const chunks: AsyncIterable<string> = scope
    ? slipway().logs.exportNdjson({ ...filters, ...range, images, service: scope, signal: request.signal })
    : (async function* () {
        yield `${JSON.stringify({ _slipway: { error: problem } })}\n`;
      })();
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  // The first chunk before the headers: invalid filters are a problem+json answer, not a broken download.
  let pending: IteratorResult<string> | null = await iterator.next();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending ?? (await iterator.next());
        pending = null;
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  const stamp = new Date(range.to).toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${service.name}-${filters.environment}-logs-${stamp}.ndjson"`,
      "cache-control": "private, no-store",
      "x-slipway-export-cap": String(MAX_EXPORT_LINES),
    },
  });
});
