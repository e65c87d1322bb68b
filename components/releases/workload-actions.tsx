"use client";

import { useRouter } from "next/navigation";
import { ActionButton } from "./action-button";
import { FastForwardIcon, PauseIcon, PlayIcon, RestartIcon, StopIcon, UndoIcon } from "@/components/ui/icons";
import { releasesApi } from "@/components/api/releases";
import type { WorkloadAction } from "./types";

type Spec = { action: WorkloadAction; label: string; icon: React.ReactNode; title: string; description: string; confirm: string; danger?: boolean };

const specs: Record<WorkloadAction, Omit<Spec, "action">> = {
  restart: {
    label: "Restart",
    icon: <RestartIcon size={14} />,
    title: "Restart the pods",
    description: "Replaces every pod of the workload, one batch at a time, as `kubectl rollout restart` does. The version stays the same.",
    confirm: "Restart",
  },
  pause: {
    label: "Pause",
    icon: <PauseIcon size={14} />,
    title: "Pause the rollout",
    description: "Stops the workload's controller from replacing more pods until you resume. Pods already running stay.",
    confirm: "Pause",
  },
  resume: {
    label: "Resume",
    icon: <PlayIcon size={14} />,
    title: "Resume the rollout",
    description: "Lets the controller carry on replacing pods where it stopped.",
    confirm: "Resume",
  },
  abort: {
    label: "Abort canary",
    icon: <StopIcon size={14} />,
    title: "Abort the canary",
    description: "Sends all traffic back to the stable version and scales the canary down. The rollout is marked failed.",
    confirm: "Abort canary",
    danger: true,
  },
  retry: {
    label: "Retry canary",
    icon: <UndoIcon size={14} className="-scale-x-100" />,
    title: "Retry the canary",
    description: "Starts an aborted canary again from its first step.",
    confirm: "Retry",
  },
  "promote-full": {
    label: "Promote fully",
    icon: <FastForwardIcon size={14} />,
    title: "Promote the canary fully",
    description: "Skips the remaining steps and pauses: all traffic moves to the new version now. Use it when the canary is proven.",
    confirm: "Promote fully",
    danger: true,
  },
};

/**
 * Restart, pause/resume, and for an Argo canary abort/retry/full promotion, on every workload of the service in
 * one environment. Rendered only for people who may operate the service; the server checks again.
 */
export function WorkloadActions({
  service,
  environment,
  actions,
  size = "sm",
}: {
  service: string;
  environment: string;
  actions: WorkloadAction[];
  size?: "sm" | "md";
}) {
  const router = useRouter();
  return (
    <>
      {actions.map((action) => {
        const spec = specs[action];
        return (
          <ActionButton
            key={action}
            size={size}
            label={spec.label}
            icon={spec.icon}
            title={`${spec.title} — ${service} in ${environment}`}
            description={spec.description}
            confirmLabel={spec.confirm}
            danger={spec.danger}
            onConfirm={async (reason) => {
              const result = await releasesApi.operate(service, environment, action, reason);
              router.refresh();
              return `${spec.label}: done on ${result.workloads.length} workload${result.workloads.length === 1 ? "" : "s"}.`;
            }}
          />
        );
      })}
    </>
  );
}
