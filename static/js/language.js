/* The language selector in the header changes language as soon as a language is picked (the button is for
   browsers without JavaScript). A file of its own: the content security policy allows no inline script. A module:
   it runs once the page is parsed. */
for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
  select.addEventListener("change", () => select.form.submit());
}
