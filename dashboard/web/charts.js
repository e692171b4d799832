// Trend charts (chart.js 4, UMD build served by the dashboard). The server embeds the figures as JSON.
/* global Chart */
(function () {
  const el = document.getElementById('trend-data');
  if (!el || typeof Chart === 'undefined') return;
  const d = JSON.parse(el.textContent || '{}');
  Chart.defaults.font.family = '"Noto Sans Thai", "Sarabun", "Loma", sans-serif';
  Chart.defaults.animation = false;
  const green = '#0b6e4f', light = '#8fd3b0', amber = '#e0a100';
  const count = { beginAtZero: true, grace: '10%', ticks: { precision: 0 } };
  new Chart(document.getElementById('chart-months'), {
    type: 'bar',
    data: { labels: d.months, datasets: [
      { label: 'รับเรื่อง · received', data: d.received, backgroundColor: light },
      { label: 'ยุติเรื่อง · closed', data: d.closed, backgroundColor: green },
    ] },
    options: { responsive: true, scales: { y: count } },
  });
  const rows = (id, t) => new Chart(document.getElementById(id), {
    type: 'bar',
    data: { labels: t.labels, datasets: [
      { label: 'ยุติเรื่อง · closed', data: t.closed, backgroundColor: green },
      { label: 'อยู่ระหว่างดำเนินการ · open', data: t.open, backgroundColor: amber },
    ] },
    options: { indexAxis: 'y', responsive: true, scales: { x: { ...count, stacked: true }, y: { stacked: true } } },
  });
  rows('chart-district', d.district);
  rows('chart-province', d.province);
})();
