// The language selector in the header changes language as soon as a language is picked (the button is for
// browsers without JavaScript). A file of its own: the content security policy allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
});
