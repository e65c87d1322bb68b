import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../../server/api-docs";

const apiDir = path.join(process.cwd(), "app", "api");

/** Every route handler under app/api, as `METHOD /api/...` with `{param}` segments. */
function routes(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const url =
          "/" +
          path
            .relative(path.join(process.cwd(), "app"), path.dirname(full))
            .split(path.sep)
            .map((s) => s.replace(/^\[(\w+)\]$/, "{$1}"))
            .join("/");
        const source = fs.readFileSync(full, "utf8");
        for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
          if (new RegExp(`export (const|async function|function) ${method}\\b`).test(source)) found.push(`${method} ${url}`);
        }
      }
    }
  };
  walk(apiDir);
  return found;
}

describe("the OpenAPI document", () => {
  const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, unknown>> };

  it("is OpenAPI 3.1 and documents every API route a client can call", () => {
    expect(doc.openapi).toBe("3.1.0");
    // Browser sign-in flows and the document itself are not part of the client API.
    const clientRoutes = routes().filter((r) => !r.includes(" /api/auth/") && !r.endsWith("/openapi.json"));
    expect(clientRoutes.length).toBeGreaterThan(25);
    const missing = clientRoutes.filter((r) => {
      const [method, url] = r.split(" ") as [string, string];
      const pattern = new RegExp(`^${url.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\\{action\\\}|\{action\}/g, "(\\{action\\}|[a-z-]+)")}$`);
      return !Object.entries(doc.paths).some(([p, ops]) => pattern.test(p) && method.toLowerCase() in ops);
    });
    expect(missing).toEqual([]);
  });

  it("describes request bodies from the handlers' own schemas", () => {
    const register = doc.paths["/api/v1/services/{name}/releases"]!.post as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown>; required: string[] } } } };
    };
    const body = register.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["version", "image", "commitSha"]));
    expect(body.required).toEqual(expect.arrayContaining(["version", "image"]));
  });
});
