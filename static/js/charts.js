// Draws each <figure class="chart"> from the JSON the server put beside it (the same series as
// GET /api/shows/<id>/metrics). Without JavaScript the figure's table of newest values still reads.
(() => {
  const COLOURS = ["#0969da", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#57606a", "#0a3069"];

  const draw = (fig) => {
    if (fig.dataset.drawn !== undefined || !window.uPlot) return;
    const holder = fig.querySelector(".plot");
    const data = JSON.parse(fig.querySelector('script[type="application/json"]').textContent);
    const invert = data.metric === "rank";
    // A market's price and our probability (forecasts/_price_history.html): ticks and legend in percent,
    // the one unit of /forecasts (forecasts/templatetags/odds.py), not 0.25.
    const percent = data.metric === "probability";
    const pct = (v) => (v == null ? "–" : `${+(v * 100).toFixed(1)}%`);
    const width = Math.max(holder.clientWidth || fig.clientWidth || 300, 240);
    const opts = {
      width,
      height: 180,
      legend: { show: data.labels.length > 1 },
      scales: { x: { time: true, range: () => data.span }, y: { dir: invert ? -1 : 1 } },
      series: [{}, ...data.labels.map((label, n) => ({
        label,
        stroke: COLOURS[n % COLOURS.length],
        width: 1.5,
        spanGaps: true,
        points: { show: data.x.length < 60 },
        ...(percent ? { value: (u, v) => pct(v) } : {}),
      }))],
      axes: [{}, percent ? { size: 50, values: (u, ticks) => ticks.map(pct) } : { size: 50 }],
    };
    const plot = new uPlot(opts, [data.x, ...data.lines], holder);
    fig._plot = plot;
    // How many stored points the chart holds: the browser tests compare it with the API.
    fig.dataset.drawn = data.lines.reduce((n, ys) => n + ys.filter((v) => v !== null).length, 0);
  };

  const drawIn = (root) => (root.querySelectorAll ? root.querySelectorAll("figure.chart") : []).forEach(draw);
  document.addEventListener("DOMContentLoaded", () => drawIn(document));
  document.addEventListener("htmx:load", (event) => drawIn(event.detail.elt));
  window.addEventListener("resize", () => {
    document.querySelectorAll("figure.chart").forEach((fig) => {
      if (fig._plot) fig._plot.setSize({ width: Math.max(fig.querySelector(".plot").clientWidth, 240), height: 180 });
    });
  });
})();
