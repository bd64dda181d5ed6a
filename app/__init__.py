"""The Solara web app: a thin page over the public API (``Params``, ``Model``, ``Results``).

``page.py`` is the page, ``runner.py`` the live run behind it, ``charts.py`` and
``organisation.py`` the drawings, ``story.py`` story mode, ``compare.py`` the
strategy comparison, ``export.py`` CSV and the reproducing command,
``controls.py`` the parameter controls generated from ``adoption.params`` and
``experiments/palette.py`` the one colour palette.

Mesa's ``SolaraViz`` is not used for the page: it steps and redraws in one loop
(its render interval counts steps, so a slow plot slows the model), its inputs
carry no hover help, and its space drawers expect a Mesa space, while this
model's network is a CSR array. The page follows its pattern (a model in a
reactive value, play/step/reset, a render interval) with the drawing moved out
of the stepping loop.
"""
