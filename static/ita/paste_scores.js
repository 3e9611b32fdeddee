/* Paste from ITAS on the assessment entry screen (templates/admin/ita/assessment/includes/
   paste.html): reads a column or row of numbers copied from the NACC result page and fills
   the chosen fields in order, only when the count matches. Numbers may be written with Thai
   digits, a per cent sign or a decimal comma, separated by tabs, new lines, spaces or
   semicolons; "-" stands for a value the NACC did not publish and empties its field. */
(function () {
  "use strict";

  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";
  var BLANKS = ["-", "–", "—"];

  function arabic(text) {
    return text.replace(/[๐-๙]/g, function (d) { return String(THAI_DIGITS.indexOf(d)); });
  }

  /* One token as a score string ("96.5"), "" for a blank, or null when it is no score. */
  function score(token) {
    if (BLANKS.indexOf(token) !== -1) { return ""; }
    var text = token.replace(/%$/, "");
    if (/^\d+,\d+$/.test(text)) { text = text.replace(",", "."); }
    if (!/^\d+(\.\d+)?$/.test(text)) { return null; }
    var value = parseFloat(text);
    return value >= 0 && value <= 100 ? text : null;
  }

  /* Exposed for tests: {values: [...]} or {invalid: token}. */
  function parse(pasted) {
    var tokens = arabic(pasted).split(/[\s;]+/).filter(function (t) { return t !== ""; });
    // "96.5,97" is a list written with commas: with a decimal point about, commas separate.
    tokens = tokens.reduce(function (all, t) {
      return all.concat(/\d\.\d*,|,\d+\.\d/.test(t) ? t.split(",").filter(Boolean) : [t]);
    }, []);
    var values = [];
    for (var i = 0; i < tokens.length; i++) {
      var value = score(tokens[i]);
      if (value === null) { return { invalid: tokens[i] }; }
      values.push(value);
    }
    return { values: values };
  }

  function say(box, key, params) {
    var text = box.dataset[key];
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(params[name]));
    });
    var message = box.querySelector("#ita-paste-message");
    message.textContent = text;
    message.className = "ita-paste-message" + (key === "filled" ? " ita-ok" : " ita-flag");
  }

  function fill(box) {
    var form = box.closest("form");
    var option = box.querySelector("#ita-paste-target").selectedOptions[0];
    var names = option.dataset.fields.split(" ");
    var pasted = box.querySelector("#ita-paste-text").value;
    if (!pasted.trim()) { say(box, "empty"); return; }
    var result = parse(pasted);
    if (result.invalid !== undefined) { say(box, "invalid", { value: result.invalid }); return; }
    if (result.values.length !== names.length) {
      say(box, "mismatch", { found: result.values.length, expected: names.length });
      return;
    }
    names.forEach(function (name, i) {
      var field = form.elements[name];
      field.value = result.values[i];
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    say(box, "filled", { count: names.length });
  }

  window.itaPasteScores = { parse: parse };

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("ita-paste");
    if (!box) { return; }
    box.querySelector("#ita-paste-fill").addEventListener("click", function () { fill(box); });
  });
})();
