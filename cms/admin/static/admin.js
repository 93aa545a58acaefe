// Small progressive enhancements shared by admin pages; each page's own script lives beside it.
document.addEventListener("htmx:configRequest", (event) => {
  // Every htmx request carries the CSRF token (also set by hx-headers on <body>).
  event.detail.headers["X-CSRF-Token"] = document.body.dataset.csrf;
});
