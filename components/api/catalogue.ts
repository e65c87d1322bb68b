import { facetsSchema, quickSearchResultSchema, servicePageSchema, teamPageSchema } from "@/server/catalogue/contract";
import { serviceVersionsSchema, type ServiceVersions } from "@/server/cluster/contract";
import { api } from "./client";

/** The catalogue's endpoints as the browser calls them. */

export const fetchServicePage = (queryString: string, cursor: string | null, signal?: AbortSignal) =>
  api.get(`/api/v1/services?${queryString}${queryString ? "&" : ""}limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, servicePageSchema, {
    signal,
  });

export const fetchFacets = (queryString: string, signal?: AbortSignal) => api.get(`/api/v1/services/facets?${queryString}`, facetsSchema, { signal });

export const fetchQuickSearch = (q: string, signal?: AbortSignal) => api.get(`/api/v1/search?q=${encodeURIComponent(q)}`, quickSearchResultSchema, { signal });

export const fetchTeamPage = (q: string, signal?: AbortSignal) => api.get(`/api/v1/teams?q=${encodeURIComponent(q)}&limit=200`, teamPageSchema, { signal });

/** The running versions of the named services, in batches the API accepts. */
export async function fetchRunningVersions(names: string[], signal?: AbortSignal): Promise<ServiceVersions> {
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += 200) batches.push(names.slice(i, i + 200));
  const answers = await Promise.all(
    batches.map((b) => api.get(`/api/v1/running-versions?service=${b.map(encodeURIComponent).join(",")}`, serviceVersionsSchema, { signal })),
  );
  return { environments: answers[0]?.environments ?? [], versions: Object.assign({}, ...answers.map((a) => a.versions)) };
}
