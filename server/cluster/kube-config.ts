import "server-only";
import { KubeConfig } from "@kubernetes/client-node";
import type { ClusterConfig } from "../shared/config-file";
import { ConfigError } from "../shared/config";
import { resolveSecret } from "../shared/config-file";

/**
 * A KubeConfig for one configured cluster: a kubeconfig file (and context), the pod's service account, or a
 * server URL with a bearer token. client-node refuses plain http:// unless the cluster entry skips TLS
 * verification, so plain-http servers (the simulator, a local proxy) get `skipTLSVerify: true`.
 */
export function kubeConfigFor(cluster: ClusterConfig, env: Record<string, string | undefined> = process.env): KubeConfig {
  const kc = new KubeConfig();
  const connection = cluster.connection;
  if ("kubeconfig" in connection) {
    kc.loadFromFile(connection.kubeconfig.path);
    if (connection.kubeconfig.context) {
      if (!kc.getContextObject(connection.kubeconfig.context)) {
        throw new ConfigError(`clusters.${cluster.name}: context "${connection.kubeconfig.context}" is not in ${connection.kubeconfig.path}`);
      }
      kc.setCurrentContext(connection.kubeconfig.context);
    }
  } else if ("inCluster" in connection) {
    kc.loadFromCluster();
  } else {
    const token = resolveSecret(connection.token, `clusters.${cluster.name}.connection.token`, env);
    kc.loadFromClusterAndUser(
      {
        name: cluster.name,
        server: connection.server.replace(/\/+$/, ""),
        skipTLSVerify: connection.insecureSkipTlsVerify ?? false,
        ...(connection.caFile ? { caFile: connection.caFile } : {}),
        ...(connection.caData ? { caData: connection.caData } : {}),
      },
      { name: `${cluster.name}-slipway`, token },
    );
  }
  if (!kc.getCurrentCluster()) throw new ConfigError(`clusters.${cluster.name}: the connection names no current cluster`);
  if (kc.getClusters().some((c) => c.server.startsWith("http:") && !c.skipTLSVerify)) {
    kc.loadFromOptions({
      clusters: kc.getClusters().map((c) => (c.server.startsWith("http:") ? { ...c, skipTLSVerify: true } : c)),
      users: kc.getUsers(),
      contexts: kc.getContexts(),
      currentContext: kc.getCurrentContext(),
    });
  }
  return kc;
}
