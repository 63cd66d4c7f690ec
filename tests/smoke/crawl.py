"""A signed-in person walking every page they can reach, over real HTTP.

The stack sits behind a TLS proxy in production; here the client talks plain HTTP to gunicorn
and says ``X-Forwarded-Proto: https`` as that proxy would, so the secure cookies, HSTS and CSRF
origin checks all run as they do for a clinic.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from apps.common.management.commands.seed_demo import DEMO_TOTP_SECRET
from apps.common.security import security_header_problems

# Links a person can follow that would end the walk or leave the app.
NOT_FOLLOWED = ("/accounts/logout/", "/static/")
MAX_PAGES = 400


_used_codes: dict[str, set[str]] = {}


def fresh_totp_code(email: str) -> str:
    """A demo clinician's authenticator code not used yet (each code works once).

    The server accepts the codes of the previous, current and next 30 s; when all three are
    spent, wait for the next one.
    """
    used = _used_codes.setdefault(email, set())
    while True:
        step = int(time.time() // 30)
        for offset in (0, -1, 1):
            code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, step + offset))
            if code not in used:
                used.add(code)
                return code
        time.sleep(30 - time.time() % 30 + 0.1)


def api_token(base_url: str, email: str, password: str) -> str:
    """An API token as an app gets it: email and password, then a code if one is asked for."""
    headers = {"X-Forwarded-Proto": "https"}
    answer = requests.post(
        f"{base_url}/api/v1/auth/token/",
        json={"email": email, "password": password},
        headers=headers,
        timeout=30,
    ).json()
    if answer.get("mfa_required"):
        answer = requests.post(
            f"{base_url}/api/v1/auth/token/mfa/",
            json={"mfa_token": answer["mfa_token"], "code": fresh_totp_code(email)},
            headers=headers,
            timeout=30,
        ).json()
    return answer["token"]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pages, self.assets, self.csrf = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.pages.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or ""):
            self.assets.append(attrs["href"])
        elif tag == "img" and attrs.get("src", "").startswith("/"):
            self.assets.append(attrs["src"])
        elif tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.csrf = attrs.get("value")


def parse(html: str) -> _Links:
    links = _Links()
    links.feed(html)
    return links


@dataclass
class Problem:
    url: str
    status: int
    detail: str

    def __str__(self):
        return f"{self.status} {self.url}: {self.detail}"


@dataclass
class Visitor:
    base_url: str
    label: str
    session: requests.Session = field(default_factory=requests.Session)
    # Kept by hand: a cookie jar would not send the ``Secure`` cookies on the plain-HTTP hop.
    cookies: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    visited: dict[str, int] = field(default_factory=dict)
    authenticated: bool = False

    def __post_init__(self):
        self.session.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": self.https_origin, "User-Agent": "smoke"}
        )

    @property
    def https_origin(self) -> str:
        return "https://" + urlsplit(self.base_url).netloc

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {
            "Referer": self.https_origin + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **kwargs.pop("headers", {}),
        }
        response = self.session.request(
            method,
            self.base_url + path,
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        self.cookies.update({c.name: c.value for c in response.cookies})
        self.session.cookies.clear()
        self.check(path, response)
        return response

    def check(self, path: str, response: requests.Response) -> None:
        if response.status_code >= 500:
            self.problems.append(Problem(path, response.status_code, response.text[:300]))
        private = self.authenticated or path.startswith("/api/")
        for detail in security_header_problems(response, private=private, https=True):
            self.problems.append(Problem(path, response.status_code, detail))

    def login(self, email: str, password: str) -> None:
        page = self.request("GET", "/accounts/login/")
        form = parse(page.text)
        response = self.request(
            "POST",
            "/accounts/login/",
            data={"login": email, "password": password, "csrfmiddlewaretoken": form.csrf},
        )
        if response.status_code != 302:
            raise AssertionError(f"{self.label} could not log in: {response.status_code}")
        stage = response.headers["Location"]
        if stage.endswith("/accounts/two-factor/authenticate/"):
            form = parse(self.request("GET", stage).text)
            response = self.request(
                "POST",
                stage,
                data={"code": fresh_totp_code(email), "csrfmiddlewaretoken": form.csrf},
            )
            if response.status_code != 302:
                raise AssertionError(f"{self.label}'s code was refused: {response.status_code}")
        self.authenticated = True

    def walk(self, start: str = "/") -> None:
        """Every same-site page reachable by links from ``start``, and every asset they load."""
        queue, assets = deque([start]), set()
        while queue and len(self.visited) < MAX_PAGES:
            path = queue.popleft()
            if path in self.visited:
                continue
            response = self.request("GET", path)
            self.visited[path] = response.status_code
            if response.is_redirect:
                queue.extend(filter(None, [self._local(path, response.headers["Location"])]))
                continue
            if "text/html" not in response.headers.get("Content-Type", ""):
                continue
            links = parse(response.text)
            pages = (self._local(path, href) for href in links.pages)
            queue.extend(p for p in pages if p and not p.startswith(NOT_FOLLOWED))
            assets.update(a for a in (self._local(path, h) for h in links.assets) if a)
        self._fetch_assets(assets)

    def _fetch_assets(self, assets: set[str]) -> None:
        """Pages link hashed static names: each must be served, or the page is broken. The
        browser sends its cookies with them: photos are served only to who may see them."""
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for path in sorted(assets):
            response = self.session.get(
                self.base_url + path, headers={"Cookie": cookie}, timeout=30
            )
            if response.status_code != 200:
                self.problems.append(Problem(path, response.status_code, "asset not served"))

    def _local(self, current: str, href: str) -> str | None:
        url = urldefrag(urljoin(self.https_origin + current, href)).url
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != urlsplit(self.https_origin).netloc:
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")


# A detail whose list has another name: /fhir/Questionnaire/{id} takes its id from /questionnaires/.
ALIASES = {"Questionnaire": "questionnaires"}


@dataclass
class ApiWalk:
    """Every GET operation of the OpenAPI schema, with ids taken from the lists it returned."""

    visitor: Visitor
    token: str
    ids: dict[str, int] = field(default_factory=dict)
    # Lists the role was refused (401/403): their details are asked with a made-up id.
    refused: set[str] = field(default_factory=set)

    def get(self, path: str) -> requests.Response:
        return self.visitor.request(
            "GET", path, headers={"Authorization": f"Bearer {self.token}", "Origin": ""}
        )

    def run(self, schema: dict) -> dict[str, int]:
        me = self.get("/api/v1/me/").json()
        if me.get("patient_id"):
            self.ids["patients"] = me["patient_id"]
        paths = [p for p, ops in schema["paths"].items() if "get" in ops]
        statuses = {}
        # Lists first (fewest parameters, then lists before details), so that details and
        # nested lists find their ids: /media/{id}/ after /prescriptions/{id}/media/.
        for template in sorted(paths, key=lambda p: (p.count("{"), p.endswith("}/"), p)):
            path = self._fill(template)
            if path is None:
                statuses[template] = 0
                continue
            response = self.get(path)
            statuses[template] = response.status_code
            self._remember(path, response)
        return statuses

    def _fill(self, template: str) -> str | None:
        parts = template.strip("/").split("/")
        for i, part in enumerate(parts):
            if part.startswith("{"):
                collection = ALIASES.get(parts[i - 1], parts[i - 1])
                if collection in self.ids:
                    parts[i] = str(self.ids[collection])
                elif collection in self.refused:
                    # The role may not list these: its detail must refuse too (never a 500).
                    parts[i] = "0"
                else:
                    return None
        # FHIR paths have no trailing slash (/fhir/Questionnaire/{id}); the others do.
        return "/" + "/".join(parts) + ("/" if template.endswith("/") else "")

    def _remember(self, path: str, response: requests.Response) -> None:
        if response.status_code in (401, 403):
            self.refused.add(path.strip("/").split("/")[-1])
        if response.status_code != 200:
            return
        body = response.json()
        results = body.get("results") if isinstance(body, dict) else body
        if isinstance(results, list) and results and "id" in results[0]:
            self.ids.setdefault(path.strip("/").split("/")[-1], results[0]["id"])
            # A program's items are the prescriptions that /prescriptions/{id}/... name.
            items = results[0].get("items")
            if path.rstrip("/").endswith("programs") and items:
                self.ids.setdefault("prescriptions", items[0]["id"])
