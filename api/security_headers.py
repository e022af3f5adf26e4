"""Headers that tell browsers what the page may do: its own scripts only, no framing, no
MIME sniffing, no referrer sent elsewhere. Added to every response (the API's too: a JSON
answer opened in a tab is a page as well)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Scripts, fonts and data from this server only, no inline script and no eval. Plotly.js sets
# styles from its code and exports charts as data: and blob: images, hence those two.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
CSP = (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())
# FastAPI's interactive API documentation is built from its own inline script and a CDN.
OWN_POLICY = ("/docs", "/redoc")


class SecurityHeaders:
    """ASGI middleware adding :data:`HEADERS` to every HTTP response, and the content policy
    to all but the API documentation pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        added = HEADERS if scope["path"].startswith(OWN_POLICY) else [*HEADERS, CSP]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)
