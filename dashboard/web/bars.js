// Completeness bars: widths come from data-w (the CSP allows no inline styles in the markup).
for (const el of document.querySelectorAll('.bar > span[data-w]')) {
  const w = Math.max(0, Math.min(100, Number(el.getAttribute('data-w')) || 0));
  el.style.width = `${w}%`;
}
