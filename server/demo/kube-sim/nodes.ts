import "server-only";
import type { KubeObject } from "./types";
import { KUBERNETES_VERSION } from "./discovery";

/** The simulated cluster's worker nodes (static, always Ready). */
export function nodeObjects(clusterName: string, count: number, time: string): KubeObject[] {
  const slug =
    clusterName
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "kube-sim";
  return Array.from({ length: count }, (_, i) => {
    const name = `${slug}-node-${i + 1}`;
    const zone = `zone-${String.fromCharCode(97 + (i % 3))}`;
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        labels: {
          "kubernetes.io/hostname": name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "node.kubernetes.io/instance-type": "sim.large",
          "topology.kubernetes.io/zone": zone,
        },
      },
      spec: { podCIDR: `10.244.${i + 1}.0/24`, podCIDRs: [`10.244.${i + 1}.0/24`] },
      status: {
        capacity: { cpu: "4", memory: "16318948Ki", pods: "110", "ephemeral-storage": "102687672Ki" },
        allocatable: { cpu: "4", memory: "16216548Ki", pods: "110", "ephemeral-storage": "94636958973" },
        conditions: [
          {
            type: "MemoryPressure",
            status: "False",
            reason: "KubeletHasSufficientMemory",
            message: "kubelet has sufficient memory available",
            lastHeartbeatTime: time,
            lastTransitionTime: time,
          },
          {
            type: "DiskPressure",
            status: "False",
            reason: "KubeletHasNoDiskPressure",
            message: "kubelet has no disk pressure",
            lastHeartbeatTime: time,
            lastTransitionTime: time,
          },
          {
            type: "PIDPressure",
            status: "False",
            reason: "KubeletHasSufficientPID",
            message: "kubelet has sufficient PID available",
            lastHeartbeatTime: time,
            lastTransitionTime: time,
          },
          {
            type: "Ready",
            status: "True",
            reason: "KubeletReady",
            message: "kubelet is posting ready status",
            lastHeartbeatTime: time,
            lastTransitionTime: time,
          },
        ],
        addresses: [
          { type: "InternalIP", address: `10.0.0.${11 + i}` },
          { type: "Hostname", address: name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: `${(i + 1).toString(16).padStart(32, "0")}`,
          systemUUID: `0000000${i + 1}-0000-0000-0000-000000000000`,
          bootID: `0000000${i + 1}-boot-0000-0000-000000000000`,
          kernelVersion: "6.1.0-28-amd64",
          osImage: "Debian GNU/Linux 12 (bookworm)",
          containerRuntimeVersion: "containerd://1.7.24",
          kubeletVersion: KUBERNETES_VERSION.gitVersion,
          kubeProxyVersion: KUBERNETES_VERSION.gitVersion,
          operatingSystem: "linux",
          architecture: "amd64",
        },
      },
    };
  });
}
