"""The bundled JSON Schemas of the Offer Library contract, one ``<kind>.schema.json`` per kind."""
