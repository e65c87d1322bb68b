import { importCatalogue } from "@/server/catalogue";
import { clusterRegistry, mappingCheckFor } from "@/server/cluster";
import { authenticate } from "@/server/identity";
import { readTextBody } from "@/server/shared/body";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const yamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

/** Permission is checked per owning squad once the descriptors are parsed (see importCatalogue). */
export const POST = route(async (request) => {
  const actor = await authenticate(request);
  const text = await readTextBody(request, { types: yamlTypes, maxBytes: 10 * 1024 * 1024 });
  return json(await importCatalogue(text, actor, undefined, { checkMapping: mappingCheckFor(clusterRegistry()) }));
});
