// Draws the chart from the figure embedded beside it: no request leaves the page.
const figure = JSON.parse(document.getElementById("figure").textContent);
Plotly.newPlot("chart", figure.data, figure.layout, {
  displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"],
});
