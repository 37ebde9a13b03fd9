// Draws the forecasts page's reliability chart (predicted vs observed frequency, ours and the
// market's) from the JSON beside it (forecasts/backtests/reliability.py). The bins' table reads without it.
(() => {
  const draw = (fig) => {
    if (fig.dataset.drawn !== undefined || !window.uPlot) return;
    const data = JSON.parse(fig.querySelector('script[type="application/json"]').textContent);
    // uPlot wants one x column: the union of both sides' bin means, null where a side has none.
    // 0 and 1 are added so the diagonal spans the whole square.
    const xs = [...new Set([0, 1, ...[...data.ours, ...data.market].map((p) => p[0])])].sort((a, b) => a - b);
    const column = (points) => xs.map((x) => {
      const hit = points.find((p) => p[0] === x);
      return hit ? hit[1] : null;
    });
    const holder = fig.querySelector(".plot");
    const size = Math.min(Math.max(holder.clientWidth || fig.clientWidth || 300, 240), 420);
    const percent = (u, ticks) => ticks.map((v) => `${Math.round(v * 100)}%`);
    const line = (label, stroke, dash) => ({ label, stroke, width: 1.5, spanGaps: true, dash, points: { show: !dash, size: 7 } });
    const plot = new uPlot({
      width: size,
      height: size,
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      // In percent, as the bins' table and the rest of /forecasts (forecasts/templatetags/odds.py).
      axes: [{ label: "said", values: percent }, { label: "happened", size: 50, values: percent }],
      series: [{ label: "said" }, line("ours", "#0969da"), line("market", "#cf222e"), line("calibrated", "#8c959f", [4, 4])],
    }, [xs, column(data.ours), column(data.market), xs], holder);
    fig._plot = plot;
    fig.dataset.drawn = data.ours.length + data.market.length;  // bins with markets, both sides
  };
  const drawIn = (root) => (root.querySelectorAll ? root.querySelectorAll("figure.reliability") : []).forEach(draw);
  document.addEventListener("DOMContentLoaded", () => drawIn(document));
  document.addEventListener("htmx:load", (event) => drawIn(event.detail.elt));
})();
