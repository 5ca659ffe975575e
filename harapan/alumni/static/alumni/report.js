// Charts of the evaluation report (Chart.js 4, vendored): the response rate per kabupaten/kota,
// and per figure the distribution of the respondents as they reported it and as Harapan recorded it.
(function () {
  "use strict";
  function draw() {
    if (!window.Chart) { return; }
    var data = JSON.parse(document.getElementById("report-data").textContent);
    var words = JSON.parse(document.getElementById("report-labels").textContent);
    var blue = "#1f5f99", orange = "#de7d2c";
    var base = { responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { position: "bottom" } } };
    var rates = document.getElementById("chart-rates");
    if (rates && data.rates.labels.length) {
      new window.Chart(rates, { type: "bar", data: { labels: data.rates.labels,
        datasets: [{ label: words.rate, data: data.rates.rate, backgroundColor: blue }] },
        options: Object.assign({}, base, { indexAxis: "y", scales: { x: { min: 0, max: 100 } } }) });
    }
    data.figures.forEach(function (f) {
      var canvas = document.getElementById("chart-" + f.key);
      if (!canvas) { return; }
      var sets = [{ label: words.reported, data: f.reported, backgroundColor: blue }];
      if (f.recorded) { sets.push({ label: words.recorded, data: f.recorded, backgroundColor: orange }); }
      new window.Chart(canvas, { type: "bar", data: { labels: f.labels, datasets: sets },
        options: Object.assign({}, base, { scales: { y: { beginAtZero: true, ticks: { precision: 0 },
          title: { display: true, text: words.count } } } }) });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
