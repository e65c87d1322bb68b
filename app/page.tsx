import type { Metadata } from "next";
import { listServices, parseServiceQuery, serviceFacets, type ServiceQuery } from "@/server/catalogue";
import { requirePagePrincipal } from "@/server/identity";
import { CatalogueBrowser } from "@/components/catalogue/catalogue-browser";
import { catalogueQueryString, fromServiceQuery } from "@/components/catalogue/catalogue-query";
import { loadRunningVersionsWithin } from "@/server/cluster";
import { UnhealthyNotice, UnhealthyServicesPage } from "@/components/catalogue/unhealthy-services";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Catalogue" };

function toSearch(params: Record<string, string | string[] | undefined>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value ?? []].flat()) search.append(key, v);
  const text = search.toString();
  return text ? `?${text}` : "";
}

export default async function CataloguePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  await requirePagePrincipal(`/${toSearch(params)}`);
  if (params.health === "unhealthy") return <UnhealthyServicesPage />;
  let query: ServiceQuery;
  try {
    query = parseServiceQuery({ ...params, limit: undefined, cursor: undefined });
  } catch {
    // A hand-edited link with an impossible filter still opens the catalogue, unfiltered.
    query = parseServiceQuery({});
  }
  const [page, facets] = await Promise.all([listServices(query), serviceFacets(query)]);
  const initialQuery = fromServiceQuery(query);
  // Versions come with the first render when the clusters' caches answer quickly; otherwise the browser asks.
  const versions =
    query.kind === "component"
      ? await loadRunningVersionsWithin(
          page.items.map((s) => s.name),
          750,
        )
      : null;
  return (
    <>
      <UnhealthyNotice />
      <CatalogueBrowser
        key={catalogueQueryString(initialQuery)}
        initialQuery={initialQuery}
        initialPage={page}
        initialFacets={facets}
        initialVersions={versions}
      />
    </>
  );
}
