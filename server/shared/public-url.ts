import "server-only";
import { config } from "./config";

/** The origin people reach Slipway at: SLIPWAY_PUBLIC_URL when set (behind a proxy), else the request's own. */
export function publicOrigin(request: Request): string {
  const configured = config().publicUrl;
  if (configured) return new URL(configured).origin;
  const url = new URL(request.url);
  const host = request.headers.get("host");
  return host ? `${url.protocol}//${host}` : url.origin;
}
