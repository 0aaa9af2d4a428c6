// Loaded only after the visitor accepted analytics (privacy policy 7): one page view, the path only.
(() => {
  fetch('/analytics/collect', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ path: location.pathname }),
    credentials: 'same-origin',
    keepalive: true,
  }).catch(() => {});
})();
