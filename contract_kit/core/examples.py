"""Valid example instances of the bundled kinds, fresh on every call (callers may change them)."""

from __future__ import annotations

from typing import Any

__all__ = ["fallback_offer_body"]


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
                "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
            }
        ],
    }
