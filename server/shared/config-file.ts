import "server-only";
import fs from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, isNode } from "yaml";
import { z } from "zod";
import { ConfigError } from "./config";

/** A secret written inline, or read from an environment variable at start (`{ env: NAME }`). */
const secret = z.union([z.string().min(1), z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name") }).strict()]);
export type SecretValue = z.infer<typeof secret>;

const connectionSchema = z.union([
  z.object({ kubeconfig: z.object({ path: z.string().min(1), context: z.string().min(1).optional() }).strict() }).strict(),
  z.object({ inCluster: z.literal(true) }).strict(),
  z
    .object({
      server: z.url({ protocol: /^https?$/ }),
      token: secret,
      caFile: z.string().optional(),
      caData: z.string().optional(),
      insecureSkipTlsVerify: z.boolean().optional(),
    })
    .strict(),
]);
export type ClusterConnection = z.infer<typeof connectionSchema>;

const dnsLabel = z
  .string()
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, "a DNS-1123 label (lowercase letters, digits, '-')")
  .max(63);

/**
 * Which squads own which namespaces. A service acts only on workloads in a namespace its squad owns: the cluster side
 * decides what belongs to a service, not a descriptor its squad may edit.
 */
const namespaceOwnersSchema = z.record(dnsLabel, z.array(z.string().min(1).max(63)).min(1, "name at least one squad"));
export type NamespaceOwners = z.infer<typeof namespaceOwnersSchema>;

/**
 * Metrics (server/metrics): a Prometheus HTTP API source per environment (Prometheus, Thanos, Mimir, VictoriaMetrics),
 * the application's metric names, and panel templates replacing the defaults when given.
 */
const metricsSchema = z
  .object({
    sources: z
      .array(
        z
          .object({
            environment: dnsLabel,
            url: z.url({ protocol: /^https?$/ }),
            bearerToken: secret.optional(),
            basicAuth: z
              .object({ username: z.string().min(1), password: secret })
              .strict()
              .optional(),
            /** e.g. X-Scope-OrgID for a Mimir, Cortex or Thanos tenant. */
            headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, "an HTTP header name"), z.string().max(1000)).default({}),
            timeoutSeconds: z.number().min(1).max(120).default(10),
            scrapeIntervalSeconds: z.number().int().min(1).max(3600).default(15),
            /** Where "Open in Prometheus / Grafana" goes: {{query}}, {{from}}, {{to}} (epoch ms) and {{step}} are filled in. */
            link: z.url({ protocol: /^https?$/ }).optional(),
          })
          .strict(),
      )
      .default([]),
    names: z
      .object({
        requestsTotal: z
          .string()
          .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a Prometheus metric name")
          .optional(),
        requestDurationBucket: z
          .string()
          .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a Prometheus metric name")
          .optional(),
        requestDurationUnit: z.enum(["seconds", "milliseconds"]).optional(),
        statusLabel: z
          .string()
          .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "a Prometheus label name")
          .optional(),
        errorStatusPattern: z.string().min(1).max(200).optional(),
      })
      .strict()
      .default({}),
    panels: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and '-'"),
            title: z.string().min(1).max(80),
            unit: z.enum(["req/s", "%", "ms", "cores", "bytes", "count"]),
            kinds: z.array(z.enum(["Deployment", "Rollout"])).optional(),
            optional: z.boolean().optional(),
            targets: z
              .array(z.object({ legend: z.string().min(1).max(40), query: z.string().min(1).max(4000) }).strict())
              .min(1)
              .max(6),
          })
          .strict(),
      )
      .optional(),
    panelTimeoutSeconds: z.number().min(1).max(120).default(10),
  })
  .strict();
export type MetricsConfig = z.infer<typeof metricsSchema>;

const fieldPath = z.string().regex(/^[A-Za-z0-9@_][A-Za-z0-9@_./-]{0,199}$/, "a document field path");

/**
 * Logs (server/logs): an Elasticsearch-API log store per environment, as fluentd's kubernetes_metadata filter and
 * elasticsearch output write it. `flavour` picks the client: Elasticsearch 8, Elasticsearch 9 or OpenSearch 2.
 */
