"""How the API's own pieces appear in the OpenAPI schema (drf-spectacular finds the extension on import)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "reporting.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'A personal token from "Mijn API-sleutels", sent as "Token <key>".'}
