"""A small invisible widget that tells the page the browser's width and the week its charts show, and
scrolls a chart into view.

Solara renders on the server and never learns the window's size by itself; the
page needs it to fold the sidebar away on a classroom projector (1024 px).
The week the charts have drawn lets the page send the next week only when the
browser has caught up (a slow browser sees fewer weeks, never late charts).
Story mode brings the chart a stop talks about into view.
"""

from __future__ import annotations

import ipyvuetify
import traitlets

TEMPLATE = """
<template><span class="browser-helper" style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    this.measure = () => { this.width = window.innerWidth; };
    this.measure();
    window.addEventListener("resize", this.measure);
    this.observer = new MutationObserver(() => {
      const weeks = [...document.querySelectorAll(".live-chart .echart")].map(c => parseInt(c.dataset.week));
      const week = weeks.length ? Math.min(...weeks) : -1;
      if (week !== this.drawn) this.drawn = week;
    });
    this.observer.observe(document.body, {subtree: true, attributes: true, attributeFilter: ["data-week"]});
    this.scroll();
  },
  beforeDestroy() { window.removeEventListener("resize", this.measure); this.observer.disconnect(); },
  watch: { target() { this.scroll(); } },
  methods: {
    scroll() {
      const selector = (this.target || "").split("#")[0];
      if (!selector) return;
      setTimeout(() => {
        const element = document.querySelector(selector);
        if (!element) return;
        const box = element.getBoundingClientRect();
        if (box.top < 0 || box.bottom > window.innerHeight) {
          element.scrollIntoView({block: "end", behavior: "auto"});
        }
      }, 50);
    },
  },
};
</script>
"""


class BrowserHelper(ipyvuetify.VuetifyTemplate):
    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)  # the window's inner width in CSS pixels, 0 until known
    drawn = traitlets.Int(-1).tag(sync=True)  # the week every live chart shows, -1 before any
    target = traitlets.Unicode("").tag(sync=True)  # "SELECTOR#n": scroll SELECTOR into view (n makes it new)
