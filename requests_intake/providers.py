"""Sending a text through an SMS or WhatsApp provider's HTTP API. No Django here: the URL and token come in."""

import http.client
import json
import urllib.error
import urllib.request


class ProviderError(Exception):
    """The provider could not be reached or failed on its side: trying again later may work."""


class ProviderRejected(Exception):
    """The provider refused the message (bad number, bad token, bad request): trying again will not help."""


# 4xx answers that mean "not now" rather than "never": they are retried like a 5xx.
_TEMPORARY_STATUSES = {408, 425, 429}


class HttpProvider:
    """POST {to, body, channel} as JSON with a bearer token; the answer's `id` is the provider's message id."""

    def __init__(self, url: str, token: str, *, timeout: float = 10) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"The provider URL {url!r} must start with http:// or https://.")
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, *, to: str, body: str, channel: str) -> str:
        """Hand the message to the provider and return its id for it ("" when it gives none)."""
        payload = json.dumps({"to": to, "body": body, "channel": channel}).encode()
        request = urllib.request.Request(
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read()
        except urllib.error.HTTPError as exc:
            detail = _excerpt(exc.read())
            if exc.code >= 500 or exc.code in _TEMPORARY_STATUSES:
                raise ProviderError(f"{channel} provider answered {exc.code}: {detail}") from exc
            raise ProviderRejected(f"{channel} provider refused the message ({exc.code}): {detail}") from exc
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, cut short
            raise ProviderError(f"{channel} provider could not be reached: {exc}") from exc
        return _message_id(answer)


def _excerpt(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").strip()[:150] or "-"


def _message_id(raw: bytes) -> str:
    # Providers name it differently; a 2xx without a readable id was still accepted, so it is not an error.
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return ""
    if not isinstance(answer, dict):
        return ""
    return str(answer.get("id") or answer.get("message_id") or "")[:100]
