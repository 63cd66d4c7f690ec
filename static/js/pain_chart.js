// Pain trend: in-session and 24-hour ratings per workout, points coloured by the light,
// with the pain ceiling as a dashed line.
(function () {
  const el = document.getElementById("trend-data");
  const canvas = document.getElementById("pain-chart");
  if (!el || !canvas || !window.Chart) return;
  const points = JSON.parse(el.textContent);
  const colours = { green: "#146c43", yellow: "#e0a800", red: "#b02a37" };
  const labels = points.map((p) => new Date(p.date + "T12:00:00").toLocaleDateString(undefined, { day: "numeric", month: "short" }));
  const lightColours = points.map((p) => colours[p.light]);
  canvas.dataset.points = String(points.length);
  new Chart(canvas, {
    type: "line",
    data: {
      labels,
      datasets: [
        { label: "Pain during", data: points.map((p) => p.during), borderColor: "#0d6efd",
          pointBackgroundColor: lightColours, pointBorderColor: lightColours, pointRadius: 5, tension: 0.2 },
        { label: "24 h after", data: points.map((p) => p.after24h), borderColor: "#6f42c1", borderDash: [4, 3],
          pointBackgroundColor: lightColours, pointStyle: "rectRot", pointRadius: 5, spanGaps: true, tension: 0.2 },
        { label: "Pain ceiling", data: points.map((p) => p.ceiling), borderColor: "#b02a37",
          borderDash: [8, 4], pointRadius: 0, stepped: true, fill: false },
      ],
    },
    options: {
      maintainAspectRatio: false, animation: false,
      scales: { y: { min: 0, max: 10, title: { display: true, text: "Pain (0–10)" } } },
      plugins: { tooltip: { callbacks: { afterBody: (items) => "Light: " + points[items[0].dataIndex].light } } },
    },
  });
})();
