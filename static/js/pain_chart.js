// Pain trend: in-session and 24-hour ratings per workout, points coloured by the light,
// with the pain ceiling as a dashed line. Lines are monotone: a smoothed curve would sag below a
// rating or overshoot it between sessions, drawing pain nobody reported.
(function () {
  const el = document.getElementById("trend-data");
  const canvas = document.getElementById("pain-chart");
  if (!el || !canvas || !window.Chart) return;
  const points = JSON.parse(el.textContent);
  const colours = { green: "#146c43", yellow: "#e0a800", red: "#b02a37" };
  const labels = points.map((p) => p.label);
  const lightColours = points.map((p) => colours[p.light]);
  canvas.dataset.points = String(points.length);
  new Chart(canvas, {
    type: "line",
    data: {
      labels,
      datasets: [
        { label: "Pain during", data: points.map((p) => p.during), borderColor: "#0d6efd",
          pointBackgroundColor: lightColours, pointBorderColor: lightColours, pointRadius: 5, cubicInterpolationMode: "monotone" },
        { label: "24 h after", data: points.map((p) => p.after24h), borderColor: "#6f42c1", borderDash: [4, 3],
          pointBackgroundColor: lightColours, pointStyle: "rectRot", pointRadius: 5, spanGaps: true, cubicInterpolationMode: "monotone" },
        { label: "Pain ceiling", data: points.map((p) => p.ceiling), borderColor: "#b02a37",
          borderDash: [8, 4], pointRadius: 0, stepped: true, fill: false },
      ],
    },
    options: {
      maintainAspectRatio: false, animation: false,
      // The axis stops at 0 and 10, the commonest and the worst ratings: a dot there is drawn
      // whole, not cut in half by the plot's edge.
      datasets: { line: { clip: 8 } },
      scales: { y: { min: 0, max: 10, title: { display: true, text: "Pain (0–10)" } } },
      plugins: { tooltip: { callbacks: { afterBody: (items) => "Light: " + points[items[0].dataIndex].light } } },
    },
  });
})();
