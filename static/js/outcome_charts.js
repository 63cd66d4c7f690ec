// Outcome questionnaires: each score over time, with the band baseline ± the MCID (or SDC)
// shaded: a point outside the band changed by more than the threshold, and is drawn as a
// triangle. Lines are monotone, like the pain chart's: a smoothed curve would draw scores
// nobody gave between administrations.
(function () {
  const el = document.getElementById("outcome-data");
  if (!el || !window.Chart) return;
  for (const chart of JSON.parse(el.textContent)) {
    const canvas = document.getElementById(chart.canvas);
    if (!canvas) continue;
    canvas.dataset.points = String(chart.values.length);
    const datasets = [
      { label: chart.label, data: chart.values, borderColor: "#0d6efd", spanGaps: true,
        cubicInterpolationMode: "monotone",
        pointStyle: chart.marked.map((m) => (m ? "triangle" : "circle")),
        pointRadius: chart.marked.map((m) => (m ? 8 : 4)),
        pointBackgroundColor: chart.marked.map((m) => (m ? "#b02a37" : "#0d6efd")) },
    ];
    if (chart.band) {
      const low = chart.values.map(() => Math.max(chart.band[0], chart.low));
      const high = chart.values.map(() => Math.min(chart.band[1], chart.high));
      datasets.push(
        { label: "First score − " + chart.threshold, data: low, borderColor: "rgba(108,117,125,0.5)",
          borderDash: [4, 3], pointRadius: 0, fill: false },
        { label: "First score + " + chart.threshold, data: high, borderColor: "rgba(108,117,125,0.5)",
          borderDash: [4, 3], pointRadius: 0, fill: "-1", backgroundColor: "rgba(108,117,125,0.15)" },
      );
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: chart.labels, datasets },
      options: {
        maintainAspectRatio: false, animation: false,
        datasets: { line: { clip: 10 } },
        scales: { y: { min: chart.low, max: chart.high, title: { display: true, text: chart.label } } },
        plugins: { filler: { propagate: false } },
      },
    });
  }
})();
