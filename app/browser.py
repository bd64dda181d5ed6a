"""A small invisible widget that tells the page the browser's width and scrolls a chart into view.

Solara renders on the server and never learns the window's size by itself; the
page needs it to fold the sidebar away on a classroom projector (1024 px), and
story mode needs to bring the chart a stop talks about into view.
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
    this.scroll();
  },
  beforeDestroy() { window.removeEventListener("resize", this.measure); },
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
    target = traitlets.Unicode("").tag(sync=True)  # "SELECTOR#n": scroll SELECTOR into view (n makes it new)
