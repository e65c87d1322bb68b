import "server-only";
import { Observable, setHeaderOptions, type ConfigurationOptions, type KubeConfig, type ObservableMiddleware } from "@kubernetes/client-node";
import type { ActingPerson } from "./gateway";
import { multiValueHttpLibrary } from "./http-library";

/** Per-call client-node options: a deadline, the patch content type, impersonation. */

function deadline(ms: number): ObservableMiddleware {
  return {
    pre: (context) => {
      context.setSignal(AbortSignal.timeout(ms));
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
}

export type CallSettings = {
  timeoutMs: number;
  contentType?: string;
  /** Only set when the cluster config says `impersonate: true`. */
  as?: ActingPerson | undefined;
};

export function callOptions(kc: KubeConfig, settings: CallSettings): ConfigurationOptions {
  let options: ConfigurationOptions = { middleware: [deadline(settings.timeoutMs)], middlewareMergeStrategy: "append" };
  if (settings.contentType) options = setHeaderOptions("Content-Type", settings.contentType, options);
  if (settings.as) {
    options = {
      ...options,
      httpApi: multiValueHttpLibrary(kc, {
        "Impersonate-User": settings.as.user,
        ...(settings.as.groups.length ? { "Impersonate-Group": [...settings.as.groups] } : {}),
      }),
    };
  }
  return options;
}
