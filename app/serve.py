"""The Solara server behind ``adoption app``, closed to the outside.

Run as ``python -m app.serve`` with ``solara run``'s arguments. Before Solara
starts it:

- refuses every asset the local copy (``solara-assets``) lacks instead of
  fetching it from a public CDN: ``/_solara/cdn/<anything else>`` is a 404, so
  the app needs no internet and the server never fetches a URL a browser chose;
- turns the diagnostic route ``/resourcez`` (CPU, memory, thread counts) into a
  404 unless ``ADOPTION_APP_DIAGNOSTICS=1`` is set.
"""

from __future__ import annotations

import os
import sys

DIAGNOSTICS = "ADOPTION_APP_DIAGNOSTICS"


def refuse_cdn(url: str) -> bytes:
    raise PermissionError(f"not served: {url} is not in the local asset copy and the app fetches nothing")


def lock_down() -> None:
    from solara.server import cdn_helper, starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    cdn_helper.fetch_from_cdn = refuse_cdn  # StaticCdn turns the error into a 404
    if os.environ.get(DIAGNOSTICS) != "1":
        routes = starlette.app.router.routes
        for index, route in enumerate(routes):
            if getattr(route, "path", None) == "/resourcez":
                routes[index] = Route("/resourcez", lambda request: PlainTextResponse("Not Found", 404))


def main() -> None:
    # `solara run APP ...` names the app in SOLARA_APP before Solara's server module is imported;
    # lock_down imports that module, so name it first (the same value `solara run` sets)
    os.environ["SOLARA_APP"] = sys.argv[2]
    lock_down()
    from solara.__main__ import main as solara_main

    sys.argv = ["solara", *sys.argv[1:]]
    solara_main()


if __name__ == "__main__":
    main()
