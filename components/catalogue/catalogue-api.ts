import type { Facets, QuickSearchResult, ServicePage, TeamPage } from "@/server/catalogue";
import type { ServiceVersions } from "@/server/cluster";

/** An RFC 9457 problem returned by Slipway's API, carrying the `detail` that is safe to show. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
  ) {
    super(detail ?? title);
    this.name = "ProblemError";
  }
}

/** GETs Slipway's API as the signed-in page: JSON, or a ProblemError carrying the problem's safe detail. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: "application/json" }, credentials: "same-origin" });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ProblemError(0, "Network error", "Slipway could not be reached. Check your connection and try again.");
  }
  if (response.ok) return (await response.json()) as T;
  let problem: { title?: string; detail?: string } = {};
  try {
    problem = (await response.json()) as typeof problem;
  } catch {
    // Not problem+json (a proxy's HTML error page, say): fall back to the status line.
  }
  throw new ProblemError(response.status, problem.title ?? response.statusText ?? "Request failed", problem.detail);
}

export const fetchServicePage = (queryString: string, cursor: string | null, signal?: AbortSignal) =>
  getJson<ServicePage>(`/api/v1/services?${queryString}${queryString ? "&" : ""}limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, signal);

export const fetchFacets = (queryString: string, signal?: AbortSignal) => getJson<Facets>(`/api/v1/services/facets?${queryString}`, signal);

export const fetchQuickSearch = (q: string, signal?: AbortSignal) => getJson<QuickSearchResult>(`/api/v1/search?q=${encodeURIComponent(q)}`, signal);

export const fetchTeamPage = (q: string, signal?: AbortSignal) => getJson<TeamPage>(`/api/v1/teams?q=${encodeURIComponent(q)}&limit=200`, signal);

/** The running versions of the named services, in batches the API accepts. */
export async function fetchRunningVersions(names: string[], signal?: AbortSignal): Promise<ServiceVersions> {
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += 200) batches.push(names.slice(i, i + 200));
  const answers = await Promise.all(
    batches.map((b) => getJson<ServiceVersions>(`/api/v1/running-versions?service=${b.map(encodeURIComponent).join(",")}`, signal)),
  );
  return { environments: answers[0]?.environments ?? [], versions: Object.assign({}, ...answers.map((a) => a.versions)) };
}
