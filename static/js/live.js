// Shows whether the SSE stream is connected; htmx-ext-sse reconnects by itself and the cards
// also poll every 60 s, so a dropped stream degrades to polling rather than to a frozen page.
document.addEventListener("DOMContentLoaded", () => {
  const badge = document.getElementById("live");
  const set = (live) => {
    badge.textContent = live ? "live" : "offline";
    badge.classList.toggle("offline", !live);
  };
  document.body.addEventListener("htmx:sseOpen", () => set(true));
  document.body.addEventListener("htmx:sseError", () => set(false));
});
