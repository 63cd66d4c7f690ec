"""Container health check: exit 0 when the app answers /healthz/ on its own port.

Run as a script (``python config/healthcheck.py``) so that a probe every few seconds loads
neither Django nor Celery. It asks as one of the allowed hosts, and says the request came
through HTTPS, as the TLS proxy does, so that the HTTPS redirect does not answer instead.
"""

import os
import sys
import urllib.request

URL = "http://127.0.0.1:8000/healthz/"


def probe_host(allowed_hosts: str) -> str:
    """A Host header that DJANGO_ALLOWED_HOSTS accepts (".example.org" allows subdomains)."""
    first = next((h.strip() for h in allowed_hosts.split(",") if h.strip()), "localhost")
    if first == "*":
        return "localhost"
    return "healthcheck" + first if first.startswith(".") else first


def main() -> int:
    host = probe_host(os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost"))
    request = urllib.request.Request(  # noqa: S310 - a fixed http:// URL
        URL, headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
