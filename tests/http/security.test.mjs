// Security headers, cross-site write refusal (CSRF) and the body size limit, over HTTP.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { callFn, DEMO_PASSWORD, signedInFetch, startServer } from "../support/server.mjs";

describe("protections on every response", () => {
  let server;
  let get;
  before(async () => {
    server = await startServer();
    get = await signedInFetch(server.url, "demo.coordinator");
  });
  after(async () => server.dispose());

  test("a page's CSP allows only scripts carrying the page's nonce, and wasm", async () => {
    const res = await get(`${server.url}/`);
    const csp = res.headers.get("content-security-policy");
    const html = await res.text();
    const nonces = new Set([...html.matchAll(/<script[^>]* nonce="([^"]+)"/g)].map((m) => m[1]));
    assert.equal(nonces.size, 1, "every inline script carries the one nonce of this page");
    const [nonce] = nonces;
    assert.match(csp, new RegExp(`script-src 'self' 'nonce-${nonce}' 'wasm-unsafe-eval'`));
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    // An empty <script></script> (leptos_i18n leaves one) never runs, so CSP never checks it.
    const inlineWithout = [...html.matchAll(/<script(?![^>]*\bnonce=)(?![^>]*\bsrc=)[^>]*>([^<]*)<\/script>/g)];
    assert.deepEqual(
      inlineWithout.filter((m) => m[1].trim() !== "").map((m) => m[0]),
      [],
      "no inline script with content lacks the nonce",
    );

    const again = await get(`${server.url}/`);
    assert.notEqual(again.headers.get("content-security-policy"), csp, "a new nonce per page");
  });

  test("pages rendered while files are fetched all arrive whole, each with its own page policy", async () => {
    // A phone opening a page fetches its icon, manifest and stylesheet at once, and the worker
    // precaches while another page loads. Files served by Leptos's fallback made a page
    // rendered meanwhile lose its CSP (about two in five here), so it never hydrated; and a
    // title read after its page's owner was gone panicked and cut a response off.
    const html = await (await get(`${server.url}/`)).text();
    const css = html.match(/href="(\/pkg\/[^"]+\.css)"/)[1];
    const files = ["/icons/icon-192.png", "/manifest.webmanifest", css];
    const pages = ["/", "/villages/none", "/", "/map"];
    for (let round = 0; round < 40; round++) {
      const responses = await Promise.all([
        ...pages.map((path, i) => get(`${server.url}${path}`, { headers: i % 2 ? { cookie: `${get.cookie}; i18n_pref_locale=kk` } : {} })),
        ...files.map((path) => fetch(`${server.url}${path}`)),
      ]);
      for (const [i, res] of responses.entries()) {
        // A response cut off mid-stream makes reading it throw.
        const body = await res.text();
        if (i >= pages.length) {
          assert.equal(res.status, 200, files[i - pages.length]);
          continue;
        }
        assert.match(res.headers.get("content-security-policy"), /script-src 'self' 'nonce-/, `${pages[i]}: a page policy`);
        assert.ok(body.includes("</html>"), `${pages[i]}: the page arrived whole`);
      }
    }
  });

  test("pages, files, API answers and errors all carry the security headers", async () => {
    const html = await (await get(`${server.url}/`)).text();
    const css = html.match(/href="(\/pkg\/[^"]+\.css)"/)[1];
    for (const path of ["/", "/sign-in", "/healthz", "/sw.js", "/manifest.webmanifest", css, "/no-such-page"]) {
      const res = await get(`${server.url}${path}`);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(res.headers.get("referrer-policy"), "same-origin", path);
      assert.equal(res.headers.get("x-frame-options"), "DENY", path);
      assert.match(res.headers.get("content-security-policy"), /frame-ancestors 'none'/, path);
      assert.equal(res.headers.get("strict-transport-security"), null, `${path}: no HSTS over plain HTTP`);
    }
  });

  test("a write sent from another site is refused with 403 and a translated message", async () => {
    const host = new URL(server.url).host;
    const evil = await fetch(`${server.url}/api/list_villages`, {
      method: "POST",
      headers: { origin: "https://evil.example", cookie: "i18n_pref_locale=kk" },
    });
    assert.equal(evil.status, 403);
    const body = await evil.json();
    assert.equal(body.error, "cross_site_request");
    assert.match(body.message, /Сұрау қабылданбады/);

    const crossFetch = await fetch(`${server.url}/api/list_villages`, {
      method: "POST",
      headers: { "sec-fetch-site": "cross-site" },
    });
    assert.equal(crossFetch.status, 403);

    const same = await get(`${server.url}/api/list_villages`, {
      method: "POST",
      headers: { origin: `http://${host}`, "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    assert.equal(same.status, 200, "the app's own request passes");
    assert.equal((await same.json()).length, 13 + 4, "the program villages and the demo's comparison villages");
  });

  test("a body over 256 KB gets 413 with a translated message and nothing is processed", async () => {
    const host = new URL(server.url).host;
    const res = await fetch(`${server.url}/api/get_village`, {
      method: "POST",
      headers: { origin: `http://${host}`, "content-type": "application/x-www-form-urlencoded" },
      body: `id=${"x".repeat(300 * 1024)}`,
    });
    assert.equal(res.status, 413);
    const body = await res.json();
    assert.equal(body.error, "payload_too_large");
    assert.match(body.message, /256 КБ/);
  });
});

test("behind HTTPS (--https true) responses carry HSTS and the session cookie is __Host- and Secure", async () => {
  const server = await startServer({ args: ["--https", "true", "--allow-demo-on-public-address", "true"] });
  try {
    const res = await fetch(`${server.url}/sign-in`);
    assert.match(res.headers.get("strict-transport-security"), /max-age=31536000/);
    const signedIn = await callFn(server.url, "sign_in", { login: "demo.inspector", password: DEMO_PASSWORD });
    assert.equal(signedIn.status, 200);
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith("__Host-zq_session="));
    assert.match(session, /; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    assert.ok(!/Domain=/i.test(session));
    const cookie = session.split(";")[0];
    assert.equal((await fetch(`${server.url}/persons`, { headers: { cookie }, redirect: "manual" })).status, 200);
  } finally {
    await server.dispose();
  }
});
