// Trend charts (chart.js 4, UMD build served by the dashboard). Data is embedded as JSON by the server.
/* global Chart */
(function () {
  const el = document.getElementById('trend-data');
  if (!el || typeof Chart === 'undefined') return;
  const d = JSON.parse(el.textContent || '{}');
  Chart.defaults.font.family = '"Noto Sans Thai", "Sarabun", "Loma", sans-serif';
  Chart.defaults.animation = false;
  const green = '#0b6e4f', light = '#8fd3b0', amber = '#e0a100';
  new Chart(document.getElementById('chart-months'), {
    type: 'bar',
    data: { labels: d.months, datasets: [
      { label: 'รับเรื่อง · received', data: d.received, backgroundColor: light },
      { label: 'ยุติเรื่อง · closed', data: d.closed, backgroundColor: green },
    ] },
    options: { responsive: true, scales: { y: { beginAtZero: true, grace: '10%', ticks: { precision: 0 } } } },
  });
  new Chart(document.getElementById('chart-categories'), {
    type: 'bar',
    data: { labels: d.categories, datasets: [
      { label: 'ยุติเรื่อง · closed', data: d.catClosed, backgroundColor: green },
      { label: 'อยู่ระหว่างดำเนินการ · open', data: d.catOpen, backgroundColor: amber },
    ] },
    options: { indexAxis: 'y', responsive: true, scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
  });
  new Chart(document.getElementById('chart-channels'), {
    type: 'bar',
    data: { labels: d.channels, datasets: [{ label: 'เรื่อง · cases', data: d.channelTotals, backgroundColor: light }] },
    options: { responsive: true, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, grace: '10%', ticks: { precision: 0 } } } },
  });
})();
