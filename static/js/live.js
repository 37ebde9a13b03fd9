// The live/offline badge, and polling while the stream is down. htmx-ext-sse reconnects by itself
// (with backoff); until it is back, every fragment marked data-live re-fetches on a timer, and once
// it is back they all re-fetch once to catch up on what happened in between.
(() => {
  const POLL_MS = 15000;
  let timer = null;
  let wasOpen = false;

  const refreshAll = () =>
    document.querySelectorAll("[data-live]").forEach((el) => window.htmx && htmx.trigger(el, "kp-poll"));

  const setBadge = (live) => {
    const badge = document.getElementById("live");
    if (!badge) return;
    badge.textContent = live ? "live" : "offline";
    badge.classList.toggle("offline", !live);
    document.body.dataset.stream = live ? "live" : "polling";
  };

  const stopPolling = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.body.addEventListener("htmx:sseOpen", () => {
      setBadge(true);
      stopPolling();
      if (wasOpen) refreshAll(); // back after a drop: catch up
      wasOpen = true;
    });
    // A form marked data-reset-on-success empties after it was accepted (no hx-on: the CSP forbids eval).
    document.body.addEventListener("htmx:afterRequest", (event) => {
      const form = event.detail.elt;
      if (event.detail.successful && form.matches && form.matches("form[data-reset-on-success]")) form.reset();
    });
    document.body.addEventListener("htmx:sseError", () => {
      setBadge(false);
      if (!timer) timer = setInterval(refreshAll, POLL_MS);
    });
  });
})();
