"""What every response must carry, as one function that the test suite and a smoke test run
against a deployed site can share. It reads only ``response.headers``, so a Django test response,
a ``requests`` or an ``urllib`` response all work."""

from collections.abc import Mapping

# Inline code is what an injected <script> or style attribute would be; the site has none.
NO_INLINE = ("script-src", "style-src")
MUST_BE_NONE = ("object-src", "base-uri", "frame-ancestors")
# Policies that never send a page's path (which holds patient ids) to another site.
SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
HSTS_MIN_SECONDS = 365 * 24 * 3600


def csp_directives(header: str) -> dict[str, list[str]]:
    """``"default-src 'self'; img-src 'self' data:"`` as ``{"default-src": ["'self'"], ...}``."""
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        if part.strip():
            name, *sources = part.split()
            directives.setdefault(name.lower(), sources)
    return directives


def _csp_problems(header: str | None) -> list[str]:
    if not header:
        return ["no Content-Security-Policy"]
    directives = csp_directives(header)
    default = directives.get("default-src", [])
    problems = [
        f"{name} allows 'unsafe-inline'"
        for name in NO_INLINE
        if "'unsafe-inline'" in directives.get(name, default)
    ]
    problems += [
        f"CSP lacks {name} 'none'" for name in MUST_BE_NONE if directives.get(name) != ["'none'"]
    ]
    return problems


def _hsts_problems(header: str | None) -> list[str]:
    fields = [field.strip().lower() for field in (header or "").split(";")]
    max_age = next((f.removeprefix("max-age=") for f in fields if f.startswith("max-age=")), "0")
    if not max_age.isdigit() or int(max_age) < HSTS_MIN_SECONDS:
        return [f"Strict-Transport-Security is {header!r}, not a year or more"]
    if "includesubdomains" not in fields:
        return ["Strict-Transport-Security lacks includeSubDomains"]
    return []


def security_header_problems(response, *, private: bool = False, https: bool = False) -> list[str]:
    """What is missing or unsafe in ``response``'s security headers; empty when all is well.

    ``private``: the answer is for a signed-in person or from the API, so no cache may keep it.
    ``https``: it came over HTTPS from production, so HSTS must be on.
    """
    headers: Mapping[str, str] = response.headers
    problems = _csp_problems(headers.get("Content-Security-Policy"))
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    if headers.get("Referrer-Policy", "").lower() not in SAFE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy is {headers.get('Referrer-Policy')!r}")
    if headers.get("X-Frame-Options", "").upper() != "DENY":
        problems.append(f"X-Frame-Options is {headers.get('X-Frame-Options')!r}, not DENY")
    if private and "no-store" not in headers.get("Cache-Control", "").lower():
        problems.append(f"Cache-Control is {headers.get('Cache-Control')!r}, without no-store")
    if https:
        problems += _hsts_problems(headers.get("Strict-Transport-Security"))
    return problems
