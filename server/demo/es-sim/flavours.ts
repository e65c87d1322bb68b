import "server-only";
import { EsApiError } from "./errors";

/** What each simulated server version answers in `GET /` and how strictly it reads compatibility headers. */

export type EsFlavour = "elasticsearch8" | "elasticsearch9" | "opensearch2";

interface FlavourInfo {
  number: string;
  lucene: string;
  minimumWire: string;
  minimumIndex: string;
  /** REST API major versions accepted in `compatible-with=N` (current first); none for OpenSearch. */
  restVersions: number[];
  product?: "Elasticsearch";
  distribution?: "opensearch";
  tagline: string;
  buildHash: string;
  buildDate: string;
  mappingErrorType: string;
}

export const FLAVOURS: Record<EsFlavour, FlavourInfo> = {
  elasticsearch8: {
    number: "8.19.2",
    lucene: "9.12.2",
    minimumWire: "7.17.0",
    minimumIndex: "7.0.0",
    restVersions: [8, 7],
    product: "Elasticsearch",
    tagline: "You Know, for Search",
    buildHash: "a3c8e2b1f0d94d2c8b7e6f5a4d3c2b1a0f9e8d7c",
    buildDate: "2025-08-12T10:19:55.423508145Z",
    mappingErrorType: "document_parsing_exception",
  },
  elasticsearch9: {
    number: "9.1.5",
    lucene: "10.2.2",
    minimumWire: "8.19.0",
    minimumIndex: "8.0.0",
    restVersions: [9, 8],
    product: "Elasticsearch",
    tagline: "You Know, for Search",
    buildHash: "0d7c5e4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d",
    buildDate: "2025-10-02T21:07:12.345678901Z",
    mappingErrorType: "document_parsing_exception",
  },
  opensearch2: {
    number: "2.19.3",
    lucene: "9.12.2",
    minimumWire: "7.10.0",
    minimumIndex: "7.0.0",
    restVersions: [],
    distribution: "opensearch",
    tagline: "The OpenSearch Project: https://opensearch.org/",
    buildHash: "f1e2d3c4b5a697887766554433221100ffeeddcc",
    buildDate: "2025-07-16T00:42:59.123456789Z",
    mappingErrorType: "mapper_parsing_exception",
  },
};

export function clusterInfo(flavour: EsFlavour, nodeName: string, clusterName: string, clusterUuid: string): Record<string, unknown> {
  const f = FLAVOURS[flavour];
  const version: Record<string, unknown> = f.distribution
    ? { distribution: f.distribution, number: f.number, build_type: "tar" }
    : { number: f.number, build_flavor: "default", build_type: "docker" };
  Object.assign(version, {
    build_hash: f.buildHash,
    build_date: f.buildDate,
    build_snapshot: false,
    lucene_version: f.lucene,
    minimum_wire_compatibility_version: f.minimumWire,
    minimum_index_compatibility_version: f.minimumIndex,
  });
  return { name: nodeName, cluster_name: clusterName, cluster_uuid: clusterUuid, version, tagline: f.tagline };
}

function versionOf(header: string | undefined): number | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const m = /application\/vnd\.elasticsearch\+[a-z-]+\s*;\s*compatible-with\s*=\s*(\d+)/i.exec(part);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/**
 * Elasticsearch's RestCompatibleVersionHelper: Accept and Content-Type may ask for the current or the previous
 * REST API major; a body's Content-Type must ask for the same one as Accept. Returns the version to echo.
 */
export function checkCompatibility(flavour: EsFlavour, accept: string | undefined, contentType: string | undefined, hasBody: boolean): number | undefined {
  const [current, previous] = FLAVOURS[flavour].restVersions;
  if (current === undefined || previous === undefined) return undefined;
  const a = versionOf(accept);
  const c = hasBody ? versionOf(contentType) : undefined;
  const fail = (reason: string) =>
    new EsApiError(400, {
      type: "media_type_header_exception",
      reason: "Invalid media-type value on headers [Accept, Content-Type]",
      caused_by: { type: "status_exception", reason },
    });
  const acceptVersion = a ?? current;
  if (acceptVersion > current || acceptVersion < previous) {
    throw fail(`Accept version must be either version ${current} or ${previous}, but found ${acceptVersion}. Accept=${accept ?? ""}`);
  }
  if (hasBody) {
    const contentVersion = c ?? current;
    if (contentVersion > current || contentVersion < previous) {
      throw fail(`Content-Type version must be either version ${current} or ${previous}, but found ${contentVersion}. Content-Type=${contentType ?? ""}`);
    }
    if (contentVersion !== acceptVersion) {
      throw fail(
        "A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the " +
          `compatible versions must match. Accept=${accept ?? ""}, Content-Type=${contentType ?? ""}`,
      );
    }
    if ((c === undefined) !== (a === undefined)) {
      throw fail(
        "A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version. " +
          `Accept=${accept ?? ""}, Content-Type=${contentType ?? ""}`,
      );
    }
  }
  return a;
}