const logsSchema = z
  .object({
    sources: z
      .array(
        z
          .object({
            environment: dnsLabel,
            url: z.url({ protocol: /^https?$/ }),
            flavour: z.enum(["elasticsearch8", "elasticsearch9", "opensearch2"]).default("elasticsearch8"),
            auth: z
              .union([
                z.object({ apiKey: secret }).strict(),
                z.object({ basic: z.object({ username: z.string().min(1), password: secret }).strict() }).strict(),
                z.object({ bearer: secret }).strict(),
              ])
              .optional(),
            /** fluentd's logstash_format writes `<prefix>-YYYY.MM.DD`; the only indices Slipway searches. */
            indexPattern: z
              .string()
              .regex(/^[a-z0-9*][a-z0-9._*:+-]*(,[a-z0-9*][a-z0-9._*:+-]*)*$/, "index names or patterns (lowercase, * wildcards, commas)")
              .max(255)
              .default("logstash-*"),
            /** The pod label naming a service, as written on the pod; stored de-dotted unless `deDotLabels` is false. */
            serviceLabel: z
              .string()
              .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/, "a Kubernetes label key")
              .default("backstage.io/kubernetes-id"),
            deDotLabels: z.boolean().default(true),
            fields: z
              .object({
                timestamp: fieldPath.optional(),
                message: z.array(fieldPath).min(1).max(4).optional(),
                namespace: fieldPath.optional(),
                pod: fieldPath.optional(),
                container: fieldPath.optional(),
                labelsPrefix: fieldPath.optional(),
                stream: fieldPath.optional(),
                host: fieldPath.optional(),
                level: z.array(fieldPath).max(4).optional(),
                keywordSuffix: z.union([z.literal(""), z.string().regex(/^\.[A-Za-z0-9_]+$/)]).optional(),
              })
              .strict()
              .default({}),
            timeoutSeconds: z.number().min(1).max(120).default(10),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();
export type LogsConfig = z.infer<typeof logsSchema>;

const targetName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and '-'");
const chatChannel = z.string().regex(/^[#@]?[A-Za-z0-9._-]{1,80}$/, "a channel name such as #squad-cards, or a channel id");

/**
 * Notifications (server/notifications): where checkpoint, rollout and freeze events are sent. Targets carry their
 * secrets by environment reference; `defaults` receive every event unless its environment overrides them; the
 * `squadChannels` Slack bot target posts to each owning squad's `slipway.io/chat-channel`.
 */
const notificationsSchema = z
  .object({
    targets: z
      .array(
        z.discriminatedUnion("type", [
          z.object({ name: targetName, type: z.literal("slack-webhook"), url: secret }).strict(),
          z
            .object({
              name: targetName,
              type: z.literal("slack-bot"),
              token: secret,
              apiUrl: z.url({ protocol: /^https?$/ }).default("https://slack.com/api"),
              /** Mention approvers as Slack users (users.lookupByEmail, scope users:read.email) rather than by name. */
              lookupUsers: z.boolean().default(true),
            })
            .strict(),
          z.object({ name: targetName, type: z.literal("teams-webhook"), url: secret }).strict(),
          z.object({ name: targetName, type: z.literal("webhook"), url: z.url({ protocol: /^https?$/ }), secret }).strict(),
        ]),
      )
      .default([]),
    defaults: z.array(targetName).default([]),
    squadChannels: targetName.optional(),
    environments: z
      .record(
        dnsLabel,
        z
          .object({
            /** Replaces `defaults` for this environment's events. */
            targets: z.array(targetName).optional(),
            /** Channels posted to through the `squadChannels` bot besides the squad's own. */
            channels: z.array(chatChannel).default([]),
            squadChannels: z.boolean().default(true),
          })
          .strict(),
      )
      .default({}),
    timeoutSeconds: z.number().min(0.1).max(60).default(10),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(50).default(12),
        baseSeconds: z.number().min(0.01).max(600).default(2),
        capSeconds: z.number().min(0.01).max(86_400).default(900),
      })
      .strict()
      .default({ maxAttempts: 12, baseSeconds: 2, capSeconds: 900 }),
  })
  .strict()
  .superRefine((value, ctx) => {
    const byName = new Map(value.targets.map((t) => [t.name, t]));
    const check = (name: string, path: Array<string | number>) => {
      if (!byName.has(name))
        ctx.addIssue({ code: "custom", path, message: `"${name}" is not one of the targets (${[...byName.keys()].join(", ") || "none"})` });
    };
    value.defaults.forEach((n, i) => check(n, ["defaults", i]));
    for (const [env, o] of Object.entries(value.environments)) o.targets?.forEach((n, i) => check(n, ["environments", env, "targets", i]));
    if (value.squadChannels) {
      check(value.squadChannels, ["squadChannels"]);
      const t = byName.get(value.squadChannels);
      if (t && t.type !== "slack-bot") ctx.addIssue({ code: "custom", path: ["squadChannels"], message: "squad channels are posted by a slack-bot target" });
    }
    const names = value.targets.map((t) => t.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: "custom", path: ["targets", i, "name"], message: `target "${n}" is listed twice` });
    });
  });
export type NotificationsConfig = z.infer<typeof notificationsSchema>;

export const slipwayConfigSchema = z
  .object({
    environments: z
      .array(
        z
          .object({
            name: dnsLabel,
            title: z.string().max(100).optional(),
            production: z.boolean().default(false),
            /** auto: every new release rolls out at once; checkpoint: a rollout must be requested and approved. */
            policy: z.enum(["auto", "checkpoint"]).optional(),
            approvals: z
              .object({
                default: z.number().int().min(1).max(5).default(1),
                byTier: z.record(z.string().regex(/^\d$/), z.number().int().min(1).max(5)).default({}),
              })
              .strict()
              .optional(),
            autoRollback: z.boolean().default(false),
            checkpointTtlHours: z
              .number()
              .min(1)
              .max(24 * 14)
              .default(72),
          })
          .strict(),
      )
      .min(1, "list at least one environment"),
    namespaceOwners: namespaceOwnersSchema.default({}),
    clusters: z
      .array(
        z
          .object({
            name: dnsLabel,
            environment: dnsLabel,
            connection: connectionSchema,
            namespaces: z.array(dnsLabel).optional(),
            /** This cluster's own assignment of namespaces to squads, replacing the top-level one for the namespaces it lists. */
            namespaceOwners: namespaceOwnersSchema.optional(),
            impersonate: z.boolean().default(false),
            timeoutSeconds: z.number().min(1).max(120).default(10),
          })
          .strict(),
      )
      .default([]),
    metrics: metricsSchema.optional(),
    logs: logsSchema.optional(),
    notifications: notificationsSchema.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const envs = new Set(value.environments.map((e) => e.name));
    value.clusters.forEach((c, i) => {
      if (!envs.has(c.environment)) {
        ctx.addIssue({
          code: "custom",
          path: ["clusters", i, "environment"],
          message: `"${c.environment}" is not one of the environments (${[...envs].join(", ")})`,
        });
      }
    });
    const names = value.clusters.map((c) => c.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: "custom", path: ["clusters", i, "name"], message: `cluster "${n}" is listed twice` });
    });
  });
