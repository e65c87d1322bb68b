import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as demoRoute from "../../../app/api/auth/demo/route";
import { maxRequestBodyBytes } from "../../../server/shared/body";
import { parseJsonBody, route } from "../../../server/shared/route";

const chunk = new Uint8Array(256 * 1024).fill(0x20);

/** A body of `total` bytes, made on demand, that records how much of it the server pulled. */
function countingBody(total: number) {
  const meter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (meter.pulled >= total) return controller.close();
      meter.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, meter };
}

function post(path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>) {
  // A streamed body needs duplex "half", which Node's Request takes and NextRequest's init type does not name.
  const init = { method: "POST", body, headers, duplex: "half" };
  return new NextRequest(new Request(new URL(path, "http://slipway.test"), init));
}

const echo = route(async (request) => Response.json(await parseJsonBody(request, z.object({ person: z.string().optional() }))));
const hugeBody = 64 * 1024 * 1024;

describe("request bodies", () => {
  it("refuses a JSON body past the limit with 413 problem+json, having read little more than the limit", async () => {
    const { stream, meter } = countingBody(hugeBody);
    const response = await echo(post("/api/v1/anything", stream, { "content-type": "application/json" }), { params: Promise.resolve({}) });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.json()).title).toBe("Content Too Large");
    expect(meter.pulled).toBeLessThanOrEqual(maxRequestBodyBytes + 2 * chunk.byteLength);
  });

  it("refuses a body whose Content-Length is past the limit without reading any of it", async () => {
    const { stream, meter } = countingBody(hugeBody);
    const response = await echo(post("/api/v1/anything", stream, { "content-type": "application/json", "content-length": String(300 * 1024 * 1024) }), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(413);
    // Only what the stream buffers ahead by itself (its high-water mark), far less than the limit.
    expect(meter.pulled).toBeLessThan(maxRequestBodyBytes);
  });

  it("still parses a JSON body within the limit", async () => {
    const body = new Blob([JSON.stringify({ person: "amara.okafor" })]).stream();
    const response = await echo(post("/api/v1/anything", body, { "content-type": "application/json" }), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ person: "amara.okafor" });
  });

  it("refuses an oversized demo sign-in, as JSON or as a form, before reading it all", async () => {
    const json = countingBody(hugeBody);
    const asJson = await demoRoute.POST(post("/api/auth/demo", json.stream, { "content-type": "application/json" }));
    expect(asJson.status).toBe(413);
    expect(json.meter.pulled).toBeLessThanOrEqual(maxRequestBodyBytes + 2 * chunk.byteLength);

    const form = countingBody(hugeBody);
    const asForm = await demoRoute.POST(post("/api/auth/demo", form.stream, { "content-type": "application/x-www-form-urlencoded" }));
    // A form post gets its refusal on the sign-in page.
    expect(asForm.status).toBe(303);
    expect(asForm.headers.get("location")).toMatch(/\/signin\?error=/);
    expect(form.meter.pulled).toBeLessThanOrEqual(maxRequestBodyBytes + 2 * chunk.byteLength);
  });
});
