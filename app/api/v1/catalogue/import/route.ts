import { importCatalogue, type MappingCheck } from "@/server/catalogue";
import { clusterRegistry, mappingCheckFor } from "@/server/cluster";
import { authenticate } from "@/server/identity";
import { metricsAnnotationProblems } from "@/server/metrics";
import { readTextBody } from "@/server/shared/body";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const yamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

/** Permission is checked per owning squad once the descriptors are parsed (see importCatalogue). */
export const POST = route(async (request) => {
  const actor = await authenticate(request);
  const text = await readTextBody(request, { types: yamlTypes, maxBytes: 10 * 1024 * 1024 });
  // What the clusters and the metrics source will be asked on a service's behalf is checked before it is stored.
  const mapping = mappingCheckFor(clusterRegistry());
  const checkMapping: MappingCheck = (component) => [
    ...(mapping?.(component) ?? []),
    ...metricsAnnotationProblems(component.annotations).map((problem) => {
      const [annotation, ...message] = problem.split(": ");
      return { annotation: annotation!, message: message.join(": ") };
    }),
  ];
  return json(await importCatalogue(text, actor, undefined, { checkMapping }));
});