export type SlipwayConfig = z.infer<typeof slipwayConfigSchema>;
export type EnvironmentConfig = SlipwayConfig["environments"][number];
export type ClusterConfig = SlipwayConfig["clusters"][number];

/** Parses the config file's text; every error names the file, the line, the key and what was expected. */
export function parseSlipwayConfig(text: string, file: string): SlipwayConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new ConfigError(`${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split("\n")[0]}`);
  }
  const parsed = slipwayConfigSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const keyPath = issue.path.map(String);
      let line = 1;
      for (let depth = keyPath.length; depth >= 0; depth--) {
        const node = doc.getIn(issue.path.slice(0, depth) as Array<string | number>, true);
        if (isNode(node) && node.range) {
          line = lineCounter.linePos(node.range[0]).line;
          break;
        }
      }
      return `  ${file}:${line} ${keyPath.join(".") || "(top level)"}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid Slipway configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function resolveSecret(value: SecretValue, where: string, env: Record<string, string | undefined> = process.env): string {
  if (typeof value === "string") return value;
  const resolved = env[value.env];
  if (!resolved) throw new ConfigError(`${where}: environment variable ${value.env} is not set`);
  return resolved;
}

export function loadSlipwayConfigFile(file: string): SlipwayConfig {
  const full = path.resolve(file);
  if (!fs.existsSync(full)) throw new ConfigError(`SLIPWAY_CONFIG points at ${full}, which does not exist`);
  return parseSlipwayConfig(fs.readFileSync(full, "utf8"), file);
}
