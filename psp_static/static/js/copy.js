// Copy buttons: a button with data-copy="ID" copies the text of the element with that id. The
// text is on the page without JavaScript (and selectable); this file only shows the button.
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard || !navigator.clipboard.writeText) return;
    var label = button.textContent;
    var status = button.parentNode.querySelector("[role=status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Copied";
        if (status) status.textContent = "Copied to the clipboard.";
      }, function () {
        // The browser refused: select the text so that the visitor can copy it themselves.
        var range = document.createRange();
        range.selectNodeContents(source);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        if (status) status.textContent = "Select the text and copy it with your keyboard.";
      });
    });
    // Back to the first label once focus moves on, so that a second copy reads the same way.
    button.addEventListener("blur", function () {
      button.textContent = label;
      if (status) status.textContent = "";
    });
  });
})();
