// Charts drawn with the vendored Apache ECharts from data the page carries as JSON
// (<script type="application/json" id="ID-data">); each chart has its data table beside it.
// Data: {kind: "bar", categories: [...], values: [...], unit, band: {low, high, label},
//        warn: {low, high, label}} — the bands are drawn as shaded areas behind the bars.
(function () {
  if (typeof echarts === "undefined") return;
  const palette = { green: "#2e7d32", amber: "#f9a825", red: "#c62828", grey: "#9e9e9e" };
  document.querySelectorAll("[data-chart]").forEach((el) => {
    const source = document.getElementById(el.id + "-data");
    if (!source) return;
    const d = JSON.parse(source.textContent);
    const areas = [];
    if (d.warn) areas.push([{ yAxis: d.warn.low, name: d.warn.label, itemStyle: { color: "rgba(249,168,37,0.15)" } }, { yAxis: d.warn.high }]);
    if (d.band) areas.push([{ yAxis: d.band.low, name: d.band.label, itemStyle: { color: "rgba(46,125,50,0.15)" } }, { yAxis: d.band.high }]);
    const data = d.values.map((v, i) => ({
      value: v,
      itemStyle: { color: palette[(d.levels || [])[i]] || "#a4161a" },
    }));
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      grid: { left: 48, right: 16, top: 24, bottom: 64 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: d.categories.length > 6 ? 40 : 0 } },
      yAxis: {
        type: "value", name: d.unit || "", min: d.min === undefined ? null : d.min,
        max: d.max === undefined ? null : d.max,
      },
      series: [{
        type: "bar", name: d.name || "", data: data,
        markArea: areas.length ? { silent: true, label: { position: "insideTopRight" }, data: areas } : undefined,
      }],
    });
    el.dataset.rendered = "1";
    window.addEventListener("resize", () => chart.resize());
  });
})();
