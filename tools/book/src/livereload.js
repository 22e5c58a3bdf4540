// Live reload for `cargo book serve`. The server adds this script to every HTML page it serves,
// at request time only: the site on disk, and so the published book, never carries it.
//
// The page knows the build it came from (data-build on the script tag). The server sends
// `build` (the current build, once on connecting), `reload` (a new build succeeded) and
// `error` (the last rebuild failed; the site shown is the last good one) events.
(() => {
  "use strict";
  const script = document.currentScript;
  const build = script ? script.dataset.build : "";
  let banner = null;

  function showError(text) {
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "sysdesign-build-error";
      banner.setAttribute("role", "alert");
      banner.style.cssText =
        "position:fixed;top:0;left:0;right:0;z-index:10000;max-height:60vh;overflow:auto;" +
        "padding:0.75em 1em;background:#fdecea;color:#611a15;border-bottom:3px solid #d32f2f;" +
        "font:14px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,0.3);";
      const title = document.createElement("strong");
      title.textContent =
        "The last rebuild failed; this is the last good build. Fix the error and save to rebuild.";
      const close = document.createElement("button");
      close.textContent = "hide";
      close.style.cssText = "float:right;margin-left:1em;";
      close.addEventListener("click", () => {
        banner.style.display = "none";
      });
      const body = document.createElement("pre");
      body.style.cssText =
        "margin:0.5em 0 0;white-space:pre-wrap;font:12px/1.4 ui-monospace,monospace;";
      banner.append(close, title, body);
      document.body.appendChild(banner);
    }
    banner.style.display = "";
    // textContent, never innerHTML: the error text may quote a snippet's own output.
    banner.querySelector("pre").textContent = text;
  }

  function clearError() {
    if (banner) {
      banner.remove();
      banner = null;
    }
  }

  function onBuild(id) {
    if (id && id !== build) {
      location.reload();
    }
  }

  fetch("/__sysdesign/status", { cache: "no-store" })
    .then((response) => response.json())
    .then((status) => {
      if (status.error) {
        showError(status.error);
      } else {
        onBuild(status.build);
      }
    })
    .catch(() => {});

  const events = new EventSource("/__sysdesign/events");
  events.addEventListener("build", (e) => onBuild(e.data));
  events.addEventListener("reload", (e) => {
    clearError();
    onBuild(e.data);
  });
  // EventSource also fires a plain `error` Event when the connection drops (then it retries by
  // itself); only the server's `error` message carries text.
  events.addEventListener("error", (e) => {
    if (typeof e.data === "string") {
      showError(e.data);
    }
  });
})();
