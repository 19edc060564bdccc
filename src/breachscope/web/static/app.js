// Sends the session's CSRF token with every htmx request, read from the page's meta tag.
// Kept in a file (not inline) so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (evt) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      evt.detail.headers["X-CSRF-Token"] = meta.content;
    }
  });
})();
