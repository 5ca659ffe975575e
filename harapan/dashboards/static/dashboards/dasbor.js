/* Draws the dashboard's charts with the vendored Chart.js from the data in #dashboard-charts
   (json_script). Each chart's table stays in the page; once the chart is drawn it folds away. */
(function () {
  "use strict";
  var PALETTE = ["#0b6e4f", "#f2b705", "#b3261e", "#0a5ea8", "#7a4fb3", "#5c6675"];

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.Chart) return;
    var all = JSON.parse(source.textContent);
    var lang = document.documentElement.lang || "id";
    var number = new Intl.NumberFormat(lang);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = all[canvas.getAttribute("data-chart")];
      if (!spec) return;
      var format = function (v) { return spec.money ? "Rp " + number.format(v) : number.format(v); };
      var valueAxis = { stacked: spec.stacked, beginAtZero: true, ticks: { callback: function (v) { return format(v); } } };
      var labelAxis = { stacked: spec.stacked, ticks: { autoSkip: true } };
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (ds, i) {
            return Object.assign({ backgroundColor: PALETTE[i % PALETTE.length] }, ds);
          })
        },
        options: {
          indexAxis: spec.horizontal ? "y" : "x",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
          plugins: {
            legend: { position: "bottom", labels: { boxWidth: 12 } },
            tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + format(ctx.raw); } } }
          }
        }
      });
      var figure = canvas.closest("figure");
      var table = figure && figure.querySelector("details.chart-table");
      if (table) table.open = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
