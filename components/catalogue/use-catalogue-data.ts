"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Facets, ServicePage } from "@/server/catalogue/contract";
import type { ServiceVersions } from "@/server/cluster/contract";
import { fetchFacets, fetchRunningVersions, fetchServicePage } from "@/components/api/catalogue";
import { catalogueQueryString, type CatalogueQuery } from "./catalogue-query";

const componentNames = (page: ServicePage["items"]) => page.filter((s) => s.kind === "component").map((s) => s.name);

/**
 * What the catalogue shows for `query`: keyset pages of services, the facets, and the versions running beside each
 * listed service (refreshed while the page is open). The server's first render seeds them while the view is the one
 * it rendered. Nothing is asked while `paused` (a search too long to send).
 */
export function useCatalogueData(
  query: CatalogueQuery,
  paused: boolean,
  initial: { query: CatalogueQuery; page: ServicePage; facets: Facets; versions: ServiceVersions | null },
) {
  const [initialListKey] = useState(() => catalogueQueryString(initial.query));
  const [initialFacetKey] = useState(() => catalogueQueryString(initial.query, { sort: false }));
  const [initialVersionKey] = useState(() => componentNames(initial.page.items).join(","));
  const listKey = catalogueQueryString(query);
  const facetKey = catalogueQueryString(query, { sort: false });

  const services = useInfiniteQuery({
    queryKey: ["services", listKey],
    enabled: !paused,
    queryFn: ({ pageParam, signal }) => fetchServicePage(listKey, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: listKey === initialListKey ? { pages: [initial.page], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
  });

  const facets = useQuery({
    queryKey: ["service-facets", facetKey],
    queryFn: ({ signal }) => fetchFacets(facetKey, signal),
    enabled: !paused,
    initialData: facetKey === initialFacetKey ? initial.facets : undefined,
    placeholderData: keepPreviousData,
  });

  const items = useMemo(() => services.data?.pages.flatMap((p) => p.items) ?? [], [services.data]);

  const versionNames = useMemo(() => componentNames(items), [items]);
  const versionKey = versionNames.join(",");
  const versions = useQuery({
    queryKey: ["running-versions", versionKey],
    queryFn: ({ signal }) => fetchRunningVersions(versionNames, signal),
    enabled: versionNames.length > 0,
    initialData: initial.versions && versionKey === initialVersionKey ? initial.versions : undefined,
    staleTime: 5_000,
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
    retry: 1,
  });

  return { services, facets, versions, items };
}
