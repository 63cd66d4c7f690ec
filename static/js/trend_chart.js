// Weekly trend: pain per week with the ceiling and the week's questionnaire scores, sessions and
// training volume per week, and a vertical line at each week with a level change (drawn by a small inline plugin). Pain means are
// monotone lines, which never overshoot the weeks they join. Labels come formatted from the server,
// as dates are on the rest of the site.
(function () {
  const el = document.getElementById("weekly-trend-data");
  if (!el || !window.Chart) return;
  const weeks = JSON.parse(el.textContent);
  const labels = weeks.map((w) => w.label);

  const changeMarkers = {
    id: "changeMarkers",
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      weeks.forEach((w, i) => {
        if (!w.changes.length) return;
        const x = scales.x.getPixelForValue(i);
        ctx.strokeStyle = "#495057";
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        ctx.fillStyle = "#212529";
        ctx.fillText(w.changes.map((c) => c.slice(0, 1)).join(""), x + 3, chartArea.top + 12);
      });
      ctx.restore();
    },
  };
  const changeTooltip = (items) => {
    const w = weeks[items[0].dataIndex];
    return w.changes.length ? "Level changes: " + w.changes.join("; ") : "";
  };

  // Questionnaire scores of the week on a second axis, 0–100 (PSFS drawn ten times, and says so).
  const scoreNames = [...new Set(weeks.flatMap((w) => Object.keys(w.scores || {})))];
  const scoreColours = ["#198754", "#d63384", "#fd7e14", "#0dcaf0", "#6c757d"];
  const scoreSets = scoreNames.map((name, i) => ({
    label: name, data: weeks.map((w) => (w.scores && name in w.scores ? w.scores[name] : null)),
    borderColor: scoreColours[i % scoreColours.length], backgroundColor: scoreColours[i % scoreColours.length],
    pointStyle: "star", pointRadius: 6, borderWidth: 2, yAxisID: "score", cubicInterpolationMode: "monotone",
  }));
  const painScales = { y: { min: 0, max: 10, title: { display: true, text: "Pain (0–10)" } } };
  if (scoreSets.length) {
    painScales.score = { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
      title: { display: true, text: "Questionnaire score (0–100)" } };
  }

  const pain = document.getElementById("weekly-pain-chart");
  pain.dataset.weeks = String(weeks.length);
  pain.dataset.scores = String(scoreSets.length);
  new Chart(pain, {
    type: "line",
    data: {
      labels,
      datasets: [
        { label: "During, mean", data: weeks.map((w) => w.during_mean), borderColor: "#0d6efd", backgroundColor: "#0d6efd", cubicInterpolationMode: "monotone" },
        { label: "During, worst", data: weeks.map((w) => w.during_max), borderColor: "#0d6efd", backgroundColor: "#0d6efd", borderDash: [2, 3], pointStyle: "triangle" },
        { label: "24 h after, mean", data: weeks.map((w) => w.after_mean), borderColor: "#6f42c1", backgroundColor: "#6f42c1", cubicInterpolationMode: "monotone" },
        { label: "24 h after, worst", data: weeks.map((w) => w.after_max), borderColor: "#6f42c1", backgroundColor: "#6f42c1", borderDash: [2, 3], pointStyle: "rectRot" },
        { label: "Pain ceiling", data: weeks.map((w) => w.ceiling), borderColor: "#b02a37", borderDash: [8, 4], pointRadius: 0 },
        ...scoreSets,
      ],
    },
    options: {
      maintainAspectRatio: false, animation: false, spanGaps: true,
      datasets: { line: { clip: 8 } },  // dots at 0 and 10 drawn whole, as on the patient page
      scales: painScales,
      plugins: { tooltip: { callbacks: { footer: changeTooltip } } },
    },
    plugins: [changeMarkers],
  });

  const volume = document.getElementById("weekly-volume-chart");
  new Chart(volume, {
    data: {
      labels,
      datasets: [
        { type: "bar", label: "Sessions done", data: weeks.map((w) => w.sessions), backgroundColor: "#146c43", yAxisID: "sessions" },
        { type: "bar", label: "Sessions prescribed", data: weeks.map((w) => w.prescribed), backgroundColor: "#adb5bd", yAxisID: "sessions" },
        { type: "line", label: "Reps", data: weeks.map((w) => w.reps), borderColor: "#0d6efd", backgroundColor: "#0d6efd", yAxisID: "volume" },
        { type: "line", label: "Seconds held", data: weeks.map((w) => w.hold_seconds), borderColor: "#6f42c1", backgroundColor: "#6f42c1", pointStyle: "rectRot", yAxisID: "volume" },
        { type: "line", label: "Minutes run", data: weeks.map((w) => w.run_minutes), borderColor: "#fd7e14", backgroundColor: "#fd7e14", pointStyle: "triangle", yAxisID: "volume" },
        { type: "line", label: "Other activity minutes", data: weeks.map((w) => w.activity_minutes), borderColor: "#20c997", backgroundColor: "#20c997", borderDash: [4, 3], yAxisID: "volume" },
      ],
    },
    options: {
      maintainAspectRatio: false, animation: false,
      scales: {
        // Grace keeps the highest bar and point below the top edge, clear of the change markers.
        sessions: { position: "left", beginAtZero: true, grace: "10%", ticks: { precision: 0 }, title: { display: true, text: "Sessions" } },
        volume: { position: "right", beginAtZero: true, grace: "10%", grid: { drawOnChartArea: false }, title: { display: true, text: "Reps, seconds, minutes" } },
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: { callbacks: { footer: changeTooltip } },
      },
    },
    plugins: [changeMarkers],
  });
})();
