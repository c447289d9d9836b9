import { describe, expect, it } from "vitest";
import { CACHE_PREFIX, precacheUrl, precacheVersion, serviceWorkerSource } from "../../src/integrations/service-worker";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("the precache list", () => {
  it("requests a page by its directory and anything else by its path, never the worker itself", () => {
    expect(precacheUrl("index.html")).toBe("/");
    expect(precacheUrl("lessons/life-of-a-packet/index.html")).toBe("/lessons/life-of-a-packet/");
    expect(precacheUrl("404.html")).toBe("/404.html");
    expect(precacheUrl("_astro/StepLab.C37GAek9.js")).toBe("/_astro/StepLab.C37GAek9.js");
    expect(precacheUrl("pagefind/fragment/en_1a2b3c.pf_fragment")).toBe("/pagefind/fragment/en_1a2b3c.pf_fragment");
    expect(precacheUrl("sw.js")).toBeNull();
  });

  it("is versioned by every URL and every byte behind it, whatever the order", () => {
    const files = [
      { url: "/", bytes: bytes("<h1>Packet Lab</h1>") },
      { url: "/_astro/a.js", bytes: bytes("export {}") },
    ];
    const version = precacheVersion(files);
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(precacheVersion([...files].reverse())).toBe(version);
    expect(precacheVersion([files[0]!, { url: "/_astro/a.js", bytes: bytes("export {};") }])).not.toBe(version);
    expect(precacheVersion([files[0]!, { url: "/_astro/b.js", bytes: bytes("export {}") }])).not.toBe(version);
  });
});

/** A fake service-worker global: listeners, a Cache Storage in memory, and a network that can go away. */
function workerWorld(source: string) {
  const listeners = new Map<string, (event: unknown) => void>();
  const stores = new Map<string, Map<string, Response>>();
  const network = { online: true, files: new Map<string, string>() };
  const keyOf = (request: Request | string, ignoreSearch = false) => {
    const url = new URL(typeof request === "string" ? request : request.url, "https://course.example");
    return ignoreSearch ? url.origin + url.pathname : url.href;
  };
  const cacheOf = (store: Map<string, Response>) => ({
    match: async (request: Request | string, options?: { ignoreSearch?: boolean }) => {
      const key = keyOf(request, options?.ignoreSearch);
      for (const [k, response] of store) if ((options?.ignoreSearch ? k.replace(/\?.*$/, "") : k) === key) return response.clone();
      return undefined;
    },
    put: async (request: Request, response: Response) => void store.set(keyOf(request), response),
    addAll: async (requests: Request[]) => {
      for (const request of requests) {
        const response = await fetchFake(request);
        if (!response.ok) throw new TypeError(`${request.url}: ${response.status}`);
        store.set(keyOf(request), response);
      }
    },
  });
  const caches = {
    open: async (name: string) => cacheOf(stores.get(name) ?? stores.set(name, new Map()).get(name)!),
    keys: async () => [...stores.keys()],
    delete: async (name: string) => stores.delete(name),
  };
  const fetchFake = async (request: Request | string) => {
    if (!network.online) throw new TypeError("Failed to fetch");
    const path = new URL(typeof request === "string" ? request : request.url).pathname;
    const body = network.files.get(path);
    const response = body === undefined ? new Response("missing", { status: 404 }) : new Response(body, { status: 200 });
    Object.defineProperty(response, "type", { value: "basic" });
    return response;
  };
  const self = {
    location: new URL("https://course.example/sw.js"),
    addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
    skipWaiting: async () => {},
    clients: { claim: async () => {} },
  };
  // A request as the worker builds it: its URL resolved against the worker's, as in a browser.
  const RequestFake = function (url: string, init: RequestInit) {
    return { url: new URL(url, self.location).href, method: "GET", ...init };
  };
  new Function("self", "caches", "fetch", "Request", source)(self, caches, fetchFake, RequestFake);

  /** Dispatches a lifecycle event and waits for what the worker asked to wait for. */
  const lifecycle = async (type: "install" | "activate") => {
    let work: Promise<unknown> = Promise.resolve();
    listeners.get(type)!({ waitUntil: (p: Promise<unknown>) => (work = p) });
    await work;
  };
  /** A fetch as a page makes it; undefined when the worker lets the browser handle it. */
  const request = async (path: string, mode: RequestMode | "navigate" = "cors", method = "GET") => {
    let answer: Promise<Response> | undefined;
    const req = { url: new URL(path, "https://course.example").href, method, mode };
    listeners.get("fetch")!({ request: req, respondWith: (p: Promise<Response>) => (answer = p) });
    return answer;
  };
  return { network, stores, lifecycle, request };
}

