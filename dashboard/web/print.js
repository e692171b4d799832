// Buttons of the print view (inline handlers are blocked by the page's CSP).
document.getElementById('print')?.addEventListener('click', () => window.print());
document.getElementById('back')?.addEventListener('click', () => history.back());
