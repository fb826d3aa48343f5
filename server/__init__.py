"""The Flask application: SPARQL endpoint and linked-data documents over a kg store."""
from __future__ import annotations

from flask import Flask

from server import config as settings


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then ``test_config`` (or ``KG_*`` environment variables).

    :raises KeyError: for an unknown setting.
    """
    app = Flask(__name__)
    app.config.from_mapping(settings.DEFAULTS)
    if test_config is None:
        app.config.from_prefixed_env("KG")
    else:
        settings.check_keys(test_config)
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False

    from server import (canned, dataset, errors, extension, graph_store, limits, linkeddata, listings, ontology_docs,
                        pages, query_ui, querying, resources, search, sparql)
    extension.init_app(app)
    linkeddata.init_app(app)
    querying.init_app(app)
    limits.init_app(app)
    errors.register_error_handlers(app)
    app.register_blueprint(sparql.bp)
    for module in (query_ui, graph_store, canned, resources, pages, listings, search, dataset, ontology_docs):
        app.register_blueprint(module.bp)
    return app
