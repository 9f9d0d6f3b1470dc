"""The valid example files the service takes but that break warning rules, with those warnings.

Shared by the example-folder tests: a valid file breaks no error rule, and breaks a warning
only where this table pins it.
"""

from __future__ import annotations

# Documented examples that the service takes but that break a warning rule, with every
# violation they get (schema and code rules alike, in the documented order).
VALID_WITH_WARNINGS = {
    "personalized-offer/ajo-create-body": [
        ["/xdm:representations/0/xdm:channel", "recommended"],
        ["/xdm:selectionConstraint/xdm:endDate", "date-range"],
    ],
    "personalized-offer-instance/recorded-lookup-item": [
        ["/_instance/xdm:representations/0/xdm:channel", "recommended"],
    ],
    "offer-placement/ent-kiosk-placement": [["/xdm:channel", "legacy-form"]],
    "offer-filter/ent-all-tags": [["/ids", "legacy-form"]],
    "offer-filter/ent-offers": [["/ids", "legacy-form"]],
    "offer-activity/ent-flat-form": [
        ["/xdm:filter", "legacy-form"],
        ["/xdm:placement", "legacy-form"],
    ],
}
