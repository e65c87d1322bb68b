import "server-only";
import http from "node:http";
import https from "node:https";
import { ResponseContext, wrapHttpLibrary, type HttpLibrary, type KubeConfig, type RequestContext } from "@kubernetes/client-node";

/**
 * client-node's default transport keeps headers in a flat map, so several `Impersonate-Group` values would
 * reach the API server as one "a, b" group. This transport sends the request with node:http(s) and writes every
 * extra header value as its own header line; TLS material and credentials come from the KubeConfig.
 */
export function multiValueHttpLibrary(kc: KubeConfig, extraHeaders: Record<string, string | string[]>): HttpLibrary {
  return wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      const url = new URL(request.getUrl());
      const options: https.RequestOptions = { headers: {} };
      await kc.applyToHTTPSOptions(options);
      const headers: http.OutgoingHttpHeaders = { ...(options.headers as http.OutgoingHttpHeaders | undefined), ...request.getHeaders(), ...extraHeaders };
      const body = request.getBody();
      const signal = request.getSignal() as AbortSignal | undefined;
      const transport = url.protocol === "https:" ? https : http;
      return new Promise<ResponseContext>((resolve, reject) => {
        const req = transport.request(url, { ...options, method: request.getHttpMethod(), headers, ...(signal ? { signal } : {}) }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const buffer = Buffer.concat(chunks);
            const responseHeaders: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
            }
            resolve(
              new ResponseContext(res.statusCode ?? 0, responseHeaders, {
                text: async () => buffer.toString("utf8"),
                binary: async () => buffer,
                stream: () => null,
              }),
            );
          });
        });
        req.on("error", reject);
        if (typeof body === "string") req.write(body);
        req.end();
      });
    },
  });
}
