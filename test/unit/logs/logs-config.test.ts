import { describe, expect, it } from "vitest";
import { logSourcesFromConfig } from "../../../server/logs";
import { parseSlipwayConfig } from "../../../server/shared/config-file";

const yaml = (logs: string) => `
environments:
  - name: staging
  - name: production
logs:
${logs}
`;

describe("logs configuration", () => {
  it("reads a source per environment with fluentd's defaults, secrets from the environment and de-dotted labels", () => {
    const config = parseSlipwayConfig(
      yaml(`  sources:
    - environment: staging
      url: http://127.0.0.1:9200
      auth: { apiKey: { env: ES_API_KEY } }
    - environment: production
      url: https://search.example:9200
      flavour: opensearch2
      indexPattern: "application-*"
      serviceLabel: app.kubernetes.io/name
      auth: { basic: { username: slipway, password: { env: OS_PASSWORD } } }
      fields: { message: [message], keywordSuffix: "" }
`),
      "slipway.config.yaml",
    );
    expect(config.logs?.sources[0]).toMatchObject({
      flavour: "elasticsearch8",
      indexPattern: "logstash-*",
      serviceLabel: "backstage.io/kubernetes-id",
      timeoutSeconds: 10,
    });
    const sources = logSourcesFromConfig(config.logs, ["staging", "production"], { ES_API_KEY: "a2V5", OS_PASSWORD: "pw" });
    expect(sources.staging!.fields.serviceLabel).toBe("kubernetes.labels.backstage_io/kubernetes-id");
    expect(sources.production!.fields).toMatchObject({ serviceLabel: "kubernetes.labels.app_kubernetes_io/name", message: ["message"], keywordSuffix: "" });
    expect(sources.production!.tieBreaker).toBe("_id");
    expect(() => logSourcesFromConfig(config.logs, ["staging", "production"], {})).toThrow(/ES_API_KEY is not set/);
  });

  it("names the line and key of a bad index pattern or flavour", () => {
    const source = (extra: string) => yaml(`  sources:\n    - environment: staging\n      url: http://x:9200\n      ${extra}\n`);
    expect(() => parseSlipwayConfig(source('indexPattern: "logs-*/_search?q=*"'), "s.yaml")).toThrow(/s\.yaml:\d+ logs\.sources\.0\.indexPattern/);
    expect(() => parseSlipwayConfig(source("flavour: solr"), "s.yaml")).toThrow(/flavour/);
  });
});
