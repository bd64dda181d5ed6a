"""The Solara web app: a thin page over the public API (``Params``, ``Model``, ``Results``).

``page.py`` is the page (its tabs in ``page.TABS``), ``runner.py`` the live run
behind it, ``live_charts.py`` the live charts as ECharts data for the browser,
``charts.py`` the same charts as matplotlib PNGs (downloads, compare, docs),
``organisation.py`` where each dot of the organisation sits, ``story.py`` story
mode, ``compare.py`` the strategy comparison, ``info.py`` the Info tab,
``export.py`` CSV and the reproducing command, ``controls.py`` the parameter
controls generated from ``adoption.params``, ``inputs.py`` the checks on
everything a browser sends (and the session's uploads), ``browser.py`` what
the page learns from the browser (width, the week its charts show),
``serve.py`` the server closed to the outside, ``commands.py`` ``adoption
app``, and ``experiments/palette.py`` the one colour palette.

Mesa's ``SolaraViz`` is not used for the page: it steps and redraws in one loop
(its render interval counts steps, so a slow plot slows the model), its inputs
carry no hover help, and its space drawers expect a Mesa space, while this
model's network is a CSR array. The page follows its pattern (a model in a
reactive value, play/step/reset, a render interval) with the drawing moved out
of the stepping loop.
"""
