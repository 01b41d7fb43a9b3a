// The questionnaire page's script (flow.page_script), run after every page update. __STATE__ is this run's
// state as JSON: {nav: section changes so far, heading: the section's h2, dirty: answers not saved}.
// After a section change it brings the section's top into view and focuses its heading, once per change;
// it keeps one beforeunload guard that warns while answers are unsaved.
(function () {
  const s = __STATE__;
  const w = window;
  w.__intakeDirty = s.dirty;
  if (!w.__intakeGuard) {
    w.__intakeGuard = true;
    w.addEventListener("beforeunload", function (e) {
      if (w.__intakeDirty) { e.preventDefault(); e.returnValue = ""; }
    });
  }
  if (s.nav === 0 || w.__intakeNav === s.nav) return;
  w.__intakeNav = s.nav;
  let tries = 0;
  (function focusHeading() {
    const h = Array.from(document.querySelectorAll("h2")).find(function (el) {
      return el.textContent.trim() === s.heading;
    });
    if (!h) { if (tries++ < 100) requestAnimationFrame(focusHeading); return; }
    h.setAttribute("tabindex", "-1");
    // the top of the section: the Back / Next / Save bar, the progress bar, then the heading
    // (below the app's own fixed header bar, which would otherwise cover it)
    const bar = document.querySelector('[data-testid="stHeader"]');
    const margin = (bar ? bar.getBoundingClientRect().height : 0) + 8 + "px";
    const top = document.querySelector(".st-key-intake-nav-top") || h;
    top.style.scrollMarginTop = margin;
    h.style.scrollMarginTop = margin;
    top.scrollIntoView({block: "start"});
    const r = h.getBoundingClientRect();
    if (r.top < 0 || r.bottom > w.innerHeight) h.scrollIntoView({block: "start"});
    h.focus({preventScroll: true});
  })();
})();
