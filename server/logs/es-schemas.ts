import "server-only";
import { z } from "zod";

/** The parts of Elasticsearch/OpenSearch responses Slipway reads, validated before anything else touches them. */

const sortValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export type SortValue = z.infer<typeof sortValue>;

export const searchHitSchema = z.object({
  _index: z.string(),
  _id: z.string(),
  _source: z.record(z.string(), z.unknown()).default({}),
  sort: z.array(sortValue).default([]),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

const shardFailureSchema = z.object({
  index: z.string().nullish(),
  reason: z.object({ type: z.string().optional(), reason: z.string().nullish() }).passthrough().optional(),
});

export const searchResponseSchema = z.object({
  took: z.number().default(0),
  timed_out: z.boolean().default(false),
  pit_id: z.string().optional(),
  _shards: z.object({ total: z.number(), failed: z.number().default(0), failures: z.array(shardFailureSchema).optional() }).optional(),
  hits: z.object({ hits: z.array(searchHitSchema) }),
  aggregations: z.record(z.string(), z.unknown()).optional(),
});

/** A date_histogram aggregation's answer; `key` is epoch milliseconds on both servers. */
export const histogramSchema = z.object({
  buckets: z.array(z.object({ key: z.number(), doc_count: z.number() })).max(10_000),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const esPitSchema = z.object({ id: z.string().min(1) });
export const openSearchPitSchema = z.object({ pit_id: z.string().min(1) });

/** An error body as Elasticsearch and OpenSearch shape it. */
export const errorBodySchema = z.object({
  error: z.union([
    z.string(),
    z.object({
      type: z.string().optional(),
      reason: z.string().nullish(),
      root_cause: z.array(z.object({ type: z.string().optional(), reason: z.string().nullish() }).passthrough()).optional(),
      caused_by: z.object({ type: z.string().optional(), reason: z.string().nullish() }).passthrough().optional(),
      index: z.string().optional(),
    }),
  ]),
  status: z.number().optional(),
});
