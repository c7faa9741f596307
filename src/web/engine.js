// The static what-if site's engine (written by `authorship site`): the
// authorship engine compiled to WebAssembly and the site's rules bundle,
// both as base64 text so that the page loads them with a plain <script>,
// which browsers allow from file:// where they refuse fetch(). It sets
// `window.authorshipEngine.handle(method, url, body)`, which the page's
// api() calls instead of the server: the same function `authorship serve`
// answers with (`App::handle`), run here. Nothing is fetched.
// Output explains encoded sources; it is not legal advice.
(function () {
  "use strict";
  const WASM = "@WASM@";
  const BUNDLE = "@BUNDLE@";

  function bytes(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    const raw = atob(text);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  // Marks for the load-time benchmark (BENCHMARKS.md): when the module was
  // compiled and when the rules were read, in ms since navigation began.
  const ready = WebAssembly.instantiate(bytes(WASM), {}).then(({ instance }) => {
    performance.mark("engine-compiled");
    const x = instance.exports;
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    // Copies `data` into the module's memory; the caller releases it.
    const put = (data) => {
      const at = x.alloc(data.length);
      new Uint8Array(x.memory.buffer, at, data.length).set(data);
      return [at, data.length];
    };
    const output = () => decoder.decode(new Uint8Array(x.memory.buffer, x.output_ptr(), x.output_len()));
    const bundle = put(bytes(BUNDLE));
    const failed = x.load(bundle[0], bundle[1]);
    x.release(bundle[0], bundle[1]);
    if (failed) throw new Error(output());
    performance.mark("engine-loaded");
    return (method, url, body) => {
      const parts = [method, url, body].map((s) => put(encoder.encode(s)));
      try {
        const status = x.handle(...parts.flat());
        return { status, body: output() };
      } finally {
        for (const [at, len] of parts) x.release(at, len);
      }
    };
  });

  window.authorshipEngine = {
    handle: (method, url, body) => ready.then((handle) => handle(method, url, body || "")),
  };
})();
