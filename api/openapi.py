"""Print the OpenAPI document: `python -m api.openapi > frontend/openapi.json`."""

import json

from api.app import create_app

if __name__ == "__main__":
    app = create_app()
    print(json.dumps(app.extensions["openapi"].spec.to_dict(), indent=2, sort_keys=True, ensure_ascii=False))
