"""Valid example instances of the bundled kinds, fresh on every call (callers may change them)."""

from __future__ import annotations

from typing import Any

__all__ = ["DOCS_CONTAINER", "SEED_PLACEMENT", "fallback_offer_body"]

#: The container id of the Adobe docs' examples (the one the fake serves by default).
DOCS_CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
#: The placement the seed document's offer names (the one placement a new fake holds).
SEED_PLACEMENT = "xcore:offer-placement:124e0be5699743d3"


def fallback_offer_body() -> dict[str, Any]:
    """The create body of Adobe's "create a fallback offer" page."""
    return {
        "xdm:status": "approved",
        "xdm:name": "Fallback for sales",
        "xdm:representations": [
            {
                "xdm:components": [
                    {
                        "dc:language": ["en"],
                        "@type": "https://ns.adobe.com/experience/offer-management/content-component-html",
                        "dc:format": "text/html",
                    }
                ],
                "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
                "xdm:placement": SEED_PLACEMENT,
            }
        ],
    }
