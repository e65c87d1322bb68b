import "server-only";
import { createPrivateKey } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { parseProxyEntry } from "./client-ip";

/** Process configuration from the environment, validated once. Errors name the variable and what was expected. */
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// connection URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SLIPWAY_DATA_DIR: z.string().min(1).default(".slipway"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SLIPWAY_PUBLIC_URL: z.url().optional().describe("the URL people reach Slipway at, for OIDC redirects"),
  SLIPWAY_OIDC_ISSUER: z.url().optional(),
  SLIPWAY_OIDC_CLIENT_ID: z.string().min(1).optional(),
  SLIPWAY_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  SLIPWAY_OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  SLIPWAY_OIDC_SCOPES: z.string().default("openid email profile"),
  SLIPWAY_ROLE_MAP: z.string().optional(),
  SLIPWAY_SESSION_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(12),
  SLIPWAY_APPLY_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  // Kubernetes kills a pod 30 s after SIGTERM by default; 25 s leaves time to close the database and exit.
  SLIPWAY_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  SLIPWAY_COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  SLIPWAY_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      for (const entry of entries.filter((e) => !parseProxyEntry(e))) {
        ctx.addIssue({ code: "custom", message: `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, fd00::/8)` });
      }
    }),
  SLIPWAY_AUDIT_SIGNING_KEY: z
    .string()
    .transform((pem) => pem.replace(/\\n/g, "\n")) // one-line env files write newlines as \n
    .refine(isEd25519PrivateKeyPem, "expected an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)")
    .optional(),
  SLIPWAY_AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  SLIPWAY_AUDIT_DIGEST_DIR: z.string().min(1).optional(),
  SLIPWAY_AUDIT_DIGEST_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  SLIPWAY_CONFIG: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .describe("slipway.config.yaml: environments, clusters, metrics and log sources"),
  SLIPWAY_DEMO: z
    .enum(["auto", "on", "off"])
    .default("auto")
    .describe("seed demo data and start the Kubernetes simulator: auto = only on the embedded database"),
});

function isEd25519PrivateKeyPem(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}

const roleMapSchema = z.record(
  z.string().describe("identity provider group"),
  z.object({
    roles: z.array(z.enum(["viewer", "engineer", "approver", "admin"])).min(1),
    approverTeams: z.array(z.string()).optional(),
    approverTiers: z.array(z.number().int().min(0).max(9)).optional(),
  }),
);
export type RoleMap = z.infer<typeof roleMapSchema>;

export type OidcConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  groupsClaim: string;
  scopes: string;
};

export type AppConfig = {
  publicUrl: string | undefined;
  oidc: OidcConfig | undefined;
  roleMap: RoleMap;
  sessionHours: number;
  /** How long a claimed apply may go silent before another replica (or the next start) takes it over. */
  applyLeaseMs: number;
  /** How long a SIGTERM'd replica lets its applies finish before handing them over, then exits. */
  shutdownGraceMs: number;
  cookieSecure: "auto" | "true" | "false";
  /** Proxies whose X-Forwarded-For is believed (IPs and CIDR ranges). */
  trustedProxies: string[];
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  demo: boolean;
  /** The path of slipway.config.yaml (SLIPWAY_CONFIG), read once by the composition root. */
  configFile: string | undefined;
  /** Signed digests of the audit chain's head; the key never goes into Postgres. */
  audit: { signingKeyPem: string | undefined; signingKeyFile: string | undefined; digestDir: string; digestIntervalMs: number };
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.SLIPWAY_OIDC_ISSUER && !e.SLIPWAY_OIDC_CLIENT_ID) {
    throw new ConfigError("Invalid environment:\n  SLIPWAY_OIDC_CLIENT_ID: required when SLIPWAY_OIDC_ISSUER is set");
  }
  if (e.SLIPWAY_AUDIT_SIGNING_KEY && e.SLIPWAY_AUDIT_SIGNING_KEY_FILE) {
    throw new ConfigError("Invalid environment:\n  SLIPWAY_AUDIT_SIGNING_KEY_FILE: set either it or SLIPWAY_AUDIT_SIGNING_KEY, not both");
  }
  let roleMap: RoleMap = {};
  if (e.SLIPWAY_ROLE_MAP) {
    let raw: unknown;
    try {
      raw = JSON.parse(e.SLIPWAY_ROLE_MAP);
    } catch {
      throw new ConfigError('Invalid environment:\n  SLIPWAY_ROLE_MAP: expected JSON such as {"platform-admins":{"roles":["admin"]}}');
    }
    const roles = roleMapSchema.safeParse(raw);
    if (!roles.success) {
      const lines = roles.error.issues.map((i) => `  SLIPWAY_ROLE_MAP.${i.path.join(".")}: ${i.message}`);
      throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
    }
    roleMap = roles.data;
  }
  return {
    publicUrl: e.SLIPWAY_PUBLIC_URL,
    oidc: e.SLIPWAY_OIDC_ISSUER
      ? {
          issuer: e.SLIPWAY_OIDC_ISSUER,
          clientId: e.SLIPWAY_OIDC_CLIENT_ID!,
          clientSecret: e.SLIPWAY_OIDC_CLIENT_SECRET,
          groupsClaim: e.SLIPWAY_OIDC_GROUPS_CLAIM,
          scopes: e.SLIPWAY_OIDC_SCOPES,
        }
      : undefined,
    roleMap,
    sessionHours: e.SLIPWAY_SESSION_HOURS,
    applyLeaseMs: e.SLIPWAY_APPLY_LEASE_MS,
    shutdownGraceMs: e.SLIPWAY_SHUTDOWN_GRACE_MS,
    cookieSecure: e.SLIPWAY_COOKIE_SECURE,
    trustedProxies: e.SLIPWAY_TRUSTED_PROXIES,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.SLIPWAY_DATA_DIR),
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    demo: e.SLIPWAY_DEMO === "on" || (e.SLIPWAY_DEMO === "auto" && !e.DATABASE_URL),
    configFile: e.SLIPWAY_CONFIG,
    audit: {
      signingKeyPem: e.SLIPWAY_AUDIT_SIGNING_KEY,
      signingKeyFile: e.SLIPWAY_AUDIT_SIGNING_KEY_FILE ? path.resolve(e.SLIPWAY_AUDIT_SIGNING_KEY_FILE) : undefined,
      digestDir: path.resolve(e.SLIPWAY_AUDIT_DIGEST_DIR ?? path.join(e.SLIPWAY_DATA_DIR, "audit-digests")),
      digestIntervalMs: e.SLIPWAY_AUDIT_DIGEST_SECONDS * 1000,
    },
  };
}

let cached: AppConfig | undefined;
export function config(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests and the custom server may install a config explicitly. */
export function setConfig(next: AppConfig | undefined): void {
  cached = next;
}