describe("the service worker", () => {
  const urls = ["/", "/404.html", "/lessons/a/", "/_astro/lab.js", "/pagefind/pagefind.js"];
  const site = (world: ReturnType<typeof workerWorld>, version: string) => {
    for (const url of urls) world.network.files.set(url, `${url} of build ${version}`);
  };

  it("precaches the list on install and answers pages and assets offline", async () => {
    const world = workerWorld(serviceWorkerSource("v1", urls));
    site(world, "v1");
    await world.lifecycle("install");
    await world.lifecycle("activate");
    expect([...world.stores.keys()]).toEqual([`${CACHE_PREFIX}v1`]);
    expect(world.stores.get(`${CACHE_PREFIX}v1`)!.size).toBe(urls.length);

    world.network.online = false;
    await expect((await world.request("/lessons/a/?journey.step=6", "navigate"))!.text()).resolves.toBe("/lessons/a/ of build v1");
    await expect((await world.request("/lessons/a", "navigate"))!.text()).resolves.toBe("/lessons/a/ of build v1");
    await expect((await world.request("/_astro/lab.js"))!.text()).resolves.toBe("/_astro/lab.js of build v1");
    await expect((await world.request("/pagefind/pagefind.js?ts=1"))!.text()).resolves.toBe("/pagefind/pagefind.js of build v1");
    const missing = await world.request("/lessons/nowhere/", "navigate");
    expect(missing!.status).toBe(404);
    await expect(missing!.text()).resolves.toBe("/404.html of build v1");
  });

  it("reads pages from the network while online, and leaves other methods and origins alone", async () => {
    const world = workerWorld(serviceWorkerSource("v1", urls));
    site(world, "v1");
    await world.lifecycle("install");
    world.network.files.set("/lessons/a/", "newer");
    await expect((await world.request("/lessons/a/", "navigate"))!.text()).resolves.toBe("newer");
    expect(await world.request("/lessons/a/", "navigate", "POST")).toBeUndefined();
    expect(await world.request("https://elsewhere.example/x.js")).toBeUndefined();
  });

  it("fails its install when a listed file is missing, so the old worker stays", async () => {
    const world = workerWorld(serviceWorkerSource("v1", urls));
    site(world, "v1");
    world.network.files.delete("/_astro/lab.js");
    await expect(world.lifecycle("install")).rejects.toThrow(/lab\.js: 404/);
  });

  it("a new build's worker replaces the old cache", async () => {
    const world = workerWorld(serviceWorkerSource("v1", urls));
    site(world, "v1");
    await world.lifecycle("install");
    await world.lifecycle("activate");
    const next = workerWorld(serviceWorkerSource("v2", urls));
    // The same Cache Storage: the browser keeps it across workers.
    (next.stores as Map<string, unknown>).set(`${CACHE_PREFIX}v1`, world.stores.get(`${CACHE_PREFIX}v1`));
    site(next, "v2");
    await next.lifecycle("install");
    await next.lifecycle("activate");
    expect([...next.stores.keys()]).toEqual([`${CACHE_PREFIX}v2`]);
    next.network.online = false;
    await expect((await next.request("/", "navigate"))!.text()).resolves.toBe("/ of build v2");
  });
});
